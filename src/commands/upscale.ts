import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { readSourceImage } from '../generation/sourceImage';
import { imageSize } from '../image/imageSize';
import { checkChoice, MAX_FACTOR, offeredUpscalers, upscaleImage, type UpscaleChoice } from '../imageOps/upscale';
import { SdApiError } from '../sdapi/errors';
import type { Upscaler } from '../sdapi/types';
import type { ServerConnection } from '../server/connection';
import type { outcomeOf } from '../ui/failures';
import { announceSaved, withCancellableProgress, type ImageCommandDeps } from './announce';
import { pickWorkspaceImage } from './generate';

export type UpscaleCommandDeps = ImageCommandDeps & { connection: ServerConnection };

export type UpscaleOutcome = { status: 'saved'; file: string; width: number; height: number } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

const LAST_CHOICE = 'sdStudio.upscale.lastChoice';

/**
 * Upscale Image…: the upscaler and factor (and, if wanted, a second upscaler blended in), then
 * the server's extras route; the result lands beside the source as `<name>-upscaled-2x.png`
 * (never over an existing file), with the source's parameters and what was done to it.
 */
export async function upscaleImageCommand(deps: UpscaleCommandDeps, target?: vscode.Uri, input?: UpscaleChoice): Promise<UpscaleOutcome> {
  const { connection, failures } = deps;
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Upscale Image: pick the image')));
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    await connection.chooseServer();
    const client = await connection.client();
    const identity = await connection.identity(client);
    if (!identity.capabilities.upscale) {
      throw new UserError(
        vscode.l10n.t('{0} cannot upscale images (it has no /sdapi/v1/extra-single-image): use an A1111, Forge or SD.Next server for this.', identity.name),
      );
    }
    const upscalers = await client.listUpscalers();
    const choice = input ?? (await askChoice(source.name, upscalers, deps.workspaceState.get<UpscaleChoice>(LAST_CHOICE)));
    if (!choice) return { status: 'cancelled' };
    checkChoice(choice, upscalers);
    await deps.workspaceState.update(LAST_CHOICE, choice);

    const result = await withCancellableProgress(vscode.l10n.t('Upscaling {0} {1}× with {2}', source.name, choice.factor, choice.upscaler), (signal) =>
      upscaleImage(client, identity, source, choice, signal),
    );
    const base = path.posix.basename(picked.path, path.posix.extname(picked.path));
    const extension = result.format === 'jpeg' ? 'jpg' : result.format;
    const file = await deps.writer.saveAt(
      vscode.Uri.joinPath(picked, '..', `${base}-upscaled-${choice.factor}x.${extension}`),
      { bytes: result.bytes, format: result.format },
      { fallbackInfotext: () => '', text: {}, replace: false },
    );
    const size = imageSize(result.bytes, result.format) ?? { width: 0, height: 0 };
    deps.log.info(`[upscale] ${picked.toString(true)} -> ${file.toString(true)} (${size.width}x${size.height}; ${result.postprocessing})`);
    const said = vscode.l10n.t('Upscaled {0} to {1} ({2} × {3}).', source.name, path.posix.basename(file.path), size.width, size.height);
    await announceSaved(file, said, deps.settings.afterGeneration);
    return { status: 'saved', file: file.toString(), ...size };
  } catch (error) {
    if (error instanceof SdApiError && error.kind === 'aborted') return { status: 'cancelled' };
    return failures.notify(error, 'upscale');
  }
}

type Choice<T> = vscode.QuickPickItem & { value: T };

/** Three short steps: the upscaler, the factor, and a second upscaler (none by default). */
async function askChoice(name: string, upscalers: readonly Upscaler[], last: UpscaleChoice | undefined): Promise<UpscaleChoice | undefined> {
  const offered = offeredUpscalers(upscalers);
  if (offered.length === 0) throw new UserError(vscode.l10n.t('The server lists no upscalers.'));
  const first = offered.find((u) => u.name === last?.upscaler) ?? offered[0];
  const ordered = [...(first ? [first] : []), ...offered.filter((u) => u !== first)];
  const upscaler = await vscode.window.showQuickPick<Choice<string>>(
    ordered.map((u) => ({ label: u.name, value: u.name, ...(u.name === last?.upscaler ? { description: vscode.l10n.t('last used') } : {}) })),
    { title: vscode.l10n.t('Upscale {0} (1/3): upscaler', name), placeHolder: vscode.l10n.t('How to enlarge the image') },
  );
  if (!upscaler) return undefined;
  const factor = await askFactor(name, last?.factor);
  if (factor === undefined) return undefined;
  const none: Choice<string | undefined> = { label: vscode.l10n.t('No second upscaler'), value: undefined };
  const second = await vscode.window.showQuickPick<Choice<string | undefined>>([none, ...offered.map((u) => ({ label: u.name, value: u.name }))], {
    title: vscode.l10n.t('Upscale {0} (3/3): blend in a second upscaler?', name),
  });
  if (!second) return undefined;
  if (second.value === undefined) return { upscaler: upscaler.value, factor };
  const visibility = await vscode.window.showInputBox({
    title: vscode.l10n.t('Upscale {0}: visibility of {1}', name, second.value),
    prompt: vscode.l10n.t('0 to 1: how much of the second upscaler shows in the result'),
    value: '0.5',
    validateInput: (text) => (Number(text) > 0 && Number(text) <= 1 ? undefined : vscode.l10n.t('A number above 0 and at most 1.')),
  });
  return visibility === undefined ? undefined : { upscaler: upscaler.value, factor, second: { upscaler: second.value, visibility: Number(visibility) } };
}

async function askFactor(name: string, last: number | undefined): Promise<number | undefined> {
  const other: Choice<number | undefined> = { label: vscode.l10n.t('Another factor…'), value: undefined };
  const factors = [2, 3, 4].map((f): Choice<number | undefined> => ({
    label: `${f}×`,
    value: f,
    ...(f === last ? { description: vscode.l10n.t('last used') } : {}),
  }));
  const picked = await vscode.window.showQuickPick([...factors, other], { title: vscode.l10n.t('Upscale {0} (2/3): how many times larger', name) });
  if (!picked) return undefined;
  if (picked.value !== undefined) return picked.value;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Upscale {0}: factor', name),
    prompt: vscode.l10n.t('More than 1 and at most {0}, such as 1.5 or 2.5', MAX_FACTOR),
    validateInput: (text) => (Number(text) > 1 && Number(text) <= MAX_FACTOR ? undefined : vscode.l10n.t('More than 1 and at most {0}.', MAX_FACTOR)),
  });
  return typed === undefined ? undefined : Number(typed);
}
