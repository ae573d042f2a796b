// The generation request a recipe makes: its fields, its source image read from the workspace,
// and the file its path asks for (format from the extension, exact size, quality or budget).

import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { GenerationRequest } from '../generation/generationService';
import { readSourceImage } from '../generation/sourceImage';
import type { EffectiveRecipe } from '../recipes/effective';
import { pathProblem } from '../recipes/manifest';
import { entryUri } from '../recipes/recipeState';
import { formatOfPath, type OutputShape } from '../shared/outputShape';

export type RecipeMode = 'generate' | 'regenerate' | 'variation';

export async function requestOf(recipe: EffectiveRecipe, target: vscode.Uri, mode: RecipeMode): Promise<GenerationRequest> {
  const request: GenerationRequest = {
    prompt: recipe.prompt,
    parameters: {
      negativePrompt: recipe.negativePrompt,
      steps: recipe.steps,
      cfgScale: recipe.cfgScale,
      width: recipe.width,
      height: recipe.height,
      sampler: recipe.sampler,
      scheduler: recipe.scheduler,
      seed: mode === 'variation' ? -1 : recipe.seed,
      batchSize: 1,
      batchCount: 1,
    },
    ...(recipe.model ? { checkpoint: recipe.model } : {}),
    quality: {
      ...(recipe.hires ? { hires: { ...recipe.hires, steps: recipe.hires.steps ?? 0 } } : {}),
      ...(recipe.tiling ? { tiling: true } : {}),
      ...(recipe.clipSkip ? { clipSkip: recipe.clipSkip } : {}),
      ...(recipe.vae ? { vae: recipe.vae } : {}),
      ...(recipe.distilledCfg !== undefined ? { distilledCfg: recipe.distilledCfg } : {}),
      ...(recipe.textEncoders ? { textEncoders: [...recipe.textEncoders] } : {}),
      ...(recipe.refiner ? { refiner: { ...recipe.refiner } } : {}),
    },
    ...(recipe.serverStyles ? { styles: recipe.serverStyles } : {}),
    output: outputOf(recipe),
  };
  if (recipe.source === undefined) return request;
  const problem = pathProblem(recipe.source);
  if (problem) throw new UserError(vscode.l10n.t('The source of {0}: {1}', recipe.path, problem));
  const source = await readSourceImage(entryUri(target, recipe.source)); // workspace-relative, like the entry's own path
  return {
    ...request,
    img2img: {
      source: { bytes: source.bytes, format: source.format, size: source.size },
      outputSize: { width: recipe.width, height: recipe.height },
      denoisingStrength: recipe.strength ?? 0.6,
      resizeMode: recipe.resizeMode ?? 'cropAndResize',
    },
  };
}

/** The file the recipe's path and fields ask for: its format from the extension, its exact size, quality or budget. */
function outputOf(recipe: EffectiveRecipe): OutputShape {
  const format = formatOfPath(recipe.path);
  return {
    // A PNG the server sends is kept as it is; another format is encoded from it.
    ...(format && format !== 'png' ? { format } : { format: 'png' as const }),
    ...(recipe.output ? { size: { ...recipe.output, ...(recipe.sizeGiven ? { keepGenerationSize: true as const } : {}) } } : {}),
    ...(recipe.quality !== undefined ? { quality: recipe.quality } : {}),
    ...(recipe.maxKB !== undefined ? { budgetKB: recipe.maxKB } : {}),
    ...(recipe.transparent ? { removeBackground: { model: recipe.transparent, alphaMatting: false } } : {}),
  };
}
