import * as vscode from 'vscode';
import type { Features } from '../features/index';
import { PANEL_VIEW_TYPE } from '../panel/viewType';
import type { Log } from '../platform/log';
import { isManifest, MANIFEST_SELECTOR } from '../recipes/manifestSelector';
import type { HostToWebview } from '../shared/protocol';

/**
 * The features bundle (src/features/index.ts), loaded once on first use, and what activation
 * registers in its place: the panel's serializer and the recipes files' CodeLens, quick fixes
 * and completion, each loading the features when VS Code first asks. Their events are relayed
 * from here, so a listener may subscribe before the features exist.
 */
export class LazyFeatures implements vscode.Disposable {
  private loading: Promise<Features> | undefined;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly panelPosted = new vscode.EventEmitter<HostToWebview>();
  private readonly relays: vscode.Disposable[] = [];
  /** Every message the panel sends its page (the test API's view of the panel). */
  readonly onDidPostToPanel = this.panelPosted.event;

  constructor(
    private readonly build: () => Promise<Features>,
    private readonly log: Log,
  ) {}

  get(): Promise<Features> {
    return (this.loading ??= this.build().then((features) => {
      this.relays.push(
        features.recipes.onDidChangeCodeLenses(() => this.lensesChanged.fire()),
        features.panel.onDidPost((message) => this.panelPosted.fire(message)),
      );
      return features;
    }));
  }

  register(): vscode.Disposable[] {
    // A recipes file open now or later shows its problems without waiting for its CodeLens.
    const loadFor = (document: vscode.TextDocument) => {
      if (isManifest(document)) this.get().catch((error: unknown) => this.log.error('Could not load the recipes support', error));
    };
    vscode.workspace.textDocuments.forEach(loadFor);
    return [
      vscode.workspace.onDidOpenTextDocument(loadFor),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel) => (await this.get()).panel.restore(webviewPanel),
      }),
      vscode.languages.registerCodeLensProvider(MANIFEST_SELECTOR, {
        onDidChangeCodeLenses: this.lensesChanged.event,
        provideCodeLenses: async (document) => (await this.get()).recipes.provideCodeLenses(document),
      }),
      vscode.languages.registerCodeActionsProvider(
        MANIFEST_SELECTOR,
        { provideCodeActions: async (document, range, context) => (await this.get()).recipes.provideCodeActions(document, range, context) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      vscode.languages.registerCompletionItemProvider(
        MANIFEST_SELECTOR,
        { provideCompletionItems: async (document, position) => (await this.get()).completion.provideCompletionItems(document, position) },
        '"',
      ),
    ];
  }

  dispose(): void {
    for (const disposable of [...this.relays, this.lensesChanged, this.panelPosted]) disposable.dispose();
  }
}
