/** A failure whose message is already one sentence for the user (bad input, missing setup). */
export class UserError extends Error {
  override readonly name: string = 'UserError';

  constructor(
    message: string,
    /** Offer "Set Server…" next to the message. */
    readonly offerSetServer = false,
    /** The outcome kind reported to callers. */
    readonly kind = 'user',
  ) {
    super(message);
  }
}

/** Saving into the workspace failed; the images not saved were kept in the extension's storage. */
export class SaveFailedError extends UserError {
  override readonly name = 'SaveFailedError';

  constructor(
    message: string,
    /** The output folder (a URI string). */
    readonly folder: string,
    /** Images saved into the workspace before the failure (URI strings). */
    readonly saved: readonly string[],
    /** Where the other images are kept (URI strings; empty when even that failed). */
    readonly kept: readonly string[],
  ) {
    super(message, false, 'saveFailed');
  }
}

/** A remake the panel can do from here: Reuse in Panel with this image (a URI string) is offered. */
export class ReuseInPanelError extends UserError {
  override readonly name = 'ReuseInPanelError';

  constructor(
    message: string,
    readonly image: string,
  ) {
    super(message);
  }
}
