// Resize to exactly the size a project needs: cover (fill it, crop what overflows, centred) or
// contain (fit inside, the rest a colour, or transparent where the format has alpha). The image
// keeps its format; no `vscode` (the library is passed in: it loads on first use).

import { UserError } from '../errors/userError';
import { unreadable } from './imageFailure';
import type { ImageFormat } from '../image/format';
import type { Size } from '../image/imageSize';
import type { Sharp } from '../imaging/library';

export type Fit = 'cover' | 'contain';

export interface ResizeChoice extends Size {
  fit: Fit;
  /** Contain: the colour around the image (#rrggbb); none: transparent, or white in a JPEG. */
  background?: string | undefined;
}

/** The largest target side: beyond any icon, banner or texture a project ships. */
export const MAX_TARGET_SIDE = 8192;
/** Sources up to this on a side (the library reads up to 16383² pixels). */
export const MAX_SOURCE_SIDE = 16383;

export function checkResize(choice: ResizeChoice): void {
  for (const [side, value] of [
    ['width', choice.width],
    ['height', choice.height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_TARGET_SIDE) {
      throw new UserError(`The ${side} must be a whole number of pixels from 1 to ${MAX_TARGET_SIDE}, not ${value}.`);
    }
  }
  if (choice.background !== undefined && !/^#[0-9a-f]{6}$/i.test(choice.background)) {
    throw new UserError(`"${choice.background}" is not a colour: write it as #rrggbb, such as #ffffff.`);
  }
}

/** Parses "1200x630", "1200 × 630" or "1200 630" (undefined when it is none of those). */
export function parseTargetSize(text: string): Size | undefined {
  const match = /^\s*(\d+)\s*(?:[x×*,]|\s)\s*(\d+)\s*$/i.exec(text);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

export async function resizeImage(
  sharp: Sharp,
  source: { bytes: Uint8Array; format: ImageFormat; name: string },
  choice: ResizeChoice,
): Promise<{ bytes: Buffer; format: ImageFormat; size: Size }> {
  checkResize(choice);
  const input = () => sharp(source.bytes, { animated: false, limitInputPixels: MAX_SOURCE_SIDE * MAX_SOURCE_SIDE });
  let meta: Awaited<ReturnType<ReturnType<Sharp>['metadata']>>;
  try {
    meta = await input().metadata();
  } catch (error) {
    throw unreadable(source.name, error, 'read as an image');
  }
  if ((meta.pages ?? 1) > 1) throw new UserError(`${source.name} is animated (${meta.pages} frames): resize works on still images.`);
  if ((meta.width ?? 0) > MAX_SOURCE_SIDE || (meta.height ?? 0) > MAX_SOURCE_SIDE) {
    throw new UserError(`${source.name} is ${meta.width} × ${meta.height}: too large to resize here (at most ${MAX_SOURCE_SIDE} pixels a side).`);
  }
  const opaque = source.format === 'jpeg';
  const background = choice.background ? hexColour(choice.background) : opaque ? { r: 255, g: 255, b: 255, alpha: 1 } : { r: 0, g: 0, b: 0, alpha: 0 };
  let image = input().resize(choice.width, choice.height, { fit: choice.fit, position: 'centre', background, kernel: 'lanczos3' });
  // What the source carried (EXIF, where A1111 keeps a JPEG's or WebP's parameters) stays.
  if (source.format === 'jpeg') image = image.flatten({ background }).jpeg({ quality: 92, mozjpeg: true }).keepExif();
  else if (source.format === 'webp') image = image.webp({ quality: 92 }).keepExif();
  else image = image.png({ compressionLevel: 9 });
  try {
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return { bytes: data, format: source.format, size: { width: info.width, height: info.height } };
  } catch (error) {
    throw unreadable(source.name, error, 'resized');
  }
}

function hexColour(hex: string): { r: number; g: number; b: number; alpha: number } {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255, alpha: 1 };
}
