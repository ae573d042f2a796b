// What an entry of a recipes manifest asks for once its style and the manifest's defaults are
// applied, and a hash of it: stored in the image made from it, so a changed recipe shows as stale.
// Anything neither the entry nor the defaults say comes from the extension's built-in defaults,
// never from the user's settings: a recipe makes the same request for every teammate.

import type * as Crypto from 'node:crypto';
import { sniffImageFormat } from '../image/format';
import { readPngText } from '../image/pngText';
import { readStoredParameters } from '../metadata/imageMetadata';
import { paramOf } from '../metadata/infotext';
import type { Fit } from '../shared/outputShape';
import { QUALITY_DEFAULTS } from '../shared/qualityOptions';
import { SETTINGS, type ResizeMode } from '../shared/settingsSchema';
import { parseSize, type Manifest, type ManifestEntry } from './manifest';

export interface EffectiveRecipe {
  path: string;
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  model?: string;
  sampler: string;
  scheduler: string;
  steps: number;
  cfgScale: number;
  /** -1: a random seed (the one used is recorded in the image). */
  seed: number;
  source?: string;
  strength?: number;
  /** With a source, only when not crop and resize (the default): a recipe without it keeps its hash. */
  resizeMode?: Exclude<ResizeMode, 'cropAndResize'>;
  candidates: number;
  /** Present only when asked for: a recipe without them keeps the hash it had before they existed. */
  tiling?: true;
  /** `steps` only when asked for (not 0): a recipe without it keeps its hash. */
  hires?: { scale: number; upscaler: string; denoisingStrength: number; steps?: number };
  clipSkip?: number;
  vae?: string;
  distilledCfg?: number;
  textEncoders?: string[];
  refiner?: { checkpoint: string; switchAt: number };
  serverStyles?: string[];
  /** The file's exact size (the server makes `width` × `height` when the recipe says `size`, else near the model's area). */
  output?: { width: number; height: number; fit: Fit; background?: string };
  quality?: number;
  maxKB?: number;
  /** A transparent background with this rembg model. */
  transparent?: string;
  /** True when the recipe says its `size`: the server makes exactly that, then it is resized to `output`. */
  sizeGiven?: true;
}

export function effectiveRecipe(entry: ManifestEntry, manifest: Pick<Manifest, 'defaults' | 'styles'>): EffectiveRecipe {
  const fields = { ...manifest.defaults, ...entry.fields };
  const style = fields.style !== undefined ? manifest.styles[fields.style] : undefined;
  const base = (fields.prompt ?? '').trim();
  const prompt = style ? (style.prompt.includes('{prompt}') ? style.prompt.replace(/\{prompt\}/g, base) : `${base}, ${style.prompt}`) : base;
  const negativePrompt = [fields.negativePrompt, style?.negativePrompt].filter((text): text is string => !!text && text.trim() !== '').join(', ');
  const size = parseSize(fields.size) ?? { width: SETTINGS['generation.width'].default, height: SETTINGS['generation.height'].default };
  const output = parseSize(fields.outputSize);
  return {
    path: entry.path,
    prompt,
    negativePrompt,
    width: size.width,
    height: size.height,
    ...(fields.model ? { model: fields.model } : {}),
    sampler: fields.sampler ?? SETTINGS['generation.sampler'].default,
    scheduler: fields.scheduler ?? SETTINGS['generation.scheduler'].default,
    steps: fields.steps ?? SETTINGS['generation.steps'].default,
    cfgScale: fields.cfgScale ?? SETTINGS['generation.cfgScale'].default,
    seed: fields.seed ?? -1,
    ...(fields.source ? { source: fields.source, strength: fields.strength ?? SETTINGS['img2img.denoisingStrength'].default } : {}),
    ...(fields.source && (fields.resizeMode === 'justResize' || fields.resizeMode === 'resizeAndFill') ? { resizeMode: fields.resizeMode } : {}),
    candidates: Math.max(1, Math.min(8, Math.round(fields.candidates ?? 1))),
    ...(fields.tiling === true ? { tiling: true as const } : {}),
    ...(fields.hiresScale !== undefined && fields.hiresScale > 1 && !fields.source
      ? {
          hires: {
            scale: fields.hiresScale,
            upscaler: fields.hiresUpscaler ?? QUALITY_DEFAULTS.hiresUpscaler,
            denoisingStrength: fields.hiresDenoising ?? QUALITY_DEFAULTS.hiresDenoising,
            ...(fields.hiresSteps !== undefined && fields.hiresSteps > 0 ? { steps: Math.round(fields.hiresSteps) } : {}),
          },
        }
      : {}),
    ...(fields.clipSkip !== undefined && fields.clipSkip > 1 ? { clipSkip: Math.round(fields.clipSkip) } : {}),
    ...(fields.vae ? { vae: fields.vae } : {}),
    ...(fields.distilledCfg !== undefined && fields.distilledCfg !== QUALITY_DEFAULTS.distilledCfg ? { distilledCfg: fields.distilledCfg } : {}),
    ...(fields.textEncoders && fields.textEncoders.length > 0 ? { textEncoders: [...fields.textEncoders] } : {}),
    ...(fields.refiner && !fields.source
      ? { refiner: { checkpoint: fields.refiner, switchAt: fields.refinerSwitchAt ?? QUALITY_DEFAULTS.refinerSwitchAt } }
      : {}),
    ...(fields.serverStyles && fields.serverStyles.length > 0 ? { serverStyles: [...fields.serverStyles] } : {}),
    ...(output
      ? {
          output: {
            ...output,
            fit: fields.fit === 'contain' ? ('contain' as const) : ('cover' as const),
            ...(fields.fit === 'contain' && fields.background ? { background: fields.background } : {}),
          },
          ...(fields.size !== undefined ? { sizeGiven: true as const } : {}),
        }
      : {}),
    ...(fields.quality !== undefined ? { quality: fields.quality } : {}),
    ...(fields.maxKB !== undefined ? { maxKB: fields.maxKB } : {}),
    ...(fields.transparent === true ? { transparent: fields.rembgModel ?? 'u2net' } : {}),
  };
}

/** A short hash of what makes the picture (not where it is saved, not how many candidates). */
export function recipeHash(recipe: EffectiveRecipe): string {
  const { path: _path, candidates: _candidates, ...picture } = recipe;
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(picture).sort(([a], [b]) => a.localeCompare(b))));
  // crypto on first use (a recipes file opened), not while the extension activates.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof Crypto;
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The PNG text chunk key the hash is kept under (beside A1111's `parameters`). */
export const RECIPE_HASH_KEY = 'sd-studio-recipe';

/**
 * missing: no file yet; upToDate: made from this very recipe; stale: made from an earlier
 * version of it; untracked: an image is there, but not one a recipe made (adopted, or edited).
 */
export type RecipeState = 'missing' | 'upToDate' | 'stale' | 'untracked';

/** The state an existing image's first bytes (or all of them) give for a recipe. */
export function stateOf(bytes: Uint8Array, recipe: EffectiveRecipe): Exclude<RecipeState, 'missing'> {
  return stateOfHash(storedHashOf(bytes), recipe);
}

/** The recipe hash an image's first bytes (or all of them) carry, if any. */
export function storedHashOf(bytes: Uint8Array): string | undefined {
  // A PNG keeps it in a text chunk of its own; a JPEG or WebP in its infotext (EXIF UserComment).
  if (sniffImageFormat(bytes) === 'png') return readPngText(bytes).get(RECIPE_HASH_KEY);
  const stored = readStoredParameters(bytes);
  return stored ? paramOf(stored.infotext, RECIPE_HASH_KEY) : undefined;
}

/** The state of an existing image that carries `stored` (or no hash) for a recipe. */
export function stateOfHash(stored: string | undefined, recipe: EffectiveRecipe): Exclude<RecipeState, 'missing'> {
  if (stored === undefined) return 'untracked';
  return stored === recipeHash(recipe) ? 'upToDate' : 'stale';
}
