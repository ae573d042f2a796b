import * as l10n from '@vscode/l10n';
// Which sampler and scheduler to send for what the user asked, on this server. Pure and total:
// used by the host before every request and by the panel to show the pair the server knows.
//
// Servers spell samplers differently (A1111 `DPM++ 2M` with aliases `k_dpmpp_2m`, sd.cpp
// `dpm++2m`, koboldcpp `k_euler_a`), A1111 1.9+ splits `DPM++ 2M Karras` into a sampler and a
// scheduler while older servers only know the combined names, and SD.Next lists no
// "Automatic" scheduler. The rules:
// - "Automatic" (or nothing) means "send no scheduler": the server applies its own default.
// - Names match case-, space- and punctuation-insensitively, and through the server's aliases
//   and the common spellings above.
// - A combined name is split on servers with schedulers and kept on servers without; where
//   the server lacks the scheduler part, its base sampler is used and `note` says so.
// - A scheduler chosen explicitly wins over one inside a combined sampler name.
// - Only a name with no plausible match is refused, with the names the server offers.

export interface SamplerEntry {
  name: string;
  aliases?: readonly string[];
}

export interface SchedulerEntry {
  /** A1111's id (`karras`); missing where only labels are known. */
  name?: string;
  /** What A1111 wants to receive (`Karras`). */
  label: string;
}

export interface SamplerLists {
  samplers: readonly SamplerEntry[];
  /** Undefined on servers without schedulers (one list of combined names). */
  schedulers?: readonly SchedulerEntry[] | undefined;
}

export interface SamplerWish {
  sampler: string;
  scheduler?: string;
}

export interface SamplerChoice {
  /** '' sends no sampler (the server's default). */
  sampler_name: string;
  /** Undefined sends no scheduler (the server's default for the sampler). */
  scheduler?: string;
  /** Set when part of the wish could not be honoured (for the log and the status bar). */
  note?: string;
}

export type SamplerResolution = { ok: true; choice: SamplerChoice } | { ok: false; field: 'sampler_name' | 'scheduler'; value: string; offered: string[] };

// l10n-exempt: scheduler labels as servers list them.
export const AUTOMATIC_SCHEDULER = 'Automatic';

/**
 * Scheduler labels of A1111 1.10 (`modules/sd_schedulers.py`): a name ending in one of them is
 * a combined name even on a server that lists other schedulers or none.
 */
// l10n-exempt: scheduler labels as servers list them.
export const KNOWN_SCHEDULERS: readonly string[] = [
  'Uniform',
  'Karras',
  'Exponential',
  'Polyexponential',
  'SGM Uniform',
  'KL Optimal',
  'Align Your Steps',
  'Simple',
  'Normal',
  'DDIM',
  'Beta',
];

/** `DPM++ 2M`, `dpm++2m`, `k_dpmpp_2m`, `sample_dpmpp_2m` -> `dpm++2m`; `euler_ancestral`, `k_euler_a` -> `eulera`. */
export function samplerKey(name: string): string {
  return name
    .toLowerCase()
    .trim()
    .replace(/^(k_|sample_)/, '')
    .replace(/dpmpp/g, 'dpm++')
    .replace(/[^a-z0-9+]/g, '')
    .replace(/ancestral$/, 'a');
}

function isKnownScheduler(name: string): boolean {
  return KNOWN_SCHEDULERS.some((label) => samplerKey(label) === samplerKey(name));
}

function isAutomatic(scheduler: string): boolean {
  return scheduler === '' || samplerKey(scheduler) === 'automatic';
}

function findSampler(samplers: readonly SamplerEntry[], name: string): SamplerEntry | undefined {
  const key = samplerKey(name);
  if (key === '') return undefined;
  return samplers.find((s) => samplerKey(s.name) === key) ?? samplers.find((s) => (s.aliases ?? []).some((alias) => samplerKey(alias) === key));
}

function findScheduler(schedulers: readonly SchedulerEntry[], name: string): SchedulerEntry | undefined {
  const key = samplerKey(name);
  return schedulers.find((s) => samplerKey(s.label) === key || (s.name !== undefined && samplerKey(s.name) === key));
}

/** `DPM++ 2M Karras` -> base `DPM++ 2M` (as the server lists it) + `Karras`, for every scheduler spelling known. */
function splitCombined(name: string, lists: SamplerLists): { base: SamplerEntry; scheduler: string } | undefined {
  const spellings = new Set<string>(KNOWN_SCHEDULERS);
  for (const s of lists.schedulers ?? []) {
    spellings.add(s.label);
    if (s.name) spellings.add(s.name);
  }
  // Longest first: "SGM Uniform" before "Uniform".
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) {
    const words = spelling.split(/[\s_]+/).length;
    const parts = name.trim().split(/[\s_]+/);
    if (parts.length <= words) continue;
    if (samplerKey(parts.slice(-words).join(' ')) !== samplerKey(spelling)) continue;
    const base = findSampler(lists.samplers, parts.slice(0, -words).join(' '));
    if (base) return { base, scheduler: spelling };
  }
  return undefined;
}

export function resolveSamplerNames(wish: SamplerWish, lists: SamplerLists): SamplerResolution {
  const sampler = wish.sampler.trim();
  const scheduler = (wish.scheduler ?? '').trim();
  const wantsScheduler = !isAutomatic(scheduler);
  if (lists.samplers.length === 0) {
    // Nothing to check against: the server judges.
    const passScheduler = wantsScheduler && lists.schedulers !== undefined;
    return { ok: true, choice: { sampler_name: sampler, ...(passScheduler ? { scheduler } : {}) } };
  }
  if (sampler === '') {
    // No sampler asked for: the server's default sampler, with the scheduler checked as usual.
    if (!wantsScheduler || !lists.schedulers) return ok('', undefined, []);
    const known = findScheduler(lists.schedulers, scheduler);
    if (known) return ok('', known.label, []);
    return isKnownScheduler(scheduler)
      ? ok('', undefined, [l10n.t('this server has no scheduler "{0}"', scheduler)])
      : refuse(
          'scheduler',
          scheduler,
          lists.schedulers.map((s) => s.label),
        );
  }
  return lists.schedulers
    ? forSplitServer(sampler, scheduler, wantsScheduler, lists, lists.schedulers)
    : forCombinedServer(sampler, scheduler, wantsScheduler, lists);
}

function forSplitServer(
  sampler: string,
  scheduler: string,
  wantsScheduler: boolean,
  lists: SamplerLists,
  schedulers: readonly SchedulerEntry[],
): SamplerResolution {
  const direct = findSampler(lists.samplers, sampler);
  const combined = direct ? undefined : splitCombined(sampler, lists);
  const base = direct ?? combined?.base;
  if (!base)
    return refuse(
      'sampler_name',
      sampler,
      lists.samplers.map((s) => s.name),
    );
  const notes: string[] = [];
  let wanted: string | undefined;
  if (wantsScheduler) {
    wanted = scheduler;
    if (combined && samplerKey(combined.scheduler) !== samplerKey(scheduler))
      notes.push(l10n.t('the chosen scheduler "{0}" replaces "{1}"', scheduler, combined.scheduler));
  } else if (combined) {
    wanted = combined.scheduler;
  }
  if (wanted === undefined) return ok(base.name, undefined, notes);
  const known = findScheduler(schedulers, wanted);
  if (known) return ok(base.name, known.label, notes);
  if (!isKnownScheduler(wanted))
    return refuse(
      'scheduler',
      wanted,
      schedulers.map((s) => s.label),
    );
  notes.push(l10n.t('this server has no scheduler "{0}"; used "{1}" with the server\'s default schedule', wanted, base.name));
  return ok(base.name, undefined, notes);
}

function forCombinedServer(sampler: string, scheduler: string, wantsScheduler: boolean, lists: SamplerLists): SamplerResolution {
  if (wantsScheduler) {
    const together = findSampler(lists.samplers, `${sampler} ${scheduler}`);
    if (together) return ok(together.name, undefined, []);
  }
  const direct = findSampler(lists.samplers, sampler);
  if (direct) {
    return ok(
      direct.name,
      undefined,
      wantsScheduler ? [l10n.t('this server has no separate schedulers and no sampler "{0} {1}"; used "{2}"', sampler, scheduler, direct.name)] : [],
    );
  }
  const combined = splitCombined(sampler, lists);
  if (combined) return ok(combined.base.name, undefined, [l10n.t('this server has no sampler "{0}"; used "{1}"', sampler, combined.base.name)]);
  return refuse(
    'sampler_name',
    sampler,
    lists.samplers.map((s) => s.name),
  );
}

function ok(samplerName: string, scheduler: string | undefined, notes: string[]): SamplerResolution {
  const note = notes.length > 0 ? `${capitalize(notes.join('; '))}.` : undefined;
  return { ok: true, choice: { sampler_name: samplerName, ...(scheduler !== undefined ? { scheduler } : {}), ...(note ? { note } : {}) } };
}

function refuse(field: 'sampler_name' | 'scheduler', value: string, offered: string[]): SamplerResolution {
  return { ok: false, field, value, offered };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The sampler and scheduler the panel's form shows for a wish, as this server lists them
 * (`DPM++ 2M Karras` -> `DPM++ 2M` + `Karras`); the wish unchanged when nothing matches, so
 * the form can mark it as not on this server.
 */
export function formPairFor(wish: SamplerWish, lists: SamplerLists): { sampler: string; scheduler: string } {
  const resolved = resolveSamplerNames(wish, lists);
  if (!resolved.ok) return { sampler: wish.sampler, scheduler: wish.scheduler ?? AUTOMATIC_SCHEDULER };
  const { sampler_name: sampler, scheduler } = resolved.choice;
  if (!lists.schedulers) return { sampler, scheduler: wish.scheduler ?? AUTOMATIC_SCHEDULER };
  const automatic = lists.schedulers.find((s) => isAutomatic(s.label))?.label ?? AUTOMATIC_SCHEDULER;
  return { sampler, scheduler: scheduler ?? automatic };
}
