import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { startFakeA1111 } from '../server/fakeA1111';
import { extensionLogText } from '../support/extensionLog';
import { EXTENSION_ID, setSetting, waitFor } from './helpers';
import { freshRequireMs, watchSyncFs } from './activation';

describe('Extension in a real VS Code', () => {
  it('runs inside VS Code 1.100 and activates on first use, quickly, without network or synchronous disk work', async () => {
    assert.match(vscode.version, /^1\.100\./);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.deepEqual(
      extension.packageJSON.activationEvents,
      ['onWebviewPanel:sdStudio.generationPanel', 'workspaceContains:**/sd-assets.json', 'workspaceContains:**/*.sd-assets.json'],
      'no eager activation: commands activate it, a restored panel, or a recipes file in the workspace (CodeLens)',
    );
    assert.ok(!extension.isActive, 'not active before its first use');

    const server = await startFakeA1111();
    try {
      await setSetting('serverUrl', server.url);
      const bundle = path.join(extension.extensionPath, 'dist', 'extension.js');
      // Users activate it with a first command, after VS Code's own startup work: let that settle
      // (built-in extensions activating on startup share this process and these two cores).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const syncFs = watchSyncFs(bundle);
      const started = performance.now();
      await extension.activate(); // what VS Code runs on the first command: require the bundle, call activate()
      const activationMs = performance.now() - started;
      syncFs.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(syncFs.calls, [], 'no synchronous file system call from the extension while it activates');
      assert.equal(server.requests.length, 0, 'no request to the server on activation');

      // Loading the bundle alone, again in this host (a fresh copy each time), next to loading
      // undici's full package: the baseline the bundle's size work is measured against.
      const bundleLoadMs = freshRequireMs(bundle, path.dirname(bundle), 5);
      const undiciDir = path.dirname(require.resolve('undici/package.json'));
      const undiciLoadMs = freshRequireMs(path.join(undiciDir, 'index.js'), undiciDir, 5);
      const logged = await waitFor(
        'the activation line in the log',
        () => /activated in ([0-9.]+) ms/.exec(extensionLogText(process.env.SD_TEST_USER_DATA_DIR ?? ''))?.[1],
      );
      // The first command loads dist/features.js (and builds the panel and recipes objects); the
      // same command again shows what that load cost. Show Log does nothing else of note.
      const timed = async () => {
        const commandStarted = performance.now();
        await vscode.commands.executeCommand('sdStudio.showLog');
        return performance.now() - commandStarted;
      };
      const firstCommandMs = await timed();
      const againCommandMs = await timed();
      const report = {
        vscode: vscode.version,
        activationMs,
        activateCallMs: Number(logged),
        bundleLoadMs,
        undiciLoadMs,
        firstCommandMs,
        againCommandMs,
        bundleBytes: fs.statSync(bundle).size,
        featuresBytes: fs.statSync(path.join(path.dirname(bundle), 'features.js')).size,
        measuredAt: new Date().toISOString(),
      };
      console.log(`[activation] ${JSON.stringify(report)}`);
      fs.mkdirSync(path.join(extension.extensionPath, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(extension.extensionPath, 'test-results', 'activation.json'), JSON.stringify(report, null, 2));
    } finally {
      await server.close();
    }
  });

  it('registers exactly the contributed commands', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('sdStudio.'));
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
    for (const id of COMMAND_IDS) assert.ok(registered.includes(id), `${id} is registered`);
  });
});
