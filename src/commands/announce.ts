import * as vscode from 'vscode';
import type { ImageWriter } from '../output/imageWriter';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import type { FailureReporter } from '../ui/failures';

/** What the image commands (upscale, resize, convert, remove background, icon set) work with. */
export interface ImageCommandDeps {
  settings: Settings;
  writer: ImageWriter;
  failures: FailureReporter;
  log: Log;
  /** Remembers the last choice for this workspace. */
  workspaceState: vscode.Memento;
}

/** A server operation on one image, with a notification whose Cancel aborts its request. */
export async function withCancellableProgress<T>(title: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await run(controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}

/**
 * What an image operation's result does, as after a generation (sdStudio.afterGeneration):
 * open it, reveal it in the Explorer, or only say where it went (with an Open button).
 */
export async function announceSaved(file: vscode.Uri, said: string, mode: Settings['afterGeneration']): Promise<void> {
  if (mode === 'open') await vscode.commands.executeCommand('vscode.open', file, { preview: false });
  if (mode === 'reveal') await vscode.commands.executeCommand('revealInExplorer', file);
  if (mode === 'none') {
    const open = vscode.l10n.t('Open');
    void vscode.window.showInformationMessage(said, open).then((choice) => choice === open && vscode.commands.executeCommand('vscode.open', file));
  } else {
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: {0}', said), 5000);
  }
}
