// An inpainting mask as the request sends it, checked first: a mask that covers nothing would
// repaint nothing (A1111 then returns the source unchanged, after a full job). No `vscode`.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { toBase64 } from '../image/format';
import { maskCoverage } from '../image/pngPixels';
import type { Img2ImgInput } from './payload';
import type { InpaintMask } from './request';

export function maskInput(mask: InpaintMask): NonNullable<Img2ImgInput['mask']> {
  const coverage = maskCoverage(mask.png);
  if (coverage && coverage.painted === 0) {
    throw new UserError(l10n.t('The mask covers nothing: paint over the part to repaint, or generate from the source without a mask.'));
  }
  return { base64: toBase64(mask.png), blur: mask.blur, fill: mask.fill, area: mask.area, padding: mask.padding };
}
