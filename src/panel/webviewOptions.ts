import * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/galleryStore';
import { outputFoldersOfWorkspace } from '../output/outputFolder';
import type { Settings } from '../platform/settings';

/**
 * What the panel's page may load: its own script and styles, and of the workspace only the
 * output folders plus the folders earlier results were saved in (the setting may have changed).
 */
export function panelWebviewOptions(extensionUri: vscode.Uri, settings: Settings, gallery: GalleryStore): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  const roots = new Map(outputFoldersOfWorkspace(settings).map((uri) => [uri.toString(), uri]));
  for (const entry of gallery.list()) {
    const folder = vscode.Uri.joinPath(vscode.Uri.parse(entry.uri), '..');
    if (vscode.workspace.getWorkspaceFolder(folder)) roots.set(folder.toString(), folder);
  }
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), ...roots.values()],
  };
}
