// What a request adds to the form's fields: a variation of the seed, a checkpoint for this one
// request (Regenerate and Variation make an image with the model it was made with), and the
// "More settings" (hires fix, tiling, CLIP skip). Settings that are server options go through
// override_settings for this request only, restored afterwards: others sharing the server keep
// theirs.

import * as l10n from '@vscode/l10n';
import type { SdApiClient } from '../sdapi/client';
import { parseFileList } from '../sdapi/fileList';
import type { ServerCapabilities, ServerIdentity } from '../sdapi/probe';
import { findModel, shortModelName } from '../sdapi/modelNames';
import type { GenerationParameters } from '../sdapi/types';
import { controlNetScripts } from './controlNet';
import type { GenerationRequest } from './generationService';

export async function requestExtras(
  client: SdApiClient,
  request: Pick<GenerationRequest, 'variationStrength' | 'variationSeed' | 'checkpoint' | 'quality' | 'img2img' | 'styles' | 'controlNet'>,
  /** Told what could not be honoured (the log and the status bar). */
  note: (message: string) => void,
  /** What this server takes (sdapi/probe.ts). */
  server: Pick<ServerIdentity, 'vaeBy'> & { capabilities: Pick<ServerCapabilities, 'distilledCfg'> },
): Promise<Partial<GenerationParameters>> {
  const { vaeBy } = server;
  const extras: Partial<GenerationParameters> = {};
  const overrides: Record<string, unknown> = {};
  if (request.variationStrength !== undefined) Object.assign(extras, { subseed: request.variationSeed ?? -1, subseed_strength: request.variationStrength });
  const { hires, tiling, clipSkip, vae, textEncoders = [], refiner, distilledCfg } = request.quality ?? {};
  const models = request.checkpoint || refiner ? await client.listModels() : [];
  if (request.checkpoint) {
    const model = findModel(models, request.checkpoint);
    if (model) overrides.sd_model_checkpoint = model.title;
    else note(l10n.t('The server has no model "{0}": made with its current model, so the image may differ.', request.checkpoint));
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
  else if (vae && vaeBy !== 'modules') note(l10n.t('This server cannot take a VAE per request: "{0}" was not used.', vae));
  // Forge takes the VAE and the text encoders as one list of module files.
  const modules = vaeBy === 'modules' ? await moduleFiles(client, [...(vae ? [vae] : []), ...textEncoders], note) : [];
  if (modules.length > 0) overrides.forge_additional_modules = modules;
  if (textEncoders.length > 0 && vaeBy !== 'modules') note(l10n.t('This server takes no text encoders per request: they were not used.'));
  if (refiner && !request.img2img) {
    // An image records its refiner as "name [hash]": the server's own title is sent.
    const model = findModel(models, refiner.checkpoint) ?? models.find((m) => shortModelName(m.title) === shortModelName(refiner.checkpoint));
    if (model) Object.assign(extras, { refiner_checkpoint: model.title, refiner_switch_at: refiner.switchAt });
    else note(l10n.t('The server has no refiner "{0}": made without one, so the image may differ.', refiner.checkpoint));
  }
  if (distilledCfg !== undefined && server.capabilities.distilledCfg) extras.distilled_cfg_scale = distilledCfg;
  else if (distilledCfg !== undefined) note(l10n.t('This server takes no distilled CFG scale (a Forge setting for Flux): {0} was not used.', distilledCfg));
  if (request.controlNet && request.controlNet.length > 0) extras.alwayson_scripts = controlNetScripts(request.controlNet);
  if (Object.keys(overrides).length > 0) Object.assign(extras, { override_settings: overrides, override_settings_restore_afterwards: true });
  return extras;
}

/**
 * Forge's module files for modules given by file or by name (an image records `Module 1: ae`, the
 * server takes `/models/VAE/ae.safetensors`): names are looked up in its `/sd-modules`.
 */
async function moduleFiles(client: SdApiClient, wanted: readonly string[], note: (message: string) => void): Promise<string[]> {
  const isFile = (entry: string) => /[\\/]|\.(safetensors|ckpt|pt|pth|gguf|bin)$/i.test(entry);
  if (wanted.every(isFile)) return [...wanted];
  const known = parseFileList(await client.getIfPresent('/sd-modules')) ?? [];
  const files: string[] = [];
  for (const entry of wanted) {
    const file = isFile(entry) ? entry : known.find((m) => m.name === entry || baseName(m.filename) === entry)?.filename;
    if (file) files.push(file);
    else note(l10n.t('The server has no module "{0}": made without it, so the image may differ.', entry));
  }
  return files;
}

function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]+$/, '');
}
