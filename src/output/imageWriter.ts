import * as vscode from 'vscode';
import { extensionFor } from '../image/format';
import { addPngText, readPngText } from '../image/pngText';
import type { Log } from '../log';
import type { GeneratedImage } from '../sdapi/types';
import { UserError } from '../userError';
import { imageFileName } from './fileNames';

export interface SaveRequest {
  folder: vscode.Uri;
  images: readonly GeneratedImage[];
  prompt: string;
  date: Date;
  /** The infotext to embed when the server sent none for an image. */
  fallbackInfotext: (image: GeneratedImage) => string;
}

const MAX_NAME_ATTEMPTS = 1000;

/**
 * Writes generated images through `workspace.fs` (local, remote and virtual workspaces alike):
 * each to a temporary file first, then renamed to a free name, so a file either appears
 * complete or not at all, and no existing file is ever overwritten.
 */
export class ImageWriter {
  constructor(private readonly log: Log) {}

  async save(request: SaveRequest): Promise<vscode.Uri[]> {
    try {
      await vscode.workspace.fs.createDirectory(request.folder);
    } catch (error) {
      throw this.saveError(request.folder, error);
    }
    const saved: vscode.Uri[] = [];
    for (const image of request.images) {
      saved.push(await this.saveOne(request, image));
    }
    return saved;
  }

  private async saveOne(request: SaveRequest, image: GeneratedImage): Promise<vscode.Uri> {
    const bytes = this.withParameters(image, request.fallbackInfotext);
    const temporary = vscode.Uri.joinPath(request.folder, `.sdstudio-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.tmp`);
    try {
      await vscode.workspace.fs.writeFile(temporary, bytes);
      const parts = { prompt: request.prompt, seed: image.seed, date: request.date, extension: extensionFor(image.format) };
      for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
        const target = vscode.Uri.joinPath(request.folder, imageFileName(parts, attempt));
        if (await exists(target)) continue;
        try {
          await vscode.workspace.fs.rename(temporary, target, { overwrite: false });
          this.log.info(`[output] saved ${target.toString(true)} (${bytes.length} bytes)`);
          return target;
        } catch (error) {
          if (error instanceof vscode.FileSystemError && error.code === 'FileExists') continue; // taken meanwhile
          throw error;
        }
      }
      throw new Error(`no free file name after ${MAX_NAME_ATTEMPTS} attempts`);
    } catch (error) {
      await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
      throw this.saveError(request.folder, error);
    }
  }

  /** PNGs keep A1111's own `parameters` chunk; one is added where the server wrote none. */
  private withParameters(image: GeneratedImage, fallback: (image: GeneratedImage) => string): Uint8Array {
    if (image.format !== 'png' || readPngText(image.bytes).has('parameters')) return image.bytes;
    return addPngText(image.bytes, 'parameters', image.infotext ?? fallback(image));
  }

  private saveError(folder: vscode.Uri, error: unknown): UserError {
    this.log.error(`[output] could not save into ${folder.toString(true)}`, error);
    const reason = error instanceof Error ? error.message : String(error);
    return new UserError(`Could not save the image into ${vscode.workspace.asRelativePath(folder)} (${reason}): check that the folder is writable and the disk has space, or change sdStudio.outputFolder.`);
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
