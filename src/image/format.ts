export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'avif';

/** Recognises PNG, JPEG, WebP and AVIF by their first bytes; anything else is not an image we save. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'webp';
  }
  // An ISO media file whose brand is AVIF (the extension writes them; servers send none).
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(bytes, 8, 12))) {
    return 'avif';
  }
  return undefined;
}

export function extensionFor(format: ImageFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Base64 of `bytes` through a view of their memory (Buffer.from(bytes) would copy a 10 MB source first). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A data: URI for base64 image data (a live preview), typed by its first bytes. */
export function base64DataUri(base64: string): string {
  const format = sniffImageFormat(Buffer.from(base64.slice(0, 24), 'base64')) ?? 'png';
  return `data:image/${format};base64,${base64}`;
}

const DATA_URI_PREFIX = /^data:[^,]*;base64,/i;

/**
 * Decodes a base64 image as A1111 sends it (plain base64; tolerates a data: URI prefix).
 * Returns undefined when the text is not base64 at all; format checks are the caller's.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const payload = text.startsWith('data:') ? text.replace(DATA_URI_PREFIX, '') : text;
  if (payload.length % 4 === 1) return undefined;
  const bytes = Buffer.from(payload, 'base64');
  // Buffer.from skips characters outside the alphabet, so garbage decodes short: checking the
  // length is as strict as a regex over the text, at no cost for 60 MB answers.
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return bytes.length === Math.floor((payload.length * 3) / 4) - padding ? bytes : undefined;
}
