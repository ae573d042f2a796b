// Removing an image's background on the server, where it has the rembg extension
// (stable-diffusion-webui-rembg, `POST /rembg`), and checking that what came back really has
// transparency (the server encodes it in its own samples_format: a JPEG would have none). No `vscode`.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { toBase64, type ImageFormat } from '../image/format';
import type { SdApiClient } from '../sdapi/client';
import type { ServerIdentity } from '../sdapi/probe';
import { REMBG_MODELS } from '../shared/outputShape';

export { REMBG_MODELS };

export interface RemoveBackgroundChoice {
  model: string;
  /** Finer edges (hair, fur), slower: rembg's alpha matting with the extension's defaults. */
  alphaMatting: boolean;
}

export async function removeBackground(
  client: SdApiClient,
  identity: ServerIdentity,
  source: { bytes: Uint8Array; name: string },
  choice: RemoveBackgroundChoice,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; format: ImageFormat }> {
  if (!identity.capabilities.rembg) {
    throw new UserError(
      l10n.t(
        '{0} has no background removal: install the rembg extension (stable-diffusion-webui-rembg, from the Extensions tab), restart it, then try again.',
        identity.name,
      ),
    );
  }
  if (!(REMBG_MODELS as readonly string[]).includes(choice.model))
    throw new UserError(l10n.t('"{0}" is not a rembg model: choose one of {1}.', choice.model, REMBG_MODELS.join(', ')));
  const result = await client.removeBackground(
    {
      input_image: toBase64(source.bytes),
      model: choice.model,
      alpha_matting: choice.alphaMatting,
      // The extension's own defaults, sent so the request says what it asks.
      alpha_matting_foreground_threshold: 240,
      alpha_matting_background_threshold: 10,
      alpha_matting_erode_size: 10,
    },
    signal,
  );
  if (!hasAlpha(result.bytes, result.format)) {
    throw new UserError(
      l10n.t(
        'The server sent {0} back as {1} without transparency: set its image format (Settings → Saving images → samples_format) to png, then try again.',
        source.name,
        result.format.toUpperCase(),
      ),
    );
  }
  return result;
}

/** Whether an image can hold transparency, from its header: PNG colour type or tRNS, WebP's alpha flags. */
export function hasAlpha(bytes: Uint8Array, format: ImageFormat): boolean {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') return view.length > 25 && (view[25] === 4 || view[25] === 6 || view.includes(Buffer.from('tRNS', 'latin1')));
  if (format === 'webp') {
    const chunk = view.toString('latin1', 12, 16);
    if (chunk === 'VP8X') return ((view[20] ?? 0) & 0x10) !== 0;
    if (chunk === 'VP8L') return (((view[24] ?? 0) >> 4) & 1) === 1;
  }
  return false;
}
