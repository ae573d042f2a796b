import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/commands/testApi';
import { startFakeA1111, type FakeA1111, type FakeServerOptions } from '../server/fakeA1111';

export const EXTENSION_ID = 'sd-studio.stable-diffusion-studio';

/** The outcome objects the commands return (see src/commands). */
export interface Outcome {
  status: string;
  kind?: string;
  message?: string;
  files?: string[];
  seeds?: (number | undefined)[];
  [key: string]: unknown;
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri;
}

export async function run(command: string, ...args: unknown[]): Promise<Outcome> {
  return vscode.commands.executeCommand<Outcome>(command, ...args);
}

/**
 * The commands' own code with the user's answers given (src/commands/testApi.ts): commands
 * take no arguments from outside, so this is how tests skip the input boxes.
 */
export async function testApi(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  assert.ok(api, 'the test API is there in ExtensionMode.Test');
  return api;
}

export async function viaApi<K extends 'setServer' | 'generateFromSelection' | 'imageToImage' | 'selectModel' | 'remake'>(
  method: K,
  ...args: Parameters<TestApi[K]>
): Promise<Outcome> {
  const api = await testApi();
  return (await (api[method] as (...a: unknown[]) => Promise<unknown>)(...args)) as Outcome;
}

/** Starts a local server and points the extension at it (user settings + SecretStorage). */
export async function useServer(options: FakeServerOptions = {}, login?: { username: string; password: string }): Promise<FakeA1111> {
  const server = await startFakeA1111(options);
  const outcome = await viaApi('setServer', { url: server.url, ...login });
  assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
  return server;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('sdStudio').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Names in the output folder, read from disk directly (the test workspace is local). */
export async function outputFiles(): Promise<string[]> {
  const folder = path.join(workspaceFolder().fsPath, 'generated-images');
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

export async function clearOutput(): Promise<void> {
  await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder(), 'generated-images'), { recursive: true }).then(undefined, () => undefined);
}

/** Opens a workspace file and selects the given line (0-based). */
export async function selectLine(relativePath: string, line: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder(), relativePath));
  const editor = await vscode.window.showTextDocument(document);
  const text = document.lineAt(line);
  editor.selection = new vscode.Selection(text.range.start, text.range.end);
  return editor;
}
