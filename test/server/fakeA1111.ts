// A local AUTOMATIC1111-compatible server for tests, benchmarks and the demo. It speaks the
// shapes of A1111 1.10 (and, by switch, 1.9 and 1.8): `info` as a JSON string, base64 PNGs with
// a `parameters` text chunk, pydantic-style 422, A1111-style 401/404/500, one job at a time,
// progress with a live preview, global interrupt. Faults are injected per request.

import type { Socket } from 'node:net';
import { once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { flavorRoute, hasTaskProgress, koboldSize, KOBOLD_SAMPLERS, serves, txt2imgFields, type ServerFlavor } from './dialects';
import { fingerprint, renderPicture } from './pictures';
import { canHaveControlNet, controlNetPaths, controlNetRoute, runControlNet } from './controlnet';
import { interrogate, rembg, UPSCALERS, upscale } from './extras';
import { applyStyles, EMBEDDINGS, LORAS, STYLES } from './networks';

/**
 * Which server's sampler and scheduler lists (notes/a1111-api.md §6): A1111 by version;
 * SD.Next (its /schedulers answers its sampler list with separator entries, `scheduler` is
 * ignored, unknown samplers are 404); stable-diffusion.cpp's server (its own spellings such as
 * `dpm++2m`, schedulers `{name, label}` without "Automatic", unknown names 400).
 */
export type { ServerFlavor };

export type Fault =
  /** Answer with this status and body (JSON unless contentType says otherwise). */
  | { kind: 'status'; status: number; body: unknown; contentType?: string; headers?: Record<string, string> }
  /** An HTML page, as a proxy or login page sends. */
  | { kind: 'html'; status: number }
  /** Send headers and half the body, then cut the connection. */
  | { kind: 'truncate' }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Send headers and part of a body, then stall. */
  | { kind: 'stallBody' }
  /** A 200 whose body is not JSON. */
  | { kind: 'invalidJson' }
  /** A 200 generation answer whose images are not images. */
  | { kind: 'notImage' }
  /** A 200 generation answer without images. */
  | { kind: 'noImages' }
  /** A 200 generation answer of the wrong shape (`images` is not a list). */
  | { kind: 'wrongShape' }
  /** A 200 generation answer whose images are not base64. */
  | { kind: 'notBase64' }
  /** A 200 answer of this many bytes (valid JSON, one huge string). */
  | { kind: 'hugeBody'; bytes: number };

export interface FaultRule {
  /** Path without query, e.g. `/sdapi/v1/txt2img`; undefined matches any /sdapi path. */
  path?: string;
  fault: Fault;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface FakeServerOptions {
  port?: number;
  /** Interface to listen on (default 127.0.0.1); the URL uses it unless it is 0.0.0.0. */
  host?: string;
  flavor?: ServerFlavor;
  /** Require HTTP Basic auth on /sdapi (as `--api-auth user:pass`). */
  auth?: { username: string; password: string };
  /** false: the server runs without `--api` (every /sdapi path is 404). */
  api?: boolean;
  /** Time per sampling step; 0 finishes at once. */
  stepDelayMs?: number;
  /** How long POST /options with a new checkpoint takes to "load" it. */
  modelLoadMs?: number;
  /** false: PNGs without the `parameters` chunk and no infotexts in `info` (as some servers). */
  embedParameters?: boolean;
  /** Time between the end of a job and its answer (the job is done, the answer not yet sent). */
  responseDelayMs?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Send generation answers at this rate (a hosted server over a slow link); 0: at once. */
  answerBytesPerSecond?: number;
  /** The checkpoints it has, by model_name (default: all of FAKE_MODELS); the first is loaded. */
  models?: readonly string[];
  /** Extensions installed (A1111) or enabled (Forge): ControlNet (test/server/controlnet.ts). */
  extensions?: readonly ('controlnet' | 'rembg')[];
  /** ControlNet's Multi-ControlNet setting (option control_net_unit_count, 1..10): its number of units. Default 3. */
  controlNetUnits?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  /** Must never arrive here: a proxy's login is for the proxy. */
  proxyAuthorization?: string | undefined;
  body?: unknown;
  receivedAt: number;
}

interface Job {
  kind: 'txt2img' | 'img2img';
  timestamp: string;
  steps: number;
  batches: number;
  batch: number;
  step: number;
  interrupted: boolean;
  width: number;
  height: number;
  seed: number;
}

const API = '/sdapi/v1';

/** A model as koboldcpp 1.77 lists it: its file's name without extension, hash 8888888888, the full path. */
function koboldModel(model: (typeof FAKE_MODELS)[number]): (typeof FAKE_MODELS)[number] {
  return { ...model, title: model.model_name, hash: '8888888888', sha256: '8'.repeat(64), filename: model.filename };
}

export const FAKE_MODELS = [
  {
    title: 'sd_xl_base_1.0.safetensors [31e35c80fc]',
    model_name: 'sd_xl_base_1.0',
    hash: '31e35c80fc',
    sha256: '31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b',
    filename: '/models/Stable-diffusion/sd_xl_base_1.0.safetensors',
    config: null,
  },
  {
    title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
    model_name: 'v1-5-pruned-emaonly',
    hash: '6ce0161689',
    sha256: '6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa',
    filename: '/models/Stable-diffusion/v1-5-pruned-emaonly.safetensors',
    config: null,
  },
  {
    title: 'icons/flat-icons-v2.safetensors',
    model_name: 'icons_flat-icons-v2',
    hash: null,
    sha256: null,
    filename: '/models/Stable-diffusion/icons/flat-icons-v2.safetensors',
    config: null,
  },
];

const SPLIT_SAMPLERS = ['DPM++ 2M', 'DPM++ SDE', 'DPM++ 2M SDE', 'Euler a', 'Euler', 'LMS', 'Heun', 'DDIM', 'UniPC'];
const SCHEDULERS = [
  ['automatic', 'Automatic'],
  ['uniform', 'Uniform'],
  ['karras', 'Karras'],
  ['exponential', 'Exponential'],
  ['polyexponential', 'Polyexponential'],
  ['sgm_uniform', 'SGM Uniform'],
  ['kl_optimal', 'KL Optimal'],
  ['align_your_steps', 'Align Your Steps'],
  ['simple', 'Simple'],
  ['normal', 'Normal'],
  ['ddim', 'DDIM'],
  ['beta', 'Beta'],
];
const SDNEXT_SAMPLERS = ['Default', '── Euler ──', 'Euler a', 'Euler', '── DPM ──', 'DPM++ 2M', 'DPM++ 2M SDE', 'UniPC', 'DDIM', 'LCM'];
const SDCPP_SAMPLERS = ['euler', 'euler_a', 'heun', 'dpm2', 'dpm++2s_a', 'dpm++2m', 'dpm++2mv2', 'ipndm', 'ipndm_v', 'lcm', 'ddim_trailing', 'tcd'];
const SDCPP_SCHEDULERS = ['discrete', 'karras', 'exponential', 'ays', 'gits', 'sgm_uniform', 'simple', 'smoothstep'];
const LEGACY_SAMPLERS = [
  'Euler a',
  'Euler',
  'LMS',
  'Heun',
  'DPM++ 2M',
  'DPM++ SDE',
  'DPM++ 2M Karras',
  'DPM++ SDE Karras',
  'DPM++ 2M SDE Exponential',
  'DPM++ 2M SDE Karras',
  'LMS Karras',
  'DDIM',
  'UniPC',
];

/** A1111's error body (`handle_exception` in modules/api/api.py). */
function a1111Error(error: string, detail: string, errors = ''): unknown {
  return { error, detail, body: '', errors };
}

export class FakeA1111 {
  readonly requests: RecordedRequest[] = [];
  /** When each sampling step was reached (`performance.now()`), for measuring progress delay. */
  readonly stepsReached: { batch: number; step: number; at: number }[] = [];
  readonly options: Required<Omit<FakeServerOptions, 'auth' | 'port' | 'tls' | 'host' | 'models'>> & Pick<FakeServerOptions, 'auth'>;
  /** The checkpoints this server has. */
  readonly models: typeof FAKE_MODELS;
  currentModel: string;
  running: Job | undefined;
  /** `force_task_id`s: waiting for the queue (in arrival order), running, and the last finished (A1111's progress.py). */
  readonly pendingTasks: string[] = [];
  currentTask: string | undefined;
  readonly finishedTasks: string[] = [];
  private faults: FaultRule[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly server: http.Server | https.Server;
  private readonly scheme: 'http' | 'https';
  private readonly sockets = new Set<Socket>();
  private randomSeed = 1234;
  url = '';

  constructor(options: FakeServerOptions = {}) {
    this.options = {
      flavor: options.flavor ?? 'a1111-1.10',
      api: options.api ?? true,
      stepDelayMs: options.stepDelayMs ?? 0,
      modelLoadMs: options.modelLoadMs ?? 0,
      embedParameters: options.embedParameters ?? true,
      extensions: options.extensions ?? [],
      controlNetUnits: options.controlNetUnits ?? 3,
      responseDelayMs: options.responseDelayMs ?? 0,
      answerBytesPerSecond: options.answerBytesPerSecond ?? 0,
      auth: options.auth,
    };
    const models = options.models ? FAKE_MODELS.filter((m) => options.models?.includes(m.model_name)) : FAKE_MODELS;
    // koboldcpp lists the one model it was started with, by its file's name, with a made-up hash (koboldcpp.py).
    this.models = this.options.flavor === 'koboldcpp' ? models.slice(0, 1).map(koboldModel) : models;
    this.currentModel = (this.models[0] ?? FAKE_MODELS[0]).title;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, a1111Error('Exception', '', String(error)));
        else res.destroy();
      });
    };
    this.scheme = options.tls ? 'https' : 'http';
    this.server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    this.url = `${this.scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Injects a fault into the next matching request(s). */
  fail(rule: FaultRule): void {
    this.faults.push({ times: 1, ...rule });
  }

  clearFaults(): void {
    this.faults = [];
  }

  setOptions(options: Partial<FakeServerOptions>): void {
    Object.assign(this.options, options);
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((rule) => rule.path === undefined || rule.path === path);
    if (index < 0) return undefined;
    const rule = this.faults[index];
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) this.faults.splice(index, 1);
    return rule.fault;
  }

  /** An extension that installs on A1111 and Forge (not the other servers). */
  hasExtension(name: 'rembg'): boolean {
    return this.options.extensions.includes(name) && canHaveControlNet(this.options.flavor);
  }

  hasControlNet(): boolean {
    return this.options.extensions.includes('controlnet') && canHaveControlNet(this.options.flavor);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const raw = await readBody(req);
    let body: unknown;
    let bodyError: string | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        bodyError = (error as Error).message;
      }
    }
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
      proxyAuthorization: req.headers['proxy-authorization'],
      body,
      receivedAt: Date.now(),
    });

    // Never behind --api-auth: A1111 adds /internal routes outside the API's auth dependency.
    if (path === '/internal/progress' && req.method === 'POST' && hasTaskProgress(this.options.flavor)) {
      const fault = this.takeFault(path);
      if (fault && (await this.applyTransportFault(fault, res))) return;
      return this.json(res, 200, taskProgressOf(this, (body ?? {}) as Record<string, unknown>));
    }
    const own = req.method === 'GET' ? flavorRoute(this.options.flavor, path, Object.keys(ROUTES)) : undefined;
    if (own !== undefined && path === '/openapi.json' && this.hasControlNet()) {
      const paths = (own as { paths: Record<string, unknown> }).paths;
      for (const extra of controlNetPaths(this.options.flavor)) paths[extra] = { get: {} };
    }
    if (own !== undefined && path === '/openapi.json' && this.hasExtension('rembg')) (own as { paths: Record<string, unknown> }).paths['/rembg'] = { post: {} };
    if (own !== undefined) return this.json(res, 200, own);
    const extension = req.method === 'GET' && this.hasControlNet() ? controlNetRoute(this.options.flavor, path, this.options.controlNetUnits) : undefined;
    if (extension !== undefined) return this.json(res, 200, extension);
    // The rembg extension's route (outside /sdapi and --api-auth), busy like a job while it works.
    if (path === '/rembg' && req.method === 'POST' && this.hasExtension('rembg')) {
      const answer = await this.runExclusive(() => rembg((body ?? {}) as Record<string, unknown>));
      return this.json(res, answer.status ?? 200, answer.body);
    }
    if (!path.startsWith(API)) {
      if (path === '/' || path === '/docs')
        return this.html(res, 200, '<!DOCTYPE html><html><head><title>Stable Diffusion</title></head><body>Gradio app</body></html>');
      return this.json(res, 404, { detail: 'Not Found' });
    }
    const fault = this.takeFault(path);
    if (fault && (await this.applyTransportFault(fault, res))) return;

    const routeName = path.slice(API.length);
    const route = this.options.api && serves(this.options.flavor, routeName, req.method ?? 'GET') ? ROUTES[routeName] : undefined;
    if (!route) return this.json(res, 404, { detail: 'Not Found' });
    const handler = req.method === 'GET' || req.method === 'POST' ? route[req.method] : undefined;
    if (!handler) return this.json(res, 405, { detail: 'Method Not Allowed' });
    if (this.options.auth && !this.authorized(req.headers.authorization)) {
      const detail = req.headers.authorization?.startsWith('Basic ') ? 'Incorrect username or password' : 'Not authenticated';
      // A1111 drops FastAPI's WWW-Authenticate header: clients must decide on the status.
      return this.json(res, 401, a1111Error('HTTPException', detail));
    }
    if (bodyError !== undefined) {
      return this.json(res, 422, { detail: [{ loc: ['body', 0], msg: `Expecting value: ${bodyError}`, type: 'value_error.jsondecode' }] });
    }
    if (req.headers['content-type'] !== 'application/json' && raw.length > 0) {
      return this.json(res, 422, { detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] });
    }
    if (fault) return this.applyBodyFault(fault, res, route.generates === true);
    const result = await handler(this, body, url);
    if (route.generates && this.options.answerBytesPerSecond > 0) return this.slowJson(res, result.status ?? 200, result.body);
    this.json(res, result.status ?? 200, result.body);
  }

  /** Writes the answer in ten pieces a second at options.answerBytesPerSecond. */
  private async slowJson(res: http.ServerResponse, status: number, body: unknown): Promise<void> {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
    const piece = Math.max(1024, Math.round(this.options.answerBytesPerSecond / 10));
    for (let at = 0; at < bytes.length && !res.destroyed; at += piece) {
      res.write(bytes.subarray(at, at + piece));
      await delay((piece / this.options.answerBytesPerSecond) * 1000);
    }
    res.end();
  }

  private authorized(header: string | undefined): boolean {
    const auth = this.options.auth;
    if (!auth || !header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded === `${auth.username}:${auth.password}`;
  }

  /** Faults that replace the whole exchange; true when the response is taken care of. */
  private async applyTransportFault(fault: Fault, res: http.ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'status':
        res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...fault.headers });
        res.end(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body));
        return true;
      case 'html':
        this.html(
          res,
          fault.status,
          `<html><head><title>${fault.status} Bad Gateway</title></head><body><center><h1>${fault.status}</h1></center><hr><center>nginx</center></body></html>`,
        );
        return true;
      case 'truncate': {
        const full = JSON.stringify({ images: ['iVBORw0KGgo'.repeat(2000)], parameters: {}, info: '{}' });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(full.length) });
        res.write(full.slice(0, full.length / 2));
        await delay(20);
        res.socket?.destroy();
        return true;
      }
      case 'hang':
        return true; // the client's timeout (or the test's close()) ends it
      case 'stallBody':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"images": ["iVBORw0KGgo');
        return true;
      default:
        return false;
    }
  }

  private applyBodyFault(fault: Fault, res: http.ServerResponse, generation: boolean): void {
    if (fault.kind === 'invalidJson') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"images": [', 'utf8');
      return;
    }
    if (!generation) return this.json(res, 500, a1111Error('Exception', '', 'fault not applicable'));
    if (fault.kind === 'notBase64') {
      return this.json(res, 200, { images: ['%%% this is not base64 %%%'], parameters: {}, info: '{"all_seeds":[1]}' });
    }
    if (fault.kind === 'hugeBody') {
      return this.json(res, 200, { images: ['A'.repeat(fault.bytes)], parameters: {}, info: '{}' });
    }
    if (fault.kind === 'wrongShape') {
      return this.json(res, 200, { images: 'iVBORw0KGgo=', parameters: {}, info: '{}' });
    }
    if (fault.kind === 'notImage') {
      return this.json(res, 200, { images: [Buffer.from('this is not an image').toString('base64')], parameters: {}, info: '{"all_seeds":[1]}' });
    }
    this.json(res, 200, { images: [], parameters: {}, info: '{"all_seeds":[]}' });
  }

  json(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-process-time': '0.01' });
    res.end(text);
  }

  private html(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(text);
  }

  /** One job at a time, first come first served, as A1111's queue_lock. */
  runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private jobCounter = 0;

  /** A1111 stamps each job with its start time; a counter keeps them distinct here. */
  nextJobTimestamp(): string {
    return String(20261124000000 + ++this.jobCounter);
  }

  nextRandomSeed(): number {
    this.randomSeed = (Math.imul(this.randomSeed, 1103515245) + 12345) >>> 1;
    return this.randomSeed % 4294967295;
  }

  samplerNames(): string[] {
    switch (this.options.flavor) {
      case 'a1111-1.8':
        return LEGACY_SAMPLERS;
      case 'sdnext':
        return SDNEXT_SAMPLERS;
      case 'sdcpp':
        return SDCPP_SAMPLERS;
      case 'koboldcpp':
        return KOBOLD_SAMPLERS;
      default:
        return SPLIT_SAMPLERS;
    }
  }
}

interface RouteResult {
  status?: number;
  body: unknown;
}

type Handler = (server: FakeA1111, body: unknown, url: URL) => Promise<RouteResult>;

/** Handlers by path and method; `generate` marks routes whose answer carries images. */
interface Route {
  GET?: Handler;
  POST?: Handler;
  generates?: boolean;
}

const ROUTES: Record<string, Route> = {
  '/txt2img': { POST: (s, body) => generate(s, 'txt2img', body), generates: true },
  '/img2img': { POST: (s, body) => generate(s, 'img2img', body), generates: true },
  '/sd-models': { GET: async (s) => ({ body: s.models }) },
  '/options': {
    GET: async (s) => ({
      body: {
        sd_model_checkpoint: s.currentModel,
        samples_format: 'png',
        sd_checkpoint_hash: null,
        // Extensions' options are among the server's (shared.opts): ControlNet's unit count.
        ...(s.hasControlNet() ? { control_net_unit_count: s.options.controlNetUnits } : {}),
      },
    }),
    POST: async (s, body) => {
      const checkpoint = (body as Record<string, unknown> | undefined)?.sd_model_checkpoint;
      if (checkpoint === undefined) return { body: null };
      const model = s.models.find((m) => [m.title, m.model_name, m.hash, m.title.split(' [')[0]].includes(checkpoint as string));
      if (!model)
        return {
          status: 500,
          body: a1111Error('RuntimeError', '', `model '${typeof checkpoint === 'string' ? checkpoint : JSON.stringify(checkpoint)}' not found`),
        };
      // The option change waits for the running job, then loads the weights.
      await s.runExclusive(() => delay(s.options.modelLoadMs));
      s.currentModel = model.title;
      return { body: null };
    },
  },
  '/samplers': {
    GET: async (s) => ({ body: s.samplerNames().map((name) => ({ name, aliases: [name.toLowerCase().replace(/\W+/g, '_')], options: {} })) }),
  },
  '/schedulers': {
    GET: async (s) =>
      s.options.flavor === 'a1111-1.8'
        ? { status: 404, body: { detail: 'Not Found' } }
        : s.options.flavor === 'sdnext'
          ? { body: SDNEXT_SAMPLERS.map((name) => ({ name, cls: name.startsWith('──') ? null : 'FlowMatchEulerDiscreteScheduler', options: {} })) }
          : s.options.flavor === 'sdcpp'
            ? { body: SDCPP_SCHEDULERS.map((name) => ({ name, label: name })) }
            : { body: SCHEDULERS.map(([name, label]) => ({ name, label, aliases: null, default_rho: -1, need_inner_model: false })) },
  },
  '/progress': { GET: async (s, _body, url) => ({ body: progressOf(s, url.searchParams.get('skip_current_image') === 'true') }) },
  // Listings and tools, answered as the servers do with nothing extra installed (dialects.ts says who has them).
  '/upscalers': { GET: async () => ({ body: UPSCALERS }) },
  '/latent-upscale-modes': { GET: async () => ({ body: LATENT_MODES.map((name) => ({ name })) }) },
  '/sd-vae': { GET: async () => ({ body: VAES }) },
  // The extras tab holds the queue lock as a generation does.
  '/extra-single-image': { POST: (s, body) => s.runExclusive(async () => upscale((body ?? {}) as Record<string, unknown>)) },
  '/loras': { GET: async () => ({ body: LORAS }) },
  '/embeddings': { GET: async () => ({ body: EMBEDDINGS }) },
  '/prompt-styles': { GET: async () => ({ body: STYLES }) },
  '/png-info': { POST: async () => ({ body: { info: '', items: {}, parameters: {} } }) },
  '/interrogate': { POST: (s, body) => s.runExclusive(async () => interrogate((body ?? {}) as Record<string, unknown>)) },
  '/interrupt': {
    POST: async (s) => {
      if (s.running) s.running.interrupted = true;
      return { body: {} };
    },
  },
};

function progressOf(s: FakeA1111, skipImage: boolean): unknown {
  const job = s.running;
  if (!job) {
    return {
      progress: 0,
      eta_relative: 0,
      state: {
        skipped: false,
        interrupted: false,
        stopping_generation: false,
        job: '',
        job_count: 0,
        job_timestamp: '0',
        job_no: 0,
        sampling_step: 0,
        sampling_steps: 0,
      },
      current_image: null,
      textinfo: null,
    };
  }
  const done = job.batch / job.batches + job.step / job.steps / job.batches;
  const progress = Math.min(1, 0.01 + done);
  const perStep = s.options.stepDelayMs / 1000;
  const remainingSteps = job.steps * job.batches - (job.batch * job.steps + job.step);
  return {
    progress,
    eta_relative: remainingSteps * perStep,
    state: {
      skipped: false,
      interrupted: job.interrupted,
      stopping_generation: false,
      job: `scripts_${job.kind}`,
      job_count: job.batches,
      job_timestamp: job.timestamp,
      job_no: job.batch,
      sampling_step: job.step,
      sampling_steps: job.steps,
    },
    current_image:
      skipImage || job.step === 0 ? null : renderPicture({ width: 64, height: 64, seed: job.seed, completion: job.step / job.steps }).toString('base64'),
    textinfo: null,
  };
}

/** `POST /internal/progress` for one task (A1111 modules/progress.py `progressapi`). */
function taskProgressOf(s: FakeA1111, request: Record<string, unknown>): unknown {
  const id = request.id_task;
  const job = s.running;
  if (typeof id !== 'string' || id !== s.currentTask || !job) {
    const place = typeof id === 'string' ? s.pendingTasks.indexOf(id) : -1;
    return {
      active: false,
      queued: place >= 0,
      completed: typeof id === 'string' && s.finishedTasks.includes(id),
      id_live_preview: -1,
      textinfo: place >= 0 ? `In queue: ${place + 1}/${s.pendingTasks.length}` : 'Waiting...',
    };
  }
  const progress = job.batch / job.batches + job.step / job.steps / job.batches;
  const perStep = s.options.stepDelayMs / 1000;
  const remaining = job.steps * job.batches - (job.batch * job.steps + job.step);
  const previewId = job.batch * job.steps + job.step;
  const wantsPreview = request.live_preview === true && job.step > 0 && request.id_live_preview !== previewId;
  return {
    active: true,
    queued: false,
    completed: false,
    progress,
    eta: progress > 0 ? remaining * perStep : null,
    ...(wantsPreview
      ? {
          live_preview: `data:image/png;base64,${renderPicture({ width: 64, height: 64, seed: job.seed, completion: job.step / job.steps }).toString('base64')}`,
          id_live_preview: previewId,
        }
      : { id_live_preview: request.id_live_preview ?? -1 }),
    textinfo: null,
  };
}

type Body = Record<string, unknown>;

function validate(body: Body): unknown[] {
  const errors: unknown[] = [];
  const ints = ['steps', 'width', 'height', 'batch_size', 'n_iter', 'seed', 'resize_mode'];
  for (const key of ints) {
    const value = body[key];
    if (value !== undefined && value !== null && !Number.isInteger(value)) {
      errors.push({ loc: ['body', key], msg: 'value is not a valid integer', type: 'type_error.integer' });
    }
  }
  for (const key of ['cfg_scale', 'denoising_strength']) {
    const value = body[key];
    if (value !== undefined && value !== null && typeof value !== 'number') {
      errors.push({ loc: ['body', key], msg: 'value is not a valid float', type: 'type_error.float' });
    }
  }
  if (body.prompt !== undefined && typeof body.prompt !== 'string') {
    errors.push({ loc: ['body', 'prompt'], msg: 'str type expected', type: 'type_error.str' });
  }
  return errors;
}

/** A1111's sampler lookup per version (see notes/a1111-api.md §2.7). */
function resolveSamplerName(s: FakeA1111, requested: string | undefined): { name: string; scheduler?: string } | undefined {
  const name = requested && requested !== '' ? requested : s.options.flavor === 'sdcpp' ? 'euler_a' : 'Euler';
  const names = s.samplerNames();
  const found = names.find((n) => n.toLowerCase() === name.toLowerCase());
  if (found && !found.startsWith('──')) return { name: found };
  if (s.options.flavor === 'koboldcpp') return { name: 'Euler a' }; // anything else: its default
  if (s.options.flavor === 'a1111-1.10') {
    for (const [, label] of SCHEDULERS) {
      if (name.toLowerCase().endsWith(` ${label.toLowerCase()}`)) {
        const base = names.find((n) => n.toLowerCase() === name.slice(0, -label.length - 1).toLowerCase());
        if (base) return { name: base, scheduler: label };
      }
    }
    return { name: 'DPM++ 2M' }; // 1.10 silently falls back to the default sampler
  }
  return undefined;
}

async function generate(s: FakeA1111, kind: 'txt2img' | 'img2img', rawBody: unknown): Promise<RouteResult> {
  const body = (rawBody ?? {}) as Body;
  const errors = validate(body);
  if (errors.length > 0) return { status: 422, body: { detail: errors } };
  if (kind === 'img2img' && (!Array.isArray(body.init_images) || body.init_images.length === 0)) {
    return { status: 404, body: a1111Error('HTTPException', 'Init image not found') };
  }
  let salt = 0;
  if (kind === 'img2img') {
    const first = String((body.init_images as unknown[])[0]).replace(/^data:image\/[^;]+;base64,/, '');
    const bytes = Buffer.from(first, 'base64');
    if (bytes.length < 8) return { status: 500, body: a1111Error('HTTPException', 'Invalid encoded image') };
    salt = fingerprint(bytes);
    // Inpainting: a mask the server cannot read fails as decode_base64_to_image does.
    if (typeof body.mask === 'string') {
      const mask = Buffer.from(body.mask.replace(/^data:image\/[^;]+;base64,/, ''), 'base64');
      if (mask.length < 8 || mask.readUInt32BE(0) !== 0x89504e47) return { status: 500, body: a1111Error('HTTPException', 'Invalid encoded image') };
      salt = (salt ^ fingerprint(mask)) >>> 0;
    }
  }
  const inpaint = kind === 'img2img' && typeof body.mask === 'string' ? inpaintInfo(body) : [];
  // Always-on scripts by title: one that is not installed is refused (modules/api/api.py).
  for (const name of Object.keys((body.alwayson_scripts as Body | undefined) ?? {})) {
    if (name.toLowerCase() !== 'controlnet' || !s.hasControlNet()) return { status: 422, body: { detail: `always on script ${name} not found` } };
  }
  const control = s.hasControlNet()
    ? runControlNet(s.options.flavor, kind, body.alwayson_scripts, s.options.controlNetUnits)
    : { infotext: [], maps: [], salt: 0 };
  if ('error' in control) return { status: 500, body: a1111Error('ValueError', '', control.error) };
  salt = (salt ^ control.salt) >>> 0;
  const sampler = resolveSamplerName(s, body.sampler_name as string | undefined);
  if (!sampler) {
    return s.options.flavor === 'sdcpp'
      ? { status: 400, body: { error: 'invalid params', message: 'unknown sampler' } }
      : { status: 404, body: a1111Error('HTTPException', 'Sampler not found') };
  }
  if (s.options.flavor === 'sdcpp' && typeof body.scheduler === 'string' && !SDCPP_SCHEDULERS.includes(body.scheduler)) {
    return { status: 400, body: { error: 'invalid params', message: 'unknown scheduler' } };
  }
  const scheduler =
    s.options.flavor === 'a1111-1.8' || s.options.flavor === 'sdnext' || s.options.flavor === 'koboldcpp'
      ? undefined
      : (sampler.scheduler ?? ((body.scheduler as string | undefined) || 'Automatic'));

  const kobold = s.options.flavor === 'koboldcpp';
  const steps = (body.steps as number | undefined) ?? 50;
  // koboldcpp makes one image per request, on its own size grid.
  const { width, height } = kobold
    ? koboldSize((body.width as number | undefined) ?? 512, (body.height as number | undefined) ?? 512)
    : { width: (body.width as number | undefined) ?? 512, height: (body.height as number | undefined) ?? 512 };
  const batchSize = kobold ? 1 : ((body.batch_size as number | undefined) ?? 1);
  const batches = kobold ? 1 : ((body.n_iter as number | undefined) ?? 1);
  // Hires fix (txt2img on servers whose schema has it): checked as processing.py does.
  const hires = kind === 'txt2img' && body.enable_hr === true && txt2imgFields(s.options.flavor).includes('enable_hr') ? hiresOf(body) : undefined;
  if (hires && 'error' in hires) return hires.error;
  const made = hires ? { width: Math.floor(width * hires.scale), height: Math.floor(height * hires.scale) } : { width, height };
  const tiling = body.tiling === true && txt2imgFields(s.options.flavor).includes('tiling');
  const overrides = (body.override_settings as Record<string, unknown> | undefined) ?? {};
  const clipSkip = overrides.CLIP_stop_at_last_layers;
  const vae = typeof overrides.sd_vae === 'string' && VAES.some((v) => v.model_name === overrides.sd_vae) ? overrides.sd_vae : undefined;
  // Forge records it for distilled models (Flux), which the fake does not have: it records what it is sent.
  const distilledCfg =
    typeof body.distilled_cfg_scale === 'number' && txt2imgFields(s.options.flavor).includes('distilled_cfg_scale') ? body.distilled_cfg_scale : undefined;
  const modules = Array.isArray(overrides.forge_additional_modules) ? (overrides.forge_additional_modules as unknown[]).map(String) : [];
  // A refiner (txt2img, servers whose schema has it): an unknown checkpoint fails as A1111's does.
  const refinerName = kind === 'txt2img' && txt2imgFields(s.options.flavor).includes('refiner_checkpoint') ? body.refiner_checkpoint : undefined;
  const refiner =
    typeof refinerName === 'string' && refinerName ? s.models.find((m) => [m.title, m.model_name, m.title.split(' [')[0]].includes(refinerName)) : undefined;
  if (typeof refinerName === 'string' && refinerName && !refiner)
    return { status: 500, body: a1111Error('Exception', '', `Could not find checkpoint with name ${refinerName}`) };
  const switchAt = typeof body.refiner_switch_at === 'number' ? body.refiner_switch_at : 0.8;
  const requestedSeed = (body.seed as number | undefined) ?? -1;
  const seed = requestedSeed === -1 ? s.nextRandomSeed() : requestedSeed;
  const { prompt, negative } = applyStyles((body.prompt as string | undefined) ?? '', (body.negative_prompt as string | undefined) ?? '', body.styles);
  const cfg = (body.cfg_scale as number | undefined) ?? 7;
  // A checkpoint in override_settings is used for this request only (restored afterwards, as A1111 does by default).
  const override = (body.override_settings as Record<string, unknown> | undefined)?.sd_model_checkpoint;
  const model = s.models.find((m) => m.title === override) ?? s.models.find((m) => m.title === s.currentModel) ?? FAKE_MODELS[0];
  // A variation (subseed): a second seed mixed in, so the picture differs from the plain seed's.
  const subseedStrength = typeof body.subseed_strength === 'number' ? body.subseed_strength : 0;
  const subseed = subseedStrength > 0 ? (typeof body.subseed === 'number' && body.subseed >= 0 ? body.subseed : s.nextRandomSeed()) : undefined;
  if (subseed !== undefined) salt = (salt + subseed * Math.round(subseedStrength * 100)) >>> 0;

  const taskId = typeof body.force_task_id === 'string' && hasTaskProgress(s.options.flavor) ? body.force_task_id : undefined;
  if (taskId) s.pendingTasks.push(taskId);
  return s.runExclusive(async () => {
    const job: Job = { kind, timestamp: s.nextJobTimestamp(), steps, batches, batch: 0, step: 0, interrupted: false, width, height, seed };
    s.running = job;
    if (taskId) {
      s.pendingTasks.splice(s.pendingTasks.indexOf(taskId), 1);
      s.currentTask = taskId;
    }
    try {
      outer: for (job.batch = 0; job.batch < batches; job.batch++) {
        for (job.step = 0; job.step < steps; job.step++) {
          if (job.interrupted) break outer;
          if (s.options.stepDelayMs > 0) await delay(s.options.stepDelayMs);
          s.stepsReached.push({ batch: job.batch, step: job.step + 1, at: performance.now() });
        }
      }
    } finally {
      s.running = undefined;
      if (taskId) {
        s.currentTask = undefined;
        s.finishedTasks.push(taskId);
      }
    }
    if (s.options.responseDelayMs > 0) await delay(s.options.responseDelayMs);
    const completedBatches = Math.max(1, Math.min(batches, job.batch + (job.interrupted ? 1 : 0)));
    const count = job.interrupted ? completedBatches * batchSize : batches * batchSize;
    const allSeeds = Array.from({ length: count }, (_, i) => seed + i);
    const infotexts = allSeeds.map((imageSeed) =>
      [
        prompt,
        ...(negative ? [`Negative prompt: ${negative}`] : []),
        [
          `Steps: ${steps}`,
          `Sampler: ${sampler.name}`,
          ...(scheduler ? [`Schedule type: ${scheduler}`] : []),
          `CFG scale: ${cfg}`,
          ...(distilledCfg !== undefined ? [`Distilled CFG Scale: ${distilledCfg}`] : []),
          `Seed: ${imageSeed}`,
          `Size: ${width}x${height}`,
          ...(model.hash ? [`Model hash: ${model.hash}`] : []),
          `Model: ${model.model_name}`,
          ...(kind === 'img2img' || hires ? [`Denoising strength: ${(body.denoising_strength as number | undefined) ?? 0.75}`] : []),
          ...inpaint,
          ...control.infotext,
          ...(typeof clipSkip === 'number' && clipSkip > 1 ? [`Clip skip: ${clipSkip}`] : []),
          ...(vae ? [`VAE: ${vae}`] : []),
          ...modules.map(
            (file, index) =>
              `Module ${index + 1}: ${
                file
                  .split('/')
                  .pop()
                  ?.replace(/\.safetensors$/, '') ?? file
              }`,
          ),
          ...(refiner ? [`Refiner: ${refiner.model_name}${refiner.hash ? ` [${refiner.hash}]` : ''}`, `Refiner switch at: ${switchAt}`] : []),
          ...(tiling ? ['Tiling: True'] : []),
          ...(hires ? [`Hires upscale: ${hires.scale}`, ...(hires.steps > 0 ? [`Hires steps: ${hires.steps}`] : []), `Hires upscaler: ${hires.upscaler}`] : []),
          ...(subseed !== undefined ? [`Variation seed: ${subseed}`, `Variation seed strength: ${subseedStrength}`] : []),
          'Version: fake-a1111',
        ].join(', '),
      ].join('\n'),
    );
    const completion = job.interrupted ? Math.max(0.1, job.step / steps) : 1;
    const embed = s.options.embedParameters && !kobold;
    const images = allSeeds.map((imageSeed, i) =>
      renderPicture({ ...made, seed: imageSeed, salt, completion, text: embed ? { parameters: infotexts[i] } : {} }).toString('base64'),
    );
    // ControlNet appends its detected maps after the results (not counted in all_seeds).
    images.push(...control.maps);
    // koboldcpp reports nothing about what it made: `info` is an empty string (koboldcpp.py 1.77).
    if (kobold) return { body: { images, parameters: {}, info: '' } };
    const info = {
      prompt,
      all_prompts: allSeeds.map(() => prompt),
      negative_prompt: negative,
      all_negative_prompts: allSeeds.map(() => negative),
      seed,
      all_seeds: allSeeds,
      subseed: 1,
      all_subseeds: allSeeds.map(() => 1),
      width,
      height,
      sampler_name: sampler.name,
      cfg_scale: cfg,
      steps,
      batch_size: batchSize,
      sd_model_name: model.model_name,
      sd_model_hash: model.hash,
      extra_generation_params: scheduler ? { 'Schedule type': scheduler } : {},
      index_of_first_image: 0,
      ...(s.options.embedParameters ? { infotexts } : {}),
      job_timestamp: '20261124000000',
      version: 'fake-a1111',
    };
    // `parameters` echoes the request with defaults filled, seed still -1 (A1111 #16560).
    const parameters = { ...body, seed: requestedSeed, sampler_index: 'Euler', init_images: kind === 'img2img' ? null : undefined };
    return { body: { images, parameters, info: JSON.stringify(info) } };
  });
}

/** Hires fix's fields as A1111 reads them; its failures as it fails (an unknown upscaler, no denoising strength). */
function hiresOf(body: Body): { scale: number; upscaler: string; steps: number } | { error: { status: number; body: unknown } } {
  const upscaler = typeof body.hr_upscaler === 'string' ? body.hr_upscaler : 'Latent';
  if (!LATENT_MODES.includes(upscaler) && !UPSCALERS.some((u) => u.name === upscaler))
    return { error: { status: 500, body: a1111Error('Exception', '', `could not find upscaler named ${upscaler}`) } };
  if (typeof body.denoising_strength !== 'number')
    return { error: { status: 500, body: a1111Error('TypeError', '', "'>' not supported between instances of 'NoneType' and 'int'") } };
  return {
    scale: typeof body.hr_scale === 'number' ? body.hr_scale : 2,
    upscaler,
    steps: typeof body.hr_second_pass_steps === 'number' ? body.hr_second_pass_steps : 0,
  };
}

/** What A1111's img2img records of an inpainting job (modules/img2img.py, processing.py). */
function inpaintInfo(body: Body): string[] {
  const fills = ['fill', 'original', 'latent noise', 'latent nothing'];
  const fill = typeof body.inpainting_fill === 'number' ? body.inpainting_fill : 0;
  const onlyMasked = body.inpaint_full_res !== false;
  return [
    `Mask blur: ${typeof body.mask_blur === 'number' ? body.mask_blur : 4}`,
    `Masked content: ${fills[fill] ?? 'fill'}`,
    ...(onlyMasked
      ? ['Inpaint area: Only masked', `Masked area padding: ${typeof body.inpaint_full_res_padding === 'number' ? body.inpaint_full_res_padding : 0}`]
      : []),
  ];
}

/** `/sd-vae` of an A1111 server with two VAEs in models/VAE. */
const VAES = [
  { model_name: 'sdxl_vae.safetensors', filename: '/models/VAE/sdxl_vae.safetensors' },
  { model_name: 'vae-ft-mse-840000-ema-pruned.safetensors', filename: '/models/VAE/vae-ft-mse-840000-ema-pruned.safetensors' },
];

/** shared.latent_upscale_modes in A1111 1.10. */
export const LATENT_MODES = [
  'Latent',
  'Latent (antialiased)',
  'Latent (bicubic)',
  'Latent (bicubic antialiased)',
  'Latent (nearest)',
  'Latent (nearest-exact)',
];

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startFakeA1111(options: FakeServerOptions = {}): Promise<FakeA1111> {
  const server = new FakeA1111(options);
  await server.listen(options.port ?? 0, options.host);
  return server;
}
