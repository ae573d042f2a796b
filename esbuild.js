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
 * sharp in dist/imaging.js with its WebAssembly build only (BENCHMARKS.md, "Image library"): the
 * native builds' requires fail as when they are not installed, so every environment (tests in
 * VS Code, the packaged extension) runs the build users get. The WebAssembly build stays files
 * of their own in dist/node_modules (its threads load its script by path), with the one
 * package it requires, @emnapi/runtime.
 */
const sharpWasmOnlyPlugin = {
  name: 'sharp-wasm-only',
  setup(build) {
    build.onResolve({ filter: /^@img\/sharp-wasm32\// }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^@img\/sharp-[^/]+\/sharp\.node$/ }, (args) => ({ path: args.path, namespace: 'sharp-not-shipped' }));
    // A build from source (sharp's own src/build) is not shipped either. Its requires are template
    // literals, which esbuild would resolve as file globs: they become plain ones first (and the
    // build fails if sharp's loader no longer has them, so an upgrade gets looked at).
    build.onResolve({ filter: /^\.\.\/src\/build\/Release\// }, (args) => ({ path: args.path, namespace: 'sharp-not-shipped' }));
    build.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const fromSource = /require\(`\.\.\/src\/build\/Release\/[^`]*`\)/g;
      if ((source.match(fromSource) ?? []).length !== 2) throw new Error("sharp's loader changed: check sharpWasmOnlyPlugin in esbuild.js");
      return { contents: source.replace(fromSource, 'require("../src/build/Release/sharp.node")'), loader: 'js' };
    });
    build.onLoad({ filter: /.*/, namespace: 'sharp-not-shipped' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`${args.path} is not shipped: Stable Diffusion Studio uses sharp's WebAssembly build`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
    build.onEnd(() => {
      const modules = path.join(path.dirname(build.initialOptions.outfile), 'node_modules');
      const copy = (pkg, files) => {
        for (const file of files) {
          const to = path.join(modules, pkg, file);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(path.join(__dirname, 'node_modules', pkg, file), to);
        }
      };
      const wasm = path.join(__dirname, 'node_modules', '@img', 'sharp-wasm32');
      // With their licences: sharp's (Apache-2.0, its JavaScript is inside imaging.js) and the WebAssembly build's (libvips is LGPL-3.0-or-later; its README says where its source is).
      copy('@img/sharp-wasm32', [
        'package.json',
        'index.cjs',
        'versions.json',
        'LICENSE',
        'README.md',
        ...fs.readdirSync(path.join(wasm, 'lib')).map((file) => `lib/${file}`),
      ]);
      copy('sharp', ['LICENSE']);
      copy('@emnapi/runtime', ['package.json', 'index.js', 'LICENSE', 'dist/emnapi.cjs.js', 'dist/emnapi.cjs.min.js']);
    });
  },
};

/** The panel's icons are VS Code's own (@vscode/codicons): its stylesheet and font beside the page's script. */
const codiconsPlugin = {
  name: 'codicons',
  setup(build) {
    build.onEnd(() => {
      const to = path.join(path.dirname(build.initialOptions.outfile), 'codicons');
      fs.mkdirSync(to, { recursive: true });
      for (const file of ['codicon.css', 'codicon.ttf'])
        fs.copyFileSync(path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist', file), path.join(to, file));
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
    build.onResolve({ filter: /^\.\/sharpParts$/ }, () => ({ path: './imaging.js', external: true }));
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
    plugins: [codiconsPlugin, ...reporting],
  });
  // A library on its own, required on first use (undici on the first request, sharp on the first image operation).
  const library = (entry, outfile, plugins) =>
    esbuild.context({
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      entryPoints: [entry],
      outfile,
      logLevel: 'silent',
      metafile: true,
      plugins: [...plugins, ...reporting],
    });
  const undici = await library('src/sdapi/undiciParts.ts', 'dist/undici.js', [undiciUnusedPathsPlugin]);
  const imaging = await library('src/imaging/sharpParts.ts', 'dist/imaging.js', [sharpWasmOnlyPlugin]);
  if (watch) {
    await Promise.all([webview.watch(), undici.watch(), imaging.watch()]);
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
  for (const ctx of [undici, imaging, webview]) {
    const result = await ctx.rebuild();
    console.log(sizes(result.metafile).join('\n'));
    await ctx.dispose();
  }
}

module.exports = { undiciUnusedPathsPlugin, lazyUndiciPlugin, sharpWasmOnlyPlugin, buildHost };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
