import type { FormValues, ImageRecord } from '../shared/protocol';

/**
 * The form values a gallery card's own record gives back: what Reuse falls back on when the file
 * keeps no generation parameters (another tool stripped them). Text to image, as Reuse in Panel:
 * the record does not name a source image.
 */
export function recordValues(record: ImageRecord): Partial<FormValues> {
  return {
    mode: 'txt2img',
    prompt: record.prompt,
    negativePrompt: record.negativePrompt,
    width: record.width,
    height: record.height,
    ...(record.seed !== undefined ? { seed: record.seed } : {}),
    ...(record.sampler ? { sampler: record.sampler } : {}),
    ...(record.scheduler ? { scheduler: record.scheduler } : {}),
    ...(record.steps ? { steps: record.steps } : {}),
    ...(record.cfgScale ? { cfgScale: record.cfgScale } : {}),
    ...(record.tiling ? { tiling: true } : {}),
  };
}
