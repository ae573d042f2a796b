// The fields a recipes manifest's entries and defaults may have, and their types (the JSON
// schema media/sd-assets.schema.json lists the same; unit-tested). Pure.

import * as l10n from '@vscode/l10n';
import { exactSizeProblem, FITS, formatProblem, REMBG_MODELS, type Fit } from '../shared/outputShape';
import { QUALITY_LIMITS } from '../shared/qualityOptions';
import { SETTINGS } from '../shared/settingsSchema';

const RESIZE_MODES = SETTINGS['img2img.resizeMode'].enum;

/** What an entry or the defaults may say; every field optional (defaults and built-ins fill in). */
export interface RecipeFields {
  prompt?: string;
  negativePrompt?: string;
  style?: string;
  /** `"1216x832"` or `{ "width": 1216, "height": 832 }`. */
  size?: string | { width: number; height: number };
  model?: string;
  sampler?: string;
  scheduler?: string;
  steps?: number;
  cfgScale?: number;
  seed?: number;
  /** A workspace image to start from (image to image). */
  source?: string;
  /** Denoising strength with a source: 0 keeps it, 1 ignores it. */
  strength?: number;
  /** How the source fits the size: "cropAndResize" (the default), "justResize" or "resizeAndFill". */
  resizeMode?: string;
  /** How many images to make to choose from. */
  candidates?: number;
  /** A seamless texture (the server's `tiling`). */
  tiling?: boolean;
  /** Hires fix (text to image): a second pass this many times larger (1..4). */
  hiresScale?: number;
  /** Hires fix's upscaler (default Latent). */
  hiresUpscaler?: string;
  /** Hires fix's denoising strength (default 0.55). */
  hiresDenoising?: number;
  /** Hires fix's steps (default 0: as many as the first pass). */
  hiresSteps?: number;
  /** 1 is off; 2 skips the last CLIP layer. */
  clipSkip?: number;
  /** A VAE by the server's name for it (A1111's /sd-vae). */
  vae?: string;
  /** Forge's distilled CFG scale for Flux (default 3.5). */
  distilledCfg?: number;
  /** Forge's text encoder modules (CLIP-L, T5…) by name or file. */
  textEncoders?: string[];
  /** Text to image: a second checkpoint that takes over at refinerSwitchAt. */
  refiner?: string;
  /** When the refiner takes over, 0..1 of the steps (default 0.8). */
  refinerSwitchAt?: number;
  /** The server's own styles (its /prompt-styles) to apply, by name. */
  serverStyles?: string[];
  /** The exact size of the file: made near the model's native area with this aspect, then resized. */
  outputSize?: string | { width: number; height: number };
  /** With outputSize: "cover" (crop, the default) or "contain" (fit inside). */
  fit?: string;
  /** With "contain": the colour around the picture (#rrggbb); none: transparent. */
  background?: string;
  /** WebP, JPEG and AVIF files (the path's extension says which): 1..100. */
  quality?: number;
  /** The most kilobytes the file may have: the best quality that fits is chosen. */
  maxKB?: number;
  /** A transparent background, removed by the server's rembg (a .png or .webp path keeps it). */
  transparent?: boolean;
  /** With transparent: the rembg model (default u2net). */
  rembgModel?: string;
}

export const FIELD_TYPES: Record<keyof RecipeFields, 'string' | 'number' | 'boolean' | 'strings' | 'size'> = {
  prompt: 'string',
  negativePrompt: 'string',
  style: 'string',
  size: 'size',
  model: 'string',
  sampler: 'string',
  scheduler: 'string',
  steps: 'number',
  cfgScale: 'number',
  seed: 'number',
  source: 'string',
  strength: 'number',
  resizeMode: 'string',
  candidates: 'number',
  tiling: 'boolean',
  hiresScale: 'number',
  hiresUpscaler: 'string',
  hiresDenoising: 'number',
  hiresSteps: 'number',
  clipSkip: 'number',
  vae: 'string',
  distilledCfg: 'number',
  textEncoders: 'strings',
  refiner: 'string',
  refinerSwitchAt: 'number',
  serverStyles: 'strings',
  outputSize: 'size',
  fit: 'string',
  background: 'string',
  quality: 'number',
  maxKB: 'number',
  transparent: 'boolean',
  rembgModel: 'string',
};

/** The sentence for a field whose value is not of its type. */
export function wrongType(key: string, type: Exclude<(typeof FIELD_TYPES)[keyof RecipeFields], 'size'>): string {
  switch (type) {
    case 'string':
      return l10n.t('"{0}" must be a string.', key);
    case 'number':
      return l10n.t('"{0}" must be a number.', key);
    case 'boolean':
      return l10n.t('"{0}" must be true or false.', key);
    case 'strings':
      return l10n.t('"{0}" must be a list of strings.', key);
  }
}

export function hasType(value: unknown, type: Exclude<(typeof FIELD_TYPES)[keyof RecipeFields], 'size'>): boolean {
  if (type === 'strings') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === type && (type !== 'number' || Number.isFinite(value));
}

/** The fields an entry or the defaults may have (the JSON schema lists the same; unit-tested). */
export const RECIPE_FIELDS = Object.keys(FIELD_TYPES) as (keyof RecipeFields)[];

/** A problem with a field whose type is right but whose value is not (a fit, a colour, a quality). */
export function valueProblem(key: keyof RecipeFields, value: unknown): string | undefined {
  if (key === 'fit' && !FITS.includes(value as Fit)) return l10n.t('"fit" is "cover" (crop to fill) or "contain" (fit inside).');
  if (key === 'resizeMode' && !(RESIZE_MODES as readonly unknown[]).includes(value))
    return l10n.t('"resizeMode" is "cropAndResize" (the default), "justResize" or "resizeAndFill".');
  if (key === 'background') return exactSizeProblem({ width: 1, height: 1, background: value as string });
  if (key === 'quality') return formatProblem({ quality: value as number });
  if (key === 'maxKB') return formatProblem({ budgetKB: value as number });
  if (key === 'rembgModel' && !(REMBG_MODELS as readonly string[]).includes(value as string))
    return l10n.t('"{0}" is not a rembg model: use one of {1}.', String(value), REMBG_MODELS.join(', '));
  if (key === 'refinerSwitchAt' && !((value as number) > 0 && (value as number) < 1))
    return l10n.t('"refinerSwitchAt" is between 0 and 1 (0.8: the refiner does the last fifth).');
  const { distilledCfg } = QUALITY_LIMITS;
  if (key === 'distilledCfg' && ((value as number) < distilledCfg.min || (value as number) > distilledCfg.max))
    return l10n.t('"distilledCfg" is from {0} to {1} (3.5 is the usual).', distilledCfg.min, distilledCfg.max);
  return undefined;
}
