// Reads a txt2img/img2img answer as it arrives. The strings of its top-level "images" array
// (base64 PNGs, 95% of the body) are decoded to bytes chunk by chunk and replaced by "" in the
// text kept for JSON.parse, so peak memory is about the decoded images instead of body text +
// parsed strings + decoded bytes (BENCHMARKS.md, section 2). The source image A1111 echoes back
// in an img2img answer's "parameters" (init_images, mask) is dropped the same way, undecoded.
//
// Only JSON structure is tracked (strings, nesting, the keys of the first two levels); values
// are left to JSON.parse. Whatever the reader does not recognise stays in the text untouched; the
// images left as strings there are decoded by parseGenerationResponse as before, so an odd
// body costs memory, never correctness. A truncated body leaves invalid JSON, as it would have.

import { Base64StreamDecoder } from '../image/base64Stream';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Longest key worth remembering: we only look for "images", "parameters" and ECHOED_INPUTS. */
const MAX_KEY_BYTES = 16;
/** Keys of "parameters" holding the request's own images, echoed back by A1111. */
const ECHOED_INPUTS = new Set(['init_images', 'mask']);
/** Stands in for a decoder while an echoed input image is skipped. */
const DISCARD = 'discard';
/** The one JSON escape base64 text can hold: "\/", written by some encoders. */
const ESCAPED_SLASH = 0x2f;

/** An entry of `images` decoded while the body streamed in; parseGenerationResponse takes it as is. */
export class StreamedImage {
  constructor(
    readonly bytes: Buffer | undefined,
    readonly head: string,
  ) {}
}

export class GenerationBodyReader {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private started = false;
  private passThrough = false;
  /** Open containers, innermost last: OPEN_OBJECT or OPEN_ARRAY. */
  private readonly stack: number[] = [];
  private inString = false;
  /** A backslash ended the previous chunk inside a string. */
  private escapePending = false;
  private expectKey = false;
  /** The key being read (at depth 1 or 2), and at which depth. */
  private key: number[] | undefined;
  private keyDepth = 0;
  /** The last key read at depth 1 ([0]) and, inside a depth-2 object, at depth 2 ([1]). */
  private readonly keys: string[] = [];
  private inImages = false;
  private image: Base64StreamDecoder | typeof DISCARD | undefined;
  private images: StreamedImage[] = [];
  /** Where the next backslash of the current chunk is, so strings without any scan once. */
  private backslashChunk: Buffer | undefined;
  private backslashAt = -1;

  write(chunk: Buffer): void {
    if (!this.started) {
      const first = chunk.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
      if (first === -1) return this.keep(chunk);
      this.started = true;
      // Not a JSON object (an HTML error page, a bare string): keep it all for the error message.
      this.passThrough = chunk[first] !== OPEN_OBJECT;
    }
    if (this.passThrough) return this.keep(chunk);

    let keepFrom = 0;
    let at = 0;
    while (at < chunk.length) {
      if (this.image) {
        at = this.readImage(chunk, at);
        if (!this.image) keepFrom = at; // the closing quote was consumed with the image
        continue;
      }
      if (this.inString) {
        at = this.skipString(chunk, at);
        continue;
      }
      const byte = chunk[at];
      if (byte === QUOTE) {
        const image = this.inImages && this.stack.length === 2;
        if (image || this.atEchoedInput()) {
          // Keep `""` in its place; decode an image, skip an echoed input.
          this.keep(chunk.subarray(keepFrom, at));
          this.keep(Buffer.from('""'));
          this.image = image ? new Base64StreamDecoder() : DISCARD;
          at += 1;
          keepFrom = at;
          continue;
        }
        this.inString = true;
        this.key = this.expectKey && this.stack.length <= 2 ? [] : undefined;
        this.keyDepth = this.stack.length;
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (byte === OPEN_ARRAY && this.stack.length === 1 && this.keys[0] === 'images') {
          this.inImages = true;
          this.images = []; // a repeated key: JSON.parse keeps the last one, and so do we
        }
        if (this.stack.length === 1) this.keys.length = 1; // a new depth-2 container: no key read in it yet
        this.stack.push(byte);
        this.expectKey = byte === OPEN_OBJECT;
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        this.stack.pop();
        if (this.stack.length < 2) this.inImages = false;
      } else if (byte === COMMA) {
        this.expectKey = this.stack[this.stack.length - 1] === OPEN_OBJECT;
      } else if (byte === COLON) {
        this.expectKey = false;
      }
      at += 1;
    }
    if (!this.image) this.keep(chunk.subarray(keepFrom));
  }

  /** The body without its image strings, for JSON.parse and error messages. */
  text(): string {
    return Buffer.concat(this.kept, this.keptBytes).toString('utf8');
  }

  /** Puts the decoded images back into the parsed body, in place of their "" stand-ins. */
  restoreImages(body: unknown): unknown {
    if (this.image) return body; // cut off inside an image: JSON.parse has already failed
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { images?: unknown }).images)) return body;
    const images = (body as { images: unknown[] }).images;
    let next = 0;
    const restored = images.map((entry) => (typeof entry === 'string' && next < this.images.length ? this.images[next++] : entry));
    return { ...body, images: restored };
  }

  /** A string value inside "parameters" that is (or is in a list of) the request's own images. */
  private atEchoedInput(): boolean {
    const { stack, keys } = this;
    if (keys[0] !== 'parameters' || stack[1] !== OPEN_OBJECT || !ECHOED_INPUTS.has(keys[1] ?? '')) return false;
    return (stack.length === 2 && !this.expectKey) || (stack.length === 3 && stack[2] === OPEN_ARRAY);
  }

  /** Inside an image string: feeds base64 text to its decoder (if any) up to the closing quote. */
  private readImage(chunk: Buffer, at: number): number {
    const decoder = this.image === DISCARD ? undefined : this.image!;
    if (this.escapePending) {
      this.escapePending = false;
      decoder?.write(this.unescape(chunk[at]!)); // at < chunk.length
      return at + 1;
    }
    const quote = chunk.indexOf(QUOTE, at);
    const backslash = this.nextBackslash(chunk, at);
    const end = quote === -1 ? chunk.length : quote;
    if (backslash !== -1 && backslash < end) {
      decoder?.write(chunk.toString('latin1', at, backslash));
      if (backslash + 1 === chunk.length) {
        this.escapePending = true;
        return chunk.length;
      }
      decoder?.write(this.unescape(chunk[backslash + 1]!)); // checked just above
      return backslash + 2;
    }
    decoder?.write(chunk.toString('latin1', at, end));
    if (quote === -1) return chunk.length;
    if (decoder) {
      const decoded = decoder.end();
      this.images.push(new StreamedImage(decoded.bytes, decoded.head));
    }
    this.image = undefined;
    return quote + 1;
  }

  private unescape(byte: number): string {
    return byte === ESCAPED_SLASH ? '/' : '\u0000'; // anything else cannot be base64: the decoder rejects it
  }

  /** Inside an ordinary string: finds its end, remembering a top-level key. */
  private skipString(chunk: Buffer, at: number): number {
    let from = at;
    if (this.escapePending) {
      this.escapePending = false;
      this.collectKey(chunk, at, at + 1);
      from = at + 1;
    }
    let search = from;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, search);
      const backslash = this.nextBackslash(chunk, search);
      if (backslash !== -1 && (quote === -1 || backslash < quote)) {
        if (backslash + 1 >= chunk.length) {
          this.escapePending = true;
          this.collectKey(chunk, from, chunk.length);
          return chunk.length;
        }
        search = backslash + 2;
        continue;
      }
      if (quote === -1) {
        this.collectKey(chunk, from, chunk.length);
        return chunk.length;
      }
      this.collectKey(chunk, from, quote);
      this.inString = false;
      if (this.key) {
        this.keys[this.keyDepth - 1] = Buffer.from(this.key).toString('utf8');
        this.keys.length = this.keyDepth;
      }
      this.key = undefined;
      return quote + 1;
    }
  }

  private nextBackslash(chunk: Buffer, from: number): number {
    if (chunk !== this.backslashChunk || (this.backslashAt !== -1 && this.backslashAt < from)) {
      this.backslashChunk = chunk;
      this.backslashAt = chunk.indexOf(BACKSLASH, from);
    }
    return this.backslashAt;
  }

  private collectKey(chunk: Buffer, from: number, to: number): void {
    if (!this.key) return;
    if (this.key.length + (to - from) > MAX_KEY_BYTES) {
      this.key = undefined;
      this.keys[this.keyDepth - 1] = ''; // a long key: none we look for
      this.keys.length = this.keyDepth;
      return;
    }
    for (let i = from; i < to; i++) this.key.push(chunk[i]!);
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.kept.push(bytes);
    this.keptBytes += bytes.length;
  }
}
