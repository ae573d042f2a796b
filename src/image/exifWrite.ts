// Writes generation parameters into a JPEG or WebP as A1111 does (piexif): an EXIF block whose
// Exif IFD holds UserComment = `UNICODE\0` + UTF-16 (big-endian, in a big-endian TIFF), so any
// tool that reads A1111's JPEGs and WebPs reads ours. The image library writes EXIF strings as
// ASCII (a prompt's non-ASCII characters would become "?"), hence this. Pure; exif.ts reads it.

import { imageSize } from './imageSize';

const TAG_EXIF_IFD = 0x8769;
const TAG_USER_COMMENT = 0x9286;

/** A TIFF structure (big-endian) with IFD0 → Exif IFD → UserComment. */
export function userCommentTiff(text: string): Buffer {
  const comment = Buffer.concat([Buffer.from('UNICODE\0', 'latin1'), Buffer.from(text, 'utf16le').swap16()]);
  const ifd0 = 8; // after the header
  const exifIfd = ifd0 + 2 + 12 + 4; // one entry, then the next-IFD offset
  const value = exifIfd + 2 + 12 + 4;
  const tiff = Buffer.alloc(value + comment.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(ifd0, 4);
  // IFD0: the Exif IFD pointer (LONG).
  tiff.writeUInt16BE(1, ifd0);
  tiff.writeUInt16BE(TAG_EXIF_IFD, ifd0 + 2);
  tiff.writeUInt16BE(4, ifd0 + 4);
  tiff.writeUInt32BE(1, ifd0 + 6);
  tiff.writeUInt32BE(exifIfd, ifd0 + 10);
  tiff.writeUInt32BE(0, ifd0 + 14);
  // Exif IFD: UserComment (UNDEFINED, its bytes after the IFD).
  tiff.writeUInt16BE(1, exifIfd);
  tiff.writeUInt16BE(TAG_USER_COMMENT, exifIfd + 2);
  tiff.writeUInt16BE(7, exifIfd + 4);
  tiff.writeUInt32BE(comment.length, exifIfd + 6);
  tiff.writeUInt32BE(value, exifIfd + 10);
  tiff.writeUInt32BE(0, exifIfd + 14);
  comment.copy(tiff, value);
  return tiff;
}

/**
 * The image with its EXIF replaced by one holding `text` as UserComment. For files the image
 * library just wrote (which carry no other EXIF worth keeping); undefined when the file is not
 * a JPEG or WebP this can read.
 */
export function withUserComment(bytes: Uint8Array, format: 'jpeg' | 'webp', text: string): Buffer | undefined {
  const tiff = userCommentTiff(text);
  return format === 'jpeg' ? jpegWithExif(Buffer.from(bytes), tiff) : webpWithExif(Buffer.from(bytes), tiff);
}

function jpegWithExif(jpeg: Buffer, tiff: Buffer): Buffer | undefined {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return undefined;
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  if (payload.length + 2 > 0xffff) return undefined; // one APP1 segment holds at most 64 KB
  // Drop the APP1 Exif segments already there (markers only: the image data is not read).
  const kept: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda) break; // image data from here on
    const length = jpeg.readUInt16BE(at + 2);
    const segment = jpeg.subarray(at, at + 2 + length);
    if (!(marker === 0xe1 && segment.subarray(4, 10).toString('latin1') === 'Exif\0\0')) kept.push(segment);
    at += 2 + length;
  }
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  // Right after SOI and any APP0 (JFIF), as cameras and piexif place it.
  const app0 = kept.length > 1 && kept[1]![1] === 0xe0 ? 2 : 1;
  return Buffer.concat([...kept.slice(0, app0), app1, payload, ...kept.slice(app0), jpeg.subarray(at)]);
}

function webpWithExif(webp: Buffer, tiff: Buffer): Buffer | undefined {
  if (webp.subarray(0, 4).toString('latin1') !== 'RIFF' || webp.subarray(8, 12).toString('latin1') !== 'WEBP') return undefined;
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 12; at + 8 <= webp.length;) {
    const size = webp.readUInt32LE(at + 4);
    chunks.push({ type: webp.subarray(at, at + 4).toString('latin1'), data: webp.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size % 2);
  }
  const size = imageSize(webp, 'webp');
  if (!size || chunks.length === 0) return undefined;
  let vp8x = chunks.find((chunk) => chunk.type === 'VP8X');
  if (!vp8x) {
    // A simple WebP becomes an extended one: VP8X first, with the canvas size and its flags.
    const lossless = chunks.find((chunk) => chunk.type === 'VP8L');
    const alpha = lossless ? ((lossless.data[4]! >> 4) & 1) === 1 : chunks.some((chunk) => chunk.type === 'ALPH');
    vp8x = { type: 'VP8X', data: Buffer.alloc(10) };
    vp8x.data[0] = alpha ? 0x10 : 0;
    vp8x.data.writeUIntLE(size.width - 1, 4, 3);
    vp8x.data.writeUIntLE(size.height - 1, 7, 3);
    chunks.unshift(vp8x);
  } else {
    vp8x.data = Buffer.from(vp8x.data);
  }
  vp8x.data[0] = vp8x.data[0]! | 0x08; // EXIF present
  const body = [...chunks.filter((chunk) => chunk.type !== 'EXIF'), { type: 'EXIF', data: tiff }].map(({ type, data }) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data, Buffer.alloc(data.length % 2)]);
  });
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + body.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, ...body]);
}
