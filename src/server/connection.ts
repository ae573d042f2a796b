import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import { normalizeBaseUrl, originOf } from '../sdapi/baseUrl';
import { SdApiClient } from '../sdapi/client';
import { createDispatcher, type DispatcherOptions } from '../sdapi/http';
import { describeProxy, proxyFor } from '../sdapi/proxy';
import { describeCapabilities, type ServerIdentity } from '../sdapi/probe';
import type { SamplerCatalog } from '../sdapi/samplers';
import type { CredentialStore } from './credentialStore';
import type { ServerTrust } from './serverTrust';

const MAX_AGENTS = 8;

/**
 * Hands out API clients for the configured server with the credentials stored for its origin,
 * over one keep-alive agent, and caches what rarely changes (the sampler catalog).
 */
export class ServerConnection implements vscode.Disposable {
  /**
   * Keep-alive agents by what they were made for (timeouts, proxy, certificates): the servers of
   * a pool may need different ones at the same time; a change of settings makes new ones.
   */
  private readonly agents = new Map<string, ReturnType<typeof createDispatcher>>();
  private readonly catalogs = new Map<string, Promise<SamplerCatalog>>();
  private readonly identities = new Map<string, Promise<ServerIdentity>>();

  constructor(
    private readonly settings: Settings,
    private readonly credentials: CredentialStore,
    private readonly trust: ServerTrust,
    private readonly log: Log,
  ) {}

  /** Where requests go now, without asking (see ServerTrust); a UserError when the setting is not a URL. */
  baseUrl(): string {
    return this.trust.currentBaseUrl();
  }

  /** baseUrl(), or undefined while a setting is not a URL (for display and comparisons). */
  baseUrlIfValid(): string | undefined {
    try {
      return this.baseUrl();
    } catch {
      return undefined;
    }
  }

  /**
   * The base URL requests will go to, asking the user first when a workspace sets its own
   * server: surfaces call it before they show progress, so the question is not hidden behind it.
   */
  chooseServer(): Promise<string> {
    return this.trust.baseUrl();
  }

  async client(): Promise<SdApiClient> {
    return this.clientFor(await this.trust.baseUrl());
  }

  /**
   * A client for where requests go now, without asking about a workspace's server: for what the
   * user did not start (completion), which must not pop up a question.
   */
  quietClient(): Promise<SdApiClient> {
    return this.clientFor(this.trust.currentBaseUrl());
  }

  /**
   * The servers of the pool in use, the server in use first, each with the login of its own
   * origin; undefined when one server is used (no pool chosen, or a workspace's own server).
   */
  async poolMembers(): Promise<{ name: string; client: SdApiClient }[] | undefined> {
    const members = this.settings.activePool;
    if (!members) return undefined;
    const inUse = await this.trust.baseUrl();
    if (inUse !== this.trust.ownBaseUrl()) return undefined;
    const ordered = [...members].sort((a, b) => Number(normalizeBaseUrl(b.url) === inUse) - Number(normalizeBaseUrl(a.url) === inUse));
    return Promise.all(ordered.map(async (member) => ({ name: member.name, client: await this.clientFor(normalizeBaseUrl(member.url)) })));
  }

  private async clientFor(baseUrl: string): Promise<SdApiClient> {
    const credentials = await this.credentials.get(originOf(baseUrl));
    if (credentials) {
      this.log.addSecret(credentials.password);
      this.trust.warnPlainHttp(baseUrl);
    }
    const timeouts = this.settings.timeouts;
    const proxyUri = proxyFor(baseUrl, this.settings.proxy);
    const proxy = proxyUri ? { uri: proxyUri, strictSsl: this.settings.proxyStrictSsl } : undefined;
    return new SdApiClient({
      baseUrl,
      credentials,
      proxy: proxyUri && describeProxy(proxyUri),
      dispatcher: this.dispatcher({ connectSeconds: timeouts.connectSeconds, ca: await this.extraCertificates(), proxy }),
      timeouts,
      maxResponseBytes: this.settings.maxResponseBytes,
      trace: (line) => this.log.debug(`[http] ${line}`),
    });
  }

  /**
   * The model the user chose on the named server in use (sdStudio.servers[].model): requests
   * ask for it, for that request only, so a shared server's model changed by someone else, or
   * one restarted with its default, still makes ours. Not for a workspace's own server.
   */
  rememberedModel(): string | undefined {
    const inUse = this.baseUrlIfValid();
    if (inUse === undefined || inUse !== this.ownBaseUrlIfValid()) return undefined;
    return this.settings.serverProfiles.find((profile) => normalizeBaseUrl(profile.url) === inUse)?.model;
  }

  /** Remembers the model chosen on a named server (nothing for an unnamed or a workspace's server). */
  async rememberModel(client: SdApiClient, title: string): Promise<void> {
    if (client.baseUrl !== this.ownBaseUrlIfValid()) return;
    const profiles = this.settings.serverProfiles;
    if (!profiles.some((profile) => normalizeBaseUrl(profile.url) === client.baseUrl && profile.model !== title)) return;
    await this.settings.setServerProfiles(
      profiles.map((profile) => (normalizeBaseUrl(profile.url) === client.baseUrl ? { ...profile, model: title } : profile)),
    );
  }

  private ownBaseUrlIfValid(): string | undefined {
    try {
      return this.trust.ownBaseUrl();
    } catch {
      return undefined;
    }
  }

  /** Samplers and schedulers of the server, fetched once per server and credentials. */
  samplerCatalog(client: SdApiClient): Promise<SamplerCatalog> {
    const key = `${client.baseUrl} ${client.hasCredentials}`;
    let catalog = this.catalogs.get(key);
    if (!catalog) {
      catalog = client.samplerCatalog();
      this.catalogs.set(key, catalog);
      catalog.catch(() => this.catalogs.delete(key));
    }
    return catalog;
  }

  /** What the server is and offers, probed once per server and credentials (Test Connection probes again). */
  identity(client: SdApiClient, fresh = false): Promise<ServerIdentity> {
    const key = `${client.baseUrl} ${client.hasCredentials}`;
    let identity = fresh ? undefined : this.identities.get(key);
    if (!identity) {
      identity = client.probe();
      this.identities.set(key, identity);
      identity.then(
        (found) => this.log.info(`[server] ${client.origin} is ${found.name}: ${describeCapabilities(found.capabilities)}`),
        () => this.identities.delete(key),
      );
    }
    return identity;
  }

  /** Forget cached server facts (after the URL or credentials changed). */
  reset(): void {
    this.catalogs.clear();
    this.identities.clear();
  }

  dispose(): void {
    for (const agent of this.agents.values()) void agent.destroy();
    this.agents.clear();
  }

  private dispatcher(options: DispatcherOptions): ReturnType<typeof createDispatcher> {
    const key = JSON.stringify(options);
    let agent = this.agents.get(key);
    if (!agent) {
      // Settings changed more often than a pool has members: close the oldest (requests on it finish first).
      const oldest = this.agents.keys().next();
      if (this.agents.size >= MAX_AGENTS && !oldest.done) {
        void this.agents.get(oldest.value)?.close();
        this.agents.delete(oldest.value);
      }
      agent = createDispatcher(options);
      this.agents.set(key, agent);
      if (options.proxy) this.log.info(`[http] through the proxy ${describeProxy(options.proxy.uri)}`);
    }
    return agent;
  }

  /** sdStudio.tls.caFile: extra trusted certificates (PEM) for a server with its own certificate authority. */
  private async extraCertificates(): Promise<string | undefined> {
    const file = this.settings.caFile.trim();
    if (!file) return undefined;
    try {
      return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(file))).toString('utf8');
    } catch {
      throw new UserError(vscode.l10n.t('The certificate file {0} (sdStudio.tls.caFile) could not be read: check the path.', file));
    }
  }
}
