// End-to-end check of the packaged extension as a user meets it: install the .vsix into a fresh
// code-server, then in the browser run Set Server… (URL, username, a wrong password typed into
// the input boxes; then the error's "Enter Credentials…" button and the right password), the
// editor and Explorer menus, and the generation panel (generate, insert, reload, delete) and Generate Image from Selection from the command palette, against the local
// A1111-compatible server with Basic auth. Passes when the PNG lands in the workspace and the
// server saw the credentials.

import { spawnSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { basicAuthHeader } from '../../src/sdapi/auth';
import { readPngText } from '../../src/image/pngText';
import { RECIPE_HASH_KEY } from '../../src/recipes/effective';
import { startFakeA1111 } from '../server/fakeA1111';
import { renderPicture } from '../server/pictures';
import { extensionLogText } from '../support/extensionLog';
import { ensureCodeServer, freshWorkspace, launchBrowser, REPO_ROOT, screenshot, startCodeServer, workbenchUrl, type CodeServer } from './codeServer';
import {
  answerInput,
  answerPathPicker,
  appears,
  askedAboutWorkspaceServer,
  clickMenuEntry,
  clickNotificationButton,
  closeMenu,
  editorContextMenu,
  explorerContextMenu,
  openAndSelectLine,
  panelReady,
  pickQuickItem,
  runCommand,
  waitForNotification,
  waitForUserServerUrl,
  waitForWorkbench,
} from './workbench';

const VSIX = path.join(REPO_ROOT, 'dist', 'stable-diffusion-studio.vsix');
const LOGIN = { username: 'ada', password: 'vsix-e2e-secret' };

function installVsix(extensionsDir: string, vsix = VSIX): void {
  const entry = ensureCodeServer();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-install-'));
  const result = spawnSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
  });
  fs.rmSync(userDataDir, { recursive: true, force: true });
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new Error(`installing the .vsix failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** The scenarios that run in a window of their own; `--only name,name` runs just those (while developing). */
const EXTRA_SCENARIOS: Record<string, (extensionsDir: string) => Promise<void>> = {
  'declined-workspace-server': declinedWorkspaceServerGetsNothing,
  untrusted: untrustedWorkspaceKeepsUserServer,
  'no-folder': folderlessWindowAsksWhereToSave,
  unwritable: unwritableFolderKeepsImages,
  recipes: recipesFromTheEditor,
  agent: agentAsksFirst,
  'server-kinds': serverKindsSaySo,
};

async function main(): Promise<void> {
  assert.ok(fs.existsSync(VSIX), `${VSIX} exists (run npm run package first)`);
  const started = Date.now();
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-extensions-'));
  installVsix(extensionsDir);
  const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith('sd-studio.stable-diffusion-studio-'));
  assert.equal(installed.length, 1, `installed: ${fs.readdirSync(extensionsDir).join(', ')}`);
  // The code it runs: both host bundles (activation, features), undici's, its fallback parser, the
  // page, sharp (imaging.js) and its WebAssembly build with the one package that needs.
  const dist = path.join(extensionsDir, installed[0], 'dist');
  const shipped = (fs.readdirSync(dist, { recursive: true }) as string[])
    .filter((file) => /\.(js|cjs|wasm)$/.test(file))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
  assert.deepEqual(shipped, [
    'extension.js',
    'features.js',
    'imaging.js',
    'llhttp-wasm.js',
    'node_modules/@emnapi/runtime/dist/emnapi.cjs.js',
    'node_modules/@emnapi/runtime/dist/emnapi.cjs.min.js',
    'node_modules/@emnapi/runtime/index.js',
    'node_modules/@img/sharp-wasm32/index.cjs',
    'node_modules/@img/sharp-wasm32/lib/sharp-wasm32-0.35.5.node.js',
    'node_modules/@img/sharp-wasm32/lib/sharp-wasm32-0.35.5.node.wasm',
    'undici.js',
    'webview/panel.js',
  ]);
  const only = process.argv.indexOf('--only');
  if (only > 0) {
    for (const name of (process.argv[only + 1] ?? '').split(',')) {
      const scenario = EXTRA_SCENARIOS[name];
      assert.ok(scenario, `--only takes ${Object.keys(EXTRA_SCENARIOS).join(', ')}`);
      await scenario(extensionsDir);
    }
    fs.rmSync(extensionsDir, { recursive: true, force: true });
    console.log(`[vsix] PASS (only ${process.argv[only + 1]})`);
    return;
  }

  const a1111 = await startFakeA1111({ auth: LOGIN, stepDelayMs: 80 }); // 20 steps: 1.6 s, progress is visible
  const workspace = freshWorkspace();
  const server = await startCodeServer({ extensionsDir, userSettings: { 'sdStudio.afterGeneration': 'open' } });
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await page.goto(workbenchUrl(server, workspace));
    await waitForWorkbench(page);

    // First run: the status bar offers to set a server up (the extension starts with VS Code),
    // and opens the Getting Started walkthrough.
    const setUp = page.locator('.statusbar-item', { hasText: 'Set up Stable Diffusion' }).first();
    await setUp.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'vsix-first-run');
    await setUp.click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Connect your server').first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.ok(await walkthrough.getByText('Stable Diffusion Studio').first().isVisible(), "the walkthrough's title");
    await page.waitForTimeout(800); // its image fades in
    await screenshot(page, 'vsix-walkthrough');
    console.log('[vsix] first run: the status bar said "Set up Stable Diffusion" and opened the walkthrough');

    // A mistyped password first: the error must lead straight back to the credentials.
    await runCommand(page, 'Stable Diffusion: Set Server');
    await page.waitForSelector('.quick-input-widget .quick-input-title:has-text("Set Server (1/3)")', { state: 'visible' });
    await screenshot(page, 'vsix-set-server');
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
    // The status bar says how many and where (names are in the item's tooltip, not cut off here).
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Saved an image to generated-images/' }).first().waitFor({ timeout: 5000 });
    await page.waitForTimeout(1000); // let the image preview paint
    const shot = await screenshot(page, 'vsix-generated');
    await userScreenshot(page, 'readme-generated');

    // The image preview's title bar offers the image operations, Image to Image first.
    assert.ok(
      await page.locator('.editor-actions .action-label[aria-label*="Image to Image"]').first().isVisible(),
      "Image to Image is in an image preview's title bar",
    );
    // The image preview's title bar offers Show Generation Parameters: a document beside it.
    await page.locator('.editor-actions .action-label[aria-label*="Show Generation Parameters"]').first().click();
    await page.waitForSelector('.tab.active[aria-label*="parameters.md"]', { timeout: 15_000 });
    await page.locator('.editor-instance .view-lines', { hasText: 'a flat vector app icon of a red fox' }).first().waitFor({ timeout: 10_000 });
    assert.ok(await page.locator('.editor-actions .action-label[aria-label*="Regenerate"]').first().isVisible(), 'Regenerate is in its title bar');
    await screenshot(page, 'vsix-parameters');
    await runCommand(page, 'View: Close Editor'); // back to the layout the next steps expect

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
    // An empty prompt is refused in the box itself, which stays open.
    await answerInput(page, 'Image to Image (1/2): source.png', '   ');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'Describe the image you want.' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Image to Image (1/2)' }).isVisible(), 'the prompt box is still open');
    await answerInput(page, 'Image to Image (1/2): source.png', 'a paper boat on a stormy sea');
    await answerInput(page, 'Image to Image (2/2): source.png', '0.5');
    // Beside its source by default (sdStudio.img2img.saveTo), named by sdStudio.img2img.fileNameTemplate.
    const variant = path.join(workspace, 'assets', 'source-variant-1.png');
    while (!fs.existsSync(variant)) {
      if (Date.now() > deadline + 60_000) throw new Error(`no img2img result; screenshot: ${await screenshot(page, 'vsix-failure')}`);
      await page.waitForTimeout(200);
    }
    const [img2img] = a1111.requestsTo('/sdapi/v1/img2img');
    assert.equal((img2img.body as { prompt: string }).prompt, 'a paper boat on a stormy sea');
    assert.deepEqual((img2img.body as { init_images: string[] }).init_images, [
      fs.readFileSync(path.join(workspace, 'assets', 'source.png')).toString('base64'),
    ]);
    // Upscale Image… and Describe Image… from the Explorer's menu on an image, as a user picks.
    const onSource = await explorerContextMenu(page, 'assets/source.png');
    assert.ok(onSource.includes('Upscale Image…') && onSource.includes('Describe Image…'), `on a PNG: ${onSource.join(', ')}`);
    await clickMenuEntry(page, 'Upscale Image…');
    await pickQuickItem(page, 'Upscale source.png (1/3)', 'Lanczos');
    await pickQuickItem(page, 'Upscale source.png (2/3)', '2×');
    await pickQuickItem(page, 'Upscale source.png (3/3)', 'No second upscaler');
    const upscaled = path.join(workspace, 'assets', 'source-upscaled-2x.png');
    while (!fs.existsSync(upscaled)) {
      if (Date.now() > deadline + 90_000) throw new Error(`no upscaled image; screenshot: ${await screenshot(page, 'vsix-failure')}`);
      await page.waitForTimeout(200);
    }
    assert.deepEqual((a1111.requestsTo('/sdapi/v1/extra-single-image')[0]?.body as { upscaler_1: string; upscaling_resize: number }).upscaler_1, 'Lanczos');
    // Opened in VS Code's image preview (sdStudio.afterGeneration), which shows its size when loaded.
    await page.locator('.statusbar-item', { hasText: '192x128' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.notification-toast', { hasText: 'Upscaling' }).waitFor({ state: 'hidden', timeout: 20_000 });
    await screenshot(page, 'vsix-upscaled');
    await explorerContextMenu(page, 'assets/source.png');
    await clickMenuEntry(page, 'Describe Image…');
    await pickQuickItem(page, 'Describe Image: how', 'CLIP');
    const caption = await waitForNotification(page, 'a red fox sitting in the snow');
    await page.locator('.notification-toast', { hasText: 'Describing' }).waitFor({ state: 'hidden', timeout: 20_000 });
    await page.waitForTimeout(600); // the toast slides in
    await screenshot(page, 'vsix-described');
    await clickNotificationButton(page, caption.slice(0, 20), 'Copy');
    console.log(`[vsix] Explorer: upscaled source.png 2× with Lanczos beside it; described it: "${caption.slice(0, 60)}"`);
    // Resize Image… runs the image library the .vsix ships (sharp's WebAssembly build), in VS Code.
    await explorerContextMenu(page, 'assets/source.png');
    await clickMenuEntry(page, 'Resize Image…');
    await answerInput(page, 'Resize source.png', '48x32');
    await pickQuickItem(page, 'Resize source.png to 48 × 32', 'Cover');
    const resized = path.join(workspace, 'assets', 'source-48x32.png');
    while (!fs.existsSync(resized)) {
      if (Date.now() > deadline + 120_000) throw new Error(`no resized image; screenshot: ${await screenshot(page, 'vsix-failure')}`);
      await page.waitForTimeout(200);
    }
    const resizedBytes = fs.readFileSync(resized);
    assert.deepEqual([resizedBytes.readUInt32BE(16), resizedBytes.readUInt32BE(20)], [48, 32], 'exactly 48 × 32');
    assert.match(readPngText(resizedBytes).get('postprocessing') ?? '', /^Resized from 96x64 to 48x32 \(cover\)$/);
    console.log('[vsix] Explorer: resized source.png to 48 × 32 with the shipped image library');
    // Make Icon Set… on a square image from the Explorer: the set appears in the Explorer.
    fs.writeFileSync(path.join(workspace, 'assets', 'logo.png'), renderPicture({ width: 256, height: 256, seed: 5 }));
    await explorerContextMenu(page, 'assets/logo.png');
    await clickMenuEntry(page, 'Make Icon Set…');
    await answerInput(page, 'Icon set from logo.png (1/2)', 'public/icons');
    await answerInput(page, 'Icon set from logo.png (2/2)', '#ffffff');
    await waitForNotification(page, 'Wrote 5 icons to public/icons');
    const iconFiles = fs.readdirSync(path.join(workspace, 'public', 'icons')).sort();
    assert.deepEqual(iconFiles, ['apple-touch-icon.png', 'favicon.ico', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png']);
    await explorerContextMenu(page, 'public/icons/icon-maskable-512.png');
    await closeMenu(page);
    await screenshot(page, 'vsix-icon-set');
    console.log(`[vsix] Explorer: Make Icon Set… wrote ${iconFiles.join(', ')} into public/icons`);
    await runCommand(page, 'View: Close All Editors');

    // The generation panel: opened with a selection, generates, lists the result, inserts it
    // into the Markdown file, and comes back after a reload with its form and gallery.
    await openAndSelectLine(page, 'notes.md', 4);
    assert.ok(
      await page.locator('.editor-actions .action-label[aria-label*="Open Generation Panel"]').first().isVisible(),
      "a Markdown editor's title bar offers the panel",
    );
    assert.equal(await page.locator('.editor-actions .action-label[aria-label*="Image to Image"]').count(), 0, 'image operations only on image previews');
    await page.keyboard.press('Control+K'); // the keybinding of Open Generation Panel
    await page.keyboard.press('Shift+G');
    const panel = await panelReady(page);
    assert.equal(await panel.locator('#prompt').inputValue(), 'hero banner, misty mountains at sunrise, wide', 'the selection fills the prompt');
    await expectCount(panel.locator('#gallery .card'), 2, 'the two earlier results are in the gallery');
    await panel.locator('#model option', { hasText: 'sd_xl_base_1.0' }).first().waitFor({ state: 'attached' });
    await panel.locator('#steps').fill('12');
    a1111.setOptions({ stepDelayMs: 400 }); // long enough for the README's picture of a running job
    await panel.locator('#prompt').press('Control+Enter');
    await panel.locator('#progress').waitFor({ state: 'visible' });
    await panel.locator('#progress', { hasText: /Step [3-9]\// }).waitFor({ timeout: 15_000 });
    await userScreenshot(page, 'readme-panel');
    a1111.setOptions({ stepDelayMs: 80 });
    await expectCount(panel.locator('#gallery .card'), 3, "the panel's result joins the gallery");
    // sdStudio.afterGeneration is 'open': the panel's result opens too, beside the panel.
    await page.locator('.tab[aria-label*="hero-banner-misty-mountains"]').first().waitFor({ timeout: 15_000 });
    assert.equal(await panel.locator('#gallery .card-prompt').first().textContent(), 'hero banner, misty mountains at sunrise, wide');
    const [panelRequest] = a1111.requestsTo('/sdapi/v1/txt2img').slice(-1);
    assert.equal((panelRequest.body as { steps: number }).steps, 12, "the form's values were sent");
    const panelShot = await screenshot(page, 'vsix-panel');

    // A value the server rejects (a 422) is shown next to its field.
    a1111.fail({
      path: '/sdapi/v1/txt2img',
      fault: {
        kind: 'status',
        status: 422,
        body: { detail: [{ loc: ['body', 'steps'], msg: 'ensure this value is less than or equal to 10', type: 'value_error.number.not_le' }] },
      },
    });
    await panel.locator('#generate').click();
    await panel.locator('#steps-error', { hasText: 'ensure this value is less than or equal to 10' }).waitFor({ timeout: 15_000 });
    assert.match((await panel.locator('#banner').textContent()) ?? '', /The server rejected the request \(steps: ensure this value/);

    await panel.locator('#gallery .card').first().locator('button', { hasText: 'Insert' }).click();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+S');
    const notes = path.join(workspace, 'notes.md');
    const newest = fs
      .readdirSync(outputDir)
      .filter((f) => f.includes('hero-banner'))
      .sort()
      .at(-1)!;
    const deadlineSave = Date.now() + 10_000;
    while (!fs.readFileSync(notes, 'utf8').includes(newest) && Date.now() < deadlineSave) await page.waitForTimeout(100);
    const lines = fs.readFileSync(notes, 'utf8').split('\n');
    assert.equal(lines[3], 'hero banner, misty mountains at sunrise, wide', 'the selected prompt stays');
    assert.equal(lines[4], `![hero banner, misty mountains at sunrise, wide](./generated-images/${newest})`, 'the reference goes on the next line');

    await panel.locator('#prompt').fill('kept across a reload');
    // As a user does it: Developer: Reload Window (the workbench saves its state first).
    const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    const restored = await panelReady(page);
    assert.equal(await restored.locator('#prompt').inputValue(), 'kept across a reload');
    assert.equal(await restored.locator('#steps').inputValue(), '12');
    await expectCount(restored.locator('#gallery .card'), 3, 'the gallery is back after the reload');

    // Use as source, delete from the panel, and a file deleted outside the panel.
    const cards = restored.locator('#gallery .card');
    await cards.first().locator('button', { hasText: 'Use as source' }).click();
    await restored.locator('#source-text', { hasText: `generated-images/${newest}` }).waitFor({ timeout: 15_000 });
    assert.ok(await restored.locator('#mode-img2img').isChecked(), 'the panel switches to image to image');
    await restored.locator('#generate').click();
    await expectCount(restored.locator('#gallery .card'), 4, 'the image-to-image result joins the gallery');
    const [panelImg2img] = a1111.requestsTo('/sdapi/v1/img2img').slice(-1);
    assert.deepEqual(
      (panelImg2img.body as { init_images: string[] }).init_images,
      [fs.readFileSync(path.join(outputDir, newest)).toString('base64')],
      'the gallery image was the source',
    );
    // A source from elsewhere in the workspace (Choose…): picked, previewed.
    await restored.locator('#chooseSource').click();
    await answerPathPicker(page, 'pick the source image', path.join(workspace, 'assets', 'source.png'));
    await restored.locator('#source-text', { hasText: 'assets/source.png' }).waitFor({ timeout: 15_000 });
    const preview = restored.locator('.source-preview');
    await preview.waitFor({ state: 'visible' });
    const shown = await preview.evaluate(
      (img: HTMLImageElement) =>
        new Promise<number>((resolve) =>
          img.complete ? resolve(img.naturalWidth) : img.addEventListener('load', () => resolve(img.naturalWidth), { once: true }),
        ),
    );
    assert.equal(shown, 96, 'the preview of assets/source.png (96 px wide) loaded');

    // Switching the model in the panel loads it on the server.
    await restored.locator('#model').selectOption({ label: 'v1-5-pruned-emaonly.safetensors [6ce0161689]' });
    const modelDeadline = Date.now() + 30_000;
    while (!a1111.currentModel.startsWith('v1-5') && Date.now() < modelDeadline) await page.waitForTimeout(100);
    assert.equal(a1111.currentModel, 'v1-5-pruned-emaonly.safetensors [6ce0161689]');
    await cards.nth(1).locator('button', { hasText: 'Delete' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    if (await appears(dialog, 3000)) {
      // No trash on this file system (a remote host): VS Code asks before deleting for good.
      console.log(`[vsix] dialog: ${(await dialog.textContent())?.replace(/\s+/g, ' ').trim()}`);
      await dialog.locator('.monaco-button', { hasText: 'Delete Permanently' }).click();
    }
    await expectCount(cards, 3, 'the deleted image leaves the gallery');
    assert.ok(!fs.existsSync(path.join(outputDir, newest)), 'and the file is gone');
    const [other] = fs.readdirSync(outputDir);
    fs.unlinkSync(path.join(outputDir, other));
    await expectCount(cards, 2, 'a file deleted outside VS Code leaves the gallery too');

    // A window reload in the middle of a job leaves nothing half-written, and the next job works.
    a1111.setOptions({ stepDelayMs: 150 });
    const before = fs.readdirSync(outputDir).length;
    await openAndSelectLine(page, 'notes.md', 3);
    await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
    await waitForNotification(page, 'Step ');
    const reloadedMidJob = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloadedMidJob;
    await waitForWorkbench(page);
    a1111.setOptions({ stepDelayMs: 20 });
    await page.waitForTimeout(3500); // the abandoned job ends on the server
    assert.deepEqual(
      fs.readdirSync(outputDir).filter((f) => !f.endsWith('.png')),
      [],
      'no temporary or partial file',
    );
    assert.equal(fs.readdirSync(outputDir).length, before, 'the abandoned job wrote nothing');
    await openAndSelectLine(page, 'notes.md', 3);
    // This time with the extension's keybinding (Ctrl+K G, the package's own, not a user's).
    await page.keyboard.press('Control+K');
    await page.keyboard.press('g');
    const afterDeadline = Date.now() + 30_000;
    while (fs.readdirSync(outputDir).length === before && Date.now() < afterDeadline) await page.waitForTimeout(200);
    assert.equal(fs.readdirSync(outputDir).length, before + 1, 'the next generation after the reload works');

    // A workspace that points the extension at another server must ask before anything is sent.
    const elsewhere = await startFakeA1111();
    try {
      workspaceSettingServer(workspace, elsewhere.url);
      // A command run before VS Code applied the settings file still goes to the user's server
      // (fine): try again until the question comes.
      const ask = page.locator('.monaco-dialog-box');
      const askedOnTestConnection = () => askedAboutWorkspaceServer(page, ask);
      await askedOnTestConnection();
      // No answer (Escape): nothing is sent, and the status bar names the server requests go to
      // (the tooltip's text has non-breaking spaces).
      await page.keyboard.press('Escape');
      await waitForNotification(page, 'No server chosen');
      await page
        .locator('.part.statusbar .statusbar-item:has(.codicon-sparkle), .part.statusbar .statusbar-item:has(.codicon-debug-disconnect)')
        .first()
        .hover();
      const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Server:' }).first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(
        (await hover.textContent()) ?? '',
        new RegExp(`Server:\\s${a1111.url.replace(/\./g, '\\.')}`),
        "the status bar names the user's server until the workspace's is allowed",
      );
      await page.mouse.move(600, 400);
      await askedOnTestConnection();
      assert.match(
        (await ask.textContent()) ?? '',
        new RegExp(
          `This workspace sets the Stable Diffusion server to ${elsewhere.url.replace(/\./g, '\\.')} \\(yours is ${a1111.url.replace(/\./g, '\\.')}\\)`,
        ),
      );
      await ask.locator('.monaco-button', { hasText: 'Use My Server' }).click();
      console.log(`[vsix] ${await waitForNotification(page, `Connected to ${a1111.url}`)}`);
      await runCommand(page, 'Stable Diffusion: Test Connection');
      assert.ok(!(await appears(ask, 2000)), 'asked once per workspace and URL');
      assert.equal(elsewhere.requests.length, 0, "nothing went to the workspace's server");
    } finally {
      await elsewhere.close();
    }

    // The walkthrough, asked for again: each step was completed by the real event above (server
    // saved, test passed, first image saved, the panel opened, a gallery action).
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Stable Diffusion: Get Started');
    await page.mouse.move(700, 600);
    const walkthroughSteps = page.locator('.gettingStartedContainer .getting-started-step');
    await walkthroughSteps.first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'vsix-walkthrough-done');
    const stepStates = await walkthroughSteps.evaluateAll((elements) =>
      elements.map((element) => `${element.textContent?.trim().slice(0, 30)}: ${element.querySelector('.codicon')?.className ?? '?'}`),
    );
    assert.equal(stepStates.filter((state) => /pass-filled|complete/.test(state)).length, 5, `every step done: ${stepStates.join(' | ')}`);
    console.log('[vsix] the walkthrough shows all five steps done by what the user did');

    for (const scenario of Object.values(EXTRA_SCENARIOS)) await scenario(extensionsDir);

    const vsixKb = (fs.statSync(VSIX).size / 1024).toFixed(1);
    console.log(
      `[vsix] PASS: ${path.basename(VSIX)} (${vsixKb} KB) installed; palette generated ${file}, Explorer menu made an img2img variation beside its source; the panel generated, showed a 422 by its field, inserted a reference, survived a reload, made an img2img from a gallery image, switched the model, deleted; a reload mid-job left nothing behind; a workspace server URL was asked about and declined, and ignored in an untrusted workspace; with no folder open it asked where to save; an agent's tool call asked first; an unwritable output folder kept the images for Save As… and Retry; screenshots ${path.relative(REPO_ROOT, shot)}, ${path.relative(REPO_ROOT, panelShot)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (error) {
    console.error(`[vsix] screenshot of the failure: ${await screenshot(page, 'vsix-failure')}`);
    console.error(`[vsix] extension log:\n${extensionLogText(server.userDataDir).split('\n').slice(-40).join('\n')}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  }
}

/**
 * A workspace sets another server; the user declines it; their own server asks for a login.
 * "Enter Credentials…" must ask for (and store, and send) the credentials of the user's own
 * server, keep the user's URL, and the declined server must never receive a request.
 */
async function declinedWorkspaceServerGetsNothing(extensionsDir: string): Promise<void> {
  const users = await startFakeA1111({ auth: LOGIN });
  const elsewhere = await startFakeA1111();
  const workspace = workspaceSettingServer(freshWorkspace(), elsewhere.url);
  try {
    await inFreshWindow(
      { name: 'declined', extensionsDir, folder: workspace, userSettings: { 'sdStudio.serverUrl': users.url, 'sdStudio.afterGeneration': 'none' } },
      async (page, codeServer) => {
        await waitForWorkbench(page);
        await waitForUserServerUrl(page, users.url);
        const ask = page.locator('.monaco-dialog-box', { hasText: 'This workspace sets the Stable Diffusion server' });
        // From a generation: the question comes before any progress is shown.
        await openAndSelectLine(page, 'notes.md', 3);
        await askedAboutWorkspaceServer(page, ask, 'Stable Diffusion: Generate Image from Selection');
        assert.equal(await page.locator('.notification-toast', { hasText: 'Stable Diffusion: “' }).count(), 0, 'no progress notification behind the question');
        await ask.locator('.monaco-button', { hasText: 'Use My Server' }).click();
        const refused = await waitForNotification(page, 'requires a username and password');
        assert.ok(refused.includes(new URL(users.url).host), `the error names the user's server: ${refused}`);
        await clickNotificationButton(page, 'requires a username and password', 'Enter Credentials…');
        const title = page.locator('.quick-input-widget .quick-input-title');
        await title.filter({ hasText: 'Set Server (2/3)' }).waitFor({ state: 'visible', timeout: 15_000 });
        const message = page.locator('.quick-input-widget .quick-input-message', { hasText: 'Username for' });
        await message.waitFor({ state: 'visible', timeout: 15_000 });
        const prompt = (await message.textContent()) ?? '';
        assert.ok(!prompt.includes(new URL(elsewhere.url).host), `the username box names the declined server: ${prompt}`);
        assert.ok(prompt.includes(new URL(users.url).host), `the username box names the user's server: ${prompt}`);
        await answerInput(page, 'Set Server (2/3)', LOGIN.username);
        await answerInput(page, 'Set Server (3/3)', LOGIN.password);
        console.log(`[vsix] declined workspace server: ${await waitForNotification(page, `Connected to ${users.url}`)}`);
        assert.ok(
          users.requests.some((r) => r.authorization === basicAuthHeader(LOGIN)),
          "the credentials went to the user's server",
        );

        // Set Server… offers the user's own URL, not the workspace's.
        await runCommand(page, 'Stable Diffusion: Set Server');
        await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Set Server (1/3)' }).waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal(await page.locator('.quick-input-widget .quick-input-box input').inputValue(), users.url, "Set Server shows the user's own URL");
        await page.keyboard.press('Escape');
        assert.equal(
          elsewhere.requests.length,
          0,
          `the declined server received nothing: ${elsewhere.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
        );
        const userSettings = JSON.parse(fs.readFileSync(path.join(codeServer.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
        assert.equal(userSettings['sdStudio.serverUrl'], users.url, "the user's URL setting is unchanged");
      },
    );
  } finally {
    await elsewhere.close();
    await users.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * In a workspace the user does not trust, the workspace's sdStudio.serverUrl is ignored
 * (restrictedConfigurations): requests go to the user's server and nobody is even asked.
 */
async function untrustedWorkspaceKeepsUserServer(extensionsDir: string): Promise<void> {
  const users = await startFakeA1111();
  const elsewhere = await startFakeA1111();
  const workspace = workspaceSettingServer(freshWorkspace(), elsewhere.url);
  try {
    await inFreshWindow(
      { name: 'untrusted', extensionsDir, folder: workspace, workspaceTrust: true, userSettings: { 'sdStudio.serverUrl': users.url } },
      async (page) => {
        const trust = page.locator('.monaco-dialog-box', { hasText: 'trust' });
        await trust.waitFor({ timeout: 60_000 });
        await trust.locator('.monaco-button', { hasText: /No, I don.t trust/ }).click();
        await waitForWorkbench(page);
        await runCommand(page, 'Stable Diffusion: Test Connection');
        console.log(`[vsix] untrusted workspace: ${await waitForNotification(page, 'Connected to')}`);
        assert.ok(
          await page
            .locator('.notification-toast', { hasText: `Connected to ${users.url}` })
            .first()
            .isVisible(),
          "the user's server was used",
        );
        assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'nobody was asked');
        assert.equal(elsewhere.requests.length, 0, "nothing went to the workspace's server");
      },
    );
  } finally {
    await elsewhere.close();
    await users.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** Without a folder open, generating asks where to save, and saves there. */
async function folderlessWindowAsksWhereToSave(extensionsDir: string): Promise<void> {
  const a1111 = await startFakeA1111();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-no-folder-'));
  try {
    await inFreshWindow(
      { name: 'no-folder', extensionsDir, folder: undefined, userSettings: { 'sdStudio.serverUrl': a1111.url, 'sdStudio.afterGeneration': 'none' } },
      async (page) => {
        await waitForWorkbench(page);
        await runCommand(page, 'File: New Untitled Text File');
        await page.waitForSelector('.editor-instance .monaco-editor.focused');
        await page.keyboard.type('a paper boat on a pond');
        await page.keyboard.press('ControlOrMeta+A');
        await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
        await answerPathPicker(page, 'No folder is open', `${target}/`);
        // The image is written to a temporary name first, then renamed: wait for the PNG.
        await waitFor(() => pngsIn(target).length > 0, 'an image in the picked folder');
        const saved = pngsIn(target);
        assert.equal(saved.length, 1, `one image saved in the picked folder (found: ${fs.readdirSync(target).join(', ')})`);
        assert.match(saved[0], /a-paper-boat-on-a-pond.*\.png$/);
        console.log(`[vsix] no folder open: asked where to save, saved ${saved[0]}`);
      },
    );
  } finally {
    await a1111.close();
    fs.rmSync(target, { recursive: true, force: true });
  }
}

/** When the output folder cannot be written, the image is kept; Save As… and Retry put it where the user wants. */
async function unwritableFolderKeepsImages(extensionsDir: string): Promise<void> {
  const a1111 = await startFakeA1111();
  const workspace = freshWorkspace();
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-save-as-'));
  // A file where the output folder's parent should be: creating the folder fails (root ignores permissions).
  const blocker = path.join(workspace, 'blocked');
  fs.writeFileSync(blocker, 'not a folder');
  const userSettings = { 'sdStudio.serverUrl': a1111.url, 'sdStudio.outputFolder': 'blocked/images', 'sdStudio.afterGeneration': 'none' };
  try {
    await inFreshWindow({ name: 'unwritable', extensionsDir, folder: workspace, userSettings }, async (page) => {
      await waitForWorkbench(page);
      await openAndSelectLine(page, 'notes.md', 3);
      await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
      await clickNotificationButton(page, 'Could not save into blocked/images', 'Save As…');
      await answerPathPicker(page, 'Save the generated images to', `${elsewhere}/`);
      await waitFor(() => pngsIn(elsewhere).length === 1, 'Save As… put the kept image in the picked folder');
      assert.match(pngsIn(elsewhere)[0], /a-flat-vector-app-icon.*\.png$/);

      await openAndSelectLine(page, 'notes.md', 4);
      await runCommand(page, 'Stable Diffusion: Generate Image from Selection');
      const toast = page.locator('.notification-toast', { hasText: 'Could not save into blocked/images' }).first();
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      fs.rmSync(blocker); // the user makes the folder writable, then retries
      await toast.locator('.monaco-button', { hasText: 'Retry' }).click();
      console.log(`[vsix] unwritable folder: ${await waitForNotification(page, 'Saved ')}`);
      const images = path.join(workspace, 'blocked', 'images');
      await waitFor(() => pngsIn(images).length === 1, 'Retry saved the kept image into the output folder');
      assert.match(pngsIn(images)[0], /hero-banner.*\.png$/);
    });
  } finally {
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
}

/** Runs `scenario` in a new VS Code (code-server + browser) on `folder` (none: an empty window); a failure leaves a screenshot. */
async function inFreshWindow(
  options: { name: string; extensionsDir: string; folder: string | undefined; userSettings: Record<string, unknown>; workspaceTrust?: boolean },
  scenario: (page: Page, server: CodeServer) => Promise<void>,
): Promise<void> {
  const server = await startCodeServer({ extensionsDir: options.extensionsDir, workspaceTrust: options.workspaceTrust, userSettings: options.userSettings });
  const browser = await launchBrowser();
  try {
    await browser.page.goto(workbenchUrl(server, options.folder));
    await scenario(browser.page, server);
  } catch (error) {
    console.error(`[vsix] screenshot of the failure: ${await screenshot(browser.page, `vsix-${options.name}-failure`)}`);
    const toasts = await browser.page.locator('.notification-toast .notification-list-item-message').allTextContents();
    console.error(`[vsix] ${options.name}: notifications shown: ${toasts.length ? toasts.join(' | ') : 'none'}`);
    console.error(`[vsix] ${options.name}: extension log:\n${extensionLogText(server.userDataDir).split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * A recipes file as a user meets it: CodeLens says an asset is missing, Generate writes it to its
 * path with the recipe's hash; after an edit to the recipe the entry is stale, Regenerate asks
 * before replacing and replaces it. A hover on a Markdown reference shows how the image was made.
 */
async function recipesFromTheEditor(extensionsDir: string): Promise<void> {
  const a1111 = await startFakeA1111();
  const workspace = freshWorkspace();
  fs.writeFileSync(
    path.join(workspace, 'sd-assets.json'),
    JSON.stringify(
      {
        defaults: { size: '256x256', style: 'icon' },
        styles: { icon: 'flat vector icon of {prompt}, white background' },
        assets: { 'media/fox.png': { prompt: 'a red fox', seed: 7 } },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(workspace, 'page.md'), '# Page\n\n![a red fox app icon](media/fox.png)\n');
  const fox = path.join(workspace, 'media', 'fox.png');
  // The file is briefly absent while it is replaced (the old one to the trash, then the new one renamed in).
  const hashOf = () => {
    try {
      return readPngText(fs.readFileSync(fox)).get(RECIPE_HASH_KEY);
    } catch {
      return undefined;
    }
  };
  try {
    await inFreshWindow(
      { name: 'recipes', extensionsDir, folder: workspace, userSettings: { 'sdStudio.serverUrl': a1111.url, 'sdStudio.afterGeneration': 'none' } },
      async (page) => {
        await waitForWorkbench(page);
        // Activated at startup by the recipes file: let the user's settings reach it first.
        await runCommand(page, 'Stable Diffusion: Test Connection');
        await waitForNotification(page, `Connected to ${a1111.url}`);
        await openAndSelectLine(page, 'sd-assets.json', 1);
        // Lenses with a command are links; a state without one is plain text.
        const lens = (text: string) => page.locator('.codelens-decoration a', { hasText: new RegExp(`^${text}$`) }).first();
        const lensText = (text: string) => page.locator('.codelens-decoration', { hasText: text }).first();
        await lensText('missing').waitFor({ timeout: 30_000 });
        await screenshot(page, 'vsix-recipes-missing');
        await lens('Generate').click();
        await waitFor(() => hashOf() !== undefined, 'Generate wrote media/fox.png with its recipe hash');
        const first = hashOf();
        assert.equal((a1111.requestsTo('/sdapi/v1/txt2img')[0].body as { prompt: string }).prompt, 'flat vector icon of a red fox, white background');
        await lensText('up to date').waitFor({ timeout: 30_000 });

        // The user edits the recipe: the entry goes stale, with a warning.
        await page
          .locator('.editor-instance .view-line', { hasText: /prompt.*a.red.fox/ })
          .first()
          .click(); // Monaco renders spaces as no-break spaces
        await page.keyboard.press('End');
        for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft'); // before ",
        await page.keyboard.type(', blue eyes');
        await lensText('stale: the recipe changed').waitFor({ timeout: 30_000 });
        await screenshot(page, 'vsix-recipes-stale');
        await lens('Regenerate').click();
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'exists. Replace it' });
        await dialog.waitFor({ timeout: 15_000 });
        await dialog.locator('.monaco-button', { hasText: 'Replace' }).click();
        await waitFor(() => hashOf() !== undefined && hashOf() !== first, 'Regenerate replaced media/fox.png');
        assert.deepEqual(fs.readdirSync(path.dirname(fox)), ['fox.png'], 'replaced, not kept beside');
        assert.match((a1111.requestsTo('/sdapi/v1/txt2img').at(-1)!.body as { prompt: string }).prompt, /a red fox, blue eyes/);

        // Where the image is used: the hover says how it was made.
        await openAndSelectLine(page, 'page.md', 3);
        // The cursor into the path (the line ends with "fox.png)"), then Show Hover (Ctrl+K Ctrl+I), as a keyboard user does.
        await page.keyboard.press('End');
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const hover = page.locator('.monaco-hover', { hasText: 'Regenerate' }).first();
        await hover.waitFor({ state: 'visible', timeout: 15_000 });
        assert.match(((await hover.textContent()) ?? '').replace(/\u00a0/g, ' '), /flat vector icon of a red fox, blue eyes/);
        await page.mouse.move(5, 600); // no stray tooltip in the picture
        await screenshot(page, 'vsix-reference-hover');
        console.log(
          '[vsix] recipes: generated a missing asset from its CodeLens, regenerated it when stale; the hover on its Markdown reference shows its prompt',
        );
      },
    );
  } finally {
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * An agent's tool call meets the real confirmation (in a test run VS Code would confirm it by
 * itself): test/fixtures/agent-stand-in calls sdstudio_generate_image as any extension may. The
 * dialog names the file, size, server and prompt; Cancel sends and writes nothing; Yes writes
 * exactly the asked path and the agent is told the parameters.
 */
async function agentAsksFirst(extensionsDir: string): Promise<void> {
  const standIn = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-agent-')), 'agent-stand-in.vsix');
  const packed = spawnSync(
    process.execPath,
    [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', standIn],
    { cwd: path.join(REPO_ROOT, 'test', 'fixtures', 'agent-stand-in'), encoding: 'utf8' },
  );
  assert.equal(packed.status, 0, `packaging the agent stand-in: ${packed.stdout}${packed.stderr}`);
  installVsix(extensionsDir, standIn);
  const a1111 = await startFakeA1111();
  const workspace = freshWorkspace();
  const hero = path.join(workspace, 'media', 'hero.png');
  const call = 'sdstudio_generate_image {"path":"media/hero.png","prompt":"misty mountains at sunrise, wide","width":768,"height":512,"seed":99}';
  try {
    await inFreshWindow(
      { name: 'agent', extensionsDir, folder: workspace, userSettings: { 'sdStudio.serverUrl': a1111.url, 'sdStudio.afterGeneration': 'none' } },
      async (page) => {
        await waitForWorkbench(page);
        const confirm = page.locator('.monaco-dialog-box', { hasText: 'Generate media/hero.png with Stable Diffusion?' });
        await runCommand(page, 'Agent Stand-in: Invoke Tool');
        await answerInput(page, 'Agent stand-in: tool call', call);
        await confirm.waitFor({ timeout: 30_000 });
        const said = ((await confirm.textContent()) ?? '').replace(/\s+/g, ' ');
        for (const part of ['768 × 512', a1111.url, 'Prompt: misty mountains at sunrise, wide'])
          assert.ok(said.includes(part), `"${part}" in the dialog: ${said}`);
        await screenshot(page, 'vsix-agent-confirmation');
        await confirm.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await waitForNotification(page, 'Tool failed');
        assert.equal(a1111.requestsTo('/sdapi/v1/txt2img').length, 0, 'Cancel: nothing sent');
        assert.ok(!fs.existsSync(hero), 'Cancel: nothing written');

        await runCommand(page, 'Agent Stand-in: Invoke Tool');
        await answerInput(page, 'Agent stand-in: tool call', call);
        await confirm.waitFor({ timeout: 30_000 });
        await confirm.locator('.monaco-button', { hasText: 'Yes' }).click();
        const told = await waitForNotification(page, 'Tool result: Wrote media/hero.png');
        assert.match(told, /Seed: 99/);
        assert.match(readPngText(fs.readFileSync(hero)).get('parameters') ?? '', /Seed: 99, Size: 768x512/);
        console.log(`[vsix] agent: the tool asked first ("${said.slice(0, 80)}…"); Cancel sent nothing; Yes wrote media/hero.png`);
      },
    );
  } finally {
    await a1111.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(standIn), { recursive: true, force: true });
  }
}

/**
 * Each kind of server as a user meets it: named servers switched with Select Server…; Test
 * Connection names the kind and what it lacks (a screenshot per kind for the record). Then the
 * two A1111-kind servers, marked as a pool, are chosen together from the same quick pick.
 */
async function serverKindsSaySo(extensionsDir: string): Promise<void> {
  const kinds = [
    { name: 'A1111 workstation', flavor: 'a1111-1.10', says: /A1111 1\.9 or later.*Not on this server: ControlNet, background removal/, pool: true },
    { name: 'Forge box', flavor: 'forge', says: /Forge.*Not on this server: ControlNet, background removal/, pool: true },
    { name: 'Old A1111', flavor: 'a1111-1.8', says: /A1111 1\.8 or earlier/ },
    { name: 'SD.Next box', flavor: 'sdnext', says: /SD\.Next/ },
    { name: 'koboldcpp laptop', flavor: 'koboldcpp', says: /koboldcpp 1\.77.*Not on this server: .*progress reports.*stopping a running job/ },
    { name: 'sd.cpp server', flavor: 'sdcpp', says: /stable-diffusion\.cpp server.*Not on this server: .*progress reports/ },
  ] as const;
  const servers = await Promise.all(kinds.map((kind) => startFakeA1111({ flavor: kind.flavor })));
  const workspace = freshWorkspace();
  const profiles = kinds.map((kind, i) => ({ name: kind.name, url: servers[i].url, ...('pool' in kind ? { pool: true } : {}) }));
  try {
    await inFreshWindow(
      { name: 'server-kinds', extensionsDir, folder: workspace, userSettings: { 'sdStudio.serverUrl': servers[0].url, 'sdStudio.servers': profiles } },
      async (page) => {
        await waitForWorkbench(page);
        await waitForUserServerUrl(page, servers[0].url);
        for (const [i, kind] of kinds.entries()) {
          await runCommand(page, 'Stable Diffusion: Select Server');
          await page.locator('.quick-input-widget .monaco-list-row', { hasText: kind.name }).first().click();
          const said = await waitForNotification(page, `Connected to ${servers[i].url}`);
          assert.match(said.replace(/\s+/g, ' '), kind.says);
          await page.waitForTimeout(800); // the toast slides in
          await screenshot(page, `vsix-server-${kind.flavor}`);
          await page.keyboard.press('Escape');
          await runCommand(page, 'Notifications: Clear All Notifications');
        }
        await runCommand(page, 'Stable Diffusion: Select Server');
        const poolRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Pool: A1111 workstation + Forge box' }).first();
        await poolRow.waitFor();
        await screenshot(page, 'vsix-server-pool-choice');
        await poolRow.click();
        await page.locator('.statusbar-item', { hasText: '· 2 servers' }).first().waitFor({ timeout: 30_000 });
        console.log(`[vsix] server kinds: ${kinds.map((kind) => kind.flavor).join(', ')} named with what they lack; the pool chosen from Select Server…`);
      },
    );
  } finally {
    for (const server of servers) await server.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** Gives `workspace` a .vscode/settings.json that sets its own server URL; returns the workspace. */
/** A picture as a user sees the window: no notifications, no tooltip under a resting mouse. */
async function userScreenshot(page: Page, name: string): Promise<string> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.mouse.move(560, 600); // the editor's text area: nothing there shows a tooltip
  await page.waitForTimeout(800);
  return screenshot(page, name);
}

function workspaceSettingServer(workspace: string, url: string): string {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'sdStudio.serverUrl': url }));
  return workspace;
}

function pngsIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.png')) : [];
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function expectCount(locator: Locator, count: number, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline) assert.fail(`${what}: expected ${count}, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error) => {
  console.error('[vsix] FAIL:', error);
  process.exitCode = 1;
});
