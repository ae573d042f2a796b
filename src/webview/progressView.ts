// The running job (progress bar, step and time left, live preview, Cancel) and the queue.

import type { JobView } from '../shared/protocol';
import { h } from './dom';

export class ProgressView {
  readonly element: HTMLElement;
  private readonly bar = h('progress', { id: 'progressBar', max: 1, 'aria-label': 'Generation progress' });
  private readonly text = h('p', { class: 'progress-text', id: 'progressText', 'aria-live': 'polite' });
  private readonly preview = h('img', { class: 'preview', id: 'livePreview', alt: 'Live preview of the image being generated', hidden: true });
  private readonly cancel = h('button', { type: 'button', class: 'secondary', id: 'cancel', text: 'Cancel' });
  private readonly queue = h('ul', { class: 'queue', id: 'queue', 'aria-label': 'Waiting generations' });
  private jobs: JobView[] = [];
  private runningId: string | undefined;

  constructor(onCancel: (jobId: string) => void) {
    this.element = h(
      'section',
      { class: 'progress', id: 'progress', 'aria-label': 'Generation in progress', hidden: true },
      this.preview,
      h(
        'div',
        { class: 'progress-side' },
        h('p', { class: 'progress-prompt', id: 'progressPrompt' }),
        this.bar,
        this.text,
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
    if (running && running.id !== previous) {
      this.bar.removeAttribute('value'); // indeterminate until the first step
      this.text.textContent = running.state === 'running' ? 'Starting…' : 'Waiting…';
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
          h('button', { type: 'button', class: 'secondary small', 'data-job': job.id, 'aria-label': `Remove "${job.prompt}" from the queue`, text: 'Remove' }),
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
    if (fraction !== undefined) this.bar.value = fraction;
    if (preview) {
      this.preview.src = preview;
      this.preview.hidden = false;
    }
  }
}
