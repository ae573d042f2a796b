// ControlNet units as the panel's form holds them: a control image (a workspace path, or '' for
// the image-to-image source) and how it steers the picture. Checked here for the page (errors by
// their fields) and again by the host. Pure: shared by host and page.

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

/** A1111's extension offers 3 units unless its settings say otherwise; Forge has 3. */
export const MAX_CONTROL_UNITS = 3;

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
): { field: ControlFieldName | 'controlNet'; message: string }[] {
  const errors: { field: ControlFieldName | 'controlNet'; message: string }[] = [];
  if (units.length > MAX_CONTROL_UNITS) errors.push({ field: 'controlNet', message: `At most ${MAX_CONTROL_UNITS} ControlNet units.` });
  units.slice(0, MAX_CONTROL_UNITS).forEach((unit, index) => {
    const name = `ControlNet unit ${index + 1}`;
    const within = (field: 'weight' | 'guidanceStart' | 'guidanceEnd', max: number, what: string) => {
      const value = unit[field];
      if (!Number.isFinite(value) || value < 0 || value > max) errors.push({ field: controlField(index, field), message: `${what} must be from 0 to ${max}.` });
    };
    if (unit.image === '' && mode !== 'img2img') errors.push({ field: controlField(index, 'image'), message: `${name}: choose a control image.` });
    if (unit.model === '') errors.push({ field: controlField(index, 'model'), message: `${name}: choose a model.` });
    within('weight', 2, 'Control weight');
    within('guidanceStart', 1, 'Starting step');
    within('guidanceEnd', 1, 'Ending step');
    if (unit.guidanceStart >= unit.guidanceEnd)
      errors.push({ field: controlField(index, 'guidanceEnd'), message: `${name}: the ending step must come after the starting step.` });
  });
  return errors;
}
