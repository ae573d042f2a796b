import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeFileError, type ImageWriter } from '../output/imageWriter';

// The two ways out after images could not be saved and were kept in the extension's storage
// (SaveFailedError): the dialogs live here, at the edge; the writer only moves files.

/** Asks for a folder and moves the kept images there. */
export async function saveKeptAs(writer: ImageWriter, kept: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const [target] =
    (await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: vscode.l10n.t('Save Images Here'),
      title: vscode.l10n.t('Save the generated images to…'),
    })) ?? [];
  return target ? writer.moveKept(target, kept) : [];
}

/** Tries the original folder again; says how it went. */
export async function retrySave(writer: ImageWriter, folder: vscode.Uri, kept: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  try {
    const moved = await writer.moveKept(folder, kept);
    void vscode.window.showInformationMessage(
      moved.length === 1
        ? vscode.l10n.t('Saved {0} to {1}.', path.posix.basename(moved[0]!.path), vscode.workspace.asRelativePath(folder))
        : vscode.l10n.t('Saved {0} images to {1}.', moved.length, vscode.workspace.asRelativePath(folder)),
    );
    return moved;
  } catch (error) {
    const message = vscode.l10n.t(
      'Still cannot save into {0} ({1}); the images stay kept: choose Save As… to put them elsewhere.',
      vscode.workspace.asRelativePath(folder),
      describeFileError(error),
    );
    void vscode.window.showErrorMessage(message, vscode.l10n.t('Save As…')).then((choice) => (choice ? saveKeptAs(writer, kept) : undefined));
    return [];
  }
}
