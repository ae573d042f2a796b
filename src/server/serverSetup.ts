import * as vscode from 'vscode';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import { originOf } from '../sdapi/baseUrl';
import { shortModelName } from '../sdapi/modelNames';
import type { FailureOutcome, FailureReporter } from '../ui/failures';
import type { ModelStatusBar } from '../ui/statusBar';
import type { ServerConnection } from './connection';
import type { CredentialStore } from './credentialStore';
import { askForCredentials, askForServer, type ServerInput } from './serverInput';
import type { ServerTrust } from './serverTrust';

export interface ServerSetupDeps {
  settings: Settings;
  trust: ServerTrust;
  credentials: CredentialStore;
  connection: ServerConnection;
  statusBar: ModelStatusBar;
  log: Log;
  failures: FailureReporter;
}

export type ConnectionOutcome = { status: 'connected'; origin: string; model: string; modelCount: number; authenticated: boolean } | FailureOutcome;

export type SetServerOutcome = { status: 'saved'; origin: string; connection: ConnectionOutcome } | { status: 'cancelled' } | FailureOutcome;

/** Set Server…, Test Connection and Clear Credentials: the user's server and login. */
export class ServerSetup {
  constructor(private readonly deps: ServerSetupDeps) {}

  /**
   * Asks for the user's own server (URL prefilled with it, never with a workspace's) and login;
   * with `credentialsOnly`, only for the login of the server requests go to now.
   */
  async setServer(credentialsOnly = false): Promise<SetServerOutcome> {
    const { trust, credentials, failures } = this.deps;
    try {
      if (credentialsOnly) {
        const baseUrl = await this.deps.connection.chooseServer();
        const entered = await askForCredentials(baseUrl, (origin) => credentials.get(origin));
        if (entered === undefined) return { status: 'cancelled' };
        return await this.saveCredentials(baseUrl, entered === 'none' ? undefined : entered);
      }
      const input = await askForServer(trust.ownUrl(), (origin) => credentials.get(origin));
      return input ? await this.apply(input) : { status: 'cancelled' };
    } catch (error) {
      return failures.notify(error, 'set server');
    }
  }

  /** Saves the URL as the user's setting and the login in secret storage, then tests the connection. */
  async apply(input: ServerInput): Promise<SetServerOutcome> {
    const { settings, connection, log } = this.deps;
    await settings.setServerUrl(input.baseUrl);
    log.info(`[server] server set to ${input.baseUrl}`);
    const inUse = connection.baseUrlIfValid();
    if (inUse !== undefined && inUse !== input.baseUrl) {
      // Only when the user allowed this workspace's own server (ServerTrust): it still wins.
      void vscode.window.showWarningMessage(
        `This workspace's sdStudio.serverUrl (${inUse}), which you allowed, takes precedence over the URL you entered in your user settings.`,
      );
    }
    return this.saveCredentials(input.baseUrl, input.credentials);
  }

  async testConnection(): Promise<ConnectionOutcome> {
    const { connection, statusBar, log, failures } = this.deps;
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
      return failures.notify(error, 'test connection');
    }
  }

  async clearCredentials(): Promise<{ status: 'cleared'; origin: string } | FailureOutcome> {
    const { connection, credentials, log, failures } = this.deps;
    try {
      const origin = originOf(connection.baseUrl());
      await credentials.clear(origin);
      connection.reset();
      log.info(`[server] cleared the credentials of ${origin}`);
      void vscode.window.showInformationMessage(`Removed the stored username and password for ${origin}.`);
      return { status: 'cleared', origin };
    } catch (error) {
      return failures.notify(error, 'clear credentials');
    }
  }

  private async saveCredentials(baseUrl: string, login: ServerInput['credentials']): Promise<SetServerOutcome> {
    const { credentials, connection, log } = this.deps;
    const origin = originOf(baseUrl);
    if (login) {
      log.addSecret(login.password);
      await credentials.set(origin, login);
    } else {
      await credentials.clear(origin);
    }
    connection.reset();
    log.info(`[server] login for ${origin}: ${login ? `user ${login.username}` : 'none'}`);
    return { status: 'saved', origin, connection: await this.testConnection() };
  }
}
