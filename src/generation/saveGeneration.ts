import * as vscode from 'vscode';
import type { GalleryEntry, GalleryStore } from '../gallery/galleryStore';
import { SaveFailedError } from '../errors/userError';
import { imageSize } from '../image/imageSize';
import type { ImageWriter } from '../output/imageWriter';
import { infotextFromRequest } from '../output/infotext';
import type { CompletedGeneration, GenerationRequest } from './generationService';

/** Writes a finished generation's images and records them in the gallery; returns the files. */
export async function saveGeneration(
  writer: ImageWriter,
  gallery: GalleryStore,
  folder: vscode.Uri,
  request: GenerationRequest,
  done: CompletedGeneration,
  date: Date,
  names: { template: string; source?: string | undefined },
): Promise<vscode.Uri[]> {
  const { images, info } = done.result;
  let files: vscode.Uri[];
  try {
    files = await writer.save({
      folder,
      images,
      prompt: request.prompt,
      date,
      ...names,
      model: typeof info.sd_model_name === 'string' ? info.sd_model_name : request.checkpoint,
      fallbackInfotext: (image) => infotextFromRequest(done.parameters, image.seed),
    });
  } catch (error) {
    // Images written before a failure are in the workspace: the gallery lists them.
    if (error instanceof SaveFailedError)
      await gallery.add(
        galleryEntries(
          request,
          done,
          date,
          error.saved.map((uri) => vscode.Uri.parse(uri)),
        ),
      );
    throw error;
  }
  await gallery.add(galleryEntries(request, done, date, files));
  return files;
}

/** Writes the first image of a generation to a declared path (a recipe's) and records it in the gallery. */
export async function saveGenerationAt(
  writer: ImageWriter,
  gallery: GalleryStore,
  target: { uri: vscode.Uri; text: Record<string, string>; replace: boolean },
  request: GenerationRequest,
  done: CompletedGeneration,
  date: Date,
): Promise<vscode.Uri[]> {
  const [image] = done.result.images;
  if (!image) return [];
  const file = await writer.saveAt(target.uri, image, {
    fallbackInfotext: (i) => infotextFromRequest(done.parameters, i.seed),
    text: target.text,
    replace: target.replace,
  });
  await gallery.add(galleryEntries(request, done, date, [file]));
  return [file];
}

function galleryEntries(request: GenerationRequest, done: CompletedGeneration, date: Date, files: vscode.Uri[]): GalleryEntry[] {
  const { images, info } = done.result;
  const sent = done.parameters;
  return files.map((file, i): GalleryEntry => {
    const image = images[i]!; // files[i] was written from images[i]
    const size = imageSize(image.bytes, image.format);
    return {
      id: `${date.getTime().toString(36)}-${i}-${Math.random().toString(36).slice(2, 8)}`,
      uri: file.toString(),
      prompt: request.prompt,
      negativePrompt: sent.negative_prompt ?? '',
      seed: image.seed,
      width: size?.width ?? sent.width ?? 0,
      height: size?.height ?? sent.height ?? 0,
      model: typeof info.sd_model_name === 'string' ? info.sd_model_name : undefined,
      sampler: sent.sampler_name,
      scheduler: sent.scheduler,
      steps: sent.steps,
      cfgScale: sent.cfg_scale,
      denoisingStrength: request.img2img ? request.img2img.denoisingStrength : undefined,
      kind: request.img2img ? 'img2img' : 'txt2img',
      ...(sent.tiling === true ? { tiling: true } : {}),
      createdAt: date.getTime(),
    };
  });
}
