import type { Plugin } from 'esbuild';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** Loads the bundle in a fresh Node, makes a PNG and a smaller WebP of it, and says which sharp build did. */
const SCRIPT = `
const { sharp } = require(process.argv[1] + '/imaging.js');
(async () => {
  const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
  const webp = await sharp(png).resize(32, 24).webp({ quality: 80 }).toBuffer();
  const meta = await sharp(webp).metadata();
  const builds = Object.keys(require.cache).filter((file) => /@img[\\\\/]sharp-/.test(file)).map((file) => file.slice(process.argv[1].length + 1).split(require('path').sep).join('/'));
  console.log(JSON.stringify({ format: meta.format, width: meta.width, height: meta.height, alpha: meta.hasAlpha, builds }));
})();
`;

// esbuild.js bundles sharp as dist/imaging.js with its WebAssembly build only: the native
// builds (installed here for development) must not be what the bundle runs.
describe('the image library bundle (esbuild.js sharpWasmOnlyPlugin)', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    const esbuild = await import('esbuild');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS
    const { sharpWasmOnlyPlugin } = require(path.join(REPO, 'esbuild.js')) as { sharpWasmOnlyPlugin: Plugin };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-imaging-'));
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src', 'imaging', 'sharpParts.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(dir, 'imaging.js'),
      logLevel: 'silent',
      plugins: [sharpWasmOnlyPlugin],
    });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs sharp on its WebAssembly build, shipped beside the bundle, never a native one', async () => {
    const { stdout } = await run(process.execPath, ['-e', SCRIPT, dir]);
    const result = JSON.parse(stdout.trim()) as { format: string; width: number; height: number; alpha: boolean; builds: string[] };
    assert.deepEqual([result.format, result.width, result.height, result.alpha], ['webp', 32, 24, true]);
    assert.ok(result.builds.length > 0 && result.builds.every((file) => file.startsWith('node_modules/@img/sharp-wasm32/')), result.builds.join(', '));
    assert.ok(
      fs.existsSync(path.join(REPO, 'node_modules', '@img', `sharp-${process.platform}-${process.arch}`)),
      'a native build is installed here, and was not used',
    );
  });

  it('ships the licences with it', () => {
    for (const file of ['@img/sharp-wasm32/LICENSE', '@img/sharp-wasm32/README.md', 'sharp/LICENSE', '@emnapi/runtime/LICENSE'])
      assert.ok(fs.existsSync(path.join(dir, 'node_modules', file)), file);
  });
});
