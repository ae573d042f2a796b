// Bundles the extension host code (dist/extension.js for activation, dist/features.js for user
// actions, undici on its own: dist/undici.js) and the panel's page (dist/webview/panel.js).
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

const reporting = watch ? [problemMatcherPlugin] : [];

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

/**
 * Splits the extension host's code in two: dist/extension.js, what activation needs, and
 * dist/features.js, what user actions need (src/features/index.ts, imported lazily). A module
 * both reach lives once, in dist/extension.js, which hands it to dist/features.js at run time
 * through its `__shared` export: classes, caches and `instanceof` stay single. Three builds:
 * the activation bundle (to learn its modules), the features bundle (which of those it uses),
 * then the activation bundle again, exporting those.
 */
async function buildHost({ outdir = 'dist', production = false, root = __dirname } = {}) {
  const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: production, sourcemap: !production, sourcesContent: false };
  const host = { ...common, mainFields: ['module', 'main'], external: ['vscode'], logLevel: 'silent', metafile: true, absWorkingDir: root };
  // `import('./features/index')` becomes a plain require of dist/features.js when first called.
  const lazyFeaturesPlugin = {
    name: 'lazy-features',
    setup(build) {
      build.onResolve({ filter: /^\.\/features\/index$/ }, () => ({ path: 'features', namespace: 'lazy-features' }));
      build.onResolve({ filter: /^\.\/features\.js$/, namespace: 'lazy-features' }, () => ({ path: './features.js', external: true }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-features' }, () => ({ contents: "module.exports = require('./features.js');", loader: 'js' }));
    },
  };
  const first = await esbuild.build({
    ...host,
    entryPoints: ['src/extension.ts'],
    write: false,
    outfile: path.join(outdir, 'extension.js'),
    plugins: [lazyUndiciPlugin, lazyFeaturesPlugin],
  });
  const inCore = new Set(Object.keys(first.metafile.inputs));
  const used = new Set();
  const features = await esbuild.build({
    ...host,
    entryPoints: ['src/features/index.ts'],
    outfile: path.join(outdir, 'features.js'),
    // ESM builds first (as above): jsonc-parser's UMD build requires its parts dynamically.
    plugins: [lazyUndiciPlugin, sharedFromCorePlugin(inCore, used, root), ...reporting],
  });
  const shared = [...used].sort();
  const entry = [
    "export { activate, deactivate } from './src/extension';",
    ...shared.map((file, i) => `import * as m${i} from ${JSON.stringify(path.resolve(root, file))};`),
    `export const __shared = { ${shared.map((file, i) => `${JSON.stringify(file)}: m${i}`).join(', ')} };`,
  ].join('\n');
  const core = await esbuild.build({
    ...host,
    stdin: { contents: entry, resolveDir: root, sourcefile: 'src/extension.entry.ts', loader: 'ts' },
    outfile: path.join(outdir, 'extension.js'),
    plugins: [lazyUndiciPlugin, lazyFeaturesPlugin, ...reporting],
  });
  return { core: core.metafile, features: features.metafile, shared };
}

/** In the features bundle, a module the activation bundle holds becomes a lookup in its `__shared`. */
function sharedFromCorePlugin(inCore, used, root) {
  return {
    name: 'shared-from-core',
    setup(build) {
      build.onResolve({ filter: /^\.\/extension\.js$/, namespace: 'from-core' }, () => ({ path: './extension.js', external: true }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'inner' || args.path === 'vscode' || args.kind === 'entry-point') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' });
        if (resolved.errors.length > 0 || resolved.external) return resolved;
        const file = path.relative(root, resolved.path).split(path.sep).join('/');
        if (!inCore.has(file)) return resolved;
        used.add(file);
        return { path: file, namespace: 'from-core' };
      });
      build.onLoad({ filter: /.*/, namespace: 'from-core' }, (args) => ({
        contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

async function main() {
  const webview = await esbuild.context({
    // The panel's page: browser code, one IIFE, loaded by the webview through asWebviewUri.
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
    plugins: reporting,
  });
  const undici = await esbuild.context({
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    entryPoints: ['src/sdapi/undiciParts.ts'],
    outfile: 'dist/undici.js',
    logLevel: 'silent',
    metafile: true,
    plugins: [undiciUnusedPathsPlugin, ...reporting],
  });
  if (watch) {
    await Promise.all([webview.watch(), undici.watch()]);
    // The host's two bundles are built together (see buildHost): rebuilt on any change under src/.
    let timer;
    const rebuild = () => buildHost({ production }).catch((error) => console.error(`✘ [ERROR] ${error.message}`));
    await rebuild();
    fs.watch('src', { recursive: true }, () => {
      globalThis.clearTimeout(timer);
      timer = globalThis.setTimeout(rebuild, 100);
    });
    return;
  }
  const sizes = (metafile) =>
    Object.entries(metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, { bytes }]) => `${file}  ${(bytes / 1024).toFixed(1)} KB`);
  const { core, features, shared } = await buildHost({ production });
  console.log([...sizes(core), ...sizes(features), `  (${shared.length} modules shared by the two)`].join('\n'));
  for (const ctx of [undici, webview]) {
    const result = await ctx.rebuild();
    console.log(sizes(result.metafile).join('\n'));
    await ctx.dispose();
  }
}

module.exports = { undiciUnusedPathsPlugin, lazyUndiciPlugin, buildHost };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
