import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseWebviewMessage } from '../../src/panel/messageGuards';
import { renderPanelHtml } from '../../src/panel/panelHtml';
import { altTextOf, referenceSnippet, relativeReference } from '../../src/panel/references';
import { workspaceImageUri } from '../../src/output/workspacePath';
import type { FormValues } from '../../src/shared/protocol';
import { sampleForm } from '../support/forms';
import { formFieldForServerField, validateForm } from '../../src/shared/validateForm';

const FORM: FormValues = sampleForm();

describe('webview message guards', () => {
  it('accepts exactly the protocol messages', () => {
    const valid = [
      { type: 'ready' },
      { type: 'generate', form: FORM },
      { type: 'generate', form: FORM, mask: 'iVBORw0KGgo=' },
      { type: 'cancel', jobId: 'job-1' },
      { type: 'selectModel', title: 'x [abc]' },
      { type: 'refreshServer' },
      { type: 'pickSource' },
      { type: 'setSource', path: 'assets/a.png' },
      { type: 'clearSource' },
      { type: 'galleryAction', action: 'insert', id: 'abc' },
      { type: 'failureAction', id: 'enterCredentials' },
      { type: 'failureAction', id: 'retrySave' },
      { type: 'formState', form: FORM },
    ];
    for (const message of valid) assert.deepEqual(parseWebviewMessage(message), message, JSON.stringify(message));
  });

  it('drops unknown types, extra or missing fields and wrong types', () => {
    const invalid: unknown[] = [
      null,
      'ready',
      42,
      [],
      {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'ready', extra: 1 },
      { type: 'cancel' },
      { type: 'cancel', jobId: 7 },
      { type: 'galleryAction', action: 'execute', id: 'abc' },
      { type: 'failureAction', id: 'runCommand' },
      { type: 'setServer', credentialsOnly: true },
      { type: 'setSource', path: 'x'.repeat(5000) },
      { type: 'generate', form: { ...FORM, steps: '20' } },
      { type: 'generate', form: FORM, mask: 42 },
      { type: 'generate', form: FORM, mask: 'x', extra: 1 },
      { type: 'formState', form: FORM, mask: 'iVBORw0KGgo=' },
      { type: 'generate', form: { ...FORM, maskFill: 'paint' } },
      { type: 'generate', form: { ...FORM, mode: 'inpaint' } },
      { type: 'generate', form: { ...FORM, cfgScale: Number.NaN } },
      { type: 'generate', form: { ...FORM, extra: true } },
      { type: 'generate', form: (({ prompt: _p, ...rest }) => rest)(FORM) },
      { type: '__proto__' },
      { type: 'toString' },
    ];
    for (const message of invalid) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });
});

describe('form validation', () => {
  it('passes a good form and names each bad field', () => {
    assert.deepEqual(validateForm(FORM), []);
    const errors = validateForm({ ...FORM, prompt: ' ', width: 500, height: 8192, steps: 0, cfgScale: 31, seed: 1.5, batchSize: 9, batchCount: 0 });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['prompt', 'steps', 'cfgScale', 'seed', 'width', 'height', 'batchSize', 'batchCount'],
    );
    assert.equal(errors.find((e) => e.field === 'width')?.message, 'Width must be a multiple of 8 (try 504).');
  });

  it('needs a source and a strength in image-to-image mode', () => {
    const errors = validateForm({ ...FORM, mode: 'img2img', denoisingStrength: 1.5 });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['source', 'denoisingStrength'],
    );
  });

  it('maps server field names from a 422 to form fields', () => {
    assert.equal(formFieldForServerField('steps'), 'steps');
    assert.equal(formFieldForServerField('cfg_scale'), 'cfgScale');
    assert.equal(formFieldForServerField('n_iter'), 'batchCount');
    assert.equal(formFieldForServerField('override_settings.x'), '');
  });
});

describe('references inserted into documents', () => {
  it('computes the path from the document to the image', () => {
    assert.equal(relativeReference('/ws', '/ws/generated-images/a.png'), './generated-images/a.png');
    assert.equal(relativeReference('/ws/docs/guide', '/ws/generated-images/a.png'), '../../generated-images/a.png');
    assert.equal(relativeReference('/ws/generated-images', '/ws/generated-images/a.png'), './a.png');
  });

  it('writes Markdown, HTML, JSX and CSS, and the plain path elsewhere', () => {
    const path = './generated-images/fox icon.png';
    assert.equal(referenceSnippet('markdown', path, 'a [red] fox'), '![a red fox](./generated-images/fox%20icon.png)', 'A1111 syntax is no alt text');
    assert.equal(referenceSnippet('markdown', path, 'a \\ fox'), '![a \\\\ fox](./generated-images/fox%20icon.png)', 'what remains is escaped');
    assert.equal(referenceSnippet('html', path, 'a "fox" & co'), '<img src="./generated-images/fox%20icon.png" alt="a &quot;fox&quot; &amp; co">');
    assert.equal(referenceSnippet('typescriptreact', path, 'fox'), '<img src="./generated-images/fox%20icon.png" alt="fox" />');
    assert.equal(referenceSnippet('css', path, 'fox'), 'url("./generated-images/fox%20icon.png")');
    assert.equal(referenceSnippet('python', path, 'fox'), path);
  });
});

describe('panel HTML', () => {
  it('is a static shell with a nonce CSP and no data in it', () => {
    const html = renderPanelHtml({
      cspSource: 'https://webview.test',
      nonce: 'abc123==',
      scriptUri: 'https://webview.test/panel.js',
      styleUri: 'https://webview.test/panel.css',
    });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https:\/\/webview\.test data:; style-src https:\/\/webview\.test; font-src https:\/\/webview\.test; script-src 'nonce-abc123=='/,
    );
    // One script runs (with the nonce); the other is the translations, a JSON data block.
    assert.equal((html.match(/<script /g) ?? []).length, 2);
    assert.equal((html.match(/<script nonce=/g) ?? []).length, 1);
    assert.match(html, /<script type="application\/json" id="l10n-bundle">\{\}<\/script>/);
    assert.match(html, /<script nonce="abc123==" src="https:\/\/webview\.test\/panel\.js"><\/script>/);
    assert.doesNotMatch(html, /unsafe-inline|\sstyle=|\son[a-z]+=/);
  });
});

describe('webview sources', () => {
  it('never build HTML from strings (no innerHTML, outerHTML, insertAdjacentHTML, document.write)', () => {
    const dir = path.resolve(__dirname, '..', '..', '..', 'src', 'webview');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 4);
    for (const file of files) {
      const source = fs
        .readFileSync(path.join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      assert.doesNotMatch(source, /innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|eval\(|new Function/, file);
    }
  });
});

describe('source paths from the webview', () => {
  const one = [{ name: 'site', uri: 'file:///home/ada/site' }];
  const two = [...one, { name: 'docs', uri: 'vscode-remote://ssh-remote%2Bbox/srv/docs' }];

  it('resolves workspace-relative paths and URIs inside a folder', () => {
    assert.equal(workspaceImageUri('assets/boat.png', one), 'file:///home/ada/site/assets/boat.png');
    assert.equal(workspaceImageUri('./assets\\hero banner.JPG', one), 'file:///home/ada/site/assets/hero%20banner.JPG');
    assert.equal(workspaceImageUri('docs/img/a.webp', two), 'vscode-remote://ssh-remote%2Bbox/srv/docs/img/a.webp');
    assert.equal(workspaceImageUri('file:///home/ada/site/generated-images/a.png\r\n', one), 'file:///home/ada/site/generated-images/a.png');
  });

  it('refuses anything outside the workspace or not an image', () => {
    const hostile = [
      '../secrets.png',
      'assets/../../other/a.png',
      '/etc/a.png',
      '\\\\server\\share\\a.png',
      'C:\\Windows\\a.png',
      'file:///etc/passwd.png',
      'file:///home/ada/site/../other/a.png',
      'file:///home/ada/site/%2e%2e/other/a.png',
      'file:///home/ada/site-evil/a.png',
      'vscode-remote://evil/home/ada/site/a.png',
      'https://example.com/a.png',
      'file:///home/ada/site/notes.md',
      'assets/script.js',
      '',
      '%E0%A4%A',
    ];
    for (const text of hostile) {
      assert.throws(() => workspaceImageUri(text, one), /inside the workspace|not a PNG, JPEG or WebP/, JSON.stringify(text));
    }
    assert.throws(() => workspaceImageUri('a.png', []), /inside the workspace/);
  });
});

describe('alt text from a prompt', () => {
  it('drops A1111 syntax and cuts long prompts at a word', () => {
    assert.equal(
      altTextOf('a red fox, (flat vector:1.2), <lora:icons:0.8>, [white|grey] background BREAK centered'),
      'a red fox, flat vector, white|grey background centered',
    );
    const long = altTextOf('word '.repeat(60));
    assert.ok(long.length <= 120 && long.endsWith('…') && !long.includes('wo…'), long);
    assert.equal(altTextOf('short'), 'short');
  });
});
