// npm run bench [-- --quick]: what the extension adds on top of the wire, measured against the
// local A1111-compatible server on loopback. Prints a table and writes BENCHMARKS.md.
//
// Response to files: from request start to all files written and verified, for the extension's
// path (SdApiClient: request, size limit, JSON parse, base64 decode, magic-byte check; then
// temp file + rename + size check, as ImageWriter does through workspace.fs) against two
// baselines measured in the same run: curl writing the raw body to a file (the transfer
// floor) and a minimal Node script (one undici request, JSON.parse, base64 decode, write).
// Memory: peak RSS and heap of each path in a child process, against the body size.
//
// Panel: the real page in headless Chromium (time to a ready form, a 1,000-entry gallery).
// Not yet measured here (issue 5 continues): img2img upload, activation time inside VS Code.
// Progress polling is fixed by design at 1 request per second.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { SdApiClient } from '../../src/sdapi/client';
import { PROGRESS_INTERVAL_MS } from '../../src/generation/generationService';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { renderPicture } from '../server/pictures';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../harness/codeServer';
import { openPanelPage, startPageServer } from '../webview/pageServer';

const REPO = path.resolve(__dirname, '..', '..', '..');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 2 : 7;

interface Case {
  name: string;
  count: number;
  size: number;
}

const CASES: Case[] = quick
  ? [{ name: '1 × 512²', count: 1, size: 512 }, { name: '4 × 1024²', count: 4, size: 1024 }]
  : [
      { name: '1 × 512²', count: 1, size: 512 },
      { name: '4 × 512²', count: 4, size: 512 },
      { name: '16 × 512²', count: 16, size: 512 },
      { name: '4 × 1024²', count: 4, size: 1024 },
      { name: '4 × 2048²', count: 4, size: 2048 },
    ];

/** A txt2img answer as A1111 sends it, with photo-like (noisy) PNGs of realistic size. */
function responseBody({ count, size }: Case): string {
  const images = Array.from({ length: count }, (_, i) => renderPicture({ width: size, height: size, seed: 1000 + i, noise: true }).toString('base64'));
  const info = JSON.stringify({ all_seeds: images.map((_, i) => 1000 + i), index_of_first_image: 0, infotexts: images.map((_, i) => `bench\nSteps: 20, Seed: ${1000 + i}`) });
  return JSON.stringify({ images, parameters: { prompt: 'bench' }, info });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function extensionPath(url: string, agent: Agent, dir: string): Promise<void> {
  const client = new SdApiClient({ baseUrl: url, dispatcher: agent, timeouts: { connectSeconds: 10, requestSeconds: 60, generationSeconds: 600 } });
  const result = await client.txt2img({ prompt: 'bench' });
  await Promise.all(
    result.images.map(async (image, i) => {
      const temporary = path.join(dir, `.sdstudio-${i}.tmp`);
      const target = path.join(dir, `ext-${i}.png`);
      await fs.promises.writeFile(temporary, image.bytes);
      await fs.promises.rename(temporary, target);
      if ((await fs.promises.stat(target)).size !== image.bytes.length) throw new Error('size mismatch');
    }),
  );
}

async function minimalNode(url: string, agent: Agent, dir: string): Promise<void> {
  const response = await request(`${url}/sdapi/v1/txt2img`, { method: 'POST', body: '{"prompt":"bench"}', headers: { 'content-type': 'application/json' }, dispatcher: agent });
  const body = JSON.parse(await response.body.text()) as { images: string[] };
  await Promise.all(body.images.map((b64, i) => fs.promises.writeFile(path.join(dir, `min-${i}.png`), Buffer.from(b64, 'base64'))));
}

const run = promisify(execFile);

/** Async on purpose: the local server lives in this process and must keep answering. */
async function curl(url: string, dir: string): Promise<void> {
  await run('curl', ['-s', '-o', path.join(dir, 'curl.json'), '-X', 'POST', '-H', 'content-type: application/json', '-d', '{"prompt":"bench"}', `${url}/sdapi/v1/txt2img`]);
}

/** Peak memory of one path in a fresh process (RSS and heap growth over the process's start). */
async function memoryOf(which: 'extension' | 'minimal', url: string): Promise<{ rss: number; heap: number }> {
  const { stdout } = await run(process.execPath, ['--expose-gc', __filename, '--memory-child', which, url], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`memory child printed no result: ${stdout}`);
  return JSON.parse(line) as { rss: number; heap: number };
}

async function memoryChild(which: string, url: string): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed + process.memoryUsage().external + process.memoryUsage().arrayBuffers)), 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-mem-'));
  const agent = new Agent();
  await (which === 'extension' ? extensionPath(url, agent, dir) : minimalNode(url, agent, dir));
  clearInterval(timer);
  await agent.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ rss: peakRss - rss0, heap: peakHeap - heap0 }));
}

/** Section 5: the panel page in headless Chromium: ready time, a 1,000-entry gallery's first paint, memory. */
async function panelTimings(): Promise<string[]> {
  const server = await startPageServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const ready: number[] = [];
  const paint: number[] = [];
  let heap = 0;
  let nodes = 0;
  try {
    for (let run = 0; run < RUNS + 1; run++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const panel = await openPanelPage(page, server.origin);
      await page.waitForFunction(() => (window as unknown as { __readyAt?: number }).__readyAt !== undefined);
      const readyAt = await page.evaluate(() => (window as unknown as { __readyAt: number }).__readyAt);
      const items = Array.from({ length: 1000 }, (_, i) => ({
        id: `id-${i}`, src: `${server.origin}/images/${(i % 50) + 1}.png`, relativePath: `generated-images/${i}.png`, prompt: `prompt number ${i}, a flat vector icon`,
        negativePrompt: '', seed: i, width: 512, height: 512, model: 'sd_xl_base_1.0', kind: 'txt2img' as const, createdAt: Date.UTC(2026, 10, 24) - i * 60_000,
      }));
      const firstPaint = await page.evaluate(async (message) => {
        const started = performance.now();
        window.postMessage(message, '*');
        await new Promise((resolve) => setTimeout(resolve, 0));
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return performance.now() - started;
      }, { type: 'init', defaults: { mode: 'txt2img', prompt: '', negativePrompt: '', sampler: 'Euler a', scheduler: 'Automatic', steps: 20, cfgScale: 7, seed: -1, width: 512, height: 512, batchSize: 1, batchCount: 1, source: '', denoisingStrength: 0.6, resizeMode: 'cropAndResize' }, gallery: items, jobs: [], server: { origin: 'http://127.0.0.1:7860' } });
      if (run > 0) {
        // The first page warms up the browser; it is not counted.
        ready.push(readyAt);
        paint.push(firstPaint);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
        nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
      }
      if (panel.problems.length > 0) throw new Error(panel.problems.join('\n'));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const range = (values: number[]) => `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
  return [
    `| Page loaded to form ready (script run, \`ready\` posted) | ${range(ready)} | under 200 ms |`,
    `| 1,000-entry gallery: init message to first paint (lazy thumbnails) | ${range(paint)} | under 500 ms |`,
    `| Page memory with 1,000 entries | ${mb(heap)} JS heap, ${nodes} DOM nodes | reported |`,
  ];
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const rows: string[] = [];
  const memoryRows: string[] = [];
  let server: FakeA1111 | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-'));
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  try {
    server = await startFakeA1111();
    for (const testCase of CASES) {
      const body = responseBody(testCase);
      const bytes = Buffer.byteLength(body);
      // Every request of this case gets the same precomputed answer: the server's cost is out of the measurement.
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'status', status: 200, body }, times: 1_000_000 });
      const results = { curl: [] as number[], minimal: [] as number[], extension: [] as number[] };
      await extensionPath(server.url, agent, dir); // warm up connections and code
      await minimalNode(server.url, agent, dir);
      for (let run = 0; run < RUNS; run++) {
        // Interleaved, so drift on a noisy machine hits all three alike.
        results.curl.push(await time(() => curl(server!.url, dir)));
        results.minimal.push(await time(() => minimalNode(server!.url, agent, dir)));
        results.extension.push(await time(() => extensionPath(server!.url, agent, dir)));
      }
      const [c, m, e] = [median(results.curl), median(results.minimal), median(results.extension)];
      const range = (values: number[]) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;
      rows.push(`| ${testCase.name} | ${mb(bytes)} | ${ms(c)} (${range(results.curl)}) | ${ms(m)} (${range(results.minimal)}) | ${ms(e)} (${range(results.extension)}) | ${(e / m).toFixed(2)}× | ${(e / c).toFixed(2)}× | ${(e / bytes * 1048576).toFixed(1)} ms/MB |`);
      const memExt = await memoryOf('extension', server.url);
      const memMin = await memoryOf('minimal', server.url);
      memoryRows.push(`| ${testCase.name} | ${mb(bytes)} | ${mb(memMin.rss)} / ${mb(memMin.heap)} | ${mb(memExt.rss)} / ${mb(memExt.heap)} | ${(memExt.rss / bytes).toFixed(2)}× |`);
      server.clearFaults();
      console.log(`${testCase.name}: done`);
    }
  } finally {
    await agent.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const panelRows = await panelTimings();
  console.log('panel: done');
  const bundle = fs.statSync(path.join(REPO, 'dist', 'extension.js')).size;
  const vsixPath = path.join(REPO, 'dist', 'stable-diffusion-studio.vsix');
  const vsix = fs.existsSync(vsixPath) ? fs.statSync(vsixPath).size : undefined;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const report = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}. Medians of ${RUNS} interleaved runs (min–max in brackets); ratios are against baselines measured in the same run.`,
    '',
    '## 1. Response to files (txt2img answer → PNG files written and verified)',
    '',
    'The local server sends a precomputed answer (photo-like PNGs, base64 in JSON), so its own work is out of the measurement.',
    '',
    '| Case | Body | curl → file | Minimal Node | Extension path | vs minimal | vs curl | Extension cost |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '## 2. Peak memory (one run per fresh process)',
    '',
    '| Case | Body | Minimal Node RSS / heap+buffers | Extension RSS / heap+buffers | Extension RSS ÷ body |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...memoryRows,
    '',
    '## 5. Panel (headless Chromium, the real page and stylesheet)',
    '',
    '| Measure | Result | Goal |',
    '| --- | ---: | ---: |',
    ...panelRows,
    '',
    '## 4. Size',
    '',
    `- Bundle \`dist/extension.js\`: ${(bundle / 1024).toFixed(1)} KB (as built when the benchmark ran; \`npm run package\` builds the minified one)`,
    vsix ? `- Package \`.vsix\`: ${(vsix / 1024).toFixed(1)} KB` : '- Package `.vsix`: not built (run `npm run package`)',
    '',
    '## 6. Progress polling',
    '',
    `- One \`/sdapi/v1/progress\` request every ${PROGRESS_INTERVAL_MS} ms while a job runs (the first after ${PROGRESS_INTERVAL_MS / 2} ms): ${(1000 / PROGRESS_INTERVAL_MS).toFixed(1)} requests per second, so a step is shown at most about ${PROGRESS_INTERVAL_MS / 1000} s after the server reaches it.`,
    '',
    fs.readFileSync(path.join(REPO, 'test', 'bench', 'history.md'), 'utf8'),
  ].join('\n');
  console.log(`\n${report}`);
  fs.writeFileSync(path.join(REPO, quick ? path.join('test-results', 'BENCHMARKS.quick.md') : 'BENCHMARKS.md'), report);
}

if (process.argv[2] === '--memory-child') {
  memoryChild(process.argv[3], process.argv[4]).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
