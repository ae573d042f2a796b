// A recipes file of 500 entries with 500 images, in a real VS Code: every entry gets its state,
// and an edit of one recipe is seen without reading the images again. The timings go to
// test-results/recipes-vscode.json for `npm run bench` (section 7); nothing here asserts time.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addPngText } from '../../src/image/pngText';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash } from '../../src/recipes/effective';
import { parseManifest } from '../../src/recipes/manifest';
import { renderPicture } from '../server/pictures';
import { testApi, waitFor, workspaceFolder } from './helpers';

const COUNT = 500;

describe('Recipes at scale (500 entries, 500 images)', function () {
  this.timeout(120_000);
  const folder = () => vscode.Uri.joinPath(workspaceFolder(), 'scale');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder(), { recursive: true }).then(undefined, () => undefined);
  });

  it('states every entry; an edit makes its entry stale without reading the images again', async () => {
    const assets: Record<string, unknown> = {};
    for (let i = 0; i < COUNT; i++) assets[`scale/media/asset-${i}.png`] = { prompt: `asset number ${i}, detailed`, style: `s${i % 4}`, seed: i };
    const text = JSON.stringify(
      { defaults: { steps: 24 }, styles: { s0: 'icon of {prompt}', s1: 'photo of {prompt}', s2: '{prompt}, 3d', s3: 'sketch of {prompt}' }, assets },
      null,
      2,
    );
    const manifest = parseManifest(text);
    const picture = renderPicture({ width: 160, height: 160, seed: 3, noise: true });
    const media = path.join(folder().fsPath, 'media');
    fs.mkdirSync(media, { recursive: true });
    let bytes = 0;
    for (const [i, entry] of manifest.entries.entries()) {
      const png = addPngText(picture, RECIPE_HASH_KEY, i % 10 === 0 ? 'an-earlier-recipe' : recipeHash(effectiveRecipe(entry, manifest)));
      fs.writeFileSync(path.join(media, `asset-${i}.png`), png);
      bytes += png.length;
    }
    const uri = vscode.Uri.joinPath(folder(), 'sd-assets.json');
    fs.writeFileSync(uri.fsPath, text);
    await testApi(); // a recipes file created after startup does not activate the extension by itself

    const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const count = (all: vscode.CodeLens[], title: string) => all.filter((lens) => lens.command?.title === title).length;
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    let started = performance.now();
    const first = await lenses();
    const firstMs = performance.now() - started;
    assert.equal(count(first, '$(pass) up to date'), COUNT - COUNT / 10);
    assert.equal(count(first, '$(warning) stale: the recipe changed'), COUNT / 10);

    // Edit the prompt of an up-to-date entry: its lens turns stale.
    const at = document.getText().indexOf('"asset number 1, detailed"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(at + 1), document.positionAt(at + 7)), 'ASSET');
    const editedAt = performance.now();
    const diagnosticsSeen = new Promise<number>((resolve) => {
      const listening = vscode.languages.onDidChangeDiagnostics((event) => {
        if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
        if (vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'stale').length !== COUNT / 10 + 1) return;
        listening.dispose();
        resolve(performance.now());
      });
    });
    assert.ok(await vscode.workspace.applyEdit(edit));
    // The provider right after the edit (a new document version: nothing cached), then VS Code's
    // own round trip, which converts and transfers every lens.
    const api = await testApi();
    started = performance.now();
    const computed = await api.recipeCodeLenses(document);
    const providerMs = performance.now() - started;
    assert.equal(count(computed, '$(warning) stale: the recipe changed'), COUNT / 10 + 1, 'the edited entry is stale');
    started = performance.now();
    const edited = await lenses();
    const roundTripMs = performance.now() - started;
    assert.equal(count(edited, '$(warning) stale: the recipe changed'), COUNT / 10 + 1);
    const diagnosticsMs = (await diagnosticsSeen) - editedAt;
    await waitFor('the warnings', () => (vscode.languages.getDiagnostics(uri).length >= COUNT / 10 + 1 ? true : undefined));

    const report = {
      entries: COUNT,
      lenses: computed.length,
      imageBytes: bytes,
      firstCodeLensMs: firstMs,
      providerAfterEditMs: providerMs,
      roundTripAfterEditMs: roundTripMs,
      diagnosticsAfterEditMs: diagnosticsMs,
      vscode: vscode.version,
    };
    console.log(`[recipes-at-scale] ${JSON.stringify(report)}`);
    const extension = vscode.extensions.all.find((candidate) => candidate.id.endsWith('stable-diffusion-studio'))!;
    fs.mkdirSync(path.join(extension.extensionPath, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(extension.extensionPath, 'test-results', 'recipes-vscode.json'), JSON.stringify(report, null, 2));
  });
});
