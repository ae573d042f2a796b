// End-to-end check of the packaged extension as a user meets it: install the .vsix into a fresh
// code-server, then in the browser run Set Server… (URL, username, a wrong password typed into
// the input boxes; then the error's "Enter Credentials…" button and the right password) and Generate Image from Selection from the command palette, against the local
// A1111-compatible server with Basic auth. Passes when the PNG lands in the workspace and the
// server saw the credentials.

import { spawnSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { basicAuthHeader } from '../../src/sdapi/auth';
import { startFakeA1111 } from '../server/fakeA1111';
import { ensureCodeServer, freshWorkspace, launchBrowser, REPO_ROOT, screenshot, startCodeServer, workbenchUrl } from './codeServer';
import { answerInput, clickMenuEntry, clickNotificationButton, closeMenu, editorContextMenu, explorerContextMenu, openAndSelectLine, runCommand, waitForNotification, waitForWorkbench } from './workbench';

const VSIX = path.join(REPO_ROOT, 'dist', 'stable-diffusion-studio.vsix');
const LOGIN = { username: 'ada', password: 'vsix-e2e-secret' };

function installVsix(extensionsDir: string): void {
  const entry = ensureCodeServer();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-install-'));
  const result = spawnSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', VSIX], {
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
  });
  fs.rmSync(userDataDir, { recursive: true, force: true });
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new Error(`installing the .vsix failed:\n${result.stdout}\n${result.stderr}`);
  }
}

async function main(): Promise<void> {
  assert.ok(fs.existsSync(VSIX), `${VSIX} exists (run npm run package first)`);
  const started = Date.now();
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-extensions-'));
  installVsix(extensionsDir);
  const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith('sd-studio.stable-diffusion-studio-'));
  assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);

  const a1111 = await startFakeA1111({ auth: LOGIN, stepDelayMs: 80 }); // 20 steps: 1.6 s, progress is visible
  const workspace = freshWorkspace();
  const server = await startCodeServer({ extensionsDir, userSettings: { 'sdStudio.afterGeneration': 'open' } });
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await page.goto(workbenchUrl(server, workspace));
    await waitForWorkbench(page);

    // A mistyped password first: the error must lead straight back to the credentials.
    await runCommand(page, 'Stable Diffusion: Set Server');
    await answerInput(page, 'Set Server (1/3)', a1111.url);
    await answerInput(page, 'Set Server (2/3)', LOGIN.username);
    await answerInput(page, 'Set Server (3/3)', 'mistyped');
    console.log(`[vsix] ${await waitForNotification(page, 'rejected the username or password')}`);
    await clickNotificationButton(page, 'rejected the username or password', 'Enter Credentials…');
    await answerInput(page, 'Set Server (2/3)', LOGIN.username);
    await answerInput(page, 'Set Server (3/3)', LOGIN.password);
    console.log(`[vsix] ${await waitForNotification(page, 'Connected to')}`);

    await openAndSelectLine(page, 'notes.md', 3);
    await page.keyboard.press('End'); // no selection: no menu entry
    const withoutSelection = await editorContextMenu(page, 3);
    assert.ok(!withoutSelection.includes('Generate Image from Selection'), `not without a selection: ${withoutSelection.join(', ')}`);
    await closeMenu(page);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    const editorMenu = await editorContextMenu(page, 3);
    assert.ok(editorMenu.includes('Generate Image from Selection'), `the editor menu offers it with a selection: ${editorMenu.join(', ')}`);
    await closeMenu(page);
    await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
    const progress = await waitForNotification(page, 'Step ');
    assert.match(progress, /Step \d+\/20 · about \d+ s left/, 'the progress notification shows step x/y and the time left');
    console.log(`[vsix] ${progress}`);
    const outputDir = path.join(workspace, 'generated-images');
    const deadline = Date.now() + 60_000;
    while (!(fs.existsSync(outputDir) && fs.readdirSync(outputDir).some((f) => f.endsWith('.png')))) {
      if (Date.now() > deadline) throw new Error(`no image appeared; screenshot: ${await screenshot(page, 'vsix-failure')}`);
      await page.waitForTimeout(200);
    }
    const [file] = fs.readdirSync(outputDir);
    await page.waitForSelector(`.tab.active[aria-label*="${file}"]`, { timeout: 15_000 });
    await page.waitForTimeout(1000); // let the image preview paint
    const shot = await screenshot(page, 'vsix-generated');

    const [request] = a1111.requestsTo('/sdapi/v1/txt2img');
    assert.equal(request.authorization, basicAuthHeader(LOGIN), 'credentials typed into Set Server reached the server');
    assert.equal((request.body as { prompt: string }).prompt, 'a flat vector app icon of a red fox, orange and white, centered');
    assert.match(file, /^\d{8}-\d{6}-a-flat-vector-app-icon-of-a-red-fox-orange-and-\d+\.png$/);

    // The Explorer menu offers Image to Image on images only; from there to a saved variation.
    const onText = await explorerContextMenu(page, 'notes.md');
    assert.ok(!onText.includes('Image to Image…'), `not on a Markdown file: ${onText.join(', ')}`);
    await closeMenu(page);
    const onImage = await explorerContextMenu(page, 'assets/source.png');
    assert.ok(onImage.includes('Image to Image…'), `on a PNG: ${onImage.join(', ')}`);
    await clickMenuEntry(page, 'Image to Image…');
    await answerInput(page, 'Image to Image: source.png', 'a paper boat on a stormy sea');
    await answerInput(page, 'Image to Image: source.png', '0.5');
    while (fs.readdirSync(outputDir).length < 2) {
      if (Date.now() > deadline + 60_000) throw new Error(`no img2img result; screenshot: ${await screenshot(page, 'vsix-failure')}`);
      await page.waitForTimeout(200);
    }
    const [img2img] = a1111.requestsTo('/sdapi/v1/img2img');
    assert.equal((img2img.body as { prompt: string }).prompt, 'a paper boat on a stormy sea');
    assert.deepEqual((img2img.body as { init_images: string[] }).init_images, [fs.readFileSync(path.join(workspace, 'assets', 'source.png')).toString('base64')]);
    const vsixKb = (fs.statSync(VSIX).size / 1024).toFixed(1);
    console.log(`[vsix] PASS: ${path.basename(VSIX)} (${vsixKb} KB) installed; palette generated ${file}, Explorer menu made an img2img variation; screenshot ${path.relative(REPO_ROOT, shot)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.error(`[vsix] screenshot of the failure: ${await screenshot(page, 'vsix-failure')}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error('[vsix] FAIL:', error);
  process.exitCode = 1;
});
