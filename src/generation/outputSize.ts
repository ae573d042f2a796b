// The size the server makes when the user asked for an exact one (shared/outputShape.ts): the
// target's aspect near the native area of the model that will make it (the request's own, or
// the one the server has loaded), unless the request fixes it. Asked of each server that runs a
// part (a pool's members may hold different models). No `vscode`.

import type { SdApiClient } from '../sdapi/client';
import { generationSizeFor, nativeSideOf } from '../shared/outputShape';
import type { GenerationRequest } from './request';

export async function withGenerationSize(client: SdApiClient, request: GenerationRequest, signal?: AbortSignal): Promise<GenerationRequest> {
  const target = request.output?.size;
  // Inpainting and outpainting are made at their source's size (the mask is painted on it).
  if (!target || target.keepGenerationSize || request.img2img?.mask) return request;
  const side = target.near ?? nativeSideOf(request.checkpoint ?? (await loadedModel(client, signal)));
  const generated = generationSizeFor(target, side);
  const parameters = { ...request.parameters, ...generated };
  return request.img2img ? { ...request, parameters, img2img: { ...request.img2img, outputSize: generated } } : { ...request, parameters };
}

/** The checkpoint the server has loaded; undefined where it does not say (the SD 1.5 size is used). */
async function loadedModel(client: SdApiClient, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const loaded = (await client.getOptions(signal)).sd_model_checkpoint;
    return typeof loaded === 'string' ? loaded : undefined;
  } catch {
    return undefined;
  }
}
