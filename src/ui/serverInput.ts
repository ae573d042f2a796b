import * as vscode from 'vscode';
import { normalizeBaseUrl, originOf } from '../sdapi/baseUrl';
import type { Credentials } from '../sdapi/auth';

export interface ServerInput {
  baseUrl: string;
  /** Undefined: the server needs no login. */
  credentials?: Credentials;
}

/**
 * Asks for the server URL, then username and password (both optional), in one titled flow.
 * `lookup` returns what is stored for an origin so that re-entering keeps it as the default.
 * Undefined when the user cancels at any step.
 */
export async function askForServer(
  currentUrl: string,
  lookup: (origin: string) => Promise<Credentials | undefined>,
  startWithCredentials = false,
): Promise<ServerInput | undefined> {
  let baseUrl = safeNormalize(currentUrl);
  if (!startWithCredentials || !baseUrl) {
    const entered = await vscode.window.showInputBox({
      title: 'Set Server (1/3): URL',
      prompt: 'Address of the AUTOMATIC1111-compatible server started with --api, e.g. http://127.0.0.1:7860 or a hosted space URL',
      value: currentUrl,
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
    baseUrl = normalizeBaseUrl(entered);
  }
  const origin = originOf(baseUrl);
  const stored = await lookup(origin);
  const username = await vscode.window.showInputBox({
    title: 'Set Server (2/3): username',
    prompt: `Username for ${origin} (as in --api-auth user:password). Leave empty if the server has no login.`,
    value: stored?.username ?? '',
    ignoreFocusOut: true,
  });
  if (username === undefined) return undefined;
  if (username.trim() === '') return { baseUrl };
  const keep = stored?.username === username.trim();
  const password = await vscode.window.showInputBox({
    title: 'Set Server (3/3): password',
    prompt: `Password for ${username.trim()} at ${origin}. It is kept in VS Code's secret storage.`,
    placeHolder: keep ? 'Leave empty to keep the stored password' : '',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return undefined;
  return { baseUrl, credentials: { username: username.trim(), password: password === '' && keep && stored ? stored.password : password } };
}

function safeNormalize(url: string): string | undefined {
  try {
    return normalizeBaseUrl(url);
  } catch {
    return undefined;
  }
}
