// l10n-exempt-file: infotext keys and A1111's resize mode labels, a file format other tools read.
// The source image of an image-to-image result, as the extension records it in the infotext (A1111
// records none): its workspace path, a hash of its bytes, and the resize mode. With them Regenerate,
// Reuse in Panel and Add to Recipes can make the same picture again, and tell when the source
// has changed since. Pure.

import type * as Crypto from 'node:crypto';
import type { ResizeMode } from '../shared/settingsSchema';
import { paramOf, type Infotext } from './infotext';

export const SOURCE_KEYS = { path: 'Source image', hash: 'Source hash', resizeMode: 'Resize mode' } as const;

/** A1111's labels for its resize modes (its img2img tab). */
const RESIZE_MODE_NAMES: Record<ResizeMode, string> = { justResize: 'Just resize', cropAndResize: 'Crop and resize', resizeAndFill: 'Resize and fill' };

export interface RecordedSource {
  /** Relative to the workspace folder, with forward slashes. */
  path: string;
  hash?: string;
  resizeMode?: ResizeMode;
}

/** A short hash of the source's bytes: enough to tell a changed file, short enough to read. */
export function sourceHash(bytes: Uint8Array): string {
  // crypto on first use (an image-to-image result saved), not while the extension activates.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof Crypto;
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

export function sourceParams(path: string, bytes: Uint8Array, resizeMode: ResizeMode): [string, string][] {
  return [
    [SOURCE_KEYS.path, path],
    [SOURCE_KEYS.hash, sourceHash(bytes)],
    [SOURCE_KEYS.resizeMode, RESIZE_MODE_NAMES[resizeMode]],
  ];
}

export function sourceOf(info: Infotext): RecordedSource | undefined {
  const path = paramOf(info, SOURCE_KEYS.path)?.trim();
  if (!path) return undefined;
  const hash = paramOf(info, SOURCE_KEYS.hash)?.trim();
  const modeName = paramOf(info, SOURCE_KEYS.resizeMode)?.trim().toLowerCase();
  const resizeMode = (Object.keys(RESIZE_MODE_NAMES) as ResizeMode[]).find((mode) => RESIZE_MODE_NAMES[mode].toLowerCase() === modeName);
  return { path, ...(hash ? { hash } : {}), ...(resizeMode ? { resizeMode } : {}) };
}
