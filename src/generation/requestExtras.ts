// What a request adds to the form's fields: a variation of the seed, a checkpoint for this one
// request (Regenerate and Variation make an image with the model it was made with).

import type { SdApiClient } from '../sdapi/client';
import { findModel } from '../sdapi/modelNames';
import type { GenerationParameters } from '../sdapi/types';
import type { GenerationRequest } from './generationService';

export async function requestExtras(
  client: SdApiClient,
  request: Pick<GenerationRequest, 'variationStrength' | 'variationSeed' | 'checkpoint'>,
  /** Told what could not be honoured (the log and the status bar). */
  note: (message: string) => void,
): Promise<Partial<GenerationParameters>> {
  const extras: Partial<GenerationParameters> = {};
  if (request.variationStrength !== undefined) Object.assign(extras, { subseed: request.variationSeed ?? -1, subseed_strength: request.variationStrength });
  if (request.checkpoint) {
    const model = findModel(await client.listModels(), request.checkpoint);
    if (model) {
      // Per request, restored afterwards: others sharing the server keep their model.
      Object.assign(extras, { override_settings: { sd_model_checkpoint: model.title }, override_settings_restore_afterwards: true });
    } else {
      note(`The server has no model "${request.checkpoint}": made with its current model, so the image may differ.`);
    }
  }
  return extras;
}
