// ControlNet in the panel: up to three units, each a control image (a workspace image, or the
// image-to-image source) with the preprocessor and model from the server's lists, weight,
// starting and ending step, control mode, resize mode and pixel perfect. Closed by default; on a
// server without the extension, one sentence says why it is missing and no unit is sent.

import { CONTROL_UNIT_DEFAULTS, controlField, MAX_CONTROL_UNITS, type ControlUnitValues } from '../shared/controlNet';
import type { FieldError, ServerView, SourceView } from '../shared/protocol';
import { fillSelect, h, option } from './dom';

export interface ControlNetEvents {
  onPickImage(unit: number): void;
  onDropImage(unit: number, uriOrPath: string): void;
  onChange(): void;
}

type NumberField = 'weight' | 'guidanceStart' | 'guidanceEnd';

interface UnitView {
  element: HTMLElement;
  image: string;
  preview: HTMLImageElement;
  imageText: HTMLElement;
  choose: HTMLButtonElement;
  useSource: HTMLButtonElement;
  inputs: {
    module: HTMLSelectElement;
    model: HTMLSelectElement;
    controlMode: HTMLSelectElement;
    resizeMode: HTMLSelectElement;
    pixelPerfect: HTMLInputElement;
  } & Record<NumberField, HTMLInputElement>;
  errors: Map<string, HTMLElement>;
}

export class ControlNetSection {
  readonly element: HTMLDetailsElement;
  private readonly list = h('div', { class: 'control-units', id: 'controlUnits' });
  private readonly add = h('button', { type: 'button', class: 'secondary', id: 'addControlUnit', text: 'Add a unit' });
  private readonly missing = h('p', { class: 'hint', id: 'controlNetMissing', hidden: true });
  private units: UnitView[] = [];
  /** Previews of the control images the host sent, by path (units are rebuilt on add and remove). */
  private readonly previews = new Map<string, string>();
  private lists: { modules: string[]; models: string[] } | undefined;
  private unavailable = false;
  private mode: 'txt2img' | 'img2img' = 'txt2img';

  constructor(private readonly events: ControlNetEvents) {
    this.element = h(
      'details',
      { class: 'more', id: 'controlNetSection' },
      h('summary', { text: 'ControlNet' }),
      h('div', { class: 'more-body' }, this.missing, this.list, this.add),
    );
    this.add.addEventListener('click', () => {
      this.render([...this.values(true), this.newUnit()]);
      this.units.at(-1)?.inputs.model.focus();
      this.events.onChange();
    });
  }

  setServer(server: ServerView): void {
    this.lists = server.controlNet;
    this.unavailable = server.controlNetMissing !== undefined;
    this.missing.hidden = !this.unavailable;
    this.missing.textContent = this.unavailable
      ? `${server.controlNetMissing ?? ''} ${this.units.length > 0 ? 'The units below are not sent.' : ''}`.trim()
      : '';
    this.render(this.values(true));
  }

  setMode(mode: 'txt2img' | 'img2img'): void {
    this.mode = mode;
    for (const unit of this.units) this.showImage(unit);
  }

  /** The units to send: none on a server without ControlNet (`all`: every unit shown). */
  values(all = false): ControlUnitValues[] {
    if (this.unavailable && !all) return [];
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return this.units.map(({ image, inputs: i }) => ({
      image,
      module: i.module.value,
      model: i.model.value,
      weight: num(i.weight),
      guidanceStart: num(i.guidanceStart),
      guidanceEnd: num(i.guidanceEnd),
      controlMode: i.controlMode.value as ControlUnitValues['controlMode'],
      resizeMode: i.resizeMode.value as ControlUnitValues['resizeMode'],
      pixelPerfect: i.pixelPerfect.checked,
    }));
  }

  setValues(units: readonly ControlUnitValues[] | undefined): void {
    this.render(units ?? []);
    if (this.units.length > 0) this.element.open = true;
  }

  /** The host's answer to a pick or a drop. */
  setImage(index: number, image: SourceView): void {
    const unit = this.units[index];
    if (!unit) return;
    unit.image = image.path;
    this.previews.set(image.path, image.src);
    unit.preview.src = image.src;
    this.showImage(unit);
    this.events.onChange();
  }

  showErrors(errors: readonly FieldError[]): void {
    for (const unit of this.units) {
      for (const [field, slot] of unit.errors) {
        const messages = errors.filter((e) => e.field === field).map((e) => e.message);
        slot.textContent = messages.join(' ');
        slot.hidden = messages.length === 0;
      }
    }
  }

  controlFor(field: string): HTMLElement | undefined {
    const [, index, name] = /^controlNet\.(\d+)\.(\w+)$/.exec(field) ?? [];
    const unit = this.units[Number(index)];
    if (!unit || !name) return undefined;
    return name === 'image' ? unit.choose : (unit.inputs as Record<string, HTMLElement | undefined>)[name];
  }

  private newUnit(): ControlUnitValues {
    const models = this.lists?.models.filter((model) => model !== 'None') ?? [];
    const none = this.lists?.modules.find((module) => module.toLowerCase() === 'none');
    return { ...CONTROL_UNIT_DEFAULTS, module: none ?? this.lists?.modules[0] ?? 'none', model: models[0] ?? '' };
  }

  private render(values: readonly ControlUnitValues[]): void {
    this.units = values.slice(0, MAX_CONTROL_UNITS).map((value, index) => this.unit(value, index));
    this.list.replaceChildren(...this.units.map((unit) => unit.element));
    this.add.hidden = this.units.length >= MAX_CONTROL_UNITS || this.unavailable;
  }

  private unit(value: ControlUnitValues, index: number): UnitView {
    const id = (name: string) => `cn-${name}-${index}`;
    const number = (name: NumberField, max: number) =>
      h('input', {
        id: id(name),
        type: 'number',
        min: 0,
        max,
        step: 0.05,
        inputmode: 'decimal',
        value: Number.isFinite(value[name]) ? String(value[name]) : '',
      });
    const inputs: UnitView['inputs'] = {
      module: h('select', { id: id('module') }),
      model: h('select', { id: id('model') }),
      weight: number('weight', 2),
      guidanceStart: number('guidanceStart', 1),
      guidanceEnd: number('guidanceEnd', 1),
      controlMode: h('select', { id: id('controlMode') }),
      resizeMode: h('select', { id: id('resizeMode') }),
      pixelPerfect: h('input', { id: id('pixelPerfect'), type: 'checkbox' }),
    };
    fillSelect(
      inputs.module,
      (this.lists?.modules ?? []).map((m) => ({ value: m, label: m })),
      value.module,
      (m) => `${m} (not on this server)`,
    );
    fillSelect(
      inputs.model,
      (this.lists?.models ?? []).map((m) => ({ value: m, label: m })),
      value.model,
      (m) => `${m} (not on this server)`,
    );
    inputs.controlMode.append(
      option('balanced', 'Balanced'),
      option('prompt', 'My prompt is more important'),
      option('control', 'ControlNet is more important'),
    );
    inputs.controlMode.value = value.controlMode;
    inputs.resizeMode.append(option('justResize', 'Just resize'), option('cropAndResize', 'Crop and resize'), option('resizeAndFill', 'Resize and fill'));
    inputs.resizeMode.value = value.resizeMode;
    inputs.pixelPerfect.checked = value.pixelPerfect;
    const errors = new Map<string, HTMLElement>();
    const slot = (field: keyof ControlUnitValues) => {
      const element = h('p', { class: 'field-error', id: `${controlField(index, field)}-error`, role: 'alert', hidden: true });
      errors.set(controlField(index, field), element);
      return element;
    };
    const field = (name: keyof UnitView['inputs'], label: string) =>
      h('div', { class: 'field' }, h('label', { for: id(name), text: label }), inputs[name], slot(name));
    const choose = h('button', { type: 'button', class: 'secondary', id: id('choose'), text: 'Choose…' });
    const useSource = h('button', { type: 'button', class: 'secondary', id: id('useSource'), text: 'Use the source' });
    const remove = h('button', { type: 'button', class: 'secondary', id: id('remove'), text: 'Remove', 'aria-label': `Remove ControlNet unit ${index + 1}` });
    const preview = h('img', { class: 'source-preview', alt: `Control image of unit ${index + 1}` });
    const imageText = h('p', { class: 'source-text', 'aria-live': 'polite' });
    const element = h(
      'fieldset',
      { class: 'more-group control-unit', id: id('unit') },
      h('legend', { text: `Unit ${index + 1}` }),
      h('div', { class: 'drop-zone' }, preview, h('div', { class: 'source-side' }, imageText, h('div', { class: 'row' }, choose, useSource, remove))),
      slot('image'),
      h('div', { class: 'pair' }, field('module', 'Preprocessor'), field('model', 'Model')),
      h('div', { class: 'pair' }, field('weight', 'Control weight'), field('controlMode', 'Control mode')),
      h('div', { class: 'pair' }, field('guidanceStart', 'Starting step'), field('guidanceEnd', 'Ending step')),
      h('div', { class: 'pair' }, field('resizeMode', 'Resize mode'), h('label', { class: 'check' }, inputs.pixelPerfect, ' Pixel perfect')),
    );
    const known = this.previews.get(value.image);
    if (known) preview.src = known;
    const unit: UnitView = { element, image: value.image, preview, imageText, choose, useSource, inputs, errors };
    choose.addEventListener('click', () => this.events.onPickImage(index));
    useSource.addEventListener('click', () => {
      unit.image = '';
      this.showImage(unit);
      this.events.onChange();
    });
    remove.addEventListener('click', () => {
      this.render(this.values(true).filter((_, at) => at !== index));
      this.events.onChange();
    });
    element.addEventListener('dragover', (event) => event.preventDefault());
    element.addEventListener('drop', (event) => {
      event.preventDefault();
      const dropped = event.dataTransfer?.getData('text/uri-list') || event.dataTransfer?.getData('text/plain') || '';
      const first = dropped.split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('#'));
      if (first) this.events.onDropImage(index, first.trim());
    });
    this.showImage(unit);
    return unit;
  }

  private showImage(unit: UnitView): void {
    const fromSource = unit.image === '';
    unit.preview.hidden = fromSource || !unit.preview.src;
    unit.useSource.hidden = this.mode !== 'img2img' || fromSource;
    unit.imageText.textContent = !fromSource
      ? unit.image
      : this.mode === 'img2img'
        ? 'The image-to-image source is the control image. Choose another, or drop one here.'
        : 'No control image: choose one, or drop one here.';
  }
}
