// The workflow's side of output shaping (shapeOutput.ts): a finished part shaped before it is
// saved, and what happens when it cannot be (a size budget no quality meets): the images are
// saved as the server made them, under their real format's extension, and the failure says where.

import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { extensionFor } from '../image/format';
import { imageLibrary } from '../imaging/library';
import { infotextFromRequest } from '../output/infotext';
import type { OutputShape } from '../shared/outputShape';
import type { CompletedGeneration } from './request';
import { shapeImages, shapes } from './shapeOutput';

export async function shapePart(part: CompletedGeneration, shape: OutputShape | undefined, text?: Record<string, string>): Promise<CompletedGeneration> {
  if (!shapes(shape, part.result.images)) return part;
  const images = await shapeImages(imageLibrary(), part.result.images, shape, {
    infotextOf: (image) => image.infotext ?? infotextFromRequest(part.parameters, image.seed),
    name: l10n.t('The image'),
    ...(text ? { text } : {}),
  });
  return { ...part, result: { ...part.result, images } };
}

/** A declared path (a recipe's) with the extension of the format the server sent: a PNG is never saved as hero.webp. */
export function withFormatOf(uri: vscode.Uri, part: CompletedGeneration): vscode.Uri {
  const format = part.result.images[0]?.format ?? 'png';
  const extension = `.${extensionFor(format)}`;
  const current = path.posix.extname(uri.path);
  return current.toLowerCase() === extension ? uri : uri.with({ path: `${uri.path.slice(0, uri.path.length - current.length)}${extension}` });
}

export function unshaped(failure: unknown, files: readonly vscode.Uri[]): UserError {
  const reason = failure instanceof Error ? failure.message : String(failure);
  const names = files.map((file) => path.posix.basename(file.path)).join(', ');
  return new UserError(names ? l10n.t('{0} Saved as the server made it: {1}.', reason, names) : l10n.t('{0} Saved as the server made it.', reason));
}
