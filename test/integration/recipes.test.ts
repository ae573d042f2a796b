// Recipes files (sd-assets.json) in a real VS Code against the local server: diagnostics,
// CodeLens, quick fixes, generating one entry to its declared path, the stale check, and
// Generate Missing Assets.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { imageSize } from '../../src/image/imageSize';
import { readPngText } from '../../src/image/pngText';
import { sniffImageFormat } from '../../src/image/format';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { generationSizeFor } from '../../src/shared/outputShape';
import { RECIPE_HASH_KEY } from '../../src/recipes/effective';
import type { HostToWebview } from '../../src/shared/protocol';
import type { FakeA1111 } from '../server/fakeA1111';
import { setSetting, testApi, useServer, waitFor, workspaceFolder } from './helpers';

const MANIFEST = `{
  "defaults": { "size": "256x256", "steps": 6, "style": "icon" },
  "styles": { "icon": "flat vector icon of {prompt}, white background" },
  "assets": {
    "media/fox.png": { "prompt": "a red fox", "seed": 42, "sampler": "DPM++ 2M" },
    "media/hero.png": { "prompt": "misty mountains", "style": "photo" },
    "../outside.png": { "prompt": "nope" }
  }
}
`;

describe('Recipes files (sd-assets.json)', function () {
  this.timeout(60_000);
  let server: FakeA1111;
  let manifest: vscode.Uri;
  let document: vscode.TextDocument;

  const lensTitles = async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', manifest, 100)) ?? [];
    return lenses.map((lens) => lens.command?.title ?? '');
  };
  // Ours only: the JSON language service keeps its schema warnings for an open, deleted file.
  const messages = () =>
    vscode.languages
      .getDiagnostics(manifest)
      .filter((d) => d.source === 'Stable Diffusion')
      .map((d) => d.message);
  const media = (name: string) => vscode.Uri.joinPath(workspaceFolder(), 'media', name);

  before(async () => {
    await setSetting('afterGeneration', 'none');
    server = await useServer();
    manifest = vscode.Uri.joinPath(workspaceFolder(), 'sd-assets.json');
    await vscode.workspace.fs.writeFile(manifest, Buffer.from(MANIFEST));
    document = await vscode.workspace.openTextDocument(manifest);
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await setSetting('afterGeneration', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [manifest, vscode.Uri.joinPath(workspaceFolder(), 'media')])
      await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await server.close();
  });

  it('shows problems on their lines and missing assets as warnings, with a quick fix', async () => {
    // Wait for this file's own warning: another suite's sd-assets.json may have left its own behind.
    await waitFor('the diagnostics', () => (messages().includes('media/fox.png does not exist yet.') ? true : undefined));
    const all = messages();
    assert.ok(all.includes('"../outside.png" leaves the workspace ("..").'), all.join('\n'));
    assert.ok(all.includes('There is no style "photo" in "styles".'), all.join('\n'));
    assert.ok(all.includes('media/fox.png does not exist yet.'), all.join('\n'));
    const fox = vscode.languages.getDiagnostics(manifest).find((d) => d.message === 'media/fox.png does not exist yet.')!;
    assert.equal(document.getText(fox.range), '"media/fox.png"');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', manifest, fox.range)) ?? [];
    assert.ok(
      actions.some((a) => a.title === 'Generate media/fox.png'),
      actions.map((a) => a.title).join(', '),
    );
  });

  it('completes samplers and schedulers from the server, models by name, styles from the file', async () => {
    const complete = async (after: string) => {
      const at = document.positionAt(document.getText().indexOf(after) + after.length + 1);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', manifest, at);
      return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    };
    const samplers = await complete('"sampler": ');
    assert.ok(samplers.includes('DPM++ 2M') && samplers.includes('Euler a'), samplers.join(', '));
    assert.ok((await complete('"style": ')).includes('icon'));
  });

  it("completes a refiner from the server's models, as a model", async () => {
    const file = vscode.Uri.joinPath(workspaceFolder(), 'refiner.sd-assets.json');
    await vscode.workspace.fs.writeFile(file, Buffer.from('{ "assets": { "media/r.png": { "prompt": "x", "refiner": "" } } }\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      const at = doc.positionAt(doc.getText().indexOf('"refiner": ') + '"refiner": '.length + 1);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', file, at);
      const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      assert.ok(labels.includes('v1-5-pruned-emaonly') && labels.includes('sd_xl_base_1.0'), labels.join(', '));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it("CodeLens: the file's Generate Missing Assets, each entry's state and actions", async () => {
    const titles = await lensTitles();
    assert.ok(titles.includes('$(sparkle) Generate Missing Assets (1)'), titles.join(' | '));
    assert.ok(titles.includes('$(circle-large-outline) missing'));
    assert.ok(titles.includes('Generate'));
  });

  it("Generate writes the image to its declared path, with the recipe's hash; the entry is then up to date", async () => {
    const api = await testApi();
    const outcome = await api.generateRecipe(manifest, 'media/fox.png', 'generate');
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    const bytes = await vscode.workspace.fs.readFile(media('fox.png'));
    assert.match(readPngText(bytes).get(RECIPE_HASH_KEY) ?? '', /^[0-9a-f]{16}$/);
    const [sent] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    assert.deepEqual([sent.body.prompt, sent.body.seed, sent.body.width, sent.body.steps], ['flat vector icon of a red fox, white background', 42, 256, 6]);
    await waitFor('the entry to be up to date', async () => ((await lensTitles()).includes('$(pass) up to date') ? true : undefined));
  });

  it('a changed recipe makes the entry stale; Generate Missing Assets regenerates it in place', async () => {
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('"a red fox"');
    edit.replace(manifest, new vscode.Range(document.positionAt(at), document.positionAt(at + '"a red fox"'.length)), '"a blue fox"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the stale warning', () => (messages().includes('media/fox.png was made from an earlier version of this recipe.') ? true : undefined));
    const api = await testApi();
    const result = await api.generateMissingAssets(manifest);
    assert.deepEqual(result, { status: 'done', generated: ['media/fox.png'], failed: [] });
    const [sent] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    assert.equal(sent.body.prompt, 'flat vector icon of a blue fox, white background');
    const files = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceFolder(), 'media'))).map(([name]) => name);
    assert.deepEqual(files.filter((name) => name.endsWith('.png')).sort(), ['fox.png'], 'replaced in place, no second file');
    await waitFor('no warning left for fox', () => (messages().some((m) => m.startsWith('media/fox.png')) ? undefined : true));
  });

  it('Keep Both writes beside the existing image', async () => {
    const api = await testApi();
    const outcome = await api.generateRecipe(manifest, 'media/fox.png', 'variation', 'keepBoth');
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    assert.equal(
      vscode.Uri.parse((outcome as { files: string[] }).files[0])
        .path.split('/')
        .pop(),
      'fox-2.png',
    );
  });

  it('candidates: N images aside in .sd-candidates (ignored by git), compared in the panel; the pick is written and its seed goes into the recipe', async () => {
    const api = await testApi();
    const file = vscode.Uri.joinPath(workspaceFolder(), 'picks.sd-assets.json');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('{\n  "assets": {\n    "media/badge.png": { "prompt": "a shield badge", "size": "256x256", "candidates": 3 }\n  }\n}\n'),
    );
    const offers: Extract<HostToWebview, { type: 'candidates' }>[] = [];
    const listening = api.panel.onDidPost((message) => message.type === 'candidates' && offers.push(message));
    try {
      const outcome = await api.generateRecipe(file, 'media/badge.png', 'generate');
      assert.equal(outcome.status, 'candidates', JSON.stringify(outcome));
      const { files, seeds, offerId } = outcome;
      assert.equal(files.length, 3);
      assert.equal((server.requestsTo('/sdapi/v1/txt2img').at(-1)!.body as { batch_size: number }).batch_size, 3);
      for (const candidate of files) assert.match(vscode.workspace.asRelativePath(vscode.Uri.parse(candidate)), /^\.sd-candidates\/media\/badge-\d+\.png$/);
      const ignore = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), '.sd-candidates', '.gitignore'))).toString();
      assert.match(ignore, /^\*$/m, 'the folder ignores itself');
      assert.equal(
        await vscode.workspace.fs.stat(media('badge.png')).then(
          () => true,
          () => false,
        ),
        false,
        'nothing at the declared path before the pick',
      );
      // What the page's `ready` makes the host send, without waiting for the page to load (slow on a busy machine).
      await api.panel.receive({ type: 'ready' });
      const shown = await waitFor('the panel to show the candidates', () => offers.at(-1)?.offers.find((offer) => offer.id === offerId));
      assert.deepEqual(
        shown.images.map((image) => image.seed),
        seeds,
      );
      assert.match(shown.images[0].src, /^data:image\/png;base64,/);

      await api.panel.receive({ type: 'pickCandidate', offerId, index: 7 });
      assert.equal(
        await vscode.workspace.fs.stat(media('badge.png')).then(
          () => true,
          () => false,
        ),
        false,
        'an index that was not offered writes nothing',
      );
      await api.panel.receive({ type: 'pickCandidate', offerId, index: 1 });
      const picked = await vscode.workspace.fs.readFile(media('badge.png'));
      const candidateText = readPngText(await vscode.workspace.fs.readFile(vscode.Uri.parse(files[1]))).get('parameters');
      assert.match(candidateText ?? '', new RegExp(`Seed: ${seeds[1]},`));
      assert.equal(readPngText(picked).get('parameters'), candidateText, 'the second candidate is the one written');
      const text = (await vscode.workspace.openTextDocument(file)).getText();
      assert.match(text, new RegExp(`"seed": ${seeds[1]}`), text);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file, 100)) ?? [];
      assert.ok(
        lenses.some((lens) => lens.command?.title === '$(pass) up to date'),
        lenses.map((l) => l.command?.title).join(' | '),
      );
      assert.equal(offers.at(-1)?.offers.length, 0, 'the offer is gone from the panel');
      assert.equal(
        (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceFolder(), '.sd-candidates', 'media'))).length,
        3,
        'the candidates stay',
      );
    } finally {
      listening.dispose();
      for (const uri of [file, vscode.Uri.joinPath(workspaceFolder(), '.sd-candidates')])
        await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    }
  });

  it("a recipe's More settings (tiling, hires fix with its steps, CLIP skip, a refiner, server styles) reach the server and the image", async () => {
    const api = await testApi();
    const file = vscode.Uri.joinPath(workspaceFolder(), 'textures.sd-assets.json');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(
        '{ "assets": { "media/stone.png": { "prompt": "stone wall", "size": "64x64", "tiling": true, "hiresScale": 2, "hiresUpscaler": "Lanczos", "hiresSteps": 6, ' +
          '"clipSkip": 2, "refiner": "v1-5-pruned-emaonly [6ce0161689]", "refinerSwitchAt": 0.6, "serverStyles": ["Watercolor"] } } }\n',
      ),
    );
    try {
      const outcome = await api.generateRecipe(file, 'media/stone.png', 'generate');
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;
      assert.deepEqual(
        [body.tiling, body.enable_hr, body.hr_scale, body.hr_upscaler, body.hr_second_pass_steps, body.styles, body.override_settings],
        [true, true, 2, 'Lanczos', 6, ['Watercolor'], { CLIP_stop_at_last_layers: 2 }],
      );
      assert.deepEqual([body.refiner_checkpoint, body.refiner_switch_at], ['v1-5-pruned-emaonly.safetensors [6ce0161689]', 0.6], "the server's own title");
      const bytes = await vscode.workspace.fs.readFile(media('stone.png'));
      assert.deepEqual(imageSize(bytes, 'png'), { width: 128, height: 128 }, 'the final size');
      assert.match(readPngText(bytes).get('parameters') ?? '', /Clip skip: 2.*Tiling: True, Hires upscale: 2/);
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it("a recipe's outputSize and maxKB: the server makes the model's area at the target's aspect; the file is a WebP of exactly the size under the budget, up to date", async () => {
    const api = await testApi();
    const file = vscode.Uri.joinPath(workspaceFolder(), 'cards.sd-assets.json');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('{ "assets": { "media/card.webp": { "prompt": "a social card", "steps": 3, "outputSize": "240x126", "maxKB": 40 } } }\n'),
    );
    try {
      const outcome = await api.generateRecipe(file, 'media/card.webp', 'generate');
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { width: number; height: number };
      assert.deepEqual({ width: body.width, height: body.height }, generationSizeFor({ width: 240, height: 126 }, 1024), "near SDXL's area (the loaded model)");
      const bytes = await vscode.workspace.fs.readFile(media('card.webp'));
      assert.equal(sniffImageFormat(bytes), 'webp', 'a WebP, as the path says');
      assert.deepEqual(imageSize(bytes, 'webp'), { width: 240, height: 126 });
      assert.ok(bytes.length <= 40 * 1024, `${bytes.length} bytes`);
      assert.match(readStoredParameters(bytes)?.text ?? '', new RegExp(`Size: ${body.width}x${body.height},.*Output size: 240x126, Output fit: cover`));
      // The entry reads its hash back from the WebP's EXIF.
      await waitFor('the entry to show as up to date', async () => {
        const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file, 100)) ?? [];
        return lenses.some((lens) => lens.command?.title === '$(pass) up to date') ? true : undefined;
      });
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('deleting the recipes file removes its warnings from the Problems view', async () => {
    await document.save();
    await waitFor('warnings to remove', () => (messages().length > 0 ? true : undefined));
    await vscode.workspace.fs.delete(manifest);
    await waitFor('no warnings for a deleted file', () => (messages().length === 0 ? true : undefined));
  });
});
