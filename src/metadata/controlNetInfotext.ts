// The ControlNet units an image records: A1111's sd-webui-controlnet and Forge's built-in one write
// each unit as `ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 1,
// Resize Mode: Crop and Resize, …, Guidance Start: 0, Guidance End: 1, Pixel Perfect: False,
// Control Mode: Balanced"`; versions before 1.1.4 wrote `preprocessor: canny, model: …, weight: 1,
// starting/ending: (0, 1), resize mode: …, pixel perfect: …, control mode: …`. Both are read.
// The control image is never recorded: a unit read back has none (''). Pure.
// l10n-exempt-file: ControlNet's infotext keys and values: a file format, never translated.

import { CONTROL_UNIT_DEFAULTS, type ControlMode, type ControlUnitValues } from '../shared/controlNet';
import { CONTROL_MODE_NAMES, RESIZE_MODE_NAMES } from '../shared/controlNetNames';
import type { ResizeMode } from '../shared/settingsSchema';
import { numberedParams, paramOf, parseParams, type Infotext } from './infotext';

/** The units in the order of their numbers; a unit without a model is not one (nothing to restore). */
export function controlUnitsOf(info: Infotext): ControlUnitValues[] {
  return numberedParams(info, 'ControlNet')
    .map(unitOf)
    .filter((unit): unit is ControlUnitValues => unit !== undefined);
}

function unitOf(text: string): ControlUnitValues | undefined {
  const fields: Infotext = { prompt: '', negativePrompt: '', params: parseParams(text) };
  const field = (...keys: string[]) => keys.map((key) => paramOf(fields, key)?.trim()).find((value) => value !== undefined && value !== '');
  const model = field('Model');
  if (!model || /^none$/i.test(model)) return undefined;
  const number = (fallback: number, ...keys: string[]) => {
    const parsed = Number(field(...keys) ?? Number.NaN);
    return Number.isFinite(parsed) ? parsed : fallback;
  };
  // The old "starting/ending: (0, 1)" is split by its comma as a pair: read it whole.
  const span = /starting\/ending:\s*\(\s*([\d.]+)\s*,\s*([\d.]+)\s*\)/i.exec(text);
  return {
    image: '',
    module: field('Module', 'preprocessor') ?? 'none',
    model,
    weight: number(CONTROL_UNIT_DEFAULTS.weight, 'Weight'),
    guidanceStart: span ? Number(span[1]) : number(CONTROL_UNIT_DEFAULTS.guidanceStart, 'Guidance Start'),
    guidanceEnd: span ? Number(span[2]) : number(CONTROL_UNIT_DEFAULTS.guidanceEnd, 'Guidance End'),
    controlMode: named(CONTROL_MODE_NAMES, field('Control Mode')) ?? CONTROL_UNIT_DEFAULTS.controlMode,
    resizeMode: named(RESIZE_MODE_NAMES, field('Resize Mode')) ?? CONTROL_UNIT_DEFAULTS.resizeMode,
    pixelPerfect: field('Pixel Perfect')?.toLowerCase() === 'true',
  };
}

function named<K extends ControlMode | ResizeMode>(names: Record<K, string>, written: string | undefined): K | undefined {
  if (written === undefined) return undefined;
  return (Object.keys(names) as K[]).find((key) => names[key].toLowerCase() === written.toLowerCase());
}
