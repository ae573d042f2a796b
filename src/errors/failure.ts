// Any failure -> the one sentence and the actions every surface offers (notification, panel
// banner). Pure: surfaces render a Failure and run its actions through one runner
// (ui/failures.ts), so a command and the panel cannot drift apart.

import * as l10n from '@vscode/l10n';
import { SdApiError, type SdApiErrorKind } from '../sdapi/errors';
import { readmeLink } from '../shared/links';
import type { FailureActionId, FailureActionView } from '../shared/protocol';
import { connectionHelp, type ConnectionContext } from './connectionHelp';
import { ReuseInPanelError, SaveFailedError, UserError } from './userError';

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
  /** The README section on this kind of connection failure (the Connection Help button opens it). */
  help?: string;
  /** The image Reuse in Panel opens (a URI string). */
  reuse?: string;
}

export interface FailureContext extends ConnectionContext {
  /** No connection has worked yet: a connection failure says its likely cause in the message too. */
  firstConnection: boolean;
}

export function actionLabel(id: FailureActionId): string {
  switch (id) {
    case 'enterCredentials':
      return l10n.t('Enter Credentials…');
    case 'setServer':
      return l10n.t('Set Server…');
    case 'connectionHelp':
      return l10n.t('Connection Help');
    case 'showLog':
      return l10n.t('Show Log');
    case 'saveKeptAs':
      return l10n.t('Save As…');
    case 'retrySave':
      return l10n.t('Retry');
    case 'reuseInPanel':
      return l10n.t('Reuse in Panel');
  }
}

/** Kinds that the user fixes by changing the server URL. */
const SERVER_SETUP_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unreachable', 'unknownHost', 'noApi', 'tls', 'notJson', 'methodNotAllowed']);
/** Kinds that the user fixes by entering the username and password again. */
const LOGIN_KINDS: ReadonlySet<SdApiErrorKind> = new Set(['unauthorized', 'forbidden']);

const action = (id: FailureActionId): FailureAction => ({ id, label: actionLabel(id) });

const ANYWHERE: FailureContext = { remote: false, firstConnection: false };

export function describeFailure(error: unknown, context: FailureContext = ANYWHERE): Failure {
  if (error instanceof SdApiError) {
    const setup = LOGIN_KINDS.has(error.kind) ? [action('enterCredentials')] : SERVER_SETUP_KINDS.has(error.kind) ? [action('setServer')] : [];
    const help = connectionHelp(error, context);
    return {
      kind: error.kind,
      message: help && context.firstConnection ? `${error.message} ${help.hint}` : error.message,
      actions: [...setup, ...(help ? [action('connectionHelp')] : []), action('showLog')],
      fieldErrors: error.fieldErrors.map(({ field, message }) => ({ field, message })),
      log: { level: 'error', text: error.describe() },
      ...(help ? { help: readmeLink(help.section) } : {}),
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
  if (error instanceof ReuseInPanelError) {
    return {
      kind: error.kind,
      message: error.message,
      actions: [action('reuseInPanel'), action('showLog')],
      fieldErrors: [],
      log: { level: 'warn', text: error.message },
      reuse: error.image,
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
    message: l10n.t('Unexpected error: {0}. See the log for details.', detail),
    actions: [action('showLog')],
    fieldErrors: [],
    log: { level: 'error', text: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : detail },
  };
}
