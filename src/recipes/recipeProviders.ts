import * as vscode from 'vscode';
import { effectiveRecipe } from './effective';
import { parseManifest, type Manifest } from './manifest';
import { MANIFEST_GLOB } from './manifestFiles';
import { isManifest } from './manifestSelector';
import { entryUri, StoredHashes, type RecipeState } from './recipeState';

function stateLabel(state: RecipeState): string {
  switch (state) {
    case 'missing':
      return `$(circle-large-outline) ${vscode.l10n.t('missing')}`;
    case 'upToDate':
      return `$(pass) ${vscode.l10n.t('up to date')}`;
    case 'stale':
      return `$(warning) ${vscode.l10n.t('stale: the recipe changed')}`;
    case 'untracked':
      return `$(question) ${vscode.l10n.t('not made from this recipe')}`;
  }
}

interface EntryState {
  path: string;
  state: RecipeState;
}

/**
 * CodeLens and diagnostics of recipes files, computed from one read of the manifest and of its
 * images' metadata: each entry's state, Generate / Regenerate / Variation / Open, and the file's
 * Generate Missing Assets.
 */
export class RecipeProviders implements vscode.CodeLensProvider, vscode.CodeActionProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('sdStudio.recipes');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly images = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,webp,PNG,JPG,JPEG,WEBP}');
  private readonly manifests = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB, true, true, false);
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The hash each image carries, read once per file change: an edit of a recipes file reads no image. */
  private readonly storedHashes = new StoredHashes();
  /** Entry states per recipes file version: CodeLens and diagnostics compute them once, not each. */
  private readonly cache = new Map<string, { version: number; states: Promise<EntryState[]> }>();

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      // A deleted recipes file keeps its TextDocument for a while: its problems must go now.
      this.manifests,
      this.manifests.onDidDelete((uri) => this.forget(uri)),
      // A generated, replaced or deleted image (by us or outside VS Code) changes its entry's state.
      this.images,
      this.images.onDidCreate((uri) => this.imageChanged(uri)),
      this.images.onDidChange((uri) => this.imageChanged(uri)),
      this.images.onDidDelete((uri) => this.imageChanged(uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  /** Recomputes every open recipes file after `written` images changed (a generation wrote them; the watcher may tell later). */
  refreshAll(...written: vscode.Uri[]): void {
    for (const file of written) this.storedHashes.forget(file);
    this.cache.clear();
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isManifest(document)) return [];
    const manifest = parseManifest(document.getText());
    const states = await this.states(document, manifest);
    const lenses: vscode.CodeLens[] = [];
    if (manifest.assetsOffset !== undefined) {
      const range = document.lineAt(document.positionAt(manifest.assetsOffset).line).range;
      const todo = states.filter((s, i) => manifest.entries[i]!.valid && (s.state === 'missing' || s.state === 'stale')).length;
      lenses.push(
        new vscode.CodeLens(range, {
          title: todo > 0 ? `$(sparkle) ${vscode.l10n.t('Generate Missing Assets ({0})', todo)}` : `$(pass) ${vscode.l10n.t('All assets are up to date')}`,
          command: todo > 0 ? 'sdStudio.generateMissingAssets' : '',
          arguments: [document.uri],
        }),
      );
    }
    for (const [index, entry] of manifest.entries.entries()) {
      const range = new vscode.Range(document.positionAt(entry.keyOffset), document.positionAt(entry.keyOffset + entry.keyLength));
      const state = states[index]!.state;
      const args = [document.uri, entry.path];
      if (!entry.valid) {
        lenses.push(new vscode.CodeLens(range, { title: `$(error) ${vscode.l10n.t('fix the problems of this entry to generate it')}`, command: '' }));
        continue;
      }
      lenses.push(new vscode.CodeLens(range, { title: stateLabel(state), command: '' }));
      if (state === 'missing') {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Generate'), command: 'sdStudio.generateRecipe', arguments: args }));
      } else {
        lenses.push(
          new vscode.CodeLens(range, { title: vscode.l10n.t('Regenerate'), command: 'sdStudio.regenerateRecipe', arguments: args }),
          new vscode.CodeLens(range, { title: vscode.l10n.t('Variation'), command: 'sdStudio.recipeVariation', arguments: args }),
          new vscode.CodeLens(range, { title: vscode.l10n.t('Open'), command: 'vscode.open', arguments: [entryUri(document.uri, entry.path)] }),
        );
      }
    }
    return lenses;
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const entries = parseManifest(document.getText()).entries;
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== vscode.l10n.t('Stable Diffusion') || (diagnostic.code !== 'missing' && diagnostic.code !== 'stale')) continue;
      const offset = document.offsetAt(diagnostic.range.start);
      const path = entries.find((entry) => entry.keyOffset === offset)?.path;
      if (path === undefined) continue;
      const action = new vscode.CodeAction(
        diagnostic.code === 'stale' ? vscode.l10n.t('Regenerate {0}', path) : vscode.l10n.t('Generate {0}', path),
        vscode.CodeActionKind.QuickFix,
      );
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.command = { title: action.title, command: 'sdStudio.generateRecipe', arguments: [document.uri, path] };
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    clearTimeout(this.refreshTimer);
    vscode.Disposable.from(this.diagnostics, this.changed, ...this.subscriptions).dispose();
  }

  private schedule(document: vscode.TextDocument, delayMs = 250): void {
    if (!isManifest(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.updateDiagnostics(document);
      }, delayMs),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.cache.delete(key);
    this.diagnostics.delete(uri);
  }

  private async updateDiagnostics(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed || !(await exists(document))) return;
    const manifest = parseManifest(document.getText());
    const range = (offset: number, length: number) => new vscode.Range(document.positionAt(offset), document.positionAt(offset + length));
    const diagnostics = manifest.problems.map((problem) => {
      const diagnostic = new vscode.Diagnostic(
        range(problem.offset, problem.length),
        problem.message,
        problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = vscode.l10n.t('Stable Diffusion');
      return diagnostic;
    });
    const states = await this.states(document, manifest);
    for (const [index, entry] of manifest.entries.entries()) {
      const state = states[index]!.state;
      if (!entry.valid || (state !== 'missing' && state !== 'stale')) continue;
      const message =
        state === 'missing'
          ? vscode.l10n.t('{0} does not exist yet.', entry.path)
          : vscode.l10n.t('{0} was made from an earlier version of this recipe.', entry.path);
      const diagnostic = new vscode.Diagnostic(range(entry.keyOffset, entry.keyLength), message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = vscode.l10n.t('Stable Diffusion');
      diagnostic.code = state;
      diagnostics.push(diagnostic);
    }
    if (!document.isClosed && (await exists(document))) this.diagnostics.set(document.uri, diagnostics);
  }

  /** The image is read again; the recipes files are recomputed once a burst of events is over (a batch writes many images). */
  private imageChanged(uri: vscode.Uri): void {
    this.storedHashes.forget(uri);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.cache.clear();
      for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
      this.changed.fire();
    }, 200);
  }

  private states(document: vscode.TextDocument, manifest: Manifest): Promise<EntryState[]> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.states;
    const states = this.readStates(document, manifest);
    this.cache.set(key, { version: document.version, states });
    return states;
  }

  private readStates(document: vscode.TextDocument, manifest: Manifest): Promise<EntryState[]> {
    return Promise.all(
      manifest.entries.map(async (entry) => ({
        path: entry.path,
        state: await this.storedHashes.state(entryUri(document.uri, entry.path), effectiveRecipe(entry, manifest)),
      })),
    );
  }
}

/** A saved recipes file that was deleted on disk has no problems left to show (an unsaved one does). */
async function exists(document: vscode.TextDocument): Promise<boolean> {
  if (document.isUntitled || document.isDirty || document.uri.scheme !== 'file') return true;
  return vscode.workspace.fs.stat(document.uri).then(
    () => true,
    () => false,
  );
}
