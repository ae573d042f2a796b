// Upscaling one image on the server (the extras tab's route), and what the result keeps: the
// source's generation parameters, and what was done to it (`postprocessing`, as A1111 writes
// it), so Show Generation Parameters and Regenerate still work on the larger file. No `vscode`.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import type { ImageFormat } from '../image/format';
import { addPngText, readPngText } from '../image/pngText';
import { readStoredParameters } from '../metadata/imageMetadata';
import type { SdApiClient } from '../sdapi/client';
import type { ServerIdentity } from '../sdapi/probe';
import type { Upscaler } from '../sdapi/types';

export interface UpscaleChoice {
  upscaler: string;
  /** How many times larger, 1 < factor ≤ 8. */
  factor: number;
  /** A second upscaler blended in at this visibility (0..1), as the extras tab offers. */
  second?: { upscaler: string; visibility: number } | undefined;
}

export interface UpscaledImage {
  bytes: Uint8Array;
  format: ImageFormat;
  /** "Postprocess upscale by: 2, Postprocess upscaler: R-ESRGAN 4x+". */
  postprocessing: string;
}

export const MAX_FACTOR = 8;

/** The upscalers worth offering: "None" upscales nothing. */
export function offeredUpscalers(upscalers: readonly Upscaler[]): Upscaler[] {
  return upscalers.filter((upscaler) => upscaler.name !== 'None');
}

/** Checks a choice against the server's list before anything is sent; a sentence when it cannot be made. */
export function checkChoice(choice: UpscaleChoice, upscalers: readonly Upscaler[]): void {
  const names = offeredUpscalers(upscalers).map((u) => u.name);
  for (const name of [choice.upscaler, ...(choice.second ? [choice.second.upscaler] : [])]) {
    if (!names.includes(name)) throw new UserError(l10n.t('The server has no upscaler "{0}": choose one of {1}.', name, names.join(', ')));
  }
  if (!(choice.factor > 1 && choice.factor <= MAX_FACTOR))
    throw new UserError(l10n.t('The factor must be more than 1 and at most {0} (2 doubles the width and height).', MAX_FACTOR));
  if (choice.second && !(choice.second.visibility > 0 && choice.second.visibility <= 1))
    throw new UserError(l10n.t('The second upscaler needs a visibility above 0 and at most 1.'));
}

export async function upscaleImage(
  client: SdApiClient,
  identity: ServerIdentity,
  source: { bytes: Uint8Array; format: ImageFormat },
  choice: UpscaleChoice,
  signal?: AbortSignal,
): Promise<UpscaledImage> {
  if (!identity.capabilities.upscale) {
    throw new UserError(
      l10n.t('{0} cannot upscale images (it has no /sdapi/v1/extra-single-image): use an A1111, Forge or SD.Next server for this.', identity.name),
    );
  }
  const result = await client.upscale(
    {
      image: Buffer.from(source.bytes).toString('base64'),
      upscaler_1: choice.upscaler,
      upscaling_resize: choice.factor,
      ...(choice.second ? { upscaler_2: choice.second.upscaler, extras_upscaler_2_visibility: choice.second.visibility } : {}),
    },
    signal,
  );
  // l10n-exempt: the image's own record, as A1111 writes it.
  const postprocessing = [
    `Postprocess upscale by: ${choice.factor}`,
    `Postprocess upscaler: ${choice.upscaler}`,
    ...(choice.second ? [`Postprocess upscaler 2: ${choice.second.upscaler}`] : []),
  ].join(', ');
  return { ...result.image, bytes: keepMetadata(result.image.bytes, result.image.format, source.bytes, postprocessing), postprocessing };
}

/** A PNG result gets what the server left out: the source's parameters, and what was done. */
function keepMetadata(bytes: Uint8Array, format: ImageFormat, source: Uint8Array, postprocessing: string): Uint8Array {
  if (format !== 'png') return bytes;
  const text = readPngText(bytes);
  let kept = bytes;
  const parameters = readStoredParameters(source)?.text;
  if (parameters && !text.has('parameters')) kept = addPngText(kept, 'parameters', parameters);
  if (!text.has('postprocessing')) kept = addPngText(kept, 'postprocessing', postprocessing);
  return kept;
}
