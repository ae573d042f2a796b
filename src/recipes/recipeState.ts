import * as vscode from 'vscode';
import { readImageMetadataBytes } from '../platform/imageHead';
import { stateOf, type EffectiveRecipe, type RecipeState } from './effective';

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
  let bytes: Uint8Array;
  try {
    bytes = await readImageMetadataBytes(file);
  } catch {
    return 'missing';
  }
  return stateOf(bytes, recipe);
}
