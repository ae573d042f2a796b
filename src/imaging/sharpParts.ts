// sharp, in a module of its own: esbuild.js bundles this file as dist/imaging.js, which
// library.ts requires on first use (activation loads none of it). The bundle ships sharp's
// WebAssembly build only (dist/node_modules/@img/sharp-wasm32: one package for every platform,
// see BENCHMARKS.md, "Image library"); tests outside the bundle load the package as installed.

import type SharpModule from 'sharp';

// Required, not imported: the CommonJS build, whose loader a CommonJS bundle can carry as it is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const sharp = require('sharp') as typeof SharpModule;
