// Recipe entries made with `candidates: N`: their images side by side, to pick the one written to
// the entry's path. The others stay in the candidates folder (the host's side keeps them).

import * as l10n from '@vscode/l10n';
import type { CandidateOfferView } from '../shared/protocol';
import { h } from './dom';

export interface CandidatesEvents {
  onPick(offerId: string, index: number): void;
  onDismiss(offerId: string): void;
}

export class CandidatesView {
  readonly element = h('section', { class: 'candidates-section', id: 'candidates', 'aria-labelledby': 'candidatesTitle', hidden: true });

  constructor(private readonly events: CandidatesEvents) {}

  render(offers: readonly CandidateOfferView[]): void {
    this.element.hidden = offers.length === 0;
    this.element.replaceChildren(
      h('h2', { id: 'candidatesTitle', text: l10n.t('Pick an image') }),
      h('p', { class: 'card-meta', text: l10n.t('Use this writes the image to its path and its seed into the recipe; the others stay in .sd-candidates.') }),
      ...offers.map((offer) => this.offer(offer)),
    );
  }

  private offer(offer: CandidateOfferView): HTMLElement {
    const titleId = `candidates-${offer.id}`;
    const dismiss = h('button', {
      type: 'button',
      class: 'secondary small',
      text: l10n.t('Keep none'),
      title: l10n.t('Close without writing: the candidates stay in the .sd-candidates folder'),
      'aria-label': l10n.t('Keep none of the candidates for {0}', offer.entryPath),
    });
    dismiss.addEventListener('click', () => this.events.onDismiss(offer.id));
    return h(
      'div',
      { class: 'candidate-offer', role: 'group', 'aria-labelledby': titleId, 'data-offer': offer.id },
      h(
        'div',
        { class: 'row candidate-heading' },
        h('h3', { id: titleId, text: offer.entryPath }),
        h('span', { class: 'card-meta', text: offer.manifest }),
        dismiss,
      ),
      h(
        'div',
        { class: 'gallery candidate-list', role: 'list' },
        ...offer.images.map((image, index) => {
          const label = image.seed !== undefined ? l10n.t('Candidate {0}, seed {1}', index + 1, image.seed) : l10n.t('Candidate {0}', index + 1);
          const use = h('button', {
            type: 'button',
            class: 'small',
            text: l10n.t('Use this'),
            'aria-label':
              image.seed !== undefined
                ? l10n.t('Use candidate {0}, seed {1} for {2}', index + 1, image.seed, offer.entryPath)
                : l10n.t('Use candidate {0} for {1}', index + 1, offer.entryPath),
          });
          use.addEventListener('click', () => this.events.onPick(offer.id, index));
          return h(
            'div',
            { class: 'card candidate', role: 'listitem' },
            h(
              'div',
              { class: 'thumb' },
              h('img', {
                src: image.src,
                alt: `${label} for ${offer.entryPath}`,
                width: image.width,
                height: image.height,
                decoding: 'async',
                class: image.height > image.width ? 'portrait' : undefined,
              }),
            ),
            h('p', { class: 'card-meta', text: `${label} · ${image.width}×${image.height}` }),
            use,
          );
        }),
      ),
    );
  }
}
