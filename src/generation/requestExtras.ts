// What a request adds to the form's fields: a variation of the seed, a checkpoint for this one
// request (Regenerate and Variation make an image with the model it was made with), and the
// "More settings" (hires fix, tiling, CLIP skip). Settings that are server options go through
// override_settings for this request only, restored afterwards: others sharing the server keep
// theirs.

import type { SdApiClient } from '../sdapi/client';
import { findModel, shortModelName } from '../sdapi/modelNames';
import type { GenerationParameters } from '../sdapi/types';
import { controlNetScripts } from './controlNet';
import type { GenerationRequest } from './generationService';

export async function requestExtras(
  client: SdApiClient,
  request: Pick<GenerationRequest, 'variationStrength' | 'variationSeed' | 'checkpoint' | 'quality' | 'img2img' | 'styles' | 'controlNet'>,
  /** Told what could not be honoured (the log and the status bar). */
  note: (message: string) => void,
  /** How this server takes a VAE (sdapi/probe.ts). */
  vaeBy?: 'sd_vae' | 'modules',
): Promise<Partial<GenerationParameters>> {
  const extras: Partial<GenerationParameters> = {};
  const overrides: Record<string, unknown> = {};
  if (request.variationStrength !== undefined) Object.assign(extras, { subseed: request.variationSeed ?? -1, subseed_strength: request.variationStrength });
  const { hires, tiling, clipSkip, vae, textEncoders = [], refiner } = request.quality ?? {};
  const models = request.checkpoint || refiner ? await client.listModels() : [];
  if (request.checkpoint) {
    const model = findModel(models, request.checkpoint);
    if (model) overrides.sd_model_checkpoint = model.title;
    else note(`The server has no model "${request.checkpoint}": made with its current model, so the image may differ.`);
  }
  if (hires && !request.img2img) {
    // A1111's txt2img has no denoising default: hires fix without one fails on the server.
    Object.assign(extras, {
      enable_hr: true,
      hr_scale: hires.scale,
      hr_upscaler: hires.upscaler,
      hr_second_pass_steps: hires.steps,
      denoising_strength: hires.denoisingStrength,
    });
  }
  if (tiling) extras.tiling = true;
  if (request.styles && request.styles.length > 0) extras.styles = [...request.styles];
  if (clipSkip !== undefined && clipSkip > 1) overrides.CLIP_stop_at_last_layers = clipSkip;
  if (vae && vaeBy === 'sd_vae') overrides.sd_vae = vae;
  else if (vae && vaeBy !== 'modules') note(`This server cannot take a VAE per request: "${vae}" was not used.`);
  // Forge takes the VAE and the text encoders as one list of module files.
  const modules = vaeBy === 'modules' ? [...(vae ? [vae] : []), ...textEncoders] : [];
  if (modules.length > 0) overrides.forge_additional_modules = modules;
  if (textEncoders.length > 0 && vaeBy !== 'modules') note('This server takes no text encoders per request: they were not used.');
  if (refiner && !request.img2img) {
    // An image records its refiner as "name [hash]": the server's own title is sent.
    const model = findModel(models, refiner.checkpoint) ?? models.find((m) => shortModelName(m.title) === shortModelName(refiner.checkpoint));
    if (model) Object.assign(extras, { refiner_checkpoint: model.title, refiner_switch_at: refiner.switchAt });
    else note(`The server has no refiner "${refiner.checkpoint}": made without one, so the image may differ.`);
  }
  if (request.controlNet && request.controlNet.length > 0) extras.alwayson_scripts = controlNetScripts(request.controlNet);
  if (Object.keys(overrides).length > 0) Object.assign(extras, { override_settings: overrides, override_settings_restore_afterwards: true });
  return extras;
}
