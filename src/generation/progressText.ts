import * as l10n from '@vscode/l10n';
import type { Progress } from '../sdapi/types';

export interface ProgressUpdate {
  message: string;
  /** 0..1 of the whole job. */
  fraction: number;
}

/** "Step 12/20 · image 2/4 · about 8 s left", or undefined while no job is sampling yet. */
export function describeProgress(progress: Progress): ProgressUpdate | undefined {
  const { sampling_step: step, sampling_steps: steps, job_count: jobs, job_no: job } = progress.state;
  if (jobs <= 0 || steps <= 0) return undefined;
  const parts = [l10n.t('Step {0}/{1}', Math.min(step + 1, steps), steps)];
  if (jobs > 1) parts.push(l10n.t('batch {0}/{1}', Math.min(job + 1, jobs), jobs));
  if (progress.eta_relative > 0) parts.push(l10n.t('about {0} left', formatDuration(progress.eta_relative)));
  return { message: parts.join(' · '), fraction: progress.progress };
}

/**
 * Our own task's progress (`/internal/progress` gives the fraction of the whole job only): the
 * step and batch follow from the steps and batches we asked for, as A1111 counts them.
 */
export function describeTaskProgress(fraction: number, etaSeconds: number | undefined, steps: number, batches: number): ProgressUpdate | undefined {
  if (steps <= 0 || batches <= 0) return undefined;
  // 15/22 comes back as 0.68181…8 and times 22 as 14.999…: a step is whole when it is nearly so.
  const done = Math.floor(fraction * batches * steps + 1e-6);
  const jobNo = Math.min(batches - 1, Math.floor(done / steps));
  const step = Math.min(steps - 1, done - jobNo * steps);
  return describeProgress({
    progress: fraction,
    eta_relative: etaSeconds ?? 0,
    state: { job_count: batches, job_no: jobNo, sampling_step: step, sampling_steps: steps, interrupted: false, skipped: false },
    current_image: null,
    textinfo: null,
  });
}

/** "Waiting in the server's queue: 2 of 3" from A1111's "In queue: 2/3". */
export function describeQueued(textinfo: string | undefined): string {
  const place = /(\d+)\s*\/\s*(\d+)/.exec(textinfo ?? '');
  return place ? l10n.t("Waiting in the server's queue: {0} of {1}", place[1] ?? '?', place[2] ?? '?') : l10n.t("Waiting in the server's queue…");
}

/** "Receiving images · 12.3 of 54.8 MB" while a finished job's answer downloads. */
export function describeReceiving(received: number, total: number | undefined): ProgressUpdate {
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  const message = total ? l10n.t('Receiving images · {0} of {1} MB', mb(received), mb(total)) : l10n.t('Receiving images · {0} MB', mb(received));
  return { message, fraction: 1 };
}

export function formatDuration(seconds: number): string {
  const rounded = Math.max(1, Math.round(seconds));
  if (rounded < 60) return `${rounded} s`;
  const minutes = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Our own queue: how many of this window's generations come first. */
export function describeWaiting(ahead: number): string {
  return ahead === 1 ? l10n.t('Waiting for the generation before this one…') : l10n.t('Waiting for {0} earlier generations…', ahead);
}
