// The same integration suite under VS Code desktop through @vscode/test-electron, for machines
// that can download VS Code (this project's CI cannot: it has no internet, so it uses
// runIntegration.ts with code-server). On Linux without a display, run it under `xvfb-run -a`.
//
//   node out/test/harness/runElectron.js

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { freshWorkspace, REPO_ROOT } from './codeServer';

async function main(): Promise<void> {
  const workspace = freshWorkspace();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-electron-user-'));
  const summary = path.join(userDataDir, 'summary.json');
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { SD_TEST_SUMMARY: summary, SD_TEST_USER_DATA_DIR: userDataDir },
    });
    console.log(`[electron] ${fs.readFileSync(summary, 'utf8')}`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error('[electron] FAIL:', error);
  process.exitCode = 1;
});
