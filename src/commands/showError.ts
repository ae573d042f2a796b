import * as vscode from 'vscode';
import type { Log } from '../log';
import { SdApiError, type SdApiErrorKind } from '../sdapi/errors';
import { UserError } from '../userError';

/** What a command reports back to its caller (tests, other extensions, keybindings). */
export type FailureOutcome = { status: 'failed'; kind: string; message: string };

/** Kinds that the user fixes by changing the server URL or the credentials. */
const SERVER_SETUP_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unreachable', 'unknownHost', 'unauthorized', 'forbidden', 'noApi', 'tls', 'notJson', 'methodNotAllowed']);

export interface ErrorActions {
  setServer(): Thenable<unknown>;
}

/**
 * Shows one sentence that says what to do next, with the fitting actions; the details go to the
 * log. Does not wait for the user to pick an action, so commands return promptly.
 */
export function showError(error: unknown, log: Log, actions: ErrorActions, context: string): FailureOutcome {
  let message: string;
  let kind: string;
  let offerSetServer = false;
  if (error instanceof SdApiError) {
    ({ message, kind } = error);
    offerSetServer = SERVER_SETUP_KINDS.has(error.kind);
    log.error(`[${context}] ${error.describe()}`);
  } else if (error instanceof UserError) {
    ({ message } = error);
    kind = 'user';
    offerSetServer = error.offerSetServer;
    log.warn(`[${context}] ${message}`);
  } else {
    message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}. See the log for details.`;
    kind = 'internal';
    log.error(`[${context}] unexpected error`, error);
  }
  const choices = offerSetServer ? ['Set Server…', 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(message, ...choices).then((choice) => {
    if (choice === 'Set Server…') return actions.setServer();
    if (choice === 'Show Log') log.show();
    return undefined;
  });
  return { status: 'failed', kind, message };
}
