// One job over the servers of a pool: split into parts with explicit seeds (poolPlan.ts), the
// members that can make it chosen (poolMembers.ts), the parts run on them (poolDispatch.ts) and
// merged back into one generation. No `vscode` here.

import * as l10n from '@vscode/l10n';
import type { Log } from '../platform/log';
import type { SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import type { ServerIdentity } from '../sdapi/probe';
import type { JobQueue } from './jobQueue';
import { dispatchParts } from './poolDispatch';
import { chooseMembers, type PoolHealth, type PoolMember, type ReadyMember } from './poolMembers';
import { explicitSeed, planParts, type PoolPart } from './poolPlan';
import type { CompletedGeneration, GenerationHooks, GenerationRequest, GenerationUpdate } from './request';

export interface PoolJob {
  request: GenerationRequest;
  hooks: GenerationHooks;
  members: readonly PoolMember[];
  signal: AbortSignal;
}

export interface PoolJobDeps {
  identity: (client: SdApiClient) => Promise<ServerIdentity>;
  queue: JobQueue;
  health: PoolHealth;
  log: Log;
  notify(note: string): void;
  /** The single-server path for one part. */
  runPart(
    client: SdApiClient,
    request: GenerationRequest,
    onUpdate: (update: GenerationUpdate) => void,
    notify: (note: string) => void,
  ): Promise<CompletedGeneration>;
  onStarted: () => void;
}

export async function runOnPool({ request, hooks, members, signal }: PoolJob, deps: PoolJobDeps): Promise<CompletedGeneration> {
  const said = new Set<string>();
  const notify = (note: string) => {
    if (said.has(note)) return; // once per job, not once per part
    said.add(note);
    deps.log.warn(`[pool] ${note}`);
    deps.notify(note);
  };
  hooks.onUpdate({ message: l10n.t('Choosing servers…') });
  const { ready, skipped } = await chooseMembers(members, request.checkpoint, {
    identity: deps.identity,
    queued: (origin) => deps.queue.size(origin),
    health: deps.health,
  });
  skipped.forEach(notify);
  if (signal.aborted) throw new SdApiError('aborted', l10n.t('The generation was cancelled.'));
  if (ready.length === 0) throw new SdApiError('unreachable', l10n.t('No server of the pool can take this job. {0}', skipped.join(' ')));
  const { parameters } = request;
  const parts = planParts({
    batchSize: parameters.batchSize,
    batchCount: parameters.batchCount,
    seed: explicitSeed(parameters.seed),
    ...(request.variationStrength !== undefined ? { subseed: explicitSeed(request.variationSeed ?? -1) } : {}),
    members: ready.length,
  });
  deps.log.info(`[pool] ${parts.length} part(s) over ${ready.map((member) => `"${member.name}"`).join(', ')}`);
  const results = await dispatchParts({
    parts,
    members: ready,
    queue: deps.queue,
    health: deps.health,
    signal,
    runPart: (member, part, onUpdate) => deps.runPart(member.client, partRequest(request, part, member), onUpdate, notify),
    deliver: (done, part) => hooks.onPart?.(done, part.firstImage) ?? Promise.resolve(),
    onUpdate: hooks.onUpdate,
    onStarted: deps.onStarted,
    notify,
  });
  return mergeParts(results);
}

/** One part of a pool job: its images and seeds, with the member's own title of the model. */
function partRequest(request: GenerationRequest, part: PoolPart, member: ReadyMember): GenerationRequest {
  return {
    ...request,
    parameters: { ...request.parameters, seed: part.seed, batchSize: part.images, batchCount: 1 },
    ...(member.checkpoint ? { checkpoint: member.checkpoint } : {}),
    ...(part.subseed !== undefined ? { variationSeed: part.subseed } : {}),
  };
}

/** The parts of a pool job as one generation (the images in seed order). */
function mergeParts(parts: readonly CompletedGeneration[]): CompletedGeneration {
  const [first] = parts;
  if (!first) throw new SdApiError('noImages', l10n.t('The pool made no images.'));
  const images = parts.flatMap((part) => part.result.images);
  return { ...first, result: { ...first.result, images }, parameters: { ...first.parameters, batch_size: images.length, n_iter: 1 } };
}
