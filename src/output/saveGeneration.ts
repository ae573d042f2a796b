import * as vscode from 'vscode';
import type { GalleryEntry, GalleryStore } from '../gallery/galleryStore';
import type { CompletedGeneration, GenerationRequest } from '../generation/generationService';
import type { ImageWriter } from './imageWriter';
import { imageSize } from './imageSize';
import { infotextFromRequest } from './infotext';

/** Writes a finished generation's images and records them in the gallery; returns the files. */
export async function saveGeneration(
  writer: ImageWriter,
  gallery: GalleryStore,
  folder: vscode.Uri,
  request: GenerationRequest,
  done: CompletedGeneration,
  date: Date,
): Promise<vscode.Uri[]> {
  const { images, info } = done.result;
  const files = await writer.save({
    folder,
    images,
    prompt: request.prompt,
    date,
    fallbackInfotext: (image) => infotextFromRequest(done.parameters, image.seed),
  });
  const sent = done.parameters;
  const entries = files.map((file, i): GalleryEntry => {
    const size = imageSize(images[i].bytes, images[i].format);
    return {
      id: `${date.getTime().toString(36)}-${i}-${Math.random().toString(36).slice(2, 8)}`,
      uri: file.toString(),
      prompt: request.prompt,
      negativePrompt: sent.negative_prompt ?? '',
      seed: images[i].seed,
      width: size?.width ?? sent.width ?? 0,
      height: size?.height ?? sent.height ?? 0,
      model: typeof info.sd_model_name === 'string' ? info.sd_model_name : undefined,
      sampler: sent.sampler_name,
      scheduler: sent.scheduler,
      steps: sent.steps,
      cfgScale: sent.cfg_scale,
      denoisingStrength: request.img2img ? request.img2img.denoisingStrength : undefined,
      kind: request.img2img ? 'img2img' : 'txt2img',
      createdAt: date.getTime(),
    };
  });
  await gallery.add(entries);
  return files;
}
