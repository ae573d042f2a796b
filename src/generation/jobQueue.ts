// One job at a time per server (A1111 runs one anyway; queuing here lets us tell the user where
// they stand, cancel a waiting job cleanly, and never interrupt a job that is not ours).

interface Entry {
  started: boolean;
  start(): void;
  onPosition(jobsAhead: number): void;
}

export interface QueueOptions {
  /** Called when the job has to wait, and whenever the number of jobs ahead changes. */
  onPosition?: (jobsAhead: number) => void;
  signal?: AbortSignal;
}

export class JobQueue {
  private readonly queues = new Map<string, Entry[]>();

  /** Runs `work` once every earlier job for `key` has finished. */
  run<T>(key: string, work: () => Promise<T>, options: QueueOptions = {}): Promise<T> {
    const queue = this.queues.get(key) ?? [];
    this.queues.set(key, queue);
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) return reject(abortError());
      const onAbort = () => {
        if (!entry.started) {
          this.remove(key, entry);
          reject(abortError());
        }
      };
      const entry: Entry = {
        started: false,
        onPosition: (ahead) => options.onPosition?.(ahead),
        start: () => {
          entry.started = true;
          options.signal?.removeEventListener('abort', onAbort);
          work()
            .then(resolve, reject)
            .finally(() => this.remove(key, entry));
        },
      };
      queue.push(entry);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (queue.length === 1) entry.start();
      else entry.onPosition(queue.length - 1);
    });
  }

  /** Jobs running or waiting for `key`. */
  size(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  private remove(key: string, entry: Entry): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    const index = queue.indexOf(entry);
    if (index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) {
      this.queues.delete(key);
      return;
    }
    if (index === 0) queue[0]?.start();
    queue.forEach((waiting, position) => {
      if (!waiting.started) waiting.onPosition(position);
    });
  }
}

export function abortError(): Error {
  const error = new Error('The generation was cancelled.');
  error.name = 'AbortError';
  return error;
}
