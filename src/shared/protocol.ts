// The messages between the generation panel's webview and the extension host. Both bundles
// import this file (no 'vscode' import here), so the two sides cannot drift apart. Everything
// that arrives from the webview is validated by panel/messageGuards.ts before use.

import * as l10n from '@vscode/l10n';
import type { OutputFields } from './outputShape';
import type { QualityFields } from './qualityOptions';
import type { ControlFieldName, ControlUnitValues } from './controlNet';
import type { ResizeMode } from './settingsSchema';

export { LIMITS } from './settingsSchema';
export type { ResizeMode };
export type Mode = 'txt2img' | 'img2img';

/** What the form holds; also what the webview keeps in its state across reloads. */
export interface FormValues extends QualityFields, OutputFields {
  mode: Mode;
  prompt: string;
  negativePrompt: string;
  sampler: string;
  scheduler: string;
  steps: number;
  cfgScale: number;
  seed: number;
  width: number;
  height: number;
  batchSize: number;
  batchCount: number;
  /** Workspace-relative path of the img2img source. */
  source: string;
  denoisingStrength: number;
  resizeMode: ResizeMode;
  /** Server styles to apply, by name. */
  styles: string[];
  /** Inpainting (image to image with a painted mask): blur at the mask's edge, in pixels. */
  maskBlur: number;
  maskFill: 'fill' | 'original' | 'latentNoise' | 'latentNothing';
  /** 'whole': the whole picture at the size; 'masked': only the masked area, with padding. */
  inpaintArea: 'whole' | 'masked';
  maskPadding: number;
  /** Outpainting: pixels the canvas grows by on each side (0: none); the new area is masked. */
  extendLeft: number;
  extendTop: number;
  extendRight: number;
  extendBottom: number;
  /** ControlNet units (empty: none), on servers with the extension. */
  controlNet: ControlUnitValues[];
}

/** What is known of one generated image (stored by the gallery, shown by the page). */
export interface ImageRecord {
  id: string;
  prompt: string;
  negativePrompt: string;
  seed?: number | undefined;
  width: number;
  height: number;
  model?: string | undefined;
  sampler?: string | undefined;
  scheduler?: string | undefined;
  steps?: number | undefined;
  cfgScale?: number | undefined;
  denoisingStrength?: number | undefined;
  /** Made as a seamless texture: the gallery can show it tiled 3 × 3. */
  tiling?: boolean | undefined;
  /** What Describe said of it: the alt text when it is inserted (else the prompt). */
  description?: string | undefined;
  kind: Mode;
  /** ms since the epoch */
  createdAt: number;
}

export interface GalleryItem extends ImageRecord {
  /** asWebviewUri of the file, for <img src>. */
  src: string;
  relativePath: string;
}

export interface ServerView {
  origin: string;
  /** The named servers (sdStudio.servers) and which one is in use. */
  profiles?: { name: string; active: boolean }[];
  /** The pool of named servers, once two are marked, and whether jobs are spread over it. */
  pool?: { label: string; active: boolean };
  /** Undefined until loaded; [] when the server could not be reached. */
  models?: { title: string; name: string }[];
  currentModel?: string;
  samplers?: string[];
  /** Undefined on servers without schedulers (one combined sampler list). */
  schedulers?: string[];
  /** One sentence when the server could not be reached. */
  error?: string;
  /** A model switch is in progress. */
  loadingModel?: string;
  /** Hires fix's upscalers (latent modes, then the server's upscalers); undefined: the server has no hires fix. */
  hiresUpscalers?: string[];
  /** The prompt helpers' lists, where the server offers them. */
  loras?: { name: string; alias?: string | undefined }[];
  embeddings?: string[];
  styles?: { name: string; prompt: string; negativePrompt: string }[];
  /** VAEs to choose from (value: what the server takes; label: its name); undefined: none per request. */
  vaes?: { value: string; label: string }[];
  /** Forge: its modules, offered as text encoders too (value: file; label: name); undefined elsewhere. */
  textEncoders?: { value: string; label: string }[];
  /** The server takes a refiner checkpoint (chosen from `models`). */
  refiner?: boolean;
  /** The server takes `tiling`. */
  tiling?: boolean;
  /** The server takes Forge's distilled CFG scale (Flux). */
  distilledCfg?: boolean;
  /** The server takes options per request (CLIP skip). */
  clipSkip?: boolean;
  /** One sentence naming the "More settings" this server lacks. */
  moreMissing?: string;
  /** ControlNet's preprocessors and models; undefined: the server has no ControlNet (`controlNetMissing` says so). */
  controlNet?: { modules: string[]; models: string[]; /** The server's Multi-ControlNet setting. */ units: number };
  controlNetMissing?: string;
  /** The server removes backgrounds (rembg); otherwise `rembgMissing` says how to get it. */
  rembg?: boolean;
  rembgMissing?: string;
  /** Set when the server cannot switch models (it serves the one it started with): the sentence to show. */
  fixedModel?: string;
}

export interface JobView {
  id: string;
  prompt: string;
  state: 'queued' | 'running';
}

export interface SourceView {
  path: string;
  /** asWebviewUri or data: URI for the preview; '' when the file is too large to preview. */
  src: string;
  width: number;
  height: number;
  /** The source's aspect ratio at about the configured pixel count, multiples of 8. */
  suggestedWidth: number;
  suggestedHeight: number;
}

export interface FieldError {
  field: keyof FormValues | ControlFieldName | '';
  message: string;
}

/** A recipe entry's candidates waiting for the user's pick (recipes/candidateOffers.ts). */
export interface CandidateOfferView {
  id: string;
  /** The entry's declared path, and the recipes file (workspace-relative). */
  entryPath: string;
  manifest: string;
  images: { src: string; seed?: number; name: string; width: number; height: number }[];
}

export type GalleryAction =
  'open' | 'reveal' | 'copyPath' | 'insert' | 'useAsSource' | 'reuse' | 'parameters' | 'upscale' | 'describe' | 'operations' | 'delete';

/** The buttons a failure offers (errors/failure.ts decides which; the same in notifications and the banner). */
export const FAILURE_ACTION_IDS = ['enterCredentials', 'setServer', 'connectionHelp', 'showLog', 'saveKeptAs', 'retrySave', 'reuseInPanel'] as const;
export type FailureActionId = (typeof FAILURE_ACTION_IDS)[number];

export interface FailureActionView {
  id: FailureActionId;
  label: string;
}

export type WebviewToHost =
  | { type: 'ready' }
  /**
   * `mask`: the painted inpainting mask (base64 PNG), sent only with Generate. `extended`: when
   * outpainting, the source padded to the grown canvas (base64 PNG); the mask then has its size.
   */
  | { type: 'generate'; form: FormValues; mask?: string; extended?: string }
  /** The source's pixels, for padding it (outpainting): answered with `sourceData`. */
  | { type: 'sourceData' }
  /** A ControlNet unit's control image: picked in a dialog, or a path (dropped); answered with `controlImage`. */
  | { type: 'pickControlImage'; unit: number }
  | { type: 'setControlImage'; unit: number; path: string }
  | { type: 'cancel'; jobId: string }
  | { type: 'selectModel'; title: string }
  | { type: 'refreshServer' }
  | { type: 'pickSource' }
  | { type: 'setSource'; path: string }
  | { type: 'clearSource' }
  | { type: 'galleryAction'; action: GalleryAction; id: string }
  /** A button of the error banner. */
  | { type: 'failureAction'; id: FailureActionId }
  /** The form as typed (debounced), kept by the host too: a second copy for restoring after a reload. */
  | { type: 'formState'; form: FormValues }
  /** Generate with another named server (sdStudio.servers). */
  | { type: 'selectServer'; name: string }
  /** Spread jobs over the pool (sdStudio.usePool). */
  | { type: 'usePool' }
  /** The candidate the user picked for a recipe entry (by the offer's id and its index). */
  | { type: 'pickCandidate'; offerId: string; index: number }
  /** None of the candidates: they stay in the candidates folder. */
  | { type: 'dismissCandidates'; offerId: string };

export type HostToWebview =
  | { type: 'init'; defaults: FormValues; savedForm?: FormValues; gallery: GalleryItem[]; jobs: JobView[]; server: ServerView; prefill?: Partial<FormValues> }
  | { type: 'server'; server: ServerView }
  | { type: 'jobs'; jobs: JobView[] }
  | { type: 'progress'; jobId: string; message: string; fraction?: number; preview?: string }
  | { type: 'finished'; jobId: string; outcome: 'saved' | 'cancelled' | 'failed'; message?: string }
  | { type: 'gallery'; items: GalleryItem[] }
  | { type: 'source'; source: SourceView | null }
  /** The current source as a data: URI (the page reads its pixels to pad it), or why not. */
  | { type: 'sourceData'; path: string; src: string }
  /** A ControlNet unit's control image, loaded and checked (path, preview, size). */
  | { type: 'controlImage'; unit: number; image: SourceView }
  | { type: 'fieldErrors'; errors: FieldError[] }
  | { type: 'error'; message: string; actions: FailureActionView[] }
  /** Values to put into the form (a selection's prompt, an image's parameters to reuse). */
  | { type: 'prefill'; values: Partial<FormValues> }
  /** The recipe entries waiting for a pick, each with its candidates. */
  | { type: 'candidates'; offers: CandidateOfferView[] };

/** Common sizes: SD 1.5 squares and SDXL buckets (labels in the display language). */
export const sizePresets = (): { label: string; width: number; height: number }[] => [
  { label: '512 × 512 (1:1)', width: 512, height: 512 },
  { label: '768 × 768 (1:1)', width: 768, height: 768 },
  { label: '1024 × 1024 (1:1, SDXL)', width: 1024, height: 1024 },
  { label: l10n.t('512 × 768 (2:3 portrait)'), width: 512, height: 768 },
  { label: l10n.t('768 × 512 (3:2 landscape)'), width: 768, height: 512 },
  { label: l10n.t('832 × 1216 (2:3 portrait, SDXL)'), width: 832, height: 1216 },
  { label: l10n.t('1216 × 832 (3:2 landscape, SDXL)'), width: 1216, height: 832 },
  { label: '1344 × 768 (16:9, SDXL)', width: 1344, height: 768 },
  { label: '768 × 1344 (9:16, SDXL)', width: 768, height: 1344 },
];
