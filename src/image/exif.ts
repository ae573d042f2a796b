// The EXIF UserComment of JPEG and WebP files, where A1111, Forge and SD.Next put the generation
// parameters of images they save in those formats (piexif: `UNICODE\0` + UTF-16). Pure, total:
// malformed or truncated data reads as "no comment", never as an exception.

const EXIF_HEADER = 'Exif\0\0';
const TAG_EXIF_IFD = 0x8769;
const TAG_USER_COMMENT = 0x9286;

/** The EXIF UserComment of a JPEG or WebP, if it has one. */
export function readExifUserComment(bytes: Uint8Array, format: 'jpeg' | 'webp'): string | undefined {
  const tiff = format === 'jpeg' ? jpegExif(bytes) : webpExif(bytes);
  return tiff ? userCommentOf(tiff) : undefined;
}

/** The TIFF structure inside a JPEG's APP1 `Exif` segment (markers are read, image data is not). */
function jpegExif(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data starts: no EXIF before it
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const data = bytes.subarray(at + 4, at + 2 + length);
    if (marker === 0xe1 && ascii(data, 0, 6) === EXIF_HEADER) return data.subarray(6);
    at += 2 + length;
  }
  return undefined;
}

/** The TIFF structure of a WebP's `EXIF` chunk (Pillow and others sometimes keep the `Exif\0\0` prefix). */
function webpExif(bytes: Uint8Array): Uint8Array | undefined {
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 12) !== 'WEBP') return undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const type = ascii(bytes, at, at + 4);
    const size = (bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 24)) >>> 0;
    const data = bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + size));
    if (type === 'EXIF') return ascii(data, 0, 6) === EXIF_HEADER ? data.subarray(6) : data;
    at += 8 + size + (size % 2);
  }
  return undefined;
}

function userCommentOf(tiff: Uint8Array): string | undefined {
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number) => (at + 2 <= tiff.length ? (little ? tiff[at]! | (tiff[at + 1]! << 8) : (tiff[at]! << 8) | tiff[at + 1]!) : undefined);
  const u32 = (at: number) => {
    if (at + 4 > tiff.length) return undefined;
    const [a, b, c, d] = [tiff[at]!, tiff[at + 1]!, tiff[at + 2]!, tiff[at + 3]!];
    return (little ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  };
  /** The entry for `tag` in the IFD at `offset`: where its value is and how many bytes. */
  const entry = (offset: number, tag: number): { valueAt: number; bytes: number } | undefined => {
    const count = u16(offset);
    if (count === undefined) return undefined;
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      if (u16(at) !== tag) continue;
      const type = u16(at + 2);
      const n = u32(at + 4);
      if (type === undefined || n === undefined) return undefined;
      const size = (TYPE_SIZES[type] ?? 1) * n;
      const valueAt = size <= 4 ? at + 8 : u32(at + 8);
      return valueAt === undefined ? undefined : { valueAt, bytes: size };
    }
    return undefined;
  };
  const ifd0 = u32(4);
  if (ifd0 === undefined) return undefined;
  const pointer = entry(ifd0, TAG_EXIF_IFD);
  const exifIfd = pointer ? u32(pointer.valueAt) : undefined;
  const comment = exifIfd !== undefined ? entry(exifIfd, TAG_USER_COMMENT) : undefined;
  if (!comment || comment.valueAt + comment.bytes > tiff.length) return undefined;
  return decodeUserComment(tiff.subarray(comment.valueAt, comment.valueAt + comment.bytes), little);
}

/** Byte size of one value of each TIFF field type. */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

/**
 * UserComment = an 8-byte character code, then the text. `UNICODE` is UTF-16 whose byte order the
 * standard leaves to the writer: piexif (A1111, Forge, SD.Next) writes big-endian, exiftool the
 * file's own order; a byte-order mark decides, else the side where ASCII's zero bytes fall.
 */
function decodeUserComment(data: Uint8Array, tiffLittleEndian: boolean): string | undefined {
  const code = ascii(data, 0, 8).replace(/\0+$/, '');
  let text = data.subarray(8);
  if (code === 'UNICODE') {
    let little = tiffLittleEndian;
    if (text[0] === 0xff && text[1] === 0xfe) [little, text] = [true, text.subarray(2)];
    else if (text[0] === 0xfe && text[1] === 0xff) [little, text] = [false, text.subarray(2)];
    else {
      let zerosAtEven = 0;
      let zerosAtOdd = 0;
      for (let i = 0; i + 1 < text.length && i < 512; i += 2) {
        if (text[i] === 0) zerosAtEven++;
        if (text[i + 1] === 0) zerosAtOdd++;
      }
      if (zerosAtEven !== zerosAtOdd) little = zerosAtOdd > zerosAtEven;
    }
    const even = text.subarray(0, text.length - (text.length % 2));
    const swapped = little ? Buffer.from(even) : Buffer.from(even).swap16();
    return swapped.toString('utf16le').replace(/\0+$/, '');
  }
  // ASCII, undefined (often UTF-8 in practice) or JIS: read as UTF-8.
  return Buffer.from(text).toString('utf8').replace(/\0+$/, '');
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return end <= bytes.length ? String.fromCharCode(...bytes.subarray(start, end)) : '';
}
