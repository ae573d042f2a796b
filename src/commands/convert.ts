import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSourceImage } from '../generation/sourceImage';
import { extensionFor } from '../image/format';
import { convertImage, DEFAULT_QUALITY, parseQualityOrBudget, type ConvertChoice } from '../imageOps/convert';
import { imageLibrary } from '../imaging/library';
import { readStoredParameters } from '../metadata/imageMetadata';
import type { outcomeOf } from '../ui/failures';
import { announceSaved, type ImageCommandDeps } from './announce';
import { pickWorkspaceImage } from './generate';

export type ConvertCommandDeps = Omit<ImageCommandDeps, 'workspaceState'>;

export type ConvertOutcome = { status: 'saved'; file: string; bytes: number; quality?: number } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

/**
 * Convert Image…: PNG (re-compressed losslessly), WebP, JPEG or AVIF at a quality or within a size
 * budget, done here with the image library; beside the source as `<name>.webp` (or
 * `<name>-optimised.png` in its own format), never over an existing file, with its parameters.
 */
export async function convertImageCommand(deps: ConvertCommandDeps, target?: vscode.Uri, input?: ConvertChoice): Promise<ConvertOutcome> {
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Convert Image: pick the image')));
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    const choice = input ?? (await askChoice(source.name));
    if (!choice) return { status: 'cancelled' };
    const parameters = readStoredParameters(source.bytes)?.text;
    const result = await convertImage(imageLibrary(), source, choice, parameters);
    const base = path.posix.basename(picked.path, path.posix.extname(picked.path));
    const extension = extensionFor(result.format);
    const name = result.format === source.format ? `${base}-optimised.${extension}` : `${base}.${extension}`;
    // l10n-exempt: the image's own record (postprocessing), in English as A1111 writes it.
    const note = `Converted from ${source.format.toUpperCase()} to ${result.format.toUpperCase()}${result.quality !== undefined ? ` at quality ${result.quality}` : ''}`;
    const file = await deps.writer.saveAt(
      vscode.Uri.joinPath(picked, '..', name),
      { bytes: result.bytes, format: result.format, ...(parameters ? { infotext: parameters } : {}) },
      { fallbackInfotext: () => '', text: { postprocessing: note }, replace: false },
    );
    const bytes = (await vscode.workspace.fs.stat(file)).size;
    deps.log.info(`[convert] ${picked.toString(true)} -> ${file.toString(true)} (${note}, ${bytes} bytes)`);
    const said = vscode.l10n.t('Converted {0} to {1} ({2} KB).', source.name, path.posix.basename(file.path), Math.ceil(bytes / 1024));
    await announceSaved(file, said, deps.settings.afterGeneration);
    return { status: 'saved', file: file.toString(), bytes, ...(result.quality !== undefined ? { quality: result.quality } : {}) };
  } catch (error) {
    return deps.failures.notify(error, 'convert');
  }
}

async function askChoice(name: string): Promise<ConvertChoice | undefined> {
  const formats: (vscode.QuickPickItem & { value: ConvertChoice['format'] })[] = [
    { label: 'WebP', detail: vscode.l10n.t('Small, with alpha; every current browser shows it'), value: 'webp' },
    { label: 'JPEG', detail: vscode.l10n.t('Photos; no transparency (it becomes white)'), value: 'jpeg' },
    { label: 'PNG', detail: vscode.l10n.t('Lossless, re-compressed as small as it goes'), value: 'png' },
    { label: 'AVIF', detail: vscode.l10n.t('Smallest at the same quality; slower to make; keeps no generation parameters'), value: 'avif' },
  ];
  const format = await vscode.window.showQuickPick(formats, { title: vscode.l10n.t('Convert {0}: to which format', name) });
  if (!format) return undefined;
  if (format.value === 'png') return { format: 'png' };
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Convert {0} to {1}: quality or size', name, format.label),
    prompt: vscode.l10n.t('A quality from 1 to 100, or a size to stay under, such as 200KB'),
    value: String(DEFAULT_QUALITY),
    validateInput: (text) => (parseQualityOrBudget(text) ? undefined : vscode.l10n.t('A quality from 1 to 100, or a size such as 200KB or 1.5MB.')),
  });
  const parsed = typed === undefined ? undefined : parseQualityOrBudget(typed);
  return parsed ? { format: format.value, ...parsed } : undefined;
}
