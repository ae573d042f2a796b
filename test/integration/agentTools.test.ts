// Language model tools in a real VS Code, called as an agent would through vscode.lm.invokeTool
// (no model needed). In a test run VS Code confirms modal dialogs by itself, so what the user is
// asked is read from the tools' prepareInvocation (testApi.prepareAgentTool); the packaged
// extension's UI test answers the real dialog.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readPngText } from '../../src/image/pngText';
import { RECIPE_HASH_KEY } from '../../src/recipes/effective';
import type { FakeA1111 } from '../server/fakeA1111';
import { setSetting, testApi, useServer, workspaceFolder } from './helpers';

const TOOLS = ['sdstudio_generate_image', 'sdstudio_list_recipes', 'sdstudio_generate_recipe', 'sdstudio_add_recipe'];

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The confirmation the user sees before the tool runs: title and message as plain text. */
async function confirmation(name: string, input: object): Promise<string> {
  const prepared = await (await testApi()).prepareAgentTool(name, input);
  const messages = prepared?.confirmationMessages;
  assert.ok(messages, `${name} asks before it runs`);
  assert.equal(typeof messages.message, 'string', 'plain text: the prompt must not render as Markdown');
  return `${messages.title}\n${messages.message as string}`;
}

describe('Agent tools (vscode.lm.invokeTool)', function () {
  this.timeout(60_000);
  let server: FakeA1111;
  const file = (relative: string) => vscode.Uri.joinPath(workspaceFolder(), ...relative.split('/'));
  const exists = (relative: string) =>
    vscode.workspace.fs.stat(file(relative)).then(
      () => true,
      () => false,
    );

  before(async () => {
    await setSetting('afterGeneration', 'none');
    server = await useServer();
  });

  after(async () => {
    await setSetting('afterGeneration', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['site', 'tools.sd-assets.json']) await vscode.workspace.fs.delete(file(name), { recursive: true }).then(undefined, () => undefined);
    await server.close();
  });

  it('are registered with their schemas', () => {
    for (const name of TOOLS) {
      const tool = vscode.lm.tools.find((candidate) => candidate.name === name);
      assert.ok(tool, `${name} in vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
      assert.ok(tool.description.length > 40 && tool.inputSchema, name);
    }
  });

  it('generate image: the user is shown prompt, size, file and server; the list tool asks nothing', async () => {
    const input = { path: 'site/hero.png', prompt: 'misty mountains at sunrise, wide', width: 768, height: 512 };
    const asked = await confirmation('sdstudio_generate_image', input);
    for (const part of ['Generate site/hero.png with Stable Diffusion?', '768 × 512', server.url, 'Prompt: misty mountains at sunrise, wide'])
      assert.ok(asked.includes(part), `"${part}" in: ${asked}`);
    assert.equal(await exists('site/hero.png'), false, 'preparing writes nothing');
    const list = await (await testApi()).prepareAgentTool('sdstudio_list_recipes', {});
    assert.equal(list?.confirmationMessages, undefined, 'reading needs no confirmation');
  });

  it('generate image: writes exactly the path and names the parameters; an existing file is kept', async () => {
    const input = { path: 'site/hero.png', prompt: 'misty mountains at sunrise, wide', width: 770, height: 512, seed: 1234 };
    const text = await invoke('sdstudio_generate_image', input);
    assert.match(text, /Wrote site\/hero\.png\./);
    assert.match(text, /changed to 768 × 512/, 'says it snapped the width to the grid');
    assert.match(text, /Seed: 1234/);
    const [body] = server
      .requestsTo('/sdapi/v1/txt2img')
      .slice(-1)
      .map((r) => r.body as Record<string, unknown>);
    assert.deepEqual([body.prompt, body.width, body.height, body.seed, body.batch_size], ['misty mountains at sunrise, wide', 768, 512, 1234, 1]);
    assert.match(readPngText(await vscode.workspace.fs.readFile(file('site/hero.png'))).get('parameters') ?? '', /Seed: 1234/);

    assert.match(await confirmation('sdstudio_generate_image', input), /site\/hero\.png exists: the new image is written beside it\./);
    assert.match(await invoke('sdstudio_generate_image', input), /Wrote site\/hero-2\.png \(hero\.png exists/);
    assert.match(await confirmation('sdstudio_generate_image', { ...input, replace: true }), /will be replaced \(the old file goes to the trash/);
  });

  it('generate image refuses a path outside the workspace or not an image, and an empty prompt, before asking', async () => {
    for (const [input, message] of [
      [{ path: '../outside.png', prompt: 'x' }, /must be a file inside the workspace/],
      [{ path: '/etc/evil.png', prompt: 'x' }, /must be a file inside the workspace/],
      [{ path: 'site/notes.md', prompt: 'x' }, /not a PNG, JPEG or WebP image/],
      [{ path: 'site/a.png', prompt: '   ' }, /The prompt is empty/],
    ] as const) {
      await assert.rejects(invoke('sdstudio_generate_image', input), message, input.path);
    }
    assert.equal(await exists('site/a.png'), false);
  });

  it('a server failure reaches the agent as the same sentence the user would read', async () => {
    server.fail({
      path: '/sdapi/v1/txt2img',
      fault: {
        kind: 'status',
        status: 500,
        body: { error: 'OutOfMemoryError', detail: '', body: '', errors: 'CUDA out of memory. Tried to allocate 4.00 GiB' },
      },
    });
    await assert.rejects(
      invoke('sdstudio_generate_image', { path: 'site/oom.png', prompt: 'x' }),
      /OutOfMemoryError: CUDA out of memory.*check the server's console/,
    );
    assert.equal(await exists('site/oom.png'), false, 'no partial file');
  });

  it('add recipe, list recipes, generate recipe: from nothing to an up-to-date asset', async () => {
    const manifest = 'tools.sd-assets.json';
    const entry = { manifest, path: 'site/fox.png', prompt: 'a red fox app icon', size: '256x256', seed: 42 };
    const asked = await confirmation('sdstudio_add_recipe', entry);
    assert.ok(asked.includes('A new recipes file tools.sd-assets.json gets this entry') && asked.includes('"seed": 42'), asked);
    assert.match(await invoke('sdstudio_add_recipe', entry), /Added site\/fox\.png to tools\.sd-assets\.json; its image is missing/);

    const listed = await invoke('sdstudio_list_recipes', { manifest });
    assert.match(listed, /- site\/fox\.png: missing \(not generated yet\)\. Prompt: "a red fox app icon", 256x256, seed 42\./);

    assert.match(
      await confirmation('sdstudio_generate_recipe', { path: 'site/fox.png' }),
      /^Generate site\/fox\.png with Stable Diffusion\?\nsite\/fox\.png from tools\.sd-assets\.json/,
    );
    const generated = await invoke('sdstudio_generate_recipe', { path: 'site/fox.png' });
    assert.match(generated, /Wrote site\/fox\.png from the recipe in tools\.sd-assets\.json \(seed 42\)\.\nThe entry is now up to date\./);
    assert.match(readPngText(await vscode.workspace.fs.readFile(file('site/fox.png'))).get(RECIPE_HASH_KEY) ?? '', /^[0-9a-f]{16}$/);
    assert.match(await invoke('sdstudio_list_recipes', { manifest }), /- site\/fox\.png: up to date\./);
    assert.match(await confirmation('sdstudio_generate_recipe', { path: 'site/fox.png' }), /^Regenerate site\/fox\.png[\s\S]*will be replaced/);

    await assert.rejects(invoke('sdstudio_add_recipe', { manifest, path: 'site/fox.png', prompt: 'again' }), /already in tools\.sd-assets\.json/);
    await assert.rejects(invoke('sdstudio_generate_recipe', { path: 'site/none.png' }), /No recipes file has an entry "site\/none\.png"/);
    await assert.rejects(invoke('sdstudio_add_recipe', { manifest: 'package.json', path: 'site/x.png', prompt: 'x' }), /not a recipes file/);
  });
});
