// Request and response shapes of the AUTOMATIC1111 `/sdapi/v1` API (A1111 1.10, Forge, SD.Next
// and older servers). Only the fields this extension sends or reads are typed; the server fills
// defaults for everything left out.

import type { ImageFormat } from '../image/format';

export type { ImageFormat };

export interface GenerationParameters {
  prompt: string;
  /** A1111 1.8+ and Forge: the id `/internal/progress` follows this job by (`task(…)`). */
  force_task_id?: string;
  negative_prompt?: string;
  seed?: number;
  sampler_name?: string;
  /** A1111 1.9+ only; older servers ignore it. Send the label (`Karras`), not the name. */
  scheduler?: string;
  steps?: number;
  cfg_scale?: number;
  width?: number;
  height?: number;
  batch_size?: number;
  n_iter?: number;
  /** A variation of `seed`: a second seed (-1: random) mixed in at `subseed_strength` (0..1). */
  subseed?: number;
  subseed_strength?: number;
  override_settings?: Record<string, unknown>;
  override_settings_restore_afterwards?: boolean;
  /** Seamless textures (A1111, Forge). */
  tiling?: boolean;
  /** Forge: the guidance a distilled model (Flux) follows; its default is 3.5. */
  distilled_cfg_scale?: number;
  /** Styles the server applies to the prompts, by name (`/sdapi/v1/prompt-styles`). */
  styles?: string[];
  /** Always-on scripts' arguments by script title (ControlNet's units). */
  alwayson_scripts?: Record<string, { args: unknown[] }>;
  /** txt2img: hires fix, a second pass at `hr_scale` times the size through `hr_upscaler`. */
  enable_hr?: boolean;
  hr_scale?: number;
  hr_upscaler?: string;
  /** 0: as many steps as the first pass. */
  hr_second_pass_steps?: number;
  /** A second checkpoint (its title) takes over at `refiner_switch_at` (0..1) of the steps. */
  refiner_checkpoint?: string;
  refiner_switch_at?: number;
  /** img2img's strength; with hires fix, the second pass's. */
  denoising_strength?: number;
  /** The server must return the images (never save them on its side only). */
  send_images?: boolean;
  save_images?: boolean;
}

export type Txt2ImgRequest = GenerationParameters;

export interface Img2ImgRequest extends GenerationParameters {
  /** Plain base64 or `data:image/...;base64,` strings. */
  init_images: string[];
  /** Inpainting: white is repainted (with `inpainting_mask_invert` 0). */
  mask?: string;
  mask_blur?: number;
  /** 0 fill, 1 original, 2 latent noise, 3 latent nothing. */
  inpainting_fill?: number;
  /** true: only the masked area (with padding) is made at the size. */
  inpaint_full_res?: boolean;
  inpaint_full_res_padding?: number;
  inpainting_mask_invert?: number;
  denoising_strength?: number;
  /** 0 just resize, 1 crop and resize, 2 resize and fill, 3 latent upscale. */
  resize_mode?: number;
}

/** The `info` JSON string of a generation response, parsed. Every field may be missing. */
export interface GenerationInfo {
  seed?: number;
  all_seeds?: number[];
  index_of_first_image?: number;
  infotexts?: string[];
  sd_model_name?: string;
  version?: string;
  [key: string]: unknown;
}

export interface GeneratedImage {
  /** Decoded image bytes, already checked to be PNG, JPEG or WebP. */
  bytes: Uint8Array;
  format: ImageFormat;
  /** The seed this image was made with, when the server reported it. */
  seed?: number | undefined;
  /** A1111's "infotext" (the PNG `parameters` text) for this image, when reported. */
  infotext?: string | undefined;
}

export interface GenerationResult {
  images: GeneratedImage[];
  info: GenerationInfo;
  /** The request as the server understood it, echoed back. */
  parameters: Record<string, unknown>;
}

export interface SdModel {
  title: string;
  model_name: string;
  hash?: string | null;
  sha256?: string | null;
  filename: string;
}

export interface Sampler {
  name: string;
  aliases: string[];
}

export interface Scheduler {
  name: string;
  label: string;
}

/** Missing numbers are read as 0, missing flags as false. */
export interface ProgressState {
  job?: string | undefined;
  /** When the running job started (A1111: `YYYYMMDDhhmmss`); tells one job from the next. */
  job_timestamp?: string | undefined;
  job_count: number;
  job_no: number;
  sampling_step: number;
  sampling_steps: number;
  interrupted: boolean;
  skipped: boolean;
}

export interface Progress {
  /** 0..1 */
  progress: number;
  /** Seconds left, as the server estimates it. */
  eta_relative: number;
  state: ProgressState;
  /** Live preview, plain base64 (no data: prefix), or null. */
  current_image: string | null;
  textinfo: string | null;
}

export type ServerOptions = Record<string, unknown>;

/** `POST /internal/progress` for one task (A1111 1.8+, Forge): where our own job is. */
export interface TaskProgress {
  active: boolean;
  queued: boolean;
  completed: boolean;
  /** 0..1 of the job, while active. */
  progress?: number;
  /** Seconds left, while active and known. */
  eta?: number;
  /** Base64 of the newest live preview (the server sends a data: URI; the prefix is removed). */
  livePreview?: string;
  idLivePreview: number;
  /** "In queue: 2/3" while queued. */
  textinfo?: string;
}

/** An upscaler of `GET /sdapi/v1/upscalers` ("None" and "Lanczos" are plain resizes). */
export interface Upscaler {
  name: string;
  /** The model's own factor, when it has one (4 for R-ESRGAN 4x+). */
  scale?: number | undefined;
}

/** `POST /sdapi/v1/extra-single-image` by a factor (`resize_mode` 0), as A1111 names its fields. */
export interface UpscaleRequest {
  /** Base64 of the image (no data: prefix). */
  image: string;
  upscaler_1: string;
  upscaling_resize: number;
  /** A second upscaler blended in at this visibility (0..1). */
  upscaler_2?: string;
  extras_upscaler_2_visibility?: number;
}

export interface UpscaleResult {
  image: { bytes: Uint8Array; format: ImageFormat };
  /** What the server says it did (its `html_info`, tags removed). */
  info: string;
}

/** A LoRA of `GET /sdapi/v1/loras`: the prompt names it by `alias` when it has one (A1111's lora extension). */
export interface Lora {
  name: string;
  alias?: string | undefined;
}

/** A style of `GET /sdapi/v1/prompt-styles`: sent by name in `styles`, applied by the server. */
export interface PromptStyle {
  name: string;
  prompt: string;
  negativePrompt: string;
}

/** ControlNet's preprocessors (modules) and models, by the names its units take. */
export interface ControlNetLists {
  models: string[];
  modules: string[];
}

/** `POST /rembg` (stable-diffusion-webui-rembg, scripts/api.py): the image as base64 and how. */
export interface RembgRequest {
  input_image: string;
  model: string;
  return_mask?: boolean;
  alpha_matting?: boolean;
  alpha_matting_foreground_threshold?: number;
  alpha_matting_background_threshold?: number;
  alpha_matting_erode_size?: number;
}
