import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { folderCycles, folderGraph, importsOf, SRC, sourceFiles, vscodeInPureCore } from '../support/importGraph';

describe('architecture (test/support/importGraph.ts)', () => {
  it('has no import cycle between the folders of src/', () => {
    const graph = folderGraph();
    assert.ok(graph.size >= 10, 'the graph was read');
    assert.deepEqual(folderCycles(graph), []);
  });

  it('keeps vscode out of the pure core (sdapi, image, shared, errors, the webview, pure generation/output/panel parts)', () => {
    assert.deepEqual(vscodeInPureCore(), []);
  });

  it('reads workspace files only through workspace.fs, except local PNG heads (remote windows, virtual workspaces)', () => {
    // The extension runs on the UI side (extensionKind): in a remote window workspace files are
    // vscode-remote: URIs that node:fs cannot open. One module reads a local PNG's head with
    // node:fs, reached only through platform/imageHead.ts, which checks the scheme first.
    const fsUsers = sourceFiles().filter((file) => importsOf(file).some((i) => i.to === 'node:fs' || i.to === 'fs'));
    assert.deepEqual(fsUsers, ['image/fileHead.ts']);
    const headUsers = sourceFiles().filter((file) => importsOf(file).some((i) => i.to === 'image/fileHead.ts' && !i.typeOnly));
    assert.deepEqual(headUsers, ['platform/imageHead.ts']);
    assert.match(fs.readFileSync(path.join(SRC, 'platform', 'imageHead.ts'), 'utf8'), /file\.scheme === 'file'/);
  });

  it('the checks catch what they look for', () => {
    assert.deepEqual(
      folderCycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
      ['a -> b -> c -> a'],
    );
    // A real file of src/ that imports vscode is seen as doing so.
    assert.ok(importsOf('extension.ts').some((i) => i.to === 'vscode' && !i.typeOnly));
    assert.ok(importsOf('platform/log.ts').some((i) => i.to === 'vscode' && i.typeOnly));
  });

  it('has nothing but extension.ts at the root of src/, and no file over about 250 lines without saying why', () => {
    assert.deepEqual(
      fs.readdirSync(SRC).filter((name) => name.endsWith('.ts')),
      ['extension.ts'],
    );
    const long = sourceFiles()
      .map((file) => ({ file, text: fs.readFileSync(path.join(SRC, file), 'utf8') }))
      .filter(({ text }) => text.split('\n').length > 260 && !/over 250 lines/i.test(text.slice(0, 600)))
      .map(({ file, text }) => `${file} (${text.split('\n').length} lines)`);
    assert.deepEqual(long, []);
  });
});
