import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import { startFakeA1111 } from '../server/fakeA1111';
import { extensionLogText } from '../support/extensionLog';
import { EXTENSION_ID, setSetting, testApi, waitFor } from './helpers';
import { freshRequireMs } from './activation';
import { startup } from './startup';

describe('Extension in a real VS Code', () => {
  it('runs inside VS Code 1.100 and activates once startup has finished, quickly, without network or synchronous disk work', async () => {
    assert.match(vscode.version, /^1\.100\./);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.deepEqual(
      extension.packageJSON.activationEvents,
      ['onStartupFinished', 'onWebviewPanel:sdStudio.generationPanel', 'workspaceContains:**/sd-assets.json', 'workspaceContains:**/*.sd-assets.json'],
      'after startup (the status bar item is there from the start), a restored panel, or a recipes file in the workspace (CodeLens)',
    );
    assert.equal(startup.activeAtStart, false, 'the watch began before the extension activated, so it saw the activation');
    await waitFor('the extension to activate once startup has finished, without a command', () => extension.isActive);
    startup.syncFs.stop();
    assert.deepEqual(startup.syncFs.calls, [], 'no synchronous file system call from the extension while it activated');
    assert.ok(!Object.keys(require.cache).some((file) => file.endsWith(`${path.sep}undici.js`)), 'no HTTP client loaded: nothing was sent');
    const api = await testApi();
    assert.match(api.statusBarText(), /Set up Stable Diffusion/, 'no server chosen yet: the status bar offers to set one up');

    const server = await startFakeA1111();
    try {
      await setSetting('serverUrl', server.url);
      await waitFor('the status bar to show the server', () => (/Set up/.test(api.statusBarText()) ? undefined : true));
      const bundle = startup.bundle;
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
