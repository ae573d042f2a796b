import type * as vscode from 'vscode';
import type { GenerationRequest } from '../generation/generationService';
import type { GenerationDefaults } from '../generation/types';
import type { Settings } from '../platform/settings';
import type { FieldError, FormValues } from '../shared/protocol';
import { validateForm } from '../shared/validateForm';
import type { PanelSource } from './panelSource';

/** The form's values when nothing was typed yet: the settings. */
export function formDefaults(settings: Settings): FormValues {
  return { mode: 'txt2img', prompt: '', ...settings.generation, source: '', denoisingStrength: settings.denoisingStrength, resizeMode: settings.resizeMode };
}

/** The form (checked again: the page is untrusted) as a generation request, or the fields to fix. */
export async function requestFromForm(form: FormValues, source: PanelSource): Promise<{ request: GenerationRequest; source?: vscode.Uri } | FieldError[]> {
  const errors = validateForm(form);
  if (errors.length > 0) return errors;
  const request: GenerationRequest = { prompt: form.prompt.trim(), livePreview: true, parameters: parametersOf(form) };
  if (form.mode !== 'img2img') return { request };
  const { bytes, format, size, uri } = await source.forForm(form.source);
  const outputSize = { width: form.width, height: form.height };
  return {
    request: { ...request, img2img: { source: { bytes, format, size }, outputSize, denoisingStrength: form.denoisingStrength, resizeMode: form.resizeMode } },
    source: uri,
  };
}

function parametersOf(form: FormValues): GenerationDefaults {
  const { negativePrompt, sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount } = form;
  return { negativePrompt: negativePrompt.trim(), sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount };
}
