import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { ServerProfile } from '../platform/settings';
import { normalizeBaseUrl, originOf } from '../sdapi/baseUrl';
import type { FailureOutcome } from '../ui/failures';
import { askForServer, type ServerInput } from './serverInput';
import type { PoolOutcome, ServerPool } from './serverPool';
import type { ConnectionOutcome, ServerSetup, ServerSetupDeps, SetServerOutcome } from './serverSetup';

export type ProfileOutcome =
  { status: 'selected'; name: string; connection: ConnectionOutcome } | { status: 'done' } | { status: 'cancelled' } | FailureOutcome;

/**
 * Named servers (sdStudio.servers in the user's settings; a workspace cannot add any): add,
 * select, rename, remove. The selected one is the user's sdStudio.serverUrl, so the workspace
 * question (ServerTrust) and the login per origin work as for one server. Each method takes its
 * answers as arguments; the `ask…` ones ask the user for them.
 */
export class ServerProfiles {
  constructor(
    private readonly deps: Pick<ServerSetupDeps, 'settings' | 'trust' | 'credentials' | 'connection' | 'log' | 'failures'>,
    private readonly setup: ServerSetup,
    private readonly pool: ServerPool,
  ) {}

  list(): ServerProfile[] {
    return this.deps.settings.serverProfiles;
  }

  /** The profile of the user's server URL, if it has a name. */
  active(): ServerProfile | undefined {
    const own = this.deps.trust.ownUrl();
    return this.list().find((profile) => profile.url === own);
  }

  async add(name: string, input: ServerInput): Promise<SetServerOutcome> {
    try {
      const trimmed = this.checkNewName(name);
      const shared = this.list().find((profile) => originOf(profile.url) === originOf(input.baseUrl));
      await this.deps.settings.setServerProfiles([...this.list(), { name: trimmed, url: input.baseUrl }]);
      this.deps.log.info(`[server] added the server "${trimmed}" (${input.baseUrl})`);
      if (shared) {
        void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has the address of "{1}": they share its login.', trimmed, shared.name));
      }
      return await this.setup.apply(input);
    } catch (error) {
      return this.deps.failures.notify(error, 'add server');
    }
  }

  async select(name: string): Promise<ProfileOutcome> {
    try {
      const profile = this.find(name);
      await this.deps.settings.setServerUrl(profile.url);
      // One server chosen: the pool rests until it is chosen again.
      await this.deps.settings.setUsePool(false);
      this.deps.connection.reset();
      this.deps.log.info(`[server] selected "${profile.name}" (${profile.url})`);
      return { status: 'selected', name: profile.name, connection: await this.setup.testConnection() };
    } catch (error) {
      return this.deps.failures.notify(error, 'select server');
    }
  }

  async rename(name: string, newName: string): Promise<ProfileOutcome> {
    try {
      const profile = this.find(name);
      const trimmed = this.checkNewName(newName, profile);
      await this.deps.settings.setServerProfiles(this.list().map((p) => (p === profile || p.name === profile.name ? { ...p, name: trimmed } : p)));
      return { status: 'done' };
    } catch (error) {
      return this.deps.failures.notify(error, 'rename server');
    }
  }

  /** Forgets the server, and its login unless another named server shares its address. */
  async remove(name: string): Promise<ProfileOutcome> {
    try {
      const profile = this.find(name);
      const rest = this.list().filter((p) => p.name !== profile.name);
      await this.deps.settings.setServerProfiles(rest);
      const origin = originOf(profile.url);
      if (!rest.some((p) => originOf(p.url) === origin)) await this.deps.credentials.clear(origin);
      this.deps.connection.reset();
      this.deps.log.info(`[server] removed "${profile.name}" (${profile.url})`);
      const next = rest[0];
      if (this.deps.trust.ownUrl() === profile.url && next) return await this.select(next.name);
      return { status: 'done' };
    } catch (error) {
      return this.deps.failures.notify(error, 'remove server');
    }
  }

  /** Select Server…: the named servers, the current one marked, and Add Server… (the status bar and the palette). */
  async askSelect(): Promise<ProfileOutcome | SetServerOutcome | PoolOutcome> {
    const own = this.deps.trust.ownUrl();
    const pooled = this.pool.inUse;
    type Item = vscode.QuickPickItem & { run: () => Promise<ProfileOutcome | SetServerOutcome | PoolOutcome> };
    const items: Item[] = this.list().map((profile) => ({
      label: `${profile.url === own && !pooled ? '$(check) ' : ''}${profile.name}`,
      description: profile.url,
      run: () => this.select(profile.name),
    }));
    if (this.pool.members().length >= 2) {
      items.push({
        label: `${pooled ? '$(check) ' : ''}$(server-environment) ${this.pool.label()}`,
        description: vscode.l10n.t('{0} servers share the work', this.pool.members().length),
        run: () => this.pool.use(true),
      });
    }
    if (this.list().length >= 2) items.push({ label: `$(edit) ${vscode.l10n.t('Edit Server Pool…')}`, run: () => this.pool.askEdit() });
    if (!this.active()) {
      items.unshift({
        label: `$(check) ${own}`,
        description: vscode.l10n.t('in use, without a name: choose to name it'),
        run: () => this.askName(own),
      });
    }
    items.push({ label: `$(add) ${vscode.l10n.t('Add Server…')}`, run: () => this.askAdd() });
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Select Server'),
      placeHolder: vscode.l10n.t('The server to generate with'),
    });
    return picked ? picked.run() : { status: 'cancelled' };
  }

  async askAdd(): Promise<SetServerOutcome> {
    const name = await this.askForName(vscode.l10n.t('Add Server (name)'), '');
    if (name === undefined) return { status: 'cancelled' };
    const input = await askForServer('', (origin) => this.deps.credentials.get(origin));
    return input ? this.add(name, input) : { status: 'cancelled' };
  }

  async askRename(): Promise<ProfileOutcome> {
    const profile = await this.pick(vscode.l10n.t('Rename Server'));
    if (!profile) return { status: 'cancelled' };
    const name = await this.askForName(vscode.l10n.t('Rename Server: new name for {0}', profile.name), profile.name, profile);
    return name === undefined ? { status: 'cancelled' } : this.rename(profile.name, name);
  }

  async askRemove(): Promise<ProfileOutcome> {
    const profile = await this.pick(vscode.l10n.t('Remove Server'));
    if (!profile) return { status: 'cancelled' };
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}" ({1})? Its login is forgotten unless another server shares its address.', profile.name, profile.url),
      { modal: true },
      remove,
    );
    return answer === remove ? this.remove(profile.name) : { status: 'cancelled' };
  }

  /** The server in use has no name yet: give it one (its login stays as it is). */
  private async askName(url: string): Promise<ProfileOutcome> {
    const name = await this.askForName(vscode.l10n.t('Name the server {0}', url), '');
    if (name === undefined) return { status: 'cancelled' };
    try {
      await this.deps.settings.setServerProfiles([...this.list(), { name: this.checkNewName(name), url: normalizeBaseUrl(url) }]);
      return { status: 'done' };
    } catch (error) {
      return this.deps.failures.notify(error, 'name server');
    }
  }

  private async pick(title: string): Promise<ServerProfile | undefined> {
    const profiles = this.list();
    if (profiles.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No named servers yet: run Add Server… first.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      profiles.map((profile) => ({ label: profile.name, description: profile.url, profile })),
      { title },
    );
    return picked?.profile;
  }

  private askForName(title: string, value: string, renaming?: ServerProfile): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title,
      value,
      prompt: vscode.l10n.t('A name you will recognise, such as "Local 4090" or "Team space"'),
      validateInput: (text) => {
        try {
          this.checkNewName(text, renaming);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
  }

  private find(name: string): ServerProfile {
    const profile = this.list().find((p) => p.name === name);
    if (!profile) throw new UserError(vscode.l10n.t('There is no server named "{0}": run Select Server… to see them.', name));
    return profile;
  }

  private checkNewName(name: string, renaming?: ServerProfile): string {
    const trimmed = name.trim();
    if (!trimmed) throw new UserError(vscode.l10n.t('The name is empty: give the server a name such as "Local 4090".'));
    const taken = this.list().find((p) => p.name.toLowerCase() === trimmed.toLowerCase() && p.name !== renaming?.name);
    if (taken) throw new UserError(vscode.l10n.t('A server is already named "{0}": choose another name.', taken.name));
    return trimmed;
  }
}
