// The server's sampler catalog and the request's sampler/scheduler fields. The naming rules
// (splitting "DPM++ 2M Karras", spellings, "Automatic") are in shared/samplerNames.ts, which
// the panel uses too; this module turns a refusal into the API error the user sees.

import * as l10n from '@vscode/l10n';
import { resolveSamplerNames, type SamplerChoice, type SamplerWish } from '../shared/samplerNames';
import { SdApiError } from './errors';
import type { Sampler, Scheduler } from './types';

export type { SamplerChoice };

export interface SamplerCatalog {
  samplers: Sampler[];
  /** Undefined on servers without GET /sdapi/v1/schedulers (combined sampler names). */
  schedulers?: Scheduler[] | undefined;
}

/** What to send for the user's sampler and scheduler; a validation SdApiError for a name with no plausible match. */
export function resolveSampler(wish: SamplerWish, catalog: SamplerCatalog): SamplerChoice {
  const resolved = resolveSamplerNames(wish, catalog);
  if (resolved.ok) return resolved.choice;
  const { field, value, offered } = resolved;
  const list = offered.slice(0, 12).join(', ') + (offered.length > 12 ? ', …' : '');
  const message =
    field === 'sampler_name'
      ? l10n.t('The server has no sampler "{0}": choose one it offers ({1}).', value, list)
      : l10n.t('The server has no scheduler "{0}": choose one it offers ({1}).', value, list);
  const short = field === 'sampler_name' ? l10n.t('unknown sampler "{0}"', value) : l10n.t('unknown scheduler "{0}"', value);
  throw new SdApiError('validation', message, {}, [{ field, message: short }]);
}
