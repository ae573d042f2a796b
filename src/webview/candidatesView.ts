// Recipe entries made with `candidates: N`: their images side by side, to pick the one written to
// the entry's path. The others stay in the candidates folder (the host's side keeps them).

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
      h('h2', { id: 'candidatesTitle', text: 'Pick an image' }),
      h('p', { class: 'card-meta', text: 'Use this writes the image to its path and its seed into the recipe; the others stay in .sd-candidates.' }),
      ...offers.map((offer) => this.offer(offer)),
    );
  }

  private offer(offer: CandidateOfferView): HTMLElement {
    const titleId = `candidates-${offer.id}`;
    const dismiss = h('button', {
      type: 'button',
      class: 'secondary small',
      text: 'Keep none',
      title: 'Close without writing: the candidates stay in the .sd-candidates folder',
      'aria-label': `Keep none of the candidates for ${offer.entryPath}`,
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
          const label = `Candidate ${index + 1}${image.seed !== undefined ? `, seed ${image.seed}` : ''}`;
          const use = h('button', { type: 'button', class: 'small', text: 'Use this', 'aria-label': `Use ${label.toLowerCase()} for ${offer.entryPath}` });
          use.addEventListener('click', () => this.events.onPick(offer.id, index));
          return h(
            'article',
            { class: 'card candidate', role: 'listitem' },
            h(
              'div',
              { class: 'thumb' },
              h('img', { src: image.src, alt: `${label} for ${offer.entryPath}`, width: image.width, height: image.height, decoding: 'async' }),
            ),
            h('p', { class: 'card-meta', text: `${label} · ${image.width}×${image.height}` }),
            use,
          );
        }),
      ),
    );
  }
}
