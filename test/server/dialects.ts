// What sets each kind of A1111-compatible server apart, for the local server: the routes it
// serves, the routes only it has (how a client can tell it apart), and how it shapes an answer.
// From each server's source as ../shared/notes/a1111-api.md §6 records it.

export type ServerFlavor = 'a1111-1.10' | 'a1111-1.9' | 'a1111-1.8' | 'forge' | 'sdnext' | 'koboldcpp' | 'sdcpp';

export const FLAVORS: readonly ServerFlavor[] = ['a1111-1.10', 'a1111-1.9', 'a1111-1.8', 'forge', 'sdnext', 'koboldcpp', 'sdcpp'];

/** koboldcpp's fixed sampler list (koboldcpp.py 1.77). */
export const KOBOLD_SAMPLERS = ['Euler a', 'Euler', 'Heun', 'DPM2', 'DPM++ 2M', 'LCM'];

/**
 * The listing and tool routes beyond generation, per server (notes/a1111-api.md §6.1): which
 * flavors lack each. koboldcpp answers /upscalers with [] and /interrogate only with a vision
 * model loaded; counted as it answers by default.
 */
const LACKED_BY: Record<string, readonly ServerFlavor[]> = {
  '/upscalers': [],
  '/loras': ['koboldcpp'],
  '/embeddings': ['koboldcpp', 'sdcpp'],
  '/prompt-styles': ['koboldcpp', 'sdcpp'],
  '/png-info': ['koboldcpp', 'sdcpp'],
  '/interrogate': ['sdnext', 'koboldcpp', 'sdcpp'],
  '/extra-single-image': ['koboldcpp', 'sdcpp'],
  '/latent-upscale-modes': ['koboldcpp', 'sdcpp'],
  // Forge lists modules (/sd-modules, its own route) instead.
  '/sd-vae': ['forge', 'koboldcpp', 'sdcpp'],
};

/** Whether the flavor serves `/sdapi/v1<route>` with `method`. */
export function serves(flavor: ServerFlavor, route: string, method: string): boolean {
  if (LACKED_BY[route]?.includes(flavor)) return false;
  const emulator = flavor === 'koboldcpp' || flavor === 'sdcpp';
  if (emulator && (route === '/progress' || route === '/interrupt')) return false; // no job state, no stop
  if (emulator && route === '/options' && method === 'POST') return false; // one model, loaded at start
  if (flavor === 'koboldcpp' && route === '/schedulers') return false;
  return true;
}

/** `force_task_id` and `POST /internal/progress`: A1111 1.8 and later in webui mode, Forge (progress.py). */
export function hasTaskProgress(flavor: ServerFlavor): boolean {
  return flavor === 'a1111-1.10' || flavor === 'a1111-1.9' || flavor === 'a1111-1.8' || flavor === 'forge';
}

/** Routes one flavor has and the others lack (GET). Undefined: not this flavor's. */
export function flavorRoute(flavor: ServerFlavor, path: string, sdapiRoutes: readonly string[]): unknown {
  switch (path) {
    case '/openapi.json':
      // FastAPI servers describe themselves; the C++ and Python-http emulators do not.
      return flavor === 'koboldcpp' || flavor === 'sdcpp' ? undefined : openApi(flavor, sdapiRoutes);
    case '/sdapi/v1/version':
      return flavor === 'sdnext'
        ? { app: 'sd.next', updated: '2026-07-01', hash: 'f1e2d3c', url: 'https://github.com/vladmandic/sdnext/tree/master' }
        : undefined;
    case '/sdapi/v1/sd-modules':
      return flavor === 'forge'
        ? [
            { model_name: 'ae', filename: '/models/VAE/ae.safetensors' },
            { model_name: 'clip_l', filename: '/models/text_encoder/clip_l.safetensors' },
          ]
        : undefined;
    case '/api/extra/version':
      return flavor === 'koboldcpp' ? { result: 'KoboldCpp', version: '1.77', protected: false, txt2img: true, vision: false, transcribe: false } : undefined;
    case '/sdcpp/v1/capabilities':
      return flavor === 'sdcpp' ? { version: 'stable-diffusion.cpp', txt2img: true, img2img: true, jobs: true } : undefined;
    default:
      return undefined;
  }
}

/** A FastAPI-style description listing the routes the flavor serves (paths only). */
function openApi(flavor: ServerFlavor, sdapiRoutes: readonly string[]): unknown {
  const paths: Record<string, unknown> = {};
  for (const route of sdapiRoutes) {
    const methods = ['get', 'post'].filter((method) => serves(flavor, route, method.toUpperCase()));
    if (methods.length > 0) paths[`/sdapi/v1${route}`] = Object.fromEntries(methods.map((method) => [method, { summary: route }]));
  }
  if (flavor === 'a1111-1.8') delete paths['/sdapi/v1/schedulers'];
  if (flavor === 'sdnext') paths['/sdapi/v1/version'] = { get: {} };
  if (flavor === 'forge') paths['/sdapi/v1/sd-modules'] = { get: {} };
  if (hasTaskProgress(flavor)) paths['/internal/progress'] = { post: {} };
  // txt2img's request schema, referenced as FastAPI does: the fields each server takes.
  paths['/sdapi/v1/txt2img'] = {
    post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/StableDiffusionProcessingTxt2Img' } } } } },
  };
  const properties = Object.fromEntries(txt2imgFields(flavor).map((field) => [field, { title: field }]));
  return {
    openapi: '3.0.2',
    info: { title: 'FastAPI', version: '0.1.0' },
    paths,
    components: { schemas: { StableDiffusionProcessingTxt2Img: { properties } } },
  };
}

const BASE_FIELDS = [
  'prompt',
  'negative_prompt',
  'seed',
  'subseed',
  'subseed_strength',
  'sampler_name',
  'batch_size',
  'n_iter',
  'steps',
  'cfg_scale',
  'width',
  'height',
  'denoising_strength',
  'override_settings',
  'override_settings_restore_afterwards',
];
const HIRES_FIELDS = ['enable_hr', 'hr_scale', 'hr_upscaler', 'hr_second_pass_steps', 'hr_resize_x', 'hr_resize_y'];

/**
 * The txt2img fields of each FastAPI server (the saved A1111 1.10 and Forge OpenAPI documents;
 * SD.Next takes hires fix but dropped `tiling`, notes/a1111-api.md).
 */
export function txt2imgFields(flavor: ServerFlavor): string[] {
  if (flavor === 'sdnext') return [...BASE_FIELDS, ...HIRES_FIELDS];
  return [
    ...BASE_FIELDS,
    ...(flavor === 'a1111-1.8' ? [] : ['scheduler']),
    'tiling',
    'refiner_checkpoint',
    'refiner_switch_at',
    ...HIRES_FIELDS,
    'hr_checkpoint_name',
    'hr_sampler_name',
    'hr_prompt',
    'hr_negative_prompt',
    // Forge's own (its OpenAPI document: default 3.5), for distilled models such as Flux.
    ...(flavor === 'forge' ? ['distilled_cfg_scale'] : []),
  ];
}

/** koboldcpp's size rule: multiples of 64 (rounded down), at most 1024 on either side. */
export function koboldSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 1024 / Math.max(width, height));
  return { width: Math.max(64, Math.floor((width * scale) / 64) * 64), height: Math.max(64, Math.floor((height * scale) / 64) * 64) };
}
