// The names ControlNet (A1111's extension and Forge's built-in one) takes in its API for the
// control and resize modes, and writes into the images it makes. Pure.
// l10n-exempt-file: protocol names, never translated.

import type { ControlMode } from './controlNet';
import type { ResizeMode } from './settingsSchema';

export const CONTROL_MODE_NAMES: Record<ControlMode, string> = {
  balanced: 'Balanced',
  prompt: 'My prompt is more important',
  control: 'ControlNet is more important',
};

export const RESIZE_MODE_NAMES: Record<ResizeMode, string> = {
  justResize: 'Just Resize',
  cropAndResize: 'Crop and Resize',
  resizeAndFill: 'Resize and Fill',
};
