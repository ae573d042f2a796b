// The generation form: native, labelled controls; values in and out as FormValues; errors
// shown next to their fields. Over 250 lines on purpose: it is one view whose controls share
// one state (values, presets, server lists, errors); the parts split off (dom, gallery,
// progress) are in their own files.

import * as l10n from '@vscode/l10n';
import { LIMITS, sizePresets, type FieldError, type FormValues, type ServerView, type SourceView } from '../shared/protocol';
import { formPairFor } from '../shared/samplerNames';
import { validateForm } from '../shared/validateForm';
import { codicon, fillSelect, h, option } from './dom';
import { ControlNetSection } from './controlNetSection';
import { MoreSettings } from './moreSettings';
import { OutputSection } from './outputSection';
import { PromptCompletion } from './promptCompletion';
import { PromptHelpers } from './promptHelpers';
import { SourceSection } from './sourceSection';

export interface FormEvents {
  onChange(values: FormValues): void;
  /** `mask`: the painted inpainting mask (base64 PNG), when inpainting; `extended`: the padded source, when outpainting. */
  onSubmit(values: FormValues, painted: { mask?: string; extended?: string }): void;
  /** Outpainting needs the source's pixels (the host answers with sourceData). */
  onNeedSourceData(): void;
  /** A ControlNet unit's control image: a dialog, or a dropped path (the host answers with controlImage). */
  onPickControlImage(unit: number): void;
  onDropControlImage(unit: number, uriOrPath: string): void;
  onSelectModel(title: string): void;
  onRefreshServer(): void;
  onPickSource(): void;
  onDropSource(uriOrPath: string): void;
  onClearSource(): void;
}

type NumberField = 'steps' | 'cfgScale' | 'seed' | 'width' | 'height' | 'batchSize' | 'batchCount';

export class FormView {
  readonly element: HTMLFormElement;
  private readonly inputs: {
    prompt: HTMLTextAreaElement;
    negativePrompt: HTMLTextAreaElement;
    model: HTMLSelectElement;
    sampler: HTMLSelectElement;
    scheduler: HTMLSelectElement;
    sizePreset: HTMLSelectElement;
  } & Record<NumberField, HTMLInputElement>;
  private readonly modeInputs: Record<FormValues['mode'], HTMLInputElement>;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly schedulerField: HTMLElement;
  private readonly source: SourceSection;
  private readonly modelStatus: HTMLElement;
  private readonly lastSeedButton: HTMLButtonElement;
  private readonly generateButton: HTMLButtonElement;
  private readonly more: MoreSettings;
  private readonly output: OutputSection;
  private readonly sizeField: HTMLElement;
  private readonly control: ControlNetSection;
  private readonly helpers: PromptHelpers;
  private readonly completion: PromptCompletion;
  private lastSeed: number | undefined;
  private server: ServerView = { origin: '' };
  /** Fields whose error is shown: they are re-checked on every change. */
  private readonly shownErrors = new Set<string>();

  constructor(private readonly events: FormEvents) {
    const number = (id: NumberField, min: number, max: number, step: number | 'any' = 1) =>
      h('input', { id, name: id, type: 'number', min, max, step, inputmode: step === 1 ? 'numeric' : 'decimal', 'aria-describedby': `${id}-error` });
    this.inputs = {
      prompt: h('textarea', {
        id: 'prompt',
        name: 'prompt',
        rows: 4,
        // l10n-exempt: an example prompt; models read English best.
        placeholder: 'a flat vector app icon of a red fox',
        'aria-describedby': 'prompt-error',
        spellcheck: 'true',
      }),
      negativePrompt: h('textarea', {
        id: 'negativePrompt',
        name: 'negativePrompt',
        rows: 2,
        // l10n-exempt: an example prompt; models read English best.
        placeholder: 'blurry, text, watermark',
        'aria-describedby': 'negativePrompt-error',
      }),
      model: h('select', { id: 'model', name: 'model' }),
      sampler: h('select', { id: 'sampler', name: 'sampler', 'aria-describedby': 'sampler-error' }),
      scheduler: h('select', { id: 'scheduler', name: 'scheduler', 'aria-describedby': 'scheduler-error' }),
      steps: number('steps', LIMITS.steps.min, LIMITS.steps.max),
      cfgScale: number('cfgScale', LIMITS.cfgScale.min, LIMITS.cfgScale.max, 0.5),
      seed: number('seed', LIMITS.seed.min, LIMITS.seed.max),
      width: number('width', LIMITS.size.min, LIMITS.size.max, LIMITS.size.step),
      height: number('height', LIMITS.size.min, LIMITS.size.max, LIMITS.size.step),
      batchSize: number('batchSize', LIMITS.batchSize.min, LIMITS.batchSize.max),
      batchCount: number('batchCount', LIMITS.batchCount.min, LIMITS.batchCount.max),
      sizePreset: h('select', { id: 'sizePreset', name: 'sizePreset' }),
    };
    const i = this.inputs;
    i.sizePreset.append(...sizePresets().map((p) => option(`${p.width}x${p.height}`, p.label)), option('custom', l10n.t('Custom')));
    i.sampler.append(option('', l10n.t('Loading…')));
    i.scheduler.append(option('', l10n.t('Loading…')));
    i.model.append(option('', l10n.t('Loading…')));

    this.modeInputs = {
      txt2img: h('input', { type: 'radio', name: 'mode', id: 'mode-txt2img', value: 'txt2img' }),
      img2img: h('input', { type: 'radio', name: 'mode', id: 'mode-img2img', value: 'img2img' }),
    };

    this.modelStatus = h('span', { class: 'model-status', 'aria-live': 'polite' });
    this.lastSeedButton = h('button', {
      type: 'button',
      class: 'secondary',
      id: 'lastSeed',
      title: l10n.t('Use the seed of the newest image'),
      text: l10n.t('Last'),
      disabled: true,
    });
    this.generateButton = h('button', { type: 'submit', class: 'primary', id: 'generate', text: l10n.t('Generate') });

    this.source = new SourceSection(
      {
        onPick: () => events.onPickSource(),
        onDrop: (path) => events.onDropSource(path),
        onClear: () => events.onClearSource(),
        onChange: () => this.changed(),
        onNeedSourceData: () => events.onNeedSourceData(),
        onOutputSize: (width, height) => {
          this.setNumber('width', width);
          this.setNumber('height', height);
        },
      },
      (id, label, control, hint) => this.field(id, label, control, hint),
      (id) => this.errorSlot(id),
    );

    const refresh = h(
      'button',
      {
        type: 'button',
        class: 'icon secondary',
        id: 'refreshServer',
        title: l10n.t('Reload models and samplers from the server'),
        'aria-label': l10n.t('Reload models and samplers from the server'),
      },
      codicon('refresh'),
    );
    const randomSeed = h('button', {
      type: 'button',
      class: 'secondary',
      id: 'randomSeed',
      title: l10n.t('A new random seed for every image (-1)'),
      text: l10n.t('Random'),
    });
    const swap = h(
      'button',
      {
        type: 'button',
        class: 'icon secondary',
        id: 'swapSize',
        title: l10n.t('Swap width and height'),
        'aria-label': l10n.t('Swap width and height'),
      },
      codicon('arrow-swap'),
    );
    this.schedulerField = this.field('scheduler', l10n.t('Scheduler'), i.scheduler);
    this.more = new MoreSettings((id, label, control, hint) => this.field(id, label, control, hint));
    this.output = new OutputSection(
      (id, label, control, hint) => this.field(id, label, control, hint),
      (id) => this.errorSlot(id),
      // With an exact size the host chooses what the server makes: the form's own size steps aside.
      (on) => (this.sizeField.hidden = on),
    );
    this.control = new ControlNetSection({
      onPickImage: (unit) => events.onPickControlImage(unit),
      onDropImage: (unit, path) => events.onDropControlImage(unit, path),
      onChange: () => this.changed(),
    });
    this.helpers = new PromptHelpers({ prompt: i.prompt, negativePrompt: i.negativePrompt }, () => this.changed());
    this.completion = new PromptCompletion([i.prompt, i.negativePrompt]);

    this.element = h(
      'form',
      { class: 'form', id: 'form', novalidate: true, 'aria-label': l10n.t('Generation settings') },
      h(
        'div',
        { class: 'mode', role: 'radiogroup', 'aria-label': l10n.t('Mode') },
        h('label', { class: 'mode-option' }, this.modeInputs.txt2img, l10n.t(' Text to image')),
        h('label', { class: 'mode-option' }, this.modeInputs.img2img, l10n.t(' Image to image')),
      ),
      this.field('prompt', l10n.t('Prompt'), i.prompt),
      this.field('negativePrompt', l10n.t('Negative prompt'), i.negativePrompt),
      this.completion.element,
      this.helpers.element,
      this.helpers.chips,
      this.source.element,
      h('div', { class: 'field' }, h('label', { for: 'model', text: l10n.t('Model') }), h('div', { class: 'row' }, i.model, refresh), this.modelStatus),
      h('div', { class: 'pair' }, this.field('sampler', l10n.t('Sampler'), i.sampler), this.schedulerField),
      h('div', { class: 'pair' }, this.field('steps', l10n.t('Steps'), i.steps), this.field('cfgScale', l10n.t('CFG scale'), i.cfgScale)),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'seed', text: l10n.t('Seed') }),
        h('div', { class: 'row' }, i.seed, randomSeed, this.lastSeedButton),
        h('p', { class: 'hint', text: l10n.t('-1 picks a random seed.') }),
        this.errorSlot('seed'),
      ),
      (this.sizeField = h(
        'div',
        { class: 'field' },
        h('label', { for: 'sizePreset', text: l10n.t('Size') }),
        i.sizePreset,
        h(
          'div',
          { class: 'row size' },
          h('label', { for: 'width', class: 'inline', text: 'W' }),
          i.width,
          h('label', { for: 'height', class: 'inline', text: 'H' }),
          i.height,
          swap,
        ),
        this.errorSlot('width'),
        this.errorSlot('height'),
      )),
      h('div', { class: 'pair' }, this.field('batchSize', l10n.t('Batch size'), i.batchSize), this.field('batchCount', l10n.t('Batch count'), i.batchCount)),
      this.more.element,
      this.output.element,
      this.control.element,
      h('div', { class: 'actions' }, this.generateButton, h('span', { class: 'hint', text: navigator.platform.startsWith('Mac') ? '⌘ Enter' : 'Ctrl+Enter' })),
    );

    // Wiring
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.element.addEventListener('input', () => this.changed());
    this.element.addEventListener('change', () => this.changed());
    for (const input of Object.values(this.modeInputs)) input.addEventListener('change', () => this.showMode());
    i.model.addEventListener('change', () => {
      if (i.model.value && i.model.value !== this.server.currentModel) events.onSelectModel(i.model.value);
    });
    refresh.addEventListener('click', () => events.onRefreshServer());
    randomSeed.addEventListener('click', () => this.setNumber('seed', -1));
    this.lastSeedButton.addEventListener('click', () => this.lastSeed !== undefined && this.setNumber('seed', this.lastSeed));
    swap.addEventListener('click', () => {
      const { width, height } = this.values();
      this.setNumber('width', height);
      this.setNumber('height', width);
    });
    i.sizePreset.addEventListener('change', () => {
      const [width, height] = i.sizePreset.value.split('x').map(Number);
      if (width && height) {
        this.setNumber('width', width);
        this.setNumber('height', height);
      }
    });
    for (const field of ['width', 'height'] as const) i[field].addEventListener('input', () => this.syncPreset());
  }

  values(): FormValues {
    const i = this.inputs;
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return {
      mode: this.modeInputs.img2img.checked ? 'img2img' : 'txt2img',
      prompt: i.prompt.value,
      negativePrompt: i.negativePrompt.value,
      sampler: i.sampler.value,
      scheduler: i.scheduler.value,
      steps: num(i.steps),
      cfgScale: num(i.cfgScale),
      seed: num(i.seed),
      width: num(i.width),
      height: num(i.height),
      batchSize: num(i.batchSize),
      batchCount: num(i.batchCount),
      ...this.source.values(),
      styles: this.helpers.styles(),
      ...this.more.values(),
      ...this.output.values(),
      controlNet: this.control.values(),
    };
  }

  setValues(values: FormValues): void {
    const i = this.inputs;
    this.modeInputs[values.mode].checked = true;
    i.prompt.value = values.prompt;
    i.negativePrompt.value = values.negativePrompt;
    this.setSelectValue(i.sampler, values.sampler);
    this.setSelectValue(i.scheduler, values.scheduler);
    for (const field of ['steps', 'cfgScale', 'seed', 'width', 'height', 'batchSize', 'batchCount'] as const) {
      i[field].value = Number.isFinite(values[field]) ? String(values[field]) : '';
    }
    this.source.setValues(values);
    this.helpers.setStyles(values.styles ?? []);
    this.more.setValues(values);
    this.output.setValues(values);
    this.control.setValues(values.controlNet);
    this.more.setSize(values.width, values.height);
    this.syncPreset();
    this.showMode();
  }

  /** Merges some values in (reuse parameters, prefill) and keeps the rest. */
  patch(values: Partial<FormValues>): void {
    this.setValues({ ...this.values(), ...values });
    this.changed();
  }

  focusPrompt(): void {
    this.inputs.prompt.focus();
  }

  setLastSeed(seed: number | undefined): void {
    this.lastSeed = seed;
    this.lastSeedButton.disabled = seed === undefined;
    this.lastSeedButton.title = seed === undefined ? l10n.t('No image yet') : l10n.t('Use seed {0} of the newest image', seed);
  }

  setBusy(busy: boolean): void {
    this.generateButton.textContent = busy ? l10n.t('Add to Queue') : l10n.t('Generate');
  }

  setServer(server: ServerView): void {
    this.server = server;
    const i = this.inputs;
    const values = this.values();
    const loaded = server.models !== undefined;
    const notOnServer = (value: string) => l10n.t('{0} (not on this server)', value);
    if (server.models && server.models.length > 0) {
      fillSelect(
        i.model,
        server.models.map((m) => ({ value: m.title, label: m.title })),
        server.currentModel ?? '',
        (v) => v,
      );
    } else {
      i.model.replaceChildren(option('', loaded ? l10n.t('No models (server unavailable)') : l10n.t('Loading…'), true));
    }
    i.model.disabled = server.loadingModel !== undefined || !server.models?.length || server.fixedModel !== undefined;
    this.modelStatus.textContent = server.loadingModel
      ? l10n.t('Loading {0}… the server finishes its current job first.', server.loadingModel)
      : (server.fixedModel ?? '');
    // The pair this server knows: a combined name (`DPM++ 2M Karras`) shows as sampler + scheduler.
    const pair = server.samplers
      ? formPairFor(values, {
          samplers: server.samplers.map((name) => ({ name })),
          ...(server.schedulers ? { schedulers: server.schedulers.map((label) => ({ label })) } : {}),
        })
      : values;
    if (server.samplers)
      fillSelect(
        i.sampler,
        server.samplers.map((s) => ({ value: s, label: s })),
        pair.sampler,
        notOnServer,
      );
    else this.setSelectValue(i.sampler, pair.sampler);
    if (server.schedulers)
      fillSelect(
        i.scheduler,
        server.schedulers.map((s) => ({ value: s, label: s })),
        pair.scheduler,
        notOnServer,
      );
    else this.setSelectValue(i.scheduler, pair.scheduler);
    // Servers before A1111 1.9 have no schedulers: one combined sampler list.
    this.schedulerField.hidden = loaded && !server.error && server.schedulers === undefined;
    this.more.setServer(server);
    this.output.setServer(server);
    this.showOutputPlan(values);
    this.control.setServer(server);
    this.helpers.setServer(server);
    this.completion.setServer(server);
  }

  setSource(source: SourceView | null): void {
    this.source.setSource(source);
    if (source) {
      this.modeInputs.img2img.checked = true;
      this.setNumber('width', source.suggestedWidth);
      this.setNumber('height', source.suggestedHeight);
      this.showMode();
    }
    this.changed();
  }

  /** Shows these errors (from the host or a submit); fields not named are cleared. */
  showErrors(errors: readonly FieldError[]): void {
    for (const [field, slot] of this.errors) {
      const messages = errors.filter((e) => e.field === field).map((e) => e.message);
      slot.textContent = messages.join(' ');
      slot.hidden = messages.length === 0;
      const control = this.controlFor(field);
      if (control) control.setAttribute('aria-invalid', String(messages.length > 0));
      if (messages.length > 0) this.shownErrors.add(field);
      else this.shownErrors.delete(field);
    }
    this.control.showErrors(errors);
    const first = errors.find((e) => e.field !== '' && this.controlFor(e.field));
    if (first) this.controlFor(first.field)?.focus();
  }

  private async submit(): Promise<void> {
    const shown = this.values();
    const values = this.control.sent ? shown : { ...shown, controlNet: [] };
    const errors = validateForm(values, { controlUnits: this.control.limit });
    this.showErrors(errors);
    if (errors.length > 0) return;
    if (values.mode !== 'img2img') return this.events.onSubmit(values, {});
    let extended: string | undefined;
    try {
      extended = await this.source.paddedSource();
    } catch (error) {
      this.showErrors([{ field: 'source', message: error instanceof Error ? error.message : String(error) }]);
      return;
    }
    const mask = this.source.maskPng();
    this.events.onSubmit(values, { ...(mask ? { mask } : {}), ...(extended ? { extended } : {}) });
  }

  /** The host's answer to onPickControlImage or onDropControlImage. */
  receiveControlImage(unit: number, image: SourceView): void {
    this.control.setImage(unit, image);
  }

  /** The host's answer to onNeedSourceData. */
  receiveSourceData(path: string, src: string): void {
    this.source.receiveSourceData(path, src);
  }

  private changed(): void {
    const values = this.values();
    // Re-check what is shown so an error disappears as soon as it is fixed (without stealing focus);
    // nothing to check while no error is shown (every keystroke comes here).
    const current = this.shownErrors.size > 0 || this.control.showsErrors ? validateForm(values, { controlUnits: this.control.limit }) : [];
    this.control.recheckErrors(current);
    if (this.shownErrors.size > 0) {
      const errors = current.filter((e) => this.shownErrors.has(e.field));
      for (const field of [...this.shownErrors]) {
        const messages = errors.filter((e) => e.field === field).map((e) => e.message);
        const slot = this.errors.get(field);
        if (slot) {
          slot.textContent = messages.join(' ');
          slot.hidden = messages.length === 0;
        }
        this.controlFor(field)?.setAttribute('aria-invalid', String(messages.length > 0));
        if (messages.length === 0) this.shownErrors.delete(field);
      }
    }
    this.more.setSize(values.width, values.height);
    this.showOutputPlan(values);
    this.events.onChange(values);
  }

  /** The output plan names what the server makes: from the chosen model, times hires fix. */
  private showOutputPlan(values: FormValues): void {
    this.output.setContext(this.inputs.model.value || (this.server.currentModel ?? ''), values.hiresFix && values.mode === 'txt2img' ? values.hiresScale : 1);
  }

  private showMode(): void {
    this.source.element.hidden = !this.modeInputs.img2img.checked;
    this.more.setMode(this.modeInputs.img2img.checked ? 'img2img' : 'txt2img');
    this.control.setMode(this.modeInputs.img2img.checked ? 'img2img' : 'txt2img');
  }

  private syncPreset(): void {
    const key = `${this.inputs.width.value}x${this.inputs.height.value}`;
    this.inputs.sizePreset.value = sizePresets().some((p) => `${p.width}x${p.height}` === key) ? key : 'custom';
  }

  private setNumber(field: NumberField, value: number): void {
    this.inputs[field].value = String(value);
    if (field === 'width' || field === 'height') this.syncPreset();
    this.changed();
  }

  private setSelectValue(select: HTMLSelectElement, value: string): void {
    if (![...select.options].some((o) => o.value === value)) {
      // Keep the saved value visible until the server's list arrives.
      select.replaceChildren(option(value, value || l10n.t('(server default)'), true));
    }
    select.value = value;
  }

  private controlFor(field: string): HTMLElement | undefined {
    if (field === 'source') return undefined;
    return (
      (this.inputs as unknown as Record<string, HTMLElement | undefined>)[field] ??
      this.source.controlFor(field) ??
      this.more.controlFor(field) ??
      this.output.controlFor(field) ??
      this.control.controlFor(field)
    );
  }

  private field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id, text: label }),
      control,
      ...(hint ? [h('p', { class: 'hint', text: hint })] : []),
      this.errorSlot(id),
    );
  }

  private errorSlot(field: string): HTMLElement {
    const slot = h('div', { class: 'field-error', id: `${field}-error`, role: 'alert', hidden: true });
    this.errors.set(field, slot);
    return slot;
  }
}
