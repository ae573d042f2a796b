// "Add to Recipes": an entry written from an existing image's stored parameters, so images a
// project already has become reproducible recipes. Pure: the manifest text in, the edited text out.

import { applyEdits, modify, parseTree } from 'jsonc-parser';
import type { InfotextSettings } from '../metadata/infotext';
import { QUALITY_DEFAULTS } from '../shared/qualityOptions';
import type { ResizeMode } from '../shared/settingsSchema';
import type { RecipeFields } from './manifest';

/** An entry from an image's parameters; `source`: the workspace image it was made from (image to image). */
export function entryFromParameters(settings: InfotextSettings, source?: { path: string; strength?: number; resizeMode?: ResizeMode }): RecipeFields {
  const fields: RecipeFields = { prompt: settings.prompt };
  if (settings.negativePrompt) fields.negativePrompt = settings.negativePrompt;
  if (settings.width !== undefined && settings.height !== undefined) fields.size = `${settings.width}x${settings.height}`;
  if (settings.model) fields.model = settings.model;
  if (settings.sampler) fields.sampler = settings.sampler;
  if (settings.scheduler) fields.scheduler = settings.scheduler;
  if (settings.steps !== undefined) fields.steps = settings.steps;
  if (settings.cfgScale !== undefined) fields.cfgScale = settings.cfgScale;
  if (settings.seed !== undefined) fields.seed = settings.seed;
  // What else made the picture, as the image records it: the recipe makes the same one.
  if (settings.tiling) fields.tiling = true;
  if (settings.hiresScale !== undefined && settings.hiresScale > 1) {
    fields.hiresScale = settings.hiresScale;
    if (settings.hiresUpscaler) fields.hiresUpscaler = settings.hiresUpscaler;
    if (settings.denoisingStrength !== undefined) fields.hiresDenoising = settings.denoisingStrength;
    if (settings.hiresSteps) fields.hiresSteps = settings.hiresSteps;
  }
  if (source) {
    fields.source = source.path;
    if (source.strength !== undefined) fields.strength = source.strength;
    if (source.resizeMode && source.resizeMode !== 'cropAndResize') fields.resizeMode = source.resizeMode;
  }
  if (settings.clipSkip !== undefined && settings.clipSkip > 1) fields.clipSkip = settings.clipSkip;
  if (settings.vae) fields.vae = settings.vae;
  if (settings.distilledCfg !== undefined && settings.distilledCfg !== QUALITY_DEFAULTS.distilledCfg) fields.distilledCfg = settings.distilledCfg;
  if (settings.modules) fields.textEncoders = [...settings.modules];
  if (settings.refiner) {
    fields.refiner = settings.refiner;
    if (settings.refinerSwitchAt !== undefined && settings.refinerSwitchAt !== QUALITY_DEFAULTS.refinerSwitchAt)
      fields.refinerSwitchAt = settings.refinerSwitchAt;
  }
  // An image resized to an exact size: both sizes, so the recipe makes the same file.
  if (settings.output) {
    fields.outputSize = `${settings.output.width}x${settings.output.height}`;
    if (settings.output.fit !== 'cover') fields.fit = settings.output.fit;
    if (settings.output.background) fields.background = settings.output.background;
  }
  return fields;
}

const FORMATTING = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** The manifest with one field of an entry set (a picked candidate's seed), the rest of the text as it was. */
export function setEntryField(text: string, path: string, field: keyof RecipeFields, value: string | number): string {
  return applyEdits(text, modify(text, ['assets', path, field], value, FORMATTING));
}

/** The manifest with `path` added under "assets" (the file's formatting kept); an empty text gets a new manifest. */
export function addEntry(text: string, path: string, fields: RecipeFields): string {
  const base = text.trim() === '' || !parseTree(text) ? '{\n  "assets": {}\n}\n' : text;
  const edits = modify(base, ['assets', path], fields, FORMATTING);
  return applyEdits(base, edits);
}
