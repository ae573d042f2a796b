import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Failure } from '../errors/failure';
import type { GalleryStore } from '../gallery/galleryStore';
import type { ImageWriter } from '../output/imageWriter';
import { outputFolderFor } from '../output/outputFolder';
import type { Settings } from '../platform/settings';
import { SdApiError } from '../sdapi/errors';
import type { ServerConnection } from '../server/connection';
import type { FailureReporter } from '../ui/failures';
import type { ModelStatusBar } from '../ui/statusBar';
import type { Onboarding } from '../ui/onboarding';
import type { CompletedGeneration, GenerationRequest, GenerationService } from './generationService';
import { saveGeneration, saveGenerationAt } from './saveGeneration';
import { shapePart, unshaped, withFormatOf } from './shapePart';
import { sourceParams } from '../metadata/sourceInfotext';
import { withSourceRecorded } from './recordSource';

export interface WorkflowDeps {
  connection: ServerConnection;
  generation: GenerationService;
  writer: ImageWriter;
  gallery: GalleryStore;
  settings: Settings;
  statusBar: ModelStatusBar;
  failures: FailureReporter;
  /** Told when the first image is saved (the walkthrough's step). */
  onboarding: Pick<Onboarding, 'reach'>;
}

export interface RunOptions {
  /** The prompt's document or the source image: its workspace folder receives the images. */
  near?: vscode.Uri;
  /** The workspace image an image-to-image request started from: the results record it, `{source}` in names, and its folder receives them (sdStudio.img2img.saveTo). */
  source?: vscode.Uri;
  /**
   * 'notification': a progress notification with Cancel, and a failure is shown as a notification
   * (commands). 'caller': the caller shows progress and the failure (the panel's banner, a batch
   * of recipes under its own progress).
   */
  surface: 'notification' | 'caller';
  /** Told the job's id at once (the panel's Cancel and queue). */
  onJob?(jobId: string): void;
  /** Told when the images are being saved (the panel's progress line; commands show it in their notification). */
  onSaving?(): void;
  /** A declared path for the (first) image instead of a generated name in the output folder: a recipe's. */
  saveAt?: { uri: vscode.Uri; text: Record<string, string>; replace: boolean };
  /** Another folder and name template than the settings' (a recipe's candidates). */
  saveInto?: { folder: vscode.Uri; template: string };
  /** Where an opened image goes (the panel: a column not its own, keeping the focus). */
  openIn?: { viewColumn: vscode.ViewColumn; preserveFocus: boolean };
}

export type GenerationOutcome =
  { status: 'saved'; files: string[]; seeds: (number | undefined)[] } | { status: 'cancelled' } | { status: 'failed'; failure: Failure };

/**
 * The one generation use case, for every surface: which server (asking about a workspace's
 * own server before any progress shows), the output folder, the queue and request
 * (GenerationService), saving and the gallery, the busy context and status bar, what happens
 * after saving (sdStudio.afterGeneration) and what any failure says.
 */
export class GenerationWorkflow {
  constructor(private readonly deps: WorkflowDeps) {}

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationOutcome> {
    const { connection, statusBar, failures } = this.deps;
    try {
      await connection.chooseServer();
      // The model chosen on this named server, unless the request names its own (Regenerate).
      const remembered = request.checkpoint ? undefined : connection.rememberedModel();
      if (remembered) request = { ...request, checkpoint: remembered };
      const folder = await this.folderFor(request, options);
      if (!folder) return { status: 'cancelled' };
      const date = new Date();
      const files =
        options.surface === 'notification'
          ? await vscode.window.withProgress(
              {
                location: vscode.ProgressLocation.Notification,
                title: vscode.l10n.t('Stable Diffusion: “{0}”', ellipsis(request.prompt, 48)),
                cancellable: true,
              },
              (progress, token) => this.generateAndSave(request, folder, date, options, token, progress),
            )
          : await this.generateAndSave(request, folder, date, options);
      // Candidates are shown by their caller (the panel), not opened one by one.
      if (!options.saveInto) await this.afterSaving(files.files, folder, options.openIn);
      return { status: 'saved', files: files.files.map(String), seeds: files.seeds };
    } catch (error) {
      statusBar.showIdle();
      if (error instanceof SdApiError && error.kind === 'aborted') {
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: generation cancelled'), 4000);
        return { status: 'cancelled' };
      }
      // A server that went away may come back as another version (upgraded in place): ask it again.
      if (error instanceof SdApiError && (error.kind === 'unreachable' || error.kind === 'connectionLost')) connection.reset();
      const failure = options.surface === 'notification' ? failures.describeAndNotify(error, 'generate') : failures.describe(error, 'generate');
      return { status: 'failed', failure };
    }
  }

  private async generateAndSave(
    request: GenerationRequest,
    folder: vscode.Uri,
    date: Date,
    options: RunOptions,
    token?: vscode.CancellationToken,
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<{ files: vscode.Uri[]; seeds: (number | undefined)[] }> {
    const { generation, writer, gallery, statusBar } = this.deps;
    const controller = new AbortController();
    const subscription = token?.onCancellationRequested(() => controller.abort());
    let reported = 0;
    // Saved as they arrive (a pool delivers parts in any order); listed in image order.
    const saved: { firstImage: number; files: vscode.Uri[]; seeds: (number | undefined)[] }[] = [];
    const sourceRecord = this.sourceRecord(request, options.source);
    const savePart = async (made: CompletedGeneration, firstImage: number) => {
      const part = sourceRecord ? withSourceRecorded(made, sourceRecord) : made;
      if (saved.length === 0) {
        progress?.report({ message: vscode.l10n.t('Saving…') });
        options.onSaving?.();
      }
      // A declared path takes the first image only.
      if (options.saveAt && firstImage > 0) return;
      // Shaped to the size and format asked for; when that cannot be done, kept as the server made it.
      const shaped = await shapePart(part, request.output, options.saveAt?.text).then(
        (done) => ({ done, failure: undefined }),
        (failure: unknown) => ({ done: part, failure }),
      );
      const saveAt = options.saveAt && shaped.failure ? { ...options.saveAt, uri: withFormatOf(options.saveAt.uri, part), replace: false } : options.saveAt;
      const files = saveAt
        ? await saveGenerationAt(writer, gallery, saveAt, request, shaped.done, date)
        : await saveGeneration(writer, gallery, folder, request, shaped.done, date, this.namesFor(request, options));
      saved.push({ firstImage, files, seeds: part.result.images.slice(0, files.length).map((image) => image.seed) });
      if (shaped.failure) throw unshaped(shaped.failure, files);
    };
    await this.setGenerating(true);
    try {
      const done = await generation.generate(request, {
        onPart: savePart,
        signal: controller.signal,
        ...(options.onJob ? { onJob: (jobId: string) => options.onJob?.(jobId) } : {}),
        onUpdate: ({ message, fraction }) => {
          const target = fraction === undefined ? reported : Math.round(fraction * 100);
          progress?.report({ message, increment: Math.max(0, target - reported) });
          reported = Math.max(reported, target);
          statusBar.setBusy(message);
        },
      });
      const model = done.result.info.sd_model_name;
      if (typeof model === 'string') statusBar.setModel(done.serverOrigin, model);
      saved.sort((a, b) => a.firstImage - b.firstImage);
      return { files: saved.flatMap((part) => part.files), seeds: saved.flatMap((part) => part.seeds) };
    } finally {
      subscription?.dispose();
      statusBar.showIdle();
      await this.setGenerating(false);
    }
  }

  /**
   * What an image-to-image result records of its source, so it can be made again: a workspace
   * file sent as it is. A result of a painted mask or an extended canvas cannot be made again
   * from the file alone, so it records none.
   */
  private sourceRecord(request: GenerationRequest, source: vscode.Uri | undefined): [string, string][] | undefined {
    const { img2img } = request;
    if (!img2img || img2img.mask || !source || !vscode.workspace.getWorkspaceFolder(source)) return undefined;
    return sourceParams(vscode.workspace.asRelativePath(source, false), img2img.source.bytes, img2img.resizeMode);
  }

  /** A recipe's declared path; image to image beside its source (by default); else the output folder. */
  private async folderFor(request: GenerationRequest, options: RunOptions): Promise<vscode.Uri | undefined> {
    if (options.saveAt) return vscode.Uri.joinPath(options.saveAt.uri, '..');
    if (options.saveInto) return options.saveInto.folder;
    const { source } = options;
    if (request.img2img && source && this.deps.settings.img2imgSaveTo === 'besideSource' && vscode.workspace.getWorkspaceFolder(source))
      return vscode.Uri.joinPath(source, '..');
    return this.outputFolder(options.near);
  }

  private namesFor(request: GenerationRequest, options: RunOptions): { template: string; source?: string } {
    const { settings } = this.deps;
    return {
      template: options.saveInto?.template ?? (request.img2img ? settings.img2imgFileNameTemplate : settings.fileNameTemplate),
      ...(options.source ? { source: path.posix.basename(options.source.path) } : {}),
    };
  }

  private async outputFolder(near: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    const folder = outputFolderFor(this.deps.settings, near);
    if (folder) return folder;
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Save Images Here'),
      title: vscode.l10n.t('No folder is open: where should the generated images be saved?'),
    });
    return picked?.[0];
  }

  private async setGenerating(starting: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'sdStudio.generating', starting || this.deps.generation.busy);
  }

  /** The same for every surface: open or reveal the first image (sdStudio.afterGeneration) and say where they went. */
  private async afterSaving(files: vscode.Uri[], folder: vscode.Uri, openIn: RunOptions['openIn']): Promise<void> {
    const first = files[0];
    if (!first) return;
    void this.deps.onboarding.reach('imageSaved');
    const names = files.map((file) => path.posix.basename(file.path));
    const where = `${vscode.workspace.asRelativePath(folder)}/`;
    const summary = files.length === 1 ? vscode.l10n.t('Saved an image to {0}', where) : vscode.l10n.t('Saved {0} images to {1}', files.length, where);
    this.deps.statusBar.setLastSaved(where, names);
    const mode = this.deps.settings.afterGeneration;
    if (mode === 'open') {
      await vscode.commands.executeCommand('vscode.open', first, { preview: files.length === 1, ...openIn });
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: {0}', summary), 5000);
    } else if (mode === 'reveal') {
      await vscode.commands.executeCommand('revealInExplorer', first);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: {0}', summary), 5000);
    } else {
      const open = vscode.l10n.t('Open');
      const reveal = vscode.l10n.t('Reveal in Explorer');
      void vscode.window.showInformationMessage(`${summary}: ${names.join(', ')}.`, open, reveal).then((choice) => {
        if (choice === open) return vscode.commands.executeCommand('vscode.open', first);
        if (choice === reveal) return vscode.commands.executeCommand('revealInExplorer', first);
        return undefined;
      });
    }
  }
}

function ellipsis(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
