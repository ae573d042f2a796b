import * as vscode from 'vscode';
import type { Log } from '../log';
import { SaveFailedError } from '../output/imageWriter';
import { SdApiError, type SdApiErrorKind } from '../sdapi/errors';
import { UserError, type ErrorAction } from '../userError';

/** What a command reports back to its caller (tests, other extensions, keybindings). */
export type FailureOutcome = { status: 'failed'; kind: string; message: string; kept?: string[] };

const ENTER_CREDENTIALS = 'Enter Credentials…';
const SET_SERVER = 'Set Server…';
const SHOW_LOG = 'Show Log';

/** Kinds that the user fixes by changing the server URL or the credentials. */
const SERVER_SETUP_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unreachable', 'unknownHost', 'unauthorized', 'forbidden', 'noApi', 'tls', 'notJson', 'methodNotAllowed']);

export interface ErrorActions {
  /** Runs Set Server…; with `credentialsOnly` it starts at the username for the current URL. */
  setServer(credentialsOnly?: boolean): Thenable<unknown>;
}

/**
 * Shows one sentence that says what to do next, with the fitting actions; the details go to the
 * log. Does not wait for the user to pick an action, so commands return promptly.
 */
export function showError(error: unknown, log: Log, actions: ErrorActions, context: string): FailureOutcome {
  let message: string;
  let kind: string;
  let offerSetServer = false;
  let offerCredentials = false;
  let extra: readonly ErrorAction[] = [];
  if (error instanceof SdApiError) {
    ({ message, kind } = error);
    offerSetServer = SERVER_SETUP_KINDS.has(error.kind);
    offerCredentials = error.kind === 'unauthorized' || error.kind === 'forbidden';
    log.error(`[${context}] ${error.describe()}`);
  } else if (error instanceof UserError) {
    ({ message, kind } = error);
    offerSetServer = error.offerSetServer;
    extra = error.actions;
    log.warn(`[${context}] ${message}`);
  } else {
    message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}. See the log for details.`;
    kind = 'internal';
    log.error(`[${context}] unexpected error`, error);
  }
  // A login problem leads straight to the username and password; other setup problems to the URL.
  const setup = offerCredentials ? ENTER_CREDENTIALS : offerSetServer ? SET_SERVER : undefined;
  const choices = [...extra.map((action) => action.label), ...(setup ? [setup, SHOW_LOG] : [SHOW_LOG])];
  void vscode.window.showErrorMessage(message, ...choices).then((choice) => {
    const action = extra.find((a) => a.label === choice);
    if (action) return action.run();
    if (choice === ENTER_CREDENTIALS) return actions.setServer(true);
    if (choice === SET_SERVER) return actions.setServer();
    if (choice === SHOW_LOG) log.show();
    return undefined;
  });
  return { status: 'failed', kind, message, ...(error instanceof SaveFailedError ? { kept: error.kept.map((uri) => uri.toString()) } : {}) };
}
