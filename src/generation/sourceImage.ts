import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { sniffImageFormat, type ImageFormat } from '../image/format';
import { imageSize, type Size } from '../image/imageSize';

/** Largest source image sent for img2img (base64 makes it a third larger on the wire). */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export interface LoadedSource {
  uri: vscode.Uri;
  name: string;
  bytes: Uint8Array;
  format: ImageFormat;
  size: Size;
}

/** Reads and checks an img2img source for every surface: size limit, image format, readable size. */
export async function readSourceImage(uri: vscode.Uri): Promise<LoadedSource> {
  const name = path.posix.basename(uri.path);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new UserError(vscode.l10n.t('{0} could not be read: it may have been moved or deleted.', name));
  }
  if (stat.size > MAX_SOURCE_BYTES) {
    throw new UserError(vscode.l10n.t('{0} is {1} MB; use a source image under {2} MB.', name, (stat.size / 1048576).toFixed(0), MAX_SOURCE_BYTES / 1048576));
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    throw new UserError(vscode.l10n.t('{0} could not be read: it may have been moved or deleted.', name));
  }
  const format = sniffImageFormat(bytes);
  if (!format) throw new UserError(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image: pick one of those.', name));
  if (format === 'avif')
    throw new UserError(vscode.l10n.t('{0} is an AVIF image, which servers do not read: convert it to PNG or WebP first (Convert Image…).', name));
  const size = imageSize(bytes, format);
  if (!size || size.width === 0 || size.height === 0) throw new UserError(vscode.l10n.t('The size of {0} could not be read: the file may be damaged.', name));
  return { uri, name, bytes, format, size };
}
