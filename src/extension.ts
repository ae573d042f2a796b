import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { Settings } from './config';
import { ServerConnection } from './connection';
import { CredentialStore } from './credentials/credentialStore';
import { ServerTrust } from './credentials/serverTrust';
import { GenerationService } from './generation/generationService';
import { Log } from './log';
import { GalleryStore } from './gallery/galleryStore';
import { ImageWriter } from './output/imageWriter';
import { GenerationPanel, PANEL_VIEW_TYPE } from './panel/generationPanel';
import { EditorTracker } from './ui/editorTracker';
import { ModelStatusBar } from './ui/statusBar';

/** Builds every service once and wires it explicitly; no network or disk work happens here. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = new Log(vscode.window.createOutputChannel('Stable Diffusion Studio', { log: true }));
  const settings = new Settings();
  const credentials = new CredentialStore(context.secrets);
  const trust = new ServerTrust(settings, context.workspaceState, context.globalState, log);
  const connection = new ServerConnection(settings, credentials, trust, log);
  const statusBar = new ModelStatusBar();
  const generation = new GenerationService(connection, log, (message) => void vscode.window.setStatusBarMessage(`Stable Diffusion: ${message}`, 6000));
  const writer = new ImageWriter(log, vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'));
  const gallery = new GalleryStore(context.workspaceState, log);
  const editors = new EditorTracker();
  const services = { settings, credentials, connection, statusBar, log, generation, writer, gallery };
  const panel = new GenerationPanel({ ...services, extensionUri: context.extensionUri, editors, workspaceState: context.workspaceState });

  context.subscriptions.push(
    trust,
    generation, // disposing cancels what still runs, so no request outlives the extension
    connection,
    statusBar,
    gallery,
    editors,
    panel,
    ...registerCommands(services, panel),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel) => panel.restore(webviewPanel),
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (settings.affects(event, 'serverUrl') || settings.affects(event, 'timeouts')) {
        connection.reset();
        statusBar.setServer(safeOrigin(connection));
      }
    }),
    credentials.onDidChange(() => connection.reset()),
    trust.onDidDecide(() => statusBar.setServer(safeOrigin(connection))),
  );
  statusBar.setServer(safeOrigin(connection));
  log.info(`Stable Diffusion Studio ${String(context.extension.packageJSON.version)} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function safeOrigin(connection: ServerConnection): string {
  const baseUrl = connection.baseUrlIfValid();
  return baseUrl ? new URL(baseUrl).origin : '';
}
