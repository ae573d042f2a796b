import * as vscode from 'vscode';
import { readPngHead } from '../image/fileHead';

/**
 * Enough of an image to read its metadata: for a local PNG only the chunks before its pixels
 * (src/image/fileHead.ts); otherwise (JPEG, WebP, remote or virtual files) the whole file.
 * Used by the recipes' stale check and by hovers, which look at many or large images.
 */
export async function readImageMetadataBytes(file: vscode.Uri): Promise<Uint8Array> {
  if (file.scheme === 'file' && /\.png$/i.test(file.path)) return (await readPngHead(file.fsPath)).bytes;
  return vscode.workspace.fs.readFile(file);
}
