import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReuseInPanelError } from '../errors/userError';
import { readSourceImage, type LoadedSource } from '../generation/sourceImage';
import { madeFromSourceImage, type Infotext } from '../metadata/infotext';
import { sourceHash, sourceOf, type RecordedSource } from '../metadata/sourceInfotext';
import { pathProblem } from '../recipes/manifest';
import { entryUri } from '../recipes/recipeState';

/** What an image says of the source image it was made from, and what is in the workspace now. */
export type SourceLookup =
  | { state: 'none' } // not made from a source image
  | { state: 'unnamed' } // made from one it does not name (or names outside the workspace)
  | { state: 'gone' | 'changed'; recorded: RecordedSource }
  | { state: 'found'; recorded: RecordedSource; loaded: LoadedSource };

/**
 * The source image an image-to-image result was made from, as its infotext records it, read from
 * the image's workspace and checked to be the same file. The recorded path is the image's word,
 * so it must stay inside the workspace.
 */
export async function lookUpSource(image: vscode.Uri, infotext: Infotext): Promise<SourceLookup> {
  if (!madeFromSourceImage(infotext)) return { state: 'none' };
  const recorded = sourceOf(infotext);
  const uri = recorded && recordedSourceUri(image, recorded);
  if (!recorded || !uri) return { state: 'unnamed' };
  const loaded = await readSourceImage(uri).catch(() => undefined);
  if (!loaded) return { state: 'gone', recorded };
  if (recorded.hash && sourceHash(loaded.bytes) !== recorded.hash) return { state: 'changed', recorded };
  return { state: 'found', recorded, loaded };
}

/** Regenerate's view of it: the source to make the picture from again, or why it cannot (with Reuse in Panel). */
export async function sourceToRemake(image: vscode.Uri, infotext: Infotext): Promise<{ recorded: RecordedSource; loaded: LoadedSource } | undefined> {
  const found = await lookUpSource(image, infotext);
  const name = path.posix.basename(image.path);
  const refuse = (message: string) => new ReuseInPanelError(message, image.toString());
  switch (found.state) {
    case 'none':
      return undefined;
    case 'found':
      return found;
    case 'unnamed':
      throw refuse(
        vscode.l10n.t(
          '{0} was made from a source image its parameters do not name: run Image to Image… on that source with these settings (Reuse in Panel).',
          name,
        ),
      );
    case 'gone':
      throw refuse(
        vscode.l10n.t(
          '{0} was made from {1}, which is not in the workspace any more: put it back, or choose another source with these settings (Reuse in Panel).',
          name,
          found.recorded.path,
        ),
      );
    case 'changed':
      throw refuse(
        vscode.l10n.t(
          '{1} has changed since {0} was made from it, so the same picture cannot be made again: use it as it is now with these settings (Reuse in Panel).',
          name,
          found.recorded.path,
        ),
      );
  }
}

/** Where the recorded source is: in the image's workspace folder, or nowhere (a path that leaves it). */
export function recordedSourceUri(image: vscode.Uri, recorded: RecordedSource): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(image);
  return folder && !pathProblem(recorded.path) ? entryUri(folder.uri, recorded.path) : undefined;
}
