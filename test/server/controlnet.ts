// The ControlNet extension, as the local server offers it when started with
// `extensions: ['controlnet']`: Mikubill's sd-webui-controlnet on A1111 (scripts/api.py,
// internal_controlnet/args.py @56cec5b) and Forge's built-in one (sd_forge_controlnet,
// lib_controlnet/external_code.py and api.py @dfdcbab). Their differences as the sources show:
// - module_list: A1111 adds `module_detail`; the "no preprocessor" entry is `none` on A1111 and
//   `None` on Forge; only A1111 has /controlnet/version and /controlnet/settings.
// - a unit's `enabled` defaults to false on A1111 (a unit without it does nothing) and to true
//   on Forge; A1111 validates weight (0..2) and guidance (0..1, start before end), Forge does not.
// - both read `image` as base64, `control_mode` and `resize_mode` as their display strings, and
//   append a detected map per unit to the answer's images (save_detected_map defaults to true).

import type { ServerFlavor } from './dialects';
import { renderPicture } from './pictures';

export const CONTROLNET_MODELS = ['control_v11p_sd15_canny [d14c016b]', 'control_v11f1p_sd15_depth [cfd03158]', 'diffusers_xl_canny_full [2b69fca4]'];

const MODULES = ['canny', 'depth_midas', 'openpose_full', 'lineart_realistic', 'scribble_pidinet'];
const CONTROL_MODES = ['Balanced', 'My prompt is more important', 'ControlNet is more important'];
const RESIZE_MODES = ['Just Resize', 'Crop and Resize', 'Resize and Fill'];

/** Servers that can have the extension: A1111 (installed) and Forge (built in). */
export function canHaveControlNet(flavor: ServerFlavor): boolean {
  return flavor === 'a1111-1.10' || flavor === 'a1111-1.9' || flavor === 'a1111-1.8' || flavor === 'forge';
}

function noneModule(flavor: ServerFlavor): string {
  return flavor === 'forge' ? 'None' : 'none';
}

/** The extension's GET routes (outside /sdapi, so outside --api-auth too). Undefined: not one of them. */
export function controlNetRoute(flavor: ServerFlavor, path: string, units: number): unknown {
  const forge = flavor === 'forge';
  switch (path) {
    case '/controlnet/model_list':
      return { model_list: ['None', ...CONTROLNET_MODELS] };
    case '/controlnet/module_list': {
      const modules = [noneModule(flavor), ...MODULES];
      if (forge) return { module_list: modules };
      const detail = Object.fromEntries(
        modules.map((name) => [name, { model_free: false, sliders: [{ name: 'Preprocessor Resolution', value: 512, min: 64, max: 2048 }] }]),
      );
      return { module_list: modules, module_detail: detail };
    }
    case '/controlnet/version':
      return forge ? undefined : { version: 3 };
    case '/controlnet/settings':
      return forge ? undefined : { control_net_unit_count: units };
    default:
      return undefined;
  }
}

/** The paths the extension adds to /openapi.json. */
export function controlNetPaths(flavor: ServerFlavor): string[] {
  const common = ['/controlnet/model_list', '/controlnet/module_list', '/controlnet/control_types', '/controlnet/detect'];
  return flavor === 'forge' ? common : [...common, '/controlnet/version', '/controlnet/settings'];
}

export interface ControlNetRun {
  /** The infotext entries the extension adds (`ControlNet 0: "…"`). */
  infotext: string[];
  /** Detected maps appended after the results. */
  maps: string[];
  /** A fingerprint of what the units change, mixed into the picture. */
  salt: number;
}

/**
 * `alwayson_scripts.controlnet` of a generation request, checked as the extension checks it.
 * An error is the server's answer (A1111 wraps the extension's exception in a 500).
 */
export function runControlNet(flavor: ServerFlavor, kind: 'txt2img' | 'img2img', alwayson: unknown, units: number): ControlNetRun | { error: string } {
  const run: ControlNetRun = { infotext: [], maps: [], salt: 0 };
  const args = (alwayson as { controlnet?: { args?: unknown } } | undefined)?.controlnet?.args;
  if (!Array.isArray(args)) return run;
  const forge = flavor === 'forge';
  const modules = [noneModule(flavor), ...MODULES];
  // Both take as many units as their Multi-ControlNet setting (control_net_unit_count) makes
  // script arguments; more are dropped without a word (modules/scripts.py's args_from..args_to).
  for (const [index, raw] of args.slice(0, units).entries()) {
    if (typeof raw !== 'object' || raw === null) continue;
    const unit = raw as Record<string, unknown>;
    if (unit.enabled !== true && !(forge && unit.enabled === undefined)) continue;
    const module = typeof unit.module === 'string' ? unit.module : noneModule(flavor);
    const model = typeof unit.model === 'string' ? unit.model : 'None';
    if (!modules.includes(module)) return { error: `module(${module}) not found in supported modules.` };
    if (model !== 'None' && !CONTROLNET_MODELS.includes(model)) return { error: `model(${model}) not found in supported models.` };
    const weight = typeof unit.weight === 'number' ? unit.weight : 1;
    const start = typeof unit.guidance_start === 'number' ? unit.guidance_start : 0;
    const end = typeof unit.guidance_end === 'number' ? unit.guidance_end : 1;
    if (!forge && (weight < 0 || weight > 2))
      return { error: `1 validation error for ControlNetUnit\nweight\n  ensure this value is less than or equal to 2.0` };
    if (!forge && (start < 0 || end > 1 || start > end)) return { error: `guidance_start(${start}) must be before guidance_end(${end}), both within 0..1` };
    const controlMode = unit.control_mode ?? 'Balanced';
    const resizeMode = unit.resize_mode ?? 'Crop and Resize';
    if (typeof controlMode !== 'string' || !CONTROL_MODES.includes(controlMode))
      return { error: `'${JSON.stringify(controlMode)}' is not a valid ControlMode` };
    if (typeof resizeMode !== 'string' || !RESIZE_MODES.includes(resizeMode)) return { error: `'${JSON.stringify(resizeMode)}' is not a valid ResizeMode` };
    const image = typeof unit.image === 'string' ? Buffer.from(unit.image.replace(/^data:image\/[^;]+;base64,/, ''), 'base64') : undefined;
    if (image && (image.length < 8 || image.readUInt32BE(0) !== 0x89504e47)) return { error: 'Invalid encoded image' };
    if (!image && kind === 'txt2img') return { error: 'controlnet is enabled but no input image is given' };
    run.salt = (run.salt + (image?.length ?? 1) * (index + 1) + Math.round(weight * 100)) >>> 0;
    run.infotext.push(
      `ControlNet ${index}: "Module: ${module}, Model: ${model}, Weight: ${weight}, Resize Mode: ${resizeMode}, Guidance Start: ${start}, Guidance End: ${end}, Pixel Perfect: ${unit.pixel_perfect === true ? 'True' : 'False'}, Control Mode: ${controlMode}"`,
    );
    if (unit.save_detected_map !== false) run.maps.push(renderPicture({ width: 64, height: 64, seed: 900 + index }).toString('base64'));
  }
  return run;
}
