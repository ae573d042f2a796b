// ControlNet in the panel: as many units as the server takes (its Multi-ControlNet setting), each a control image (a workspace image, or the
// image-to-image source) with the preprocessor and model from the server's lists, weight,
// starting and ending step, control mode, resize mode and pixel perfect. Closed by default; on a
// server without the extension, one sentence says why it is missing and no unit is sent.

import * as l10n from '@vscode/l10n';
import { CONTROL_UNIT_DEFAULTS, DEFAULT_CONTROL_UNITS, MAX_CONTROL_UNITS, type ControlUnitValues } from '../shared/controlNet';
import type { FieldError, ServerView, SourceView } from '../shared/protocol';
import { controlUnitView, type UnitView } from './controlUnitView';
import { h } from './dom';

export interface ControlNetEvents {
  onPickImage(unit: number): void;
  onDropImage(unit: number, uriOrPath: string): void;
  onChange(): void;
}

export class ControlNetSection {
  readonly element: HTMLDetailsElement;
  private readonly list = h('div', { class: 'control-units', id: 'controlUnits' });
  private readonly add = h('button', { type: 'button', class: 'secondary', id: 'addControlUnit', text: l10n.t('Add a unit') });
  private readonly missing = h('p', { class: 'hint', id: 'controlNetMissing', hidden: true });
  /** Errors about the units together (more than the server takes). */
  private readonly error = h('p', { class: 'field-error', id: 'controlNet-error', role: 'alert', hidden: true });
  private units: UnitView[] = [];
  /** Previews of the control images the host sent, by path (units are rebuilt on add and remove). */
  private readonly previews = new Map<string, string>();
  private lists: ServerView['controlNet'];
  private unavailable = false;
  private mode: 'txt2img' | 'img2img' = 'txt2img';

  constructor(private readonly events: ControlNetEvents) {
    this.element = h(
      'details',
      { class: 'more', id: 'controlNetSection' },
      h('summary', { text: 'ControlNet' }),
      h('div', { class: 'more-body' }, this.missing, this.list, this.error, this.add),
    );
    this.add.addEventListener('click', () => {
      this.render([...this.values(), this.newUnit()]);
      this.units.at(-1)?.inputs.model.focus();
      this.events.onChange();
    });
  }

  setServer(server: ServerView): void {
    this.lists = server.controlNet;
    this.unavailable = server.controlNetMissing !== undefined;
    this.missing.hidden = !this.unavailable;
    this.missing.textContent = this.unavailable
      ? `${server.controlNetMissing ?? ''} ${this.units.length > 0 ? l10n.t('The units below are not sent.') : ''}`.trim()
      : '';
    this.render(this.values());
  }

  setMode(mode: 'txt2img' | 'img2img'): void {
    this.mode = mode;
    for (const unit of this.units) this.showImage(unit);
  }

  /** How many units the server takes (its Multi-ControlNet setting). */
  get limit(): number {
    return this.lists?.units ?? DEFAULT_CONTROL_UNITS;
  }

  /** Whether the units shown go with Generate: not to a server without ControlNet. */
  get sent(): boolean {
    return !this.unavailable;
  }

  /** Every unit shown, sent or not: the form's state keeps them across a server without ControlNet. */
  values(): ControlUnitValues[] {
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
    const together = errors.filter((e) => e.field === 'controlNet').map((e) => e.message);
    this.error.textContent = together.join(' ');
    this.error.hidden = together.length === 0;
    for (const unit of this.units) {
      for (const [field, slot] of unit.errors) {
        const messages = errors.filter((e) => e.field === field).map((e) => e.message);
        slot.textContent = messages.join(' ');
        slot.hidden = messages.length === 0;
      }
    }
  }

  /** Whether any of its errors is shown. */
  get showsErrors(): boolean {
    return this.errorSlots().some(([, slot]) => !slot.hidden);
  }

  /** Updates the errors shown (one disappears as soon as it is fixed); shows no new ones. */
  recheckErrors(errors: readonly FieldError[]): void {
    for (const [field, slot] of this.errorSlots()) {
      if (slot.hidden) continue;
      const messages = errors.filter((e) => e.field === field).map((e) => e.message);
      slot.textContent = messages.join(' ');
      slot.hidden = messages.length === 0;
    }
  }

  private errorSlots(): [string, HTMLElement][] {
    return [['controlNet', this.error], ...this.units.flatMap((unit) => [...unit.errors])];
  }

  controlFor(field: string): HTMLElement | undefined {
    // Too many units: the last one's Remove.
    if (field === 'controlNet') return this.units.at(-1)?.element.querySelector<HTMLButtonElement>('button[id^="cn-remove-"]') ?? undefined;
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
    // Units beyond the server's count stay (from another server, or reused from an image): Generate says to remove them.
    this.add.hidden = this.units.length >= this.limit || this.unavailable;
  }

  private unit(value: ControlUnitValues, index: number): UnitView {
    const unit = controlUnitView(value, index, this.lists, this.previews.get(value.image), {
      onPick: () => this.events.onPickImage(index),
      onUseSource: () => {
        unit.image = '';
        this.showImage(unit);
        this.events.onChange();
      },
      onRemove: () => {
        this.render(this.values().filter((_, at) => at !== index));
        this.events.onChange();
      },
      onDrop: (uriOrPath) => this.events.onDropImage(index, uriOrPath),
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
        ? l10n.t('The image-to-image source is the control image. Choose another, or drop one here.')
        : l10n.t('No control image: choose one, or drop one here.');
  }
}
