// A generation request made from an image's stored parameters: Regenerate (the same seed and
// settings), Variation (a new seed, or a variation strength on the same seed), Reuse in Panel.
// Pure; what the infotext does not say comes from the user's settings.

import type { InfotextSettings } from '../metadata/infotext';
import type { OutputFields } from '../shared/outputShape';
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
    // l10n-exempt: the scheduler label servers take.
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
    // Made at the size it was made at, resized to the same file size.
    ...(stored.output ? { output: { size: { ...stored.output, keepGenerationSize: true as const } } } : {}),
  };
}

/** Hires fix, tiling, CLIP skip, VAE, Forge's modules and refiner as the image records them: Regenerate makes the same picture. */
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
    // Forge records it for Flux; its default (3.5) needs no asking.
    ...(stored.distilledCfg !== undefined && stored.distilledCfg !== QUALITY_DEFAULTS.distilledCfg ? { distilledCfg: stored.distilledCfg } : {}),
    // By name: requestExtras finds the server's files for them.
    ...(stored.modules ? { textEncoders: [...stored.modules] } : {}),
    ...(stored.refiner ? { refiner: { checkpoint: stored.refiner, switchAt: stored.refinerSwitchAt ?? QUALITY_DEFAULTS.refinerSwitchAt } } : {}),
  };
}

/** The same, as the panel's More settings fields (Reuse in Panel). */
export function qualityFieldsFromStored(stored: InfotextSettings): Partial<QualityFields> {
  const { hires, tiling, clipSkip, vae, textEncoders, refiner, distilledCfg } = qualityFromStored(stored);
  return {
    hiresFix: hires !== undefined,
    ...(hires ? { hiresScale: hires.scale, hiresUpscaler: hires.upscaler, hiresSteps: hires.steps, hiresDenoising: hires.denoisingStrength } : {}),
    tiling: tiling === true,
    clipSkip: clipSkip ?? 1,
    vae: vae ?? '',
    textEncoders: textEncoders ?? [],
    refiner: refiner?.checkpoint ?? '',
    ...(refiner ? { refinerSwitchAt: refiner.switchAt } : {}),
    distilledCfg: distilledCfg ?? QUALITY_DEFAULTS.distilledCfg,
  };
}

/** The exact size as the panel's Output file fields (Reuse in Panel); nothing when the image was not resized. */
export function outputFieldsFromStored(stored: InfotextSettings): Partial<OutputFields> {
  const { output } = stored;
  if (!output) return { exactSize: false };
  return { exactSize: true, outputWidth: output.width, outputHeight: output.height, outputFit: output.fit, outputBackground: output.background ?? '' };
}
