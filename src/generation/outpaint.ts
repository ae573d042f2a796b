// Outpainting's source as the request sends it: the page pads the source to the grown canvas;
// the host checks that what came back is a PNG of exactly that size before sending it. No `vscode`.

import { UserError } from '../errors/userError';
import { sniffImageFormat } from '../image/format';
import { imageSize, type Size } from '../image/imageSize';
import { paddedSize, type Sides } from '../shared/outpaint';

export function paddedSource(png: Uint8Array | undefined, source: Size, sides: Sides): { bytes: Uint8Array; format: 'png'; size: Size } {
  const expected = paddedSize(source, sides);
  const size = png && sniffImageFormat(png) === 'png' ? imageSize(png, 'png') : undefined;
  if (!png || !size || size.width !== expected.width || size.height !== expected.height) {
    throw new UserError(`The extended canvas did not arrive as a ${expected.width}×${expected.height} PNG: choose the source again, then Generate.`);
  }
  return { bytes: png, format: 'png', size };
}
