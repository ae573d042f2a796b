import * as l10n from '@vscode/l10n';
// What the saved file must be, whatever the server made: an exact size (made near the model's
// native area with the target's aspect, then resized) and a format with its quality or a size
// budget. Pure and shared: the host applies it (generation/shapeOutput.ts), the panel shows the
// size the server will make, recipes and settings say it in the same words.

export type Fit = 'cover' | 'contain';
export const FITS: readonly Fit[] = ['cover', 'contain'];

export type OutputFormat = 'png' | 'webp' | 'jpeg' | 'avif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'webp', 'jpeg', 'avif'];

/** The rembg extension's models (scripts/postprocessing_rembg.py @a4c07b8; it has no route that lists them). */
export const REMBG_MODELS = ['u2net', 'isnet-general-use', 'isnet-anime', 'u2netp', 'u2net_human_seg', 'u2net_cloth_seg', 'silueta'] as const;

/** The largest target side: beyond any icon, banner or texture a project ships. */
export const MAX_TARGET_SIDE = 8192;
/** The sides a model is made for (its native area is the side squared). */
export const NATIVE_SIDES = [512, 768, 1024] as const;
/** Beyond this ratio the server makes a 4:1 picture and cover crops the rest (models do badly with longer ones). */
const MAX_ASPECT = 4;

export interface ExactSize {
  width: number;
  height: number;
  fit: Fit;
  /** Contain: the colour around the picture (#rrggbb); absent: transparent (white in a JPEG). */
  background?: string;
  /** Generate near this side squared instead of the model's own (512, 768, 1024). */
  near?: number;
  /** Generate at the request's own width and height (a recipe that says both sizes). */
  keepGenerationSize?: true;
}

export interface OutputShape {
  size?: ExactSize;
  /** Absent: the server's own format, as it sent it. */
  format?: OutputFormat;
  /** PNG: re-compress losslessly as small as it goes (slower); otherwise a PNG the server sent is kept. */
  optimisePng?: boolean;
  /** WebP, JPEG and AVIF: 1..100. Ignored with a budget. */
  quality?: number;
  /** The most kilobytes the file may have: the best quality that fits is chosen (WebP, JPEG, AVIF). */
  budgetKB?: number;
  /** A transparent background, made by the server's rembg extension before the file is shaped. */
  removeBackground?: { model: string; alphaMatting: boolean };
}

export interface Size {
  width: number;
  height: number;
}

/**
 * The side a checkpoint is made for, from its name (SD.Next also reports a type): SDXL and its
 * descendants, SD 3 and Flux 1024; SD 2's 768 models 768; anything else SD 1.5's 512.
 */
export function nativeSideOf(model: string | undefined, type?: string): number {
  // Without the "[hash]" a title ends with: its hex digits would match.
  const text = `${type ?? ''} ${(model ?? '').replace(/\s*\[[0-9a-f]+\]\s*$/i, '')}`.toLowerCase();
  if (/xl|pony|illustrious|noob|sd_?-?3|flux|\bf1\b|auraflow|hunyuan|pixart|playground|kolors|cascade/.test(text)) return 1024;
  if (/(^|\D)768(\D|$)|v2[-_]|sd_?-?2/.test(text)) return 768;
  return 512;
}

/**
 * What the server makes for a target: the target's aspect (at most 4:1) at about `side`² pixels,
 * each side a multiple of 8 (what every model's latent space needs).
 */
export function generationSizeFor(target: Size, side: number): Size {
  const aspect = Math.min(MAX_ASPECT, Math.max(1 / MAX_ASPECT, target.width / target.height));
  const area = side * side;
  const toEight = (value: number) => Math.max(64, Math.round(value / 8) * 8);
  return { width: toEight(Math.sqrt(area * aspect)), height: toEight(Math.sqrt(area / aspect)) };
}

/** `"1200x630"`, `"1200 × 630"` or `{ width, height }` -> the numbers; undefined when it is none of those. */
export function parseSize(value: unknown): Size | undefined {
  if (typeof value === 'string') {
    const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(value);
    return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
  }
  if (value && typeof value === 'object') {
    const { width, height } = value as { width?: unknown; height?: unknown };
    if (typeof width === 'number' && typeof height === 'number') return { width, height };
  }
  return undefined;
}

/** Why a target cannot be made, or undefined. */
export function exactSizeProblem(size: Pick<ExactSize, 'width' | 'height' | 'background'>): string | undefined {
  for (const [side, value] of [
    ['width', size.width],
    ['height', size.height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_TARGET_SIDE)
      return side === 'width'
        ? l10n.t('The width must be a whole number of pixels from 1 to {0}, not {1}.', MAX_TARGET_SIDE, value)
        : l10n.t('The height must be a whole number of pixels from 1 to {0}, not {1}.', MAX_TARGET_SIDE, value);
  }
  if (size.background !== undefined && !/^#[0-9a-f]{6}$/i.test(size.background))
    return l10n.t('"{0}" is not a colour: write it as #rrggbb, such as #ffffff.', size.background);
  return undefined;
}

/** Why a format's quality or budget cannot be used, or undefined. */
export function formatProblem(shape: Pick<OutputShape, 'format' | 'quality' | 'budgetKB'>): string | undefined {
  if (shape.format !== undefined && !OUTPUT_FORMATS.includes(shape.format))
    return l10n.t('"{0}" is not a format: use png, webp, jpeg or avif.', String(shape.format));
  if (shape.quality !== undefined && (!Number.isInteger(shape.quality) || shape.quality < 1 || shape.quality > 100))
    return l10n.t('The quality must be a whole number from 1 to 100, not {0}.', shape.quality);
  if (shape.budgetKB !== undefined && (!Number.isFinite(shape.budgetKB) || shape.budgetKB < 1))
    return l10n.t('The size budget must be at least 1 KB, not {0}.', shape.budgetKB);
  return undefined;
}

/** The format a file name asks for (a recipe's path), or undefined for one we do not write. */
export function formatOfPath(path: string): OutputFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === 'png' || extension === 'webp' || extension === 'avif') return extension;
  return extension === 'jpg' || extension === 'jpeg' ? 'jpeg' : undefined;
}

/** Infotext keys the shape is recorded under (beside A1111's own `Size`, the generated one). */
// l10n-exempt: infotext keys, written into images.
export const OUTPUT_KEYS = { size: 'Output size', fit: 'Output fit', background: 'Output background' } as const;

/** The infotext fields that record an exact size, appended to the generation's. */
export function outputSizeParams(size: ExactSize): [string, string][] {
  return [
    [OUTPUT_KEYS.size, `${size.width}x${size.height}`],
    [OUTPUT_KEYS.fit, size.fit],
    ...(size.fit === 'contain' && size.background ? ([[OUTPUT_KEYS.background, size.background]] as [string, string][]) : []),
  ];
}

/** The panel's fields for the output file (as the form holds them; the settings give their defaults). */
export interface OutputFields {
  exactSize: boolean;
  outputWidth: number;
  outputHeight: number;
  outputFit: Fit;
  /** '': transparent (white in a JPEG). */
  outputBackground: string;
  /** The side to generate near: 'auto' from the model's name. */
  outputModelSize: 'auto' | '512' | '768' | '1024';
  /** 'server': as the server sends it. */
  outputFormat: 'server' | OutputFormat;
  outputQuality: number;
  /** 0: no budget. */
  outputMaxKB: number;
  /** A transparent background (servers with rembg), with this rembg model and edges. */
  transparent: boolean;
  rembgModel: string;
  alphaMatting: boolean;
}

export const OUTPUT_DEFAULTS: OutputFields = {
  exactSize: false,
  outputWidth: 1200,
  outputHeight: 630,
  outputFit: 'cover',
  outputBackground: '',
  outputModelSize: 'auto',
  outputFormat: 'server',
  outputQuality: 82,
  outputMaxKB: 0,
  transparent: false,
  rembgModel: 'u2net',
  alphaMatting: false,
};

/** Targets projects often need, for the panel's picker (labels in the display language). */
export const targetPresets = (): readonly { label: string; width: number; height: number }[] => [
  { label: l10n.t('Social card'), width: 1200, height: 630 },
  { label: l10n.t('Hero banner'), width: 1920, height: 600 },
  { label: l10n.t('Full HD'), width: 1920, height: 1080 },
  { label: l10n.t('Phone wallpaper'), width: 1080, height: 1920 },
  { label: l10n.t('App icon'), width: 512, height: 512 },
  { label: l10n.t('Favicon'), width: 32, height: 32 },
];

/** The shape the fields ask for; undefined when they ask for the file as the server sends it. */
export function outputShapeOf(fields: OutputFields): OutputShape | undefined {
  const shape: OutputShape = {
    ...(fields.exactSize
      ? {
          size: {
            width: fields.outputWidth,
            height: fields.outputHeight,
            fit: fields.outputFit,
            ...(fields.outputFit === 'contain' && fields.outputBackground ? { background: fields.outputBackground } : {}),
            ...(fields.outputModelSize !== 'auto' ? { near: Number(fields.outputModelSize) } : {}),
          },
        }
      : {}),
    ...(fields.outputFormat !== 'server' ? { format: fields.outputFormat, optimisePng: true } : {}),
    quality: fields.outputQuality,
    ...(fields.outputMaxKB > 0 ? { budgetKB: fields.outputMaxKB } : {}),
    ...(fields.transparent ? { removeBackground: { model: fields.rembgModel, alphaMatting: fields.alphaMatting } } : {}),
  };
  return shape.size || shape.format || shape.removeBackground ? shape : undefined;
}

/** The fields that are wrong, with a sentence each (the form's own check and the host's). */
export function outputFieldErrors(fields: OutputFields): { field: keyof OutputFields; message: string }[] {
  const errors: { field: keyof OutputFields; message: string }[] = [];
  if (fields.exactSize) {
    for (const [field, value, side] of [
      ['outputWidth', fields.outputWidth, 'width'],
      ['outputHeight', fields.outputHeight, 'height'],
    ] as const) {
      const problem = exactSizeProblem({ width: side === 'width' ? value : 1, height: side === 'height' ? value : 1 });
      if (problem) errors.push({ field, message: problem });
    }
    if (!FITS.includes(fields.outputFit)) errors.push({ field: 'outputFit', message: l10n.t('Choose cover or contain.') });
    const background = fields.outputBackground === '' ? undefined : exactSizeProblem({ width: 1, height: 1, background: fields.outputBackground });
    if (background) errors.push({ field: 'outputBackground', message: background });
  }
  if (fields.outputFormat !== 'server' && !OUTPUT_FORMATS.includes(fields.outputFormat))
    errors.push({ field: 'outputFormat', message: l10n.t('Choose a format from the list.') });
  const lossy = fields.outputFormat === 'webp' || fields.outputFormat === 'jpeg' || fields.outputFormat === 'avif';
  if (lossy) {
    const quality = formatProblem({ quality: fields.outputQuality });
    if (quality) errors.push({ field: 'outputQuality', message: quality });
    if (!Number.isInteger(fields.outputMaxKB) || fields.outputMaxKB < 0)
      errors.push({ field: 'outputMaxKB', message: l10n.t('The size budget is a whole number of kilobytes (0: none).') });
  }
  return errors;
}
