import type { BuildOptions, Plugin } from 'esbuild';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';

const REPO = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

// esbuild.js bundles undici on its own (dist/undici.js, required on the first request) and leaves
// three of its paths out: these tests bundle the client the same way and run it in a fresh Node,
// on the normal path and on the non-SIMD fallback.
describe('the bundled HTTP client (esbuild.js plugin)', function () {
  this.timeout(30_000);
  let server: FakeA1111;
  let dir: string;
  let bundle: string;
  let undici: string;

  before(async () => {
    const esbuild = await import('esbuild');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { undiciUnusedPathsPlugin, lazyUndiciPlugin } = require(path.join(REPO, 'esbuild.js')) as {
      undiciUnusedPathsPlugin: Plugin;
      lazyUndiciPlugin: Plugin;
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bundle-'));
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      [
        `import { createAgent } from ${JSON.stringify(path.join(REPO, 'src', 'sdapi', 'http'))};`,
        `import { SdApiClient } from ${JSON.stringify(path.join(REPO, 'src', 'sdapi', 'client'))};`,
        'const agent = createAgent();',
        'const client = new SdApiClient({ baseUrl: process.argv[2], dispatcher: agent, timeouts: { connectSeconds: 5, requestSeconds: 5, generationSeconds: 10 } });',
        "client.txt2img({ prompt: 'bundled', steps: 2, width: 32, height: 32 }).then(async (r) => { console.log(JSON.stringify({ images: r.images.length, format: r.images[0].format })); await agent.close(); });",
      ].join('\n'),
    );
    bundle = path.join(dir, 'out', 'bundle.js');
    undici = path.join(dir, 'out', 'undici.js');
    const common: BuildOptions = {
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      nodePaths: [path.join(REPO, 'node_modules')],
    };
    await esbuild.build({ ...common, entryPoints: [entry], outfile: bundle, plugins: [lazyUndiciPlugin] });
    await esbuild.build({ ...common, entryPoints: [path.join(REPO, 'src', 'sdapi', 'undiciParts.ts')], outfile: undici, plugins: [undiciUnusedPathsPlugin] });
    server = await startFakeA1111();
  });

  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps undici out of the bundle: a file of its own, required on the first request', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    assert.ok(text.includes('require("./undici.js")'), 'required by path next to the bundle');
    assert.ok(!text.includes('lib/dispatcher/agent.js') && !text.includes('llhttp'), 'no undici code inside');
    assert.ok(fs.statSync(undici).size > 100_000, 'undici.js holds it');
  });

  it('keeps the non-SIMD parser, fetch and the HTTP/2 client out of undici.js', () => {
    const text = fs.readFileSync(undici, 'utf8');
    assert.ok(fs.existsSync(path.join(dir, 'out', 'llhttp-wasm.js')), 'the fallback parser is copied next to the bundle');
    assert.ok(text.includes('require("./llhttp-wasm.js")'), 'the fallback is required at run time, not inlined');
    assert.ok(!text.includes('lib/web/fetch/body.js'), 'fetch body encoder left out');
    assert.ok(!text.includes('lib/dispatcher/client-h2.js') && !text.includes('"node:http2"'), 'the HTTP/2 client left out (allowH2 is never set)');
  });

  for (const simd of ['0', '1']) {
    it(`generates through the bundle with UNDICI_NO_WASM_SIMD=${simd}`, async () => {
      const { stdout } = await run(process.execPath, [bundle, server.url], { env: { ...process.env, UNDICI_NO_WASM_SIMD: simd } });
      assert.deepEqual(JSON.parse(stdout.trim()), { images: 1, format: 'png' });
    });
  }
});
