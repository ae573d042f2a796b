// A1111 1.9 split "DPM++ 2M Karras" into sampler "DPM++ 2M" + scheduler "Karras" and answers the
// old combined names with 404; 1.8 and older only know combined names and ignore `scheduler`.
// Users and saved settings use both spellings, so we translate to what the server lists.

import { SdApiError } from './errors';
import type { Sampler, Scheduler } from './types';

export interface SamplerCatalog {
  samplers: Sampler[];
  /** Undefined on servers without GET /sdapi/v1/schedulers (combined sampler names). */
  schedulers?: Scheduler[];
}

export interface SamplerRequest {
  sampler: string;
  scheduler?: string;
}

export interface SamplerChoice {
  sampler_name: string;
  scheduler?: string;
  /** Set when part of the request could not be honoured (said in the log, not an error). */
  note?: string;
}

const AUTOMATIC = 'automatic';

function same(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

function findSampler(catalog: SamplerCatalog, name: string): Sampler | undefined {
  return catalog.samplers.find((s) => same(s.name, name)) ?? catalog.samplers.find((s) => s.aliases.some((a) => same(a, name)));
}

function findScheduler(schedulers: Scheduler[], name: string): Scheduler | undefined {
  return schedulers.find((s) => same(s.label, name) || same(s.name, name));
}

function unknown(field: 'sampler_name' | 'scheduler', value: string, offered: string[]): SdApiError {
  const list = offered.slice(0, 12).join(', ') + (offered.length > 12 ? ', …' : '');
  const what = field === 'sampler_name' ? 'sampler' : 'scheduler';
  return new SdApiError(
    'validation',
    `The server has no ${what} "${value}": choose one it offers (${list}).`,
    {},
    [{ field, message: `unknown ${what} "${value}"` }],
  );
}

export function resolveSampler(request: SamplerRequest, catalog: SamplerCatalog): SamplerChoice {
  const sampler = request.sampler.trim();
  const scheduler = request.scheduler?.trim() ?? '';
  if (catalog.samplers.length === 0 || sampler === '') {
    // Nothing to check against (or nothing asked): let the server apply its defaults.
    return sampler === '' ? { sampler_name: '' } : { sampler_name: sampler, ...(scheduler && catalog.schedulers ? { scheduler } : {}) };
  }
  return catalog.schedulers ? resolveForSplitServer(sampler, scheduler, catalog, catalog.schedulers) : resolveForCombinedServer(sampler, scheduler, catalog);
}

function resolveForSplitServer(sampler: string, scheduler: string, catalog: SamplerCatalog, schedulers: Scheduler[]): SamplerChoice {
  const direct = findSampler(catalog, sampler);
  if (direct) {
    if (scheduler === '') return { sampler_name: direct.name };
    const known = findScheduler(schedulers, scheduler);
    if (!known) throw unknown('scheduler', scheduler, schedulers.map((s) => s.label));
    return { sampler_name: direct.name, scheduler: known.label };
  }
  // A combined name: the scheduler is its last word(s), e.g. "SGM Uniform" or "Align Your Steps".
  for (const candidate of schedulers) {
    for (const spelling of [candidate.label, candidate.name]) {
      if (sampler.length > spelling.length + 1 && same(sampler.slice(-spelling.length), spelling) && sampler[sampler.length - spelling.length - 1] === ' ') {
        const base = findSampler(catalog, sampler.slice(0, -spelling.length - 1).trim());
        if (base) return { sampler_name: base.name, scheduler: candidate.label };
      }
    }
  }
  throw unknown('sampler_name', sampler, catalog.samplers.map((s) => s.name));
}

function resolveForCombinedServer(sampler: string, scheduler: string, catalog: SamplerCatalog): SamplerChoice {
  const wantsScheduler = scheduler !== '' && !same(scheduler, AUTOMATIC);
  if (wantsScheduler) {
    const combined = findSampler(catalog, `${sampler} ${scheduler}`);
    if (combined) return { sampler_name: combined.name };
  }
  const direct = findSampler(catalog, sampler);
  if (!direct) throw unknown('sampler_name', sampler, catalog.samplers.map((s) => s.name));
  return wantsScheduler
    ? { sampler_name: direct.name, note: `This server has no separate schedulers and no sampler "${sampler} ${scheduler}"; used "${direct.name}".` }
    : { sampler_name: direct.name };
}
