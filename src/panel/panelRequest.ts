import * as vscode from 'vscode';
import type { Failure } from '../errors/failure';
import type { GenerationWorkflow } from '../generation/workflow';
import type { GenerationRequest } from '../generation/generationService';
import type { GenerationDefaults } from '../generation/types';
import type { Settings } from '../platform/settings';
import type { FieldError, FormValues, HostToWebview } from '../shared/protocol';
import { UserError } from '../errors/userError';
import type { InpaintMask, SourceImage } from '../generation/request';
import { paddedSource } from '../generation/outpaint';
import { decodeBase64, sniffImageFormat } from '../image/format';
import { imageSize, type Size } from '../image/imageSize';
import { isExtended } from '../shared/outpaint';
import { outputShapeOf } from '../shared/outputShape';
import { QUALITY_DEFAULTS, qualityOf } from '../shared/qualityOptions';
import { INPAINT_DEFAULTS } from '../shared/validateForm';
import { validateForm } from '../shared/validateForm';
import type { PanelSource } from './panelSource';

/** The form's values when nothing was typed yet: the settings. */
export function formDefaults(settings: Settings): FormValues {
  return {
    mode: 'txt2img',
    prompt: '',
    ...settings.generation,
    source: '',
    denoisingStrength: settings.denoisingStrength,
    resizeMode: settings.resizeMode,
    styles: [],
    ...INPAINT_DEFAULTS,
    ...QUALITY_DEFAULTS,
    ...settings.outputFields,
    controlNet: [],
  };
}

function withOutput(form: FormValues): Pick<GenerationRequest, 'output'> {
  const output = outputShapeOf(form);
  return output ? { output } : {};
}

/** The form (checked again: the page is untrusted) as a generation request, or the fields to fix. */
export async function requestFromForm(
  form: FormValues,
  source: PanelSource,
  painted: PagePaint = {},
): Promise<{ request: GenerationRequest; source?: vscode.Uri } | FieldError[]> {
  const errors = validateForm(form);
  if (errors.length > 0) return errors;
  const request: GenerationRequest = {
    prompt: form.prompt.trim(),
    livePreview: true,
    parameters: parametersOf(form),
    quality: qualityOf(form, form.mode),
    styles: form.styles,
    ...withOutput(form),
  };
  if (form.mode !== 'img2img') return { request: await withControlNet(request, form, source) };
  const loaded = await source.forForm(form.source);
  // Outpainting sends the source padded by the page, and the mask of its new area.
  const outpainting = isExtended(form);
  const sent = outpainting ? paddedSource(painted.extended ? decodeBase64(painted.extended) : undefined, loaded.size, form) : loaded;
  if (outpainting && !painted.mask) throw new UserError(vscode.l10n.t('Outpainting needs the mask of the new area: choose the source again, then Generate.'));
  const outputSize = { width: form.width, height: form.height };
  return {
    request: {
      ...(await withControlNet(request, form, source, sent)),
      img2img: {
        source: { bytes: sent.bytes, format: sent.format, size: sent.size },
        outputSize,
        denoisingStrength: form.denoisingStrength,
        resizeMode: form.resizeMode,
        ...(painted.mask ? { mask: maskOf(painted.mask, form, sent.size) } : {}),
      },
    },
    source: loaded.uri,
  };
}

/** The form's ControlNet units with their images read (a workspace path, or the source sent). */
async function withControlNet(request: GenerationRequest, form: FormValues, source: PanelSource, sent?: SourceImage): Promise<GenerationRequest> {
  if (form.controlNet.length === 0) return request;
  const controlNet = await Promise.all(
    form.controlNet.map(async ({ image, ...unit }, index) => {
      const bytes = image === '' ? sent : await source.image(image);
      if (!bytes) throw new UserError(vscode.l10n.t('ControlNet unit {0} has no control image: choose one.', index + 1));
      return { ...unit, image: { bytes: bytes.bytes, format: bytes.format, size: bytes.size } };
    }),
  );
  return { ...request, controlNet };
}

/** What the page painted (untrusted): the inpainting mask, and the padded source when outpainting. */
export interface PagePaint {
  mask?: string;
  extended?: string;
}

/** The page's mask: a PNG of the (padded) source's size, with the form's inpainting settings. */
function maskOf(base64: string, form: FormValues, size: Size): InpaintMask {
  const png = decodeBase64(base64);
  if (!png || sniffImageFormat(png) !== 'png') throw new UserError(vscode.l10n.t('The mask is not a PNG image: paint it again.'));
  const maskSize = imageSize(png, 'png');
  if (maskSize?.width !== size.width || maskSize.height !== size.height) {
    throw new UserError(vscode.l10n.t('The mask is not {0}×{1} like the source: clear it and paint it again.', size.width, size.height));
  }
  return { png, blur: form.maskBlur, fill: form.maskFill, area: form.inpaintArea, padding: form.maskPadding };
}

function parametersOf(form: FormValues): GenerationDefaults {
  const { negativePrompt, sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount } = form;
  return { negativePrompt: negativePrompt.trim(), sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount };
}

export interface PanelGenerateContext {
  workflow: GenerationWorkflow;
  source: PanelSource;
  post(message: HostToWebview): void;
  showFailure(failure: Failure): void;
  openBeside: vscode.ViewColumn;
  /** The painted inpainting mask and, when outpainting, the padded source (from the page). */
  painted: PagePaint;
}

/** Generate from the form: through the shared workflow, with the panel's own progress line, banner and job ids. */
export async function generateFromForm(form: FormValues, panel: PanelGenerateContext): Promise<void> {
  const asked = await requestFromForm(form, panel.source, panel.painted);
  if (Array.isArray(asked)) {
    panel.post({ type: 'fieldErrors', errors: asked });
    return;
  }
  let jobId = '';
  const outcome = await panel.workflow.run(asked.request, {
    surface: 'caller',
    ...(asked.source ? { source: asked.source } : {}),
    ...(vscode.workspace.workspaceFolders?.[0] ? { near: vscode.workspace.workspaceFolders[0].uri } : {}),
    onJob: (id) => (jobId = id),
    onSaving: () => panel.post({ type: 'progress', jobId, message: vscode.l10n.t('Saving…'), fraction: 1 }),
    openIn: { viewColumn: panel.openBeside, preserveFocus: true },
  });
  if (outcome.status === 'failed') {
    panel.post({ type: 'finished', jobId, outcome: 'failed', message: outcome.failure.message });
    panel.showFailure(outcome.failure);
  } else if (jobId) {
    panel.post({ type: 'finished', jobId, outcome: outcome.status });
  }
}
