/** A button next to an error message and what it does. */
export interface ErrorAction {
  label: string;
  run(): Thenable<unknown> | unknown;
}

/** A failure whose message is already one sentence for the user (bad input, missing setup). */
export class UserError extends Error {
  override readonly name: string = 'UserError';

  constructor(
    message: string,
    /** Offer "Set Server…" next to the message. */
    readonly offerSetServer = false,
    /** Further buttons, offered first. */
    readonly actions: readonly ErrorAction[] = [],
    /** The outcome kind reported to callers. */
    readonly kind = 'user',
  ) {
    super(message);
  }
}
