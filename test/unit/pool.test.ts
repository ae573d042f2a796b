import * as assert from 'node:assert/strict';
import { GenerationService, type CompletedGeneration, type PoolMember, type ServerAccess } from '../../src/generation/generationService';
import { PoolHealth } from '../../src/generation/poolMembers';
import { planParts } from '../../src/generation/poolPlan';
import type { Log } from '../../src/platform/log';
import type { SdApiClient } from '../../src/sdapi/client';
import { createAgent, type Agent } from '../../src/sdapi/http';
import { startFakeA1111, type FakeA1111, type FakeServerOptions } from '../server/fakeA1111';
import { clientFor, QUICK_TIMEOUTS, smallParameters } from './helpers';
import { SdApiClient as Client } from '../../src/sdapi/client';

const PARAMETERS = smallParameters({ seed: 100, batchCount: 12 });
const quietLog = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Log;
const TXT2IMG = '/sdapi/v1/txt2img';

describe('planParts: a batch split over a pool', () => {
  it("keeps the user's batch size as the part size, with consecutive explicit seeds", () => {
    const parts = planParts({ batchSize: 4, batchCount: 3, seed: 10, members: 2 });
    assert.deepEqual(
      parts.map((p) => [p.firstImage, p.images, p.seed]),
      [
        [0, 4, 10],
        [4, 4, 14],
        [8, 4, 18],
      ],
    );
  });

  it('makes parts smaller when there are fewer than servers, and numbers variation seeds alike', () => {
    const parts = planParts({ batchSize: 8, batchCount: 1, seed: 0, subseed: 50, members: 3 });
    assert.deepEqual(
      parts.map((p) => [p.images, p.seed, p.subseed]),
      [
        [3, 0, 50],
        [3, 3, 53],
        [2, 6, 56],
      ],
    );
    assert.deepEqual(
      planParts({ batchSize: 1, batchCount: 1, seed: 7, members: 4 }).map((p) => p.images),
      [1],
    );
  });
});

describe('a pool of local servers (GenerationService)', () => {
  let servers: FakeA1111[] = [];
  let agent: Agent;
  let notes: string[];
  let service: GenerationService;
  /** Every part handed over for saving: its first image's seed and how many images. */
  let delivered: { seeds: (number | undefined)[]; origin: string }[];

  function clientAt(url: string): SdApiClient {
    return new Client({ baseUrl: url, dispatcher: agent, timeouts: QUICK_TIMEOUTS });
  }

  async function startPool(options: FakeServerOptions[], health = new PoolHealth()): Promise<PoolMember[]> {
    servers = await Promise.all(options.map((o) => startFakeA1111(o)));
    agent = createAgent({ connect: { timeout: 2000 }, keepAliveTimeout: 4000 });
    const members = servers.map((server, i) => ({ name: `GPU ${i + 1}`, client: clientAt(server.url) }));
    notes = [];
    delivered = [];
    const probes = new Map<string, ReturnType<SdApiClient['probe']>>();
    const access: ServerAccess = {
      client: async () => members[0].client,
      samplerCatalog: (client) => client.samplerCatalog(),
      identity: (client) => {
        let probe = probes.get(client.origin);
        if (!probe) {
          probe = client.probe();
          probes.set(client.origin, probe);
          probe.catch(() => probes.delete(client.origin));
        }
        return probe;
      },
      poolMembers: async () => members,
    };
    service = new GenerationService(access, quietLog, (note) => notes.push(note), health);
    return members;
  }

  const deliver = async (done: CompletedGeneration) => {
    delivered.push({ seeds: done.result.images.map((image) => image.seed), origin: done.serverOrigin });
  };

  afterEach(async () => {
    service?.dispose();
    await agent?.close().catch(() => undefined);
    await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
  });

  it('spreads a batch over every server with seeds seed, seed + 1, …, and hands over each part as it arrives', async () => {
    await startPool([{ stepDelayMs: 10 }, { stepDelayMs: 10 }, { stepDelayMs: 10 }]);
    const done = await service.generate(
      { prompt: 'twelve icons', parameters: PARAMETERS },
      { signal: new AbortController().signal, onUpdate: () => undefined, onPart: deliver },
    );
    assert.deepEqual(
      done.result.images.map((image) => image.seed),
      Array.from({ length: 12 }, (_, i) => 100 + i),
    );
    assert.equal(delivered.length, 12, 'twelve parts of one image, each handed over once');
    assert.deepEqual(
      delivered.flatMap((part) => part.seeds).sort((a, b) => a! - b!),
      Array.from({ length: 12 }, (_, i) => 100 + i),
    );
    for (const server of servers) {
      const sent = server.requestsTo(TXT2IMG);
      assert.ok(sent.length >= 2, `${server.url} made ${sent.length} parts`);
      for (const request of sent) {
        const body = request.body as Record<string, unknown>;
        assert.equal(body.batch_size, 1);
        assert.equal(body.n_iter, 1);
        assert.deepEqual(body.override_settings, { sd_model_checkpoint: servers[0].currentModel }, 'the model of the first server everywhere');
      }
    }
  });

  it('sends explicit seeds when the user asked for a random one, so the set can be made again', async () => {
    await startPool([{}, {}]);
    const done = await service.generate(
      { prompt: 'random', parameters: { ...PARAMETERS, seed: -1, batchCount: 4 } },
      { signal: new AbortController().signal, onUpdate: () => undefined },
    );
    const seeds = done.result.images.map((image) => image.seed!);
    assert.ok(seeds[0] >= 0);
    assert.deepEqual(seeds, [seeds[0], seeds[0] + 1, seeds[0] + 2, seeds[0] + 3]);
    const sentSeeds = servers.flatMap((server) => server.requestsTo(TXT2IMG).map((r) => (r.body as { seed: number }).seed)).sort((a, b) => a - b);
    assert.deepEqual(sentSeeds, seeds, 'never -1 on the wire');
  });

  it('makes the part of a server that dies mid-job again on another one, with the same seeds', async () => {
    await startPool([{ stepDelayMs: 20 }, { stepDelayMs: 20 }]);
    const [, dying] = servers;
    const job = service.generate(
      { prompt: 'eight', parameters: { ...PARAMETERS, batchCount: 8 } },
      { signal: new AbortController().signal, onUpdate: () => undefined, onPart: deliver },
    );
    while (!dying.running) await new Promise((resolve) => setTimeout(resolve, 2));
    await dying.close();
    const done = await job;
    assert.deepEqual(
      done.result.images.map((image) => image.seed),
      Array.from({ length: 8 }, (_, i) => 100 + i),
    );
    assert.deepEqual(
      delivered.flatMap((part) => part.seeds).sort((a, b) => a! - b!),
      Array.from({ length: 8 }, (_, i) => 100 + i),
      'each image once',
    );
    assert.ok(
      notes.some((note) => /^"GPU 2" failed \(.+\): its image is made again on another server\.$/.test(note)),
      notes.join(' | '),
    );
  });

  it('leaves out a server that does not answer, says so, and does not try it again for a while', async () => {
    await startPool([{}, {}, {}]);
    await servers[1].close();
    await service.generate({ prompt: 'a', parameters: { ...PARAMETERS, batchCount: 4 } }, { signal: new AbortController().signal, onUpdate: () => undefined });
    assert.ok(
      notes.some((note) => note.startsWith('"GPU 2" is left out of this job:')),
      notes.join(' | '),
    );
    notes = [];
    await service.generate({ prompt: 'b', parameters: { ...PARAMETERS, batchCount: 2 } }, { signal: new AbortController().signal, onUpdate: () => undefined });
    assert.deepEqual(notes, ['"GPU 2" did not answer a moment ago: left out of this job.']);
  });

  it('leaves out a server without the requested model, with a note', async () => {
    await startPool([{}, { models: ['sd_xl_base_1.0'] }, {}]);
    await service.generate(
      { prompt: 'sd15', checkpoint: 'v1-5-pruned-emaonly', parameters: { ...PARAMETERS, batchCount: 6 } },
      { signal: new AbortController().signal, onUpdate: () => undefined },
    );
    assert.deepEqual(notes, ['"GPU 2" has no model "v1-5-pruned-emaonly": left out of this job.']);
    assert.equal(servers[1].requestsTo(TXT2IMG).length, 0);
    assert.equal(servers[0].requestsTo(TXT2IMG).length + servers[2].requestsTo(TXT2IMG).length, 6);
  });

  it('gives a one-image job to the server that is idle, not to one busy with someone else', async () => {
    await startPool([{ stepDelayMs: 20 }, { stepDelayMs: 20 }]);
    const { client: other, agent: otherAgent } = clientFor(servers[0].url);
    const theirs = other.txt2img({ prompt: 'someone else', steps: 20, width: 64, height: 64, seed: 1 });
    while (!servers[0].running) await new Promise((resolve) => setTimeout(resolve, 2));
    await service.generate(
      { prompt: 'one', parameters: { ...PARAMETERS, batchCount: 1 } },
      { signal: new AbortController().signal, onUpdate: () => undefined },
    );
    await theirs;
    await otherAgent.close();
    assert.equal(servers[0].requestsTo(TXT2IMG).length, 1, 'only their job on the busy server');
    assert.equal(servers[1].requestsTo(TXT2IMG).length, 1);
  });

  it('Cancel stops our parts on every server and the job ends cancelled', async () => {
    await startPool([{ stepDelayMs: 30 }, { stepDelayMs: 30 }, { stepDelayMs: 30 }]);
    const controller = new AbortController();
    const job = service.generate(
      { prompt: 'many', parameters: { ...PARAMETERS, steps: 20, batchCount: 9 } },
      { signal: controller.signal, onUpdate: () => undefined },
    );
    while (!servers.every((server) => server.running)) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    await assert.rejects(job, /cancelled/);
    const deadline = Date.now() + 2000;
    while (servers.some((server) => server.requestsTo('/sdapi/v1/interrupt').length === 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (const server of servers) {
      assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 1, `${server.url} interrupted`);
      assert.equal(server.requestsTo(TXT2IMG).length, 1, 'no part started after Cancel');
    }
    assert.equal(service.busy, false);
  });

  it('soak: 200 jobs over 3 servers, one killed and restarted mid-run: every image once, no socket or timer left', async function () {
    this.timeout(60_000);
    const resources = () => {
      const counts = { sockets: 0, timers: 0 };
      for (const kind of process.getActiveResourcesInfo()) {
        if (kind === 'TCPSocketWrap') counts.sockets++;
        if (kind === 'Timeout') counts.timers++;
      }
      return counts;
    };
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = resources();
    await startPool([{ stepDelayMs: 2 }, { stepDelayMs: 2 }, { stepDelayMs: 2 }], new PoolHealth(200));
    const victim = servers[1];
    const port = Number(new URL(victim.url).port);
    const saved = new Map<number, number>();
    let restarted: FakeA1111 | undefined;
    const job = (i: number) =>
      service.generate(
        { prompt: `job ${i}`, parameters: { ...PARAMETERS, seed: 1000 + i * 10, batchCount: 1 } },
        {
          signal: new AbortController().signal,
          onUpdate: () => undefined,
          onPart: async (done) => {
            for (const image of done.result.images) saved.set(image.seed!, (saved.get(image.seed!) ?? 0) + 1);
            if (saved.size === 50) await victim.close();
            if (saved.size === 120 && !restarted) restarted = await startFakeA1111({ stepDelayMs: 2, port });
          },
        },
      );
    // Twenty jobs waiting at any time, as a user's queue would: later jobs choose among the servers up then.
    const outcomes: PromiseSettledResult<unknown>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 200) {
          const i = next++;
          outcomes.push(...(await Promise.allSettled([job(i)])));
        }
      }),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(failed.length, 0, `failed: ${failed.map((o) => String(o.reason)).join(' | ')}`);
    assert.equal(saved.size, 200, 'every image saved');
    assert.deepEqual([...new Set(saved.values())], [1], 'none saved twice');
    assert.ok(restarted, 'the server came back during the run');
    assert.ok(restarted.requestsTo(TXT2IMG).length > 0, 'the restarted server took jobs again');
    servers.push(restarted);
    service.dispose();
    await agent.close();
    await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = resources();
    assert.deepEqual(after, before, 'sockets and timers back to where they were');
  });
});
