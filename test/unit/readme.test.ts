import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headingAnchors } from '../support/translations';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** The README as the marketplace and Open VSX show it (vsce rewrites its relative links). */
describe('README for the listing', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

  it('has no code example that vsce would rewrite into a link (it rewrites [text](path) even in code)', () => {
    const rewritten = readme
      .split('\n')
      .filter((line) => /`[^`]*\]\([^)`]*\)[^`]*`/.test(line) || /^\s*!?\[[^\]]*\]\((?!https?:|#|docs\/|CONTRIBUTING|CHANGELOG|BENCHMARKS)/.test(line));
    assert.deepEqual(rewritten, []);
  });

  it('links only to files the repository has, and to headings it has', () => {
    const anchors = headingAnchors(readme);
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https?:/.test(target)) continue;
      if (target.startsWith('#')) assert.ok(anchors.has(target.slice(1)), `a heading for ${target}`);
      else assert.ok(fs.existsSync(path.join(REPO, target.split('#')[0])), `${target} exists`);
    }
  });

  it('names the file npm run package writes, and the VS Code version engines.vscode says', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: { package: string }; engines: { vscode: string } };
    const out = /--out (\S+)/.exec(pkg.scripts.package)?.[1];
    assert.ok(out && readme.includes(`\`${out}\``), `the README names ${out}`);
    assert.ok(readme.includes(`VS Code ${pkg.engines.vscode.replace(/^\^(\d+\.\d+)\.\d+$/, '$1')} or newer`));
  });
});
