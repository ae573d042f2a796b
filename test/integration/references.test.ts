// Where an image is used: a hover and actions on a Markdown image reference in a real VS Code,
// and Generate from the alt text of a reference to a file that does not exist yet.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import type { FakeA1111 } from '../server/fakeA1111';
import { run, setSetting, useServer, workspaceFolder } from './helpers';

const NOTE = '# Page\n\n![a small red fox app icon](media/ref-fox.png)\n\n![](media/no-alt.png)\n';

describe('Image references where images are used', function () {
  this.timeout(60_000);
  let server: FakeA1111;
  let note: vscode.Uri;
  let document: vscode.TextDocument;
  const position = (text: string) => document.positionAt(document.getText().indexOf(text) + 2);
  const hoverText = async (at: vscode.Position) => {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', note, at)) ?? [];
    return hovers
      .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : (content as vscode.MarkdownString).value)))
      .join('\n')
      .replace(/&nbsp;/g, ' '); // appendText keeps spaces as &nbsp;
  };

  before(async () => {
    await setSetting('afterGeneration', 'none');
    server = await useServer();
    note = vscode.Uri.joinPath(workspaceFolder(), 'page.md');
    await vscode.workspace.fs.writeFile(note, Buffer.from(NOTE));
    document = await vscode.workspace.openTextDocument(note);
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await setSetting('afterGeneration', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [note, vscode.Uri.joinPath(workspaceFolder(), 'media')])
      await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await server.close();
  });

  it('a reference to a missing image: the hover offers to generate it from the alt text; without alt text it says what to write', async () => {
    const missing = await hoverText(position('media/ref-fox.png'));
    assert.match(missing, /ref-fox\.png` does not exist yet/);
    assert.match(missing, /command:sdStudio\.generateReference\?/);
    assert.match(missing, /a small red fox app icon/);
    assert.match(await hoverText(position('media/no-alt.png')), /Write what it shows as its alt text/);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        note,
        new vscode.Range(position('media/ref-fox.png'), position('media/ref-fox.png')),
      )) ?? [];
    assert.ok(
      actions.some((a) => a.title === 'Stable Diffusion: Generate media/ref-fox.png from its alt text'),
      actions.map((a) => a.title).join(', '),
    );
  });

  it('Generate writes exactly the referenced file from the alt text; the hover then shows how it was made', async () => {
    const offset = document.getText().indexOf('media/ref-fox.png');
    const outcome = await run('sdStudio.generateReference', note, offset);
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    const file = vscode.Uri.joinPath(workspaceFolder(), 'media', 'ref-fox.png');
    assert.equal(outcome.files?.[0], file.toString());
    const [sent] = server.requestsTo('/sdapi/v1/txt2img').slice(-1) as { body: Record<string, unknown> }[];
    assert.equal(sent.body.prompt, 'a small red fox app icon');
    const stored = readStoredParameters(await vscode.workspace.fs.readFile(file));
    assert.equal(stored?.infotext.prompt, 'a small red fox app icon');
    const made = await hoverText(position('media/ref-fox.png'));
    assert.match(made, /a small red fox app icon/);
    assert.match(made, /seed \d+ · 512×512 · sd\\_xl\\_base\\_1\.0/); // Markdown-escaped by appendText
    assert.match(made, /command:sdStudio\.regenerate\?/);
  });

  it('never replaces an existing file: generating again writes beside it', async () => {
    const offset = document.getText().indexOf('media/ref-fox.png');
    const outcome = await run('sdStudio.generateReference', note, offset);
    assert.equal(outcome.status, 'saved');
    assert.match(outcome.files?.[0] ?? '', /media\/ref-fox-2\.png$/);
  });
});
