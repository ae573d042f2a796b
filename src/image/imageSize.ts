// Pixel size of PNG, JPEG, WebP and AVIF files from their headers (no decoding).

import { LIMITS } from '../shared/settingsSchema';
import { fitToArea as fitToAreaWithin } from '../shared/outpaint';
import type { ImageFormat } from './format';

export interface Size {
  width: number;
  height: number;
}

export function imageSize(bytes: Uint8Array, format: ImageFormat): Size | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      return view.length >= 24 ? { width: view.readUInt32BE(16), height: view.readUInt32BE(20) } : undefined;
    case 'jpeg':
      return jpegSize(view);
    case 'webp':
      return webpSize(view);
    case 'avif':
      return avifSize(view);
  }
}

/** The primary image's `ispe` (image spatial extents) property: version and flags, width, height. */
function avifSize(view: Buffer): Size | undefined {
  const at = view.subarray(0, 4096).indexOf('ispe', 0, 'latin1');
  if (at < 0 || at + 16 > view.length) return undefined;
  return { width: view.readUInt32BE(at + 8), height: view.readUInt32BE(at + 12) };
}

function jpegSize(view: Buffer): Size | undefined {
  let offset = 2;
  while (offset + 9 < view.length) {
    if (view[offset] !== 0xff) return undefined;
    const marker = view[offset + 1]!; // offset + 9 < length
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = view.readUInt16BE(offset + 2);
    // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.readUInt16BE(offset + 5), width: view.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}

function webpSize(view: Buffer): Size | undefined {
  if (view.length < 30) return undefined;
  const chunk = view.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + view.readUIntLE(24, 3), height: 1 + view.readUIntLE(27, 3) };
  if (chunk === 'VP8 ') return { width: view.readUInt16LE(26) & 0x3fff, height: view.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = view.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return undefined;
}

/**
 * The output size for img2img: the source's aspect ratio at about the pixel count of the
 * configured size, both sides multiples of 8 (what A1111 needs), each side within LIMITS.size.
 */
export function fitToArea(source: Size, target: Size): Size {
  return fitToAreaWithin(source, target, LIMITS.size);
}
