// A1111's "infotext": the generation parameters A1111, Forge and SD.Next write into every image
// (PNG `parameters` text, EXIF UserComment in JPEG/WebP) and show under it:
//
//   a red fox app icon, flat
//   Negative prompt: blurry, text
//   Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 42, Size: 512x512, Lora hashes: "fox: 1a2b, flat: 3c4d"
//
// Read as A1111 reads it (modules/infotext_utils.py, parse_generation_parameters): the last line
// holds the parameters when it has at least three `Key: value` pairs; lines before it are the
// prompt until one starts with `Negative prompt:`. Values with `,` `:` or a line break are JSON
// strings. Printed as A1111 prints it (modules/processing.py, create_infotext). Every pair is
// kept in order, known or not; a bare word (a flag A1111 prints as `Key` when value == key) is
// kept as key and value. Pure and total: any text gives an Infotext.
// l10n-exempt-file: A1111's infotext keys and values: a file format other tools read, never translated.

import { OUTPUT_KEYS, type Fit } from '../shared/outputShape';

export interface Infotext {
  prompt: string;
  negativePrompt: string;
  /** Every `Key: value` of the parameters line, in order, values unquoted. */
  params: [key: string, value: string][];
}

const NEGATIVE = 'Negative prompt:';

/** At least this many pairs make the last line the parameters line (A1111's rule). */
const MIN_PAIRS = 3;

export function parseInfotext(text: string): Infotext {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  let params: [string, string][] = [];
  const last = lines[lines.length - 1] ?? '';
  const candidate = parseParams(last);
  if (lines.length > 0 && candidate.filter(([key, value]) => key !== value).length >= MIN_PAIRS) {
    params = candidate;
    lines.pop();
  }
  const prompt: string[] = [];
  const negative: string[] = [];
  let inNegative = false;
  for (const raw of lines) {
    let line = raw.trim();
    if (line.startsWith(NEGATIVE)) {
      inNegative = true;
      line = line.slice(NEGATIVE.length).trim();
    }
    (inNegative ? negative : prompt).push(line);
  }
  return { prompt: prompt.join('\n'), negativePrompt: negative.join('\n'), params };
}

/** `Key: value, Key: "quoted, value", Flag` -> pairs; anything unreadable is skipped, never thrown. */
export function parseParams(line: string): [string, string][] {
  const pairs: [string, string][] = [];
  let at = 0;
  while (at < line.length) {
    while (line[at] === ' ' || line[at] === ',') at++;
    if (at >= line.length) break;
    const colon = line.indexOf(':', at);
    const comma = line.indexOf(',', at);
    if (colon < 0 || (comma >= 0 && comma < colon)) {
      // A bare word up to the next comma: a flag.
      const end = comma < 0 ? line.length : comma;
      const word = line.slice(at, end).trim();
      if (word) pairs.push([word, word]);
      at = end + 1;
      continue;
    }
    const key = line.slice(at, colon).trim();
    at = colon + 1;
    while (line[at] === ' ') at++;
    let value: string;
    if (line[at] === '"') {
      const end = closingQuote(line, at);
      const quoted = line.slice(at, end + 1);
      value = unquote(quoted);
      at = end + 1;
      const next = line.indexOf(',', at);
      // Text between the closing quote and the comma belongs to the value (not JSON after all).
      if (line.slice(at, next < 0 ? line.length : next).trim() !== '') {
        const stop = next < 0 ? line.length : next;
        value = `${quoted}${line.slice(at, stop)}`.trim();
        at = stop;
      }
    } else {
      const end = line.indexOf(',', at);
      value = line.slice(at, end < 0 ? line.length : end).trim();
      at = end < 0 ? line.length : end;
    }
    if (key) pairs.push([key, value]);
  }
  return pairs;
}

/** Index of the quote closing the JSON string that starts at `start` (or the line's end). */
function closingQuote(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return line.length - 1;
}

function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

/** A value as A1111 writes it: JSON-quoted when it holds `,` `:` or a line break (and when it would not read back otherwise). */
export function quoteValue(value: string): string {
  const plain = !/[,:\n\r]/.test(value) && value === value.trim() && !value.startsWith('"');
  return plain ? value : JSON.stringify(value);
}

export function printInfotext(info: Infotext): string {
  const params = info.params.map(([key, value]) => (key === value ? key : `${key}: ${quoteValue(value)}`)).join(', ');
  const negative = info.negativePrompt ? `\n${NEGATIVE} ${info.negativePrompt}` : '';
  return `${info.prompt}${negative}\n${params}`.trim();
}

/** The first value of `key` (A1111 keys are case-sensitive; this is not, as users type them). */
export function paramOf(info: Infotext, key: string): string | undefined {
  const wanted = key.toLowerCase();
  return info.params.find(([k]) => k.toLowerCase() === wanted)?.[1];
}

/**
 * Made by image to image: a denoising strength that is not a hires fix's. A1111's infotext does
 * not name the source image, so nothing read from the image can make the same picture again.
 */
export function madeFromSourceImage(info: Infotext): boolean {
  // l10n-exempt: infotext keys.
  return paramOf(info, 'Denoising strength') !== undefined && paramOf(info, 'Hires upscale') === undefined;
}

/** The values of `Name 0`, `Name 1`… (`ControlNet 0`, `Module 1`), in the order of their numbers. */
export function numberedParams(info: Infotext, name: string): string[] {
  const key = new RegExp(`^${name} (\\d+)$`, 'i');
  return info.params
    .map(([k, value]) => ({ index: Number(key.exec(k.trim())?.[1] ?? Number.NaN), value }))
    .filter(({ index }) => Number.isInteger(index))
    .sort((a, b) => a.index - b.index)
    .map(({ value }) => value);
}

/** The fields a generation is made from, read from an infotext; undefined where absent or unreadable. */
export interface InfotextSettings {
  prompt: string;
  negativePrompt: string;
  steps?: number;
  sampler?: string;
  scheduler?: string;
  cfgScale?: number;
  seed?: number;
  width?: number;
  height?: number;
  model?: string;
  modelHash?: string;
  denoisingStrength?: number;
  /** Hires fix's second pass, as A1111 records it. */
  hiresScale?: number;
  hiresUpscaler?: string;
  hiresSteps?: number;
  tiling?: boolean;
  clipSkip?: number;
  vae?: string;
  refiner?: string;
  refinerSwitchAt?: number;
  distilledCfg?: number;
  /** Forge's modules (VAE, text encoders) by name, as it records them: `Module 1: ae, Module 2: clip_l`. */
  modules?: string[];
  /** The exact size the file was resized to (the generated one is width × height). */
  output?: { width: number; height: number; fit: Fit; background?: string };
}

export function settingsOf(info: Infotext): InfotextSettings {
  const number = (key: string) => {
    const value = paramOf(info, key);
    const parsed = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  };
  const text = (key: string) => {
    const value = paramOf(info, key)?.trim();
    return value ? value : undefined;
  };
  const size = /^(\d+)x(\d+)$/.exec(paramOf(info, 'Size')?.trim() ?? '');
  const result: InfotextSettings = { prompt: info.prompt, negativePrompt: info.negativePrompt };
  const fields: { [K in keyof InfotextSettings]?: InfotextSettings[K] | undefined } = {
    steps: number('Steps'),
    sampler: text('Sampler'),
    scheduler: text('Schedule type'),
    cfgScale: number('CFG scale'),
    seed: number('Seed'),
    width: size ? Number(size[1]) : undefined,
    height: size ? Number(size[2]) : undefined,
    model: text('Model'),
    modelHash: text('Model hash'),
    denoisingStrength: number('Denoising strength'),
    hiresScale: number('Hires upscale'),
    hiresUpscaler: text('Hires upscaler'),
    hiresSteps: number('Hires steps'),
    tiling: text('Tiling')?.toLowerCase() === 'true' ? true : undefined,
    clipSkip: number('Clip skip'),
    vae: text('VAE'),
    refiner: text('Refiner'),
    refinerSwitchAt: number('Refiner switch at'),
    distilledCfg: number('Distilled CFG Scale'),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(result, { [key]: value });
  }
  const modules = numberedParams(info, 'Module')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (modules.length > 0) result.modules = modules;
  const output = /^(\d+)x(\d+)$/.exec(paramOf(info, OUTPUT_KEYS.size)?.trim() ?? '');
  if (output) {
    const background = text(OUTPUT_KEYS.background);
    result.output = {
      width: Number(output[1]),
      height: Number(output[2]),
      fit: text(OUTPUT_KEYS.fit) === 'contain' ? 'contain' : 'cover',
      ...(background ? { background } : {}),
    };
  }
  return result;
}
