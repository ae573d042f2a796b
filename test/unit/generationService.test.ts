import * as assert from 'node:assert/strict';
import { GenerationService, type GenerationUpdate, type ServerAccess } from '../../src/generation/generationService';
import type { Log } from '../../src/platform/log';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import type { SdApiClient } from '../../src/sdapi/client';
import { clientFor } from './helpers';

const PARAMETERS = {
  negativePrompt: '',
  steps: 4,
  cfgScale: 7,
  width: 512,
  height: 512,
  sampler: 'Euler a',
  scheduler: 'Automatic',
  seed: 5,
  batchSize: 8,
  batchCount: 1,
};
const quietLog = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Log;

describe('GenerationService against the local server', () => {
  let server: FakeA1111;
  let close: () => Promise<void>;
  let service: GenerationService;
  /** What the service told the user. */
  let notes: string[] = [];

  async function start(options: Parameters<typeof startFakeA1111>[0]): Promise<void> {
    server = await startFakeA1111(options);
    const { client, agent } = clientFor(server.url);
    let identity: ReturnType<SdApiClient['probe']> | undefined;
    const connection = {
      client: async () => client,
      samplerCatalog: () => client.samplerCatalog(),
      identity: () => (identity ??= client.probe()),
    } satisfies ServerAccess;
    notes = [];
    service = new GenerationService(connection, quietLog, (note) => notes.push(note));
    close = async () => {
      service.dispose();
      await agent.close();
      await server.close();
    };
  }

  afterEach(() => close());

  it("shows a slow answer's download instead of the last step, and stops polling once it arrives", async () => {
    await start({ stepDelayMs: 150, answerBytesPerSecond: 250_000 });
    const updates: { update: GenerationUpdate; at: number }[] = [];
    const done = await service.generate(
      { prompt: 'eight icons', parameters: PARAMETERS },
      {
        signal: new AbortController().signal,
        onUpdate: (update) => updates.push({ update, at: Date.now() }),
      },
    );
    assert.equal(done.result.images.length, 8);
    const messages = updates.map((u) => u.update.message);
    assert.ok(
      messages.some((m) => /^Step \d+\/4/.test(m)),
      `steps shown: ${messages.join(' | ')}`,
    );
    const receiving = messages.filter((m) => m.startsWith('Receiving images'));
    assert.ok(receiving.length >= 2, `download shown: ${messages.join(' | ')}`);
    assert.match(receiving[0], /^Receiving images · \d+\.\d of \d+\.\d MB$/);
    const firstReceiving = messages.indexOf(receiving[0]);
    assert.ok(firstReceiving > messages.map((m) => m.startsWith('Step')).lastIndexOf(true), 'no step after the download began');
    // Polling stops at the answer's first bytes, at least 400 ms before the first such message.
    const lateProgress = server.requests.filter((r) => r.path === '/sdapi/v1/progress' && r.receivedAt > updates[firstReceiving].at);
    assert.equal(lateProgress.length, 0, 'no /progress request while the answer downloads');
  });

  it("says nothing about a fast answer's download", async () => {
    await start({});
    const messages: string[] = [];
    await service.generate(
      { prompt: 'one icon', parameters: { ...PARAMETERS, batchSize: 1 } },
      { signal: new AbortController().signal, onUpdate: (u) => messages.push(u.message) },
    );
    assert.ok(!messages.some((m) => m.startsWith('Receiving')), messages.join(' | '));
  });

  it('koboldcpp: a seed chosen and recorded, the changed size said, no progress asked for', async () => {
    await start({ flavor: 'koboldcpp' });
    const messages: string[] = [];
    const done = await service.generate(
      { prompt: 'a paper boat', parameters: { ...PARAMETERS, seed: -1, width: 624, height: 416, batchSize: 1 } },
      { signal: new AbortController().signal, onUpdate: (u) => messages.push(u.message) },
    );
    const sent = done.parameters.seed!;
    assert.ok(Number.isInteger(sent) && sent >= 0, `an explicit seed was sent: ${sent}`);
    assert.equal(done.result.images[0].seed, sent, 'the image carries the seed that made it');
    assert.ok(
      notes.some((note) => note.includes('made 576 × 384 instead of the 624 × 416')),
      notes.join(' | '),
    );
    assert.ok(messages.includes('Generating… (this server does not report progress)'), messages.join(' | '));
    assert.equal(server.requestsTo('/sdapi/v1/progress').length, 0, 'no route, no polling');
  });

  it('Cancel on a server without an interrupt route says what happens, and sends nothing it cannot', async () => {
    await start({ flavor: 'sdcpp', stepDelayMs: 30 });
    const controller = new AbortController();
    const pending = service.generate(
      { prompt: 'a slow painting', parameters: { ...PARAMETERS, steps: 20, batchSize: 1 } },
      { signal: controller.signal, onUpdate: () => undefined },
    );
    while (!server.running) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await assert.rejects(pending, /cancelled/);
    assert.ok(
      notes.some((note) => note.startsWith('Cancelled here. This server cannot stop a running job')),
      notes.join(' | '),
    );
    assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 0);
  });

  for (const flavor of ['sdnext', 'sdcpp', 'koboldcpp', 'forge', 'a1111-1.8', 'a1111-1.10'] as const) {
    it(`generates on a ${flavor} server with the default settings and with a combined sampler name`, async () => {
      await start({ flavor });
      for (const wish of [
        { sampler: 'DPM++ 2M', scheduler: 'Automatic' },
        { sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' },
      ]) {
        const done = await service.generate(
          { prompt: 'a fox', parameters: { ...PARAMETERS, ...wish, batchSize: 1 } },
          { signal: new AbortController().signal, onUpdate: () => undefined },
        );
        assert.equal(done.result.images.length, 1, `${flavor}: ${JSON.stringify(wish)}`);
        assert.match(String(done.parameters.sampler_name), /dpm\+\+ ?2m/i, 'the DPM++ 2M the server lists');
      }
    });
  }
});
