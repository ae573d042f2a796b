import * as vscode from 'vscode';

/** One status bar item: the server's current model or what is going on; click opens the panel. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sdStudio.model', vscode.StatusBarAlignment.Right, 100);
  private model: string | undefined;
  private server = '';

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

  setModel(origin: string, title: string): void {
    this.server = origin;
    this.model = title;
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
    this.item.text = name ? `$(sparkle) ${name}` : '$(sparkle) SD';
    this.item.tooltip = this.tooltip(`Model: ${this.model ?? 'unknown until the first request'}`);
    this.item.backgroundColor = undefined;
  }

  private tooltip(state: string): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['sdStudio.openPanel', 'sdStudio.selectModel', 'sdStudio.setServer'] };
    tooltip.appendMarkdown('**Stable Diffusion**\n\n');
    tooltip.appendText(`Server: ${this.server || 'not set'}\n\n${state}\n\n`);
    tooltip.appendMarkdown('[Open Generation Panel](command:sdStudio.openPanel) · [Select Model…](command:sdStudio.selectModel) · [Set Server…](command:sdStudio.setServer)');
    return tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** `icons/flat-icons-v2.safetensors [31e35c80fc]` -> `flat-icons-v2`. */
export function shortModelName(title: string): string {
  return title.replace(/\s*\[[0-9a-f]+\]$/i, '').split(/[\\/]/).pop()!.replace(/\.(safetensors|ckpt|pt|bin|gguf)$/i, '');
}
