// ControlNet units as the extension reads them from `alwayson_scripts.controlnet.args`: one shape
// for A1111's sd-webui-controlnet and Forge's built-in one (test/server/controlnet.ts records
// where they differ: `enabled` is sent because A1111's defaults to false). No `vscode`.

import { toBase64 } from '../image/format';
import { CONTROL_MODE_NAMES, RESIZE_MODE_NAMES } from '../shared/controlNetNames';
import type { ControlUnit } from './request';

export function controlNetScripts(units: readonly ControlUnit[]): Record<string, { args: unknown[] }> {
  return {
    controlnet: {
      args: units.map((unit) => ({
        enabled: true,
        image: toBase64(unit.image.bytes),
        module: unit.module,
        model: unit.model,
        weight: unit.weight,
        guidance_start: unit.guidanceStart,
        guidance_end: unit.guidanceEnd,
        control_mode: CONTROL_MODE_NAMES[unit.controlMode],
        resize_mode: RESIZE_MODE_NAMES[unit.resizeMode],
        pixel_perfect: unit.pixelPerfect,
        // The detected maps would come back as full-size PNGs with the results: not wanted.
        save_detected_map: false,
      })),
    },
  };
}
