// Measures the image libraries issue 13 weighs, on this machine: sharp, @napi-rs/image,
// wasm-vips and the Squoosh codecs (@jsquash/*). Installs them into a temporary folder (not the
// project), makes a 2048² RGB picture with noise (as hard to compress as a photo), and runs each
// job in a fresh Node process three times: the median time, the slowest (the first, with its
// compile), the process's peak RSS, the output's size. Prints a Markdown table.
//
//   node scripts/compare-image-libraries.mjs
//
// Jobs: resize 2048² → 512² (Lanczos 3) and encode WebP q80; the same to JPEG q80; to AVIF q50
// (where the library has it); PNG: re-compress the 2048² losslessly. Not part of npm test (it
// downloads ~70 MB); its results are in BENCHMARKS.md.

import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const VERSIONS = {
  sharp: '0.35.5',
  '@napi-rs/image': '1.15.0',
  'wasm-vips': '0.0.19',
  '@jsquash/png': '3.1.1',
  '@jsquash/resize': '2.1.1',
  '@jsquash/webp': '1.5.0',
  '@jsquash/jpeg': '1.6.0',
  '@jsquash/oxipng': '2.3.0',
  '@jsquash/avif': '2.1.1',
};

/**
 * A 2048² RGB PNG that compresses about as a photo does: smooth shapes (random sine waves) with
 * sensor-like noise (mulberry32), written with zlib's default level.
 */
function picture(size) {
  const row = size * 3 + 1;
  const raw = Buffer.alloc(row * size);
  let state = 7;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const waves = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => [random() * 0.02, random() * 0.02, random() * 6.28]));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = y * row + 1 + x * 3;
      for (let c = 0; c < 3; c++) {
        const smooth = waves[c].reduce((sum, [fx, fy, phase]) => sum + Math.sin(x * fx + y * fy + phase), 0);
        raw[at + c] = Math.max(0, Math.min(255, Math.round(128 + smooth * 28 + (random() - 0.5) * 16)));
      }
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TASK = String.raw`
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/');
const [lib, job] = process.argv.slice(2);
const src = fs.readFileSync('src2048.png');
const file = (p) => fs.readFileSync(require.resolve(p));
const arrayBuffer = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
async function setup() {
  if (lib === 'sharp') {
    const sharp = require('sharp');
    const small = () => sharp(src).resize(512, 512, { kernel: 'lanczos3' });
    return {
      webp: () => small().webp({ quality: 80 }).toBuffer(),
      jpeg: () => small().jpeg({ quality: 80, mozjpeg: true }).toBuffer(),
      avif: () => small().avif({ quality: 50 }).toBuffer(),
      png: () => sharp(src).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer(),
    };
  }
  if (lib === 'napi') {
    const image = require('@napi-rs/image');
    const small = () => new image.Transformer(src).resize(512, 512, image.ResizeFilterType.Lanczos3);
    return {
      webp: () => small().webp(80),
      jpeg: () => small().jpeg(80),
      avif: () => small().avif({ quality: 50 }),
      png: () => image.losslessCompressPng(src),
    };
  }
  if (lib === 'wasm-vips') {
    const vips = await (await import('wasm-vips')).default();
    const small = () => vips.Image.newFromBuffer(src).resize(0.25, { kernel: 'lanczos3' });
    return {
      webp: () => small().writeToBuffer('.webp', { Q: 80 }),
      jpeg: () => small().writeToBuffer('.jpg', { Q: 80 }),
      png: () => vips.Image.newFromBuffer(src).writeToBuffer('.png', { compression: 9, filter: 'all' }),
    };
  }
  const png = await import('@jsquash/png/decode.js');
  await png.init(await WebAssembly.compile(file('@jsquash/png/codec/pkg/squoosh_png_bg.wasm')));
  const resize = await import('@jsquash/resize');
  await resize.initResize(await WebAssembly.compile(file('@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm')));
  const small = async () => resize.default(await png.decode(arrayBuffer(src)), { width: 512, height: 512, method: 'lanczos3' });
  const webp = await import('@jsquash/webp/encode.js');
  await webp.init({ wasmBinary: file('@jsquash/webp/codec/enc/webp_enc_simd.wasm') });
  const jpeg = await import('@jsquash/jpeg/encode.js');
  await jpeg.init({ wasmBinary: file('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm') });
  const avif = await import('@jsquash/avif/encode.js');
  await avif.init({ wasmBinary: file('@jsquash/avif/codec/enc/avif_enc.wasm') });
  const oxipng = await import('@jsquash/oxipng/optimise.js');
  await oxipng.init(await WebAssembly.compile(file('@jsquash/oxipng/codec/pkg/squoosh_oxipng_bg.wasm')));
  return {
    webp: async () => Buffer.from(await webp.default(await small(), { quality: 80 })),
    jpeg: async () => Buffer.from(await jpeg.default(await small(), { quality: 80 })),
    avif: async () => Buffer.from(await avif.default(await small(), { quality: 50 })),
    png: async () => Buffer.from(await oxipng.default(arrayBuffer(src), { level: 2 })),
  };
}
const tasks = await setup();
if (!tasks[job]) { console.log('{}'); process.exit(0); }
const times = [];
let out;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  out = await tasks[job]();
  times.push(performance.now() - started);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ ms: sorted[1], slowest: sorted[2], rssMB: process.resourceUsage().maxRSS / 1024, bytes: out.length }));
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-libraries-'));
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'image-libraries', private: true, type: 'module' }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', ...Object.entries(VERSIONS).map(([name, version]) => `${name}@${version}`)], {
  cwd: dir,
  stdio: 'inherit',
});
fs.writeFileSync(path.join(dir, 'src2048.png'), picture(2048));
fs.writeFileSync(path.join(dir, 'task.mjs'), TASK);
// sharp's WebAssembly build (one package for every platform): a folder of its own, where npm
// installs it instead of the native one.
// Not inside `dir`: Node would find the native build in its node_modules, up the tree.
const wasmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-libraries-wasm32-'));
fs.writeFileSync(path.join(wasmDir, 'package.json'), JSON.stringify({ name: 'image-libraries-wasm32', private: true, type: 'module' }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--cpu=wasm32', `sharp@${VERSIONS.sharp}`], { cwd: wasmDir, stdio: 'inherit' });
for (const file of ['src2048.png', 'task.mjs']) fs.copyFileSync(path.join(dir, file), path.join(wasmDir, file));

const LIBRARIES = [
  ['sharp', 'sharp 0.35 (libvips, native)'],
  ['sharp', 'sharp 0.35 (libvips, @img/sharp-wasm32)', wasmDir],
  ['napi', '@napi-rs/image 1.15 (Rust, native)'],
  ['wasm-vips', 'wasm-vips 0.0.19 (libvips, WebAssembly)'],
  ['jsquash', '@jsquash/* (Squoosh codecs, WebAssembly)'],
];
const JOBS = ['webp', 'jpeg', 'avif', 'png'];
const cell = (r) =>
  r.ms === undefined ? '—' : `${Math.round(r.ms)} ms (first ${Math.round(r.slowest)}), ${Math.round(r.rssMB)} MB, ${(r.bytes / 1024).toFixed(0)} KB`;
const rows = [];
for (const [lib, name, cwd = dir] of LIBRARIES) {
  const cells = JOBS.map((job) => {
    try {
      return cell(JSON.parse(execFileSync(process.execPath, ['task.mjs', lib, job], { cwd, encoding: 'utf8', timeout: 300_000 }).trim().split('\n').at(-1)));
    } catch (error) {
      return `failed: ${String(error.message).split('\n')[0].slice(0, 60)}`;
    }
  });
  rows.push(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(
  `\nSource: 2048 × 2048 RGB PNG, ${(fs.statSync(path.join(dir, 'src2048.png')).size / 1024 / 1024).toFixed(1)} MB; node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}\n`,
);
console.log('| Library | → 512² WebP q80 | → 512² JPEG q80 | → 512² AVIF q50 | PNG re-compressed (2048²) |');
console.log('| --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
for (const folder of [dir, wasmDir]) fs.rmSync(folder, { recursive: true, force: true });
