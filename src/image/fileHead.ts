// The metadata of a local image without reading its pixels: PNG text chunks come before the
// image data (A1111 and Pillow write them there), so the file is read in small steps until the
// first IDAT chunk. For the recipes' stale check over hundreds of images.

import { promises as fsPromises } from 'node:fs';

const STEP = 4 * 1024;
/** Text chunks beyond this are not looked for (a parameters text is a few KB). */
const MAX_HEAD = 1024 * 1024;

export interface FileHead {
  bytes: Uint8Array;
  /** How many bytes were read from the file. */
  read: number;
}

/** The start of a PNG up to its first IDAT chunk (or the whole file when it is shorter). */
export async function readPngHead(path: string): Promise<FileHead> {
  const handle = await fsPromises.open(path, 'r');
  try {
    let buffer = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.alloc(STEP);
      const { bytesRead } = await handle.read(chunk, 0, STEP, buffer.length);
      buffer = Buffer.concat([buffer, chunk.subarray(0, bytesRead)]);
      if (bytesRead < STEP || buffer.length >= MAX_HEAD || reachedImageData(buffer)) return { bytes: buffer, read: buffer.length };
    }
  } finally {
    await handle.close();
  }
}

/** True once the chunk walk reaches IDAT (or leaves PNG structure). */
function reachedImageData(png: Buffer): boolean {
  let at = 8;
  while (at + 8 <= png.length) {
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') return true;
    at += 12 + png.readUInt32BE(at);
  }
  return false;
}
