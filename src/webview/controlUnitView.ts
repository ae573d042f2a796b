// One ControlNet unit's controls: its control image (chosen, dropped, or the image-to-image
// source), preprocessor and model from the server's lists, weight, starting and ending step,
// control mode, resize mode and pixel perfect. The section (controlNetSection.ts) owns the list.

import * as l10n from '@vscode/l10n';
import { controlField, type ControlUnitValues } from '../shared/controlNet';
import type { ServerView } from '../shared/protocol';
import { fillSelect, h, option } from './dom';

type NumberField = 'weight' | 'guidanceStart' | 'guidanceEnd';

export interface UnitView {
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

export interface UnitHandlers {
  onPick(): void;
  onUseSource(): void;
  onRemove(): void;
  onDrop(uriOrPath: string): void;
}

export function controlUnitView(
  value: ControlUnitValues,
  index: number,
  lists: ServerView['controlNet'],
  /** The control image's preview, when the host has sent it. */
  previewSrc: string | undefined,
  handlers: UnitHandlers,
): UnitView {
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
    (lists?.modules ?? []).map((m) => ({ value: m, label: m })),
    value.module,
    (m) => l10n.t('{0} (not on this server)', m),
  );
  fillSelect(
    inputs.model,
    (lists?.models ?? []).map((m) => ({ value: m, label: m })),
    value.model,
    (m) => l10n.t('{0} (not on this server)', m),
  );
  inputs.controlMode.append(
    option('balanced', l10n.t('Balanced')),
    option('prompt', l10n.t('My prompt is more important')),
    option('control', l10n.t('ControlNet is more important')),
  );
  inputs.controlMode.value = value.controlMode;
  inputs.resizeMode.append(
    option('justResize', l10n.t('Just resize')),
    option('cropAndResize', l10n.t('Crop and resize')),
    option('resizeAndFill', l10n.t('Resize and fill')),
  );
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
  const choose = h('button', { type: 'button', class: 'secondary', id: id('choose'), text: l10n.t('Choose…') });
  const useSource = h('button', { type: 'button', class: 'secondary', id: id('useSource'), text: l10n.t('Use the source') });
  const remove = h('button', {
    type: 'button',
    class: 'secondary',
    id: id('remove'),
    text: l10n.t('Remove'),
    'aria-label': l10n.t('Remove ControlNet unit {0}', index + 1),
  });
  const preview = h('img', { class: 'source-preview', alt: l10n.t('Control image of unit {0}', index + 1) });
  const imageText = h('p', { class: 'source-text', 'aria-live': 'polite' });
  const element = h(
    'fieldset',
    { class: 'more-group control-unit', id: id('unit') },
    h('legend', { text: l10n.t('Unit {0}', index + 1) }),
    h('div', { class: 'drop-zone' }, preview, h('div', { class: 'source-side' }, imageText, h('div', { class: 'row' }, choose, useSource, remove))),
    slot('image'),
    h('div', { class: 'pair' }, field('module', l10n.t('Preprocessor')), field('model', l10n.t('Model'))),
    h('div', { class: 'pair' }, field('weight', l10n.t('Control weight')), field('controlMode', l10n.t('Control mode'))),
    h('div', { class: 'pair' }, field('guidanceStart', l10n.t('Starting step')), field('guidanceEnd', l10n.t('Ending step'))),
    h('div', { class: 'pair' }, field('resizeMode', l10n.t('Resize mode')), h('label', { class: 'check' }, inputs.pixelPerfect, l10n.t(' Pixel perfect'))),
  );
  if (previewSrc) preview.src = previewSrc;
  choose.addEventListener('click', () => handlers.onPick());
  useSource.addEventListener('click', () => handlers.onUseSource());
  remove.addEventListener('click', () => handlers.onRemove());
  element.addEventListener('dragover', (event) => event.preventDefault());
  element.addEventListener('drop', (event) => {
    event.preventDefault();
    const dropped = event.dataTransfer?.getData('text/uri-list') || event.dataTransfer?.getData('text/plain') || '';
    const first = dropped.split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('#'));
    if (first) handlers.onDrop(first.trim());
  });
  return { element, image: value.image, preview, imageText, choose, useSource, inputs, errors };
}
