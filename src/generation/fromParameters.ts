// A generation request made from an image's stored parameters: Regenerate (the same seed and
// settings), Variation (a new seed, or a variation strength on the same seed), Reuse in Panel.
// Pure; what the infotext does not say comes from the user's settings.

import type { InfotextSettings } from '../metadata/infotext';
import { QUALITY_DEFAULTS, type QualityFields, type QualityOptions } from '../shared/qualityOptions';
import type { GenerationRequest } from './generationService';
import type { GenerationDefaults } from './types';

export type Remake = { kind: 'regenerate' } | { kind: 'newSeed' } | { kind: 'variation'; strength: number };

export function parametersFromStored(stored: InfotextSettings, defaults: GenerationDefaults): GenerationDefaults {
  return {
    negativePrompt: stored.negativePrompt,
    steps: stored.steps ?? defaults.steps,
    cfgScale: stored.cfgScale ?? defaults.cfgScale,
    width: stored.width ?? defaults.width,
    height: stored.height ?? defaults.height,
    // No sampler recorded: the user's, not the server's API default (Euler).
    sampler: stored.sampler ?? defaults.sampler,
    scheduler: stored.scheduler ?? (stored.sampler ? 'Automatic' : defaults.scheduler),
    seed: stored.seed ?? -1,
    batchSize: 1,
    batchCount: 1,
  };
}

export function requestFromStored(stored: InfotextSettings, defaults: GenerationDefaults, remake: Remake): GenerationRequest {
  const parameters = parametersFromStored(stored, defaults);
  if (remake.kind === 'newSeed') parameters.seed = -1;
  const checkpoint = stored.model ?? stored.modelHash;
  const quality = qualityFromStored(stored);
  return {
    prompt: stored.prompt,
    parameters,
    ...(Object.keys(quality).length > 0 ? { quality } : {}),
    ...(remake.kind === 'variation' ? { variationStrength: remake.strength } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
}

/** Hires fix, tiling, CLIP skip, VAE and refiner as the image records them: Regenerate makes the same picture. */
export function qualityFromStored(stored: InfotextSettings): QualityOptions {
  return {
    ...(stored.hiresScale !== undefined
      ? {
          hires: {
            scale: stored.hiresScale,
            upscaler: stored.hiresUpscaler ?? QUALITY_DEFAULTS.hiresUpscaler,
            steps: stored.hiresSteps ?? 0,
            denoisingStrength: stored.denoisingStrength ?? QUALITY_DEFAULTS.hiresDenoising,
          },
        }
      : {}),
    ...(stored.tiling ? { tiling: true } : {}),
    ...(stored.clipSkip !== undefined && stored.clipSkip > 1 ? { clipSkip: stored.clipSkip } : {}),
    ...(stored.vae ? { vae: stored.vae } : {}),
    ...(stored.refiner ? { refiner: { checkpoint: stored.refiner, switchAt: stored.refinerSwitchAt ?? QUALITY_DEFAULTS.refinerSwitchAt } } : {}),
  };
}

/** The same, as the panel's More settings fields (Reuse in Panel). */
export function qualityFieldsFromStored(stored: InfotextSettings): Partial<QualityFields> {
  const { hires, tiling, clipSkip, vae, refiner } = qualityFromStored(stored);
  return {
    hiresFix: hires !== undefined,
    ...(hires ? { hiresScale: hires.scale, hiresUpscaler: hires.upscaler, hiresSteps: hires.steps, hiresDenoising: hires.denoisingStrength } : {}),
    tiling: tiling === true,
    clipSkip: clipSkip ?? 1,
    vae: vae ?? '',
    refiner: refiner?.checkpoint ?? '',
    ...(refiner ? { refinerSwitchAt: refiner.switchAt } : {}),
  };
}
