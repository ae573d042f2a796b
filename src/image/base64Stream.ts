// Decodes one base64 image while its text is still arriving, piece by piece, so a 60 MB answer
// never exists as one string. As strict as decodeBase64 (format.ts): anything outside the
// alphabet, padding before the end, or a dangling character makes the image invalid.

const DATA_URI_PREFIX = /^data:[^,]*;base64,/i;
/** A data: URI prefix ("data:image/png;base64,") is short; longer leads are not one. */
const MAX_PREFIX_LENGTH = 256;
const EXCERPT_LENGTH = 80;

export interface DecodedBase64 {
  /** Undefined when the text was not valid base64. */
  bytes: Buffer | undefined;
  /** The first characters of the text, for error messages. */
  head: string;
}

export class Base64StreamDecoder {
  private lead = '';
  private leadResolved = false;
  private pending = '';
  private readonly parts: Buffer[] = [];
  private paddingSeen = false;
  private valid = true;
  private head = '';

  write(text: string): void {
    if (!this.valid || text === '') return;
    if (this.head.length < EXCERPT_LENGTH) this.head += text.slice(0, EXCERPT_LENGTH - this.head.length);
    if (!this.leadResolved) {
      this.lead += text;
      const rest = this.resolveLead(false);
      if (rest !== undefined) this.feed(rest);
      return;
    }
    this.feed(text);
  }

  end(): DecodedBase64 {
    if (!this.leadResolved) this.feed(this.resolveLead(true) ?? '');
    if (this.valid && this.pending !== '') {
      if (this.pending.length === 1) this.valid = false;
      else this.decode(this.pending);
    }
    const bytes = this.valid ? Buffer.concat(this.parts) : undefined;
    this.parts.length = 0;
    return { bytes, head: this.head };
  }

  private feed(text: string): void {
    if (text === '') return;
    const all = this.pending === '' ? text : this.pending + text;
    const whole = all.length - (all.length % 4);
    this.pending = all.slice(whole);
    if (whole > 0) this.decode(all.slice(0, whole));
  }

  /** Strips a data: URI prefix once enough text arrived to tell; undefined while undecided. */
  private resolveLead(final: boolean): string | undefined {
    const lead = this.lead;
    const mayBePrefix = lead.length < 5 ? 'data:'.startsWith(lead) : lead.startsWith('data:');
    const comma = mayBePrefix ? lead.indexOf(',') : -1;
    if (mayBePrefix && comma === -1 && !final && lead.length <= MAX_PREFIX_LENGTH) return undefined;
    this.leadResolved = true;
    this.lead = '';
    // Anything that is not a proper prefix stays text, and its ':' makes the base64 invalid.
    return comma !== -1 && DATA_URI_PREFIX.test(lead.slice(0, comma + 1)) ? lead.slice(comma + 1) : lead;
  }

  private decode(text: string): void {
    if (this.paddingSeen) {
      this.valid = false;
      return;
    }
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(text, 'base64');
    // Buffer.from skips characters outside the alphabet and stops at padding, so any of those
    // makes the output short: the length check is the validation.
    if (bytes.length !== Math.floor((text.length * 3) / 4) - padding) {
      this.valid = false;
      return;
    }
    if (padding > 0) this.paddingSeen = true;
    this.parts.push(bytes);
  }
}
