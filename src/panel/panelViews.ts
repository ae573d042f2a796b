import * as path from 'node:path';
import * as vscode from 'vscode';
import { base64DataUri, sniffImageFormat, toBase64 } from '../image/format';
import type { GenerationUpdate } from '../generation/generationService';
import { imageSize } from '../image/imageSize';
import type { GalleryStore } from '../gallery/galleryStore';
import type { CandidateOffer } from '../recipes/candidateOffers';
import type { CandidateOfferView, GalleryItem, HostToWebview } from '../shared/protocol';

// What the page shows of the host's state, as the protocol's plain values.

/** The gallery's entries with URIs the page may load (the output folders are its resource roots). */
export function galleryItems(webview: vscode.Webview, gallery: GalleryStore): GalleryItem[] {
  return gallery.list().map(({ uri, ...entry }) => {
    const file = vscode.Uri.parse(uri);
    return { ...entry, src: webview.asWebviewUri(file).toString(), relativePath: vscode.workspace.asRelativePath(file, false) };
  });
}

/**
 * The offers as the page shows them. Candidates are sent as data: URIs: they live outside the
 * panel's resource roots, and there are at most 8 per entry. A candidate deleted meanwhile is left out.
 */
export async function candidateViews(offers: readonly CandidateOffer[]): Promise<CandidateOfferView[]> {
  return Promise.all(
    offers.map(async (offer) => ({
      id: offer.id,
      entryPath: offer.entryPath,
      manifest: vscode.workspace.asRelativePath(offer.manifest),
      images: (
        await Promise.all(
          offer.files.map(async (file, index) => {
            const bytes = await vscode.workspace.fs.readFile(file).then(undefined, () => undefined);
            const format = bytes && sniffImageFormat(bytes);
            const size = bytes && format ? imageSize(bytes, format) : undefined;
            if (!bytes || !format || !size) return undefined;
            const seed = offer.seeds[index];
            return {
              src: `data:image/${format};base64,${toBase64(bytes)}`,
              name: path.posix.basename(file.path),
              width: size.width,
              height: size.height,
              ...(seed !== undefined ? { seed } : {}),
            };
          }),
        )
      ).filter((image) => image !== undefined),
    })),
  );
}

/** A job's progress for the page (the preview as a data: URI it may show). */
export function progressMessage(jobId: string, update: GenerationUpdate): HostToWebview {
  return {
    type: 'progress',
    jobId,
    message: update.message,
    ...(update.fraction !== undefined ? { fraction: update.fraction } : {}),
    ...(update.preview ? { preview: base64DataUri(update.preview) } : {}),
  };
}
