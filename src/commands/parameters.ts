import * as path from 'node:path';
import * as vscode from 'vscode';
import { ReuseInPanelError, UserError } from '../errors/userError';
import { outputFieldsFromStored, parametersFromStored, qualityFieldsFromStored, requestFromStored, type Remake } from '../generation/fromParameters';
import type { GenerationWorkflow } from '../generation/workflow';
import { controlUnitsOf } from '../metadata/controlNetInfotext';
import { readStoredParameters, type StoredParameters } from '../metadata/imageMetadata';
import { madeFromSourceImage, settingsOf } from '../metadata/infotext';
import { sourceOf } from '../metadata/sourceInfotext';
import type { GenerationPanel } from '../panel/generationPanel';
import type { FormValues } from '../shared/protocol';
import type { Settings } from '../platform/settings';
import { outcomeOf, type FailureReporter } from '../ui/failures';
import { imageOfParametersUri, parametersUri } from '../ui/parametersDocument';
import type { CommandGenerationOutcome } from './generate';
import { recordedSourceUri, sourceToRemake } from './recordedSource';

export interface ParametersCommandDeps {
  settings: Settings;
  workflow: GenerationWorkflow;
  failures: FailureReporter;
  panel: GenerationPanel;
}

const IMAGE = /\.(png|jpe?g|webp)$/i;

/** Show Generation Parameters: a read-only Markdown document beside the image. */
export async function showParameters(
  deps: ParametersCommandDeps,
  target?: vscode.Uri,
): Promise<{ status: 'shown'; document: string } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>> {
  try {
    const image = requireImage(target, vscode.l10n.t('Open or select a PNG, JPEG or WebP image, then run Show Generation Parameters again.'));
    const document = await vscode.workspace.openTextDocument(parametersUri(image));
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { status: 'shown', document: document.uri.toString() };
  } catch (error) {
    return deps.failures.notify(error, 'show parameters');
  }
}

/** Regenerate or make a variation of an image from its stored parameters, through the one workflow. */
export async function remakeImage(deps: ParametersCommandDeps, target: vscode.Uri | undefined, remake: Remake | 'ask'): Promise<CommandGenerationOutcome> {
  try {
    const image = requireImage(target);
    const stored = await storedOf(image);
    // Made from a source image: from the same file again, when the image names it and it has not changed.
    const source = await sourceToRemake(image, stored.infotext);
    const units = controlUnitsOf(stored.infotext);
    if (units.length > 0) {
      throw new ReuseInPanelError(
        vscode.l10n.t(
          '{0} was made with ControlNet ({1}), and an image does not keep its control images: run Reuse in Panel, which brings the units back, and choose their control images there.',
          path.posix.basename(image.path),
          units.map((unit) => unit.model).join(', '),
        ),
        image.toString(),
      );
    }
    const chosen = remake === 'ask' ? await askVariation() : remake;
    if (!chosen) return { status: 'cancelled' };
    const settings = settingsOf(stored.infotext);
    const request = requestFromStored(settings, deps.settings.generation, chosen);
    if (source) {
      const { bytes, format, size } = source.loaded;
      request.img2img = {
        source: { bytes, format, size },
        outputSize: { width: request.parameters.width, height: request.parameters.height },
        denoisingStrength: settings.denoisingStrength ?? deps.settings.denoisingStrength,
        resizeMode: source.recorded.resizeMode ?? deps.settings.resizeMode,
      };
    }
    const outcome = await deps.workflow.run(request, { surface: 'notification', near: image, ...(source ? { source: source.loaded.uri } : {}) });
    return outcome.status === 'failed' ? outcomeOf(outcome.failure) : outcome;
  } catch (error) {
    return deps.failures.notify(error, 'regenerate');
  }
}

/** Reuse in Panel: the image's prompt and settings go into the panel's form. */
export async function reuseInPanel(deps: ParametersCommandDeps, target?: vscode.Uri): Promise<{ status: 'opened' } | ReturnType<typeof outcomeOf>> {
  try {
    const image = requireImage(target);
    const { infotext } = await storedOf(image);
    const settings = settingsOf(infotext);
    // Made from a source image it names: image to image from that file, as it is now.
    const recorded = madeFromSourceImage(infotext) ? sourceOf(infotext) : undefined;
    const source = recorded && recordedSourceUri(image, recorded);
    const prefill: Partial<FormValues> = {
      mode: recorded ? 'img2img' : 'txt2img',
      prompt: settings.prompt,
      ...parametersFromStored(settings, deps.settings.generation),
      ...qualityFieldsFromStored(settings),
      ...outputFieldsFromStored(settings),
      // Its units without their images (never stored): the panel asks for them.
      controlNet: controlUnitsOf(infotext),
      ...(recorded && settings.denoisingStrength !== undefined ? { denoisingStrength: settings.denoisingStrength } : {}),
      ...(recorded?.resizeMode ? { resizeMode: recorded.resizeMode } : {}),
    };
    // A source that is gone: the form asks for one.
    if (source) await deps.panel.showWithSource(prefill, source).catch(() => deps.panel.show(prefill));
    else deps.panel.show(prefill);
    return { status: 'opened' };
  } catch (error) {
    return deps.failures.notify(error, 'reuse parameters');
  }
}

/** Copies the parameters as stored (A1111's infotext), ready to paste into any A1111-style UI. */
export async function copyParameters(deps: ParametersCommandDeps, target?: vscode.Uri): Promise<{ status: 'copied' } | ReturnType<typeof outcomeOf>> {
  try {
    const image = requireImage(target);
    await vscode.env.clipboard.writeText((await storedOf(image)).text);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: generation parameters copied'), 3000);
    return { status: 'copied' };
  } catch (error) {
    return deps.failures.notify(error, 'copy parameters');
  }
}

async function storedOf(image: vscode.Uri): Promise<StoredParameters> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(image);
  } catch {
    throw new UserError(vscode.l10n.t('{0} could not be read: it may have been moved or deleted.', path.posix.basename(image.path)));
  }
  const stored = readStoredParameters(bytes);
  if (!stored)
    throw new UserError(vscode.l10n.t('{0} has no generation parameters (no PNG parameters text, no EXIF UserComment).', path.posix.basename(image.path)));
  return stored;
}

/** The image a command is about: its argument, else the active parameters document or image preview. */
function requireImage(target: vscode.Uri | undefined, missing?: string): vscode.Uri {
  const image = target ? imageOf(target) : activeImage();
  if (!image) throw new UserError(missing ?? vscode.l10n.t('Open an image or its generation parameters, then try again.'));
  return image;
}

/** The image a command argument names: the image itself, or the one a parameters document shows. */
function imageOf(uri: vscode.Uri): vscode.Uri | undefined {
  const shown = imageOfParametersUri(uri);
  if (shown) return shown;
  return IMAGE.test(uri.path) ? uri : undefined;
}

/** The image of the active parameters document or image preview. */
function activeImage(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document.uri;
  const fromDocument = document ? imageOfParametersUri(document) : undefined;
  if (fromDocument) return fromDocument;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && IMAGE.test(input.uri.path) ? input.uri : undefined;
}

async function askVariation(): Promise<Remake | undefined> {
  const choices: (vscode.QuickPickItem & { remake: Remake })[] = [
    { label: vscode.l10n.t('New seed'), description: vscode.l10n.t('same prompt and settings, a different image'), remake: { kind: 'newSeed' } },
    {
      label: vscode.l10n.t('Subtle variation'),
      description: vscode.l10n.t('same seed, variation strength {0}', 0.1),
      remake: { kind: 'variation', strength: 0.1 },
    },
    { label: vscode.l10n.t('Variation'), description: vscode.l10n.t('same seed, variation strength {0}', 0.25), remake: { kind: 'variation', strength: 0.25 } },
    {
      label: vscode.l10n.t('Strong variation'),
      description: vscode.l10n.t('same seed, variation strength {0}', 0.5),
      remake: { kind: 'variation', strength: 0.5 },
    },
  ];
  const picked = await vscode.window.showQuickPick(choices, {
    title: vscode.l10n.t('Variation'),
    placeHolder: vscode.l10n.t('How different should the new image be?'),
  });
  return picked?.remake;
}
