// HTTP client for the A1111 `/sdapi/v1` API on undici. Knows nothing of VS Code: settings,
// secrets and UI are the caller's; every failure is thrown as an SdApiError. Over 250 lines on
// purpose: one method per route around one request path (timeouts, limits, errors).

import * as l10n from '@vscode/l10n';
import { type Dispatcher, request } from './http';
import { basicAuthHeader, type Credentials } from './auth';
import { originOf } from './baseUrl';
import { excerpt, SdApiError } from './errors';
import type { ImageFormat } from '../image/format';
import { GenerationBodyReader } from './generationBody';
import { errorForNetworkFailure, errorForStatus, looksLikeHtml } from './httpErrors';
import {
  parseGenerationResponse,
  parseModels,
  parseOptions,
  parseProgress,
  parseSamplers,
  parseSchedulers,
  parseTaskProgress,
  parseUpscalers,
  parseUpscaleResponse,
  parseCaption,
  parseEmbeddings,
  parseLoras,
  parseStyles,
  parseNameList,
  parseRembgResponse,
} from './parse';
import { probeServer, type ServerIdentity } from './probe';
import type { SamplerCatalog } from './samplers';
import type {
  GenerationResult,
  Img2ImgRequest,
  Progress,
  Sampler,
  Scheduler,
  SdModel,
  ServerOptions,
  TaskProgress,
  Txt2ImgRequest,
  Upscaler,
  ControlNetLists,
  RembgRequest,
  UpscaleRequest,
  UpscaleResult,
  Lora,
  PromptStyle,
} from './types';

export interface ClientTimeouts {
  connectSeconds: number;
  /** Quick requests: models, options, progress. */
  requestSeconds: number;
  /** Requests that last as long as a job: txt2img, img2img, switching the model. */
  generationSeconds: number;
}

export interface SdApiClientOptions {
  baseUrl: string;
  credentials?: Credentials | undefined;
  /** Shared keep-alive agent (its connect timeout applies). */
  dispatcher: Dispatcher;
  timeouts: ClientTimeouts;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes?: number | undefined;
  /** The proxy the dispatcher goes through, without its login (named in messages). */
  proxy?: string | undefined;
  /** Receives one line per request (method, path, status, size, time); never headers. */
  trace?: (line: string) => void | undefined;
}

type Duration = 'quick' | 'job';

/** Told the answer's size as it arrives; `total` is its Content-Length, when the server sends one. */
export type ReceiveListener = (received: number, total: number | undefined) => void;

/** Receives a response body chunk by chunk. */
interface BodySink {
  write(chunk: Buffer): void;
  text(): string;
}

interface CallOptions {
  method: 'GET' | 'POST';
  /** The path is from the server's root, not under /sdapi/v1 (a server's own routes, /openapi.json). */
  root?: boolean;
  body?: unknown;
  signal?: AbortSignal | undefined;
  duration: Duration;
  /** Reads the body as it arrives; by default it is collected as text. */
  sink?: BodySink | undefined;
  onReceive?: ReceiveListener | undefined;
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  bytes: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;
/** Answers that mean "no such route here" while probing (a web page stands in for a missing route on some servers). */
const ABSENT = new Set<string>(['notFound', 'noApi', 'methodNotAllowed', 'notJson', 'badResponse']);
const API = '/sdapi/v1';
/** Time allowed between two chunks of a body once the server started answering. */
const BODY_IDLE_SECONDS = 120;

export class SdApiClient {
  readonly origin: string;
  private readonly authorization: string | undefined;

  constructor(private readonly options: SdApiClientOptions) {
    this.origin = originOf(options.baseUrl);
    this.authorization = options.credentials ? basicAuthHeader(options.credentials) : undefined;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get hasCredentials(): boolean {
    return this.authorization !== undefined;
  }

  /** `onReceive` follows the answer's download once the server has finished the job. */
  txt2img(body: Txt2ImgRequest, signal?: AbortSignal, onReceive?: ReceiveListener): Promise<GenerationResult> {
    return this.generate('/txt2img', body, signal, onReceive);
  }

  img2img(body: Img2ImgRequest, signal?: AbortSignal, onReceive?: ReceiveListener): Promise<GenerationResult> {
    return this.generate('/img2img', body, signal, onReceive);
  }

  private async generate(
    path: '/txt2img' | '/img2img',
    body: Txt2ImgRequest | Img2ImgRequest,
    signal: AbortSignal | undefined,
    onReceive: ReceiveListener | undefined,
  ): Promise<GenerationResult> {
    // Images are decoded while the answer streams in (generationBody.ts).
    const reader = new GenerationBodyReader();
    const json = await this.call(path, {
      method: 'POST',
      body: { send_images: true, save_images: false, ...body },
      signal,
      duration: 'job',
      sink: reader,
      onReceive,
    });
    return parseGenerationResponse(reader.restoreImages(json), `${API}${path}`);
  }

  /** Upscales one image (the extras tab's route); as long as a job may take, and queued like one. */
  async upscale(body: UpscaleRequest, signal?: AbortSignal): Promise<UpscaleResult> {
    const json = await this.call('/extra-single-image', {
      method: 'POST',
      body: { resize_mode: 0, show_extras_results: true, ...body },
      signal,
      duration: 'job',
    });
    return parseUpscaleResponse(json, `${API}/extra-single-image`);
  }

  /** The rembg extension's background removal (its own route, outside /sdapi): as long as a job may take. */
  async removeBackground(body: RembgRequest, signal?: AbortSignal): Promise<{ bytes: Uint8Array; format: ImageFormat }> {
    return parseRembgResponse(await this.call('/rembg', { method: 'POST', body, signal, duration: 'job', root: true }), '/rembg');
  }

  /** A caption of the image (`clip`, or `deepdanbooru` tags); holds the queue lock like a job. */
  async interrogate(image: string, model: 'clip' | 'deepdanbooru', signal?: AbortSignal): Promise<string> {
    const json = await this.call('/interrogate', { method: 'POST', body: { image, model }, signal, duration: 'job' });
    return parseCaption(json, `${API}/interrogate`);
  }

  async listLoras(signal?: AbortSignal): Promise<Lora[]> {
    return parseLoras(await this.call('/loras', { method: 'GET', signal, duration: 'quick' }), `${API}/loras`);
  }

  async listEmbeddings(signal?: AbortSignal): Promise<string[]> {
    return parseEmbeddings(await this.call('/embeddings', { method: 'GET', signal, duration: 'quick' }), `${API}/embeddings`);
  }

  async listStyles(signal?: AbortSignal): Promise<PromptStyle[]> {
    return parseStyles(await this.call('/prompt-styles', { method: 'GET', signal, duration: 'quick' }), `${API}/prompt-styles`);
  }

  /** ControlNet's preprocessors and models: the extension's own routes (A1111's and Forge's), outside /sdapi. */
  async listControlNet(signal?: AbortSignal): Promise<ControlNetLists> {
    const get = (path: string) => this.call(path, { method: 'GET', signal, duration: 'quick', root: true });
    const [models, modules] = await Promise.all([get('/controlnet/model_list'), get('/controlnet/module_list')]);
    return { models: parseNameList(models, 'model_list', '/controlnet/model_list'), modules: parseNameList(modules, 'module_list', '/controlnet/module_list') };
  }

  async listUpscalers(signal?: AbortSignal): Promise<Upscaler[]> {
    return parseUpscalers(await this.call('/upscalers', { method: 'GET', signal, duration: 'quick' }), `${API}/upscalers`);
  }

  async listModels(signal?: AbortSignal): Promise<SdModel[]> {
    return parseModels(await this.call('/sd-models', { method: 'GET', signal, duration: 'quick' }), `${API}/sd-models`);
  }

  async getOptions(signal?: AbortSignal): Promise<ServerOptions> {
    return parseOptions(await this.call('/options', { method: 'GET', signal, duration: 'quick' }), `${API}/options`);
  }

  /** Blocks until a running job ends and a new checkpoint is loaded (A1111): a job-long timeout. */
  async setOptions(options: ServerOptions, signal?: AbortSignal): Promise<void> {
    await this.call('/options', { method: 'POST', body: options, signal, duration: 'job' });
  }

  async listSamplers(signal?: AbortSignal): Promise<Sampler[]> {
    return parseSamplers(await this.call('/samplers', { method: 'GET', signal, duration: 'quick' }), `${API}/samplers`);
  }

  /** Undefined when the server predates the sampler/scheduler split (404 on /schedulers). */
  async listSchedulers(signal?: AbortSignal): Promise<Scheduler[] | undefined> {
    try {
      return parseSchedulers(await this.call('/schedulers', { method: 'GET', signal, duration: 'quick' }), `${API}/schedulers`);
    } catch (error) {
      if (error instanceof SdApiError && (error.kind === 'noApi' || error.kind === 'notFound')) return undefined;
      throw error;
    }
  }

  async samplerCatalog(signal?: AbortSignal): Promise<SamplerCatalog> {
    const [samplers, schedulers] = await Promise.all([this.listSamplers(signal), this.listSchedulers(signal)]);
    // SD.Next's answer to /schedulers has no labelled entries (parseSchedulers): no split there.
    return { samplers, schedulers: schedulers && schedulers.length > 0 ? schedulers : undefined };
  }

  async progress(options: { skipCurrentImage: boolean }, signal?: AbortSignal): Promise<Progress> {
    const path = `/progress?skip_current_image=${options.skipCurrentImage}`;
    return parseProgress(await this.call(path, { method: 'GET', signal, duration: 'quick' }), `${API}/progress`);
  }

  /**
   * GET a route that may not exist: its JSON, or undefined when the server has no such route
   * (404, 405, a web page instead). Other failures, a login refused among them, are thrown.
   * `root`: the path is from the server's root, not under /sdapi/v1.
   */
  async getIfPresent(path: string, options: { root?: boolean; signal?: AbortSignal | undefined } = {}): Promise<unknown> {
    try {
      return await this.call(path, { method: 'GET', signal: options.signal, duration: 'quick', root: options.root === true });
    } catch (error) {
      if (error instanceof SdApiError && ABSENT.has(error.kind)) return undefined;
      throw error;
    }
  }

  /** What the server is and offers: sdapi/probe.ts asks. */
  probe(signal?: AbortSignal): Promise<ServerIdentity> {
    return probeServer(this, signal);
  }

  /** Where one task is (`force_task_id`): queued with its place, running with its progress, or done. */
  async taskProgress(idTask: string, options: { livePreview: boolean; idLivePreview: number }, signal?: AbortSignal): Promise<TaskProgress> {
    const body = { id_task: idTask, id_live_preview: options.idLivePreview, live_preview: options.livePreview };
    return parseTaskProgress(await this.call('/internal/progress', { method: 'POST', body, signal, duration: 'quick', root: true }), '/internal/progress');
  }

  /** Stops whatever job the server is running (A1111 has no per-job cancel). */
  async interrupt(signal?: AbortSignal): Promise<void> {
    await this.call('/interrupt', { method: 'POST', signal, duration: 'quick' });
  }

  private async call(path: string, options: CallOptions): Promise<unknown> {
    const endpoint = `${options.root ? '' : API}${path.split('?')[0]}`;
    const started = Date.now();
    const raw = await this.send(path, endpoint, options);
    this.options.trace?.(`${options.method} ${endpoint} → ${raw.status} (${formatBytes(raw.bytes)}, ${Date.now() - started} ms)`);
    if (raw.status < 200 || raw.status >= 300) {
      throw errorForStatus({
        origin: this.origin,
        endpoint,
        status: raw.status,
        contentType: raw.contentType,
        bodyText: raw.text,
        hadCredentials: this.hasCredentials,
        proxy: this.options.proxy,
      });
    }
    if (raw.text.trim() === '') return null; // SD.Next answers some POSTs with 204
    if (looksLikeHtml(raw.contentType, raw.text)) {
      throw new SdApiError(
        'notJson',
        l10n.t(
          'The server at {0} answered with a web page instead of API data: check the URL, or whether a proxy or login page stands in front of the API.',
          this.origin,
        ),
        { endpoint, status: raw.status, contentType: raw.contentType, bodyExcerpt: excerpt(raw.text) },
      );
    }
    try {
      return JSON.parse(raw.text);
    } catch (cause) {
      throw new SdApiError(
        'badResponse',
        l10n.t(
          "The server's answer to {0} is not valid JSON (it may have been cut off): try again, and check the server and any proxy in front of it.",
          endpoint,
        ),
        { endpoint, status: raw.status, contentType: raw.contentType, bodyExcerpt: excerpt(raw.text), cause },
      );
    }
  }

  private async send(path: string, endpoint: string, options: CallOptions): Promise<RawResponse> {
    const { timeouts } = this.options;
    const responseSeconds = options.duration === 'job' ? timeouts.generationSeconds : timeouts.requestSeconds;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization) headers.authorization = this.authorization;
    try {
      const response = await request(`${this.options.baseUrl}${options.root ? '' : API}${path}`, {
        method: options.method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
        dispatcher: this.options.dispatcher,
        headersTimeout: responseSeconds * 1000,
        bodyTimeout: Math.min(responseSeconds, BODY_IDLE_SECONDS) * 1000,
      });
      const contentType = String(response.headers['content-type'] ?? '');
      if (response.statusCode >= 300 && response.statusCode < 400) {
        await response.body.dump();
        throw redirected(this.origin, endpoint, response.statusCode, response.headers.location);
      }
      const sink = options.sink ?? new TextSink();
      const length = Number(response.headers['content-length']);
      const total = Number.isSafeInteger(length) && length > 0 ? length : undefined;
      const onChunk = options.onReceive && ((received: number) => options.onReceive!(received, total));
      const bytes = await readLimited(response.body, sink, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, endpoint, onChunk);
      return { status: response.statusCode, contentType, text: sink.text(), bytes };
    } catch (error) {
      throw errorForNetworkFailure({
        origin: this.origin,
        endpoint,
        error,
        timeouts: { connectSeconds: timeouts.connectSeconds, responseSeconds },
        proxy: this.options.proxy,
      });
    }
  }
}

/** Credentials must never follow a redirect, so redirects are not followed at all. */
function redirected(origin: string, endpoint: string, status: number, location: unknown): SdApiError {
  const target = typeof location === 'string' ? location : '';
  let where = l10n.t('another address');
  try {
    where = new URL(target, origin).origin;
  } catch {
    // keep the generic wording
  }
  return new SdApiError(
    'http',
    l10n.t('The server at {0} redirected the request to {1} ({2}): set the server URL to the final address with "Set Server…".', origin, where, status),
    { endpoint, status },
  );
}

class TextSink implements BodySink {
  private readonly chunks: Buffer[] = [];

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Streams the body into `sink`, stopping at `limit` bytes; returns the body's size. */
async function readLimited(
  body: Dispatcher.ResponseData['body'],
  sink: BodySink,
  limit: number,
  endpoint: string,
  onChunk?: (received: number) => void,
): Promise<number> {
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      body.destroy();
      throw new SdApiError('tooLarge', l10n.t("The server's answer is larger than {0}: generate fewer or smaller images at once.", formatBytes(limit)), {
        endpoint,
      });
    }
    sink.write(chunk as Buffer);
    onChunk?.(total);
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
