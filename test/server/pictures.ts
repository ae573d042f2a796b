// Deterministic stand-in images for the local server: real PNGs whose colours and shapes follow
// from the seed (and the source image for img2img), unmistakably not Stable Diffusion output.

import { deflateSync } from 'node:zlib';
import { pngChunk, textChunk } from '../../src/image/pngText';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** mulberry32: a tiny seeded PRNG, so the same seed always draws the same picture. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PictureOptions {
  width: number;
  height: number;
  seed: number;
  /** Mixed into the pattern: img2img results differ with their source. */
  salt?: number;
  /** 0..1: how far sampling got (an interrupted job returns a blurrier, unfinished picture). */
  completion?: number;
  text?: Record<string, string>;
  /** Add per-pixel noise, so the PNG is about as large as a real photo-like result. */
  noise?: boolean;
}

export function renderPicture({ width, height, seed, salt = 0, completion = 1, text = {}, noise = false }: PictureOptions): Buffer {
  const next = random(seed ^ salt);
  const c1 = [next() * 255, next() * 255, next() * 255];
  const c2 = [next() * 255, next() * 255, next() * 255];
  const c3 = [next() * 255, next() * 255, next() * 255];
  const circles = Array.from({ length: 3 + Math.floor(next() * 4) }, () => ({
    x: next() * width,
    y: next() * height,
    r: (0.08 + next() * 0.25) * Math.min(width, height),
  }));
  const stripe = Math.max(4, Math.round(Math.min(width, height) / 16));
  const rowLength = 1 + width * 3;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y++) {
    const row = y * rowLength;
    raw[row] = 0; // filter: none
    const ty = y / height;
    for (let x = 0; x < width; x++) {
      const t = (x / width + ty) / 2;
      let r = c1[0] + (c2[0] - c1[0]) * t;
      let g = c1[1] + (c2[1] - c1[1]) * t;
      let b = c1[2] + (c2[2] - c1[2]) * t;
      for (const c of circles) {
        const dx = x - c.x;
        const dy = y - c.y;
        if (dx * dx + dy * dy < c.r * c.r) {
          r = (r + c3[0]) / 2;
          g = (g + c3[1]) / 2;
          b = (b + c3[2]) / 2;
        }
      }
      if (completion < 1 && Math.floor((x + y) / stripe) % 2 === 0) {
        r *= completion;
        g *= completion;
        b *= completion;
      }
      if (noise) {
        const n = (next() - 0.5) * 48;
        r += n;
        g += n;
        b += n;
      }
      const p = row + 1 + x * 3;
      raw[p] = r;
      raw[p + 1] = g;
      raw[p + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    SIGNATURE,
    pngChunk('IHDR', header),
    ...Object.entries(text).map(([key, value]) => textChunk(key, value)),
    pngChunk('IDAT', deflateSync(raw, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small stable number from any bytes (the img2img salt). */
export function fingerprint(bytes: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 4096))) {
    h = Math.imul(h ^ bytes[i], 16777619);
  }
  return h >>> 0;
}
