// Checks of the form's values, shared by the webview (errors shown next to the fields while
// typing) and the host (which never trusts the webview and checks again).

import * as l10n from '@vscode/l10n';
import { LIMITS, type FieldError, type FormValues } from './protocol';
import { validateControlUnits } from './controlNet';
import { MAX_EXTENSION, NO_EXTENSION, type Sides } from './outpaint';
import { outputFieldErrors } from './outputShape';
import { QUALITY_LIMITS } from './qualityOptions';

/** Inpainting's settings as A1111's UI starts them (its API's own defaults differ: fill, only masked). */
export const INPAINT_DEFAULTS: Pick<FormValues, 'maskBlur' | 'maskFill' | 'inpaintArea' | 'maskPadding' | keyof Sides> = {
  maskBlur: 4,
  maskFill: 'original',
  inpaintArea: 'whole',
  maskPadding: 32,
  ...NO_EXTENSION,
};

/** `controlUnits`: what the server takes, where the caller knows it (the page). */
export function validateForm(form: FormValues, server: { controlUnits?: number } = {}): FieldError[] {
  const errors: FieldError[] = [];
  const integerIn = (field: keyof FormValues, value: number, min: number, max: number, what: string) => {
    if (!Number.isInteger(value) || value < min || value > max)
      errors.push({ field, message: l10n.t('{0} must be a whole number from {1} to {2}.', what, min, max) });
  };
  const sizeOk = (field: 'width' | 'height', value: number) => {
    const { min, max, step } = LIMITS.size;
    if (!Number.isInteger(value) || value < min || value > max)
      errors.push({
        field,
        message: field === 'width' ? l10n.t('Width must be from {0} to {1} pixels.', min, max) : l10n.t('Height must be from {0} to {1} pixels.', min, max),
      });
    else if (value % step !== 0)
      errors.push({
        field,
        message:
          field === 'width'
            ? l10n.t('Width must be a multiple of {0} (try {1}).', step, Math.round(value / step) * step)
            : l10n.t('Height must be a multiple of {0} (try {1}).', step, Math.round(value / step) * step),
      });
  };
  if (form.prompt.trim() === '') errors.push({ field: 'prompt', message: l10n.t('Describe the image you want.') });
  if (form.prompt.length > LIMITS.promptLength)
    errors.push({ field: 'prompt', message: l10n.t('The prompt is longer than {0} characters.', LIMITS.promptLength) });
  if (form.negativePrompt.length > LIMITS.promptLength)
    errors.push({ field: 'negativePrompt', message: l10n.t('The negative prompt is longer than {0} characters.', LIMITS.promptLength) });
  integerIn('steps', form.steps, LIMITS.steps.min, LIMITS.steps.max, l10n.t('Steps'));
  if (!Number.isFinite(form.cfgScale) || form.cfgScale < LIMITS.cfgScale.min || form.cfgScale > LIMITS.cfgScale.max) {
    errors.push({ field: 'cfgScale', message: l10n.t('CFG scale must be from {0} to {1}.', LIMITS.cfgScale.min, LIMITS.cfgScale.max) });
  }
  integerIn('seed', form.seed, LIMITS.seed.min, LIMITS.seed.max, l10n.t('Seed'));
  sizeOk('width', form.width);
  sizeOk('height', form.height);
  integerIn('batchSize', form.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max, l10n.t('Batch size'));
  integerIn('batchCount', form.batchCount, LIMITS.batchCount.min, LIMITS.batchCount.max, l10n.t('Batch count'));
  if (form.hiresFix && form.mode === 'txt2img') {
    const { hiresScale, hiresSteps } = QUALITY_LIMITS;
    if (!Number.isFinite(form.hiresScale) || form.hiresScale < hiresScale.min || form.hiresScale > hiresScale.max)
      errors.push({ field: 'hiresScale', message: l10n.t('Upscale by must be from {0} to {1}.', hiresScale.min, hiresScale.max) });
    integerIn('hiresSteps', form.hiresSteps, hiresSteps.min, hiresSteps.max, l10n.t('Hires steps'));
    if (!Number.isFinite(form.hiresDenoising) || form.hiresDenoising < 0 || form.hiresDenoising > 1)
      errors.push({ field: 'hiresDenoising', message: l10n.t('Denoising strength must be from 0 to 1.') });
    if (form.hiresUpscaler.trim() === '') errors.push({ field: 'hiresUpscaler', message: l10n.t('Choose an upscaler for the second pass.') });
  }
  if (form.refiner && form.mode === 'txt2img' && !(form.refinerSwitchAt > 0 && form.refinerSwitchAt < 1))
    errors.push({ field: 'refinerSwitchAt', message: l10n.t('Switch at must be between 0 and 1 (0.8: the refiner does the last fifth).') });
  integerIn('clipSkip', form.clipSkip, QUALITY_LIMITS.clipSkip.min, QUALITY_LIMITS.clipSkip.max, l10n.t('CLIP skip'));
  const { distilledCfg } = QUALITY_LIMITS;
  if (!Number.isFinite(form.distilledCfg) || form.distilledCfg < distilledCfg.min || form.distilledCfg > distilledCfg.max)
    errors.push({ field: 'distilledCfg', message: l10n.t('Distilled CFG scale must be from {0} to {1}.', distilledCfg.min, distilledCfg.max) });
  if (form.mode === 'img2img') {
    integerIn('maskBlur', form.maskBlur, 0, 64, l10n.t('Mask blur'));
    integerIn('maskPadding', form.maskPadding, 0, 256, l10n.t('Padding'));
    for (const [field, label] of [
      ['extendLeft', l10n.t('Extending the left side')],
      ['extendTop', l10n.t('Extending the top side')],
      ['extendRight', l10n.t('Extending the right side')],
      ['extendBottom', l10n.t('Extending the bottom side')],
    ] as const) {
      integerIn(field, form[field], 0, MAX_EXTENSION, label);
    }
    if (form.source === '') errors.push({ field: 'source', message: l10n.t('Choose a source image.') });
    if (!Number.isFinite(form.denoisingStrength) || form.denoisingStrength < 0 || form.denoisingStrength > 1) {
      errors.push({ field: 'denoisingStrength', message: l10n.t('Denoising strength must be from 0 to 1.') });
    }
  }
  errors.push(...validateControlUnits(form.controlNet, form.mode, server.controlUnits));
  errors.push(...outputFieldErrors(form));
  return errors;
}

/** Maps a server-side field name (from a 422's `loc`) to the form field that sets it. */
export function formFieldForServerField(field: string): keyof FormValues | '' {
  const map: Record<string, keyof FormValues> = {
    prompt: 'prompt',
    negative_prompt: 'negativePrompt',
    sampler_name: 'sampler',
    sampler_index: 'sampler',
    scheduler: 'scheduler',
    steps: 'steps',
    cfg_scale: 'cfgScale',
    seed: 'seed',
    width: 'width',
    height: 'height',
    batch_size: 'batchSize',
    n_iter: 'batchCount',
    init_images: 'source',
    denoising_strength: 'denoisingStrength',
    resize_mode: 'resizeMode',
    hr_scale: 'hiresScale',
    hr_upscaler: 'hiresUpscaler',
    hr_second_pass_steps: 'hiresSteps',
  };
  return map[field.split('.')[0] ?? ''] ?? '';
}
