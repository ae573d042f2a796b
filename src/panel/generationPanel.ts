import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Failure } from '../errors/failure';
import type { FormValues, GalleryItem, HostToWebview, WebviewToHost } from '../shared/protocol';
import { formFieldForServerField } from '../shared/validateForm';
import { runGalleryAction } from './galleryActions';
import { candidateViews, galleryItems, progressMessage } from './panelViews';
import { parseWebviewMessage } from './messageGuards';
import type { PanelDeps } from './panelDeps';
import { renderPanelHtml } from './panelHtml';
import { formDefaults, generateFromForm } from './panelRequest';
import { describeFile } from './describeFile';
import { PanelServer } from './panelServer';
import { PanelSource, sourceHandlers } from './panelSource';
import { PANEL_VIEW_TYPE } from './viewType';
import { panelWebviewOptions } from './webviewOptions';

const SAVED_FORM = 'sdStudio.panelForm';

/** One handler per message type: a message type without a handler is a compile error. */
type Handlers = { [T in WebviewToHost['type']]: (message: Extract<WebviewToHost, { type: T }>) => Promise<unknown> | void };

/**
 * The generation panel: one WebviewPanel, created on demand or restored after a reload. It
 * routes validated messages from the page to the services (generation through the shared
 * workflow, the source, the server lists, the gallery's actions) and pushes state back.
 */
export class GenerationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pendingPrefill: Partial<FormValues> | undefined;
  /** What the banner shows now: its buttons run this failure's actions. */
  private shownFailure: Failure | undefined;
  private readonly posted = new vscode.EventEmitter<HostToWebview>();
  /** Every message sent to the page (the tests read the banner's sentence and buttons here). */
  readonly onDidPost = this.posted.event;
  private readonly source: PanelSource;
  private readonly server: PanelServer;

  private readonly handlers: Handlers = {
    ready: () => this.sendInit(),
    generate: ({ form, mask, extended }) =>
      generateFromForm(form, {
        workflow: this.deps.workflow,
        source: this.source,
        post: (message) => this.post(message),
        showFailure: (failure) => this.showFailure(failure),
        // An opened image goes beside the panel, which keeps the focus.
        openBeside: this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
        painted: { ...(mask ? { mask } : {}), ...(extended ? { extended } : {}) },
      }),
    cancel: ({ jobId }) => void this.deps.generation.cancel(jobId),
    selectModel: ({ title }) => this.server.selectModel(title),
    selectServer: ({ name }) => this.server.selectServer(name),
    usePool: () => this.server.usePool(),
    refreshServer: () => {
      this.deps.connection.reset();
      return this.server.load();
    },
    ...sourceHandlers(
      () => this.source,
      (message) => this.post(message),
    ),
    galleryAction: async ({ action, id }) => {
      void this.deps.onboarding.reach('galleryUsed');
      const found = await runGalleryAction(
        {
          ...this.deps,
          useAsSource: async (uri) => this.post({ type: 'source', source: await this.source.set(uri) }),
          describe: async (uri) => {
            const caption = await describeFile(this.deps, uri);
            if (caption !== undefined) this.post({ type: 'prefill', values: { prompt: caption } });
          },
          prefill: (values) => this.show(values),
        },
        action,
        id,
      );
      if (!found) this.postGallery(); // a stale card: refresh the page's list
    },
    failureAction: async ({ id }) => {
      const failure = this.shownFailure;
      if (!failure?.actions.some((action) => action.id === id)) return;
      await this.deps.failures.run(failure, id);
      if (id === 'setServer' || id === 'enterCredentials') await this.server.load();
    },
    formState: async ({ form }) => this.deps.workspaceState.update(SAVED_FORM, form),
    pickCandidate: async ({ offerId, index }) => {
      const picked = await this.deps.candidates.pick(offerId, index);
      if (!picked) return this.postCandidates(); // an old offer: show the current ones
      const file = vscode.workspace.asRelativePath(picked.file);
      const said =
        picked.seed !== undefined
          ? vscode.l10n.t("Stable Diffusion: {0} written from the picked candidate (seed {1}, now the recipe's seed)", file, picked.seed)
          : vscode.l10n.t('Stable Diffusion: {0} written from the picked candidate', file);
      void vscode.window.setStatusBarMessage(said, 6000);
    },
    dismissCandidates: ({ offerId }) => this.deps.candidates.dismiss(offerId),
  };

  constructor(private readonly deps: PanelDeps) {
    this.source = new PanelSource(deps.settings, (uri) => this.panel?.webview.asWebviewUri(uri).toString());
    this.server = new PanelServer(deps, (server) => this.post({ type: 'server', server }));
    this.disposables.push(
      deps.gallery.onDidChange(() => this.postGallery()),
      deps.candidates.onDidChange(() => void this.postCandidates()),
      deps.generation.onDidChangeJobs((jobs) => this.post({ type: 'jobs', jobs: [...jobs] })),
      deps.generation.onDidProgress(({ jobId, update }) => this.post(progressMessage(jobId, update))),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // New images must stay loadable: the output folder is one of the page's resource roots.
        if (this.panel && deps.settings.affects(event, 'outputFolder')) this.panel.webview.options = this.webviewOptions();
      }),
    );
  }

  /** Opens the panel (or reveals it); `prefill` goes into the form (a prompt, or an image's parameters). */
  show(prefill?: Partial<FormValues>): void {
    if (prefill) this.pendingPrefill = prefill;
    if (this.panel) {
      this.panel.reveal();
      if (prefill) this.post({ type: 'prefill', values: prefill });
      return;
    }
    this.attach(vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, vscode.l10n.t('Stable Diffusion'), vscode.ViewColumn.Beside, this.webviewOptions()));
  }

  /** The same with `source` as the form's image-to-image source (Reuse in Panel of an image made from one). */
  async showWithSource(prefill: Partial<FormValues>, source: vscode.Uri): Promise<void> {
    const view = await this.source.set(source); // a new page gets it after its init
    this.show(prefill);
    this.post({ type: 'source', source: view });
  }

  /** Called by the serializer after a reload: the webview restores its own form state. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    this.posted.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return panelWebviewOptions(this.deps.extensionUri, this.deps.settings, this.deps.gallery);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icon.png');
    const { webview } = panel;
    const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...parts)).toString();
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: media('dist', 'webview', 'panel.js'),
      styleUri: media('media', 'panel.css'),
      codiconUri: media('dist', 'webview', 'codicons', 'codicon.css'),
      language: vscode.env.language,
      l10n: vscode.l10n.bundle,
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => {
        vscode.Disposable.from(...this.panelDisposables).dispose();
        this.panelDisposables = [];
        this.panel = undefined;
      }),
    );
  }

  private post(message: HostToWebview): void {
    if (!this.panel) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  /** A message from the page, checked against the protocol, to its handler; failures go to the banner. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn(`[panel] ignored a message that is not part of the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const handler = this.handlers[message.type] as (message: WebviewToHost) => Promise<void> | void;
    try {
      await handler(message);
    } catch (error) {
      this.showFailure(this.deps.failures.describe(error, 'panel'));
    }
  }

  /** Sent on every `ready`: after a reload and whenever a hidden panel is shown again. */
  private async sendInit(): Promise<void> {
    await this.deps.gallery.prune();
    const prefill = this.pendingPrefill;
    this.pendingPrefill = undefined;
    this.post({
      type: 'init',
      defaults: formDefaults(this.deps.settings),
      ...(this.deps.workspaceState.get<FormValues>(SAVED_FORM) ? { savedForm: this.deps.workspaceState.get<FormValues>(SAVED_FORM)! } : {}),
      gallery: this.galleryItems(),
      jobs: this.deps.generation.listJobs(),
      server: this.server.view,
      ...(prefill ? { prefill } : {}),
    });
    const source = this.source.view;
    if (source) this.post({ type: 'source', source });
    await this.postCandidates();
    await this.server.load();
  }

  /** The banner (and the fields the server rejected) show the same sentence and actions as a notification would. */
  private showFailure(failure: Failure): void {
    this.shownFailure = failure;
    const fieldErrors = failure.fieldErrors.map((e) => ({ field: formFieldForServerField(e.field), message: e.message })).filter((e) => e.field !== '');
    if (fieldErrors.length > 0) this.post({ type: 'fieldErrors', errors: fieldErrors });
    this.post({ type: 'error', message: failure.message, actions: failure.actions });
  }

  private galleryItems(): GalleryItem[] {
    return this.panel ? galleryItems(this.panel.webview, this.deps.gallery) : [];
  }

  private postGallery(): void {
    if (this.panel) this.post({ type: 'gallery', items: this.galleryItems() });
  }

  private async postCandidates(): Promise<void> {
    if (this.panel) this.post({ type: 'candidates', offers: await candidateViews(this.deps.candidates.list()) });
  }
}
