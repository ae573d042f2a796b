import * as vscode from 'vscode';
import type { Credentials } from '../sdapi/auth';
import { normalizeBaseUrl, originOf } from '../sdapi/baseUrl';

export interface ServerInput {
  baseUrl: string;
  /** Undefined: the server needs no login. */
  credentials?: Credentials;
}

/** What is stored for an origin, so that re-entering keeps it as the default. */
export type CredentialLookup = (origin: string) => Promise<Credentials | undefined>;

/**
 * Asks for the server URL (prefilled with `initialUrl`), then username and password (both
 * optional), in one titled flow. Undefined when the user cancels at any step.
 */
export async function askForServer(initialUrl: string, lookup: CredentialLookup): Promise<ServerInput | undefined> {
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set Server (1/3): URL'),
    prompt: vscode.l10n.t('Address of the AUTOMATIC1111-compatible server started with --api, e.g. http://127.0.0.1:7860 or a hosted space URL'),
    value: initialUrl,
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        normalizeBaseUrl(text);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  if (entered === undefined) return undefined;
  const baseUrl = normalizeBaseUrl(entered);
  const credentials = await askForCredentials(baseUrl, lookup);
  return credentials === undefined ? undefined : { baseUrl, ...(credentials === 'none' ? {} : { credentials }) };
}

/** Username and password for `baseUrl`: 'none' for an empty username, undefined when cancelled. */
export async function askForCredentials(baseUrl: string, lookup: CredentialLookup): Promise<Credentials | 'none' | undefined> {
  const origin = originOf(baseUrl);
  const stored = await lookup(origin);
  const username = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set Server (2/3): username'),
    prompt: vscode.l10n.t('Username for {0} (as in --api-auth user:password). Leave empty if the server has no login.', origin),
    value: stored?.username ?? '',
    ignoreFocusOut: true,
  });
  if (username === undefined) return undefined;
  if (username.trim() === '') return 'none';
  const keep = stored?.username === username.trim();
  const password = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set Server (3/3): password'),
    prompt: vscode.l10n.t("Password for {0} at {1}. It is kept in VS Code's secret storage.", username.trim(), origin),
    placeHolder: keep ? vscode.l10n.t('Leave empty to keep the stored password') : '',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  return { username: username.trim(), password: password === '' && keep && stored ? stored.password : password };
}
