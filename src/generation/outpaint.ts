// Outpainting's source as the request sends it: the page pads the source to the grown canvas;
// the host checks that what came back is a PNG of exactly that size before sending it. No `vscode`.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { sniffImageFormat } from '../image/format';
import { imageSize, type Size } from '../image/imageSize';
import { paddedSize, type Sides } from '../shared/outpaint';

export function paddedSource(png: Uint8Array | undefined, source: Size, sides: Sides): { bytes: Uint8Array; format: 'png'; size: Size } {
  const expected = paddedSize(source, sides);
  const size = png && sniffImageFormat(png) === 'png' ? imageSize(png, 'png') : undefined;
  if (!png || !size || size.width !== expected.width || size.height !== expected.height) {
    throw new UserError(
      l10n.t('The extended canvas did not arrive as a {0}×{1} PNG: choose the source again, then Generate.', expected.width, expected.height),
    );
  }
  return { bytes: png, format: 'png', size };
}
