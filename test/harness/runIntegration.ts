// Runs test/integration inside a real VS Code extension host (code-server + headless Chromium)
// with this repository as the extension under development.
//
//   node out/test/harness/runIntegration.js                  the suite; exit 0 only if it passed
//   node out/test/harness/runIntegration.js --expect-failure  with a deliberately failing test
//       switched on; exit 0 only if the harness reports that failure (proves it can fail)
//   node out/test/harness/runIntegration.js --keymaps  the Keymap suite as Windows and macOS
//       (the web workbench takes its platform from the browser's user agent; the main run is Linux)
//
// Pass = the workbench reports exit code 0 AND the summary file the test index wrote says
// failures === 0 and passes > 0 (the exit code alone stays 0 when the extension host dies).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freshWorkspace, launchBrowser, REPO_ROOT, screenshot, startCodeServer, workbenchUrl } from './codeServer';

const TIMEOUT_MS = 5 * 60 * 1000;

interface Summary {
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
}

/** Browsers that the web workbench takes for Windows and macOS (vs/base/common/platform reads the user agent). */
const USER_AGENTS = {
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36',
  macos: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36',
} as const;
type KeymapPlatform = keyof typeof USER_AGENTS;

async function runSuite(injectFailure: boolean, keymap?: KeymapPlatform): Promise<{ exitCode: number | undefined; summary: Summary | undefined }> {
  const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-summary-')), 'summary.json');
  const workspace = freshWorkspace();
  const server = await startCodeServer({
    env: {
      SD_TEST_SUMMARY: summaryFile,
      SD_TEST_WORKSPACE: workspace,
      // The self-check runs a few real tests next to the failing one: it proves the verdict, not the suite.
      ...(injectFailure ? { SD_TEST_INJECT_FAILURE: '1', SD_TEST_GREP: 'Extension in a real VS Code|harness self-check' } : {}),
      ...(keymap ? { SD_TEST_KEYMAP_OS: keymap, SD_TEST_GREP: 'Keymap' } : {}),
      ...grepEnv(),
    },
  });
  const browser = await launchBrowser(undefined, keymap ? USER_AGENTS[keymap] : undefined);
  try {
    const { page } = browser;
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = formatLog(args);
      if (type === 'error') console.error(text);
      else console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', REPO_ROOT],
      ['extensionTestsPath', path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')],
      ['enableProposedApi', ''],
    ]);
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), TIMEOUT_MS)));
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (exitCode === undefined) {
      console.error(`[harness] no result within ${TIMEOUT_MS / 1000} s; screenshot: ${await screenshot(page, 'integration-timeout')}`);
    }
    const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Summary) : undefined;
    return { exitCode, summary };
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
  }
}

/** `--grep <pattern>` runs a subset while developing. */
function grepEnv(): Record<string, string> {
  const index = process.argv.indexOf('--grep');
  return index > 0 && process.argv[index + 1] ? { SD_TEST_GREP: process.argv[index + 1] } : {};
}

/** The workbench forwards console calls printf-style: ("%s text %s", a, b). */
function formatLog(args: unknown[]): string {
  if (args.length === 0) return '';
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map(String).join(' ');
  let i = 0;
  const text = first.replace(/%[sdoOjc]/g, (token) => (token === '%c' ? (i++, '') : String(rest[i++])));
  return [text, ...rest.slice(i).map(String)].join(' ');
}

function passed(result: { exitCode: number | undefined; summary: Summary | undefined }): boolean {
  return result.exitCode === 0 && result.summary !== undefined && result.summary.failures === 0 && result.summary.passes > 0;
}

async function main(): Promise<void> {
  if (process.argv.includes('--keymaps')) {
    for (const platform of Object.keys(USER_AGENTS) as KeymapPlatform[]) {
      const result = await runSuite(false, platform);
      console.log(`[harness] keymap as ${platform}: ${passed(result) ? 'passed' : `FAILED ${JSON.stringify(result.summary?.failed ?? [])}`}`);
      if (!passed(result)) process.exitCode = 1;
    }
    return;
  }
  const expectFailure = process.argv.includes('--expect-failure');
  const started = Date.now();
  const result = await runSuite(expectFailure);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const { summary } = result;
  console.log(
    `[harness] exit code ${result.exitCode ?? 'none (timeout)'}; ` +
      (summary ? `${summary.passes} passing, ${summary.failures} failing, ${summary.pending} pending` : 'no summary file') +
      ` (${seconds} s)`,
  );
  if (expectFailure) {
    const reported = !passed(result) && (summary?.failed ?? []).some((title) => title.includes('deliberately failing'));
    console.log(
      reported
        ? '[harness] self-check OK: the deliberately failing test made the run fail'
        : '[harness] self-check FAILED: a failing test did not fail the run',
    );
    process.exitCode = reported ? 0 : 1;
    return;
  }
  process.exitCode = passed(result) ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
