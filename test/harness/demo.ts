// The quick start's main job: the local A1111-compatible server plus a real VS Code (code-server)
// running this extension from source on a copy of the sample workspace.
//
//   npm start                  serve both; open the printed URL in a browser; Ctrl+C stops
//   npm start -- --headless    drive it once in headless Chromium (Set Server, generate from the
//                              palette), write screenshots to test-results/, and exit
//
// Options: --auth user:password (the local server asks for Basic auth), --port N (VS Code's
// port; default a free one), --a1111-port N (default 7860, or a free one when taken),
// --step-ms N (time per sampling step, default 150 so progress is visible).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { freshWorkspace, launchBrowser, REPO_ROOT, screenshot, startCodeServer, workbenchUrl } from './codeServer';
import { answerInput, openAndSelectLine, runCommand, panelReady, waitForNotification, waitForWorkbench } from './workbench';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function startA1111(stepDelayMs: number, auth: { username: string; password: string } | undefined): Promise<FakeA1111> {
  const wanted = Number(option('a1111-port') ?? 7860);
  try {
    return await startFakeA1111({ port: wanted, stepDelayMs, auth });
  } catch {
    return startFakeA1111({ stepDelayMs, auth }); // 7860 taken (a real A1111?): any free port
  }
}

async function main(): Promise<void> {
  const headless = process.argv.includes('--headless');
  const [username, ...rest] = (option('auth') ?? '').split(':');
  const auth = username ? { username, password: rest.join(':') } : undefined;
  const a1111 = await startA1111(Number(option('step-ms') ?? 150), auth);
  const workspace = freshWorkspace();
  const server = await startCodeServer({
    port: option('port') ? Number(option('port')) : undefined,
    userSettings: { 'sdStudio.serverUrl': a1111.url },
  });
  const url = workbenchUrl(server, workspace, [['extensionDevelopmentPath', REPO_ROOT]]);
  console.log(`\nLocal A1111-compatible server: ${a1111.url}${auth ? ` (Basic auth ${auth.username})` : ''}`);
  console.log(`Sample workspace:              ${workspace}`);
  console.log(`VS Code with the extension:    ${url}\n`);

  const stop = async () => {
    await server.stop();
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  };

  if (!headless) {
    console.log('Open that URL, then try: select a line in notes.md and run "Stable Diffusion: Generate Image from Selection"');
    console.log('(F1), or right-click assets/source.png and choose "Image to Image…". Ctrl+C stops.\n');
    process.once('SIGINT', () => void stop().then(() => process.exit(0)));
    return;
  }

  const browser = await launchBrowser({ width: 1680, height: 960 });
  try {
    const { page } = browser;
    await page.goto(url);
    await waitForWorkbench(page);
    if (auth) {
      await runCommand(page, 'Stable Diffusion: Set Server');
      await answerInput(page, 'Set Server (1/3)', a1111.url);
      await answerInput(page, 'Set Server (2/3)', auth.username);
      await answerInput(page, 'Set Server (3/3)', auth.password);
      await waitForNotification(page, 'Connected to');
    }
    await openAndSelectLine(page, 'notes.md', 3);
    await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
    await waitForNotification(page, 'Step', 30_000);
    await page.waitForTimeout(800);
    const during = await screenshot(page, 'demo-progress');
    const outputDir = path.join(workspace, 'generated-images');
    while (!(fs.existsSync(outputDir) && fs.readdirSync(outputDir).length > 0)) await page.waitForTimeout(200);
    await page.waitForTimeout(1500);
    const after = await screenshot(page, 'demo-result');

    // The generation panel, next to the notes, generating a second image.
    await openAndSelectLine(page, 'notes.md', 4);
    await runCommand(page, 'Stable Diffusion: Open Generation Panel');
    const panel = await panelReady(page);
    await panel.locator('#gallery .card').first().waitFor({ timeout: 30_000 });
    await panel.locator('#model option', { hasText: 'sd_xl_base_1.0' }).first().waitFor({ state: 'attached' });
    await panel.locator('#generate').click();
    await panel.locator('#livePreview').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(1200);
    const panelShot = await screenshot(page, 'demo-panel');
    while ((await panel.locator('#gallery .card').count()) < 2) await page.waitForTimeout(200);
    console.log(`Generated ${fs.readdirSync(outputDir).join(', ')}`);
    console.log(`Screenshots: ${[during, after, panelShot].map((file) => path.relative(REPO_ROOT, file)).join(', ')}`);
  } finally {
    await browser.close();
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
