// A recipes manifest (`sd-assets.json`): the images a project wants, as code. Read with
// positions so that CodeLens, diagnostics and quick fixes point at the right lines. Pure.
//
//   {
//     "defaults": { "size": "512x512", "steps": 24, "style": "icon" },
//     "styles": { "icon": "flat vector icon of {prompt}, white background" },
//     "assets": {
//       "media/fox.png": { "prompt": "a red fox", "seed": 42 },
//       "media/hero.png": { "prompt": "misty mountains at sunrise", "size": "1216x832", "candidates": 4 }
//     }
//   }

import { findNodeAtLocation, getNodeValue, parseTree, type Node, type ParseError, printParseErrorCode } from 'jsonc-parser';

/** What an entry or the defaults may say; every field optional (defaults and built-ins fill in). */
export interface RecipeFields {
  prompt?: string;
  negativePrompt?: string;
  style?: string;
  /** `"1216x832"` or `{ "width": 1216, "height": 832 }`. */
  size?: string | { width: number; height: number };
  model?: string;
  sampler?: string;
  scheduler?: string;
  steps?: number;
  cfgScale?: number;
  seed?: number;
  /** A workspace image to start from (image to image). */
  source?: string;
  /** Denoising strength with a source: 0 keeps it, 1 ignores it. */
  strength?: number;
  /** How many images to make to choose from. */
  candidates?: number;
  /** A seamless texture (the server's `tiling`). */
  tiling?: boolean;
  /** Hires fix (text to image): a second pass this many times larger (1..4). */
  hiresScale?: number;
  /** Hires fix's upscaler (default Latent). */
  hiresUpscaler?: string;
  /** Hires fix's denoising strength (default 0.55). */
  hiresDenoising?: number;
  /** 1 is off; 2 skips the last CLIP layer. */
  clipSkip?: number;
  /** A VAE by the server's name for it (A1111's /sd-vae). */
  vae?: string;
  /** The server's own styles (its /prompt-styles) to apply, by name. */
  serverStyles?: string[];
}

export interface Style {
  prompt: string;
  negativePrompt?: string;
}

export interface ManifestEntry {
  /** The output path as written (workspace-relative, forward slashes). */
  path: string;
  fields: RecipeFields;
  /** Where the entry's key is (for CodeLens and diagnostics). */
  keyOffset: number;
  keyLength: number;
  /** The whole entry: key and value. */
  offset: number;
  length: number;
  /** False when an error lies inside the entry: it is not generated until fixed. */
  valid: boolean;
}

export interface ManifestProblem {
  offset: number;
  length: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface Manifest {
  defaults: RecipeFields;
  styles: Record<string, Style>;
  entries: ManifestEntry[];
  problems: ManifestProblem[];
  /** Where the `assets` key is, for the file's own CodeLens (Generate Missing Assets). */
  assetsOffset?: number;
}

const FIELD_TYPES: Record<keyof RecipeFields, 'string' | 'number' | 'boolean' | 'strings' | 'size'> = {
  prompt: 'string',
  negativePrompt: 'string',
  style: 'string',
  size: 'size',
  model: 'string',
  sampler: 'string',
  scheduler: 'string',
  steps: 'number',
  cfgScale: 'number',
  seed: 'number',
  source: 'string',
  strength: 'number',
  candidates: 'number',
  tiling: 'boolean',
  hiresScale: 'number',
  hiresUpscaler: 'string',
  hiresDenoising: 'number',
  clipSkip: 'number',
  vae: 'string',
  serverStyles: 'strings',
};

const TYPE_NAMES = { string: 'a string', number: 'a number', boolean: 'true or false', strings: 'a list of strings' } as const;

function hasType(value: unknown, type: Exclude<(typeof FIELD_TYPES)[keyof RecipeFields], 'size'>): boolean {
  if (type === 'strings') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === type && (type !== 'number' || Number.isFinite(value));
}

/** The fields an entry or the defaults may have (the JSON schema lists the same; unit-tested). */
export const RECIPE_FIELDS = Object.keys(FIELD_TYPES) as (keyof RecipeFields)[];

const IMAGE_PATH = /\.(png|jpe?g|webp)$/i;

export function parseManifest(text: string): Manifest {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ManifestProblem[] = errors.map((e) => ({
    offset: e.offset,
    length: Math.max(1, e.length),
    message: `JSON: ${printParseErrorCode(e.error)}`,
    severity: 'error',
  }));
  const manifest: Manifest = { defaults: {}, styles: {}, entries: [], problems };
  if (!root || root.type !== 'object') {
    if (errors.length === 0)
      problems.push({ offset: 0, length: Math.max(1, text.length), message: 'A recipes file is a JSON object with "assets".', severity: 'error' });
    return manifest;
  }
  const defaults = findNodeAtLocation(root, ['defaults']);
  if (defaults) manifest.defaults = readFields(defaults, problems);
  const styles = findNodeAtLocation(root, ['styles']);
  for (const [name, node] of properties(styles)) {
    const value: unknown = getNodeValue(node);
    if (typeof value === 'string') manifest.styles[name] = { prompt: value };
    else if (isStyleObject(value)) manifest.styles[name] = value;
    else problems.push(at(node, `Style "${name}" must be a prompt template such as "flat icon of {prompt}", or { "prompt": …, "negativePrompt": … }.`));
  }
  const assets = findNodeAtLocation(root, ['assets']);
  if (!assets) {
    problems.push({ offset: root.offset, length: 1, message: 'Add "assets": { "path/to/image.png": { "prompt": "…" } }.', severity: 'warning' });
    return manifest;
  }
  manifest.assetsOffset = assets.parent?.children?.[0]?.offset ?? assets.offset;
  if (assets.type !== 'object') {
    problems.push(at(assets, '"assets" must be an object whose keys are the images\' paths.'));
    return manifest;
  }
  const seen = new Set<string>();
  for (const [path, node, keyNode] of properties(assets)) {
    const problem = pathProblem(path);
    if (problem) problems.push(at(keyNode, problem));
    if (seen.has(path)) problems.push(at(keyNode, `"${path}" is listed twice.`));
    seen.add(path);
    if (node.type !== 'object') {
      problems.push(at(node, 'An asset is an object with at least a "prompt".'));
      continue;
    }
    const fields = readFields(node, problems);
    if (problem) continue;
    const property = keyNode.parent!;
    manifest.entries.push({
      path,
      fields,
      keyOffset: keyNode.offset,
      keyLength: keyNode.length,
      offset: property.offset,
      length: property.length,
      valid: true,
    });
  }
  for (const entry of manifest.entries) {
    const style = entry.fields.style ?? manifest.defaults.style;
    if (style !== undefined && !manifest.styles[style]) {
      problems.push({ offset: entry.keyOffset, length: entry.keyLength, message: `There is no style "${style}" in "styles".`, severity: 'error' });
    }
    if ((entry.fields.prompt ?? '').trim() === '') {
      problems.push({ offset: entry.keyOffset, length: entry.keyLength, message: `"${entry.path}" has no "prompt".`, severity: 'error' });
    }
  }
  for (const entry of manifest.entries) {
    entry.valid = !problems.some((p) => p.severity === 'error' && p.offset >= entry.offset && p.offset < entry.offset + entry.length);
  }
  return manifest;
}

/** Why an output path cannot be used, or undefined: inside the workspace, a file, an image. */
export function pathProblem(path: string): string | undefined {
  const normalized = path.replace(/\\/g, '/');
  if (normalized.trim() === '') return 'The path is empty.';
  if (normalized.startsWith('/') || /^[a-z]:/i.test(normalized) || /^[a-z][a-z0-9+.-]*:/i.test(normalized))
    return `"${path}" must be a path inside the workspace, such as media/fox.png.`;
  if (normalized.split('/').some((segment) => segment === '..')) return `"${path}" leaves the workspace ("..").`;
  if (normalized.endsWith('/')) return `"${path}" is a folder: name the image file, such as ${normalized}image.png.`;
  if (!IMAGE_PATH.test(normalized)) return `"${path}" is not an image file name: end it with .png, .jpg or .webp.`;
  return undefined;
}

function readFields(node: Node, problems: ManifestProblem[]): RecipeFields {
  const fields: RecipeFields = {};
  for (const [key, valueNode, keyNode] of properties(node)) {
    if (!(key in FIELD_TYPES)) {
      if (key !== '$comment') problems.push({ ...at(keyNode, `Unknown field "${key}".`), severity: 'warning' });
      continue;
    }
    const type = FIELD_TYPES[key as keyof RecipeFields];
    const value: unknown = getNodeValue(valueNode);
    const ok = type === 'size' ? parseSize(value) !== undefined : hasType(value, type);
    if (!ok) {
      problems.push(
        at(
          valueNode,
          type === 'size' ? '"size" is "WIDTHxHEIGHT" such as "512x512", or { "width": 512, "height": 512 }.' : `"${key}" must be ${TYPE_NAMES[type]}.`,
        ),
      );
      continue;
    }
    (fields as Record<string, unknown>)[key] = value;
  }
  return fields;
}

/** `"1216x832"` or `{ width, height }` -> the numbers; undefined when it is neither. */
export function parseSize(value: unknown): { width: number; height: number } | undefined {
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

function properties(node: Node | undefined): [string, Node, Node][] {
  if (!node || node.type !== 'object') return [];
  const result: [string, Node, Node][] = [];
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value && typeof key.value === 'string') result.push([key.value, value, key]);
  }
  return result;
}

function isStyleObject(value: unknown): value is Style {
  const v = value as Partial<Style> | null;
  return !!v && typeof v === 'object' && typeof v.prompt === 'string' && (v.negativePrompt === undefined || typeof v.negativePrompt === 'string');
}

function at(node: Node, message: string): ManifestProblem {
  return { offset: node.offset, length: Math.max(1, node.length), message, severity: 'error' };
}
