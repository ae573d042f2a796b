import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSourceImage } from '../generation/sourceImage';
import { readStoredParameters } from '../metadata/imageMetadata';
import { checkResize, parseTargetSize, resizeImage, type ResizeChoice } from '../imageOps/resize';
import { imageLibrary } from '../imaging/library';
import type { outcomeOf } from '../ui/failures';
import { announceSaved, type ImageCommandDeps } from './announce';
import { pickWorkspaceImage } from './generate';

export type ResizeCommandDeps = ImageCommandDeps;

export type ResizeOutcome = { status: 'saved'; file: string; width: number; height: number } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

const LAST_CHOICE = 'sdStudio.resize.lastChoice';

/**
 * Resize Image…: exactly the size asked for (cover: crop to fill; contain: fit inside, padded),
 * done here with the image library (no server); the result lands beside the source as
 * `<name>-1200x630.png` in the source's format (never over an existing file), with the source's
 * parameters and what was done.
 */
export async function resizeImageCommand(deps: ResizeCommandDeps, target?: vscode.Uri, input?: ResizeChoice): Promise<ResizeOutcome> {
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Resize Image: pick the image')));
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    const choice = input ?? (await askChoice(source.name, source.size, deps.workspaceState.get<ResizeChoice>(LAST_CHOICE)));
    if (!choice) return { status: 'cancelled' };
    checkResize(choice);
    await deps.workspaceState.update(LAST_CHOICE, choice);
    const result = await resizeImage(imageLibrary(), source, choice);
    const stored = readStoredParameters(source.bytes);
    const base = path.posix.basename(picked.path, path.posix.extname(picked.path));
    const extension = result.format === 'jpeg' ? 'jpg' : result.format;
    // l10n-exempt: the image's own record (postprocessing), in English as A1111 writes it.
    const note = `Resized from ${source.size.width}x${source.size.height} to ${result.size.width}x${result.size.height} (${choice.fit}${choice.fit === 'contain' ? `, ${choice.background ?? 'transparent'}` : ''})`;
    const file = await deps.writer.saveAt(
      vscode.Uri.joinPath(picked, '..', `${base}-${result.size.width}x${result.size.height}.${extension}`),
      { bytes: result.bytes, format: result.format, ...(stored?.text ? { infotext: stored.text } : {}) },
      { fallbackInfotext: () => '', text: { postprocessing: note }, replace: false },
    );
    deps.log.info(`[resize] ${picked.toString(true)} -> ${file.toString(true)} (${note})`);
    const said = vscode.l10n.t('Resized {0} to {1} ({2} × {3}).', source.name, path.posix.basename(file.path), result.size.width, result.size.height);
    await announceSaved(file, said, deps.settings.afterGeneration);
    return { status: 'saved', file: file.toString(), ...result.size };
  } catch (error) {
    return deps.failures.notify(error, 'resize');
  }
}

type Choice<T> = vscode.QuickPickItem & { value: T };

/** The size ("1200x630"), then cover or contain, then (contain) the colour around it. */
async function askChoice(name: string, size: { width: number; height: number }, last: ResizeChoice | undefined): Promise<ResizeChoice | undefined> {
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Resize {0} ({1} × {2}): the size', name, size.width, size.height),
    prompt: vscode.l10n.t('Width × height in pixels, such as 1200x630'),
    value: last ? `${last.width}x${last.height}` : `${size.width}x${size.height}`,
    validateInput: (text) => {
      const parsed = parseTargetSize(text);
      if (!parsed) return vscode.l10n.t('Write the size as WIDTHxHEIGHT, such as 1200x630.');
      try {
        checkResize({ ...parsed, fit: 'cover' });
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
  const target = typed === undefined ? undefined : parseTargetSize(typed);
  if (!target) return undefined;
  const fits: Choice<'cover' | 'contain'>[] = [
    { label: vscode.l10n.t('Cover'), detail: vscode.l10n.t('Fill the size; what overflows is cropped, centred'), value: 'cover' },
    { label: vscode.l10n.t('Contain'), detail: vscode.l10n.t('The whole image inside the size; the rest is a colour or transparent'), value: 'contain' },
  ];
  const fit = await vscode.window.showQuickPick(last?.fit === 'contain' ? [...fits].reverse() : fits, {
    title: vscode.l10n.t('Resize {0} to {1} × {2}: how', name, target.width, target.height),
  });
  if (!fit) return undefined;
  if (fit.value === 'cover') return { ...target, fit: 'cover' };
  const background = await vscode.window.showInputBox({
    title: vscode.l10n.t('Resize {0}: the colour around it', name),
    prompt: vscode.l10n.t('#rrggbb, or empty for transparent (white in a JPEG)'),
    value: last?.background ?? '',
    validateInput: (text) => (text.trim() === '' || /^#[0-9a-f]{6}$/i.test(text.trim()) ? undefined : vscode.l10n.t('A colour such as #ffffff, or nothing.')),
  });
  if (background === undefined) return undefined;
  return { ...target, fit: 'contain', ...(background.trim() ? { background: background.trim() } : {}) };
}
