// One job's life on the server: queue, sampler resolution, request, cancel (progress is
// watched by progressWatch.ts). No `vscode` here: unit-tested against the local server.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { toBase64 } from '../image/format';
import type { Log } from '../platform/log';
import type { SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import type { ServerIdentity } from '../sdapi/probe';
import { resolveSampler } from '../sdapi/samplers';
import type { GenerationParameters } from '../sdapi/types';
import type { SamplerCatalog } from '../sdapi/samplers';
import { Emitter, type Subscription } from './emitter';
import { JobQueue } from './jobQueue';
import { img2imgPayload, txt2imgPayload } from './payload';
import { requestExtras } from './requestExtras';
import type { CompletedGeneration, GenerationHooks, GenerationRequest, Img2ImgOptions, JobInfo, SourceImage } from './request';
import { describeWaiting } from './progressText';
import { pollProgress, pollTaskProgress, receivingReporter, type GenerationUpdate } from './progressWatch';
import { runOnPool, type PoolJobDeps } from './poolJob';
import { PoolHealth, type PoolMember } from './poolMembers';
import { explicitSeed } from './poolPlan';
import { maskInput } from './inpaintMask';
import { withGenerationSize } from './outputSize';
import { refuseWithoutRembg, withoutBackgrounds } from './backgroundRemoval';
import { cancelOnServer, checkResult, runningJob } from './serverJob';

/** Where requests go: server/connection.ts in the extension, a plain client in tests. */
export interface ServerAccess {
  client(): Promise<SdApiClient>;
  /** Samplers and schedulers of the server (cached by the implementation). */
  samplerCatalog(client: SdApiClient): Promise<SamplerCatalog>;
  /** What the server is and offers (sdapi/probe.ts; cached by the implementation). */
  identity(client: SdApiClient): Promise<ServerIdentity>;
  /** The servers of the pool in use (the active one first), or undefined when one server is used. */
  poolMembers?(): Promise<PoolMember[] | undefined>;
}

export type { CompletedGeneration, GenerationHooks, GenerationRequest, GenerationUpdate, Img2ImgOptions, JobInfo, PoolMember, SourceImage };

interface Job {
  info: JobInfo;
  controller: AbortController;
}

/**
 * Runs generations on the configured server: each waits its turn in the queue, the sampler is
 * translated for this server, progress is polled, and cancelling stops the server's job and the
 * request. Lists our jobs (queued and running) for the UI.
 */
export class GenerationService {
  private readonly queue = new JobQueue();
  private readonly jobs = new Map<string, Job>();
  private readonly changed = new Emitter<readonly JobInfo[]>();
  private readonly progressed = new Emitter<{ jobId: string; update: GenerationUpdate }>();
  private nextId = 1;

  constructor(
    private readonly connection: ServerAccess,
    private readonly log: Log,
    /** Tells the user something that needs no answer. */
    private readonly notify: (message: string) => void = () => undefined,
    /** Which pool members did not answer lately (shared by every job). */
    private readonly health = new PoolHealth(),
  ) {}

  /** What a pool job needs of this service (poolJob.ts). */
  private get poolDeps(): Omit<PoolJobDeps, 'runPart' | 'onStarted'> {
    return { identity: (client) => this.connection.identity(client), queue: this.queue, health: this.health, log: this.log, notify: this.notify };
  }

  get busy(): boolean {
    return this.jobs.size > 0;
  }

  /** Our jobs, oldest first. */
  listJobs(): JobInfo[] {
    return [...this.jobs.values()].map((job) => ({ ...job.info }));
  }

  onDidChangeJobs(listener: (jobs: readonly JobInfo[]) => void): Subscription {
    return this.changed.on(listener);
  }

  /** Progress of every job, whoever started it (the panel shows command-started jobs too). */
  onDidProgress(listener: (event: { jobId: string; update: GenerationUpdate }) => void): Subscription {
    return this.progressed.on(listener);
  }

  async generate(request: GenerationRequest, hooks: GenerationHooks): Promise<CompletedGeneration> {
    if (hooks.signal.aborted) throw cancelled();
    const job: Job = { info: { id: `job-${this.nextId++}`, prompt: request.prompt, state: 'queued' }, controller: new AbortController() };
    const caller = hooks;
    hooks = {
      ...caller,
      onUpdate: (update) => {
        caller.onUpdate(update);
        this.progressed.fire({ jobId: job.info.id, update });
      },
    };
    const onCancel = () => job.controller.abort();
    hooks.signal.addEventListener('abort', onCancel, { once: true });
    this.jobs.set(job.info.id, job);
    hooks.onJob?.(job.info.id);
    this.fireChanged();
    try {
      const members = await this.connection.poolMembers?.();
      if (members && members.length > 1) {
        const poolJob = { request, hooks, members, signal: job.controller.signal };
        return await runOnPool(poolJob, {
          ...this.poolDeps,
          runPart: (client, partRequest, onUpdate, notify) => this.runNow(client, partRequest, { onUpdate, signal: poolJob.signal }, poolJob.signal, notify),
          onStarted: () => {
            job.info.state = 'running';
            this.fireChanged();
          },
        });
      }
      const client = await this.connection.client();
      const done = await this.queue.run(
        client.origin,
        () => {
          job.info.state = 'running';
          this.fireChanged();
          return this.runNow(client, request, hooks, job.controller.signal);
        },
        {
          signal: job.controller.signal,
          onPosition: (ahead) => hooks.onUpdate({ message: describeWaiting(ahead) }),
        },
      );
      await hooks.onPart?.(done, 0);
      return done;
    } catch (error) {
      if (job.controller.signal.aborted) throw cancelled();
      throw error;
    } finally {
      hooks.signal.removeEventListener('abort', onCancel);
      this.jobs.delete(job.info.id);
      this.fireChanged();
    }
  }

  /** Cancels one job: a queued one never starts, a running one is stopped. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    job?.controller.abort();
    return job !== undefined;
  }

  /** Cancels every generation of ours, running or waiting; returns how many. */
  cancelAll(): number {
    const count = this.jobs.size;
    for (const job of this.jobs.values()) job.controller.abort();
    return count;
  }

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
    this.progressed.dispose();
  }

  private fireChanged(): void {
    this.changed.fire(this.listJobs());
  }

  private async runNow(
    client: SdApiClient,
    request: GenerationRequest,
    hooks: GenerationHooks,
    signal: AbortSignal,
    notify: (note: string) => void = (note) => {
      this.log.warn(`[generation] ${note}`);
      this.notify(note);
    },
  ): Promise<CompletedGeneration> {
    hooks.onUpdate({ message: l10n.t('Starting…') });
    const identity = await this.connection.identity(client);
    const { capabilities } = identity;
    refuseWithoutRembg(identity, request);
    request = await withGenerationSize(client, request, signal);
    if (request.controlNet && request.controlNet.length > 0 && !capabilities.controlnet) {
      throw new UserError(
        l10n.t('This server has no ControlNet: install the sd-webui-controlnet extension (A1111; Forge has it built in), or generate without the units.'),
      );
    }
    // A server that does not report its seeds gets one chosen here: every image stays reproducible.
    const parameters = !capabilities.reportsSeeds && request.parameters.seed < 0 ? { ...request.parameters, seed: randomSeed() } : request.parameters;
    const catalog = await this.connection.samplerCatalog(client);
    const sampler = resolveSampler({ sampler: parameters.sampler, scheduler: parameters.scheduler }, catalog);
    if (sampler.note) notify(sampler.note);
    const extras = await requestExtras(client, request, notify, identity);
    if (signal.aborted) throw cancelled();

    // A1111's interrupt stops whatever runs, ours or not: note which job (if any) the server is
    // busy with before we send, so a cancel never stops another user's job on a shared server.
    // Where the server can follow one task, ours has an id: its own place in the queue, its own
    // progress and preview, and Cancel interrupts only it.
    const taskId = capabilities.taskProgress ? `task(sdstudio-${Math.random().toString(36).slice(2, 12)})` : undefined;
    const busyWith = capabilities.progress && !taskId ? await runningJob(client) : undefined;
    if (signal.aborted) throw cancelled();
    const reporter = { log: this.log, notify };
    const onCancel = () => void cancelOnServer(client, capabilities, { busyWithAtSend: busyWith, taskId }, reporter);
    signal.addEventListener('abort', onCancel, { once: true });
    let stopPolling: () => void = () => undefined;
    const watch = { livePreview: request.livePreview === true, onUpdate: hooks.onUpdate, signal, log: this.log };
    if (taskId) {
      stopPolling = pollTaskProgress(client, { ...watch, taskId, steps: parameters.steps, batches: parameters.batchCount });
      extras.force_task_id = taskId;
    } else if (capabilities.progress) {
      stopPolling = pollProgress(client, watch);
    } else {
      hooks.onUpdate({ message: l10n.t('Generating… (this server does not report progress)') });
    }
    const onReceive = receivingReporter(hooks.onUpdate, stopPolling);
    try {
      const { img2img } = request;
      if (!img2img) {
        const body = { ...txt2imgPayload(request.prompt, parameters, sampler), ...extras };
        this.log.info(`[generation] txt2img ${describeRequest(body)}`);
        const done = checkResult({ result: await client.txt2img(body, signal, onReceive), parameters: body, serverOrigin: client.origin }, reporter);
        return await withoutBackgrounds(client, identity, request, done, hooks.onUpdate, signal);
      }
      const body = {
        ...extras,
        ...img2imgPayload(request.prompt, parameters, sampler, {
          sourceBase64: toBase64(img2img.source.bytes),
          size: img2img.outputSize,
          denoisingStrength: img2img.denoisingStrength,
          resizeMode: img2img.resizeMode,
          ...(img2img.mask ? { mask: maskInput(img2img.mask) } : {}),
        }),
      };
      const { init_images: _sent, mask: _mask, ...sent } = body;
      this.log.info(`[generation] img2img ${describeRequest(sent)} source=${img2img.source.format} ${img2img.source.size.width}x${img2img.source.size.height}`);
      const done = checkResult({ result: await client.img2img(body, signal, onReceive), parameters: sent, serverOrigin: client.origin }, reporter);
      return await withoutBackgrounds(client, identity, request, done, hooks.onUpdate, signal);
    } finally {
      stopPolling();
      signal.removeEventListener('abort', onCancel);
    }
  }
}

/** A seed in A1111's range (0 … 2³² − 2), chosen by us for servers that do not report theirs. */
function randomSeed(): number {
  return explicitSeed(-1);
}
function cancelled(): SdApiError {
  return new SdApiError('aborted', l10n.t('The generation was cancelled.'));
}

function describeRequest(body: GenerationParameters & { denoising_strength?: number }): string {
  const { prompt, negative_prompt: _negative, ...rest } = body;
  return `${JSON.stringify(prompt.length > 80 ? `${prompt.slice(0, 80)}…` : prompt)} ${JSON.stringify(rest)}`;
}
