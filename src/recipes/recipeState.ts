import * as vscode from 'vscode';
import { readImageMetadataBytes } from '../platform/imageHead';
import { stateOfHash, storedHashOf, type EffectiveRecipe, type RecipeState } from './effective';

export type { RecipeState };

/** The workspace file an entry's path names (relative to the manifest's workspace folder). */
export function entryUri(manifest: vscode.Uri, entryPath: string): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(manifest)?.uri ?? vscode.Uri.joinPath(manifest, '..');
  return vscode.Uri.joinPath(
    folder,
    ...entryPath
      .replace(/\\/g, '/')
      .split('/')
      .filter((s) => s !== '' && s !== '.'),
  );
}

export async function recipeState(file: vscode.Uri, recipe: EffectiveRecipe): Promise<RecipeState> {
  const stored = await readStoredHash(file);
  return stored.exists ? stateOfHash(stored.hash, recipe) : 'missing';
}

export type StoredHash = { exists: false } | { exists: true; hash: string | undefined };

async function readStoredHash(file: vscode.Uri): Promise<StoredHash> {
  try {
    return { exists: true, hash: storedHashOf(await readImageMetadataBytes(file)) };
  } catch {
    return { exists: false };
  }
}

/**
 * The recipe hash each image carries, read once until the file changes (the caller forgets a file
 * when a watcher reports it). An edit of a recipes file then costs no I/O: its entries' states
 * are its new hashes compared with these.
 */
export class StoredHashes {
  private readonly cache = new Map<string, Promise<StoredHash>>();

  async state(file: vscode.Uri, recipe: EffectiveRecipe): Promise<RecipeState> {
    const key = file.toString();
    let stored = this.cache.get(key);
    if (!stored) {
      stored = readStoredHash(file);
      this.cache.set(key, stored);
    }
    const found = await stored;
    return found.exists ? stateOfHash(found.hash, recipe) : 'missing';
  }

  /** One file (a watcher event), or all. */
  forget(file?: vscode.Uri): void {
    if (file) this.cache.delete(file.toString());
    else this.cache.clear();
  }
}
