import * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/galleryStore';
import { readSourceImage } from '../generation/sourceImage';
import { describeImage, type Interrogator } from '../imageOps/describe';
import type { ServerConnection } from '../server/connection';

/** The interrogator used last in this workspace (Describe Image… asks; the gallery reuses it). */
export const LAST_INTERROGATOR = 'sdStudio.describe.lastInterrogator';

export interface DescribeDeps {
  connection: ServerConnection;
  gallery: GalleryStore;
  workspaceState: vscode.Memento;
}

/**
 * A workspace image described by the server (imageOps/describe.ts) under a cancellable
 * notification; the caption is kept as the gallery entry's alt text. Undefined when cancelled.
 */
export async function describeFile(deps: DescribeDeps, uri: vscode.Uri, model?: Interrogator): Promise<string | undefined> {
  const source = await readSourceImage(uri);
  const client = await deps.connection.client();
  const identity = await deps.connection.identity(client);
  const chosen = model ?? deps.workspaceState.get<Interrogator>(LAST_INTERROGATOR) ?? 'clip';
  const caption = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Describing {0}…', source.name), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await describeImage(client, identity, source.bytes, chosen, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (caption !== undefined) await deps.gallery.describe(uri, caption);
  return caption;
}
