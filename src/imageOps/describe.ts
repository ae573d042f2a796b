// Describe an image: the server's interrogator (CLIP's sentence or DeepBooru's tags), for a
// prompt or an image's alt text. No `vscode` here.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import type { SdApiClient } from '../sdapi/client';
import type { ServerIdentity } from '../sdapi/probe';

export type Interrogator = 'clip' | 'deepdanbooru';

export async function describeImage(
  client: SdApiClient,
  identity: ServerIdentity,
  bytes: Uint8Array,
  model: Interrogator,
  signal?: AbortSignal,
): Promise<string> {
  if (!identity.capabilities.interrogate) {
    throw new UserError(l10n.t('{0} cannot describe images (it has no /sdapi/v1/interrogate): use an A1111 or Forge server for this.', identity.name));
  }
  const caption = (await client.interrogate(Buffer.from(bytes).toString('base64'), model, signal)).trim();
  if (!caption) throw new UserError(l10n.t('The server found nothing to say about this image: try the other interrogator.'));
  return caption;
}
