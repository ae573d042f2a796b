import * as vscode from 'vscode';
import { shortModelName } from '../sdapi/modelNames';
import { WALKTHROUGH_ID } from './onboarding';

/** One status bar item: the server's current model or what is going on; click opens the panel. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sdStudio.model', vscode.StatusBarAlignment.Right, 100);
  private model: string | undefined;
  private server = '';
  private lastSaved = '';
  /** The pool in use: its label and size. */
  private pool: { label: string; size: number } | undefined;
  private setUpNeeded = false;

  constructor() {
    this.item.name = vscode.l10n.t('Stable Diffusion Model');
    this.item.command = 'sdStudio.openPanel';
    this.showIdle();
    this.item.show();
  }

  setServer(origin: string): void {
    if (origin !== this.server) this.model = undefined;
    this.server = origin;
    this.showIdle();
  }

  setPool(pool: { label: string; size: number } | undefined): void {
    this.pool = pool;
    this.showIdle();
  }

  /** What the item shows now (for tests). */
  get text(): string {
    return this.item.text;
  }

  setModel(origin: string, title: string): void {
    this.server = origin;
    this.model = title;
    this.showIdle();
  }

  /** The tooltip names the newest images (the status message only says how many and where). */
  setLastSaved(folder: string, names: readonly string[]): void {
    this.lastSaved = vscode.l10n.t('Last saved to {0}: {1}', folder, names.join(', '));
    this.showIdle();
  }

  setDisconnected(origin: string, reason: string): void {
    this.server = origin;
    this.item.text = vscode.l10n.t('$(debug-disconnect) SD');
    this.item.tooltip = this.tooltip(vscode.l10n.t('Not available: {0}', reason));
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  setBusy(message: string): void {
    this.item.text = vscode.l10n.t('$(loading~spin) SD: {0}', message);
    this.item.backgroundColor = undefined;
  }

  /** Until a server is set up, the item offers to set one up (the Getting Started walkthrough). */
  setSetUp(setUp: boolean): void {
    this.setUpNeeded = !setUp;
    this.showIdle();
  }

  showIdle(): void {
    if (this.setUpNeeded) {
      this.item.text = `$(sparkle) ${vscode.l10n.t('Set up Stable Diffusion')}`;
      this.item.tooltip = vscode.l10n.t('Connect a Stable Diffusion server (A1111, Forge, SD.Next) and make a first image');
      this.item.command = { title: vscode.l10n.t('Get Started'), command: 'workbench.action.openWalkthrough', arguments: [WALKTHROUGH_ID, false] };
      this.item.backgroundColor = undefined;
      return;
    }
    this.item.command = 'sdStudio.openPanel';
    const name = this.model ? shortModelName(this.model) : undefined;
    const pool = this.pool ? ` · ${vscode.l10n.t('{0} servers', this.pool.size)}` : '';
    this.item.text = `${name ? `$(sparkle) ${name}` : vscode.l10n.t('$(sparkle) SD')}${pool}`;
    this.item.tooltip = this.tooltip(vscode.l10n.t('Model: {0}', this.model ?? vscode.l10n.t('unknown until the first request')));
    this.item.backgroundColor = undefined;
  }

  private tooltip(state: string): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['sdStudio.openPanel', 'sdStudio.selectModel', 'sdStudio.selectServer', 'sdStudio.setServer'] };
    tooltip.appendMarkdown(vscode.l10n.t('**Stable Diffusion**\n\n'));
    const server = this.pool ? `${this.pool.label} (${this.server})` : this.server || vscode.l10n.t('not set');
    tooltip.appendText(`${vscode.l10n.t('Server: {0}', server)}\n\n${state}\n\n${this.lastSaved ? `${this.lastSaved}\n\n` : ''}`);
    tooltip.appendMarkdown(
      vscode.l10n.t(
        '[Open Generation Panel](command:sdStudio.openPanel) · [Select Model…](command:sdStudio.selectModel) · [Select Server…](command:sdStudio.selectServer) · [Set Server…](command:sdStudio.setServer)',
      ),
    );
    return tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
