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

import * as l10n from '@vscode/l10n';
import { findNodeAtLocation, getNodeValue, parseTree, type Node, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { parseSize } from '../shared/outputShape';
import { FIELD_TYPES, hasType, valueProblem, wrongType, type RecipeFields } from './recipeFields';

export { parseSize };

export { RECIPE_FIELDS, type RecipeFields } from './recipeFields';

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

// Not AVIF: it keeps no parameters, so a recipe could never tell its image is up to date.
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
      problems.push({ offset: 0, length: Math.max(1, text.length), message: l10n.t('A recipes file is a JSON object with "assets".'), severity: 'error' });
    return manifest;
  }
  const defaults = findNodeAtLocation(root, ['defaults']);
  if (defaults) manifest.defaults = readFields(defaults, problems);
  const styles = findNodeAtLocation(root, ['styles']);
  for (const [name, node] of properties(styles)) {
    const value: unknown = getNodeValue(node);
    if (typeof value === 'string') manifest.styles[name] = { prompt: value };
    else if (isStyleObject(value)) manifest.styles[name] = value;
    else
      problems.push(at(node, l10n.t('Style "{0}" must be a prompt template such as "flat icon of {prompt}", or { "prompt": …, "negativePrompt": … }.', name)));
  }
  const assets = findNodeAtLocation(root, ['assets']);
  if (!assets) {
    problems.push({ offset: root.offset, length: 1, message: l10n.t('Add "assets": { "path/to/image.png": { "prompt": "…" } }.'), severity: 'warning' });
    return manifest;
  }
  manifest.assetsOffset = assets.parent?.children?.[0]?.offset ?? assets.offset;
  if (assets.type !== 'object') {
    problems.push(at(assets, l10n.t('"assets" must be an object whose keys are the images\' paths.')));
    return manifest;
  }
  const seen = new Set<string>();
  for (const [path, node, keyNode] of properties(assets)) {
    const problem = pathProblem(path);
    if (problem) problems.push(at(keyNode, problem));
    if (seen.has(path)) problems.push(at(keyNode, l10n.t('"{0}" is listed twice.', path)));
    seen.add(path);
    if (node.type !== 'object') {
      problems.push(at(node, l10n.t('An asset is an object with at least a "prompt".')));
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
      problems.push({ offset: entry.keyOffset, length: entry.keyLength, message: l10n.t('There is no style "{0}" in "styles".', style), severity: 'error' });
    }
    if ((entry.fields.prompt ?? '').trim() === '') {
      problems.push({ offset: entry.keyOffset, length: entry.keyLength, message: l10n.t('"{0}" has no "prompt".', entry.path), severity: 'error' });
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
  if (normalized.trim() === '') return l10n.t('The path is empty.');
  if (normalized.startsWith('/') || /^[a-z]:/i.test(normalized) || /^[a-z][a-z0-9+.-]*:/i.test(normalized))
    return l10n.t('"{0}" must be a path inside the workspace, such as media/fox.png.', path);
  if (normalized.split('/').some((segment) => segment === '..')) return l10n.t('"{0}" leaves the workspace ("..").', path);
  if (normalized.endsWith('/')) return l10n.t('"{0}" is a folder: name the image file, such as {1}image.png.', path, normalized);
  if (!IMAGE_PATH.test(normalized)) return l10n.t('"{0}" is not an image file name: end it with .png, .jpg or .webp.', path);
  return undefined;
}

function readFields(node: Node, problems: ManifestProblem[]): RecipeFields {
  const fields: RecipeFields = {};
  for (const [key, valueNode, keyNode] of properties(node)) {
    if (!(key in FIELD_TYPES)) {
      if (key !== '$comment') problems.push({ ...at(keyNode, l10n.t('Unknown field "{0}".', key)), severity: 'warning' });
      continue;
    }
    const type = FIELD_TYPES[key as keyof RecipeFields];
    const value: unknown = getNodeValue(valueNode);
    const ok = type === 'size' ? parseSize(value) !== undefined : hasType(value, type);
    if (!ok) {
      problems.push(
        at(valueNode, type === 'size' ? l10n.t('"{0}" is "WIDTHxHEIGHT" such as "512x512", or { "width": 512, "height": 512 }.', key) : wrongType(key, type)),
      );
      continue;
    }
    const problem = valueProblem(key as keyof RecipeFields, value);
    if (problem) {
      problems.push(at(valueNode, problem));
      continue;
    }
    (fields as Record<string, unknown>)[key] = value;
  }
  return fields;
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
