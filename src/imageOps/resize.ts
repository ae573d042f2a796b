// Resize to exactly the size a project needs: cover (fill it, crop what overflows, centred) or
// contain (fit inside, the rest a colour, or transparent where the format has alpha). The image
// keeps its format; no `vscode` (the library is passed in: it loads on first use).

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { unreadable } from './imageFailure';
import type { ImageFormat } from '../image/format';
import type { Size } from '../image/imageSize';
import type { Sharp } from '../imaging/library';
import { exactSizeProblem, MAX_TARGET_SIDE, type Fit } from '../shared/outputShape';

export type { Fit };

export interface ResizeChoice extends Size {
  fit: Fit;
  /** Contain: the colour around the image (#rrggbb); none: transparent, or white in a JPEG. */
  background?: string | undefined;
}

export { MAX_TARGET_SIDE };
/** Sources up to this on a side (the library reads up to 16383² pixels). */
export const MAX_SOURCE_SIDE = 16383;

export function checkResize(choice: ResizeChoice): void {
  const problem = exactSizeProblem({
    width: choice.width,
    height: choice.height,
    ...(choice.background !== undefined ? { background: choice.background } : {}),
  });
  if (problem) throw new UserError(problem);
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
    throw unreadable(source.name, error, 'read');
  }
  if ((meta.pages ?? 1) > 1) throw new UserError(l10n.t('{0} is animated ({1} frames): resize works on still images.', source.name, meta.pages ?? 1));
  if ((meta.width ?? 0) > MAX_SOURCE_SIDE || (meta.height ?? 0) > MAX_SOURCE_SIDE) {
    throw new UserError(
      l10n.t('{0} is {1} × {2}: too large to resize here (at most {3} pixels a side).', source.name, meta.width ?? 0, meta.height ?? 0, MAX_SOURCE_SIDE),
    );
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
    throw unreadable(source.name, error, 'resize');
  }
}

function hexColour(hex: string): { r: number; g: number; b: number; alpha: number } {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255, alpha: 1 };
}
