// Show Generation Parameters, Regenerate, Variation, Reuse in Panel and Copy, in a real VS Code
// against the local server: from the Explorer's command on any image to the request sent.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FAKE_MODELS, type FakeA1111 } from '../server/fakeA1111';
import type { HostToWebview } from '../../src/shared/protocol';
import { addPngText } from '../../src/image/pngText';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { settingsOf } from '../../src/metadata/infotext';
import { sampleForm } from '../support/forms';
import { maskPng } from '../support/maskPng';
import { clearOutput, outputFiles, run, setSetting, testApi, useServer, viaApi, waitFor, workspaceFolder } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** The concatenated IDAT data of a PNG: its pixels, whatever text chunks it carries. */
function pixelsOf(png: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = Buffer.from(png.subarray(at, at + 4)).readUInt32BE(0);
    const type = Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1');
    if (type === 'IDAT') parts.push(Buffer.from(png.subarray(at + 8, at + 8 + length)));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** The state CodeLens of a recipes file's entry ("$(pass) up to date"…). */
async function entryState(manifest: vscode.Uri, text: string, entryPath: string): Promise<string> {
  const line = text.split('\n').findIndex((candidate) => candidate.includes(`"${entryPath}"`));
  return waitFor('the entry state', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', manifest, 100)) ?? [];
    return lenses.find((lens) => lens.range.start.line === line && lens.command?.title.startsWith('$('))?.command?.title;
  });
}

describe('Generation parameters of any image', function () {
  this.timeout(60_000);
  let server: FakeA1111;
  let original: vscode.Uri;

  before(async () => {
    await setSetting('afterGeneration', 'none');
    await setSetting('generation.seed', 4242);
    server = await useServer();
    await clearOutput();
    const made = await viaApi('generateFromSelection', { prompt: 'a lighthouse at dusk, flat vector' });
    assert.equal(made.status, 'saved', JSON.stringify(made));
    original = vscode.Uri.parse(made.files![0]);
    await setSetting('generation.seed', undefined);
  });

  after(async () => {
    await setSetting('afterGeneration', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearOutput();
    await server.close();
  });

  it('Show Generation Parameters opens a readable document beside the image', async () => {
    const shown = await run('sdStudio.showParameters', original);
    assert.equal(shown.status, 'shown', JSON.stringify(shown));
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /^# .*a-lighthouse-at-dusk/);
    assert.match(text, /a lighthouse at dusk, flat vector/);
    assert.match(text, /\| Seed \| `4242` \|/);
    assert.match(text, /\| Model \| `sd_xl_base_1\.0 \[31e35c80fc\]` \|/);
    assert.match(text, /## Other parameters[\s\S]*Version \| `fake-a1111`/, 'unknown keys are shown too');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
  });

  it('Regenerate (from the parameters document) sends the same seed and settings and makes the same picture', async () => {
    const before = server.requestsTo('/sdapi/v1/txt2img').length;
    const outcome = await run('sdStudio.regenerate');
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    const [first, again] = server.requestsTo('/sdapi/v1/txt2img').slice(before - 1) as { body: Record<string, unknown> }[];
    for (const key of ['prompt', 'seed', 'steps', 'cfg_scale', 'width', 'height', 'sampler_name']) assert.deepEqual(again.body[key], first.body[key], key);
    assert.equal(again.body.seed, 4242);
    assert.deepEqual(again.body.override_settings, { sd_model_checkpoint: FAKE_MODELS[0].title }, 'the recorded model, for this request only');
    const remade = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files![0]));
    assert.ok(pixelsOf(remade).equals(pixelsOf(await vscode.workspace.fs.readFile(original))), 'the same image');
  });

  it('Regenerate of a hires, tiled image with a VAE and a refiner asks for all of them again: the same picture', async () => {
    const api = await testApi();
    const finished: string[] = [];
    const listening = api.panel.onDidPost((message) => message.type === 'finished' && finished.push(message.outcome));
    try {
      await vscode.commands.executeCommand('sdStudio.openPanel');
      const form = sampleForm({
        prompt: 'a stone wall',
        width: 96,
        height: 64,
        seed: 77,
        hiresFix: true,
        hiresScale: 2,
        hiresUpscaler: 'Lanczos',
        tiling: true,
        vae: 'sdxl_vae.safetensors',
        refiner: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
      });
      await api.panel.receive({ type: 'generate', form });
      await waitFor('the panel job to finish', () => (finished.length > 0 ? true : undefined));
    } finally {
      listening.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    const [first] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    const made = (await outputFiles()).filter((name) => name.includes('a-stone-wall'));
    const image = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', made[0]);
    const again = await viaApi('remake', image, { kind: 'regenerate' });
    assert.equal(again.status, 'saved', JSON.stringify(again));
    const [second] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    for (const key of [
      'seed',
      'width',
      'height',
      'enable_hr',
      'hr_scale',
      'hr_upscaler',
      'denoising_strength',
      'tiling',
      'refiner_checkpoint',
      'refiner_switch_at',
    ])
      assert.deepEqual(second.body[key], first.body[key], key);
    assert.equal((second.body.override_settings as Record<string, unknown>).sd_vae, 'sdxl_vae.safetensors');
    const remade = await vscode.workspace.fs.readFile(vscode.Uri.parse(again.files![0]));
    assert.ok(pixelsOf(remade).equals(pixelsOf(await vscode.workspace.fs.readFile(image))), 'the same image, at the final size');
  });

  it('Variation keeps the seed and adds a variation strength, or takes a new seed; the picture differs', async () => {
    const variation = await viaApi('remake', original, { kind: 'variation', strength: 0.25 });
    assert.equal(variation.status, 'saved', JSON.stringify(variation));
    const [sent] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    assert.deepEqual([sent.body.seed, sent.body.subseed, sent.body.subseed_strength], [4242, -1, 0.25]);
    const varied = await vscode.workspace.fs.readFile(vscode.Uri.parse(variation.files![0]));
    assert.ok(!pixelsOf(varied).equals(pixelsOf(await vscode.workspace.fs.readFile(original))), 'a different image');
    const fresh = await viaApi('remake', original, { kind: 'newSeed' });
    assert.equal(fresh.status, 'saved');
    const [newSeed] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    assert.equal(newSeed.body.seed, -1);
    assert.equal(newSeed.body.subseed_strength, undefined);
  });

  it('reads JPEG EXIF parameters (written by another tool), Copy gives the stored text', async () => {
    const jpeg = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', 'from-elsewhere.jpg');
    await vscode.workspace.fs.writeFile(jpeg, fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'metadata', 'a1111-unicode-be.jpg')));
    assert.equal((await run('sdStudio.showParameters', jpeg)).status, 'shown');
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /一只红色狐狸的应用图标, café style/);
    assert.equal((await run('sdStudio.copyParameters', jpeg)).status, 'copied');
    assert.match(await vscode.env.clipboard.readText(), /^一只红色狐狸的应用图标, café style\nNegative prompt: 模糊\nSteps: 20/);
  });

  it("Reuse in Panel fills the panel's form with the image's prompt and settings", async () => {
    const api = await testApi();
    const posted: HostToWebview[] = [];
    const subscription = api.panel.onDidPost((message) => posted.push(message));
    try {
      assert.equal((await run('sdStudio.reuseParameters', original)).status, 'opened');
      await run('sdStudio.reuseParameters', original); // the panel is open now: a prefill message
      const prefill = await waitFor('the prefill message', () => posted.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill'));
      assert.equal(prefill.values.prompt, 'a lighthouse at dusk, flat vector');
      assert.equal(prefill.values.seed, 4242);
      assert.equal(prefill.values.steps, 20);
    } finally {
      await setSetting('img2img.resizeMode', undefined);
      subscription.dispose();
    }
  });

  it('Add to Recipes writes an entry for the image into a new sd-assets.json; the image then counts as up to date', async () => {
    const manifest = vscode.Uri.joinPath(workspaceFolder(), 'sd-assets.json');
    try {
      const outcome = await run('sdStudio.addToRecipes', original);
      assert.equal(outcome.status, 'added', JSON.stringify(outcome));
      const text = Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8');
      const entryPath = vscode.workspace.asRelativePath(original, false);
      const parsed = JSON.parse(text) as { assets: Record<string, Record<string, unknown>> };
      assert.deepEqual(parsed.assets[entryPath], {
        prompt: 'a lighthouse at dusk, flat vector',
        size: '512x512',
        model: 'sd_xl_base_1.0',
        sampler: 'DPM++ 2M',
        scheduler: 'Automatic',
        steps: 20,
        cfgScale: 7,
        seed: 4242,
      });
      await waitFor('the entry to be up to date', async () => {
        const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', manifest, 100)) ?? [];
        return lenses.some((lens) => lens.command?.title === '$(pass) up to date') ? true : undefined;
      });
      assert.equal((await run('sdStudio.addToRecipes', original)).status, 'failed', 'not twice');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(manifest).then(undefined, () => undefined);
    }
  });

  it('an Image to Image result names its source: Regenerate makes it from the same file, Reuse in Panel and Add to Recipes bring the source back; a changed source is refused', async () => {
    const manifest = vscode.Uri.joinPath(workspaceFolder(), 'sd-assets.json');
    const sketch = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', 'sketch.png');
    await vscode.workspace.fs.writeFile(sketch, await vscode.workspace.fs.readFile(original));
    const api = await testApi();
    const posted: HostToWebview[] = [];
    const subscription = api.panel.onDidPost((message) => posted.push(message));
    await setSetting('img2img.resizeMode', 'justResize'); // not the default, so every step has to carry it
    try {
      const made = await viaApi('imageToImage', sketch, { prompt: 'a lighthouse in the snow', denoisingStrength: 0.5 });
      assert.equal(made.status, 'saved', JSON.stringify(made));
      const variant = vscode.Uri.parse(made.files![0]);
      const stored = readStoredParameters(await vscode.workspace.fs.readFile(variant))!;
      assert.match(stored.text, /Source image: generated-images\/sketch\.png, Source hash: [0-9a-f]{12}, Resize mode: Just resize/);
      type Img2ImgBody = { init_images: string[]; denoising_strength: number; seed: number; width: number; height: number; resize_mode: number };
      const first = server.requestsTo('/sdapi/v1/img2img').at(-1)!.body as Img2ImgBody;

      // Regenerate: the same source, strength, seed and size.
      const again = await run('sdStudio.regenerate', variant);
      assert.equal(again.status, 'saved', JSON.stringify(again));
      const second = server.requestsTo('/sdapi/v1/img2img').at(-1)!.body as Img2ImgBody;
      assert.deepEqual(
        [second.init_images, second.denoising_strength, second.seed, second.width, second.height, second.resize_mode],
        [first.init_images, 0.5, settingsOf(stored.infotext).seed, first.width, first.height, first.resize_mode],
      );

      // Reuse in Panel: image to image from that source.
      assert.equal((await run('sdStudio.reuseParameters', variant)).status, 'opened');
      const source = await waitFor('the source', () => posted.find((m): m is Extract<HostToWebview, { type: 'source' }> => m.type === 'source'));
      assert.equal(source.source?.path, 'generated-images/sketch.png');
      posted.length = 0;
      await run('sdStudio.reuseParameters', variant); // the panel is open now: a prefill message
      const prefill = await waitFor('the prefill', () => posted.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill'));
      assert.deepEqual([prefill.values.mode, prefill.values.denoisingStrength, prefill.values.resizeMode], ['img2img', 0.5, 'justResize']);

      // Add to Recipes: the entry has the source and strength, and makes the same picture.
      const outcome = (await run('sdStudio.addToRecipes', variant)) as { status: string; note?: string };
      assert.equal(outcome.status, 'added', JSON.stringify(outcome));
      assert.equal(outcome.note, undefined);
      const entryPath = vscode.workspace.asRelativePath(variant, false);
      const text = Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8');
      const entry = (JSON.parse(text) as { assets: Record<string, Record<string, unknown>> }).assets[entryPath];
      assert.deepEqual(
        [entry?.prompt, entry?.source, entry?.strength, entry?.resizeMode],
        ['a lighthouse in the snow', 'generated-images/sketch.png', 0.5, 'justResize'],
      );
      assert.equal(await entryState(manifest, text, entryPath), '$(pass) up to date');
      // …and the entry makes it from that source, as it was made.
      const fromRecipe = await api.generateRecipe(manifest, entryPath, 'regenerate', 'replace');
      assert.equal(fromRecipe.status, 'saved', JSON.stringify(fromRecipe));
      const third = server.requestsTo('/sdapi/v1/img2img').at(-1)!.body as Img2ImgBody;
      assert.deepEqual(
        [third.init_images, third.denoising_strength, third.seed, third.resize_mode],
        [first.init_images, 0.5, settingsOf(stored.infotext).seed, 0],
      );
      // The entry's image names its source too: what follows is Regenerate of the recipe's image.
      assert.match(readStoredParameters(await vscode.workspace.fs.readFile(variant))!.text, /Source image: generated-images\/sketch\.png/);

      // The source changed: Regenerate says so and sends nothing.
      await vscode.workspace.fs.writeFile(
        sketch,
        maskPng(64, 64, () => true),
      );
      const sent = server.requestsTo('/sdapi/v1/img2img').length;
      const refused = await run('sdStudio.regenerate', variant);
      assert.equal(refused.status, 'failed');
      assert.match(refused.message ?? '', /generated-images\/sketch\.png has changed since .* was made from it/);
      assert.equal(server.requestsTo('/sdapi/v1/img2img').length, sent, 'nothing sent');
    } finally {
      subscription.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(manifest).then(undefined, () => undefined);
    }
  });

  it('Add to Recipes of an image made from a source image it does not name adds its entry unmarked and says why', async () => {
    const manifest = vscode.Uri.joinPath(workspaceFolder(), 'sd-assets.json');
    const elsewhere = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', 'from-elsewhere.png');
    const infotext = 'a lighthouse in the fog\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 5, Size: 64x64, Denoising strength: 0.6';
    await vscode.workspace.fs.writeFile(
      elsewhere,
      addPngText(
        maskPng(64, 64, () => false),
        'parameters',
        infotext,
      ),
    );
    try {
      const outcome = (await run('sdStudio.addToRecipes', elsewhere)) as { status: string; note?: string };
      assert.equal(outcome.status, 'added', JSON.stringify(outcome));
      assert.match(outcome.note ?? '', /was made from a source image its parameters do not name: .*give it a "source"/);
      const text = Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8');
      const assets = (JSON.parse(text) as { assets: Record<string, Record<string, unknown>> }).assets;
      const entryPath = vscode.workspace.asRelativePath(elsewhere, false);
      assert.deepEqual(Object.keys(assets), [entryPath], 'a new recipes file (the last test deleted its own)');
      assert.equal(assets[entryPath]?.source, undefined);
      assert.equal(await entryState(manifest, text, entryPath), '$(question) not made from this recipe');
      // Regenerate cannot make it either, and offers Reuse in Panel.
      const sent = server.requestsTo('/sdapi/v1/img2img').length + server.requestsTo('/sdapi/v1/txt2img').length;
      const regenerate = await run('sdStudio.regenerate', elsewhere);
      assert.equal(regenerate.status, 'failed');
      assert.match(regenerate.message ?? '', /from-elsewhere\.png was made from a source image its parameters do not name: .*\(Reuse in Panel\)/);
      assert.equal(server.requestsTo('/sdapi/v1/img2img').length + server.requestsTo('/sdapi/v1/txt2img').length, sent, 'nothing sent');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(manifest).then(undefined, () => undefined);
    }
  });

  it('an image without parameters says so, and Regenerate explains what is missing', async () => {
    const bare = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', 'bare.png');
    const png = await vscode.workspace.fs.readFile(original);
    // The same picture without its text chunk: keep IHDR, IDAT and IEND only.
    const keep: Buffer[] = [Buffer.from(png.subarray(0, 8))];
    for (let at = 8; at + 8 <= png.length;) {
      const length = Buffer.from(png.subarray(at, at + 4)).readUInt32BE(0);
      const type = Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1');
      if (type !== 'tEXt' && type !== 'iTXt') keep.push(Buffer.from(png.subarray(at, at + 12 + length)));
      at += 12 + length;
    }
    await vscode.workspace.fs.writeFile(bare, Buffer.concat(keep));
    await run('sdStudio.showParameters', bare);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /has no generation parameters/);
    const outcome = await run('sdStudio.regenerate', bare);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message!, /bare\.png has no generation parameters/);
    assert.ok((await outputFiles()).length >= 4);
  });

  it('reads an image on a file system that is not the local disk (a remote window, a virtual workspace) through workspace.fs', async () => {
    const files = new Map<string, Uint8Array>([['/remote/lighthouse.png', await vscode.workspace.fs.readFile(original)]]);
    const provider: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: (uri) => {
        const bytes = files.get(uri.path);
        if (!bytes) throw vscode.FileSystemError.FileNotFound(uri);
        return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: bytes.length };
      },
      readFile: (uri) => files.get(uri.path) ?? Promise.reject(vscode.FileSystemError.FileNotFound(uri)),
      readDirectory: () => [],
      createDirectory: () => undefined,
      writeFile: (uri, content) => void files.set(uri.path, content),
      delete: (uri) => void files.delete(uri.path),
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider('sdtest-remote', provider, { isReadonly: false });
    try {
      const shown = await run('sdStudio.showParameters', vscode.Uri.from({ scheme: 'sdtest-remote', path: '/remote/lighthouse.png' }));
      assert.equal(shown.status, 'shown', JSON.stringify(shown));
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /\| Seed \| `4242` \|/);
    } finally {
      registration.dispose();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
