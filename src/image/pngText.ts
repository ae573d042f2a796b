// Reads and adds PNG text chunks (tEXt, zTXt, iTXt), where A1111 keeps the generation parameters
// (key `parameters`). Pure functions over bytes; no image decoding.

import type * as Zlib from 'node:zlib';

const SIGNATURE_LENGTH = 8;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface Chunk {
  type: string;
  /** Offset of the chunk's length field. */
  start: number;
  data: Uint8Array;
}

/** The chunks of a PNG, in order, up to IEND (a truncated file ends early). */
export function* chunks(png: Uint8Array): Generator<Chunk> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = SIGNATURE_LENGTH;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > png.length) return;
    yield { type, start: offset, data: png.subarray(offset + 8, dataEnd) };
    if (type === 'IEND') return;
    offset = dataEnd + 4;
  }
}

/** Text chunks of a PNG (tEXt, zTXt, iTXt compressed or not), first occurrence of each key wins. */
export function readPngText(png: Uint8Array): Map<string, string> {
  const result = new Map<string, string>();
  for (const chunk of chunks(png)) {
    const entry =
      chunk.type === 'tEXt'
        ? parseText(chunk.data)
        : chunk.type === 'iTXt'
          ? parseInternationalText(chunk.data)
          : chunk.type === 'zTXt'
            ? parseCompressedText(chunk.data)
            : undefined;
    if (entry && !result.has(entry[0])) result.set(entry[0], entry[1]);
    if (chunk.type === 'IDAT') break; // A1111 and Pillow write text before the image data.
  }
  return result;
}

function parseText(data: Uint8Array): [string, string] | undefined {
  const nul = data.indexOf(0);
  if (nul <= 0) return undefined;
  return [Buffer.from(data.subarray(0, nul)).toString('latin1'), Buffer.from(data.subarray(nul + 1)).toString('latin1')];
}

function parseInternationalText(data: Uint8Array): [string, string] | undefined {
  const nul = data.indexOf(0);
  if (nul <= 0 || nul + 2 >= data.length) return undefined;
  const compressed = data[nul + 1] !== 0;
  const languageEnd = data.indexOf(0, nul + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  const text = compressed ? inflate(data.subarray(translatedEnd + 1)) : data.subarray(translatedEnd + 1);
  return text ? [Buffer.from(data.subarray(0, nul)).toString('latin1'), Buffer.from(text).toString('utf8')] : undefined;
}

/** zTXt: keyword, NUL, compression method (0 = zlib), compressed Latin-1 text. */
function parseCompressedText(data: Uint8Array): [string, string] | undefined {
  const nul = data.indexOf(0);
  if (nul <= 0 || nul + 2 > data.length || data[nul + 1] !== 0) return undefined;
  const text = inflate(data.subarray(nul + 2));
  return text ? [Buffer.from(data.subarray(0, nul)).toString('latin1'), Buffer.from(text).toString('latin1')] : undefined;
}

/** Inflates zlib data; undefined when it is not (a damaged chunk must not stop the reading). Bounded: text, not images. */
function inflate(data: Uint8Array): Uint8Array | undefined {
  try {
    // zlib on first use: compressed text chunks are rare, and activation should not load it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inflateSync } = require('node:zlib') as typeof Zlib;
    return inflateSync(data, { maxOutputLength: 16 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/**
 * Returns a copy of `png` with a text chunk inserted right after IHDR: tEXt when the text is
 * Latin-1, iTXt (UTF-8) otherwise, as Pillow does.
 */
export function addPngText(png: Uint8Array, key: string, text: string): Uint8Array {
  const first = chunks(png).next();
  if (first.done || first.value.type !== 'IHDR') throw new Error('Not a PNG image (no IHDR chunk).');
  const insertAt = first.value.start + 12 + first.value.data.length;
  const chunk = textChunk(key, text);
  return Buffer.concat([png.subarray(0, insertAt), chunk, png.subarray(insertAt)]);
}

/** A copy of `png` whose text under `key` is `text`: the text chunks of that key give way to one new chunk. */
export function setPngText(png: Uint8Array, key: string, text: string): Uint8Array {
  const kept: Uint8Array[] = [];
  let at = 0;
  for (const chunk of chunks(png)) {
    // tEXt, zTXt and iTXt all start with the keyword and a zero byte.
    if (TEXT_CHUNKS.has(chunk.type) && Buffer.from(chunk.data.subarray(0, chunk.data.indexOf(0))).toString('latin1') === key) {
      kept.push(png.subarray(at, chunk.start));
      at = chunk.start + 12 + chunk.data.length;
    }
  }
  kept.push(png.subarray(at));
  return addPngText(Buffer.concat(kept), key, text);
}

const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);

export function textChunk(key: string, text: string): Buffer {
  // eslint-disable-next-line no-control-regex -- the whole Latin-1 range is what tEXt allows
  const latin1 = /^[\x00-\xff]*$/.test(text);
  const keyBytes = Buffer.from(key, 'latin1');
  const data = latin1
    ? Buffer.concat([keyBytes, Buffer.from([0]), Buffer.from(text, 'latin1')])
    : Buffer.concat([keyBytes, Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
  return pngChunk(latin1 ? 'tEXt' : 'iTXt', data);
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}
