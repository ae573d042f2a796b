import * as vscode from 'vscode';
import type { Settings } from '../config';
import { UserError } from '../userError';

/**
 * Where images go: `sdStudio.outputFolder` inside the workspace folder of `near` (the prompt's
 * document or the source image), else the first workspace folder. Without a workspace the user
 * picks a folder. Undefined when they cancel.
 */
export async function resolveOutputFolder(settings: Settings, near?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const workspaceFolder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!workspaceFolder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Save Images Here',
      title: 'No folder is open: where should the generated images be saved?',
    });
    return picked?.[0];
  }
  const relative = settings.outputFolder.trim().replace(/\\/g, '/');
  const segments = relative.split('/').filter((s) => s !== '' && s !== '.');
  if (relative.startsWith('/') || /^[a-z]:/i.test(relative) || segments.includes('..')) {
    throw new UserError(`The output folder "${settings.outputFolder}" must be a path inside the workspace, such as generated-images (setting sdStudio.outputFolder).`);
  }
  return vscode.Uri.joinPath(workspaceFolder.uri, ...segments);
}
