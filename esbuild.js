// Bundles the extension host code into one file (dist/extension.js).
// Type-checking is separate (`npm run check-types`): esbuild only strips types.
const esbuild = require('esbuild');

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

async function main() {
  const contexts = [
    await esbuild.context({
      entryPoints: ['src/extension.ts'],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      outfile: 'dist/extension.js',
      external: ['vscode'],
      logLevel: 'silent',
      metafile: true,
      plugins: [problemMatcherPlugin],
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
