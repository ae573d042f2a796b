// Section 10: asset output on the image library as shipped (sharp's WebAssembly build, loaded
// from dist/imaging.js as the extension loads it) against native sharp (installed for
// development) in the same run: resize a 2048² image to 512² and encode it in each format, and a
// whole icon set from a 1024² image. Each library in a fresh process of its own (peak RSS is the
// process's); the median of the runs.

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { convertImage } from '../../src/imageOps/convert';
import { shapeImages } from '../../src/generation/shapeOutput';
import { makeIconSet } from '../../src/imageOps/iconSet';
import { resizeImage } from '../../src/imageOps/resize';
import type { Sharp } from '../../src/imaging/library';
import { renderPicture } from '../server/pictures';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Timings {
  jobs: Record<string, number>;
  rssMB: number;
}

const JOBS = ['webp', 'jpeg', 'avif', 'png', 'shape', 'icons'] as const;
const LABELS: Record<(typeof JOBS)[number], string> = {
  webp: '2048² → 512², WebP q82',
  jpeg: '2048² → 512², JPEG q82',
  avif: '2048² → 512², AVIF q82',
  png: '2048² → 512², PNG (re-compressed)',
  shape: 'A 1216×640 result → exactly 1200×630 WebP under 200 KB (as a generation is shaped)',
  icons: 'Icon set from 1024² (7 images: 3 in the .ico, 4 PNGs)',
};

/** In the child: run every job `runs` times with the library given, print the medians. */
async function child(library: 'shipped' | 'native', runs: number): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle as the extension loads it, or the package
  const sharp = (library === 'shipped' ? (require(path.join(REPO, 'dist', 'imaging.js')) as { sharp: Sharp }).sharp : require('sharp')) as Sharp;
  const big = { bytes: renderPicture({ width: 2048, height: 2048, seed: 7, noise: true }), format: 'png' as const, name: 'big.png' };
  const square = { bytes: renderPicture({ width: 1024, height: 1024, seed: 8, noise: true }), name: 'square.png' };
  const generated = {
    bytes: renderPicture({ width: 1216, height: 640, seed: 9, noise: true }),
    format: 'png' as const,
    infotext: 'a card\nSteps: 20, Seed: 9, Size: 1216x640',
  };
  const shapeContext = { infotextOf: () => generated.infotext, name: 'card' };
  const jobs: Record<string, () => Promise<unknown>> = {
    webp: async () =>
      convertImage(sharp, { bytes: (await resizeImage(sharp, big, { width: 512, height: 512, fit: 'cover' })).bytes, name: 'x' }, { format: 'webp' }),
    jpeg: async () =>
      convertImage(sharp, { bytes: (await resizeImage(sharp, big, { width: 512, height: 512, fit: 'cover' })).bytes, name: 'x' }, { format: 'jpeg' }),
    avif: async () =>
      convertImage(sharp, { bytes: (await resizeImage(sharp, big, { width: 512, height: 512, fit: 'cover' })).bytes, name: 'x' }, { format: 'avif' }),
    png: async () => resizeImage(sharp, big, { width: 512, height: 512, fit: 'cover' }),
    shape: async () => shapeImages(sharp, [generated], { size: { width: 1200, height: 630, fit: 'cover' }, format: 'webp', budgetKB: 200 }, shapeContext),
    icons: async () => makeIconSet(sharp, square, { background: '#ffffff' }),
  };
  const result: Timings = { jobs: {}, rssMB: 0 };
  for (const name of JOBS) {
    await jobs[name](); // the first run compiles and warms up: not counted
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await jobs[name]();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    result.jobs[name] = times[Math.floor(times.length / 2)]!;
  }
  result.rssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(result));
}

export async function assetTimings(quick: boolean): Promise<string[]> {
  const runs = quick ? 1 : 5;
  const measure = (library: 'shipped' | 'native'): Timings =>
    JSON.parse(
      execFileSync(process.execPath, [__filename, '--asset-child', library, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 })
        .trim()
        .split('\n')
        .at(-1)!,
    ) as Timings;
  const shipped = measure('shipped');
  const native = measure('native');
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return [
    '## 10. Asset output (the image library as shipped)',
    '',
    `sharp's WebAssembly build loaded from \`dist/imaging.js\`, as the extension runs it, against native sharp (installed for development) in the same run; each in a fresh process, the first run of each job not counted, then the median of ${runs}. Sources are photo-like PNGs (noise), so encoders work as hard as on real pictures.`,
    '',
    '| Job | Shipped (WebAssembly) | Native sharp | Shipped ÷ native | Goal |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...JOBS.map(
      (job) =>
        `| ${LABELS[job]} | ${ms(shipped.jobs[job])} | ${ms(native.jobs[job])} | ${(shipped.jobs[job] / native.jobs[job]).toFixed(2)}× | ${job === 'icons' ? 'under 1 s' : '–'} |`,
    ),
    `| Peak RSS of the process (all jobs) | ${shipped.rssMB.toFixed(0)} MB | ${native.rssMB.toFixed(0)} MB | ${(shipped.rssMB / native.rssMB).toFixed(2)}× | reported |`,
    '',
  ];
}

if (process.argv[2] === '--asset-child') {
  child(process.argv[3] as 'shipped' | 'native', Number(process.argv[4])).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
