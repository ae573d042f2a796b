import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { ServerProfile, Settings } from '../platform/settings';
import { originOf } from '../sdapi/baseUrl';
import type { FailureOutcome, FailureReporter } from '../ui/failures';
import type { Log } from '../platform/log';

export type PoolOutcome = { status: 'done'; members: string[]; inUse: boolean } | { status: 'cancelled' } | FailureOutcome;

/**
 * Which named servers work together (sdStudio.servers[].pool) and whether jobs go to them all
 * (sdStudio.usePool). The jobs themselves are spread by generation/poolJob.ts; the server in use
 * stays one of the members, so the panel's lists and the model come from it.
 */
export class ServerPool {
  constructor(private readonly deps: { settings: Settings; log: Log; failures: FailureReporter }) {}

  members(): ServerProfile[] {
    return this.deps.settings.serverProfiles.filter((profile) => profile.pool === true);
  }

  /** Jobs are spread: the user chose the pool and it has two members or more. */
  get inUse(): boolean {
    return this.deps.settings.activePool !== undefined;
  }

  /** "Pool: Local 4090 + Team space", for the status bar, Select Server… and the panel. */
  label(): string {
    return vscode.l10n.t(
      'Pool: {0}',
      this.members()
        .map((member) => member.name)
        .join(' + '),
    );
  }

  /** Makes exactly these servers the pool; with two or more it is used at once. */
  async setMembers(names: readonly string[]): Promise<PoolOutcome> {
    try {
      const { settings } = this.deps;
      const profiles = settings.serverProfiles;
      const unknown = names.find((name) => !profiles.some((profile) => profile.name === name));
      if (unknown !== undefined) throw new UserError(vscode.l10n.t('There is no server named "{0}": run Select Server… to see them.', unknown));
      const chosen = profiles.filter((profile) => names.includes(profile.name));
      for (const [i, a] of chosen.entries()) {
        const twin = chosen.slice(i + 1).find((b) => originOf(b.url) === originOf(a.url));
        // One server twice would only queue behind itself.
        if (twin)
          throw new UserError(vscode.l10n.t('"{0}" and "{1}" are the same server ({2}): a pool needs different servers.', a.name, twin.name, originOf(a.url)));
      }
      await settings.setServerProfiles(profiles.map(({ pool: _pool, ...profile }) => (names.includes(profile.name) ? { ...profile, pool: true } : profile)));
      this.deps.log.info(`[server] pool: ${chosen.map((p) => `"${p.name}"`).join(', ') || 'none'}`);
      return await this.use(chosen.length >= 2);
    } catch (error) {
      return this.deps.failures.notify(error, 'edit pool');
    }
  }

  /** Turns the pool on (its first member becomes the server in use unless one already is) or off. */
  async use(on: boolean): Promise<PoolOutcome> {
    try {
      const { settings } = this.deps;
      const members = this.members();
      if (on && members.length < 2) throw new UserError(vscode.l10n.t('A pool needs two servers or more: run Edit Server Pool… to choose them.'));
      if (on && !members.some((member) => member.url === settings.serverUrlSources.user)) await settings.setServerUrl(members[0]!.url);
      await settings.setUsePool(on);
      return { status: 'done', members: members.map((member) => member.name), inUse: on };
    } catch (error) {
      return this.deps.failures.notify(error, 'use pool');
    }
  }

  /** Edit Server Pool…: tick the servers that work together. */
  async askEdit(): Promise<PoolOutcome> {
    const profiles = this.deps.settings.serverProfiles;
    if (profiles.length < 2) {
      void vscode.window.showInformationMessage(vscode.l10n.t('A pool needs two named servers or more: run Add Server… first.'));
      return { status: 'cancelled' };
    }
    const picked = await vscode.window.showQuickPick(
      profiles.map((profile) => ({ label: profile.name, description: profile.url, picked: profile.pool === true })),
      {
        canPickMany: true,
        title: vscode.l10n.t('Edit Server Pool'),
        placeHolder: vscode.l10n.t('The servers that share the work: each needs the model you use'),
      },
    );
    return picked ? this.setMembers(picked.map((item) => item.label)) : { status: 'cancelled' };
  }
}
