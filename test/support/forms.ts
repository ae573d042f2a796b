import type { FormValues } from '../../src/shared/protocol';
import { OUTPUT_DEFAULTS } from '../../src/shared/outputShape';
import { QUALITY_DEFAULTS } from '../../src/shared/qualityOptions';
import { INPAINT_DEFAULTS } from '../../src/shared/validateForm';

/** A valid panel form (the settings' defaults with a prompt); tests override what they vary. */
export function sampleForm(overrides: Partial<FormValues> = {}): FormValues {
  return {
    mode: 'txt2img',
    prompt: 'a fox',
    negativePrompt: '',
    sampler: 'Euler a',
    scheduler: 'Automatic',
    steps: 20,
    cfgScale: 7,
    seed: -1,
    width: 512,
    height: 512,
    batchSize: 1,
    batchCount: 1,
    source: '',
    denoisingStrength: 0.6,
    resizeMode: 'cropAndResize',
    styles: [],
    controlNet: [],
    ...INPAINT_DEFAULTS,
    ...QUALITY_DEFAULTS,
    ...OUTPUT_DEFAULTS,
    ...overrides,
  };
}
