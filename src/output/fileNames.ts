// File names for generated images, from a template (`sdStudio.fileNameTemplate`, default
// `{date}-{time}-{prompt}-{seed}`: `20261124-153012-red-fox-app-icon-1234567.png`) or, for image
// to image beside the source, `{source}-variant-{n}` (`logo.png` -> `logo-variant-1.png`).
// Pure, so the rules are unit and property tested: whatever the template and values, the name
// is one safe file name on Windows, macOS and Linux.

import { SETTINGS } from '../shared/settingsSchema';

const MAX_SLUG_LENGTH = 48;
/** Room for `-<counter>` and an extension within the 255-byte (UTF-8) limit of common file systems. */
const MAX_STEM_BYTES = 200;
export const TEMPLATE_TOKENS = ['prompt', 'seed', 'model', 'date', 'time', 'width', 'height', 'source', 'n'] as const;
export type TemplateToken = (typeof TEMPLATE_TOKENS)[number];

/** The words of a prompt as a lowercase ASCII slug, without A1111 syntax (`<lora:…>`, `(word:1.2)`). */
export function promptSlug(prompt: string, maxLength = MAX_SLUG_LENGTH): string {
  const words = prompt
    .replace(/<[^>]*>/g, ' ') // extra networks: <lora:name:0.8>
    .replace(/:\s*-?\d+(\.\d+)?/g, ' ') // attention weights: (word:1.2)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: café -> cafe
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) {
      if (!slug) slug = word.slice(0, maxLength);
      break;
    }
    slug = next;
  }
  return slug || 'image';
}

/** A checkpoint's name as a slug, without its folder, extension and `[hash]`: `sd_xl_base_1.0.safetensors [31e35c80fc]` -> `sd-xl-base-1-0`. */
export function modelSlug(model: string): string {
  const name = model
    .replace(/\s*\[[0-9a-f]+\]\s*$/i, '')
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(safetensors|ckpt|pt|pth|gguf|bin)$/i, '');
  const slug = promptSlug(name.replace(/[^A-Za-z0-9]+/g, ' '), 32);
  return slug === 'image' && !/[a-z0-9]/i.test(name) ? '' : slug;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

export function timestamp(date: Date): string {
  return `${datePart(date)}-${timePart(date)}`;
}

function datePart(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

function timePart(date: Date): string {
  return `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export interface NameParts {
  prompt: string;
  seed?: number | undefined;
  date: Date;
  extension: string;
  model?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** The source image's file name (image to image). */
  source?: string | undefined;
}

/**
 * The name for `parts` from `template`, for the `attempt`-th try (a taken name is tried again with
 * the next attempt): `{n}` is the attempt; a template without `{n}` gets `-2`, `-3`… from the
 * second attempt. Empty values leave no doubled or dangling separators; unknown `{tokens}` stay
 * as text; characters no OS allows become `-`.
 */
export function imageFileName(parts: NameParts, attempt = 1, template: string = SETTINGS.fileNameTemplate.default): string {
  const values: Record<TemplateToken, string> = {
    prompt: promptSlug(parts.prompt),
    seed: parts.seed !== undefined && parts.seed >= 0 ? String(parts.seed) : '',
    model: parts.model ? modelSlug(parts.model) : '',
    date: datePart(parts.date),
    time: timePart(parts.date),
    width: parts.width ? String(parts.width) : '',
    height: parts.height ? String(parts.height) : '',
    source: parts.source ? sourceStem(parts.source) : '',
    n: String(attempt),
  };
  // split() with a group alternates literal text and token names: ['', 'date', '-', 'time', …].
  const pieces = template.split(/\{([a-z]+)\}/);
  let stem = '';
  for (const [index, piece] of pieces.entries()) {
    if (index % 2 === 0) {
      stem += piece;
    } else if (piece in values) {
      const value = values[piece as TemplateToken];
      // An empty value takes its separator with it: `{prompt}-{seed}` without a seed is `{prompt}`.
      if (value === '') stem = stem.replace(SEPARATOR_AT_END, '');
      stem += value;
    } else {
      stem += piece; // not a token: kept as text
    }
  }
  const whole = trimSeparators(safeCharacters(stem).replace(/\s+/g, ' '));
  stem = limitBytes(whole) || 'image';
  // The counter must survive: after the name when the template has no {n}, or when the cut took it.
  if (attempt > 1 && (!template.includes('{n}') || stem !== whole)) stem = `${stem}-${attempt}`;
  if (RESERVED_ON_WINDOWS.test(stem)) stem = `image-${stem}`;
  return `${stem}.${parts.extension}`;
}

/** `My Logo.final.png` -> `My Logo.final`. */
function sourceStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

// Windows forbids <>:"/\|?* and control characters; invisible format characters (such as a
// right-to-left override) would let a name pass for another.
const FORBIDDEN = /[<>:"/\\|?*\p{Cc}\p{Cf}]/gu;
const RESERVED_ON_WINDOWS = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

function safeCharacters(text: string): string {
  return text.normalize('NFC').replace(FORBIDDEN, '-');
}

const SEPARATOR_AT_END = /[-_ .]$/;
const utf8 = new TextEncoder();

/** At most MAX_STEM_BYTES of UTF-8, cut between characters, without separators left at the end. */
function limitBytes(stem: string): string {
  if (utf8.encode(stem).length <= MAX_STEM_BYTES) return stem;
  let bytes = 0;
  return trimSeparators([...stem].filter((character) => (bytes += utf8.encode(character).length) <= MAX_STEM_BYTES).join(''));
}

/** No leading dot (a hidden file) and no trailing dot or space (Windows drops them). */
function trimSeparators(text: string): string {
  return text.replace(/^[-_ .]+|[-_ .]+$/g, '');
}
