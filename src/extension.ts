import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { Settings } from './config';
import { ServerConnection } from './connection';
import { CredentialStore } from './credentials/credentialStore';
import { GenerationService } from './generation/generationService';
import { Log } from './log';
import { ImageWriter } from './output/imageWriter';
import { ModelStatusBar } from './ui/statusBar';

/** Builds every service once and wires it explicitly; no network or disk work happens here. */
export function activate(context: vscode.ExtensionContext): void {
  const log = new Log(vscode.window.createOutputChannel('Stable Diffusion Studio', { log: true }));
  const settings = new Settings();
  const credentials = new CredentialStore(context.secrets);
  const connection = new ServerConnection(settings, credentials, log);
  const statusBar = new ModelStatusBar();
  const generation = new GenerationService(connection, settings, log);
  const writer = new ImageWriter(log);

  context.subscriptions.push(
    generation, // disposing cancels what still runs, so no request outlives the extension
    connection,
    statusBar,
    ...registerCommands({ settings, credentials, connection, statusBar, log, generation, writer }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (settings.affects(event, 'serverUrl') || settings.affects(event, 'timeouts')) {
        connection.reset();
        statusBar.setServer(safeOrigin(connection));
      }
    }),
    credentials.onDidChange(() => connection.reset()),
  );
  statusBar.setServer(safeOrigin(connection));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function safeOrigin(connection: ServerConnection): string {
  try {
    return new URL(connection.baseUrl()).origin;
  } catch {
    return '';
  }
}
