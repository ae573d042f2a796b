import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findModel, switchModel } from '../commands/models';
import { errorActions } from '../commands/server';
import type { GenerateCommandServices } from '../commands/generate';
import type { GenerationDefaults } from '../config';
import type { GalleryEntry } from '../gallery/galleryStore';
import type { GenerationRequest } from '../generation/generationService';
import { sniffImageFormat, toBase64 } from '../image/format';
import { fitToArea, imageSize } from '../output/imageSize';
import { resolveOutputFolder } from '../output/outputFolder';
import { saveGeneration } from '../output/saveGeneration';
import { SdApiError } from '../sdapi/errors';
import type { SdModel } from '../sdapi/types';
import type { FormValues, GalleryItem, HostToWebview, ServerView, SourceView, WebviewToHost } from '../shared/protocol';
import { formFieldForServerField, validateForm } from '../shared/validateForm';
import type { EditorTracker } from '../ui/editorTracker';
import { UserError } from '../userError';
import { parseWebviewMessage } from './messageGuards';
import { renderPanelHtml } from './panelHtml';
import { referenceSnippet, relativeReference } from './references';
import { workspaceImageUri } from './sourcePath';

export const PANEL_VIEW_TYPE = 'sdStudio.generationPanel';

export interface PanelServices extends GenerateCommandServices {
  extensionUri: vscode.Uri;
  editors: EditorTracker;
  workspaceState: vscode.Memento;
}

const SAVED_FORM = 'sdStudio.panelForm';

/** Source images larger than this get no preview (it travels as a data: URI). */
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

interface Source {
  uri: vscode.Uri;
  bytes: Uint8Array;
  view: SourceView;
}

/**
 * The generation panel: one WebviewPanel, created on demand or restored after a reload. It
 * routes validated messages from the webview to the services and pushes state back.
 */
export class GenerationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private source: Source | undefined;
  private models: SdModel[] = [];
  private server: ServerView = { origin: '' };
  private pendingPrefill: string | undefined;

  constructor(private readonly services: PanelServices) {
    this.disposables.push(
      services.gallery.onDidChange(() => this.postGallery()),
      services.generation.onDidChangeJobs((jobs) => this.post({ type: 'jobs', jobs: [...jobs] })),
      services.generation.onDidProgress(({ jobId, update }) =>
        this.post({ type: 'progress', jobId, message: update.message, fraction: update.fraction, preview: update.preview ? previewDataUri(update.preview) : undefined }),
      ),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // New images must stay loadable: the output folder is one of the page's resource roots.
        if (this.panel && services.settings.affects(event, 'outputFolder')) this.panel.webview.options = this.webviewOptions();
      }),
    );
  }

  /** Opens the panel (or reveals it); a prompt fills the form's prompt field. */
  show(prompt?: string): void {
    if (prompt) this.pendingPrefill = prompt;
    if (this.panel) {
      this.panel.reveal();
      if (prompt) this.post({ type: 'prefill', prompt });
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Stable Diffusion', vscode.ViewColumn.Beside, this.webviewOptions());
    this.attach(panel);
  }

  /** Called by the serializer after a reload: the webview restores its own form state. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const { extensionUri } = this.services;
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), ...this.imageRoots()],
    };
  }

  /** The output folder of every workspace folder: the only workspace files the page may load. */
  private outputFolders(): vscode.Uri[] {
    const segments = this.services.settings.outputFolder.split(/[\\/]/).filter((s) => s && s !== '.' && s !== '..');
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, ...segments));
  }

  /** Output folders plus the folders earlier results were saved in (the setting may have changed). */
  private imageRoots(): vscode.Uri[] {
    const roots = new Map(this.outputFolders().map((uri) => [uri.toString(), uri]));
    for (const entry of this.services.gallery.list()) {
      const folder = vscode.Uri.joinPath(vscode.Uri.parse(entry.uri), '..');
      if (vscode.workspace.getWorkspaceFolder(folder)) roots.set(folder.toString(), folder);
    }
    return [...roots.values()];
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.services.extensionUri, 'media', 'icon.png');
    const { webview } = panel;
    const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.services.extensionUri, ...parts)).toString();
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: media('dist', 'webview', 'panel.js'),
      styleUri: media('media', 'panel.css'),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        vscode.Disposable.from(...this.panelDisposables).dispose();
        this.panelDisposables = [];
        this.panel = undefined;
      }),
    );
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.services.log.warn(`[panel] ignored a message that is not part of the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.handle(message).catch((error: unknown) => this.reportError(error));
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'generate':
        return this.generate(message.form);
      case 'cancel':
        this.services.generation.cancel(message.jobId);
        return;
      case 'selectModel':
        return this.selectModel(message.title);
      case 'refreshServer':
        this.services.connection.reset();
        return this.loadServer();
      case 'pickSource':
        return this.pickSource();
      case 'setSource':
        return this.setSource(this.resolveWorkspaceImage(message.path));
      case 'clearSource':
        this.source = undefined;
        this.post({ type: 'source', source: null });
        return;
      case 'galleryAction':
        return this.galleryAction(message.action, message.id);
      case 'setServer':
        await errorActions(this.services).setServer(message.credentialsOnly);
        return this.loadServer();
      case 'showLog':
        this.services.log.show();
        return;
      case 'formState':
        await this.services.workspaceState.update(SAVED_FORM, message.form);
        return;
    }
  }

  /** Sent on every `ready`: after a reload and whenever a hidden panel is shown again. */
  private async sendInit(): Promise<void> {
    await this.services.gallery.prune();
    const prefill = this.pendingPrefill;
    this.pendingPrefill = undefined;
    this.post({
      type: 'init',
      defaults: this.defaults(),
      savedForm: this.services.workspaceState.get<FormValues>(SAVED_FORM),
      gallery: this.galleryItems(),
      jobs: this.services.generation.listJobs(),
      server: this.server,
      ...(prefill ? { prefillPrompt: prefill } : {}),
    });
    if (this.source) this.post({ type: 'source', source: this.source.view });
    await this.loadServer();
  }

  private defaults(): FormValues {
    const g = this.services.settings.generation;
    return {
      mode: 'txt2img',
      prompt: '',
      negativePrompt: g.negativePrompt,
      sampler: g.sampler,
      scheduler: g.scheduler,
      steps: g.steps,
      cfgScale: g.cfgScale,
      seed: g.seed,
      width: g.width,
      height: g.height,
      batchSize: g.batchSize,
      batchCount: g.batchCount,
      source: '',
      denoisingStrength: this.services.settings.denoisingStrength,
      resizeMode: this.services.settings.resizeMode,
    };
  }

  /** Models, samplers and schedulers of the server, for the form's lists. */
  private async loadServer(): Promise<void> {
    const { connection } = this.services;
    try {
      const client = await connection.client();
      this.server = { origin: client.origin };
      this.post({ type: 'server', server: this.server });
      const [models, options, catalog] = await Promise.all([client.listModels(), client.getOptions(), connection.samplerCatalog(client)]);
      this.models = models;
      const current = typeof options.sd_model_checkpoint === 'string' ? options.sd_model_checkpoint : undefined;
      this.server = {
        origin: client.origin,
        models: models.map((m) => ({ title: m.title, name: m.model_name })),
        currentModel: current ? findModel(models, current)?.title ?? current : undefined,
        samplers: catalog.samplers.map((s) => s.name),
        schedulers: catalog.schedulers?.map((s) => s.label),
      };
      if (current) this.services.statusBar.setModel(client.origin, current);
    } catch (error) {
      this.server = { ...this.server, models: [], error: error instanceof Error ? error.message : String(error) };
      this.services.log.warn(`[panel] server not available: ${error instanceof SdApiError ? error.describe() : String(error)}`);
    }
    this.post({ type: 'server', server: this.server });
  }

  private async selectModel(title: string): Promise<void> {
    const target = findModel(this.models, title);
    if (!target) throw new UserError(`The server has no model "${title}": reload the list.`);
    const client = await this.services.connection.client();
    this.post({ type: 'server', server: { ...this.server, loadingModel: target.title } });
    try {
      const outcome = await switchModel(this.services, client, target);
      if (outcome.status === 'switched') this.server = { ...this.server, currentModel: findModel(this.models, outcome.model)?.title ?? outcome.model };
    } finally {
      this.post({ type: 'server', server: { ...this.server, loadingModel: undefined } });
    }
  }

  private async generate(form: FormValues): Promise<void> {
    const errors = validateForm(form);
    if (errors.length > 0) {
      this.post({ type: 'fieldErrors', errors });
      return;
    }
    const { generation, settings, writer, gallery, statusBar } = this.services;
    let request: GenerationRequest = { prompt: form.prompt.trim(), livePreview: true, parameters: parametersOf(form) };
    if (form.mode === 'img2img') {
      const source = this.source?.view.path === form.source ? this.source : await this.loadSource(this.resolveWorkspaceImage(form.source));
      const format = sniffImageFormat(source.bytes)!;
      request = {
        ...request,
        img2img: { source: { bytes: source.bytes, format, size: source.view }, outputSize: { width: form.width, height: form.height }, denoisingStrength: form.denoisingStrength, resizeMode: form.resizeMode },
      };
    }
    const folder = await resolveOutputFolder(settings, vscode.workspace.workspaceFolders?.[0]?.uri);
    if (!folder) return;
    const controller = new AbortController();
    const date = new Date();
    let jobId = '';
    await vscode.commands.executeCommand('setContext', 'sdStudio.generating', true);
    try {
      const done = await generation.generate(request, {
        signal: controller.signal,
        onJob: (id) => (jobId = id),
        onUpdate: (update) => statusBar.setBusy(update.message),
      });
      this.post({ type: 'progress', jobId, message: 'Saving…', fraction: 1 });
      await saveGeneration(writer, gallery, folder, request, done, date);
      this.post({ type: 'finished', jobId, outcome: 'saved' });
    } catch (error) {
      if (error instanceof SdApiError && error.kind === 'aborted') {
        this.post({ type: 'finished', jobId, outcome: 'cancelled' });
        return;
      }
      this.post({ type: 'finished', jobId, outcome: 'failed', message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      statusBar.showIdle();
      await vscode.commands.executeCommand('setContext', 'sdStudio.generating', generation.busy);
    }
  }

  private async pickSource(): Promise<void> {
    const [picked] = (await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { Images: ['png', 'jpg', 'jpeg', 'webp'] },
      openLabel: 'Use as Source',
      title: 'Image to Image: pick the source image',
    })) ?? [];
    if (picked) await this.setSource(this.checkInsideWorkspace(picked));
  }

  private async setSource(uri: vscode.Uri): Promise<void> {
    this.source = await this.loadSource(uri);
    this.post({ type: 'source', source: this.source.view });
  }

  private async loadSource(uri: vscode.Uri): Promise<Source> {
    const name = path.posix.basename(uri.path);
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_SOURCE_BYTES) throw new UserError(`${name} is ${(stat.size / 1048576).toFixed(0)} MB; use a source image under 50 MB.`);
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`${name} could not be read: it may have been moved or deleted.`);
    }
    const format = sniffImageFormat(bytes);
    const size = format && imageSize(bytes, format);
    if (!format || !size) throw new UserError(`${name} is not a PNG, JPEG or WebP image: pick one of those.`);
    const inOutput = this.outputFolders().some((folder) => uri.toString().startsWith(`${folder.toString()}/`));
    const src = inOutput
      ? this.panel!.webview.asWebviewUri(uri).toString()
      : bytes.length <= MAX_PREVIEW_BYTES
        ? `data:image/${format};base64,${toBase64(bytes)}`
        : '';
    const fitted = fitToArea(size, this.services.settings.generation);
    return { uri, bytes, view: { path: vscode.workspace.asRelativePath(uri, false), src, width: size.width, height: size.height, suggestedWidth: fitted.width, suggestedHeight: fitted.height } };
  }

  /** A path from the webview: workspace-relative or a URI; it must name an image inside the workspace. */
  private resolveWorkspaceImage(text: string): vscode.Uri {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, uri: folder.uri.toString() }));
    return this.checkInsideWorkspace(vscode.Uri.parse(workspaceImageUri(text, folders), true));
  }

  private checkInsideWorkspace(uri: vscode.Uri): vscode.Uri {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const normalized = path.posix.normalize(uri.path);
    if (!folder || normalized !== uri.path || !normalized.startsWith(`${folder.uri.path.replace(/\/$/, '')}/`)) {
      throw new UserError('The source image must be a file inside the workspace.');
    }
    return uri;
  }

  private async galleryAction(action: string, id: string): Promise<void> {
    const entry = this.services.gallery.get(id);
    if (!entry) {
      this.postGallery(); // stale card: refresh the page's list
      return;
    }
    const uri = vscode.Uri.parse(entry.uri);
    switch (action) {
      case 'open':
        await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.One });
        return;
      case 'reveal':
        await vscode.commands.executeCommand('revealInExplorer', uri);
        return;
      case 'copyPath':
        await vscode.env.clipboard.writeText(vscode.workspace.asRelativePath(uri, false));
        void vscode.window.setStatusBarMessage('Stable Diffusion: path copied', 3000);
        return;
      case 'insert':
        return this.insertReference(entry, uri);
      case 'useAsSource':
        return this.setSource(uri);
      case 'delete':
        return this.deleteEntry(entry, uri);
    }
  }

  private async insertReference(entry: GalleryEntry, image: vscode.Uri): Promise<void> {
    let editor = this.services.editors.lastEditor;
    if (!editor) throw new UserError('Open the file to insert the image into, put the cursor where it goes, then choose Insert again.');
    if (!vscode.window.visibleTextEditors.includes(editor)) {
      editor = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    }
    const { document } = editor;
    const sameRoot = document.uri.scheme === image.scheme && document.uri.authority === image.authority && !document.isUntitled;
    const reference = sameRoot ? relativeReference(path.posix.dirname(document.uri.path), image.path) : vscode.workspace.asRelativePath(image, false);
    const snippet = referenceSnippet(document.languageId, reference, entry.prompt);
    const target = editor;
    const inserted = await target.edit((edit) => {
      for (const selection of target.selections) {
        if (selection.isEmpty) {
          edit.insert(selection.active, snippet);
        } else {
          // Keep selected text (often the prompt itself): the reference goes on the next line.
          const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
          edit.insert(document.lineAt(lastLine).range.end, `\n${snippet}`);
        }
      }
    });
    if (!inserted) throw new UserError(`Could not insert into ${path.posix.basename(document.uri.path)}: the file may be read-only.`);
    await vscode.window.showTextDocument(document, { viewColumn: target.viewColumn, preserveFocus: false });
  }

  private async deleteEntry(entry: GalleryEntry, uri: vscode.Uri): Promise<void> {
    const name = path.posix.basename(uri.path);
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        // already gone: just forget it
      } else {
        const permanently = await vscode.window.showWarningMessage(
          `${name} cannot be moved to the trash here. Delete it permanently?`,
          { modal: true },
          'Delete Permanently',
        );
        if (permanently !== 'Delete Permanently') return;
        await vscode.workspace.fs.delete(uri, { useTrash: false });
      }
    }
    this.services.log.info(`[gallery] deleted ${uri.toString(true)}`);
    await this.services.gallery.remove([entry.id]);
  }

  private galleryItems(): GalleryItem[] {
    const webview = this.panel?.webview;
    if (!webview) return [];
    return this.services.gallery.list().map(({ uri, ...entry }) => {
      const file = vscode.Uri.parse(uri);
      return { ...entry, src: webview.asWebviewUri(file).toString(), relativePath: vscode.workspace.asRelativePath(file, false) };
    });
  }

  private postGallery(): void {
    if (this.panel) this.post({ type: 'gallery', items: this.galleryItems() });
  }

  private reportError(error: unknown): void {
    const { log } = this.services;
    if (error instanceof SdApiError) {
      log.error(`[panel] ${error.describe()}`);
      const fieldErrors = error.fieldErrors.map((e) => ({ field: formFieldForServerField(e.field), message: e.message })).filter((e) => e.field !== '');
      if (fieldErrors.length > 0) this.post({ type: 'fieldErrors', errors: fieldErrors });
      const action = error.kind === 'unauthorized' || error.kind === 'forbidden' ? 'enterCredentials' : ['unreachable', 'unknownHost', 'noApi', 'tls', 'notJson'].includes(error.kind) ? 'setServer' : undefined;
      this.post({ type: 'error', message: error.message, ...(action ? { action } : {}) });
      return;
    }
    if (error instanceof UserError) {
      log.warn(`[panel] ${error.message}`);
      this.post({ type: 'error', message: error.message });
      return;
    }
    log.error('[panel] unexpected error', error);
    this.post({ type: 'error', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}. See the log for details.` });
  }
}

function parametersOf(form: FormValues): GenerationDefaults {
  const { negativePrompt, sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount } = form;
  return { negativePrompt: negativePrompt.trim(), sampler, scheduler, steps, cfgScale, seed, width, height, batchSize, batchCount };
}

function previewDataUri(base64: string): string {
  const format = sniffImageFormat(Buffer.from(base64.slice(0, 24), 'base64')) ?? 'png';
  return `data:image/${format};base64,${base64}`;
}
