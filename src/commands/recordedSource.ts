import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReuseInPanelError } from '../errors/userError';
import { readSourceImage, type LoadedSource } from '../generation/sourceImage';
import { madeFromSourceImage, type Infotext } from '../metadata/infotext';
import { sourceHash, sourceOf, type RecordedSource } from '../metadata/sourceInfotext';
import { pathProblem } from '../recipes/manifest';
import { entryUri } from '../recipes/recipeState';

export interface FoundSource {
  recorded: RecordedSource;
  loaded: LoadedSource;
}

/**
 * The source image an image-to-image result was made from, as its infotext records it, read from
 * the image's workspace and checked to be the same file; undefined for an image not made from
 * one. Anything else (a source it does not name, or one gone or changed) is a sentence with
 * Reuse in Panel, since making the picture again needs the user. The recorded path is the
 * image's word, so it must stay inside the workspace.
 */
export async function recordedSourceOf(image: vscode.Uri, infotext: Infotext): Promise<FoundSource | undefined> {
  if (!madeFromSourceImage(infotext)) return undefined;
  const name = path.posix.basename(image.path);
  const recorded = sourceOf(infotext);
  const uri = recorded && recordedSourceUri(image, recorded);
  if (!recorded || !uri)
    throw new ReuseInPanelError(
      vscode.l10n.t(
        '{0} was made from a source image its parameters do not name: run Image to Image… on that source with these settings (Reuse in Panel).',
        name,
      ),
      image.toString(),
    );
  const loaded = await readSourceImage(uri).catch(() => undefined);
  if (!loaded)
    throw new ReuseInPanelError(
      vscode.l10n.t(
        '{0} was made from {1}, which is not in the workspace any more: put it back, or choose another source with these settings (Reuse in Panel).',
        name,
        recorded.path,
      ),
      image.toString(),
    );
  if (recorded.hash && sourceHash(loaded.bytes) !== recorded.hash)
    throw new ReuseInPanelError(
      vscode.l10n.t(
        '{1} has changed since {0} was made from it, so the same picture cannot be made again: use it as it is now with these settings (Reuse in Panel).',
        name,
        recorded.path,
      ),
      image.toString(),
    );
  return { recorded, loaded };
}

/** Where the recorded source is: in the image's workspace folder, or nowhere (a path that leaves it). */
export function recordedSourceUri(image: vscode.Uri, recorded: RecordedSource): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(image);
  return folder && !pathProblem(recorded.path) ? entryUri(folder.uri, recorded.path) : undefined;
}
