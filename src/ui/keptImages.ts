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
      openLabel: 'Save Images Here',
      title: 'Save the generated images to…',
    })) ?? [];
  return target ? writer.moveKept(target, kept) : [];
}

/** Tries the original folder again; says how it went. */
export async function retrySave(writer: ImageWriter, folder: vscode.Uri, kept: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  try {
    const moved = await writer.moveKept(folder, kept);
    void vscode.window.showInformationMessage(
      `Saved ${moved.length === 1 ? path.posix.basename(moved[0]!.path) : `${moved.length} images`} to ${vscode.workspace.asRelativePath(folder)}.`,
    );
    return moved;
  } catch (error) {
    const message = `Still cannot save into ${vscode.workspace.asRelativePath(folder)} (${describeFileError(error)}); the images stay kept: choose Save As… to put them elsewhere.`;
    void vscode.window.showErrorMessage(message, 'Save As…').then((choice) => (choice ? saveKeptAs(writer, kept) : undefined));
    return [];
  }
}
