// Entry point the extension host calls with --extensionTestsPath (the `run()` contract of
// @vscode/test-electron, so the same suite runs there too). Writes a summary file because the
// workbench reports exit code 0 even when the extension host dies.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
// First: it watches the extension activate on VS Code's startup (extension.test.ts reads it).
import './startup';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, forbidOnly: true, grep: process.env.SD_TEST_GREP });
  // extension.test.js first: it checks what the extension did while it activated on startup.
  const first = (name: string) => (name === 'extension.test.js' ? 0 : 1);
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => first(a) - first(b) || a.localeCompare(b))) {
    mocha.addFile(path.join(__dirname, file));
  }
  // The extension and the tests share this process: a promise rejected with nobody listening,
  // anywhere in the run, fails the run.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  mocha.suite.afterAll('no unhandled promise rejections', () => {
    process.off('unhandledRejection', onUnhandled);
    if (unhandled.length > 0) throw new Error(`unhandled rejections: ${unhandled.map((r) => (r instanceof Error ? r.stack : String(r))).join('\n')}`);
  });
  if (process.env.SD_TEST_INJECT_FAILURE) {
    mocha.suite.addTest(
      new Mocha.Test('harness self-check: a deliberately failing test', () => {
        throw new Error('deliberately failing (SD_TEST_INJECT_FAILURE is set)');
      }),
    );
  }
  const failed: string[] = [];
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats ?? ({ passes: 0, failures: 1, pending: 0 } as Mocha.Stats)));
    runner.on('fail', (test) => failed.push(test.fullTitle()));
  });
  const summary = { passes: stats.passes, failures: stats.failures, pending: stats.pending, failed };
  if (process.env.SD_TEST_SUMMARY) fs.writeFileSync(process.env.SD_TEST_SUMMARY, JSON.stringify(summary));
  if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
}
