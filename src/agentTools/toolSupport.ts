// What every agent tool needs: results as text for the model, and paths from the model read the
// way a user would write them. An agent's input is untrusted (a prompt can be injected into
// it): paths must name files inside the workspace, checked like the panel's.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { workspaceFileUri, workspaceImageUri, type FolderRef } from '../output/workspacePath';

export function textResult(...lines: string[]): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(lines.filter(Boolean).join('\n'))]);
}

function folders(): FolderRef[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, uri: folder.uri.toString() }));
}

/** Agents often give absolute paths: those inside the workspace count like relative ones. */
function asWorkspaceText(text: string): string {
  if (typeof text !== 'string') throw new UserError(vscode.l10n.t('The path is missing.'));
  return path.isAbsolute(text) || path.win32.isAbsolute(text) ? vscode.Uri.file(text).toString() : text;
}

/** The image file an agent names (it may not exist yet). */
export function imageTarget(text: string): vscode.Uri {
  if (folders().length === 0) throw new UserError(vscode.l10n.t('No folder is open: open the project first.'));
  return vscode.Uri.parse(workspaceImageUri(asWorkspaceText(text), folders(), vscode.l10n.t('The image')));
}

const MANIFEST_NAME = /(^|[\\/.])sd-assets\.json$/;

/** The recipes file an agent names. */
export function manifestTarget(text: string): vscode.Uri {
  return vscode.Uri.parse(
    workspaceFileUri(asWorkspaceText(text), folders(), {
      what: vscode.l10n.t('The recipes file'),
      accepts: MANIFEST_NAME,
      wrongKind: (name) => vscode.l10n.t('{0} is not a recipes file: name it sd-assets.json or <name>.sd-assets.json.', name),
    }),
  );
}

export function relative(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** Cancels the job a tool started when its caller cancels (the chat's Stop). */
export function jobCanceller(token: vscode.CancellationToken, cancel: (jobId: string) => unknown): { onJob: (jobId: string) => void; dispose: () => void } {
  let jobId: string | undefined;
  const subscription = token.onCancellationRequested(() => {
    if (jobId) cancel(jobId);
  });
  return {
    onJob: (id: string) => {
      jobId = id;
    },
    dispose: () => {
      subscription.dispose();
    },
  };
}
