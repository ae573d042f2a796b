// Outpainting the simple way: grow the canvas on some sides (by pixels, or to an aspect ratio),
// and the new area is masked and repainted. These controls live in the mask editor; the page
// pads the source itself (its pixels come from the host as a data: URI, so the canvas can be read).

import * as l10n from '@vscode/l10n';
import { isExtended, MAX_EXTENSION, NO_EXTENSION, paddedSize, SEAM_OVERLAP, sidesForAspect, type Sides, type Size } from '../shared/outpaint';
import { h } from './dom';

const sideFields = () =>
  [
    ['extendLeft', l10n.t('Left')],
    ['extendTop', l10n.t('Top')],
    ['extendRight', l10n.t('Right')],
    ['extendBottom', l10n.t('Bottom')],
  ] as const;

const ASPECTS = [
  [16, 9],
  [9, 16],
  [4, 3],
  [1, 1],
] as const;

export class OutpaintControls {
  readonly element: HTMLElement;
  private readonly inputs = Object.fromEntries(
    sideFields().map(([field]) => [
      field,
      h('input', {
        id: field,
        name: field,
        type: 'number',
        min: 0,
        max: MAX_EXTENSION,
        step: 8,
        inputmode: 'numeric',
        value: '0',
        'aria-describedby': `${field}-error`,
      }),
    ]),
  ) as Record<keyof Sides, HTMLInputElement>;
  private readonly hint = h('p', { class: 'hint', id: 'outpaintHint', 'aria-live': 'polite' });
  private source: Size = { width: 0, height: 0 };

  constructor(
    field: (id: string, label: string, control: HTMLElement) => HTMLElement,
    private readonly onChange: () => void,
  ) {
    const presets = ASPECTS.map(([width, height]) => {
      const button = h('button', {
        type: 'button',
        class: 'secondary',
        id: `extendTo${width}x${height}`,
        text: `${width}:${height}`,
        title: l10n.t('Grow the short way to {0}:{1}', width, height),
      });
      button.addEventListener('click', () => this.set(sidesForAspect(this.source, width, height)));
      return button;
    });
    const reset = h('button', { type: 'button', class: 'secondary', id: 'extendReset', text: l10n.t('None'), title: l10n.t('Do not extend the canvas') });
    reset.addEventListener('click', () => this.set(NO_EXTENSION));
    this.element = h(
      'div',
      { class: 'outpaint', role: 'group', 'aria-labelledby': 'outpaintTitle' },
      h('p', { class: 'group-title', id: 'outpaintTitle', text: l10n.t('Extend the canvas (outpainting)') }),
      h('div', { class: 'row' }, ...presets, reset),
      h('div', { class: 'quad' }, ...sideFields().map(([name, label]) => field(name, label, this.inputs[name]))),
      this.hint,
    );
    for (const input of Object.values(this.inputs)) input.addEventListener('input', () => this.changed());
  }

  setSource(size: Size): void {
    this.source = size;
    this.showHint();
  }

  /** The sides as typed: NaN where a field is empty (the form's checks say so). */
  sides(): Sides {
    const num = (input: HTMLInputElement) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    return {
      extendLeft: num(this.inputs.extendLeft),
      extendTop: num(this.inputs.extendTop),
      extendRight: num(this.inputs.extendRight),
      extendBottom: num(this.inputs.extendBottom),
    };
  }

  setValues(sides: Sides): void {
    for (const [name] of sideFields()) this.inputs[name].value = Number.isFinite(sides[name]) ? String(sides[name]) : '0';
    this.showHint();
  }

  controlFor(field: string): HTMLElement | undefined {
    return (this.inputs as Record<string, HTMLElement | undefined>)[field];
  }

  private set(sides: Sides): void {
    this.setValues(sides);
    this.changed();
  }

  private changed(): void {
    this.showHint();
    this.onChange();
  }

  private showHint(): void {
    const sides = validSides(this.sides());
    if (!isExtended(sides) || this.source.width === 0) {
      this.hint.textContent = l10n.t('Grows the image on the sides you choose; the new area is painted to match.');
      return;
    }
    const { width, height } = paddedSize(this.source, sides);
    this.hint.textContent = l10n.t('Canvas {0}×{1}. The new area is repainted: Masked content “Fill” and denoising 0.8 or more work best.', width, height);
  }
}

/** Sides the canvas can use: anything not a whole number in range counts as 0 (the form flags it). */
export function validSides(sides: Sides): Sides {
  const ok = (value: number) => (Number.isInteger(value) && value >= 0 && value <= MAX_EXTENSION ? value : 0);
  return { extendLeft: ok(sides.extendLeft), extendTop: ok(sides.extendTop), extendRight: ok(sides.extendRight), extendBottom: ok(sides.extendBottom) };
}

/**
 * The source padded to the grown canvas, as base64 PNG. The new area starts from the source's own
 * colours (the source blurred over the whole canvas), so "Original" and "Fill" have something to
 * work from; the source itself is drawn unchanged in its place.
 */
export async function paddedSourcePng(src: string, source: Size, sides: Sides): Promise<string> {
  const image = new Image();
  image.src = src;
  await image.decode();
  const { width, height } = paddedSize(source, sides);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0, width, height); // opaque under the blur's soft edges
  context.filter = 'blur(24px)';
  context.drawImage(image, 0, 0, width, height);
  context.filter = 'none';
  context.drawImage(image, sides.extendLeft, sides.extendTop, source.width, source.height);
  return canvas.toDataURL('image/png').split(',')[1]!;
}

/** The mask of a grown canvas: the new area (reaching SEAM_OVERLAP into the source) and what was painted. */
export function paddedMask(painted: HTMLCanvasElement, sides: Sides): HTMLCanvasElement {
  const source = { width: painted.width, height: painted.height };
  const { width, height } = paddedSize(source, sides);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const context = out.getContext('2d')!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#fff';
  const overlapX = Math.min(SEAM_OVERLAP, Math.floor(source.width / 4));
  const overlapY = Math.min(SEAM_OVERLAP, Math.floor(source.height / 4));
  if (sides.extendLeft > 0) context.fillRect(0, 0, sides.extendLeft + overlapX, height);
  if (sides.extendRight > 0) context.fillRect(width - sides.extendRight - overlapX, 0, sides.extendRight + overlapX, height);
  if (sides.extendTop > 0) context.fillRect(0, 0, width, sides.extendTop + overlapY);
  if (sides.extendBottom > 0) context.fillRect(0, height - sides.extendBottom - overlapY, width, sides.extendBottom + overlapY);
  context.drawImage(painted, sides.extendLeft, sides.extendTop);
  return out;
}

/**
 * Sizes the mask editor's stage to the grown canvas (its width: the panel's at zoom 0, else
 * `zoom` screen pixels per image pixel) and places the source and its mask in it, in percent.
 */
export function layOutStage(stage: HTMLElement, layers: HTMLElement[], source: Size, sides: Sides, zoom: number): void {
  const { width, height } = paddedSize(source, sides);
  if (width === 0 || height === 0) return;
  stage.style.aspectRatio = `${width} / ${height}`;
  stage.style.width = zoom === 0 ? '100%' : `${width * zoom}px`;
  stage.classList.toggle('extended', isExtended(sides));
  const percent = (part: number, whole: number) => `${(part / whole) * 100}%`;
  for (const layer of layers) {
    layer.style.left = percent(sides.extendLeft, width);
    layer.style.top = percent(sides.extendTop, height);
    layer.style.width = percent(source.width, width);
    layer.style.height = percent(source.height, height);
  }
}
