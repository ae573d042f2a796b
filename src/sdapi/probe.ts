// What kind of A1111-compatible server answers, and what it offers, from its own cheap answers
// (no model load, no generation). Later features ask the capabilities, never the kind: the kind
// is for people (Test Connection, the README's table). probeServer asks; identify decides.

import * as l10n from '@vscode/l10n';
import type { SdApiClient } from './client';
import { isRecord } from './parse';

export type ServerKind = 'a1111' | 'a1111-legacy' | 'forge' | 'sdnext' | 'koboldcpp' | 'sdcpp' | 'unknown';

export interface ServerCapabilities {
  /** A scheduler list in A1111's shape, and the `scheduler` request field. */
  schedulers: boolean;
  /** `GET /sdapi/v1/progress`: steps, time left, live previews. */
  progress: boolean;
  /** `POST /sdapi/v1/interrupt`: a running job can be stopped. */
  interrupt: boolean;
  /** `POST /sdapi/v1/options` switches the checkpoint (emulators serve one model). */
  modelSwitch: boolean;
  /** `info` names the seeds used: without it the client must choose and send the seed itself. */
  reportsSeeds: boolean;
  /** `force_task_id` + `POST /internal/progress`: our own job's place in the queue and its progress on a shared server. */
  taskProgress: boolean;
  upscalers: boolean;
  /** `POST /sdapi/v1/extra-single-image`: upscale an image (emulators list upscalers without it). */
  upscale: boolean;
  /** txt2img takes `enable_hr` and `hr_upscaler` (its OpenAPI schema says so): hires fix. */
  hiresFix: boolean;
  /** txt2img takes `tiling`: seamless textures. */
  tiling: boolean;
  /** Requests take `override_settings`: server options for one request (CLIP skip). */
  overrideSettings: boolean;
  /** A VAE can be chosen per request (how: ServerIdentity.vaeBy). */
  vae: boolean;
  /** txt2img takes `refiner_checkpoint` and `refiner_switch_at`. */
  refiner: boolean;
  /** Requests take `distilled_cfg_scale` (Forge): the guidance Flux models are distilled with. */
  distilledCfg: boolean;
  loras: boolean;
  embeddings: boolean;
  styles: boolean;
  pngInfo: boolean;
  interrogate: boolean;
  controlnet: boolean;
  rembg: boolean;
}

export const CAPABILITY_NAMES: readonly (keyof ServerCapabilities)[] = [
  'schedulers',
  'progress',
  'interrupt',
  'modelSwitch',
  'reportsSeeds',
  'taskProgress',
  'upscalers',
  'upscale',
  'hiresFix',
  'tiling',
  'overrideSettings',
  'vae',
  'refiner',
  'distilledCfg',
  'loras',
  'embeddings',
  'styles',
  'pngInfo',
  'interrogate',
  'controlnet',
  'rembg',
];

/** Controls of one model family (Flux): a server without them is not "missing" anything for other models. */
export const MODEL_FAMILY_CAPABILITIES: ReadonlySet<keyof ServerCapabilities> = new Set(['distilledCfg']);

export interface ServerIdentity {
  kind: ServerKind;
  /** For people: "A1111 1.9 or later", "SD.Next (2026-07-01)", "koboldcpp 1.77". */
  name: string;
  capabilities: ServerCapabilities;
  /**
   * How a VAE is chosen for one request: the `sd_vae` option from `/sd-vae` (A1111, SD.Next), or
   * Forge's `forge_additional_modules` from `/sd-modules` (VAE and text encoders by file).
   */
  vaeBy?: 'sd_vae' | 'modules';
}

/** What the client saw; every field is absent when the route did not answer. */
export interface ProbeAnswers {
  /** The paths of `GET /openapi.json` (FastAPI servers: A1111, Forge, SD.Next). */
  openApiPaths?: readonly string[] | undefined;
  /** The fields of txt2img's request schema in that description. */
  txt2imgFields?: readonly string[] | undefined;
  /** `GET /sdapi/v1/version` (SD.Next). */
  sdnextVersion?: Record<string, unknown> | undefined;
  /** `GET /api/extra/version` (koboldcpp). */
  koboldVersion?: Record<string, unknown> | undefined;
  /** `GET /sdcpp/v1/capabilities` (the stable-diffusion.cpp server). */
  sdcppCapabilities?: Record<string, unknown> | undefined;
  /** `GET /sdapi/v1/schedulers` answered with A1111's shape (a `label` per entry). */
  labelledSchedulers?: boolean;
  /** `GET /sdapi/v1/progress` answered. */
  progress?: boolean;
}

const NONE: ServerCapabilities = {
  schedulers: false,
  progress: false,
  interrupt: false,
  modelSwitch: false,
  reportsSeeds: true,
  taskProgress: false,
  upscalers: false,
  upscale: false,
  hiresFix: false,
  tiling: false,
  overrideSettings: false,
  vae: false,
  refiner: false,
  distilledCfg: false,
  loras: false,
  embeddings: false,
  styles: false,
  pngInfo: false,
  interrogate: false,
  controlnet: false,
  rembg: false,
};

/**
 * Asks the server a few GETs (at most four): its OpenAPI description where it has one (A1111,
 * Forge, SD.Next), else the emulators' own version routes; A1111's labelled schedulers; progress
 * only when nothing else told. A route that is not there is an answer; a refused login is thrown.
 */
export async function probeServer(client: Pick<SdApiClient, 'getIfPresent'>, signal?: AbortSignal): Promise<ServerIdentity> {
  const get = (path: string, root = false) => client.getIfPresent(path, { root, signal });
  const record = (value: unknown) => (isRecord(value) ? value : undefined);
  const answers: ProbeAnswers = {};
  const openApi = await get('/openapi.json', true);
  if (isRecord(openApi) && isRecord(openApi.paths)) {
    answers.openApiPaths = Object.keys(openApi.paths);
    answers.txt2imgFields = txt2imgFields(openApi);
  }
  const paths = answers.openApiPaths;
  if (paths?.includes('/sdapi/v1/version')) answers.sdnextVersion = record(await get('/version'));
  if (!paths) {
    answers.koboldVersion = record(await get('/api/extra/version', true));
    if (!answers.koboldVersion) answers.sdcppCapabilities = record(await get('/sdcpp/v1/capabilities', true));
  }
  if (!answers.koboldVersion && (paths?.includes('/sdapi/v1/schedulers') ?? true)) {
    const schedulers = await get('/schedulers');
    answers.labelledSchedulers = Array.isArray(schedulers) && schedulers.length > 0 && schedulers.every((s) => isRecord(s) && typeof s.label === 'string');
  }
  if (!paths && !answers.koboldVersion && !answers.sdcppCapabilities) answers.progress = (await get('/progress?skip_current_image=true')) !== undefined;
  return identify(answers);
}

export function identify(answers: ProbeAnswers): ServerIdentity {
  const labelled = answers.labelledSchedulers === true;
  if (answers.koboldVersion) {
    const version = typeof answers.koboldVersion.version === 'string' ? ` ${answers.koboldVersion.version}` : '';
    // One fixed model and sampler list, no job state, and `info` is "" (koboldcpp.py).
    return { kind: 'koboldcpp', name: `koboldcpp${version}`, capabilities: { ...NONE, reportsSeeds: false } };
  }
  if (answers.sdcppCapabilities) {
    return { kind: 'sdcpp', name: l10n.t('stable-diffusion.cpp server'), capabilities: { ...NONE, schedulers: labelled, upscalers: true, loras: true } };
  }
  const paths = answers.openApiPaths;
  if (!paths) {
    // A server that does not describe itself: what it answered, and A1111's usual routes.
    return {
      kind: 'unknown',
      name: l10n.t('an A1111-compatible server'),
      capabilities: { ...NONE, schedulers: labelled, progress: answers.progress === true, interrupt: answers.progress === true, modelSwitch: true },
    };
  }
  const has = (path: string) => paths.includes(path);
  const fields = answers.txt2imgFields ?? [];
  // Forge lists modules instead of VAEs, and takes them as files in forge_additional_modules.
  const vaeBy: Pick<ServerIdentity, 'vaeBy'> = has('/sdapi/v1/sd-modules') ? { vaeBy: 'modules' } : has('/sdapi/v1/sd-vae') ? { vaeBy: 'sd_vae' } : {};
  const capabilities: ServerCapabilities = {
    schedulers: labelled && has('/sdapi/v1/schedulers'),
    progress: has('/sdapi/v1/progress'),
    interrupt: has('/sdapi/v1/interrupt'),
    modelSwitch: has('/sdapi/v1/options'),
    reportsSeeds: true,
    // SD.Next has its own task model and no force_task_id.
    taskProgress: has('/internal/progress') && !has('/sdapi/v1/version'),
    upscalers: has('/sdapi/v1/upscalers'),
    upscale: has('/sdapi/v1/extra-single-image'),
    hiresFix: fields.includes('enable_hr') && fields.includes('hr_upscaler'),
    tiling: fields.includes('tiling'),
    overrideSettings: fields.includes('override_settings'),
    vae: (has('/sdapi/v1/sd-vae') || has('/sdapi/v1/sd-modules')) && fields.includes('override_settings'),
    refiner: fields.includes('refiner_checkpoint') && fields.includes('refiner_switch_at'),
    distilledCfg: fields.includes('distilled_cfg_scale'),
    loras: has('/sdapi/v1/loras'),
    embeddings: has('/sdapi/v1/embeddings'),
    styles: has('/sdapi/v1/prompt-styles'),
    pngInfo: has('/sdapi/v1/png-info'),
    interrogate: has('/sdapi/v1/interrogate'),
    controlnet: paths.some((path) => path.startsWith('/controlnet/')),
    rembg: has('/rembg'),
  };
  if (answers.sdnextVersion || has('/sdapi/v1/version')) {
    const updated = typeof answers.sdnextVersion?.updated === 'string' ? ` (${answers.sdnextVersion.updated})` : '';
    return { kind: 'sdnext', name: `SD.Next${updated}`, capabilities, ...vaeBy };
  }
  // l10n-exempt: a product name.
  if (has('/sdapi/v1/sd-modules')) return { kind: 'forge', name: 'Forge', capabilities, ...vaeBy };
  if (has('/sdapi/v1/schedulers')) return { kind: 'a1111', name: l10n.t('A1111 1.9 or later'), capabilities, ...vaeBy };
  return { kind: 'a1111-legacy', name: l10n.t('A1111 1.8 or earlier (or Forge Classic)'), capabilities, ...vaeBy };
}

/** "schedulers, progress, … ; not: interrupt, …" for the log and Test Connection's details. */
export function describeCapabilities(capabilities: ServerCapabilities): string {
  const has = CAPABILITY_NAMES.filter((name) => capabilities[name]);
  const lacks = CAPABILITY_NAMES.filter((name) => !capabilities[name]);
  return `${has.join(', ') || 'none'}${lacks.length > 0 ? `; not: ${lacks.join(', ')}` : ''}`;
}

/** The request fields txt2img's schema names (`$ref`'d from the route, as FastAPI writes it). */
function txt2imgFields(openApi: Record<string, unknown>): string[] {
  const route = (openApi.paths as Record<string, unknown>)['/sdapi/v1/txt2img'];
  const schema = dig(route, 'post', 'requestBody', 'content', 'application/json', 'schema');
  const ref = isRecord(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
  const name = ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
  const properties = name === undefined ? undefined : dig(openApi, 'components', 'schemas', name, 'properties');
  return isRecord(properties) ? Object.keys(properties) : [];
}

function dig(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) at = isRecord(at) ? at[key] : undefined;
  return at;
}
