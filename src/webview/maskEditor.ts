// Inpainting: paint where the source image is to be repainted. A canvas at the source's own
// size lies over its preview (scaled to fit, or zoomed); white is repainted. Brush and eraser with
// a size, undo, clear, invert, zoom; keys B, E, [ and ], Ctrl/Cmd+Z, I, + - 0 while the canvas has
// the focus. Outpainting grows the stage around the source (the new area is hatched). The mask
// leaves as a black-and-white PNG of the (grown) canvas's size, and only with Generate.

import * as l10n from '@vscode/l10n';
import { isExtended, NO_EXTENSION, type Sides } from '../shared/outpaint';
import { h, option } from './dom';
import { layOutStage, paddedMask } from './outpaintControls';

/** Undo keeps up to 20 strokes, and at most about 64 MB of copies (4 at 2048²). */
const UNDO_LIMIT = 20;
const UNDO_BYTES = 64 * 1024 * 1024;
/** Zoom levels: 0 fits the stage to the panel's width; the others are screen pixels per image pixel. */
const ZOOMS = [0, 1, 2, 4] as const;

export class MaskEditor {
  readonly element: HTMLElement;
  private readonly toggle = h('input', { type: 'checkbox', id: 'inpaint' });
  private readonly stage = h('div', { class: 'mask-stage', id: 'maskStage' });
  private readonly viewport = h('div', { class: 'mask-viewport' }, this.stage);
  private readonly zoom = h('select', { id: 'maskZoom', 'aria-label': l10n.t('Zoom') });
  private sides: Sides = NO_EXTENSION;
  private readonly image = h('img', { class: 'mask-image', alt: '' });
  private readonly canvas = h('canvas', {
    class: 'mask-canvas',
    id: 'maskCanvas',
    tabindex: 0,
    'aria-label': l10n.t('Mask: paint where the image is repainted'),
  });
  private readonly size = h('input', { type: 'range', id: 'brushSize', min: 4, max: 256, step: 2, value: '48', 'aria-label': l10n.t('Brush size') });
  private readonly tools = {
    brush: h('input', { type: 'radio', name: 'maskTool', id: 'maskBrush', value: 'brush', checked: true }),
    eraser: h('input', { type: 'radio', name: 'maskTool', id: 'maskEraser', value: 'eraser' }),
  };
  private readonly status = h('p', { class: 'hint', id: 'maskStatus', 'aria-live': 'polite' });
  private readonly tools$: HTMLElement;
  /** Copies of the canvas before each stroke: canvas to canvas, with no read back to the CPU. */
  private readonly undoStack: HTMLCanvasElement[] = [];
  private drawing: { last: { x: number; y: number } } | undefined;
  private painted = false;

  constructor(
    private readonly fields: HTMLElement,
    private readonly onChange: () => void,
  ) {
    const button = (id: string, text: string, title: string) => h('button', { type: 'button', class: 'secondary', id, text, title });
    const undo = button('maskUndo', l10n.t('Undo'), l10n.t('Undo the last stroke (Ctrl+Z)'));
    const clear = button('maskClear', l10n.t('Clear'), l10n.t('Remove the whole mask'));
    const invert = button('maskInvert', l10n.t('Invert'), l10n.t('Repaint everything but the mask (I)'));
    this.tools$ = h(
      'div',
      { class: 'mask-tools', hidden: true },
      h(
        'div',
        { class: 'row', role: 'radiogroup', 'aria-label': l10n.t('Mask tool') },
        h('label', { class: 'check' }, this.tools.brush, ' Brush (B)'),
        h('label', { class: 'check' }, this.tools.eraser, ' Eraser (E)'),
        h('label', { class: 'inline', for: 'brushSize', text: l10n.t('Size') }),
        this.size,
      ),
      h('div', { class: 'row' }, undo, clear, invert, h('label', { class: 'inline', for: 'maskZoom', text: l10n.t('Zoom') }), this.zoom),
      this.viewport,
      this.status,
      this.fields,
    );
    this.stage.append(this.image, this.canvas);
    this.zoom.append(...ZOOMS.map((level) => option(String(level), level === 0 ? l10n.t('Fit') : `${level * 100}%`)));
    this.zoom.addEventListener('change', () => this.layout());
    this.element = h(
      'div',
      { class: 'mask-editor' },
      h('label', { class: 'check' }, this.toggle, l10n.t(' Inpaint or outpaint: paint a mask, extend the canvas')),
      this.tools$,
    );
    this.toggle.addEventListener('change', () => {
      this.tools$.hidden = !this.toggle.checked;
      this.showStatus();
      this.onChange();
    });
    undo.addEventListener('click', () => this.undo());
    clear.addEventListener('click', () => this.edit(() => this.context().clearRect(0, 0, this.canvas.width, this.canvas.height)));
    invert.addEventListener('click', () => this.invert());
    this.canvas.addEventListener('pointerdown', (event) => this.start(event));
    this.canvas.addEventListener('pointermove', (event) => this.move(event));
    for (const end of ['pointerup', 'pointercancel'] as const) this.canvas.addEventListener(end, () => this.stop());
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** A new source: the mask starts empty at its size. */
  setSource(src: string, width: number, height: number): void {
    this.image.src = src;
    this.canvas.width = width;
    this.canvas.height = height;
    this.undoStack.length = 0;
    this.painted = false;
    this.element.hidden = !src;
    if (!src) this.toggle.checked = false;
    this.tools$.hidden = !this.toggle.checked;
    this.layout();
    this.showStatus();
  }

  /** Outpainting: the stage grows around the source by these sides (the new area is masked). */
  setExtension(sides: Sides): void {
    this.sides = sides;
    this.layout();
  }

  /** The source's size: the canvas painted on. */
  get sourceSize(): { width: number; height: number } {
    return { width: this.canvas.width, height: this.canvas.height };
  }

  get enabled(): boolean {
    return this.toggle.checked && !this.element.hidden;
  }

  /** The mask as base64 PNG (white: repaint, on black), or undefined when not inpainting. */
  maskPng(): string | undefined {
    if (!this.enabled) return undefined;
    if (isExtended(this.sides)) return paddedMask(this.canvas, this.sides).toDataURL('image/png').split(',')[1];
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const context = out.getContext('2d')!;
    context.fillStyle = '#000';
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(this.canvas, 0, 0);
    return out.toDataURL('image/png').split(',')[1];
  }

  /** Places the source and its mask in the (grown) stage, at the zoom chosen. */
  private layout(): void {
    layOutStage(this.stage, [this.image, this.canvas], this.sourceSize, this.sides, Number(this.zoom.value));
  }

  private zoomBy(step: number): void {
    const at = ZOOMS.indexOf(Number(this.zoom.value) as (typeof ZOOMS)[number]);
    this.zoom.value = String(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at + step))]);
    this.layout();
  }

  private context(): CanvasRenderingContext2D {
    return this.canvas.getContext('2d')!;
  }

  /** Canvas pixels under the pointer (the canvas is shown scaled to fit). */
  private point(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * this.canvas.width, y: ((event.clientY - box.top) / box.height) * this.canvas.height };
  }

  private start(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.canvas.setPointerCapture(event.pointerId);
    this.snapshot();
    const at = this.point(event);
    this.drawing = { last: at };
    this.stroke(at, at);
  }

  private move(event: PointerEvent): void {
    if (!this.drawing) return;
    const at = this.point(event);
    this.stroke(this.drawing.last, at);
    this.drawing.last = at;
  }

  private stop(): void {
    if (!this.drawing) return;
    this.drawing = undefined;
    this.painted = true;
    this.showStatus();
    this.onChange();
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const context = this.context();
    context.globalCompositeOperation = this.tools.eraser.checked ? 'destination-out' : 'source-over';
    context.strokeStyle = '#fff';
    context.lineWidth = Number(this.size.value);
    context.lineCap = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x + 0.01, to.y);
    context.stroke();
    context.globalCompositeOperation = 'source-over';
  }

  private snapshot(): void {
    const copy = this.undoStack.length >= this.undoLimit() ? this.undoStack.shift()! : document.createElement('canvas');
    copy.width = this.canvas.width;
    copy.height = this.canvas.height;
    const context = copy.getContext('2d')!;
    context.clearRect(0, 0, copy.width, copy.height);
    context.drawImage(this.canvas, 0, 0);
    this.undoStack.push(copy);
  }

  private undoLimit(): number {
    return Math.max(3, Math.min(UNDO_LIMIT, Math.floor(UNDO_BYTES / Math.max(1, this.canvas.width * this.canvas.height * 4))));
  }

  private edit(change: () => void): void {
    this.snapshot();
    change();
    this.showStatus();
    this.onChange();
  }

  private undo(): void {
    const previous = this.undoStack.pop();
    if (previous) {
      const context = this.context();
      context.clearRect(0, 0, this.canvas.width, this.canvas.height);
      context.drawImage(previous, 0, 0);
    }
    this.showStatus();
    this.onChange();
  }

  private invert(): void {
    this.edit(() => {
      const context = this.context();
      const pixels = context.getImageData(0, 0, this.canvas.width, this.canvas.height);
      for (let i = 0; i < pixels.data.length; i += 4) {
        const on = pixels.data[i + 3]! > 0;
        pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = 255;
        pixels.data[i + 3] = on ? 0 : 255;
      }
      context.putImageData(pixels, 0, 0);
    });
  }

  private onKey(event: KeyboardEvent): void {
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === 'z') this.undo();
    else if (key === 'b') this.tools.brush.checked = true;
    else if (key === 'e') this.tools.eraser.checked = true;
    else if (key === '[' || key === ']') this.size.value = String(Number(this.size.value) + (key === ']' ? 8 : -8));
    else if (key === 'i') this.invert();
    else if (key === '+' || key === '=') this.zoomBy(1);
    else if (key === '-') this.zoomBy(-1);
    else if (key === '0') this.zoomBy(-ZOOMS.length);
    else return;
    event.preventDefault();
  }

  private showStatus(): void {
    if (!this.enabled) {
      this.status.textContent = '';
      return;
    }
    this.status.textContent =
      this.painted || this.undoStack.length > 0 ? l10n.t('White is repainted; the rest is kept.') : l10n.t('Paint over the part to repaint.');
  }
}
