// The results of this workspace, newest first: a thumbnail (lazy), prompt, seed, size, model and
// time, and the actions a developer needs next.

import * as l10n from '@vscode/l10n';
import type { GalleryAction, GalleryItem } from '../shared/protocol';
import { h } from './dom';

export interface GalleryEvents {
  onAction(action: GalleryAction, id: string): void;
}

const actions = (): { action: GalleryAction; label: string; title: string }[] => [
  { action: 'insert', label: l10n.t('Insert'), title: l10n.t('Insert a reference at the cursor of the last active editor') },
  { action: 'useAsSource', label: l10n.t('Use as source'), title: l10n.t('Use this image as the image-to-image source') },
  { action: 'reuse', label: l10n.t('Reuse'), title: l10n.t("Put this image's prompt, seed and settings into the form") },
  { action: 'parameters', label: l10n.t('Parameters'), title: l10n.t('Show the generation parameters stored in the image (regenerate, variation)') },
  { action: 'upscale', label: l10n.t('Upscale'), title: l10n.t('Upscale this image on the server (written beside it)') },
  { action: 'describe', label: l10n.t('Describe'), title: l10n.t("Put the server's description of this image into the prompt (and use it as its alt text)") },
  { action: 'operations', label: l10n.t('More…'), title: l10n.t('Resize, convert, remove the background, make an icon set…') },
  { action: 'reveal', label: l10n.t('Reveal'), title: l10n.t('Reveal in the Explorer') },
  { action: 'copyPath', label: l10n.t('Copy path'), title: l10n.t('Copy the workspace-relative path') },
  { action: 'delete', label: l10n.t('Delete'), title: l10n.t('Move the file to the trash') },
];

export class GalleryView {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'gallery', id: 'gallery', role: 'list' });
  private readonly empty = h('p', { class: 'empty', id: 'galleryEmpty', text: l10n.t('No images yet. Write a prompt and press Generate.') });
  private readonly count = h('span', { class: 'count', id: 'galleryCount' });
  private items = new Map<string, GalleryItem>();

  constructor(events: GalleryEvents) {
    this.element = h(
      'section',
      { class: 'gallery-section', 'aria-labelledby': 'galleryTitle' },
      h('h2', { id: 'galleryTitle' }, `${l10n.t('Gallery')} `, this.count),
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
      events.onAction(button.dataset.action as GalleryAction, item.id);
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
      item.seed !== undefined ? l10n.t('seed {0}', item.seed) : undefined,
      `${item.width}×${item.height}`,
      item.model,
      item.kind === 'img2img' ? `img2img ${item.denoisingStrength ?? ''}`.trim() : undefined,
      time.toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'short', timeStyle: 'short' }),
    ].filter(Boolean);
    return h(
      'div',
      { class: 'card', role: 'listitem', 'data-id': item.id, 'aria-label': item.prompt },
      h(
        'button',
        {
          type: 'button',
          class: 'thumb',
          'data-action': 'open',
          title: l10n.t('Open {0}', item.relativePath),
          'aria-label': l10n.t('Open image: {0}', item.prompt),
        },
        h('img', {
          src: item.src,
          alt: item.prompt,
          loading: 'lazy',
          decoding: 'async',
          width: item.width,
          height: item.height,
          class: item.height > item.width ? 'portrait' : undefined,
        }),
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
              title: l10n.t('Show the texture repeated 3 × 3: a seam would show at the joins'),
              text: l10n.t('Tile 3 × 3'),
            }),
          ]
        : []),
      h(
        'div',
        { class: 'card-actions' },
        ...actions().map(({ action, label, title }) =>
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
