import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import { isLoopbackHost, normalizeBaseUrl } from '../sdapi/baseUrl';

const WORKSPACE_DECISION = 'sdStudio.workspaceServerDecision';
const WARNED_HTTP_HOSTS = 'sdStudio.warnedPlainHttpHosts';

interface Decision {
  url: string;
  allowed: boolean;
}

/**
 * Guards where prompts, images and credentials go. A workspace (a cloned repository) may set
 * its own server URL: it is used only after the user agreed, once per workspace and URL;
 * otherwise the user's own server is used. (In untrusted workspaces VS Code ignores the
 * workspace value altogether: `restrictedConfigurations` in package.json.) Credentials sent
 * over plain http to another machine are warned about once per host.
 *
 * This is the only reader of the server URL: every request, credential lookup and prompt goes
 * through currentBaseUrl(), baseUrl() or ownUrl(), so a declined workspace URL is never used.
 */
export class ServerTrust implements vscode.Disposable {
  private readonly decided = new vscode.EventEmitter<void>();
  /** Fires when the user answered the workspace's server question (currentBaseUrl() may change). */
  readonly onDidDecide = this.decided.event;

  constructor(
    private readonly settings: Settings,
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
    private readonly log: Log,
  ) {}

  /** The user's own URL as they wrote it (user settings or the default): what Set Server… offers to edit. */
  ownUrl(): string {
    return this.settings.serverUrlSources.user;
  }

  /** The user's own server, normalised (a UserError when the setting is not a URL). */
  ownBaseUrl(): string {
    return normalizeSetting(this.settings.serverUrlSources.user);
  }

  /** Where requests go now without asking: the user's server until a workspace's one is allowed. */
  currentBaseUrl(): string {
    const { user, workspace } = this.settings.serverUrlSources;
    const own = normalizeSetting(user);
    if (workspace === undefined) return own;
    const theirs = normalizeSetting(workspace);
    const decided = this.workspaceState.get<Decision>(WORKSPACE_DECISION);
    return decided?.url === theirs && decided.allowed ? theirs : own;
  }

  /** The base URL requests may go to now (asks the user when a workspace wants another server). */
  async baseUrl(): Promise<string> {
    const { user, workspace } = this.settings.serverUrlSources;
    const own = normalizeSetting(user);
    if (workspace === undefined) return own;
    const theirs = normalizeSetting(workspace);
    if (theirs === own) return own;
    const decided = this.workspaceState.get<Decision>(WORKSPACE_DECISION);
    if (decided?.url === theirs) return decided.allowed ? theirs : own;
    const useTheirs = vscode.l10n.t('Use Workspace Server');
    const useOwn = vscode.l10n.t('Use My Server');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('This workspace sets the Stable Diffusion server to {0} (yours is {1}).', theirs, own),
      {
        modal: true,
        detail: vscode.l10n.t('Prompts, images and any login stored for {0} would be sent there. Only allow servers you trust.', new URL(theirs).origin),
      },
      useTheirs,
      useOwn,
    );
    if (choice === undefined) throw new UserError(vscode.l10n.t("No server chosen: run the command again and pick the workspace's server or yours."));
    await this.workspaceState.update(WORKSPACE_DECISION, { url: theirs, allowed: choice === useTheirs } satisfies Decision);
    this.log.info(`[trust] workspace server ${theirs}: ${choice === useTheirs ? 'allowed' : "declined, using the user's server"}`);
    this.decided.fire();
    return choice === useTheirs ? theirs : own;
  }

  /** Once per host: credentials over plain http to another machine travel readable. */
  warnPlainHttp(baseUrl: string): void {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' || isLoopbackHost(baseUrl)) return;
    const warned = this.globalState.get<string[]>(WARNED_HTTP_HOSTS, []);
    if (warned.includes(url.host)) return;
    void this.globalState.update(WARNED_HTTP_HOSTS, [...warned, url.host]);
    this.log.warn(`[trust] sending credentials over plain http to ${url.host}`);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} uses plain http: your password and images travel unencrypted. Prefer an https address for servers outside this computer or a trusted network.',
        url.host,
      ),
    );
  }

  dispose(): void {
    this.decided.dispose();
  }
}

/** normalizeBaseUrl for a value of the sdStudio.serverUrl setting (errors name the setting). */
export function normalizeSetting(url: string): string {
  try {
    return normalizeBaseUrl(url);
  } catch (error) {
    throw new UserError(vscode.l10n.t('{0} (setting sdStudio.serverUrl).', (error as Error).message.replace(/\.$/, '')), true);
  }
}
