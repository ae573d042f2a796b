import type { Metafile, Plugin } from 'esbuild';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

interface HostBuild {
  core: Metafile;
  features: Metafile;
  shared: string[];
}

/** Loads both bundles in a fresh Node with a stand-in `vscode` module and reports what it finds. */
const LOAD_SCRIPT = `
const Module = require('node:module');
const anything = () => new Proxy(function () {}, { get: (_, key) => (key === Symbol.toPrimitive ? () => '' : anything()), apply: () => anything(), construct: () => anything() });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? anything() : load.call(this, request, ...rest); };
const [dir] = process.argv.slice(1);
const core = require(dir + '/extension.js');
const features = require(dir + '/features.js');
const lookups = [...require('node:fs').readFileSync(dir + '/features.js', 'utf8').matchAll(/__shared\\[("[^"]+")\\]/g)].map((m) => JSON.parse(m[1]));
console.log(JSON.stringify({ activate: typeof core.activate, createFeatures: typeof features.createFeatures, lookups, missing: lookups.filter((key) => !(key in core.__shared)) }));
`;

// esbuild.js splits the host code: dist/extension.js (activation) and dist/features.js (user
// actions, src/features/index.ts). A module both reach must exist once, or a class would exist
// twice and `instanceof` (UserError, SdApiError) would fail across the two.
describe('the split host bundles (esbuild.js buildHost)', function () {
  this.timeout(60_000);
  let dir: string;
  let build: HostBuild;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { buildHost } = require(path.join(REPO, 'esbuild.js')) as { buildHost: (options: { outdir: string; root: string }) => Promise<HostBuild> };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-split-'));
    build = await buildHost({ outdir: dir, root: REPO });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inputsOf = (metafile: Metafile) => Object.keys(Object.values(metafile.outputs).find((output) => output.entryPoint !== undefined)?.inputs ?? {});

  it('keeps the panel, recipes providers, command bodies and jsonc-parser out of activation', () => {
    const core = inputsOf(build.core);
    for (const lazy of ['src/panel/generationPanel.ts', 'src/recipes/recipeProviders.ts', 'src/commands/handlers.ts', 'src/agentTools/tools.ts']) {
      assert.ok(!core.includes(lazy), `${lazy} is not in extension.js`);
      assert.ok(inputsOf(build.features).includes(lazy), `${lazy} is in features.js`);
    }
    assert.ok(!core.some((file) => file.includes('jsonc-parser')), 'jsonc-parser is not in extension.js');
    assert.ok(fs.readFileSync(path.join(dir, 'extension.js'), 'utf8').includes('require("./features.js")'), 'features.js is required by path');
  });

  it('puts every module in one bundle only: the features bundle takes the shared ones from the activation bundle', async () => {
    const core = new Set(inputsOf(build.core));
    const twice = inputsOf(build.features).filter((file) => core.has(file));
    assert.deepEqual(twice, []);
    assert.ok(build.shared.length > 5, `modules shared: ${build.shared.join(', ')}`);
    assert.ok(
      build.shared.some((file) => file.startsWith('src/errors/')),
      'the error classes are shared, not copied',
    );
    // The same check on the features bundled plainly (no sharing): it finds the copies.
    const esbuild = await import('esbuild');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { lazyUndiciPlugin } = require(path.join(REPO, 'esbuild.js')) as { lazyUndiciPlugin: Plugin };
    const plain = await esbuild.build({
      entryPoints: ['src/features/index.ts'],
      absWorkingDir: REPO,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      mainFields: ['module', 'main'],
      external: ['vscode'],
      write: false,
      outfile: path.join(dir, 'plain.js'),
      metafile: true,
      logLevel: 'silent',
      plugins: [lazyUndiciPlugin],
    });
    assert.ok(inputsOf(plain.metafile).filter((file) => core.has(file)).length > 10, 'bundled plainly, the features would copy modules');
  });

  it('loads in Node: every module the features bundle looks up is exported by the activation bundle', async () => {
    const { stdout } = await run(process.execPath, ['-e', LOAD_SCRIPT, dir]);
    const loaded = JSON.parse(stdout.trim()) as { activate: string; createFeatures: string; lookups: string[]; missing: string[] };
    assert.equal(loaded.activate, 'function');
    assert.equal(loaded.createFeatures, 'function');
    assert.deepEqual([...new Set(loaded.lookups)].sort(), build.shared);
    assert.deepEqual(loaded.missing, []);
  });
});
