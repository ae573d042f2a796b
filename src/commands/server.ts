import * as vscode from 'vscode';
import type { Settings } from '../config';
import type { ServerConnection } from '../connection';
import type { CredentialStore } from '../credentials/credentialStore';
import type { Log } from '../log';
import { normalizeBaseUrl, originOf } from '../sdapi/baseUrl';
import { askForServer, type ServerInput } from '../ui/serverInput';
import { shortModelName, type ModelStatusBar } from '../ui/statusBar';
import { showError, type ErrorActions, type FailureOutcome } from './showError';

export interface ServerCommandServices {
  settings: Settings;
  credentials: CredentialStore;
  connection: ServerConnection;
  statusBar: ModelStatusBar;
  log: Log;
}

export type ConnectionOutcome =
  | { status: 'connected'; origin: string; model: string; modelCount: number; authenticated: boolean }
  | FailureOutcome;

export type SetServerOutcome = { status: 'saved'; origin: string; connection: ConnectionOutcome } | { status: 'cancelled' } | FailureOutcome;

/** Arguments for running Set Server without prompts (automation and tests). */
export interface SetServerArgs {
  url: string;
  username?: string;
  password?: string;
}

function isSetServerArgs(value: unknown): value is SetServerArgs {
  const v = value as Partial<SetServerArgs> | undefined;
  return typeof v?.url === 'string' && (v.username === undefined || typeof v.username === 'string') && (v.password === undefined || typeof v.password === 'string');
}

/** The actions error messages offer, bound to these services. */
export function errorActions(services: ServerCommandServices): ErrorActions {
  return { setServer: (credentialsOnly) => setServer(services, undefined, credentialsOnly) };
}

export async function setServer(services: ServerCommandServices, args?: unknown, startWithCredentials = false): Promise<SetServerOutcome> {
  const { settings, credentials, connection, log } = services;
  let input: ServerInput | undefined;
  try {
    if (isSetServerArgs(args)) {
      input = {
        baseUrl: normalizeBaseUrl(args.url),
        credentials: args.username ? { username: args.username, password: args.password ?? '' } : undefined,
      };
    } else {
      input = await askForServer(settings.serverUrl, (origin) => credentials.get(origin), startWithCredentials);
    }
  } catch (error) {
    return showError(error, log, errorActions(services), 'set server');
  }
  if (!input) return { status: 'cancelled' };

  const origin = originOf(input.baseUrl);
  await settings.setServerUrl(input.baseUrl);
  if (input.credentials) {
    log.addSecret(input.credentials.password);
    await credentials.set(origin, input.credentials);
  } else {
    await credentials.clear(origin);
  }
  connection.reset();
  log.info(`[server] server set to ${input.baseUrl} (${input.credentials ? `user ${input.credentials.username}` : 'no login'})`);
  const inUse = connection.baseUrlIfValid();
  if (inUse !== undefined && inUse !== input.baseUrl) {
    // Only when the user allowed this workspace's own server (ServerTrust): it still wins.
    void vscode.window.showWarningMessage(`This workspace's sdStudio.serverUrl (${inUse}), which you allowed, takes precedence over the URL you entered in your user settings.`);
  }
  return { status: 'saved', origin, connection: await testConnection(services) };
}

export async function testConnection(services: ServerCommandServices): Promise<ConnectionOutcome> {
  const { connection, statusBar, log } = services;
  let origin = '';
  try {
    const client = await connection.client();
    origin = client.origin;
    statusBar.setServer(origin);
    const [options, models] = await Promise.all([client.getOptions(), client.listModels()]);
    const model = typeof options.sd_model_checkpoint === 'string' ? options.sd_model_checkpoint : '';
    statusBar.setModel(origin, model);
    const login = client.hasCredentials ? 'signed in' : 'no login';
    log.info(`[server] connected to ${origin} (${login}); model ${model}; ${models.length} models`);
    void vscode.window.showInformationMessage(
      `Connected to ${origin} (${login}): model ${shortModelName(model) || 'unknown'}, ${models.length} model${models.length === 1 ? '' : 's'} available.`,
    );
    return { status: 'connected', origin, model, modelCount: models.length, authenticated: client.hasCredentials };
  } catch (error) {
    if (origin) statusBar.setDisconnected(origin, error instanceof Error ? error.message : String(error));
    return showError(error, log, errorActions(services), 'test connection');
  }
}

export async function clearCredentials(services: ServerCommandServices): Promise<{ status: 'cleared'; origin: string } | FailureOutcome> {
  try {
    const origin = originOf(services.connection.baseUrl());
    await services.credentials.clear(origin);
    services.connection.reset();
    services.log.info(`[server] cleared the credentials of ${origin}`);
    void vscode.window.showInformationMessage(`Removed the stored username and password for ${origin}.`);
    return { status: 'cleared', origin };
  } catch (error) {
    return showError(error, services.log, errorActions(services), 'clear credentials');
  }
}
