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
