// Bundles the extension host code (dist/extension.js, and undici on its own: dist/undici.js) and
// the panel's page (dist/webview/panel.js).
// Type-checking is separate (`npm run check-types`): esbuild only strips types.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of VS Code's esbuild problem matcher. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * Keeps undici's code paths we never take out of the bundle (see src/sdapi/http.ts):
 * - the non-SIMD HTTP parser, a 70 KB fallback for CPUs without WebAssembly SIMD, becomes a
 *   file next to the bundle that undici requires only on such a CPU;
 * - fetch's body encoder, which undici loads only for FormData/Blob request bodies (ours are
 *   always JSON strings), becomes a module that says so;
 * - the HTTP/2 client (10 KB), used only when TLS negotiates h2: undici offers h2 in ALPN only
 *   with `allowH2`, which src/sdapi/http.ts never sets, so every connection is HTTP/1.1.
 */
const undiciUnusedPathsPlugin = {
  name: 'undici-unused-paths',
  setup(build) {
    build.onResolve({ filter: /\/llhttp-wasm\.js$/ }, () => ({ path: './llhttp-wasm.js', external: true }));
    build.onResolve({ filter: /^\.\.\/web\/fetch\/body\.js$/ }, () => ({ path: 'fetch-body', namespace: 'undici-unused' }));
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, () => ({ path: 'client-h2', namespace: 'undici-unused' }));
    const stubs = {
      'fetch-body': "exports.extractBody = () => { throw new Error('Stable Diffusion Studio sends JSON strings only'); };",
      'client-h2': "module.exports = () => { throw new Error('Stable Diffusion Studio speaks HTTP/1.1 only (allowH2 is off)'); };",
    };
    build.onLoad({ filter: /.*/, namespace: 'undici-unused' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
    build.onEnd(() => {
      const outdir = path.dirname(build.initialOptions.outfile);
      fs.mkdirSync(outdir, { recursive: true });
      fs.copyFileSync(require.resolve('undici/lib/llhttp/llhttp-wasm.js'), path.join(outdir, 'llhttp-wasm.js'));
    });
  },
};

/**
 * Keeps undici out of dist/extension.js: src/sdapi/http.ts requires `./undiciParts` on the first
 * request, and that is dist/undici.js, bundled on its own. Every activation then loads only our
 * code; undici's 190 KB are read when the first request is made.
 */
const lazyUndiciPlugin = {
  name: 'lazy-undici',
  setup(build) {
    build.onResolve({ filter: /^\.\/undiciParts$/ }, () => ({ path: './undici.js', external: true }));
  },
};

async function main() {
  const node = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: production, sourcemap: !production, sourcesContent: false };
  const contexts = [
    await esbuild.context({
      ...node,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      // ESM builds first: jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow.
      mainFields: ['module', 'main'],
      external: ['vscode'],
      logLevel: 'silent',
      metafile: true,
      plugins: [lazyUndiciPlugin, problemMatcherPlugin],
    }),
    await esbuild.context({
      ...node,
      entryPoints: ['src/sdapi/undiciParts.ts'],
      outfile: 'dist/undici.js',
      logLevel: 'silent',
      metafile: true,
      plugins: [undiciUnusedPathsPlugin, problemMatcherPlugin],
    }),
    // The panel's page: browser code, one IIFE, loaded by the webview through asWebviewUri.
    await esbuild.context({
      entryPoints: ['src/webview/main.ts'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      outfile: 'dist/webview/panel.js',
      logLevel: 'silent',
      metafile: true,
      plugins: [problemMatcherPlugin],
    }),
  ];
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  for (const ctx of contexts) {
    const result = await ctx.rebuild();
    for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(bytes / 1024).toFixed(1)} KB`);
    }
    await ctx.dispose();
  }
}

module.exports = { undiciUnusedPathsPlugin, lazyUndiciPlugin };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
