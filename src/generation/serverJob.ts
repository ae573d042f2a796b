// A job's dealings with the server around its request: which job the server runs already, how
// Cancel reaches it (A1111's interrupt is global; emulators have none), and whether what came
// back is what was asked. No `vscode` here.

import * as l10n from '@vscode/l10n';
import { imageSize } from '../image/imageSize';
import type { Log } from '../platform/log';
import type { SdApiClient } from '../sdapi/client';
import { SdApiError } from '../sdapi/errors';
import type { ServerCapabilities } from '../sdapi/probe';
import { jobOf } from './progressWatch';
import type { CompletedGeneration } from './request';

export interface Reporter {
  log: Log;
  /** Tells the user something that needs no answer. */
  notify: (note: string) => void;
}

/** The job the server runs now (its start stamp), or undefined when idle or unknown. */
export async function runningJob(client: SdApiClient): Promise<string | undefined> {
  try {
    return jobOf(await client.progress({ skipCurrentImage: true }));
  } catch {
    return undefined; // then only our own job can be running
  }
}

/**
 * Stops the server's current job if it is ours. A job that was already running when we sent ours
 * belongs to someone else (our request waits behind it): then only our request is withdrawn. A
 * server without an interrupt route finishes the job; the user is told so.
 */
export async function cancelOnServer(
  client: SdApiClient,
  capabilities: ServerCapabilities,
  ours: { busyWithAtSend: string | undefined; taskId: string | undefined },
  { log, notify }: Reporter,
): Promise<void> {
  const { busyWithAtSend, taskId } = ours;
  if (!capabilities.interrupt) {
    const note = l10n.t('Cancelled here. This server cannot stop a running job: it finishes it, and nothing will be saved.');
    log.info(`[generation] ${note}`);
    notify(note);
    return;
  }
  try {
    if (taskId) {
      // The server says whether the running job is ours: interrupt only then.
      const task = await client.taskProgress(taskId, { livePreview: false, idLivePreview: -1 });
      if (task.active) {
        await client.interrupt();
        log.info('[generation] cancelled: interrupted our job on the server');
      } else if (task.queued) {
        log.info('[generation] cancelled while our request waited in the server queue (A1111 cannot drop a waiting request)');
        notify(l10n.t("Cancelled. Your request was still waiting in the server's queue: the server may still run it later, and nothing will be saved."));
      } else {
        log.info('[generation] cancelled before the server started the job');
      }
      return;
    }
    const running = capabilities.progress ? jobOf(await client.progress({ skipCurrentImage: true })) : 'ours';
    if (running === undefined) {
      log.info('[generation] cancelled before the server started the job');
    } else if (busyWithAtSend !== undefined && running === busyWithAtSend) {
      log.info(
        '[generation] cancelled while the server was still busy with another job, which was left running; the server may still run ours later (A1111 cannot drop a waiting request)',
      );
      notify(l10n.t("Cancelled. The server was busy with someone else's job, which was left running."));
    } else {
      await client.interrupt();
      log.info('[generation] cancelled: interrupted the server job');
    }
  } catch (error) {
    log.warn(`[generation] could not interrupt the server job: ${error instanceof SdApiError ? error.describe() : String(error)}`);
  }
}

/**
 * What the server made, against what was asked: images without a reported seed get the one we
 * sent (then seed + 1, … as A1111 numbers a batch), and a size the server changed is said.
 */
export function checkResult(done: CompletedGeneration, { log, notify }: Reporter): CompletedGeneration {
  const sent = done.parameters;
  const images = done.result.images.map((image, index) =>
    image.seed === undefined && sent.seed !== undefined && sent.seed >= 0 ? { ...image, seed: sent.seed + index } : image,
  );
  const first = images[0];
  const made = first && imageSize(first.bytes, first.format);
  if (made && sent.width !== undefined && sent.height !== undefined && (made.width !== sent.width || made.height !== sent.height)) {
    const note = l10n.t(
      'The server made {0} × {1} instead of the {2} × {3} asked for (it keeps sizes on its own grid).',
      made.width,
      made.height,
      sent.width,
      sent.height,
    );
    log.warn(`[generation] ${note}`);
    notify(note);
  }
  return { ...done, result: { ...done.result, images } };
}
