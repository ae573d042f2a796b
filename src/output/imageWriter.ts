import * as path from 'node:path';
import * as vscode from 'vscode';
import { SaveFailedError } from '../errors/userError';
import { extensionFor } from '../image/format';
import { imageSize } from '../image/imageSize';
import { addPngText, readPngText } from '../image/pngText';
import type { Log } from '../platform/log';
import type { GeneratedImage } from '../sdapi/types';
import { imageFileName } from './fileNames';

export { SaveFailedError };

export interface SaveRequest {
  folder: vscode.Uri;
  images: readonly GeneratedImage[];
  prompt: string;
  date: Date;
  /** sdStudio.fileNameTemplate (or the image-to-image one): output/fileNames.ts. */
  template: string;
  /** The checkpoint that made the images, for `{model}`. */
  model?: string | undefined;
  /** The image-to-image source's file name, for `{source}`. */
  source?: string | undefined;
  /** The infotext to embed when the server sent none for an image. */
  fallbackInfotext: (image: GeneratedImage) => string;
}

const MAX_NAME_ATTEMPTS = 1000;
const TEMP_PREFIX = '.sdstudio-';
const TEMP_SUFFIX = '.tmp';
/** Temporary files older than this were left by a window that closed mid-write. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Writes generated images through `workspace.fs` (local, remote and virtual workspaces alike):
 * each to a temporary file first, then renamed to a free name, so a file either appears
 * complete or not at all, and no existing file is ever overwritten. When the workspace cannot
 * take them (read-only folder, full disk), the images are kept in the extension's storage and
 * the SaveFailedError says where (ui/keptImages.ts offers Save As… and Retry): a generation
 * is never lost to a write error.
 */
export class ImageWriter {
  constructor(
    private readonly log: Log,
    /** Extension storage for images the workspace could not take. */
    private readonly rescueFolder: vscode.Uri,
  ) {}

  async save(request: SaveRequest): Promise<vscode.Uri[]> {
    const saved: vscode.Uri[] = [];
    const { prompt, date, model, source, template } = request;
    const files = request.images.map((image) => ({
      bytes: this.withParameters(image, request.fallbackInfotext),
      parts: { prompt, seed: image.seed, date, model, source, ...imageSize(image.bytes, image.format), extension: extensionFor(image.format) },
    }));
    try {
      await vscode.workspace.fs.createDirectory(request.folder);
      await this.removeStaleTemporaries(request.folder);
      for (const file of files) saved.push(await this.writeAtomically(request.folder, file.bytes, (attempt) => imageFileName(file.parts, attempt, template)));
      return saved;
    } catch (error) {
      this.log.error(`[output] could not save into ${request.folder.toString(true)}`, error);
      const kept = await this.rescue(files.slice(saved.length).map((file) => ({ bytes: file.bytes, name: imageFileName(file.parts, 1, template) })));
      throw this.failure(request.folder, error, saved, kept);
    }
  }

  /**
   * Writes one image to a declared path (a recipe's): atomically, with `text` chunks added to a
   * PNG. An existing file is replaced only when `replace` says so (the caller asked the user),
   * and goes to the trash where there is one; otherwise the image takes the next free name.
   */
  async saveAt(
    target: vscode.Uri,
    image: GeneratedImage,
    options: { fallbackInfotext: (image: GeneratedImage) => string; text: Record<string, string>; replace: boolean },
  ): Promise<vscode.Uri> {
    let bytes = this.withParameters(image, options.fallbackInfotext);
    if (image.format === 'png') for (const [key, value] of Object.entries(options.text)) bytes = addPngText(bytes, key, value);
    const folder = vscode.Uri.joinPath(target, '..');
    const name = path.posix.basename(target.path);
    try {
      await vscode.workspace.fs.createDirectory(folder);
      if (options.replace && (await exists(target))) {
        await vscode.workspace.fs.delete(target, { useTrash: true }).then(undefined, () => vscode.workspace.fs.delete(target, { useTrash: false }));
        this.log.info(`[output] replaced ${target.toString(true)} (the old file went to the trash where there is one)`);
      }
      return await this.writeAtomically(folder, bytes, (attempt) => withCounter(name, attempt));
    } catch (error) {
      this.log.error(`[output] could not save ${target.toString(true)}`, error);
      const kept = await this.rescue([{ bytes, name }]);
      throw this.failure(folder, error, [], kept);
    }
  }

  /** Writes to a temporary name, then renames to the first free name `nameFor` gives. */
  private async writeAtomically(folder: vscode.Uri, bytes: Uint8Array, nameFor: (attempt: number) => string): Promise<vscode.Uri> {
    const temporary = vscode.Uri.joinPath(folder, `${TEMP_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}${TEMP_SUFFIX}`);
    try {
      await vscode.workspace.fs.writeFile(temporary, bytes);
      for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
        const target = vscode.Uri.joinPath(folder, nameFor(attempt));
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
      throw error;
    }
  }

  /** Keeps images in the extension's storage; returns where (empty if even that failed). */
  private async rescue(files: { bytes: Uint8Array; name: string }[]): Promise<vscode.Uri[]> {
    const kept: vscode.Uri[] = [];
    try {
      await vscode.workspace.fs.createDirectory(this.rescueFolder);
      for (const file of files) kept.push(await this.writeAtomically(this.rescueFolder, file.bytes, (attempt) => withCounter(file.name, attempt)));
      this.log.warn(`[output] kept ${kept.length} image(s) in ${this.rescueFolder.toString(true)}`);
    } catch (error) {
      this.log.error('[output] could not keep the images in the extension storage either', error);
    }
    return kept;
  }

  private failure(folder: vscode.Uri, error: unknown, saved: vscode.Uri[], kept: vscode.Uri[]): SaveFailedError {
    const reason = describeFileError(error);
    const where = vscode.workspace.asRelativePath(folder);
    const message =
      kept.length === 0
        ? vscode.l10n.t(
            'Could not save into {0} ({1}), and the images could not be kept: check that the folder is writable and the disk has space, or change sdStudio.outputFolder.',
            where,
            reason,
          )
        : kept.length === 1
          ? vscode.l10n.t(
              'Could not save into {0} ({1}); the image is kept safe: choose Save As… or Retry once the folder is writable (or change sdStudio.outputFolder).',
              where,
              reason,
            )
          : vscode.l10n.t(
              'Could not save into {0} ({1}); {2} images are kept safe: choose Save As… or Retry once the folder is writable (or change sdStudio.outputFolder).',
              where,
              reason,
              kept.length,
            );
    return new SaveFailedError(message, folder.toString(), saved.map(String), kept.map(String));
  }

  /** Moves kept images into `folder` under free names; returns where they are now. */
  async moveKept(folder: vscode.Uri, kept: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
    await vscode.workspace.fs.createDirectory(folder);
    const moved: vscode.Uri[] = [];
    for (const file of kept) {
      const bytes = await vscode.workspace.fs.readFile(file);
      const name = path.posix.basename(file.path);
      moved.push(await this.writeAtomically(folder, bytes, (attempt) => withCounter(name, attempt)));
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
    return moved;
  }

  /** Removes temporary files a closed window left behind (never recent ones: another window may be writing). */
  private async removeStaleTemporaries(folder: vscode.Uri): Promise<void> {
    const entries = await vscode.workspace.fs.readDirectory(folder).then(undefined, () => [] as [string, vscode.FileType][]);
    for (const [name, type] of entries) {
      if (type !== vscode.FileType.File || !name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
      const uri = vscode.Uri.joinPath(folder, name);
      const stat = await vscode.workspace.fs.stat(uri).then(undefined, () => undefined);
      if (stat && Date.now() - stat.mtime > STALE_TEMP_MS) {
        await vscode.workspace.fs.delete(uri).then(
          () => this.log.info(`[output] removed a stale temporary file ${name}`),
          () => undefined,
        );
      }
    }
  }

  /** PNGs keep A1111's own `parameters` chunk; one is added where the server wrote none. */
  private withParameters(image: GeneratedImage, fallback: (image: GeneratedImage) => string): Uint8Array {
    if (image.format !== 'png' || readPngText(image.bytes).has('parameters')) return image.bytes;
    const text = image.infotext ?? fallback(image);
    return text ? addPngText(image.bytes, 'parameters', text) : image.bytes;
  }
}

/** `name.png` -> `name-2.png` for the second attempt. */
function withCounter(name: string, attempt: number): string {
  if (attempt === 1) return name;
  const extension = path.posix.extname(name);
  return `${name.slice(0, name.length - extension.length)}-${attempt}${extension}`;
}

export function describeFileError(error: unknown): string {
  if (error instanceof vscode.FileSystemError) return error.code === 'Unknown' ? error.message : `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
