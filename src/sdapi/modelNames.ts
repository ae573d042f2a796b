// How checkpoints are named: A1111 titles carry a `[hash]` once the model was hashed, a folder
// and a file extension; users and settings name models any of those ways.

import type { SdModel } from './types';

const HASH_SUFFIX = /\s*\[[0-9a-f]+\]$/i;

/** `icons/flat-icons-v2.safetensors [31e35c80fc]` -> `flat-icons-v2`. */
export function shortModelName(title: string): string {
  return (title.replace(HASH_SUFFIX, '').split(/[\\/]/).pop() ?? title).replace(/\.(safetensors|ckpt|pt|bin|gguf)$/i, '');
}

/** Finds a model by title, title without hash, model name, file name or hash. */
export function findModel(models: readonly SdModel[], wanted: string): SdModel | undefined {
  return models.find((m) => [m.title, m.title.replace(HASH_SUFFIX, ''), m.model_name, m.filename, m.hash].includes(wanted));
}
