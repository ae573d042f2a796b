import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { EXTENSION_ID } from './helpers';

describe('Extension in a real VS Code', () => {
  it('runs inside VS Code 1.100 and activates on its first command', async () => {
    assert.match(vscode.version, /^1\.100\./);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.deepEqual(extension.packageJSON.activationEvents, ['onWebviewPanel:sdStudio.generationPanel'], 'no eager activation');
    await vscode.commands.executeCommand('sdStudio.showLog');
    assert.ok(extension.isActive);
  });

  it('registers exactly the contributed commands', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('sdStudio.'));
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
    for (const id of COMMAND_IDS) assert.ok(registered.includes(id), `${id} is registered`);
  });
});
