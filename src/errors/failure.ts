// Any failure -> the one sentence and the actions every surface offers (notification, panel
// banner). Pure: surfaces render a Failure and run its actions through one runner
// (ui/failures.ts), so a command and the panel cannot drift apart.

import { SdApiError, type SdApiErrorKind } from '../sdapi/errors';
import type { FailureActionId, FailureActionView } from '../shared/protocol';
import { SaveFailedError, UserError } from './userError';

export type { FailureActionId };
export type FailureAction = FailureActionView;

export interface Failure {
  /** The outcome kind reported to callers (an SdApiErrorKind, 'user', 'saveFailed', 'internal'). */
  kind: string;
  message: string;
  /** Buttons, in the order shown. */
  actions: FailureAction[];
  /** Request fields the server rejected (a 422), for surfaces that show them by their field. */
  fieldErrors: { field: string; message: string }[];
  /** What goes to the log: details for server errors, the stack for unexpected ones. */
  log: { level: 'error' | 'warn'; text: string };
  /** Images kept safe after a failed save (URI strings) and the folder they were meant for. */
  kept?: { folder: string; files: string[] };
}

export const ACTION_LABELS: Record<FailureActionId, string> = {
  enterCredentials: 'Enter Credentials…',
  setServer: 'Set Server…',
  showLog: 'Show Log',
  saveKeptAs: 'Save As…',
  retrySave: 'Retry',
};

/** Kinds that the user fixes by changing the server URL. */
const SERVER_SETUP_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unreachable', 'unknownHost', 'noApi', 'tls', 'notJson', 'methodNotAllowed']);
/** Kinds that the user fixes by entering the username and password again. */
const LOGIN_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unauthorized', 'forbidden']);

const action = (id: FailureActionId): FailureAction => ({ id, label: ACTION_LABELS[id] });

export function describeFailure(error: unknown): Failure {
  if (error instanceof SdApiError) {
    const setup = LOGIN_KINDS.has(error.kind) ? [action('enterCredentials')] : SERVER_SETUP_KINDS.has(error.kind) ? [action('setServer')] : [];
    return {
      kind: error.kind,
      message: error.message,
      actions: [...setup, action('showLog')],
      fieldErrors: error.fieldErrors.map(({ field, message }) => ({ field, message })),
      log: { level: 'error', text: error.describe() },
    };
  }
  if (error instanceof SaveFailedError) {
    const keep = error.kept.length > 0 ? [action('saveKeptAs'), action('retrySave')] : [];
    return {
      kind: error.kind,
      message: error.message,
      actions: [...keep, action('showLog')],
      fieldErrors: [],
      log: { level: 'warn', text: error.message },
      kept: { folder: error.folder, files: [...error.kept] },
    };
  }
  if (error instanceof UserError) {
    return {
      kind: error.kind,
      message: error.message,
      actions: [...(error.offerSetServer ? [action('setServer')] : []), action('showLog')],
      fieldErrors: [],
      log: { level: 'warn', text: error.message },
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    kind: 'internal',
    message: `Unexpected error: ${detail}. See the log for details.`,
    actions: [action('showLog')],
    fieldErrors: [],
    log: { level: 'error', text: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : detail },
  };
}
