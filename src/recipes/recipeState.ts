import * as vscode from 'vscode';
import { readPngText } from '../image/pngText';
import { RECIPE_HASH_KEY, recipeHash, type EffectiveRecipe } from './effective';

/**
 * missing: no file yet; upToDate: made from this very recipe; stale: made from an earlier
 * version of it; untracked: an image is there, but not one a recipe made (adopted, or edited).
 */
export type RecipeState = 'missing' | 'upToDate' | 'stale' | 'untracked';

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
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(file);
  } catch {
    return 'missing';
  }
  const stored = readPngText(bytes).get(RECIPE_HASH_KEY);
  if (stored === undefined) return 'untracked';
  return stored === recipeHash(recipe) ? 'upToDate' : 'stale';
}
