import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/galleryStore';
import type { GenerationRequest, GenerationService } from '../generation/generationService';
import { sniffImageFormat } from '../image/format';
import { readPngText } from '../image/pngText';
import type { ImageWriter } from '../output/imageWriter';
import { fitToArea, imageSize } from '../output/imageSize';
import { promptOfInfotext } from '../output/infotext';
import { saveGeneration } from '../output/saveGeneration';
import { resolveOutputFolder } from '../output/outputFolder';
import { SdApiError } from '../sdapi/errors';
import { cleanPrompt } from '../generation/prompt';
import { UserError } from '../userError';
import { errorActions, type ServerCommandServices } from './server';
import { showError, type FailureOutcome } from './showError';

export interface GenerateCommandServices extends ServerCommandServices {
  generation: GenerationService;
  writer: ImageWriter;
  gallery: GalleryStore;
}

export type GenerationOutcome =
  | { status: 'saved'; files: string[]; seeds: (number | undefined)[] }
  | { status: 'cancelled' }
  | FailureOutcome;

/** Largest source image sent for img2img (base64 makes it a third larger on the wire). */
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

/** Optional arguments that skip the prompts (automation and tests). */
interface PromptArgs {
  prompt?: string;
  denoisingStrength?: number;
}

function promptArgs(value: unknown): PromptArgs {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof vscode.Uri) return {};
  const { prompt, denoisingStrength } = value as Record<string, unknown>;
  return {
    prompt: typeof prompt === 'string' ? prompt : undefined,
    denoisingStrength: typeof denoisingStrength === 'number' ? denoisingStrength : undefined,
  };
}

/** The selection, or the current line when nothing is selected, is the prompt. */
export async function generateFromSelection(services: GenerateCommandServices, args?: unknown): Promise<GenerationOutcome> {
  const editor = vscode.window.activeTextEditor;
  let prompt = promptArgs(args).prompt;
  if (prompt === undefined && editor) {
    const { selection, document } = editor;
    prompt = selection.isEmpty ? document.lineAt(selection.active.line).text : document.getText(selection);
  }
  prompt = cleanPrompt(prompt ?? '');
  if (!prompt) {
    return showError(new UserError('Select the text to use as the prompt (or put the cursor on its line), then run Generate Image from Selection again.'), services.log, errorActions(services), 'generate');
  }
  return runGeneration(services, { prompt, parameters: services.settings.generation }, editor?.document.uri);
}

/** From the Explorer (or the palette, then a picker): a variation of a workspace image. */
export async function imageToImage(services: GenerateCommandServices, uriArg?: unknown, args?: unknown): Promise<GenerationOutcome> {
  const { log, settings } = services;
  try {
    const uri = uriArg instanceof vscode.Uri ? uriArg : await pickWorkspaceImage();
    if (!uri) return { status: 'cancelled' };
    const name = path.posix.basename(uri.path);
    const bytes = await readSource(uri, name);
    const format = sniffImageFormat(bytes);
    if (!format) throw new UserError(`${name} is not a PNG, JPEG or WebP image: pick one of those.`);
    const size = imageSize(bytes, format);
    if (!size || size.width === 0 || size.height === 0) throw new UserError(`The size of ${name} could not be read: the file may be damaged.`);

    const given = promptArgs(args);
    let prompt = given.prompt;
    if (prompt === undefined) {
      const earlier = format === 'png' ? readPngText(bytes).get('parameters') : undefined;
      prompt = await vscode.window.showInputBox({
        title: `Image to Image: ${name}`,
        prompt: 'Describe the image you want made from this one',
        value: earlier ? promptOfInfotext(earlier) : '',
        ignoreFocusOut: true,
      });
      if (prompt === undefined) return { status: 'cancelled' };
    }
    prompt = cleanPrompt(prompt);
    if (!prompt) throw new UserError('The prompt is empty: describe the image you want.');

    let denoisingStrength = given.denoisingStrength;
    if (denoisingStrength === undefined) {
      const entered = await vscode.window.showInputBox({
        title: `Image to Image: ${name}`,
        prompt: 'Denoising strength: 0 keeps the source image, 1 ignores it',
        value: String(settings.denoisingStrength),
        ignoreFocusOut: true,
        validateInput: (text) => (parseStrength(text) === undefined ? 'Enter a number from 0 to 1, such as 0.6.' : undefined),
      });
      if (entered === undefined) return { status: 'cancelled' };
      denoisingStrength = parseStrength(entered)!;
    }
    if (!(denoisingStrength >= 0 && denoisingStrength <= 1)) throw new UserError('The denoising strength must be between 0 and 1.');

    const outputSize = fitToArea(size, settings.generation);
    return await runGeneration(
      services,
      { prompt, parameters: settings.generation, img2img: { source: { bytes, format, size }, outputSize, denoisingStrength, resizeMode: settings.resizeMode } },
      uri,
    );
  } catch (error) {
    return showError(error, log, errorActions(services), 'image to image');
  }
}

export function cancelGeneration(services: GenerateCommandServices): { status: 'cancelled'; count: number } {
  const count = services.generation.cancelAll();
  services.log.info(`[generation] cancel requested for ${count} generation(s)`);
  if (count === 0) void vscode.window.showInformationMessage('No generation is running.');
  return { status: 'cancelled', count };
}

function parseStrength(text: string): number | undefined {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

async function readSource(uri: vscode.Uri, name: string): Promise<Uint8Array> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new UserError(`${name} could not be read: it may have been moved or deleted.`);
  }
  if (stat.size > MAX_SOURCE_BYTES) {
    throw new UserError(`${name} is ${(stat.size / 1048576).toFixed(0)} MB; use a source image under ${MAX_SOURCE_BYTES / 1048576} MB.`);
  }
  return vscode.workspace.fs.readFile(uri);
}

async function pickWorkspaceImage(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,webp,PNG,JPG,JPEG,WEBP}', '**/node_modules/**', 500);
  if (files.length === 0) throw new UserError('There is no PNG, JPEG or WebP image in this workspace to start from.');
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: path.posix.basename(uri.path), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Image to Image: pick the source image', matchOnDescription: true },
  );
  return picked?.uri;
}

async function runGeneration(services: GenerateCommandServices, request: GenerationRequest, near: vscode.Uri | undefined): Promise<GenerationOutcome> {
  const { generation, writer, gallery, settings, statusBar, log } = services;
  try {
    const folder = await resolveOutputFolder(settings, near);
    if (!folder) return { status: 'cancelled' };
    const date = new Date();
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Stable Diffusion: “${ellipsis(request.prompt, 48)}”`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        await setGenerating(generation, true);
        try {
          const done = await generation.generate(request, {
            signal: controller.signal,
            onUpdate: ({ message, fraction }) => {
              const target = fraction === undefined ? reported : Math.round(fraction * 100);
              progress.report({ message, increment: Math.max(0, target - reported) });
              reported = Math.max(reported, target);
              statusBar.setBusy(message);
            },
          });
          progress.report({ message: 'Saving…' });
          const files = await saveGeneration(writer, gallery, folder, request, done, date);
          if (typeof done.result.info.sd_model_name === 'string') statusBar.setModel(done.serverOrigin, done.result.info.sd_model_name);
          return { status: 'saved' as const, files, seeds: done.result.images.map((image) => image.seed) };
        } finally {
          subscription.dispose();
          await setGenerating(generation, false);
        }
      },
    );
    statusBar.showIdle();
    await afterSaving(settings.afterGeneration, outcome.files, folder);
    return { ...outcome, files: outcome.files.map((uri) => uri.toString()) };
  } catch (error) {
    statusBar.showIdle();
    if (error instanceof SdApiError && error.kind === 'aborted') {
      log.info('[generation] cancelled by the user');
      void vscode.window.setStatusBarMessage('Stable Diffusion: generation cancelled', 4000);
      return { status: 'cancelled' };
    }
    return showError(error, log, errorActions(services), 'generate');
  }
}

async function setGenerating(generation: GenerationService, starting: boolean): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'sdStudio.generating', starting || generation.busy);
}

async function afterSaving(mode: 'open' | 'reveal' | 'none', files: vscode.Uri[], folder: vscode.Uri): Promise<void> {
  const summary = `Saved ${files.length === 1 ? path.posix.basename(files[0].path) : `${files.length} images`} to ${vscode.workspace.asRelativePath(folder)}`;
  if (mode === 'open') {
    await vscode.commands.executeCommand('vscode.open', files[0], { preview: files.length === 1 });
    void vscode.window.setStatusBarMessage(`Stable Diffusion: ${summary}`, 5000);
  } else if (mode === 'reveal') {
    await vscode.commands.executeCommand('revealInExplorer', files[0]);
    void vscode.window.setStatusBarMessage(`Stable Diffusion: ${summary}`, 5000);
  } else {
    void vscode.window.showInformationMessage(`${summary}.`, 'Open', 'Reveal in Explorer').then((choice) => {
      if (choice === 'Open') return vscode.commands.executeCommand('vscode.open', files[0]);
      if (choice === 'Reveal in Explorer') return vscode.commands.executeCommand('revealInExplorer', files[0]);
      return undefined;
    });
  }
}

function ellipsis(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
