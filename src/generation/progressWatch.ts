// Watching a running job from outside: A1111 answers a generation only when it is done, so
// steps, ETA and live previews come from polling /progress; once the answer starts to arrive,
// polling stops and a slow download shows how far it got.

import * as l10n from '@vscode/l10n';
import type { Log } from '../platform/log';
import type { ReceiveListener, SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import type { Progress } from '../sdapi/types';
import { DEFAULT_INTERVAL_MS, PollSchedule } from './pollSchedule';
import { describeProgress, describeQueued, describeReceiving, describeTaskProgress, type ProgressUpdate } from './progressText';

/** The first look at a job; later ones follow its steps (pollSchedule.ts, BENCHMARKS.md section 6). */
export const FIRST_POLL_MS = DEFAULT_INTERVAL_MS / 2;

/** An answer that downloads faster than this is not worth a message. */
const RECEIVE_QUIET_MS = 400;
/** At most this often a "Receiving images" update. */
const RECEIVE_UPDATE_MS = 250;

export interface GenerationUpdate extends Partial<ProgressUpdate> {
  message: string;
  /** Base64 PNG/JPEG of the server's current latent, when live previews were asked for. */
  preview?: string;
}

export interface PollOptions {
  /** Ask for the server's live preview image with each answer. */
  livePreview: boolean;
  onUpdate: (update: GenerationUpdate) => void;
  signal: AbortSignal;
  log: Pick<Log, 'debug'>;
}

/** Polls /progress until the returned function is called, each request timed for the next step (pollSchedule.ts); failures are only logged. */
export function pollProgress(client: SdApiClient, { livePreview, onUpdate, signal, log }: PollOptions): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = new PollSchedule();
  const tick = async () => {
    const askedAt = performance.now();
    try {
      const progress = await client.progress({ skipCurrentImage: !livePreview }, signal);
      const { job_no: job, job_count: jobs, sampling_step: step, sampling_steps: steps } = progress.state;
      if (jobs > 0 && steps > 0) schedule.observe(askedAt, job * steps + step, progress.eta_relative * 1000, jobs * steps);
      const update = describeProgress(progress);
      if (!stopped && update) onUpdate({ ...update, ...(progress.current_image ? { preview: progress.current_image } : {}) });
    } catch (error) {
      // Progress is a nicety: the generation itself decides success.
      if (!stopped) log.debug(`[generation] progress unavailable: ${error instanceof SdApiError ? error.describe() : String(error)}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), schedule.nextDelay(performance.now()));
  };
  timer = setTimeout(() => void tick(), FIRST_POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** While our task waits in the server's queue, asking less often is enough. */
const QUEUED_INTERVAL_MS = 1500;

export interface TaskPollOptions extends PollOptions {
  taskId: string;
  /** What we asked for: /internal/progress reports only a fraction of the whole job. */
  steps: number;
  batches: number;
}

/**
 * Follows our own task on a shared server (`force_task_id`, `/internal/progress`): its place in
 * the queue, then its progress and previews. Another user's job never shows as ours.
 */
export function pollTaskProgress(client: SdApiClient, { taskId, steps, batches, livePreview, onUpdate, signal, log }: TaskPollOptions): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let idLivePreview = -1;
  const schedule = new PollSchedule();
  const tick = async () => {
    const askedAt = performance.now();
    let wait: number | undefined;
    try {
      const task = await client.taskProgress(taskId, { livePreview, idLivePreview }, signal);
      if (stopped) return;
      if (task.active) {
        // A1111's fraction is job_no/jobs + step/steps/jobs: times all steps, the steps done.
        const total = steps * batches;
        schedule.observe(askedAt, Math.floor((task.progress ?? 0) * total + 1e-6), task.eta !== undefined ? task.eta * 1000 : undefined, total);
        if (task.livePreview) idLivePreview = task.idLivePreview;
        const update = describeTaskProgress(task.progress ?? 0, task.eta, steps, batches);
        if (update) onUpdate({ ...update, ...(task.livePreview ? { preview: task.livePreview } : {}) });
      } else if (task.queued) {
        onUpdate({ message: describeQueued(task.textinfo) });
        wait = QUEUED_INTERVAL_MS;
      }
    } catch (error) {
      if (!stopped) log.debug(`[generation] task progress unavailable: ${error instanceof SdApiError ? error.describe() : String(error)}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), wait ?? schedule.nextDelay(performance.now()));
  };
  timer = setTimeout(() => void tick(), FIRST_POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The job a progress answer shows running (its start stamp), or undefined when idle. */
export function jobOf({ state }: Progress): string | undefined {
  return state.job_count > 0 ? (state.job_timestamp ?? state.job ?? l10n.t('unknown job')) : undefined;
}

/**
 * Once the answer starts to arrive the job is done on the server: polling stops, and a slow
 * download (a large batch from a hosted server) shows how far it got instead of the last step.
 */
export function receivingReporter(onUpdate: (update: ProgressUpdate) => void, stopPolling: () => void): ReceiveListener {
  let startedAt: number | undefined;
  let shownAt = 0;
  return (received, total) => {
    const now = Date.now();
    if (startedAt === undefined) {
      startedAt = now;
      stopPolling();
    }
    if (now - startedAt < RECEIVE_QUIET_MS || now - shownAt < RECEIVE_UPDATE_MS) return;
    shownAt = now;
    onUpdate(describeReceiving(received, total));
  };
}
