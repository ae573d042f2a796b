// The Output file's "Transparent background": the server's rembg removes it after generating,
// with a model and alpha matting. Offered only where the server has rembg; elsewhere one
// sentence says how to get it.

import * as l10n from '@vscode/l10n';
import { REMBG_MODELS, type OutputFields } from '../shared/outputShape';
import type { ServerView } from '../shared/protocol';
import { fillSelect, h } from './dom';

type Fields = Pick<OutputFields, 'transparent' | 'rembgModel' | 'alphaMatting'>;

export class TransparentBackground {
  readonly element: HTMLElement;
  /** The sentence for a server without rembg. */
  readonly missing = h('p', { class: 'hint', id: 'rembgMissing', hidden: true });
  readonly controls = {
    transparent: h('input', { id: 'transparent', name: 'transparent', type: 'checkbox' }),
    rembgModel: h('select', { id: 'rembgModel', name: 'rembgModel' }),
    alphaMatting: h('input', { id: 'alphaMatting', name: 'alphaMatting', type: 'checkbox' }),
  };
  private readonly fields: HTMLElement;

  constructor(field: (id: string, label: string, control: HTMLElement, hint?: string) => HTMLElement) {
    const c = this.controls;
    fillSelect(
      c.rembgModel,
      REMBG_MODELS.map((model) => ({ value: model, label: model })),
      'u2net',
      (v) => v,
    );
    this.fields = h(
      'div',
      { class: 'pair', id: 'transparentFields' },
      field('rembgModel', l10n.t('Model'), c.rembgModel, 'u2net: general; isnet-anime: illustrations.'),
      h(
        'div',
        { class: 'field' },
        h('label', { class: 'check' }, c.alphaMatting, l10n.t(' Alpha matting')),
        h('p', { class: 'hint', text: l10n.t('Finer edges (hair, fur), slower.') }),
      ),
    );
    this.element = h(
      'fieldset',
      { class: 'more-group', id: 'transparentSection' },
      h('legend', {}, h('label', { class: 'check' }, c.transparent, l10n.t(' Transparent background'))),
      h('p', { class: 'hint', text: l10n.t("The server's rembg removes the background; save as PNG or WebP to keep it.") }),
      this.fields,
    );
    c.transparent.addEventListener('change', () => this.show());
  }

  values(): Fields {
    const c = this.controls;
    // Only where the server can: a form saved on another server does not ask this one.
    return { transparent: c.transparent.checked && !this.element.hidden, rembgModel: c.rembgModel.value, alphaMatting: c.alphaMatting.checked };
  }

  setValues(values: Fields): void {
    const c = this.controls;
    c.transparent.checked = values.transparent;
    c.rembgModel.value = values.rembgModel;
    c.alphaMatting.checked = values.alphaMatting;
    this.show();
  }

  setServer(server: ServerView): void {
    const known = server.models !== undefined && !server.error;
    this.element.hidden = known && server.rembg !== true;
    this.missing.hidden = !known || server.rembg === true || !server.rembgMissing;
    this.missing.textContent = server.rembgMissing ?? '';
  }

  private show(): void {
    this.fields.hidden = !this.controls.transparent.checked;
  }
}
