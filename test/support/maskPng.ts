// Test masks: PNGs written with a chosen colour type and row filter, so the mask reader
// (src/image/pngPixels.ts) is checked against every filter PNG has, not only the one we write.

import { deflateSync } from 'node:zlib';
import { pngChunk } from '../../src/image/pngText';

const CHANNELS = { grey: 1, greyAlpha: 2, rgb: 3, rgba: 4 } as const;
const COLOUR_TYPE = { grey: 0, greyAlpha: 4, rgb: 2, rgba: 6 } as const;

export function maskPng(
  width: number,
  height: number,
  painted: (x: number, y: number) => boolean,
  { layout = 'rgba', filter = 0 }: { layout?: keyof typeof CHANNELS; filter?: 0 | 1 | 2 | 3 | 4 } = {},
): Buffer {
  const bpp = CHANNELS[layout];
  const stride = width * bpp;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(stride);
    for (let x = 0; x < width; x++) {
      const value = painted(x, y) ? 255 : 0;
      for (let c = 0; c < bpp; c++) row[x * bpp + c] = layout.endsWith('lpha') || layout === 'rgba' ? (c === bpp - 1 ? 255 : value) : value;
    }
    rows.push(row);
  }
  const raw = Buffer.alloc((stride + 1) * height);
  rows.forEach((row, y) => {
    const previous = rows[y - 1] ?? new Uint8Array(stride);
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const left = i >= bpp ? row[i - bpp] : 0;
      const up = previous[i];
      const upLeft = i >= bpp ? previous[i - bpp] : 0;
      const p = left + up - upLeft;
      const paeth =
        Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ? left : Math.abs(p - up) <= Math.abs(p - upLeft) ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
      raw[y * (stride + 1) + 1 + i] = (row[i] - predictor) & 0xff;
    }
  });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = COLOUR_TYPE[layout];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}
