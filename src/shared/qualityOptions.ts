// The panel's "More settings": hires fix, tiling, CLIP skip, VAE, refiner, distilled CFG. Limits and defaults for both
// bundles (the page's inputs, the host's checks), and the request options they become.

/** What a request asks beyond the basic fields (generation/requestExtras.ts sends it). */
export interface QualityOptions {
  /** txt2img only: a second pass at `scale` times the size, through `upscaler`. */
  hires?: { scale: number; upscaler: string; steps: number; denoisingStrength: number } | undefined;
  tiling?: boolean | undefined;
  /** 1 is off; 2 skips the last CLIP layer (many anime models want it). */
  clipSkip?: number | undefined;
  /** The VAE as the server names it (a name from /sd-vae, or a module file on Forge). */
  vae?: string | undefined;
  /**
   * Forge: text encoder files from its modules (CLIP-L, T5…), sent with the VAE in
   * forge_additional_modules; or their names as an image records them (the files are looked up).
   */
  textEncoders?: string[] | undefined;
  /** A second checkpoint takes over at `switchAt` (0..1) of the steps. */
  refiner?: { checkpoint: string; switchAt: number } | undefined;
  /** Forge: the guidance Flux follows (its CFG scale stays near 1); absent: the server's 3.5. */
  distilledCfg?: number | undefined;
}

export const QUALITY_LIMITS = {
  hiresScale: { min: 1, max: 4, step: 0.05 },
  hiresSteps: { min: 0, max: 150 },
  clipSkip: { min: 1, max: 12 },
  distilledCfg: { min: 0, max: 30, step: 0.1 },
} as const;

/** The form's fields for them, as the form holds them. */
export interface QualityFields {
  hiresFix: boolean;
  hiresScale: number;
  hiresUpscaler: string;
  /** 0: as many as the first pass. */
  hiresSteps: number;
  hiresDenoising: number;
  tiling: boolean;
  clipSkip: number;
  /** '': the model's own (Automatic). */
  vae: string;
  /** Forge's text encoder modules, by file, or by name from an image's parameters ([]: the model's own). */
  textEncoders: string[];
  /** '': none. */
  refiner: string;
  refinerSwitchAt: number;
  /** Forge's distilled CFG scale (Flux). */
  distilledCfg: number;
}

export const QUALITY_DEFAULTS: QualityFields = {
  hiresFix: false,
  hiresScale: 2,
  // l10n-exempt: an upscaler name, sent to the server.
  hiresUpscaler: 'Latent',
  hiresSteps: 0,
  hiresDenoising: 0.55,
  tiling: false,
  clipSkip: 1,
  vae: '',
  textEncoders: [],
  refiner: '',
  refinerSwitchAt: 0.8,
  distilledCfg: 3.5,
};

/** Latent upscale modes A1111 offers for hires fix besides its upscalers (shared.latent_upscale_modes). */
// l10n-exempt: A1111's latent upscaler names, sent to the server.
export const LATENT_UPSCALE_MODES = [
  'Latent',
  'Latent (antialiased)',
  'Latent (bicubic)',
  'Latent (bicubic antialiased)',
  'Latent (nearest)',
  'Latent (nearest-exact)',
];

/** The options a form asks for; hires fix only without a source image. */
export function qualityOf(fields: QualityFields, mode: 'txt2img' | 'img2img'): QualityOptions {
  return {
    ...(fields.hiresFix && mode === 'txt2img'
      ? { hires: { scale: fields.hiresScale, upscaler: fields.hiresUpscaler, steps: fields.hiresSteps, denoisingStrength: fields.hiresDenoising } }
      : {}),
    ...(fields.tiling ? { tiling: true } : {}),
    ...(fields.clipSkip > 1 ? { clipSkip: fields.clipSkip } : {}),
    ...(fields.vae ? { vae: fields.vae } : {}),
    ...(fields.textEncoders.length > 0 ? { textEncoders: [...fields.textEncoders] } : {}),
    ...(fields.refiner && mode === 'txt2img' ? { refiner: { checkpoint: fields.refiner, switchAt: fields.refinerSwitchAt } } : {}),
    ...(fields.distilledCfg !== QUALITY_DEFAULTS.distilledCfg ? { distilledCfg: fields.distilledCfg } : {}),
  };
}

/** The size the image comes out at: hires fix multiplies it (rounded as A1111 does, to whole pixels). */
export function finalSize(width: number, height: number, hires: QualityOptions['hires']): { width: number; height: number } {
  return hires ? { width: Math.floor(width * hires.scale), height: Math.floor(height * hires.scale) } : { width, height };
}
