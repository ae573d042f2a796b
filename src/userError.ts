/** A failure whose message is already one sentence for the user (bad input, missing setup). */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    /** Offer "Set Server…" next to the message. */
    readonly offerSetServer = false,
  ) {
    super(message);
  }
}
