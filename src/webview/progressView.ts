// The running job (progress bar, step and time left, live preview, Cancel) and the queue.
// The step text changes twice a second; a screen reader hears it through a separate live
// region at most every ANNOUNCE_EVERY_MS (and at once when a job starts), not on every step.

import * as l10n from '@vscode/l10n';
import type { JobView } from '../shared/protocol';
import { h } from './dom';

/** How often, at most, the progress is announced to screen readers. */
export const ANNOUNCE_EVERY_MS = 5000;

export class ProgressView {
  readonly element: HTMLElement;
  private readonly announcer = h('p', { class: 'visually-hidden', id: 'progressAnnouncer', 'aria-live': 'polite' });
  private lastAnnounced = 0;
  private pendingAnnouncement: ReturnType<typeof setTimeout> | undefined;
  private readonly bar = h('progress', { id: 'progressBar', max: 1, 'aria-label': l10n.t('Generation progress') });
  private readonly text = h('p', { class: 'progress-text', id: 'progressText' });
  private readonly preview = h('img', { class: 'preview', id: 'livePreview', alt: l10n.t('Live preview of the image being generated'), hidden: true });
  private readonly cancel = h('button', { type: 'button', class: 'secondary', id: 'cancel', text: l10n.t('Cancel') });
  private readonly queue = h('ul', { class: 'queue', id: 'queue', 'aria-label': l10n.t('Waiting generations') });
  private jobs: JobView[] = [];
  private runningId: string | undefined;

  constructor(onCancel: (jobId: string) => void) {
    this.element = h(
      'section',
      { class: 'progress', id: 'progress', 'aria-label': l10n.t('Generation in progress'), hidden: true },
      this.preview,
      h(
        'div',
        { class: 'progress-side' },
        h('p', { class: 'progress-prompt', id: 'progressPrompt' }),
        this.bar,
        this.text,
        this.announcer,
        h('div', { class: 'row' }, this.cancel),
      ),
      this.queue,
    );
    this.cancel.addEventListener('click', () => this.runningId && onCancel(this.runningId));
    this.queue.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-job]');
      if (button?.dataset.job) onCancel(button.dataset.job);
    });
  }

  setJobs(jobs: JobView[]): void {
    const previous = this.runningId;
    this.jobs = jobs;
    const running = jobs.find((job) => job.state === 'running') ?? jobs[0];
    this.runningId = running?.id;
    this.element.hidden = jobs.length === 0;
    if (jobs.length === 0) clearTimeout(this.pendingAnnouncement); // nothing runs: a late step would mislead
    if (running && running.id !== previous) {
      this.bar.removeAttribute('value'); // indeterminate until the first step
      this.text.textContent = running.state === 'running' ? l10n.t('Starting…') : l10n.t('Waiting…');
      this.announce(`${running.prompt}: ${this.text.textContent}`, true);
      this.preview.hidden = true;
      this.preview.removeAttribute('src');
    }
    this.element.querySelector('#progressPrompt')!.textContent = running ? running.prompt : '';
    const waiting = jobs.filter((job) => job !== running);
    this.queue.replaceChildren(
      ...waiting.map((job, index) =>
        h(
          'li',
          {},
          h('span', { class: 'queue-label', text: `${index + 1}. ${job.prompt}` }),
          h('button', {
            type: 'button',
            class: 'secondary small',
            'data-job': job.id,
            'aria-label': l10n.t('Remove "{0}" from the queue', job.prompt),
            text: l10n.t('Remove'),
          }),
        ),
      ),
    );
    this.queue.hidden = waiting.length === 0;
  }

  update(jobId: string, message: string, fraction?: number, preview?: string): void {
    if (jobId !== this.runningId && this.jobs.some((job) => job.id === jobId && job.state === 'queued')) {
      return; // a waiting job's "Waiting for…" message: the queue list says that already
    }
    this.text.textContent = message;
    this.announce(message, false);
    if (fraction !== undefined) this.bar.value = fraction;
    if (preview) {
      this.preview.src = preview;
      this.preview.hidden = false;
    }
  }

  /** Puts `text` into the live region now, or when ANNOUNCE_EVERY_MS have passed since the last time (the latest text wins). */
  private announce(text: string, now: boolean): void {
    clearTimeout(this.pendingAnnouncement);
    const wait = now ? 0 : this.lastAnnounced + ANNOUNCE_EVERY_MS - Date.now();
    const say = () => {
      this.announcer.textContent = text;
      this.lastAnnounced = Date.now();
    };
    if (wait <= 0) say();
    else this.pendingAnnouncement = setTimeout(say, wait);
  }
}
