import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { GalleryEntry, GalleryStore } from '../gallery/galleryStore';
import { recordValues } from '../gallery/recordValues';
import { readStoredParameters } from '../metadata/imageMetadata';
import type { Log } from '../platform/log';
import type { FormValues, GalleryAction } from '../shared/protocol';
import type { EditorTracker } from '../ui/editorTracker';
import { referenceSnippet, relativeReference } from './references';

export interface GalleryActionDeps {
  gallery: GalleryStore;
  editors: EditorTracker;
  log: Log;
  /** Makes the image the panel's image-to-image source. */
  useAsSource(uri: vscode.Uri): Promise<void>;
  /** Puts a description of the image into the prompt box (and keeps it as the image's alt text). */
  describe(uri: vscode.Uri): Promise<void>;
  /** Opens the panel with these values in the form. */
  prefill(values: Partial<FormValues>): void;
}

/** The image operations the gallery's More… offers: the same commands as the Explorer's menu. */
export const imageOperations = () =>
  [
    { command: 'sdStudio.resizeImage', label: vscode.l10n.t('Resize…'), detail: vscode.l10n.t('Exactly the size a project needs (cover or contain)') },
    { command: 'sdStudio.convertImage', label: vscode.l10n.t('Convert…'), detail: vscode.l10n.t('WebP, JPEG or PNG, at a quality or under a size') },
    { command: 'sdStudio.removeBackground', label: vscode.l10n.t('Remove Background…'), detail: vscode.l10n.t("A transparent PNG, with the server's rembg") },
    {
      command: 'sdStudio.makeIconSet',
      label: vscode.l10n.t('Make Icon Set…'),
      detail: vscode.l10n.t('favicon.ico, touch and web app icons from a square image'),
    },
    { command: 'sdStudio.imageToImage', label: vscode.l10n.t('Image to Image…'), detail: vscode.l10n.t('A new image from this one') },
  ] as const;

/** Whether the file holds generation parameters; one that cannot be read goes to Reuse in Panel, which says why. */
async function keepsParameters(uri: vscode.Uri): Promise<boolean> {
  try {
    return readStoredParameters(await vscode.workspace.fs.readFile(uri)) !== undefined;
  } catch {
    return true;
  }
}

/** What the gallery's buttons do to an image of this workspace. Returns false for an entry that is gone. */
export async function runGalleryAction(deps: GalleryActionDeps, action: GalleryAction, id: string): Promise<boolean> {
  const entry = deps.gallery.get(id);
  if (!entry) return false;
  const uri = vscode.Uri.parse(entry.uri);
  switch (action) {
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.One });
      break;
    case 'reveal':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      break;
    case 'copyPath':
      await vscode.env.clipboard.writeText(vscode.workspace.asRelativePath(uri, false));
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: path copied'), 3000);
      break;
    case 'insert':
      await insertReference(deps.editors, entry, uri);
      break;
    case 'useAsSource':
      await deps.useAsSource(uri);
      break;
    case 'reuse':
      // What the image records, read as Reuse in Panel reads it (hires fix, VAE, ControlNet units…):
      // the gallery's own record holds only what its card shows, so it is the fallback for a file
      // another tool stripped of its parameters.
      if (await keepsParameters(uri)) {
        await vscode.commands.executeCommand('sdStudio.reuseParameters', uri);
      } else {
        deps.prefill(recordValues(entry));
        const name = path.posix.basename(uri.path);
        void vscode.window.setStatusBarMessage(
          vscode.l10n.t('Stable Diffusion: {0} keeps no generation parameters; the panel has what the gallery recorded', name),
          6000,
        );
      }
      break;
    case 'parameters':
      await vscode.commands.executeCommand('sdStudio.showParameters', uri);
      break;
    case 'upscale':
      await vscode.commands.executeCommand('sdStudio.upscaleImage', uri);
      break;
    case 'describe':
      await deps.describe(uri);
      break;
    case 'operations': {
      const picked = await vscode.window.showQuickPick(imageOperations(), { title: vscode.l10n.t('{0}: what to make of it', path.posix.basename(uri.path)) });
      if (picked) await vscode.commands.executeCommand(picked.command, uri);
      break;
    }
    case 'delete':
      await deleteEntry(deps, entry, uri);
      break;
  }
  return true;
}

/** A reference to the image at the cursor of the last text editor (below a selection, which is kept). */
async function insertReference(editors: EditorTracker, entry: GalleryEntry, image: vscode.Uri): Promise<void> {
  let editor = editors.lastEditor;
  if (!editor) throw new UserError(vscode.l10n.t('Open the file to insert the image into, put the cursor where it goes, then choose Insert again.'));
  if (!vscode.window.visibleTextEditors.includes(editor)) {
    editor = await vscode.window.showTextDocument(editor.document, { ...(editor.viewColumn ? { viewColumn: editor.viewColumn } : {}), preserveFocus: false });
  }
  const { document } = editor;
  const sameRoot = document.uri.scheme === image.scheme && document.uri.authority === image.authority && !document.isUntitled;
  const reference = sameRoot ? relativeReference(path.posix.dirname(document.uri.path), image.path) : vscode.workspace.asRelativePath(image, false);
  const snippet = referenceSnippet(document.languageId, reference, entry.description ?? entry.prompt);
  const target = editor;
  const inserted = await target.edit((edit) => {
    for (const selection of target.selections) {
      if (selection.isEmpty) {
        edit.insert(selection.active, snippet);
      } else {
        // Keep selected text (often the prompt itself): the reference goes on the next line.
        const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
        edit.insert(document.lineAt(lastLine).range.end, `\n${snippet}`);
      }
    }
  });
  if (!inserted) throw new UserError(vscode.l10n.t('Could not insert into {0}: the file may be read-only.', path.posix.basename(document.uri.path)));
  await vscode.window.showTextDocument(document, { ...(target.viewColumn ? { viewColumn: target.viewColumn } : {}), preserveFocus: false });
}

/** To the trash; where there is none (remote hosts), only after the user agrees to delete for good. */
async function deleteEntry(deps: GalleryActionDeps, entry: GalleryEntry, uri: vscode.Uri): Promise<void> {
  const name = path.posix.basename(uri.path);
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: true });
  } catch (error) {
    if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
      const deletePermanently = vscode.l10n.t('Delete Permanently');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} cannot be moved to the trash here. Delete it permanently?', name),
        { modal: true },
        deletePermanently,
      );
      if (choice !== deletePermanently) return;
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    }
  }
  deps.log.info(`[gallery] deleted ${uri.toString(true)}`);
  await deps.gallery.remove([entry.id]);
}
