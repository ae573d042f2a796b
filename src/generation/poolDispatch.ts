// Runs one job's parts over the ready members of a pool: each member takes the next part when
// its turn comes (so faster members make more), every part is delivered as it arrives, a part
// whose member fails is made once more on another member with the same seeds, and Cancel
// reaches every part. No `vscode` here.

import * as l10n from '@vscode/l10n';
import { SdApiError } from '../sdapi/errors';
import type { JobQueue } from './jobQueue';
import type { PoolPart } from './poolPlan';
import { isDownError, type PoolHealth, type ReadyMember } from './poolMembers';
import type { CompletedGeneration, GenerationUpdate } from './request';

export interface PoolDispatchOptions {
  parts: readonly PoolPart[];
  members: readonly ReadyMember[];
  queue: JobQueue;
  health: PoolHealth;
  signal: AbortSignal;
  /** Makes one part on one member (the service's single-server path). */
  runPart(member: ReadyMember, part: PoolPart, onUpdate: (update: GenerationUpdate) => void): Promise<CompletedGeneration>;
  /** Each part as it arrives, one at a time (saving): a failure here stops the job. */
  deliver(done: CompletedGeneration, part: PoolPart): Promise<void>;
  onUpdate: (update: GenerationUpdate) => void;
  /** Called once, when the first part starts on a server. */
  onStarted: () => void;
  notify: (note: string) => void;
}

interface PartState extends PoolPart {
  failedOn: Set<string>;
  error?: unknown;
}

/** Runs every part; resolves with the parts' results in order, or rejects with the reason the job stopped. */
export function dispatchParts(options: PoolDispatchOptions): Promise<CompletedGeneration[]> {
  const { members, queue, health, signal } = options;
  const pending: PartState[] = options.parts.map((part) => ({ ...part, failedOn: new Set() }));
  const results = new Map<number, CompletedGeneration>();
  const working = new Set<ReadyMember>();
  /** Members this job no longer uses: they failed a part. */
  const dropped = new Set<ReadyMember>();
  const progress = new PoolProgress(options.parts, options.onUpdate);
  let failure: unknown;
  let deliveryFailed = false;
  let started = false;
  let delivering = Promise.resolve();

  return new Promise((resolve, reject) => {
    const finish = () => {
      if (working.size > 0) return;
      void delivering.then(() => {
        const saved = [...results.values()].reduce((sum, done) => sum + done.result.images.length, 0);
        if ((signal.aborted || failure !== undefined) && saved > 0 && !deliveryFailed)
          options.notify(l10n.t('{0} of {1} images were made and saved before the job stopped.', saved, progress.total));
        if (signal.aborted) reject(new SdApiError('aborted', l10n.t('The generation was cancelled.')));
        else if (failure !== undefined) reject(failure instanceof Error ? failure : new Error('The pool job failed.'));
        else resolve([...results.entries()].sort(([a], [b]) => a - b).map(([, done]) => done));
      });
    };
    const canTake = (member: ReadyMember, part: PartState) => !dropped.has(member) && !part.failedOn.has(member.name);
    const stopped = () => signal.aborted || failure !== undefined;

    /** Every waiting part has a member working that can take it, or one is started; a part nobody can take fails the job. */
    const rebalance = () => {
      if (!stopped()) {
        for (const part of pending) {
          const able = members.filter((member) => canTake(member, part));
          if (able.some((member) => working.has(member))) continue;
          const spare = able[0];
          if (spare) startWorker(spare);
          else failure ??= part.error ?? new Error('No server of the pool can make this part.');
        }
      }
      finish();
    };

    const runTurn = async (member: ReadyMember): Promise<'again' | 'stop'> => {
      const index = pending.findIndex((part) => canTake(member, part));
      const part = pending[index];
      if (stopped() || !part) return 'stop';
      pending.splice(index, 1);
      if (!started) {
        started = true;
        options.onStarted();
      }
      try {
        const done = await options.runPart(member, part, (update) => progress.update(part.index, member.name, update));
        results.set(part.index, done);
        progress.done(part.index);
        // Parts that arrive after another part failed are still saved: nothing made is lost.
        delivering = delivering
          .then(() => (deliveryFailed ? undefined : options.deliver(done, part)))
          .catch((error: unknown) => {
            deliveryFailed = true;
            failure ??= error;
          });
        return 'again';
      } catch (error) {
        if (signal.aborted) return 'stop';
        progress.update(part.index, member.name, { message: 'failed', fraction: 0 });
        if (isDownError(error)) health.markDown(member.client.origin);
        dropped.add(member);
        part.failedOn.add(member.name);
        part.error = error;
        const reason = error instanceof SdApiError ? error.message : String(error);
        if (part.failedOn.size >= 2) {
          failure ??= error;
        } else {
          pending.unshift(part);
          options.notify(
            part.images === 1
              ? l10n.t('"{0}" failed ({1}): its image is made again on another server.', member.name, reason)
              : l10n.t('"{0}" failed ({1}): its {2} images are made again on another server.', member.name, reason, part.images),
          );
        }
        return 'stop';
      }
    };

    const startWorker = (member: ReadyMember) => {
      working.add(member);
      void (async () => {
        try {
          while (!stopped() && pending.some((part) => canTake(member, part))) {
            if ((await queue.run(member.client.origin, () => runTurn(member), { signal })) === 'stop') break;
          }
        } catch {
          // Only a cancel rejects a wait in the queue: finish() reports it.
        } finally {
          working.delete(member);
          rebalance();
        }
      })();
    };

    for (const member of members.slice(0, Math.max(1, Math.min(members.length, pending.length)))) startWorker(member);
    if (members.length === 0) {
      failure = new Error('No server of the pool can take this job.');
      finish();
    }
  });
}

/** One progress line for all parts: images done, and the latest member's own line. */
class PoolProgress {
  private readonly fractions = new Map<number, number>();
  readonly total: number;
  private finished = 0;

  constructor(
    private readonly parts: readonly PoolPart[],
    private readonly onUpdate: (update: GenerationUpdate) => void,
  ) {
    this.total = parts.reduce((sum, part) => sum + part.images, 0);
  }

  update(index: number, member: string, update: GenerationUpdate): void {
    if (update.fraction !== undefined) this.fractions.set(index, update.fraction);
    this.onUpdate({ ...update, message: l10n.t('{0} of {1} images · {2}: {3}', this.finished, this.total, member, update.message), fraction: this.fraction() });
  }

  done(index: number): void {
    this.fractions.set(index, 1);
    this.finished += this.parts[index]?.images ?? 0;
    this.onUpdate({ message: l10n.t('{0} of {1} images', this.finished, this.total), fraction: this.fraction() });
  }

  private fraction(): number {
    const made = this.parts.reduce((sum, part) => sum + part.images * (this.fractions.get(part.index) ?? 0), 0);
    return this.total > 0 ? made / this.total : 0;
  }
}
