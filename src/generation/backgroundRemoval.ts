// A transparent background for a generation's results, where the server has the rembg extension
// (imageOps/removeBackground.ts): asked of the server that made them, before they are shaped and
// saved. A request for it to a server without the extension is refused before anything is sent.
// No `vscode`.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { removeBackground } from '../imageOps/removeBackground';
import { infotextFromRequest } from '../output/infotext';
import type { SdApiClient } from '../sdapi/client';
import type { ServerIdentity } from '../sdapi/probe';
import type { GeneratedImage } from '../sdapi/types';
import type { CompletedGeneration, GenerationRequest, GenerationUpdate } from './request';
import { withParams } from './shapeOutput';

export function refuseWithoutRembg(identity: ServerIdentity, request: GenerationRequest): void {
  if (request.output?.removeBackground && !identity.capabilities.rembg)
    throw new UserError(
      l10n.t(
        '{0} has no background removal: install the rembg extension (stable-diffusion-webui-rembg, from the Extensions tab) and restart it, or generate without a transparent background.',
        identity.name,
      ),
    );
}

export async function withoutBackgrounds(
  client: SdApiClient,
  identity: ServerIdentity,
  request: GenerationRequest,
  done: CompletedGeneration,
  onUpdate: (update: GenerationUpdate) => void,
  signal: AbortSignal,
): Promise<CompletedGeneration> {
  const choice = request.output?.removeBackground;
  if (!choice) return done;
  const images: GeneratedImage[] = [];
  for (const [index, image] of done.result.images.entries()) {
    onUpdate({
      message:
        done.result.images.length > 1
          ? l10n.t('Removing the backgrounds… ({0} of {1})', index + 1, done.result.images.length)
          : l10n.t('Removing the background…'),
    });
    const name = done.result.images.length > 1 ? l10n.t('Image {0}', index + 1) : l10n.t('The image');
    const clear = await removeBackground(client, identity, { bytes: image.bytes, name }, choice, signal);
    const infotext = image.infotext ?? infotextFromRequest(done.parameters, image.seed);
    // l10n-exempt: an infotext key.
    images.push({ ...clear, seed: image.seed, infotext: withParams(infotext, [['Background removed', choice.model]]) });
  }
  return { ...done, result: { ...done.result, images } };
}
