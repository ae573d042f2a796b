import * as vscode from 'vscode';
import { addEntry } from './adoptEntry';
import { parseManifest, type Manifest, type RecipeFields } from './manifest';

/** Recipes files: `sd-assets.json` and `*.sd-assets.json` (as contributes.jsonValidation). */
export const MANIFEST_GLOB = '**/{sd-assets.json,*.sd-assets.json}';

/** The recipes files of one workspace folder, or of all. */
export function findManifests(folder?: vscode.WorkspaceFolder): Thenable<vscode.Uri[]> {
  return vscode.workspace.findFiles(folder ? new vscode.RelativePattern(folder, MANIFEST_GLOB) : MANIFEST_GLOB, '**/node_modules/**', 50);
}

/** A recipes file as it is now, unsaved edits included. */
export async function readManifest(uri: vscode.Uri): Promise<Manifest> {
  return parseManifest((await vscode.workspace.openTextDocument(uri)).getText());
}

/** Adds an entry to a recipes file, which is created when missing. */
export function writeEntry(manifestUri: vscode.Uri, entryPath: string, fields: RecipeFields): Promise<Manifest> {
  return editManifest(manifestUri, (text) => addEntry(text, entryPath, fields));
}

/**
 * Changes a recipes file (created when missing) through a workspace edit, so an open editor keeps
 * its undo history, then saves it. Returns the file as it is now.
 */
export async function editManifest(manifestUri: vscode.Uri, change: (text: string) => string): Promise<Manifest> {
  const document = await vscode.workspace.openTextDocument(manifestUri).then(undefined, () => undefined);
  const text = document?.getText() ?? '';
  const updated = change(text);
  if (document) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(manifestUri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), updated);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  } else {
    await vscode.workspace.fs.writeFile(manifestUri, Buffer.from(updated));
  }
  return parseManifest(updated);
}
