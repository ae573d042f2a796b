import * as vscode from 'vscode';
import type { Settings } from '../platform/settings';

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
    void vscode.window.setStatusBarMessage(`Stable Diffusion: ${said}`, 5000);
  }
}
