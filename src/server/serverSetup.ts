import * as vscode from 'vscode';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import { originOf } from '../sdapi/baseUrl';
import { CAPABILITY_NAMES, MODEL_FAMILY_CAPABILITIES, type ServerCapabilities } from '../sdapi/probe';
import { shortModelName } from '../sdapi/modelNames';
import type { FailureOutcome, FailureReporter } from '../ui/failures';
import type { ModelStatusBar } from '../ui/statusBar';
import type { Onboarding } from '../ui/onboarding';
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
  /** Told when a connection test passes (the walkthrough's step). */
  onboarding: Pick<Onboarding, 'reach'>;
}

export type ConnectionOutcome =
  | {
      status: 'connected';
      origin: string;
      model: string;
      modelCount: number;
      authenticated: boolean;
      /** What the probe found: the kind for people, and what this server does not offer. */
      server: string;
      lacks: (keyof ServerCapabilities)[];
    }
  | FailureOutcome;

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
        vscode.l10n.t("This workspace's sdStudio.serverUrl ({0}), which you allowed, takes precedence over the URL you entered in your user settings.", inUse),
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
      const [options, models, identity] = await Promise.all([client.getOptions(), client.listModels(), connection.identity(client, true)]);
      const model = typeof options.sd_model_checkpoint === 'string' ? options.sd_model_checkpoint : '';
      statusBar.setModel(origin, model);
      const login = client.hasCredentials ? vscode.l10n.t('signed in') : vscode.l10n.t('no login');
      const lacks = CAPABILITY_NAMES.filter((name) => !identity.capabilities[name] && !MODEL_FAMILY_CAPABILITIES.has(name));
      log.info(`[server] connected to ${origin} (${login}); ${identity.name}; model ${model}; ${models.length} models`);
      const connected =
        models.length === 1
          ? vscode.l10n.t('Connected to {0} ({1}): {2}, model {3}, 1 model available.', origin, login, identity.name, shortModelName(model) || '?')
          : vscode.l10n.t(
              'Connected to {0} ({1}): {2}, model {3}, {4} models available.',
              origin,
              login,
              identity.name,
              shortModelName(model) || '?',
              models.length,
            );
      const missing = lacks.length > 0 ? ` ${vscode.l10n.t('Not on this server: {0}.', lacks.map(capabilityLabel).join(', '))}` : '';
      // A toast with a button shows its whole text; without one, a long line is cut.
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showInformationMessage(`${connected}${missing}`, ...(missing ? [showLog] : [])).then((choice) => {
        if (choice === showLog) log.show();
      });
      void this.deps.onboarding.reach('connectionTested');
      return { status: 'connected', origin, model, modelCount: models.length, authenticated: client.hasCredentials, server: identity.name, lacks };
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
      void vscode.window.showInformationMessage(vscode.l10n.t('Removed the stored username and password for {0}.', origin));
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

/** A capability as a user knows it (Test Connection's "Not on this server: …"). */
function capabilityLabel(name: keyof ServerCapabilities): string {
  switch (name) {
    case 'schedulers':
      return vscode.l10n.t('schedulers');
    case 'progress':
      return vscode.l10n.t('progress reports');
    case 'interrupt':
      return vscode.l10n.t('stopping a running job');
    case 'modelSwitch':
      return vscode.l10n.t('switching models');
    case 'reportsSeeds':
      return vscode.l10n.t('reporting seeds (the extension chooses them)');
    case 'taskProgress':
      return vscode.l10n.t('following your own job on a shared server');
    case 'upscalers':
      return vscode.l10n.t('upscalers');
    case 'upscale':
      return vscode.l10n.t('upscaling an image');
    case 'hiresFix':
      return vscode.l10n.t('hires fix');
    case 'tiling':
      return vscode.l10n.t('tiling');
    case 'overrideSettings':
      return vscode.l10n.t('options per request (CLIP skip)');
    case 'vae':
      return vscode.l10n.t('choosing a VAE');
    case 'refiner':
      return vscode.l10n.t('refiner');
    case 'distilledCfg':
      return vscode.l10n.t('distilled CFG scale (Flux)');
    case 'loras':
      return vscode.l10n.t('LoRA list');
    case 'embeddings':
      return vscode.l10n.t('embeddings list');
    case 'styles':
      return vscode.l10n.t('styles');
    case 'pngInfo':
      return vscode.l10n.t('reading image parameters');
    case 'interrogate':
      return vscode.l10n.t('describing images');
    case 'controlnet':
      return 'ControlNet';
    case 'rembg':
      return vscode.l10n.t('background removal (rembg)');
  }
}
