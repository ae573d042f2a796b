import * as vscode from 'vscode';
import { shortModelName } from '../sdapi/modelNames';

/** One status bar item: the server's current model or what is going on; click opens the panel. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sdStudio.model', vscode.StatusBarAlignment.Right, 100);
  private model: string | undefined;
  private server = '';
  private lastSaved = '';
  /** The pool in use: its label and size. */
  private pool: { label: string; size: number } | undefined;

  constructor() {
    this.item.name = 'Stable Diffusion Model';
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

  setModel(origin: string, title: string): void {
    this.server = origin;
    this.model = title;
    this.showIdle();
  }

  /** The tooltip names the newest images (the status message only says how many and where). */
  setLastSaved(folder: string, names: readonly string[]): void {
    this.lastSaved = `Last saved to ${folder}: ${names.join(', ')}`;
    this.showIdle();
  }

  setDisconnected(origin: string, reason: string): void {
    this.server = origin;
    this.item.text = '$(debug-disconnect) SD';
    this.item.tooltip = this.tooltip(`Not available: ${reason}`);
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  setBusy(message: string): void {
    this.item.text = `$(loading~spin) SD: ${message}`;
    this.item.backgroundColor = undefined;
  }

  showIdle(): void {
    const name = this.model ? shortModelName(this.model) : undefined;
    const pool = this.pool ? ` · ${vscode.l10n.t('{0} servers', this.pool.size)}` : '';
    this.item.text = `${name ? `$(sparkle) ${name}` : '$(sparkle) SD'}${pool}`;
    this.item.tooltip = this.tooltip(`Model: ${this.model ?? 'unknown until the first request'}`);
    this.item.backgroundColor = undefined;
  }

  private tooltip(state: string): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['sdStudio.openPanel', 'sdStudio.selectModel', 'sdStudio.selectServer', 'sdStudio.setServer'] };
    tooltip.appendMarkdown('**Stable Diffusion**\n\n');
    const server = this.pool ? `${this.pool.label} (${this.server})` : this.server || 'not set';
    tooltip.appendText(`Server: ${server}\n\n${state}\n\n${this.lastSaved ? `${this.lastSaved}\n\n` : ''}`);
    tooltip.appendMarkdown(
      '[Open Generation Panel](command:sdStudio.openPanel) · [Select Model…](command:sdStudio.selectModel) · [Select Server…](command:sdStudio.selectServer) · [Set Server…](command:sdStudio.setServer)',
    );
    return tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
