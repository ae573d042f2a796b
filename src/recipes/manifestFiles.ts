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
  const current = await currentText(uri);
  if (current.text === undefined) throw vscode.FileSystemError.FileNotFound(uri);
  return parseManifest(current.text);
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
  const { document, text = '' } = await currentText(manifestUri);
  const updated = change(text);
  if (document) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(manifestUri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), updated);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  } else {
    await vscode.workspace.fs.writeFile(manifestUri, Buffer.from(updated));
  }
  return parseManifest(updated);
}

/**
 * The recipes file's text (undefined: there is none) and its document, when VS Code has one. A
 * file deleted on disk lives on as a closed document for a while (VS Code keeps its model): its
 * text is gone unless an editor still holds unsaved edits, but an edit goes through the document
 * all the same, so editors and CodeLens never show the old text.
 */
async function currentText(uri: vscode.Uri): Promise<{ document?: vscode.TextDocument; text?: string }> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) return { document: open, text: open.getText() };
  const onDisk = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (!onDisk) return open ? { document: open } : {};
  const document = open ?? (await vscode.workspace.openTextDocument(uri));
  return { document, text: document.getText() };
}
