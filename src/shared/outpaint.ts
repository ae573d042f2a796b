// Outpainting the simple way: the canvas grows on some sides, the new area is masked and
// repainted (img2img with a mask). The page pads the source and paints the mask; the host checks
// both against the source and these sides. Pure: shared by host and page.

import type { FormValues } from './protocol';

export interface Size {
  width: number;
  height: number;
}

export type Sides = Pick<FormValues, 'extendLeft' | 'extendTop' | 'extendRight' | 'extendBottom'>;

export const NO_EXTENSION: Sides = { extendLeft: 0, extendTop: 0, extendRight: 0, extendBottom: 0 };

/** Pixels one side may grow by (the padded source stays within A1111's 4096 px limits from 2048 px sources). */
export const MAX_EXTENSION = 2048;

/** The new area reaches this far into the source, so the seam is repainted too. */
export const SEAM_OVERLAP = 8;

export function isExtended(sides: Sides): boolean {
  return sides.extendLeft + sides.extendTop + sides.extendRight + sides.extendBottom > 0;
}

export function paddedSize(source: Size, sides: Sides): Size {
  return { width: source.width + sides.extendLeft + sides.extendRight, height: source.height + sides.extendTop + sides.extendBottom };
}

/**
 * The sides that bring `source` to the aspect ratio `width`:`height`, growing the short way only,
 * split evenly (a 1:1 icon to 16:9 grows left and right). Multiples of 8 keep the seam on A1111's
 * latent grid; an aspect the source already has (or is wider than, the short way) adds nothing.
 */
export function sidesForAspect(source: Size, width: number, height: number): Sides {
  const target = width / height;
  const even = (total: number) => {
    const half = Math.max(0, Math.round(total / 16) * 8);
    return [half, half] as const;
  };
  if (source.width / source.height < target) {
    const [left, right] = even(source.height * target - source.width);
    return { ...NO_EXTENSION, extendLeft: Math.min(left, MAX_EXTENSION), extendRight: Math.min(right, MAX_EXTENSION) };
  }
  const [top, bottom] = even(source.width / target - source.height);
  return { ...NO_EXTENSION, extendTop: Math.min(top, MAX_EXTENSION), extendBottom: Math.min(bottom, MAX_EXTENSION) };
}

/**
 * The output size for a source of `size`: its aspect ratio at about the pixel count of `target`,
 * both sides multiples of `step`, each within min..max (what A1111 accepts).
 */
export function fitToArea(size: Size, target: Size, limits: { min: number; max: number; step: number }): Size {
  const area = target.width * target.height;
  const aspect = size.width / size.height;
  const clamp = (value: number) => Math.min(limits.max, Math.max(limits.min, Math.round(value / limits.step) * limits.step));
  return { width: clamp(Math.sqrt(area * aspect)), height: clamp(Math.sqrt(area / aspect)) };
}
