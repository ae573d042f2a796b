import type { Settings } from '../config';
import type { ServerConnection } from '../connection';
import type { Log } from '../log';
import type { SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import { resolveSampler } from '../sdapi/samplers';
import type { GenerationParameters, GenerationResult, ImageFormat } from '../sdapi/types';
import { JobQueue } from './jobQueue';
import { img2imgPayload, txt2imgPayload, type Size } from './payload';
import { describeProgress, type ProgressUpdate } from './progressText';

export interface SourceImage {
  bytes: Uint8Array;
  format: ImageFormat;
  size: Size;
}

export type GenerationRequest =
  | { kind: 'txt2img'; prompt: string }
  | { kind: 'img2img'; prompt: string; source: SourceImage; outputSize: Size; denoisingStrength: number };

export interface GenerationHooks {
  /** Progress for the UI: queue position, then steps and ETA. */
  onUpdate(update: Partial<ProgressUpdate> & { message: string }): void;
  signal: AbortSignal;
}

export interface CompletedGeneration {
  result: GenerationResult;
  /** The body that was sent (without the source image), to describe what was made. */
  parameters: GenerationParameters & { denoising_strength?: number };
  serverOrigin: string;
}

/** How often the progress endpoint is asked while a job runs (at most 1 request per second). */
export const PROGRESS_INTERVAL_MS = 1000;

/**
 * Runs one generation on the configured server: waits its turn in the queue, translates the
 * sampler for this server, sends the job, polls progress, and on cancel stops the server's job
 * and the request.
 */
export class GenerationService {
  dispose(): void {
    this.cancelAll();
  }

  readonly queue = new JobQueue();
  /** One controller per generation of ours, waiting or running. */
  private readonly active = new Set<AbortController>();

  constructor(
    private readonly connection: ServerConnection,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {}

  get busy(): boolean {
    return this.active.size > 0;
  }

  async generate(request: GenerationRequest, hooks: GenerationHooks): Promise<CompletedGeneration> {
    const controller = new AbortController();
    const onCancel = () => controller.abort();
    if (hooks.signal.aborted) throw cancelled();
    hooks.signal.addEventListener('abort', onCancel, { once: true });
    this.active.add(controller);
    try {
      const client = await this.connection.client();
      return await this.queue.run(client.origin, () => this.runNow(client, request, hooks, controller.signal), {
        signal: controller.signal,
        onPosition: (ahead) =>
          hooks.onUpdate({ message: ahead === 1 ? 'Waiting for the generation before this one…' : `Waiting for ${ahead} earlier generations…` }),
      });
    } catch (error) {
      if (controller.signal.aborted) throw cancelled();
      throw error;
    } finally {
      hooks.signal.removeEventListener('abort', onCancel);
      this.active.delete(controller);
    }
  }

  /** Cancels every generation of ours, running or waiting; returns how many. */
  cancelAll(): number {
    const count = this.active.size;
    for (const controller of this.active) controller.abort();
    return count;
  }

  private async runNow(client: SdApiClient, request: GenerationRequest, hooks: GenerationHooks, signal: AbortSignal): Promise<CompletedGeneration> {
    hooks.onUpdate({ message: 'Starting…' });
    const defaults = this.settings.generation;
    const catalog = await this.connection.samplerCatalog(client);
    const sampler = resolveSampler({ sampler: defaults.sampler, scheduler: defaults.scheduler }, catalog);
    if (sampler.note) this.log.warn(`[generation] ${sampler.note}`);
    if (signal.aborted) throw cancelled();

    // From here on the server may be running our job: cancelling must also stop it there.
    const onCancel = () => void this.interrupt(client);
    signal.addEventListener('abort', onCancel, { once: true });
    const stopPolling = this.pollProgress(client, hooks, signal);
    try {
      if (request.kind === 'txt2img') {
        const body = txt2imgPayload(request.prompt, defaults, sampler);
        this.log.info(`[generation] txt2img ${describeRequest(body)}`);
        return { result: await client.txt2img(body, signal), parameters: body, serverOrigin: client.origin };
      }
      const body = img2imgPayload(request.prompt, defaults, sampler, {
        sourceBase64: Buffer.from(request.source.bytes).toString('base64'),
        size: request.outputSize,
        denoisingStrength: request.denoisingStrength,
        resizeMode: this.settings.resizeMode,
      });
      const { init_images: _sent, ...parameters } = body;
      this.log.info(`[generation] img2img ${describeRequest(parameters)} source=${request.source.format} ${request.source.size.width}x${request.source.size.height}`);
      return { result: await client.img2img(body, signal), parameters, serverOrigin: client.origin };
    } finally {
      stopPolling();
      signal.removeEventListener('abort', onCancel);
    }
  }

  /** Stops the server's current job: A1111 has no per-job cancel, the interrupt is global. */
  private async interrupt(client: SdApiClient): Promise<void> {
    try {
      const progress = await client.progress({ skipCurrentImage: true });
      if (progress.state.job_count > 0) {
        await client.interrupt();
        this.log.info('[generation] cancelled: interrupted the server job');
      } else {
        this.log.info('[generation] cancelled before the server started the job');
      }
    } catch (error) {
      this.log.warn(`[generation] could not interrupt the server job: ${error instanceof SdApiError ? error.describe() : String(error)}`);
    }
  }

  private pollProgress(client: SdApiClient, hooks: GenerationHooks, signal: AbortSignal): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const update = describeProgress(await client.progress({ skipCurrentImage: true }, signal));
        if (!stopped && update) hooks.onUpdate(update);
      } catch (error) {
        // Progress is a nicety: the generation itself decides success.
        if (!stopped) this.log.debug(`[generation] progress unavailable: ${error instanceof SdApiError ? error.describe() : String(error)}`);
      }
      if (!stopped) timer = setTimeout(tick, PROGRESS_INTERVAL_MS);
    };
    timer = setTimeout(tick, PROGRESS_INTERVAL_MS / 2);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}

export function cancelled(): SdApiError {
  return new SdApiError('aborted', 'The generation was cancelled.');
}

function describeRequest(body: GenerationParameters & { denoising_strength?: number }): string {
  const { prompt, negative_prompt: _negative, ...rest } = body;
  return `${JSON.stringify(prompt.length > 80 ? `${prompt.slice(0, 80)}…` : prompt)} ${JSON.stringify(rest)}`;
}
