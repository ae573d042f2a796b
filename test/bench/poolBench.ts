// Section 8 of `npm run bench`: several servers at once (src/generation/pool*.ts). Local servers
// that each take a fixed time per image (a simulated GPU) make 16 images: the wall time on 2 and
// 4 servers against one server in the same run; and what choosing members and splitting costs
// per job, against the same jobs on one server without a pool.

import { GenerationService, type PoolMember, type ServerAccess } from '../../src/generation/generationService';
import type { Log } from '../../src/platform/log';
import { SdApiClient } from '../../src/sdapi/client';
import { createAgent } from '../../src/sdapi/http';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';

const PARAMETERS = {
  negativePrompt: '',
  steps: 10,
  cfgScale: 7,
  width: 64,
  height: 64,
  sampler: 'Euler a',
  scheduler: 'Automatic',
  seed: 1,
  batchSize: 1,
  batchCount: 16,
};
const quietLog = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Log;

interface Pool {
  servers: FakeA1111[];
  service: GenerationService;
  close(): Promise<void>;
}

/** `count` local servers as one pool (one server: the plain single-server path, the baseline). */
async function startPool(count: number, stepDelayMs: number): Promise<Pool> {
  const servers = await Promise.all(Array.from({ length: count }, () => startFakeA1111({ stepDelayMs })));
  const agent = createAgent();
  const timeouts = { connectSeconds: 10, requestSeconds: 60, generationSeconds: 600 };
  const members: PoolMember[] = servers.map((server, i) => ({
    name: `GPU ${i + 1}`,
    client: new SdApiClient({ baseUrl: server.url, dispatcher: agent, timeouts }),
  }));
  const probes = new Map<string, ReturnType<SdApiClient['probe']>>();
  const access: ServerAccess = {
    client: async () => members[0].client,
    samplerCatalog: (client) => client.samplerCatalog(),
    identity: (client) => {
      const probe = probes.get(client.origin) ?? client.probe();
      probes.set(client.origin, probe);
      return probe;
    },
    poolMembers: async () => (count > 1 ? members : undefined),
  };
  const service = new GenerationService(access, quietLog);
  return {
    servers,
    service,
    close: async () => {
      service.dispose();
      await agent.close();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function wallTime(pool: Pool, parameters: typeof PARAMETERS): Promise<number> {
  const started = performance.now();
  const done = await pool.service.generate({ prompt: 'bench', parameters }, { signal: new AbortController().signal, onUpdate: () => undefined });
  if (done.result.images.length !== parameters.batchSize * parameters.batchCount) throw new Error(`made ${done.result.images.length} images`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function poolTimings(quick: boolean): Promise<string[]> {
  const stepMs = quick ? 10 : 50; // 10 steps: 100 ms or 500 ms per image
  const runs = quick ? 1 : 3;
  const sizes = [1, 2, 4];
  const walls = new Map<number, number[]>(sizes.map((n) => [n, []]));
  const spread = new Map<number, number[]>();
  for (let run = 0; run < runs; run++) {
    for (const n of sizes) {
      const pool = await startPool(n, stepMs);
      try {
        walls.get(n)!.push(await wallTime(pool, PARAMETERS));
        spread.set(
          n,
          pool.servers.map((server) => server.requestsTo('/sdapi/v1/txt2img').length),
        );
      } finally {
        await pool.close();
      }
    }
  }
  // Dispatch cost: one-image jobs on servers that answer at once, on a pool of 2 and on one server.
  const jobs = quick ? 20 : 100;
  const perJob = new Map<number, number>();
  for (const n of [1, 2]) {
    const pool = await startPool(n, 0);
    try {
      await wallTime(pool, { ...PARAMETERS, batchCount: 1 }); // warm: probes, connections
      const started = performance.now();
      for (let i = 0; i < jobs; i++) await wallTime(pool, { ...PARAMETERS, batchCount: 1 });
      perJob.set(n, (performance.now() - started) / jobs);
    } finally {
      await pool.close();
    }
  }
  const one = median(walls.get(1)!);
  const imageMs = PARAMETERS.steps * stepMs;
  const rows = sizes.map((n) => {
    const wall = median(walls.get(n)!);
    const speedUp = one / wall;
    const verdict = n === 1 ? '–' : `${(speedUp / n).toFixed(2)} × N ${speedUp >= 0.9 * n ? '(goal met)' : '(below the goal)'}`;
    return `| ${n} server${n > 1 ? 's' : ''} | ${(wall / 1000).toFixed(2)} s | ${speedUp.toFixed(2)}× | ${verdict} | ${spread.get(n)!.join(' + ')} |`;
  });
  const overhead = perJob.get(2)! - perJob.get(1)!;
  return [
    '## 8. Several servers at once (a pool; `src/generation/pool*.ts`)',
    '',
    `16 images (batch size 1, batch count 16) on local servers that take ${imageMs} ms per image (10 steps × ${stepMs} ms, a simulated GPU); median wall time of ${runs} run${runs > 1 ? 's' : ''}. One server is the single-server path (one request of 16); a pool splits the batch into 16 one-image requests with explicit seeds, and each member takes the next when it is free.`,
    '',
    '| Servers | Wall time | Speed-up vs one server | Speed-up / N (goal ≥ 0.9) | Requests per server |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Dispatch cost per job (${jobs} one-image jobs one after another on servers that answer at once): ${perJob.get(2)!.toFixed(1)} ms on a pool of 2 against ${perJob.get(1)!.toFixed(1)} ms on one server without a pool, so choosing the members (each one's model list, the first one's loaded model, whether it is idle) adds ${overhead.toFixed(1)} ms per job.`,
    '',
  ];
}
