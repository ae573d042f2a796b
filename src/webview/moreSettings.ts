// "More settings" below the basic form: hires fix (text to image only), tiling and CLIP skip.
// Closed by default so the form stays short; opened by itself when a value is not the default.
// Each control shows only where the server offers it, and one sentence names what it lacks.

import * as l10n from '@vscode/l10n';
import { finalSize, QUALITY_DEFAULTS, QUALITY_LIMITS, type QualityFields } from '../shared/qualityOptions';
import type { ServerView } from '../shared/protocol';
import { fillSelect, h } from './dom';

type NumberField = 'hiresScale' | 'hiresSteps' | 'hiresDenoising' | 'clipSkip' | 'refinerSwitchAt' | 'distilledCfg';
type SelectField = 'hiresUpscaler' | 'vae' | 'refiner';

export class MoreSettings {
  readonly element: HTMLDetailsElement;
  private readonly inputs: { hiresFix: HTMLInputElement; tiling: HTMLInputElement } & Record<SelectField, HTMLSelectElement> &
    Record<NumberField, HTMLInputElement>;
  private readonly hiresSection: HTMLElement;
  private readonly hiresFields: HTMLElement;
  private readonly tilingField: HTMLElement;
  private readonly clipSkipField: HTMLElement;
  private readonly vaeField: HTMLElement;
  /** Forge: text encoder modules, several at once. */
  private readonly textEncoders = h('select', { id: 'textEncoders', name: 'textEncoders', multiple: true, size: 3 });
  private readonly textEncodersField: HTMLElement;
  /** Forge: the distilled CFG scale Flux follows; shown only where the server takes it. */
  private readonly distilledCfgField: HTMLElement;
  private readonly refinerSection: HTMLElement;
  private readonly switchAtField: HTMLElement;
  private readonly finalSizeText: HTMLElement;
  private readonly missingText: HTMLElement;
  private mode: 'txt2img' | 'img2img' = 'txt2img';
  private size = { width: 0, height: 0 };

  constructor(field: (id: string, label: string, control: HTMLElement, hint?: string) => HTMLElement) {
    const number = (id: NumberField, min: number, max: number, step: number) =>
      h('input', { id, name: id, type: 'number', min, max, step, inputmode: step === 1 ? 'numeric' : 'decimal', 'aria-describedby': `${id}-error` });
    this.inputs = {
      hiresFix: h('input', { id: 'hiresFix', name: 'hiresFix', type: 'checkbox' }),
      hiresScale: number('hiresScale', QUALITY_LIMITS.hiresScale.min, QUALITY_LIMITS.hiresScale.max, QUALITY_LIMITS.hiresScale.step),
      hiresUpscaler: h('select', { id: 'hiresUpscaler', name: 'hiresUpscaler', 'aria-describedby': 'hiresUpscaler-error' }),
      hiresSteps: number('hiresSteps', QUALITY_LIMITS.hiresSteps.min, QUALITY_LIMITS.hiresSteps.max, 1),
      hiresDenoising: number('hiresDenoising', 0, 1, 0.05),
      tiling: h('input', { id: 'tiling', name: 'tiling', type: 'checkbox' }),
      clipSkip: number('clipSkip', QUALITY_LIMITS.clipSkip.min, QUALITY_LIMITS.clipSkip.max, 1),
      vae: h('select', { id: 'vae', name: 'vae' }),
      refiner: h('select', { id: 'refiner', name: 'refiner' }),
      refinerSwitchAt: number('refinerSwitchAt', 0.01, 0.99, 0.05),
      distilledCfg: number('distilledCfg', QUALITY_LIMITS.distilledCfg.min, QUALITY_LIMITS.distilledCfg.max, QUALITY_LIMITS.distilledCfg.step),
    };
    const i = this.inputs;
    this.finalSizeText = h('p', { class: 'hint', id: 'hiresFinalSize', 'aria-live': 'polite' });
    this.hiresFields = h(
      'div',
      { class: 'hires-fields', id: 'hiresFields' },
      h('div', { class: 'pair' }, field('hiresScale', l10n.t('Upscale by'), i.hiresScale), field('hiresUpscaler', l10n.t('Upscaler'), i.hiresUpscaler)),
      h(
        'div',
        { class: 'pair' },
        field('hiresSteps', l10n.t('Hires steps'), i.hiresSteps, l10n.t('0: as many as the first pass.')),
        field('hiresDenoising', l10n.t('Denoising strength'), i.hiresDenoising),
      ),
      this.finalSizeText,
    );
    this.hiresSection = h(
      'fieldset',
      { class: 'more-group', id: 'hiresSection' },
      h('legend', {}, h('label', { class: 'check' }, i.hiresFix, l10n.t(' Hires fix'))),
      h('p', { class: 'hint', text: l10n.t('Makes the image at the size above, then again larger with more detail.') }),
      this.hiresFields,
    );
    this.tilingField = h(
      'div',
      { class: 'field' },
      h('label', { class: 'check' }, i.tiling, l10n.t(' Tiling')),
      h('p', { class: 'hint', text: l10n.t('A seamless texture: the edges match when the image repeats.') }),
    );
    this.clipSkipField = field('clipSkip', l10n.t('CLIP skip'), i.clipSkip, l10n.t('1 is off; 2 suits many anime models.'));
    this.vaeField = field('vae', 'VAE', i.vae, l10n.t('For this request only; others on the server keep theirs.'));
    this.textEncodersField = field(
      'textEncoders',
      l10n.t('Text encoders'),
      this.textEncoders,
      l10n.t("Forge's modules (CLIP-L, T5…), as Flux and SD3 need them; none: the model's own."),
    );
    this.textEncodersField.hidden = true;
    this.distilledCfgField = field(
      'distilledCfg',
      l10n.t('Distilled CFG scale'),
      i.distilledCfg,
      l10n.t('Flux follows this instead of the CFG scale (keep that at 1); 3.5 is the usual.'),
    );
    this.distilledCfgField.hidden = true;
    this.switchAtField = field('refinerSwitchAt', l10n.t('Switch at'), i.refinerSwitchAt, l10n.t('0.8: the refiner does the last fifth of the steps.'));
    this.refinerSection = h('div', { class: 'pair' }, field('refiner', l10n.t('Refiner'), i.refiner), this.switchAtField);
    fillSelect(i.vae, [{ value: '', label: l10n.t("Automatic (the model's own)") }], '', (v) => v);
    fillSelect(i.refiner, [{ value: '', label: l10n.t('None') }], '', (v) => v);
    this.missingText = h('p', { class: 'hint more-missing', id: 'moreMissing', hidden: true });
    this.element = h(
      'details',
      { class: 'more', id: 'moreSettings' },
      h('summary', { text: l10n.t('More settings') }),
      this.hiresSection,
      this.refinerSection,
      this.vaeField,
      this.textEncodersField,
      this.distilledCfgField,
      this.tilingField,
      this.clipSkipField,
      this.missingText,
    );
    i.hiresFix.addEventListener('change', () => this.showHires());
    i.refiner.addEventListener('change', () => this.showHires());
    for (const input of [i.hiresScale, i.hiresFix]) input.addEventListener('input', () => this.showFinalSize());
  }

  values(): QualityFields {
    const i = this.inputs;
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return {
      hiresFix: i.hiresFix.checked,
      hiresScale: num(i.hiresScale),
      hiresUpscaler: i.hiresUpscaler.value,
      hiresSteps: num(i.hiresSteps),
      hiresDenoising: num(i.hiresDenoising),
      tiling: i.tiling.checked,
      clipSkip: num(i.clipSkip),
      vae: i.vae.value,
      textEncoders: this.textEncodersField.hidden ? [] : [...this.textEncoders.selectedOptions].map((o) => o.value),
      refiner: i.refiner.value,
      refinerSwitchAt: num(i.refinerSwitchAt),
      // Hidden (a server without it): the server's own, not a value the user cannot see.
      distilledCfg: this.distilledCfgField.hidden ? QUALITY_DEFAULTS.distilledCfg : num(i.distilledCfg),
    };
  }

  setValues(values: QualityFields): void {
    const i = this.inputs;
    i.hiresFix.checked = values.hiresFix;
    i.tiling.checked = values.tiling;
    for (const field of ['hiresScale', 'hiresSteps', 'hiresDenoising', 'clipSkip', 'refinerSwitchAt', 'distilledCfg'] as const) {
      i[field].value = Number.isFinite(values[field]) ? String(values[field]) : '';
    }
    if (![...i.hiresUpscaler.options].some((o) => o.value === values.hiresUpscaler)) fillSelect(i.hiresUpscaler, [], values.hiresUpscaler, (v) => v);
    i.hiresUpscaler.value = values.hiresUpscaler;
    for (const field of ['vae', 'refiner'] as const) {
      const value = values[field] ?? '';
      if (![...i[field].options].some((o) => o.value === value)) i[field].append(h('option', { value, text: value }));
      i[field].value = value;
    }
    this.selectTextEncoders(values.textEncoders ?? []);
    // Something chosen here stays in sight.
    const changed = (key: keyof QualityFields) => key !== 'hiresUpscaler' && key !== 'textEncoders' && values[key] !== QUALITY_DEFAULTS[key];
    if ((Object.keys(QUALITY_DEFAULTS) as (keyof QualityFields)[]).some(changed) || (values.textEncoders ?? []).length > 0) this.element.open = true;
    this.showHires();
  }

  setServer(server: ServerView): void {
    const i = this.inputs;
    const known = server.models !== undefined && !server.error;
    if (server.hiresUpscalers) {
      fillSelect(
        i.hiresUpscaler,
        server.hiresUpscalers.map((name) => ({ value: name, label: name })),
        i.hiresUpscaler.value || QUALITY_DEFAULTS.hiresUpscaler,
        (name) => l10n.t('{0} (not on this server)', name),
      );
    }
    // Until the server has answered, every control stays; then only what it offers.
    this.hiresSection.dataset.offered = String(!known || server.hiresUpscalers !== undefined);
    this.tilingField.hidden = known && server.tiling !== true;
    const notOnServer = (value: string) => l10n.t('{0} (not on this server)', value);
    fillSelect(i.vae, [{ value: '', label: l10n.t("Automatic (the model's own)") }, ...(server.vaes ?? [])], i.vae.value, notOnServer);
    this.vaeField.hidden = known && server.vaes === undefined;
    const chosen = [...this.textEncoders.selectedOptions].map((o) => o.value);
    this.textEncoders.replaceChildren(...(server.textEncoders ?? []).map((m) => h('option', { value: m.value, text: m.label })));
    this.selectTextEncoders(chosen);
    this.textEncodersField.hidden = server.textEncoders === undefined;
    this.distilledCfgField.hidden = server.distilledCfg !== true;
    const models = (server.models ?? []).map((m) => ({ value: m.title, label: m.title }));
    fillSelect(i.refiner, [{ value: '', label: l10n.t('None') }, ...models], i.refiner.value, notOnServer);
    this.refinerSection.dataset.offered = String(!known || server.refiner === true);
    this.clipSkipField.hidden = known && server.clipSkip !== true;
    this.missingText.hidden = !known || !server.moreMissing;
    this.missingText.textContent = known ? (server.moreMissing ?? '') : '';
    this.showHires();
  }

  /**
   * Selects these files, or the server's modules of these names (as an image records them: Reuse
   * in Panel), adding any the list lacks (a saved form from another server).
   */
  private selectTextEncoders(wanted: readonly string[]): void {
    const options = () => [...this.textEncoders.options];
    const files = wanted.map((entry) => options().find((o) => o.value === entry || o.label === entry)?.value ?? entry);
    for (const file of files) {
      if (!options().some((o) => o.value === file)) this.textEncoders.append(h('option', { value: file, text: l10n.t('{0} (not on this server)', file) }));
    }
    for (const option of options()) option.selected = files.includes(option.value);
  }

  setMode(mode: 'txt2img' | 'img2img'): void {
    this.mode = mode;
    this.showHires();
  }

  setSize(width: number, height: number): void {
    this.size = { width, height };
    this.showFinalSize();
  }

  controlFor(field: string): HTMLElement | undefined {
    return (this.inputs as unknown as Record<string, HTMLElement | undefined>)[field];
  }

  private showHires(): void {
    // Hires fix is a text-to-image pass: image to image has its own denoising.
    this.hiresSection.hidden = this.mode !== 'txt2img' || this.hiresSection.dataset.offered === 'false';
    this.hiresFields.hidden = !this.inputs.hiresFix.checked;
    // A refiner takes over a text-to-image job's last steps.
    this.refinerSection.hidden = this.mode !== 'txt2img' || this.refinerSection.dataset.offered === 'false';
    this.switchAtField.hidden = this.inputs.refiner.value === '';
    this.showFinalSize();
  }

  private showFinalSize(): void {
    const scale = Number(this.inputs.hiresScale.value);
    const { width, height } = this.size;
    if (!this.inputs.hiresFix.checked || !(scale > 0) || !(width > 0) || !(height > 0)) {
      this.finalSizeText.textContent = '';
      return;
    }
    const made = finalSize(width, height, { scale, upscaler: '', steps: 0, denoisingStrength: 0 });
    this.finalSizeText.textContent = l10n.t('Final size: {0} × {1}', made.width, made.height);
  }
}
