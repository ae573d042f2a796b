// How much of a mask PNG is painted, from its pixels: an inpainting mask that covers nothing is
// refused before it is sent. Decodes 8-bit PNGs (grey, grey+alpha, RGB, RGBA, non-interlaced:
// what a canvas and image editors write); anything else is "unknown", never an error. Pure.

import type * as Zlib from 'node:zlib';
import { chunks } from './pngText';

export interface MaskCoverage {
  width: number;
  height: number;
  /** The share of pixels the server would repaint (white where A1111 converts the mask to grey). */
  painted: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
/** A larger mask is not worth decoding here: the server checks it anyway. */
const MAX_PIXELS = 4096 * 4096;

export function maskCoverage(png: Uint8Array): MaskCoverage | undefined {
  let header: DataView | undefined;
  const data: Uint8Array[] = [];
  for (const chunk of chunks(png)) {
    if (chunk.type === 'IHDR') header = new DataView(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    if (chunk.type === 'IDAT') data.push(chunk.data);
  }
  if (!header || header.byteLength < 13) return undefined;
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  const depth = header.getUint8(8);
  const channels = CHANNELS[header.getUint8(9)];
  if (depth !== 8 || !channels || header.getUint8(12) !== 0 || width * height > MAX_PIXELS || width === 0 || height === 0) return undefined;
  // zlib on first use, as for PNG text: activation should not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { inflateSync } = require('node:zlib') as typeof Zlib;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(data), { maxOutputLength: (width * channels + 1) * height + 1 });
  } catch {
    return undefined;
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) return undefined;
  let previous = new Uint8Array(stride);
  let painted = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.slice(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    unfilter(filter, row, previous, channels);
    for (let x = 0; x < width; x++) {
      const at = x * channels;
      // A1111 turns the mask grey (PIL convert('L')): alpha is ignored, any light pixel counts.
      const light = channels >= 3 ? Math.max(row[at]!, row[at + 1]!, row[at + 2]!) : row[at]!;
      if (light > 0) painted++;
    }
    previous = row;
  }
  return { width, height, painted: painted / (width * height) };
}

/** PNG's per-row filters (None, Sub, Up, Average, Paeth), undone in place. */
function unfilter(filter: number, row: Uint8Array, previous: Uint8Array, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const left = i >= bpp ? row[i - bpp]! : 0;
    const up = previous[i]!;
    const upLeft = i >= bpp ? previous[i - bpp]! : 0;
    let predictor = 0;
    if (filter === 1) predictor = left;
    else if (filter === 2) predictor = up;
    else if (filter === 3) predictor = (left + up) >> 1;
    else if (filter === 4) {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    row[i] = (row[i]! + predictor) & 0xff;
  }
}
