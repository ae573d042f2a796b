// A generation request made from an image's stored parameters: Regenerate (the same seed and
// settings), Variation (a new seed, or a variation strength on the same seed), Reuse in Panel.
// Pure; what the infotext does not say comes from the user's settings.

import type { InfotextSettings } from '../metadata/infotext';
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
  return {
    prompt: stored.prompt,
    parameters,
    ...(remake.kind === 'variation' ? { variationStrength: remake.strength } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
}
