// Which servers of a pool take part in a job, and in what order: the ones that answer and have
// the requested model, least busy first (our own queue there, then the server's own job). A
// server that did not answer is left out for a while, across jobs. No `vscode` here.

import * as l10n from '@vscode/l10n';
import type { SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import { findModel, shortModelName } from '../sdapi/modelNames';
import type { ServerIdentity } from '../sdapi/probe';
import type { SdModel } from '../sdapi/types';
import { runningJob } from './serverJob';

/** A named server of the pool (the active server first). */
export interface PoolMember {
  name: string;
  client: SdApiClient;
}

/** A member that takes part: the checkpoint to ask it for (its own title of the requested model). */
export interface ReadyMember extends PoolMember {
  checkpoint: string | undefined;
}

/** After a member did not answer, jobs leave it out this long before they try it again. */
export const DOWN_MS = 15_000;

/** Members that did not answer recently; a timestamp, not a timer, so nothing is left running. */
export class PoolHealth {
  private readonly downSince = new Map<string, number>();

  constructor(
    private readonly downMs = DOWN_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  markDown(origin: string): void {
    this.downSince.set(origin, this.now());
  }

  isDown(origin: string): boolean {
    const since = this.downSince.get(origin);
    if (since === undefined) return false;
    if (this.now() - since < this.downMs) return true;
    this.downSince.delete(origin);
    return false;
  }
}

/** A failure that says the member is gone (rather than that it refused this request). */
export function isDownError(error: unknown): boolean {
  return error instanceof SdApiError && ['unreachable', 'unknownHost', 'connectionLost', 'timeout', 'tls', 'gateway'].includes(error.kind);
}

export interface ChooseDeps {
  identity(client: SdApiClient): Promise<ServerIdentity>;
  /** Our jobs running or waiting on that server. */
  queued(origin: string): number;
  health: PoolHealth;
}

export interface ChosenMembers {
  ready: ReadyMember[];
  /** One sentence per member left out, for the user. */
  skipped: string[];
}

/**
 * The members that can make the request, best first. The model is the request's checkpoint, or
 * else the one the first answering member has loaded: every part is made with the same model.
 */
export async function chooseMembers(members: readonly PoolMember[], checkpoint: string | undefined, deps: ChooseDeps): Promise<ChosenMembers> {
  const skipped: string[] = [];
  const answering = (
    await Promise.all(
      members.map(async (member) => {
        if (deps.health.isDown(member.client.origin)) {
          skipped.push(l10n.t('"{0}" did not answer a moment ago: left out of this job.', member.name));
          return undefined;
        }
        try {
          const [identity, models] = await Promise.all([deps.identity(member.client), member.client.listModels()]);
          return { member, identity, models };
        } catch (error) {
          if (isDownError(error)) deps.health.markDown(member.client.origin);
          skipped.push(l10n.t('"{0}" is left out of this job: {1}', member.name, error instanceof SdApiError ? error.message : String(error)));
          return undefined;
        }
      }),
    )
  ).filter((found) => found !== undefined);
  const first = answering[0];
  if (!first) return { ready: [], skipped };
  const wanted = checkpoint ?? (await loadedModel(first.member.client, first.models));
  const ready: (ReadyMember & { busy: number })[] = [];
  for (const { member, identity, models } of answering) {
    const model = wanted === undefined ? undefined : (findModel(models, wanted) ?? models.find((m) => shortModelName(m.title) === shortModelName(wanted)));
    if (wanted !== undefined && !model) {
      skipped.push(l10n.t('"{0}" has no model "{1}": left out of this job.', member.name, shortModelName(wanted)));
      continue;
    }
    const queued = deps.queued(member.client.origin);
    // Idle first: nothing of ours there, and the server is not busy with someone else's job.
    const othersJob = queued === 0 && identity.capabilities.progress && (await runningJob(member.client)) !== undefined;
    ready.push({ ...member, checkpoint: model?.title, busy: queued * 2 + (othersJob ? 1 : 0) });
  }
  ready.sort((a, b) => a.busy - b.busy);
  return { ready: ready.map(({ busy: _busy, ...member }) => member), skipped };
}

/** The checkpoint a server has loaded, by its own title; undefined when it does not say. */
async function loadedModel(client: SdApiClient, models: readonly SdModel[]): Promise<string | undefined> {
  try {
    const loaded = (await client.getOptions()).sd_model_checkpoint;
    if (typeof loaded === 'string' && loaded) return loaded;
  } catch {
    // A server without /options serves one model: its list says which.
  }
  return models.length === 1 ? models[0]?.title : undefined;
}
