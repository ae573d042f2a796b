// Runtime checks of response bodies. The server is another program: every field is checked
// before use, and missing optional fields (koboldcpp, SD.Next, sd.cpp) are tolerated.

import * as l10n from '@vscode/l10n';
import { decodeBase64, sniffImageFormat, type ImageFormat } from '../image/format';
import { SdApiError } from './errors';
import { StreamedImage } from './generationBody';
import type {
  GeneratedImage,
  GenerationInfo,
  GenerationResult,
  Progress,
  Sampler,
  Scheduler,
  SdModel,
  ServerOptions,
  TaskProgress,
  Upscaler,
  UpscaleResult,
  Lora,
  PromptStyle,
} from './types';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badShape(what: string, endpoint: string): SdApiError {
  return new SdApiError(
    'badResponse',
    l10n.t("The server's answer to {0} is not in the expected format ({1}): check that the URL points to an AUTOMATIC1111-compatible server.", endpoint, what),
    { endpoint },
  );
}

/** `info` is a JSON *string* on A1111, an object on a few proxies, `""` on koboldcpp. */
export function parseInfo(info: unknown): GenerationInfo {
  if (isRecord(info)) return info;
  if (typeof info !== 'string' || info.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(info);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function numberArray(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? value : undefined;
}

function noImages(endpoint: string): SdApiError {
  const message = l10n.t('The server finished but sent no images: check the server console (an extension or script may have dropped them).');
  return new SdApiError('noImages', message, { endpoint });
}

export function parseGenerationResponse(body: unknown, endpoint: string): GenerationResult {
  if (!isRecord(body)) throw badShape(l10n.t('not a JSON object'), endpoint);
  const { images } = body;
  if (images === undefined || images === null) {
    throw noImages(endpoint);
  }
  if (!Array.isArray(images)) throw badShape(l10n.t('"images" is not a list'), endpoint);
  const info = parseInfo(body.info);
  const parameters = isRecord(body.parameters) ? body.parameters : {};

  // A grid (index 0 when the server saves images) and extension outputs (ControlNet maps) can
  // surround the real results: only images[first .. first + seeds) map to seeds and infotexts.
  const seeds = numberArray(info.all_seeds);
  const first = typeof info.index_of_first_image === 'number' && info.index_of_first_image >= 0 ? info.index_of_first_image : 0;
  const infotexts = Array.isArray(info.infotexts) ? info.infotexts : [];
  const count = seeds && first + seeds.length <= images.length ? seeds.length : images.length - first;

  const decoded: GeneratedImage[] = [];
  for (let i = 0; i < count; i++) {
    const raw: unknown = images[first + i];
    const bytes = raw instanceof StreamedImage ? raw.bytes : typeof raw === 'string' ? decodeBase64(raw) : undefined;
    const format = bytes ? sniffImageFormat(bytes) : undefined;
    if (!bytes || !format) {
      const text = raw instanceof StreamedImage ? raw.head : typeof raw === 'string' ? raw : undefined;
      throw new SdApiError(
        'notImage',
        l10n.t("Image {0} from the server is not a PNG, JPEG or WebP image: check the server's output format setting (samples_format).", i + 1),
        { endpoint, bodyExcerpt: text === undefined ? typeof raw : text.slice(0, 80) },
      );
    }
    const seed = seeds?.[i] ?? (count === 1 && typeof info.seed === 'number' ? info.seed : undefined);
    const infotext = typeof infotexts[i] === 'string' ? (infotexts[i] as string) : undefined;
    decoded.push({ bytes, format, seed, infotext });
  }
  if (decoded.length === 0) {
    throw noImages(endpoint);
  }
  return { images: decoded, info, parameters };
}

export function parseModels(body: unknown, endpoint: string): SdModel[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of models'), endpoint);
  return body
    .filter(isRecord)
    .filter((m) => typeof m.title === 'string')
    .map((m) => ({
      title: m.title as string,
      model_name: typeof m.model_name === 'string' ? m.model_name : (m.title as string),
      hash: typeof m.hash === 'string' ? m.hash : null,
      sha256: typeof m.sha256 === 'string' ? m.sha256 : null,
      filename: typeof m.filename === 'string' ? m.filename : '',
    }));
}

export function parseSamplers(body: unknown, endpoint: string): Sampler[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of samplers'), endpoint);
  return body
    .filter(isRecord)
    .filter((s) => typeof s.name === 'string')
    .map((s) => ({
      name: s.name as string,
      aliases: Array.isArray(s.aliases) ? s.aliases.filter((a): a is string => typeof a === 'string') : [],
    }));
}

/**
 * A1111's scheduler list (`{name, label}`; the stable-diffusion.cpp server's too). SD.Next
 * answers the same route with its samplers (`{name, cls}`, "── Euler ──" separators) and takes
 * no scheduler field: entries without a label are not schedulers.
 */
export function parseSchedulers(body: unknown, endpoint: string): Scheduler[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of schedulers'), endpoint);
  return body
    .filter(isRecord)
    .filter((s) => typeof s.name === 'string' && typeof s.label === 'string')
    .map((s) => ({ name: s.name as string, label: s.label as string }));
}

export function parseOptions(body: unknown, endpoint: string): ServerOptions {
  if (!isRecord(body)) throw badShape(l10n.t('expected an object of options'), endpoint);
  return body;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function parseProgress(body: unknown, endpoint: string): Progress {
  if (!isRecord(body)) throw badShape(l10n.t('expected a progress object'), endpoint);
  const state = isRecord(body.state) ? body.state : {};
  return {
    progress: Math.min(1, Math.max(0, finiteOr(body.progress, 0))),
    eta_relative: Math.max(0, finiteOr(body.eta_relative, 0)),
    state: {
      job: typeof state.job === 'string' ? state.job : undefined,
      job_timestamp: typeof state.job_timestamp === 'string' ? state.job_timestamp : undefined,
      job_count: finiteOr(state.job_count, 0),
      job_no: finiteOr(state.job_no, 0),
      sampling_step: finiteOr(state.sampling_step, 0),
      sampling_steps: finiteOr(state.sampling_steps, 0),
      interrupted: state.interrupted === true,
      skipped: state.skipped === true,
    },
    current_image: typeof body.current_image === 'string' && body.current_image !== '' ? body.current_image : null,
    textinfo: typeof body.textinfo === 'string' ? body.textinfo : null,
  };
}

export function parseTaskProgress(body: unknown, endpoint: string): TaskProgress {
  if (!isRecord(body)) throw badShape(l10n.t('expected a task progress object'), endpoint);
  const preview = typeof body.live_preview === 'string' ? body.live_preview.replace(/^data:image\/[a-z]+;base64,/, '') : '';
  return {
    active: body.active === true,
    queued: body.queued === true,
    completed: body.completed === true,
    ...(typeof body.progress === 'number' && Number.isFinite(body.progress) ? { progress: Math.min(1, Math.max(0, body.progress)) } : {}),
    ...(typeof body.eta === 'number' && Number.isFinite(body.eta) && body.eta >= 0 ? { eta: body.eta } : {}),
    ...(preview ? { livePreview: preview } : {}),
    idLivePreview: finiteOr(body.id_live_preview, -1),
    ...(typeof body.textinfo === 'string' ? { textinfo: body.textinfo } : {}),
  };
}

export function parseUpscalers(body: unknown, endpoint: string): Upscaler[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of upscalers'), endpoint);
  return body
    .filter(isRecord)
    .filter((u) => typeof u.name === 'string')
    .map((u) => ({ name: u.name as string, scale: typeof u.scale === 'number' ? u.scale : undefined }));
}

/** `{image, html_info}` of the extras routes: the image checked like a generation's. */
export function parseUpscaleResponse(body: unknown, endpoint: string): UpscaleResult {
  if (!isRecord(body)) throw badShape(l10n.t('not a JSON object'), endpoint);
  const bytes = typeof body.image === 'string' && body.image !== '' ? decodeBase64(body.image) : undefined;
  const format = bytes ? sniffImageFormat(bytes) : undefined;
  if (!bytes || !format) {
    throw new SdApiError(
      'notImage',
      l10n.t("The server's upscaled image is not a PNG, JPEG or WebP image: check the server's output format setting (samples_format)."),
      {
        endpoint,
        bodyExcerpt: typeof body.image === 'string' ? body.image.slice(0, 80) : typeof body.image,
      },
    );
  }
  const info =
    typeof body.html_info === 'string'
      ? body.html_info
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : '';
  return { image: { bytes, format }, info };
}

/** `{caption}` of /interrogate. */
export function parseCaption(body: unknown, endpoint: string): string {
  if (!isRecord(body) || typeof body.caption !== 'string') throw badShape(l10n.t('no "caption"'), endpoint);
  return body.caption;
}

export function parseLoras(body: unknown, endpoint: string): Lora[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of LoRAs'), endpoint);
  return body
    .filter(isRecord)
    .filter((l) => typeof l.name === 'string')
    .map((l) => ({ name: l.name as string, alias: typeof l.alias === 'string' && l.alias !== l.name ? l.alias : undefined }));
}

/** The names of the loaded textual inversions (`{loaded: {name: …}, skipped}`). */
export function parseEmbeddings(body: unknown, endpoint: string): string[] {
  if (!isRecord(body) || !isRecord(body.loaded)) throw badShape(l10n.t('no "loaded" embeddings'), endpoint);
  return Object.keys(body.loaded);
}

export function parseStyles(body: unknown, endpoint: string): PromptStyle[] {
  if (!Array.isArray(body)) throw badShape(l10n.t('expected a list of styles'), endpoint);
  return body
    .filter(isRecord)
    .filter((s) => typeof s.name === 'string' && s.name !== '')
    .map((s) => ({
      name: s.name as string,
      prompt: typeof s.prompt === 'string' ? s.prompt : '',
      negativePrompt: typeof s.negative_prompt === 'string' ? s.negative_prompt : '',
    }));
}

/** ControlNet's lists: `{"model_list": [...]}`, `{"module_list": [...]}` (A1111's extension and Forge's). */
export function parseNameList(body: unknown, key: 'model_list' | 'module_list', endpoint: string): string[] {
  const list = isRecord(body) ? body[key] : undefined;
  if (!Array.isArray(list)) throw badShape(`no "${key}"`, endpoint);
  return list.filter((name): name is string => typeof name === 'string' && name !== '');
}

/** The rembg extension's answer: `{"image": base64}`, or `null` when it was asked for no model. */
export function parseRembgResponse(body: unknown, endpoint: string): { bytes: Uint8Array; format: ImageFormat } {
  if (body === null) throw new SdApiError('badResponse', l10n.t('The server removed nothing: it was asked for no model ("None").'), { endpoint });
  const bytes = isRecord(body) && typeof body.image === 'string' ? decodeBase64(body.image) : undefined;
  const format = bytes ? sniffImageFormat(bytes) : undefined;
  if (!bytes || !format) throw badShape(l10n.t('"image" is not a PNG, JPEG or WebP image'), endpoint);
  return { bytes, format };
}
