import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { fitToArea } from '../image/imageSize';
import type { GenerationRequest, GenerationService } from '../generation/generationService';
import { cleanPrompt } from '../generation/prompt';
import { readSourceImage } from '../generation/sourceImage';
import type { GenerationOutcome, GenerationWorkflow } from '../generation/workflow';
import type { Log } from '../platform/log';
import { readStoredParameters } from '../metadata/imageMetadata';
import type { Settings } from '../platform/settings';
import { outcomeOf, type FailureOutcome, type FailureReporter } from '../ui/failures';

export interface GenerateCommandDeps {
  settings: Settings;
  workflow: GenerationWorkflow;
  generation: GenerationService;
  failures: FailureReporter;
  log: Log;
}

/** What the generation commands report to their caller. */
export type CommandGenerationOutcome = Exclude<GenerationOutcome, { status: 'failed' }> | FailureOutcome;

/** Input the tests give instead of the editor's selection and the input boxes (commands/testApi.ts). */
export interface GenerateInput {
  prompt?: string;
  denoisingStrength?: number;
}

/** The selection, or the current line when nothing is selected, is the prompt. */
export async function generateFromSelection(deps: GenerateCommandDeps, input: GenerateInput = {}): Promise<CommandGenerationOutcome> {
  const editor = vscode.window.activeTextEditor;
  let prompt = input.prompt;
  if (prompt === undefined && editor) {
    const { selection, document } = editor;
    prompt = selection.isEmpty ? document.lineAt(selection.active.line).text : document.getText(selection);
  }
  prompt = cleanPrompt(prompt ?? '');
  if (!prompt) {
    return deps.failures.notify(
      new UserError(vscode.l10n.t('Select the text to use as the prompt (or put the cursor on its line), then run Generate Image from Selection again.')),
      'generate',
    );
  }
  return commandOutcome(
    await deps.workflow.run(
      { prompt, parameters: deps.settings.generation, ...withOutput(deps.settings) },
      { surface: 'notification', ...(editor ? { near: editor.document.uri } : {}) },
    ),
  );
}

/** From the Explorer (or the palette, then a picker): a variation of a workspace image. */
export async function imageToImage(deps: GenerateCommandDeps, uri?: vscode.Uri, input: GenerateInput = {}): Promise<CommandGenerationOutcome> {
  const { settings, failures } = deps;
  try {
    const picked = uri ?? (await pickWorkspaceImage());
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    const prompt = input.prompt !== undefined ? cleanPrompt(input.prompt) : await askPrompt(source.name, source.bytes);
    if (prompt === undefined) return { status: 'cancelled' };
    if (!prompt) throw new UserError(vscode.l10n.t('The prompt is empty: describe the image you want.'));
    const denoisingStrength = input.denoisingStrength ?? (await askStrength(source.name, settings.denoisingStrength));
    if (denoisingStrength === undefined) return { status: 'cancelled' };
    if (!(denoisingStrength >= 0 && denoisingStrength <= 1)) throw new UserError(vscode.l10n.t('The denoising strength must be between 0 and 1.'));

    const { bytes, format, size } = source;
    const img2img = { source: { bytes, format, size }, outputSize: fitToArea(size, settings.generation), denoisingStrength, resizeMode: settings.resizeMode };
    return commandOutcome(
      await deps.workflow.run(
        { prompt, parameters: settings.generation, img2img, ...withOutput(settings) },
        { surface: 'notification', near: picked, source: picked },
      ),
    );
  } catch (error) {
    return failures.notify(error, 'image to image');
  }
}

export function cancelGeneration(deps: Pick<GenerateCommandDeps, 'generation' | 'log'>): { status: 'cancelled'; count: number } {
  const count = deps.generation.cancelAll();
  deps.log.info(`[generation] cancel requested for ${count} generation(s)`);
  if (count === 0) void vscode.window.showInformationMessage(vscode.l10n.t('No generation is running.'));
  return { status: 'cancelled', count };
}

function commandOutcome(outcome: GenerationOutcome): CommandGenerationOutcome {
  return outcome.status === 'failed' ? outcomeOf(outcome.failure) : outcome;
}

/** The prompt, prefilled from the image's own generation parameters (any format); checked in the box. */
async function askPrompt(name: string, image: Uint8Array): Promise<string | undefined> {
  const earlier = readStoredParameters(image)?.infotext.prompt;
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Image to Image (1/2): {0}', name),
    prompt: vscode.l10n.t('Describe the image you want made from this one'),
    value: earlier ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => (cleanPrompt(text) === '' ? vscode.l10n.t('Describe the image you want.') : undefined),
  });
  return entered === undefined ? undefined : cleanPrompt(entered);
}

async function askStrength(name: string, initial: number): Promise<number | undefined> {
  const entered = await vscode.window.showInputBox({
    title: vscode.l10n.t('Image to Image (2/2): {0}', name),
    prompt: vscode.l10n.t('Denoising strength: 0 keeps the source image, 1 ignores it'),
    value: String(initial),
    ignoreFocusOut: true,
    validateInput: (text) => (parseStrength(text) === undefined ? vscode.l10n.t('Enter a number from 0 to 1, such as 0.6.') : undefined),
  });
  return entered === undefined ? undefined : parseStrength(entered);
}

function parseStrength(text: string): number | undefined {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

export async function pickWorkspaceImage(title = vscode.l10n.t('Image to Image: pick the source image')): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,webp,PNG,JPG,JPEG,WEBP}', '**/node_modules/**', 500);
  if (files.length === 0) throw new UserError(vscode.l10n.t('There is no PNG, JPEG or WebP image in this workspace to start from.'));
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: path.posix.basename(uri.path), description: vscode.workspace.asRelativePath(uri), uri })),
    { title, matchOnDescription: true },
  );
  return picked?.uri;
}

/** The file the sdStudio.output.* settings ask for, when they ask for anything. */
function withOutput(settings: Settings): Pick<GenerationRequest, 'output'> {
  const output = settings.output;
  return output ? { output } : {};
}
