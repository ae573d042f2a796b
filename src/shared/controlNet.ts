// ControlNet units as the panel's form holds them: a control image (a workspace path, or '' for
// the image-to-image source) and how it steers the picture. Checked here for the page (errors by
// their fields) and again by the host. Pure: shared by host and page.

import * as l10n from '@vscode/l10n';
import type { ResizeMode } from './settingsSchema';

export type ControlMode = 'balanced' | 'prompt' | 'control';

export interface ControlUnitValues {
  /** Workspace-relative path of the control image; '' uses the image-to-image source. */
  image: string;
  /** The preprocessor, by the name the server lists ('none'/'None': the image is the control map). */
  module: string;
  model: string;
  /** 0..2 */
  weight: number;
  /** When in the sampling the unit starts and stops steering, 0..1. */
  guidanceStart: number;
  guidanceEnd: number;
  controlMode: ControlMode;
  resizeMode: ResizeMode;
  /** The preprocessor works at the output's resolution. */
  pixelPerfect: boolean;
}

/** The units a server takes when it does not say: A1111's extension and Forge default to 3. */
export const DEFAULT_CONTROL_UNITS = 3;
/** The most any server takes (the Multi-ControlNet setting goes up to 10): the host's own limit. */
export const MAX_CONTROL_UNITS = 10;

/**
 * How many units the server takes: its Multi-ControlNet setting (option `control_net_unit_count`,
 * which A1111's extension and Forge's built-in one both read). More are dropped by the server
 * without a word, so the panel offers no more than this.
 */
export function controlUnitCount(option: unknown): number {
  return typeof option === 'number' && Number.isInteger(option) && option >= 1 && option <= MAX_CONTROL_UNITS ? option : DEFAULT_CONTROL_UNITS;
}

export const CONTROL_UNIT_DEFAULTS: Omit<ControlUnitValues, 'module' | 'model'> = {
  image: '',
  weight: 1,
  guidanceStart: 0,
  guidanceEnd: 1,
  controlMode: 'balanced',
  resizeMode: 'cropAndResize',
  pixelPerfect: true,
};

/** The field a unit's error is shown at. */
export type ControlFieldName = `controlNet.${number}.${keyof ControlUnitValues}`;

export function controlField(index: number, field: keyof ControlUnitValues): ControlFieldName {
  return `controlNet.${index}.${field}`;
}

export function validateControlUnits(
  units: readonly ControlUnitValues[],
  mode: 'txt2img' | 'img2img',
  /** The server's count where known (the page), else the most any server takes (the host). */
  limit = MAX_CONTROL_UNITS,
): { field: ControlFieldName | 'controlNet'; message: string }[] {
  const errors: { field: ControlFieldName | 'controlNet'; message: string }[] = [];
  if (units.length > limit)
    errors.push({
      field: 'controlNet',
      message: l10n.t('ControlNet units on this server: {0} (its Multi-ControlNet setting). Remove the ones after unit {0}, or raise that setting.', limit),
    });
  // Units past the limit get only the sentence above: they are to be removed, not fixed.
  units.slice(0, limit).forEach((unit, index) => {
    const name = l10n.t('ControlNet unit {0}', index + 1);
    const within = (field: 'weight' | 'guidanceStart' | 'guidanceEnd', max: number, what: string) => {
      const value = unit[field];
      if (!Number.isFinite(value) || value < 0 || value > max)
        errors.push({ field: controlField(index, field), message: l10n.t('{0} must be from 0 to {1}.', what, max) });
    };
    if (unit.image === '' && mode !== 'img2img') errors.push({ field: controlField(index, 'image'), message: l10n.t('{0}: choose a control image.', name) });
    if (unit.model === '') errors.push({ field: controlField(index, 'model'), message: l10n.t('{0}: choose a model.', name) });
    within('weight', 2, l10n.t('Control weight'));
    within('guidanceStart', 1, l10n.t('Starting step'));
    within('guidanceEnd', 1, l10n.t('Ending step'));
    if (unit.guidanceStart >= unit.guidanceEnd)
      errors.push({ field: controlField(index, 'guidanceEnd'), message: l10n.t('{0}: the ending step must come after the starting step.', name) });
  });
  return errors;
}
