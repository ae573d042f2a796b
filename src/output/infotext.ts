// l10n-exempt-file: A1111's infotext keys and values: a file format other tools read, never translated.
import { printInfotext } from '../metadata/infotext';
import type { GenerationParameters, Img2ImgRequest } from '../sdapi/types';

/** What was sent, without the images. */
type Img2ImgFields = GenerationParameters & Partial<Omit<Img2ImgRequest, 'init_images' | 'mask'>>;

/**
 * A1111's "infotext" (the PNG `parameters` text) rebuilt from the request, for servers that do
 * not report one: prompt, negative prompt, then `Key: value` pairs as A1111 prints them.
 */
export function infotextFromRequest(request: Img2ImgFields, seed: number | undefined): string {
  const pairs: [string, unknown][] = [
    ['Steps', request.steps],
    ['Sampler', request.sampler_name],
    ['Schedule type', request.scheduler],
    ['CFG scale', request.cfg_scale],
    ['Seed', seed],
    ['Size', request.width && request.height ? `${request.width}x${request.height}` : undefined],
    ['Denoising strength', request.denoising_strength],
    ['Mask blur', request.mask_blur],
    ['Masked content', request.inpainting_fill === undefined ? undefined : ['fill', 'original', 'latent noise', 'latent nothing'][request.inpainting_fill]],
    ['Inpaint area', request.inpaint_full_res ? 'Only masked' : undefined],
    ['Masked area padding', request.inpaint_full_res ? request.inpaint_full_res_padding : undefined],
    ['Clip skip', request.override_settings?.CLIP_stop_at_last_layers],
    ['VAE', request.override_settings?.sd_vae],
    ['Refiner', request.refiner_checkpoint],
    ['Refiner switch at', request.refiner_checkpoint ? request.refiner_switch_at : undefined],
    ['Tiling', request.tiling ? 'True' : undefined],
    // A1111's names for the hires fix pass (processing.py).
    ['Hires upscale', request.enable_hr ? request.hr_scale : undefined],
    ['Hires steps', request.enable_hr && request.hr_second_pass_steps ? request.hr_second_pass_steps : undefined],
    ['Hires upscaler', request.enable_hr ? request.hr_upscaler : undefined],
  ];
  const params = pairs.filter(([, value]) => value !== undefined && value !== '').map(([key, value]): [string, string] => [key, String(value)]);
  return printInfotext({ prompt: request.prompt, negativePrompt: request.negative_prompt ?? '', params });
}
