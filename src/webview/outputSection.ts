// "Output file" below the form: an exact size (the server makes the picture near the model's
// native area with the target's aspect; it is then cropped or fitted to exactly the target) and
// the format, quality or size budget of the saved file, and a transparent background where the
// server removes them. Closed until something is chosen; the plan line says what the server will
// make and what it becomes.

import * as l10n from '@vscode/l10n';
import { generationSizeFor, nativeSideOf, OUTPUT_DEFAULTS, targetPresets, type OutputFields, type OutputFormat, type Fit } from '../shared/outputShape';
import type { ServerView } from '../shared/protocol';
import { fillSelect, h } from './dom';
import { TransparentBackground } from './transparentBackground';

type NumberField = 'outputWidth' | 'outputHeight' | 'outputQuality' | 'outputMaxKB';

const formats = (): { value: OutputFields['outputFormat']; label: string }[] => [
  { value: 'server', label: l10n.t('As the server sends it') },
  { value: 'png', label: l10n.t('PNG, optimised (lossless)') },
  { value: 'webp', label: 'WebP' },
  { value: 'jpeg', label: l10n.t('JPEG (no transparency)') },
  { value: 'avif', label: l10n.t('AVIF (smallest; keeps no parameters)') },
];

export class OutputSection {
  readonly element: HTMLDetailsElement;
  private readonly exactSize = h('input', { id: 'exactSize', name: 'exactSize', type: 'checkbox' });
  private readonly preset = h('select', { id: 'outputPreset', 'aria-label': l10n.t('Common sizes') });
  private readonly numbers: Record<NumberField, HTMLInputElement>;
  private readonly fit = h('select', { id: 'outputFit', name: 'outputFit' });
  private readonly background = h('input', {
    id: 'outputBackground',
    name: 'outputBackground',
    type: 'text',
    placeholder: 'transparent',
    maxlength: 7,
    spellcheck: false,
  });
  private readonly modelSize = h('select', { id: 'outputModelSize', name: 'outputModelSize' });
  private readonly format = h('select', { id: 'outputFormat', name: 'outputFormat' });
  private readonly sizeFields: HTMLElement;
  private readonly backgroundField: HTMLElement;
  private readonly qualityFields: HTMLElement;
  private readonly plan = h('p', { class: 'hint', id: 'outputPlan', 'aria-live': 'polite' });
  private readonly transparency: TransparentBackground;
  private model = '';
  private hires = 1;

  constructor(
    field: (id: string, label: string, control: HTMLElement, hint?: string) => HTMLElement,
    errorSlot: (id: string) => HTMLElement,
    /** Told when the exact size is switched on or off (the form's own size then means nothing to the user). */
    private readonly onExactSize: (on: boolean) => void,
  ) {
    const number = (id: NumberField, min: number, max: number) =>
      h('input', { id, name: id, type: 'number', min, max, step: 1, inputmode: 'numeric', 'aria-describedby': `${id}-error` });
    this.numbers = {
      outputWidth: number('outputWidth', 1, 8192),
      outputHeight: number('outputHeight', 1, 8192),
      outputQuality: number('outputQuality', 1, 100),
      outputMaxKB: number('outputMaxKB', 0, 102400),
    };
    const n = this.numbers;
    fillSelect(
      this.preset,
      [
        { value: '', label: l10n.t('Common sizes…') },
        ...targetPresets().map((p) => ({ value: `${p.width}x${p.height}`, label: `${p.label} (${p.width} × ${p.height})` })),
      ],
      '',
      (v) => v,
    );
    fillSelect(
      this.fit,
      [
        { value: 'cover', label: l10n.t('Cover (crop to fill)') },
        { value: 'contain', label: l10n.t('Contain (fit, pad)') },
      ],
      'cover',
      (v) => v,
    );
    fillSelect(
      this.modelSize,
      [
        { value: 'auto', label: l10n.t("Auto (from the model's name)") },
        { value: '512', label: '512 × 512 (SD 1.5)' },
        { value: '768', label: '768 × 768 (SD 2)' },
        { value: '1024', label: l10n.t('1024 × 1024 (SDXL, SD 3, Flux)') },
      ],
      'auto',
      (v) => v,
    );
    fillSelect(this.format, formats(), 'server', (v) => v);
    this.backgroundField = field(
      'outputBackground',
      l10n.t('Background'),
      this.background,
      l10n.t('With contain: #rrggbb, or empty for transparent (white in a JPEG).'),
    );
    this.sizeFields = h(
      'div',
      { class: 'output-size', id: 'outputSizeFields' },
      h(
        'div',
        { class: 'field' },
        this.preset,
        h(
          'div',
          { class: 'row size' },
          h('label', { for: 'outputWidth', class: 'inline', text: 'W' }),
          n.outputWidth,
          h('label', { for: 'outputHeight', class: 'inline', text: 'H' }),
          n.outputHeight,
        ),
        errorSlot('outputWidth'),
        errorSlot('outputHeight'),
      ),
      h('div', { class: 'pair' }, field('outputFit', l10n.t('Fit'), this.fit), field('outputModelSize', l10n.t('Generate near'), this.modelSize)),
      this.backgroundField,
      this.plan,
    );
    this.qualityFields = h(
      'div',
      { class: 'pair' },
      field('outputQuality', l10n.t('Quality'), n.outputQuality),
      field('outputMaxKB', l10n.t('At most (KB)'), n.outputMaxKB, l10n.t('0: no limit; else the best quality that fits.')),
    );
    this.transparency = new TransparentBackground(field);
    this.element = h(
      'details',
      { class: 'more', id: 'outputFile' },
      h('summary', { text: l10n.t('Output file') }),
      h(
        'fieldset',
        { class: 'more-group' },
        h('legend', {}, h('label', { class: 'check' }, this.exactSize, l10n.t(' Exact size'))),
        h('p', { class: 'hint', text: l10n.t("Made near the model's own size with this shape, then resized to exactly this.") }),
        this.sizeFields,
      ),
      this.transparency.element,
      this.transparency.missing,
      field('outputFormat', l10n.t('Format'), this.format),
      this.qualityFields,
    );
    this.exactSize.addEventListener('change', () => {
      this.show();
      this.onExactSize(this.exactSize.checked);
    });
    this.preset.addEventListener('change', () => {
      const [width, height] = this.preset.value.split('x').map(Number);
      if (width && height) {
        n.outputWidth.value = String(width);
        n.outputHeight.value = String(height);
        this.preset.value = '';
        n.outputWidth.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    for (const control of [this.fit, this.modelSize, this.format, n.outputWidth, n.outputHeight]) {
      control.addEventListener('input', () => this.show());
      control.addEventListener('change', () => this.show());
    }
  }

  values(): OutputFields {
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return {
      exactSize: this.exactSize.checked,
      outputWidth: num(this.numbers.outputWidth),
      outputHeight: num(this.numbers.outputHeight),
      outputFit: this.fit.value as Fit,
      outputBackground: this.background.value.trim(),
      outputModelSize: this.modelSize.value as OutputFields['outputModelSize'],
      outputFormat: this.format.value as 'server' | OutputFormat,
      outputQuality: num(this.numbers.outputQuality),
      outputMaxKB: num(this.numbers.outputMaxKB),
      ...this.transparency.values(),
    };
  }

  setValues(values: OutputFields): void {
    this.exactSize.checked = values.exactSize;
    for (const field of ['outputWidth', 'outputHeight', 'outputQuality', 'outputMaxKB'] as const) {
      this.numbers[field].value = Number.isFinite(values[field]) ? String(values[field]) : '';
    }
    this.fit.value = values.outputFit;
    this.background.value = values.outputBackground;
    this.modelSize.value = values.outputModelSize;
    this.format.value = values.outputFormat;
    this.transparency.setValues(values);
    // Something chosen here stays in sight.
    if (values.exactSize || values.transparent || values.outputFormat !== OUTPUT_DEFAULTS.outputFormat) this.element.open = true;
    this.show();
    this.onExactSize(values.exactSize);
  }

  /** The model that will make the picture (its name gives the native size) and hires fix's factor. */
  setContext(model: string, hiresScale: number): void {
    this.model = model;
    this.hires = hiresScale > 1 ? hiresScale : 1;
    this.showPlan();
  }

  setServer(server: ServerView): void {
    this.transparency.setServer(server);
  }

  controlFor(field: string): HTMLElement | undefined {
    const controls: Record<string, HTMLElement> = {
      ...this.numbers,
      exactSize: this.exactSize,
      outputFit: this.fit,
      outputBackground: this.background,
      outputModelSize: this.modelSize,
      outputFormat: this.format,
      ...this.transparency.controls,
    };
    return controls[field];
  }

  private show(): void {
    this.sizeFields.hidden = !this.exactSize.checked;
    this.backgroundField.hidden = this.fit.value !== 'contain';
    this.qualityFields.hidden = !['webp', 'jpeg', 'avif'].includes(this.format.value);
    this.showPlan();
  }

  private showPlan(): void {
    const { outputWidth: width, outputHeight: height, outputModelSize } = this.values();
    if (!this.exactSize.checked || !(width > 0) || !(height > 0)) {
      this.plan.textContent = '';
      return;
    }
    const side = outputModelSize === 'auto' ? nativeSideOf(this.model) : Number(outputModelSize);
    const made = generationSizeFor({ width, height }, side);
    const scaled = { width: Math.floor(made.width * this.hires), height: Math.floor(made.height * this.hires) };
    this.plan.textContent =
      this.fit.value === 'contain'
        ? l10n.t('The server makes {0} × {1}, then it is fitted into {2} × {3}.', scaled.width, scaled.height, width, height)
        : l10n.t('The server makes {0} × {1}, then it is cropped to {2} × {3}.', scaled.width, scaled.height, width, height);
  }
}
