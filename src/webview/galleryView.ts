// The results of this workspace, newest first: a thumbnail (lazy), prompt, seed, size, model and
// time, and the actions a developer needs next.

import type { GalleryAction, GalleryItem } from '../shared/protocol';
import { h } from './dom';

export interface GalleryEvents {
  onAction(action: GalleryAction, id: string): void;
  onReuse(item: GalleryItem): void;
}

const ACTIONS: { action: GalleryAction | 'reuse'; label: string; title: string }[] = [
  { action: 'insert', label: 'Insert', title: 'Insert a reference at the cursor of the last active editor' },
  { action: 'useAsSource', label: 'Use as source', title: 'Use this image as the image-to-image source' },
  { action: 'reuse', label: 'Reuse', title: "Put this image's prompt, seed and settings into the form" },
  { action: 'parameters', label: 'Parameters', title: 'Show the generation parameters stored in the image (regenerate, variation)' },
  { action: 'upscale', label: 'Upscale', title: 'Upscale this image on the server (written beside it)' },
  { action: 'describe', label: 'Describe', title: "Put the server's description of this image into the prompt (and use it as its alt text)" },
  { action: 'operations', label: 'More…', title: 'Resize, convert, remove the background, make an icon set…' },
  { action: 'reveal', label: 'Reveal', title: 'Reveal in the Explorer' },
  { action: 'copyPath', label: 'Copy path', title: 'Copy the workspace-relative path' },
  { action: 'delete', label: 'Delete', title: 'Move the file to the trash' },
];

export class GalleryView {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'gallery', id: 'gallery', role: 'list' });
  private readonly empty = h('p', { class: 'empty', id: 'galleryEmpty', text: 'No images yet. Write a prompt and press Generate.' });
  private readonly count = h('span', { class: 'count', id: 'galleryCount' });
  private items = new Map<string, GalleryItem>();

  constructor(events: GalleryEvents) {
    this.element = h(
      'section',
      { class: 'gallery-section', 'aria-labelledby': 'galleryTitle' },
      h('h2', { id: 'galleryTitle' }, 'Gallery ', this.count),
      this.empty,
      this.list,
    );
    // One listener for all cards: cheap with thousands of entries.
    this.list.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
      const card = button?.closest<HTMLElement>('[data-id]');
      const item = card?.dataset.id ? this.items.get(card.dataset.id) : undefined;
      if (!button || !item) return;
      if (button.dataset.action === 'tile') return this.toggleTiled(button, item);
      const action = button.dataset.action as GalleryAction | 'reuse';
      if (action === 'reuse') events.onReuse(item);
      else events.onAction(action, item.id);
    });
  }

  render(items: GalleryItem[]): void {
    this.items = new Map(items.map((item) => [item.id, item]));
    this.empty.hidden = items.length > 0;
    this.count.textContent = items.length > 0 ? `(${items.length})` : '';
    this.list.replaceChildren(...items.map((item) => this.card(item)));
  }

  /** A seamless texture shown 3 × 3 in its thumbnail (and back). */
  private toggleTiled(button: HTMLButtonElement, item: GalleryItem): void {
    const thumb = button.closest('[data-id]')?.querySelector<HTMLElement>('.thumb');
    if (!thumb) return;
    const tiled = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(tiled));
    thumb.classList.toggle('tiled', tiled);
    thumb.style.backgroundImage = tiled ? `url("${item.src.replace(/"/g, '%22')}")` : '';
  }

  private card(item: GalleryItem): HTMLElement {
    const time = new Date(item.createdAt);
    const meta = [
      item.seed !== undefined ? `seed ${item.seed}` : undefined,
      `${item.width}×${item.height}`,
      item.model,
      item.kind === 'img2img' ? `img2img ${item.denoisingStrength ?? ''}`.trim() : undefined,
      time.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
    ].filter(Boolean);
    return h(
      'article',
      { class: 'card', role: 'listitem', 'data-id': item.id, 'aria-label': item.prompt },
      h(
        'button',
        { type: 'button', class: 'thumb', 'data-action': 'open', title: `Open ${item.relativePath}`, 'aria-label': `Open image: ${item.prompt}` },
        h('img', { src: item.src, alt: item.prompt, loading: 'lazy', decoding: 'async', width: item.width, height: item.height }),
      ),
      h('p', { class: 'card-prompt', title: item.prompt, text: item.prompt }),
      h('p', { class: 'card-meta', text: meta.join(' · ') }),
      ...(item.tiling
        ? [
            h('button', {
              type: 'button',
              class: 'link tile-toggle',
              'data-action': 'tile',
              'aria-pressed': 'false',
              title: 'Show the texture repeated 3 × 3: a seam would show at the joins',
              text: 'Tile 3 × 3',
            }),
          ]
        : []),
      h(
        'div',
        { class: 'card-actions' },
        ...ACTIONS.map(({ action, label, title }) =>
          h('button', {
            type: 'button',
            class: `link${action === 'delete' ? ' danger' : ''}`,
            'data-action': action,
            title,
            'aria-label': `${label}: ${item.prompt}`,
            text: label,
          }),
        ),
      ),
    );
  }
}
