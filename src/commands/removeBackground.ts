import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSourceImage } from '../generation/sourceImage';
import { REMBG_MODELS, removeBackground, type RemoveBackgroundChoice } from '../imageOps/removeBackground';
import { readStoredParameters } from '../metadata/imageMetadata';
import { SdApiError } from '../sdapi/errors';
import type { ServerConnection } from '../server/connection';
import type { outcomeOf } from '../ui/failures';
import { announceSaved, withCancellableProgress, type ImageCommandDeps } from './announce';
import { pickWorkspaceImage } from './generate';

export type RemoveBackgroundCommandDeps = ImageCommandDeps & { connection: ServerConnection };

export type RemoveBackgroundOutcome = { status: 'saved'; file: string } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

const LAST_CHOICE = 'sdStudio.rembg.lastChoice';

/**
 * Remove Background…: the server's rembg extension makes the background transparent; the result
 * lands beside the source as `<name>-nobg.png` (or .webp as the server sends it), never over an
 * existing file, with the source's parameters and what was done.
 */
export async function removeBackgroundCommand(
  deps: RemoveBackgroundCommandDeps,
  target?: vscode.Uri,
  input?: RemoveBackgroundChoice,
): Promise<RemoveBackgroundOutcome> {
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Remove Background: pick the image')));
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    await deps.connection.chooseServer();
    const client = await deps.connection.client();
    const identity = await deps.connection.identity(client);
    const choice = input ?? (await askChoice(source.name, deps.workspaceState.get<RemoveBackgroundChoice>(LAST_CHOICE)));
    if (!choice) return { status: 'cancelled' };
    const result = await withCancellableProgress(vscode.l10n.t('Removing the background of {0} ({1})', source.name, choice.model), (signal) =>
      removeBackground(client, identity, source, choice, signal),
    );
    await deps.workspaceState.update(LAST_CHOICE, choice);
    const base = path.posix.basename(picked.path, path.posix.extname(picked.path));
    const extension = result.format === 'jpeg' ? 'jpg' : result.format;
    const parameters = readStoredParameters(source.bytes)?.text;
    // l10n-exempt: the image's own record (postprocessing), in English as A1111 writes it.
    const note = `Background removed with rembg (${choice.model}${choice.alphaMatting ? ', alpha matting' : ''})`;
    const file = await deps.writer.saveAt(
      vscode.Uri.joinPath(picked, '..', `${base}-nobg.${extension}`),
      { bytes: result.bytes, format: result.format, ...(parameters ? { infotext: parameters } : {}) },
      { fallbackInfotext: () => '', text: { postprocessing: note }, replace: false },
    );
    deps.log.info(`[rembg] ${picked.toString(true)} -> ${file.toString(true)} (${note})`);
    await announceSaved(file, vscode.l10n.t('Removed the background of {0}: {1}.', source.name, path.posix.basename(file.path)), deps.settings.afterGeneration);
    return { status: 'saved', file: file.toString() };
  } catch (error) {
    if (error instanceof SdApiError && error.kind === 'aborted') return { status: 'cancelled' };
    return deps.failures.notify(error, 'remove background');
  }
}

async function askChoice(name: string, last: RemoveBackgroundChoice | undefined): Promise<RemoveBackgroundChoice | undefined> {
  const details: Record<string, string> = {
    u2net: vscode.l10n.t('General purpose'),
    'isnet-general-use': vscode.l10n.t('General purpose, newer; often cleaner edges'),
    'isnet-anime': vscode.l10n.t('Anime and illustration'),
    u2netp: vscode.l10n.t('Small and fast'),
    u2net_human_seg: vscode.l10n.t('People'),
    u2net_cloth_seg: vscode.l10n.t('Clothes'),
    silueta: vscode.l10n.t('Small u2net'),
  };
  const models = REMBG_MODELS.map((model) => ({ label: model, detail: details[model] ?? '', value: model }));
  const ordered = last ? [...models.filter((m) => m.value === last.model), ...models.filter((m) => m.value !== last.model)] : models;
  const model = await vscode.window.showQuickPick(ordered, { title: vscode.l10n.t('Remove the background of {0} (1/2): model', name) });
  if (!model) return undefined;
  const matting = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Plain'), detail: vscode.l10n.t('Fast'), value: false },
      { label: vscode.l10n.t('Alpha matting'), detail: vscode.l10n.t('Finer edges (hair, fur), slower'), value: true },
    ],
    { title: vscode.l10n.t('Remove the background of {0} (2/2): edges', name) },
  );
  return matting ? { model: model.value, alphaMatting: matting.value } : undefined;
}
