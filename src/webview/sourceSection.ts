// Image to image's part of the form: the source (chosen, dropped or from the gallery), its
// denoising strength and resize mode, inpainting (the mask editor and its settings) and
// outpainting (the canvas extended on some sides).

import * as l10n from '@vscode/l10n';
import { fitToArea, isExtended, NO_EXTENSION, paddedSize, type Sides } from '../shared/outpaint';
import { LIMITS, type FormValues, type SourceView } from '../shared/protocol';
import { h, option } from './dom';
import { MaskEditor } from './maskEditor';
import { OutpaintControls, paddedSourcePng, validSides } from './outpaintControls';

type SourceFields = Pick<FormValues, 'source' | 'denoisingStrength' | 'resizeMode' | 'maskBlur' | 'maskFill' | 'inpaintArea' | 'maskPadding' | keyof Sides>;

export interface SourceEvents {
  onPick(): void;
  onDrop(uriOrPath: string): void;
  onClear(): void;
  onChange(): void;
  /** Outpainting needs the source's pixels: ask the host (answered through receiveSourceData). */
  onNeedSourceData(): void;
  /** The canvas grew or shrank: the output size that keeps the source's pixel count. */
  onOutputSize(width: number, height: number): void;
}

export class SourceSection {
  readonly element: HTMLFieldSetElement;
  private readonly inputs = {
    denoisingStrength: h('input', {
      id: 'denoisingStrength',
      name: 'denoisingStrength',
      type: 'number',
      min: 0,
      max: 1,
      step: 0.05,
      inputmode: 'decimal',
      'aria-describedby': 'denoisingStrength-error',
    }),
    denoisingRange: h('input', { id: 'denoisingRange', type: 'range', min: 0, max: 1, step: 0.05, 'aria-label': l10n.t('Denoising strength slider') }),
    resizeMode: h('select', { id: 'resizeMode', name: 'resizeMode' }),
    maskBlur: h('input', {
      id: 'maskBlur',
      name: 'maskBlur',
      type: 'number',
      min: 0,
      max: 64,
      step: 1,
      inputmode: 'numeric',
      'aria-describedby': 'maskBlur-error',
    }),
    maskPadding: h('input', {
      id: 'maskPadding',
      name: 'maskPadding',
      type: 'number',
      min: 0,
      max: 256,
      step: 1,
      inputmode: 'numeric',
      'aria-describedby': 'maskPadding-error',
    }),
    maskFill: h('select', { id: 'maskFill', name: 'maskFill' }),
    inpaintArea: h('select', { id: 'inpaintArea', name: 'inpaintArea' }),
  };
  private readonly preview = h('img', { class: 'source-preview', alt: l10n.t('Source image'), hidden: true });
  private readonly text = h('p', { class: 'source-text', id: 'source-text', 'aria-live': 'polite' });
  private readonly mask: MaskEditor;
  private readonly outpaint: OutpaintControls;
  private source = '';
  private view: SourceView | null = null;
  /** The source as a data: URI, once the host sent it (or a request for it is out). */
  private sourceData: { path: string; src: Promise<string>; resolve?: (src: string) => void } | undefined;

  private readonly events: SourceEvents;

  constructor(
    events: SourceEvents,
    field: (id: string, label: string, control: HTMLElement, hint?: string) => HTMLElement,
    errorSlot: (id: string) => HTMLElement,
  ) {
    const i = this.inputs;
    i.resizeMode.append(
      option('justResize', l10n.t('Just resize')),
      option('cropAndResize', l10n.t('Crop and resize')),
      option('resizeAndFill', l10n.t('Resize and fill')),
    );
    i.maskFill.append(
      option('original', l10n.t('Original')),
      option('fill', l10n.t('Fill')),
      option('latentNoise', l10n.t('Latent noise')),
      option('latentNothing', l10n.t('Latent nothing')),
    );
    i.inpaintArea.append(option('whole', l10n.t('Whole picture')), option('masked', l10n.t('Only masked')));
    const choose = h('button', { type: 'button', class: 'secondary', id: 'chooseSource', text: l10n.t('Choose…') });
    const clear = h('button', { type: 'button', class: 'secondary', id: 'clearSource', text: l10n.t('Clear') });
    const dropZone = h(
      'div',
      { class: 'drop-zone', id: 'dropZone' },
      this.preview,
      h('div', { class: 'source-side' }, this.text, h('div', { class: 'row' }, choose, clear)),
    );
    this.outpaint = new OutpaintControls(field, () => {
      this.mask.setExtension(this.sides());
      const size = this.view && { width: this.view.suggestedWidth, height: this.view.suggestedHeight };
      if (size) {
        const fitted = fitToArea(paddedSize(this.mask.sourceSize, this.sides()), size, LIMITS.size);
        events.onOutputSize(fitted.width, fitted.height);
      }
      events.onChange();
    });
    this.events = events;
    this.mask = new MaskEditor(
      h(
        'div',
        { class: 'mask-fields' },
        this.outpaint.element,
        h('div', { class: 'pair' }, field('maskBlur', l10n.t('Mask blur'), i.maskBlur), field('maskFill', l10n.t('Masked content'), i.maskFill)),
        h(
          'div',
          { class: 'pair' },
          field('inpaintArea', l10n.t('Inpaint area'), i.inpaintArea),
          field('maskPadding', l10n.t('Padding'), i.maskPadding, l10n.t('Only masked: pixels around it.')),
        ),
      ),
      () => events.onChange(),
    );
    this.element = h(
      'fieldset',
      { class: 'source', id: 'sourceSection', hidden: true },
      h('legend', { text: l10n.t('Source image') }),
      dropZone,
      errorSlot('source'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'denoisingStrength', text: l10n.t('Denoising strength') }),
        h('div', { class: 'row' }, i.denoisingRange, i.denoisingStrength),
        h('p', { class: 'hint', text: l10n.t('0 keeps the source, 1 ignores it.') }),
        errorSlot('denoisingStrength'),
      ),
      field('resizeMode', l10n.t('Resize mode'), i.resizeMode),
      this.mask.element,
    );
    i.denoisingRange.addEventListener('input', () => (i.denoisingStrength.value = i.denoisingRange.value));
    i.denoisingStrength.addEventListener('input', () => (i.denoisingRange.value = i.denoisingStrength.value));
    choose.addEventListener('click', () => events.onPick());
    clear.addEventListener('click', () => events.onClear());
    dropZone.addEventListener('dragover', (event) => {
      event.preventDefault();
      dropZone.classList.add('dragging');
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
    dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      dropZone.classList.remove('dragging');
      const dropped = event.dataTransfer?.getData('text/uri-list') || event.dataTransfer?.getData('text/plain') || '';
      const first = dropped.split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('#'));
      if (first) events.onDrop(first.trim());
    });
  }

  values(): SourceFields {
    const i = this.inputs;
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return {
      source: this.source,
      denoisingStrength: num(i.denoisingStrength),
      resizeMode: i.resizeMode.value as FormValues['resizeMode'],
      maskBlur: num(i.maskBlur),
      maskFill: i.maskFill.value as FormValues['maskFill'],
      inpaintArea: i.inpaintArea.value as FormValues['inpaintArea'],
      maskPadding: num(i.maskPadding),
      // Outpainting is part of the mask editor: off with it.
      ...(this.mask.enabled ? this.outpaint.sides() : NO_EXTENSION),
    };
  }

  /** The sides the canvas grows by now (invalid fields count as 0). */
  private sides(): Sides {
    return this.mask.enabled ? validSides(this.outpaint.sides()) : NO_EXTENSION;
  }

  /** When outpainting, the source padded to the grown canvas (base64 PNG); rejects with a sentence. */
  async paddedSource(): Promise<string | undefined> {
    const sides = this.sides();
    if (!isExtended(sides) || !this.view) return undefined;
    if (this.sourceData?.path !== this.view.path) this.requestSourceData(this.view.path);
    const src = await Promise.race([
      this.sourceData!.src,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('The source image did not arrive: choose it again.')), 15_000)),
    ]);
    return paddedSourcePng(src, this.mask.sourceSize, sides).catch(() => {
      throw new Error('The source image could not be read to extend it: choose it again.');
    });
  }

  /** The host's answer to onNeedSourceData. */
  receiveSourceData(path: string, src: string): void {
    if (this.sourceData?.path === path) this.sourceData.resolve?.(src);
  }

  private requestSourceData(path: string): void {
    if (this.view?.src.startsWith('data:')) {
      this.sourceData = { path, src: Promise.resolve(this.view.src) };
      return;
    }
    const arrived: { resolve?: (src: string) => void } = {};
    const src = new Promise<string>((resolve) => (arrived.resolve = resolve));
    this.sourceData = { path, src, resolve: (data) => arrived.resolve?.(data) };
    this.events.onNeedSourceData();
  }

  setValues(values: SourceFields): void {
    const i = this.inputs;
    for (const field of ['denoisingStrength', 'maskBlur', 'maskPadding'] as const) i[field].value = Number.isFinite(values[field]) ? String(values[field]) : '';
    i.denoisingRange.value = String(values.denoisingStrength);
    i.resizeMode.value = values.resizeMode;
    i.maskFill.value = values.maskFill ?? 'original';
    i.inpaintArea.value = values.inpaintArea ?? 'whole';
    this.outpaint.setValues({
      extendLeft: values.extendLeft ?? 0,
      extendTop: values.extendTop ?? 0,
      extendRight: values.extendRight ?? 0,
      extendBottom: values.extendBottom ?? 0,
    });
    this.mask.setExtension(this.sides());
    this.source = values.source;
  }

  /** A new source (or none): the preview, its line, and an empty mask at its size. */
  setSource(source: SourceView | null): void {
    this.source = source?.path ?? '';
    this.view = source;
    this.sourceData = undefined;
    this.preview.hidden = !source?.src;
    this.mask.setSource(source?.src ?? '', source?.width ?? 0, source?.height ?? 0);
    this.outpaint.setSource({ width: source?.width ?? 0, height: source?.height ?? 0 });
    this.mask.setExtension(this.sides());
    if (source?.src) {
      this.preview.src = source.src;
      this.preview.alt = l10n.t('Source image {0}', source.path);
    } else {
      this.preview.removeAttribute('src');
    }
    this.text.textContent = source
      ? `${source.path} · ${source.width}×${source.height}`
      : l10n.t('No source image. Choose one, drop one here (hold Shift while dragging from the Explorer), or use one from the gallery.');
  }

  /** The painted mask (base64 PNG) when inpainting. */
  maskPng(): string | undefined {
    return this.mask.maskPng();
  }

  controlFor(field: string): HTMLElement | undefined {
    return (this.inputs as Record<string, HTMLElement | undefined>)[field] ?? this.outpaint.controlFor(field);
  }
}
