// What a generation is asked to do and what it gives back: the shapes every surface and the
// job service share.

import type { ImageFormat } from '../image/format';
import type { Size } from '../image/imageSize';
import type { GenerationParameters, GenerationResult } from '../sdapi/types';
import type { GenerationUpdate } from './progressWatch';
import type { ControlUnitValues } from '../shared/controlNet';
import type { OutputShape } from '../shared/outputShape';
import type { QualityOptions } from '../shared/qualityOptions';
import type { GenerationDefaults, ResizeMode } from './types';

export type { GenerationUpdate };

export interface SourceImage {
  bytes: Uint8Array;
  format: ImageFormat;
  size: Size;
}

/** Inpainting: where the source is repainted (white), and how (A1111's img2img mask fields). */
export interface InpaintMask {
  /** A PNG the size of the source (checked to cover something before it is sent). */
  png: Uint8Array;
  /** Pixels of blur at the mask's edge. */
  blur: number;
  /** What the masked area starts from. */
  fill: 'fill' | 'original' | 'latentNoise' | 'latentNothing';
  /** 'whole': the whole picture is made at the size; 'masked': only the masked area, with padding around it. */
  area: 'whole' | 'masked';
  padding: number;
}

/** One ControlNet unit: the form's fields, with its control image read. */
export type ControlUnit = Omit<ControlUnitValues, 'image'> & { image: SourceImage };

export interface Img2ImgOptions {
  source: SourceImage;
  outputSize: Size;
  denoisingStrength: number;
  resizeMode: ResizeMode;
  mask?: InpaintMask;
}

export interface GenerationRequest {
  prompt: string;
  /** Every parameter the user sees (from the settings, or from the panel's form). */
  parameters: GenerationDefaults;
  img2img?: Img2ImgOptions;
  /** Ask the server for live preview images while sampling (the panel shows them). */
  livePreview?: boolean;
  /** A variation of the seed: a random second seed mixed in at this strength (0..1). */
  variationStrength?: number;
  /** The variation's second seed (-1 or absent: the server picks one). */
  variationSeed?: number;
  /** Styles the server applies to the prompts (its `/prompt-styles`), by name. */
  styles?: string[];
  /** Hires fix, tiling, CLIP skip (the panel's More settings). */
  quality?: QualityOptions;
  /** ControlNet units, on servers with the extension (sent in alwayson_scripts). */
  controlNet?: ControlUnit[];
  /** The file to save: an exact size (made near the model's native area, then resized) and a format. */
  output?: OutputShape;
  /** The checkpoint to make this one image with (title, name or hash), if the server has it; the server's own model stays loaded for others. */
  checkpoint?: string;
}

export interface GenerationHooks {
  /** Called at once with the job's id (for cancel and the queue list). */
  onJob?(jobId: string): void;
  /** Progress for the UI: queue position, then steps and ETA. */
  onUpdate: (update: GenerationUpdate) => void;
  signal: AbortSignal;
  /**
   * Takes the images as they arrive (saving): once on one server, once per part on a pool. The
   * job lasts until each call is done; its failure fails the job.
   */
  onPart?(done: CompletedGeneration, firstImage: number): Promise<void>;
}

export interface CompletedGeneration {
  result: GenerationResult;
  /** The body that was sent (without the source image), to describe what was made. */
  parameters: GenerationParameters & { denoising_strength?: number };
  serverOrigin: string;
}

export interface JobInfo {
  id: string;
  prompt: string;
  state: 'queued' | 'running';
}
