// Pure: what the user asked for + settings -> the JSON body the server gets. Every value the
// user can see is sent, because A1111's API defaults differ from its UI (50 steps, Euler).

import type { Size } from '../image/imageSize';
import type { SamplerChoice } from '../sdapi/samplers';
import type { Img2ImgRequest, Txt2ImgRequest } from '../sdapi/types';
import type { GenerationDefaults, ResizeMode } from './types';

export type { Size };

export function txt2imgPayload(prompt: string, defaults: GenerationDefaults, sampler: SamplerChoice, size: Size = defaults): Txt2ImgRequest {
  return {
    prompt,
    negative_prompt: defaults.negativePrompt,
    seed: defaults.seed,
    ...(sampler.sampler_name ? { sampler_name: sampler.sampler_name } : {}),
    ...(sampler.scheduler ? { scheduler: sampler.scheduler } : {}),
    steps: defaults.steps,
    cfg_scale: defaults.cfgScale,
    width: size.width,
    height: size.height,
    batch_size: defaults.batchSize,
    n_iter: defaults.batchCount,
  };
}

const RESIZE_MODES: Record<ResizeMode, number> = { justResize: 0, cropAndResize: 1, resizeAndFill: 2 };

export interface Img2ImgInput {
  /** Base64 of the source image (no data: prefix). */
  sourceBase64: string;
  size: Size;
  denoisingStrength: number;
  resizeMode: ResizeMode;
  /** Inpainting: the mask as base64 PNG and its settings. */
  mask?: { base64: string; blur: number; fill: 'fill' | 'original' | 'latentNoise' | 'latentNothing'; area: 'whole' | 'masked'; padding: number };
}

/** A1111's `inpainting_fill` numbers. */
const FILLS = { fill: 0, original: 1, latentNoise: 2, latentNothing: 3 } as const;

export function img2imgPayload(prompt: string, defaults: GenerationDefaults, sampler: SamplerChoice, input: Img2ImgInput): Img2ImgRequest {
  return {
    ...txt2imgPayload(prompt, defaults, sampler, input.size),
    init_images: [input.sourceBase64],
    denoising_strength: input.denoisingStrength,
    resize_mode: RESIZE_MODES[input.resizeMode],
    // Every field is sent: A1111's API defaults differ from its UI (fill 0, only masked).
    ...(input.mask
      ? {
          mask: input.mask.base64,
          mask_blur: input.mask.blur,
          inpainting_fill: FILLS[input.mask.fill],
          inpaint_full_res: input.mask.area === 'masked',
          inpaint_full_res_padding: input.mask.padding,
          inpainting_mask_invert: 0,
        }
      : {}),
  };
}
