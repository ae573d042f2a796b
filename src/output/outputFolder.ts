import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { Settings } from '../platform/settings';

/**
 * Where images go: `sdStudio.outputFolder` inside the workspace folder of `near` (the prompt's
 * document or the source image), else the first workspace folder. Undefined without a
 * workspace (the caller asks the user). A UserError when the setting leaves the workspace.
 */
export function outputFolderFor(settings: Settings, near?: vscode.Uri): vscode.Uri | undefined {
  const workspaceFolder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!workspaceFolder) return undefined;
  const relative = settings.outputFolder.trim().replace(/\\/g, '/');
  const segments = relative.split('/').filter((s) => s !== '' && s !== '.');
  if (relative.startsWith('/') || /^[a-z]:/i.test(relative) || segments.includes('..')) {
    throw new UserError(
      vscode.l10n.t(
        'The output folder "{0}" must be a path inside the workspace, such as generated-images (setting sdStudio.outputFolder).',
        settings.outputFolder,
      ),
    );
  }
  return vscode.Uri.joinPath(workspaceFolder.uri, ...segments);
}

/** The output folder of every workspace folder (for the panel's resource roots). */
export function outputFoldersOfWorkspace(settings: Settings): vscode.Uri[] {
  const segments = settings.outputFolder.split(/[\\/]/).filter((s) => s && s !== '.' && s !== '..');
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, ...segments));
}
