// npm run bench [-- --quick] [-- --only upload,response,activation,panel,progress,recipes,pool,mask,assets] [-- --cases 2048]:
// what the extension adds on top of the wire, measured against the local A1111-compatible server
// on loopback. Prints a table and writes BENCHMARKS.md (partial and quick runs: test-results/).
//
// 1-2. Response to files: from request start to all files written and verified, for the
//   extension's path (SdApiClient: request, size limit, streaming image decode, magic-byte check;
//   then temp file + rename + size check, as ImageWriter does through workspace.fs) against two
//   baselines measured in the same run: curl writing the raw body to a file (the transfer floor)
//   and a minimal Node script (one undici request, JSON.parse, base64 decode, write). Peak memory
//   of each path in fresh child processes, against the body size.
// 3. Upload: a 2048² source from disk to request sent, against curl and a minimal script.
// 4. Activation: the integration test that activates the extension in a real VS Code host.
// 5. Panel: the real page in headless Chromium (time to a ready form, a 1,000-entry gallery).
// 6. Progress: one 30 s job through GenerationService: /progress rate, step-to-event delay.
// 7. Recipes: CodeLens and warnings of a 500-entry recipes file; the missing/stale check.
// 8. Pool: 16 images on 1, 2 and 4 servers with a fixed time per image; dispatch cost per job.
// 9. Mask editor: page work per pointer move and frame intervals on a 2048² source.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { SdApiClient } from '../../src/sdapi/client';
import { GenerationService } from '../../src/generation/generationService';
import { FIRST_POLL_MS } from '../../src/generation/progressWatch';
import { MAX_REQUESTS_PER_SECOND } from '../../src/generation/pollSchedule';
import type { ServerAccess } from '../../src/generation/generationService';
import type { Log } from '../../src/platform/log';
import { img2imgPayload } from '../../src/generation/payload';
import { sniffImageFormat, toBase64 } from '../../src/image/format';
import { imageSize } from '../../src/image/imageSize';
import { createAgent, type Agent as ExtensionAgent } from '../../src/sdapi/http';
import { addPngText } from '../../src/image/pngText';
import { readPngHead } from '../../src/image/fileHead';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash, stateOf } from '../../src/recipes/effective';
import { parseManifest } from '../../src/recipes/manifest';
import { startFakeA1111 } from '../server/fakeA1111';
import { poolTimings } from './poolBench';
import { maskTimings } from './maskBench';
import { assetTimings } from './assetBench';
import { sampleForm } from '../support/forms';
import { renderPicture } from '../server/pictures';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../harness/codeServer';
import { openPanelPage, startPageServer } from '../webview/pageServer';

const REPO = path.resolve(__dirname, '..', '..', '..');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 2 : 7;

interface Case {
  name: string;
  count: number;
  size: number;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}
/** `--only response,progress` runs some sections; `--cases 2048` some response cases (for experiments). */
const onlySections = option('--only')?.split(',');
const onlyCases = option('--cases');

const ALL_CASES: Case[] = quick
  ? [
      { name: '1 × 512²', count: 1, size: 512 },
      { name: '4 × 1024²', count: 4, size: 1024 },
    ]
  : [
      { name: '1 × 512²', count: 1, size: 512 },
      { name: '4 × 512²', count: 4, size: 512 },
      { name: '16 × 512²', count: 16, size: 512 },
      { name: '4 × 1024²', count: 4, size: 1024 },
      { name: '4 × 2048²', count: 4, size: 2048 },
    ];
const CASES = onlyCases ? ALL_CASES.filter((c) => c.name.includes(onlyCases)) : ALL_CASES;

/** A txt2img answer as A1111 sends it, with photo-like (noisy) PNGs of realistic size. */
function responseBody({ count, size }: Case): string {
  const images = Array.from({ length: count }, (_, i) => renderPicture({ width: size, height: size, seed: 1000 + i, noise: true }).toString('base64'));
  const info = JSON.stringify({
    all_seeds: images.map((_, i) => 1000 + i),
    index_of_first_image: 0,
    infotexts: images.map((_, i) => `bench\nSteps: 20, Seed: ${1000 + i}`),
  });
  return JSON.stringify({ images, parameters: { prompt: 'bench' }, info });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const spread = (values: number[]) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

type Paths = Record<'curl' | 'minimal' | 'extension', () => Promise<unknown>>;

/**
 * Warms the Node paths up, then times the three paths interleaved RUNS times (so drift on a
 * noisy machine hits all alike). Returns the table cells: the three medians with their
 * min–max, then the extension's ratio to the minimal script and to curl.
 */
async function compare(paths: Paths, runs = RUNS): Promise<{ cells: string; extensionMs: number }> {
  await paths.extension();
  await paths.minimal();
  const results = { curl: [] as number[], minimal: [] as number[], extension: [] as number[] };
  const order = ['curl', 'minimal', 'extension'] as const;
  for (let run = 0; run < runs; run++) {
    // Each run starts with another path, so none always follows the others' garbage.
    for (let i = 0; i < order.length; i++) {
      const key = order[(run + i) % order.length];
      results[key].push(await time(paths[key]));
    }
  }
  const [c, m, e] = [median(results.curl), median(results.minimal), median(results.extension)];
  return {
    cells: `${ms(c)} (${spread(results.curl)}) | ${ms(m)} (${spread(results.minimal)}) | ${ms(e)} (${spread(results.extension)}) | ${(e / m).toFixed(2)}× | ${(e / c).toFixed(2)}×`,
    extensionMs: e,
  };
}

async function extensionPath(url: string, agent: ExtensionAgent, dir: string): Promise<void> {
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
  const response = await request(`${url}/sdapi/v1/txt2img`, {
    method: 'POST',
    body: '{"prompt":"bench"}',
    headers: { 'content-type': 'application/json' },
    dispatcher: agent,
  });
  const body = JSON.parse(await response.body.text()) as { images: string[] };
  await Promise.all(body.images.map((b64, i) => fs.promises.writeFile(path.join(dir, `min-${i}.png`), Buffer.from(b64, 'base64'))));
}

const run = promisify(execFile);

/** Async on purpose: the local server lives in this process and must keep answering. */
async function curl(url: string, dir: string): Promise<void> {
  await run('curl', [
    '-s',
    '-o',
    path.join(dir, 'curl.json'),
    '-X',
    'POST',
    '-H',
    'content-type: application/json',
    '-d',
    '{"prompt":"bench"}',
    `${url}/sdapi/v1/txt2img`,
  ]);
}

/** An upload takes about 0.1 s and its ratio moves with garbage collection: more runs. */
const UPLOAD_RUNS = RUNS * 3;
const BENCH_PARAMETERS = {
  negativePrompt: '',
  steps: 20,
  cfgScale: 7,
  width: 2048,
  height: 2048,
  sampler: 'Euler a',
  scheduler: 'Automatic',
  seed: 1,
  batchSize: 1,
  batchCount: 1,
};

/** img2img as the extension sends it: read the file, check format and size, base64, payload, request. */
async function extensionUpload(url: string, agent: ExtensionAgent, source: string): Promise<void> {
  const client = new SdApiClient({ baseUrl: url, dispatcher: agent, timeouts: { connectSeconds: 10, requestSeconds: 60, generationSeconds: 600 } });
  const bytes = await fs.promises.readFile(source);
  const format = sniffImageFormat(bytes);
  const size = format && imageSize(bytes, format);
  if (!size) throw new Error('source is not an image');
  const body = img2imgPayload(
    'bench',
    BENCH_PARAMETERS,
    { sampler_name: 'Euler a' },
    { sourceBase64: toBase64(bytes), size, denoisingStrength: 0.6, resizeMode: 'cropAndResize' },
  );
  await client.img2img(body);
}

async function minimalUpload(url: string, agent: Agent, source: string): Promise<void> {
  const base64 = (await fs.promises.readFile(source)).toString('base64');
  const response = await request(`${url}/sdapi/v1/img2img`, {
    method: 'POST',
    body: JSON.stringify({ prompt: 'bench', init_images: [base64] }),
    headers: { 'content-type': 'application/json' },
    dispatcher: agent,
  });
  JSON.parse(await response.body.text());
}

async function curlUpload(url: string, prebuiltBody: string): Promise<void> {
  await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-X',
    'POST',
    '-H',
    'content-type: application/json',
    '--data-binary',
    `@${prebuiltBody}`,
    `${url}/sdapi/v1/img2img`,
  ]);
}

/**
 * Section 3: a 2048² source from disk to request sent. The server reads the whole request
 * before it answers (with one tiny image), so the time to the answer is the time to send.
 */
async function uploadTimings(): Promise<string[]> {
  const server = await startFakeA1111();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-upload-'));
  const source = path.join(dir, 'source-2048.png');
  fs.writeFileSync(source, renderPicture({ width: 2048, height: 2048, seed: 7, noise: true }));
  const prebuilt = path.join(dir, 'img2img-body.json');
  fs.writeFileSync(prebuilt, JSON.stringify({ prompt: 'bench', init_images: [fs.readFileSync(source).toString('base64')] }));
  const answer = JSON.stringify({ images: [renderPicture({ width: 64, height: 64, seed: 1 }).toString('base64')], parameters: {}, info: '{}' });
  server.fail({ path: '/sdapi/v1/img2img', fault: { kind: 'status', status: 200, body: answer }, times: 1_000_000 });
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const extensionAgent = createAgent({ keepAliveTimeout: 10_000 });
  try {
    const { cells } = await compare(
      {
        curl: () => curlUpload(server.url, prebuilt),
        minimal: () => minimalUpload(server.url, agent, source),
        extension: () => extensionUpload(server.url, extensionAgent, source),
      },
      UPLOAD_RUNS,
    );
    return [
      '## 3. Upload for img2img (source file on disk → request sent)',
      '',
      `Medians of ${UPLOAD_RUNS} interleaved runs. The local server reads the whole request before answering with one tiny image. The extension path: read the file, check its format and size, base64, build the payload, send; curl sends a prebuilt JSON body from a file (the transfer floor).`,
      '',
      '| Case | Size | curl (prebuilt body) | Minimal Node | Extension path | vs minimal | vs curl |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| 1 × 2048² source | ${mb(fs.statSync(source).size)} file, ${mb(fs.statSync(prebuilt).size)} request | ${cells} |`,
      '',
    ];
  } finally {
    await agent.close();
    await extensionAgent.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak memory of one path, each run in a fresh process (RSS and heap growth over the process's start); medians. */
async function memoryOf(which: 'extension' | 'minimal', url: string): Promise<{ rss: number; heap: number; rssRange: string }> {
  const runs: { rss: number; heap: number }[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const { stdout } = await run(process.execPath, ['--expose-gc', __filename, '--memory-child', which, url], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`memory child printed no result: ${stdout}`);
    runs.push(JSON.parse(line) as { rss: number; heap: number });
  }
  const rss = runs.map((r) => r.rss);
  return { rss: median(rss), heap: median(runs.map((r) => r.heap)), rssRange: rss.length > 1 ? ` (${mb(Math.min(...rss))}–${mb(Math.max(...rss))})` : '' };
}

async function memoryChild(which: string, url: string): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  const timer = setInterval(
    () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed + process.memoryUsage().external + process.memoryUsage().arrayBuffers)),
    5,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-mem-'));
  const agent = which === 'extension' ? createAgent() : new Agent();
  await (which === 'extension' ? extensionPath(url, agent, dir) : minimalNode(url, agent, dir));
  clearInterval(timer);
  await agent.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ rss: peakRss - rss0, heap: peakHeap - heap0 }));
}

/**
 * Section 6: one real job through GenerationService (the code the status bar and the panel
 * listen to) on a server that takes `stepMs` per step: /progress requests per second while it
 * runs, and how long after the server reached a step the update carrying it arrived.
 */
async function progressTimings(): Promise<string[]> {
  // A step time that is no multiple of the polling interval, so steps land at every phase of it.
  const steps = 22;
  const stepMs = quick ? 137 : 1370; // 30 s in the full run
  const server = await startFakeA1111({ stepDelayMs: stepMs });
  const agent = createAgent();
  const client = new SdApiClient({ baseUrl: server.url, dispatcher: agent, timeouts: { connectSeconds: 10, requestSeconds: 60, generationSeconds: 600 } });
  const identity = client.probe();
  const connection = { client: async () => client, samplerCatalog: () => client.samplerCatalog(), identity: () => identity } satisfies ServerAccess;
  const log = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Log;
  const service = new GenerationService(connection, log);
  const seen: { step: number; at: number }[] = [];
  try {
    const started = performance.now();
    await service.generate(
      { prompt: 'bench', parameters: { ...BENCH_PARAMETERS, width: 64, height: 64, steps } },
      {
        signal: new AbortController().signal,
        onUpdate: (update) => {
          const step = /^Step (\d+)\//.exec(update.message)?.[1];
          // "Step n/20" is shown while the server reports n - 1 steps done.
          if (step) seen.push({ step: Number(step) - 1, at: performance.now() });
        },
      },
    );
    const jobSeconds = (performance.now() - started) / 1000;
    // Our own task's progress on servers that follow one (A1111 1.8+, Forge), the global one elsewhere.
    const polls = server.requests.filter((r) => r.path === '/internal/progress' || r.path === '/sdapi/v1/progress').length;
    // Every step the server reached while the job was still reporting (the last one ends it).
    const delays = server.stepsReached
      .filter((reached) => reached.step < steps)
      .map((reached) => (seen.find((s) => s.step >= reached.step)?.at ?? Number.NaN) - reached.at)
      .filter((delay) => Number.isFinite(delay));
    const roundTrips: number[] = [];
    for (let i = 0; i < 10; i++) roundTrips.push(await time(() => client.progress({ skipCurrentImage: true })));
    const rtt = median(roundTrips);
    const p90 = [...delays].sort((a, b) => a - b)[Math.floor(delays.length * 0.9)];
    return [
      '## 6. Progress polling (one job through GenerationService)',
      '',
      `The first progress request ${FIRST_POLL_MS} ms after the job starts, then each timed for the next step (\`src/generation/pollSchedule.ts\`; at most ${MAX_REQUESTS_PER_SECOND} per second): \`POST /internal/progress\` for our own task where the server follows one (A1111 1.8+, Forge; this server), \`GET /sdapi/v1/progress\` elsewhere.`,
      '',
      '| Measure | Result | Goal |',
      '| --- | ---: | ---: |',
      `| Job | ${steps} steps × ${stepMs} ms = ${jobSeconds.toFixed(1)} s | – |`,
      `| Progress requests (${polls} in the job) | ${(polls / jobSeconds).toFixed(2)} per second | at most ${MAX_REQUESTS_PER_SECOND} |`,
      `| Step reached on the server → update in the extension, median (n = ${delays.length}) | ${ms(median(delays))} | under 200 ms |`,
      `| … 90th percentile / maximum | ${ms(p90)} / ${ms(Math.max(...delays))} | under 1 s |`,
      `| Baseline: one \`/progress\` round trip, median of 10 | ${rtt.toFixed(1)} ms | – |`,
      '',
    ];
  } finally {
    service.dispose();
    await agent.close();
    await server.close();
  }
}

interface ActivationReport {
  firstCommandMs: number;
  againCommandMs: number;
  featuresBytes: number;
  activateCallMs: number;
  bundleLoadMs: number;
  undiciLoadMs: number;
  bundleBytes: number;
  vscode: string;
}

/**
 * Section 4: the integration harness's activation test, run in a real VS Code (code-server's
 * extension host) against the bundle in dist/ (the minified one after `npm run package`).
 * Each run is a fresh VS Code, because an extension activates once per host.
 */
async function activationTimings(): Promise<string[]> {
  const reports: ActivationReport[] = [];
  const file = path.join(REPO, 'test-results', 'activation.json');
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    fs.rmSync(file, { force: true });
    await run(process.execPath, [path.join(REPO, 'out', 'test', 'harness', 'runIntegration.js'), '--grep', 'Extension in a real VS Code'], {
      maxBuffer: 16 << 20,
    });
    reports.push(JSON.parse(fs.readFileSync(file, 'utf8')) as ActivationReport);
  }
  const of = (key: keyof ActivationReport) => reports.map((r) => r[key] as number);
  const value = (n: number) => `${n.toFixed(1)} ms`;
  const range = (values: number[]) =>
    values.length > 1 ? `${value(median(values))} (${value(Math.min(...values))}–${value(Math.max(...values))})` : value(values[0]);
  const load = median(of('bundleLoadMs'));
  const call = median(of('activateCallMs'));
  const bundle = fs.statSync(path.join(REPO, 'dist', 'extension.js')).size;
  const vsixPath = path.join(REPO, 'dist', 'stable-diffusion-studio.vsix');
  const vsix = fs.existsSync(vsixPath) ? fs.statSync(vsixPath).size : undefined;
  return [
    '## 4. Activation and size',
    '',
    `Measured inside VS Code ${reports[0].vscode} (code-server's extension host) by the integration test "activates once startup has finished…", in ${reports.length} fresh VS Code instance(s): the extension activates once per host, when VS Code's startup has finished (so its status bar item is there from the start). The same test fails if the extension makes a synchronous file system call or loads its HTTP client while it activates.`,
    '',
    '| Measure | Result | Goal |',
    '| --- | ---: | ---: |',
    `| Require the bundle (${(reports[0].bundleBytes / 1024).toFixed(0)} KB), fresh copy, median of 5 per host | ${range(of('bundleLoadMs'))} | – |`,
    `| \`activate()\` itself (timed by the extension, in its log) | ${range(of('activateCallMs'))} | – |`,
    `| **Require + activate()** | **${value(load + call)}** | under 20 ms |`,
    `| Baseline: require undici's full package in the same host | ${range(of('undiciLoadMs'))} | bundle load = ${(load / median(of('undiciLoadMs'))).toFixed(2)}× |`,
    `| First command after activation: loads \`dist/features.js\` (${(reports[0].featuresBytes / 1024).toFixed(0)} KB), builds the panel and recipes objects, runs Show Log | ${range(of('firstCommandMs'))} | – |`,
    `| The same command again | ${range(of('againCommandMs'))} | – |`,
    '',
    `- Bundle \`dist/extension.js\`: ${(bundle / 1024).toFixed(1)} KB${reports[0].bundleBytes === bundle ? '' : ' (rebuilt since)'}; goal under 300 KB minified (\`npm run bench\` measures the minified bundle \`npm run package\` builds). What user actions need beyond activation is in \`dist/features.js\` (${(reports[0].featuresBytes / 1024).toFixed(1)} KB), loaded on the first command, agent tool, recipes file or restored panel`,
    vsix ? `- Package \`.vsix\`: ${(vsix / 1024).toFixed(1)} KB` : '- Package `.vsix`: not built (run `npm run package`)',
    '',
  ];
}

/** Section 5: the panel page in headless Chromium: ready time, a 1,000-entry gallery's first paint, memory. */
async function panelTimings(): Promise<string[]> {
  const server = await startPageServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
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
        id: `id-${i}`,
        src: `${server.origin}/images/${(i % 50) + 1}.png`,
        relativePath: `generated-images/${i}.png`,
        prompt: `prompt number ${i}, a flat vector icon`,
        negativePrompt: '',
        seed: i,
        width: 512,
        height: 512,
        model: 'sd_xl_base_1.0',
        kind: 'txt2img' as const,
        createdAt: Date.UTC(2026, 10, 24) - i * 60_000,
      }));
      const firstPaint = await page.evaluate(
        async (message) => {
          const started = performance.now();
          window.postMessage(message, '*');
          await new Promise((resolve) => setTimeout(resolve, 0));
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          return performance.now() - started;
        },
        {
          type: 'init',
          defaults: sampleForm({ prompt: '' }),
          gallery: items,
          jobs: [],
          server: { origin: 'http://127.0.0.1:7860' },
        },
      );
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
  const range = (values: number[]) => `${ms(median(values))} (${spread(values)})`;
  return [
    '## 5. Panel (headless Chromium, the real page and stylesheet)',
    '',
    '| Measure | Result | Goal |',
    '| --- | ---: | ---: |',
    `| Page loaded to form ready (script run, \`ready\` posted) | ${range(ready)} | under 200 ms |`,
    `| 1,000-entry gallery: init message to first paint (lazy thumbnails) | ${range(paint)} | under 500 ms |`,
    `| Page memory with 1,000 entries | ${mb(heap)} JS heap, ${nodes} DOM nodes | reported |`,
    '',
  ];
}

/** Sections 1 and 2: each response case timed against curl and the minimal script, then its peak memory. */
async function responseTimings(): Promise<string[]> {
  const rows: string[] = [];
  const memoryRows: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-'));
  const server = await startFakeA1111();
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const extensionAgent = createAgent({ keepAliveTimeout: 10_000 });
  try {
    for (const testCase of CASES) {
      const body = responseBody(testCase);
      const bytes = Buffer.byteLength(body);
      // Every request of this case gets the same precomputed answer: the server's cost is out of the measurement.
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'status', status: 200, body }, times: 1_000_000 });
      const { cells, extensionMs } = await compare({
        curl: () => curl(server.url, dir),
        minimal: () => minimalNode(server.url, agent, dir),
        extension: () => extensionPath(server.url, extensionAgent, dir),
      });
      rows.push(`| ${testCase.name} | ${mb(bytes)} | ${cells} | ${((extensionMs / bytes) * 1048576).toFixed(1)} ms/MB |`);
      const memExt = await memoryOf('extension', server.url);
      const memMin = await memoryOf('minimal', server.url);
      memoryRows.push(
        `| ${testCase.name} | ${mb(bytes)} | ${mb(memMin.rss)}${memMin.rssRange} / ${mb(memMin.heap)} | ${mb(memExt.rss)}${memExt.rssRange} / ${mb(memExt.heap)} | ${(memMin.rss / bytes).toFixed(2)}× | ${(memExt.rss / bytes).toFixed(2)}× |`,
      );
      server.clearFaults();
      console.log(`${testCase.name}: done`);
    }
  } finally {
    await agent.close();
    await extensionAgent.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    '## 1. Response to files (txt2img answer → PNG files written and verified)',
    '',
    'The local server sends a precomputed answer (photo-like PNGs, base64 in JSON), so its own work is out of the measurement. The extension path decodes images while the answer streams in (`src/sdapi/generationBody.ts`); the minimal script reads the whole body, then `JSON.parse`, then decodes.',
    '',
    '| Case | Body | curl → file | Minimal Node | Extension path | vs minimal | vs curl | Extension cost |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `## 2. Peak memory (${quick ? 'one fresh process' : 'median of three fresh processes'} per path and case)`,
    '',
    'Peak RSS growth over the process\'s start; "heap+buffers" is the peak of sampled heap + external + array buffers (garbage not yet collected included).',
    '',
    '| Case | Body | Minimal Node RSS / heap+buffers | Extension RSS / heap+buffers | Minimal RSS ÷ body | Extension RSS ÷ body |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...memoryRows,
    '',
  ];
}

/** In the order they run: the upload first, before the 55 MB answers have grown this process's heap. */
const SECTIONS: { key: string; run: () => Promise<string[]> }[] = [
  { key: 'upload', run: uploadTimings },
  { key: 'response', run: responseTimings },
  { key: 'activation', run: activationTimings },
  { key: 'panel', run: panelTimings },
  { key: 'progress', run: progressTimings },
  { key: 'recipes', run: recipeTimings },
  { key: 'pool', run: () => poolTimings(quick) },
  { key: 'mask', run: () => maskTimings(quick) },
  { key: 'assets', run: () => assetTimings(quick) },
];

/**
 * Section 7: a recipes file of 500 entries. What CodeLens and diagnostics compute after an edit
 * (parse, styles, hashes: no I/O), and the missing/stale check over 500 existing images of
 * 200 KB (100 MB) reading only their metadata chunks, against reading the whole files.
 */
async function recipeTimings(): Promise<string[]> {
  const count = quick ? 50 : 500;
  const assets: Record<string, unknown> = {};
  for (let i = 0; i < count; i++)
    assets[`media/asset-${i}.png`] = { prompt: `asset number ${i}, detailed`, style: `s${i % 4}`, seed: i, ...(i % 3 === 0 ? { size: '1216x832' } : {}) };
  const manifestText = JSON.stringify(
    {
      defaults: { steps: 24, negativePrompt: 'blurry' },
      styles: { s0: 'icon of {prompt}', s1: 'photo of {prompt}', s2: { prompt: '{prompt}, 3d', negativePrompt: 'flat' }, s3: 'sketch of {prompt}' },
      assets,
    },
    null,
    2,
  );
  const compute = () => {
    const manifest = parseManifest(manifestText);
    return manifest.entries.map((entry) => recipeHash(effectiveRecipe(entry, manifest)));
  };
  const computeMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    compute();
    computeMs.push(performance.now() - started);
  }

  // 500 images of about 200 KB, each with its parameters and its recipe's hash before the pixels.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-recipes-'));
  const manifest = parseManifest(manifestText);
  const hashes = compute();
  const picture = renderPicture({ width: 320, height: 320, seed: 7, noise: true });
  const files = manifest.entries.map((entry, i) => {
    const file = path.join(dir, `asset-${i}.png`);
    fs.writeFileSync(
      file,
      addPngText(
        addPngText(picture, 'parameters', `${entry.fields.prompt}\nSteps: 24, Seed: ${i}, Size: 512x512`),
        RECIPE_HASH_KEY,
        i % 10 === 0 ? 'stale' : hashes[i],
      ),
    );
    return { file, recipe: effectiveRecipe(entry, manifest) };
  });
  const totalBytes = files.reduce((sum, f) => sum + fs.statSync(f.file).size, 0);
  const headMs: number[] = [];
  const wholeMs: number[] = [];
  let headBytes = 0;
  let states: string[] = [];
  for (let run = 0; run < 3; run++) {
    let started = performance.now();
    headBytes = 0;
    states = [];
    for (const { file, recipe } of files) {
      const head = await readPngHead(file);
      headBytes += head.read;
      states.push(stateOf(head.bytes, recipe));
    }
    headMs.push(performance.now() - started);
    started = performance.now();
    for (const { file, recipe } of files) stateOf(await fs.promises.readFile(file), recipe);
    wholeMs.push(performance.now() - started);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const stale = states.filter((state) => state === 'stale').length;
  const host = await recipesInVsCode();
  return [
    '## 7. Recipes (a recipes file and its images)',
    '',
    `A recipes file of ${count} entries (4 styles, defaults); ${count} PNG images of ${(picture.length / 1024).toFixed(0)} KB (${mb(totalBytes)}), each with its parameters and a recipe hash before the pixels (${stale} stale). Medians (min–max).`,
    '',
    '| Measure | Result | Goal |',
    '| --- | ---: | ---: |',
    `| After an edit: parse, apply styles and defaults, hash every entry (what CodeLens and diagnostics compute besides the files) | ${ms(median(computeMs))} (${spread(computeMs)}) | under 50 ms |`,
    `| Missing/stale check over ${count} images, metadata chunks only (\`src/image/fileHead.ts\`) | ${ms(median(headMs))} (${spread(headMs)}) | under 1 s |`,
    `| … bytes read | ${mb(headBytes)} of ${mb(totalBytes)} (${((100 * headBytes) / totalBytes).toFixed(1)}%) | no pixels |`,
    `| Baseline: the same check reading whole files | ${ms(median(wholeMs))} (${spread(wholeMs)}) | metadata only = ${(median(headMs) / median(wholeMs)).toFixed(2)}× |`,
    '',
    `Inside VS Code ${host.vscode} (the integration test "Recipes at scale", ${host.entries} entries and images of ${mb(host.imageBytes)} in the workspace, ${host.lenses} lenses; one run):`,
    '',
    '| Measure | Result | Goal |',
    '| --- | ---: | ---: |',
    `| First CodeLens of the file (reads every image's metadata once) | ${ms(host.firstCodeLensMs)} | under 1 s |`,
    `| CodeLens after an edit: the provider, nothing cached for the new version (no image read again) | ${ms(host.providerAfterEditMs)} | under 50 ms |`,
    `| … VS Code's round trip for the same lenses (\`vscode.executeCodeLensProvider\`: conversion and transfer) | ${ms(host.roundTripAfterEditMs)} | – |`,
    `| Warnings after an edit (a 250 ms pause for typing included) | ${ms(host.diagnosticsAfterEditMs)} | – |`,
    '',
  ];
}

interface RecipesInVsCode {
  entries: number;
  lenses: number;
  imageBytes: number;
  firstCodeLensMs: number;
  providerAfterEditMs: number;
  roundTripAfterEditMs: number;
  diagnosticsAfterEditMs: number;
  vscode: string;
}

/** The integration test "Recipes at scale" in a real VS Code; it writes its timings to test-results/. */
async function recipesInVsCode(): Promise<RecipesInVsCode> {
  const file = path.join(REPO, 'test-results', 'recipes-vscode.json');
  fs.rmSync(file, { force: true });
  await run(process.execPath, [path.join(REPO, 'out', 'test', 'harness', 'runIntegration.js'), '--grep', 'Recipes at scale'], { maxBuffer: 16 << 20 });
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RecipesInVsCode;
}

async function main(): Promise<void> {
  const parts: string[][] = [];
  for (const section of SECTIONS) {
    if (onlySections && !onlySections.includes(section.key)) continue;
    parts.push(await section.run());
    console.log(`${section.key}: done`);
  }
  // Each part starts with its "## n." heading: the report lists them by number.
  const numberOf = (part: string[]) => Number(/^## (\d+)\./.exec(part[0] ?? '')?.[1] ?? 0);
  parts.sort((a, b) => numberOf(a) - numberOf(b));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const report = [
    '# Benchmarks',
    '',
    `Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}. Medians of ${RUNS} interleaved runs (min–max in brackets) unless a section says otherwise; ratios are against baselines measured in the same run.`,
    '',
    ...parts.flat(),
    // Measured once by scripts/compare-image-libraries.mjs (it installs the candidates): kept as written.
    fs.readFileSync(path.join(REPO, 'test', 'bench', 'libraries.md'), 'utf8'),
    fs.readFileSync(path.join(REPO, 'test', 'bench', 'history.md'), 'utf8'),
  ].join('\n');
  console.log(`\n${report}`);
  const partial = quick || onlySections || onlyCases;
  fs.writeFileSync(path.join(REPO, partial ? path.join('test-results', `BENCHMARKS.${quick ? 'quick' : 'partial'}.md`) : 'BENCHMARKS.md'), report);
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
