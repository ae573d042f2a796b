import * as assert from 'node:assert/strict';
import { type GenerationService, type GenerationUpdate } from '../../src/generation/generationService';
import { type startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { clientFor, serviceOnLocalServer, smallParameters } from './helpers';

const PARAMETERS = smallParameters({ steps: 4, width: 512, height: 512, seed: 5, batchSize: 8 });

describe('GenerationService against the local server', () => {
  let server: FakeA1111;
  let close: () => Promise<void>;
  let service: GenerationService;
  /** What the service told the user. */
  let notes: string[] = [];

  async function start(options: Parameters<typeof startFakeA1111>[0]): Promise<void> {
    ({ server, service, notes, close } = await serviceOnLocalServer(options));
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
    const polled = server.requests.filter((r) => r.path === '/internal/progress');
    assert.ok(polled.length > 0, 'our task was polled');
    const lateProgress = polled.filter((r) => r.receivedAt > updates[firstReceiving].at);
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

  describe('your own job on a shared server (force_task_id, /internal/progress)', () => {
    it("shows its place in the queue, never another user's progress or preview, then its own steps", async () => {
      await start({ stepDelayMs: 15 });
      // Another user's long job, sent straight to the server without a task id.
      const { client: other, agent: otherAgent } = clientFor(server.url);
      const theirs = other.txt2img({ prompt: 'someone else', steps: 80, width: 64, height: 64, seed: 1 });
      while (!server.running) await new Promise((resolve) => setTimeout(resolve, 5));
      const updates: { message: string; preview?: string; at: number }[] = [];
      const done = await service.generate(
        { prompt: 'ours', livePreview: true, parameters: { ...PARAMETERS, steps: 90, batchSize: 1 } },
        { signal: new AbortController().signal, onUpdate: (u) => updates.push({ ...u, at: Date.now() }) },
      );
      await theirs;
      await otherAgent.close();
      const sent = done.parameters.force_task_id;
      assert.match(String(sent), /^task\(sdstudio-/);
      const messages = updates.map((u) => u.message);
      const firstStep = messages.findIndex((m) => m.startsWith('Step'));
      assert.ok(messages.slice(0, firstStep).includes("Waiting in the server's queue: 1 of 1"), messages.join(' | '));
      assert.ok(firstStep > 0, messages.join(' | '));
      for (const step of messages.filter((m) => m.startsWith('Step'))) assert.match(step, /^Step \d+\/90\b/, 'our own 90 steps, never their 80');
      assert.ok(
        updates.some((u) => u.preview),
        'our live preview',
      );
      assert.equal(server.requestsTo('/sdapi/v1/progress').length, 0, "the global progress (anyone's job) is not asked");
    });

    it("Cancel while ours waits in the queue leaves the other user's job running; Cancel while ours runs interrupts it", async () => {
      await start({ stepDelayMs: 15 });
      const { client: other, agent: otherAgent } = clientFor(server.url);
      const theirs = other.txt2img({ prompt: 'someone else', steps: 80, width: 64, height: 64, seed: 1 });
      while (!server.running) await new Promise((resolve) => setTimeout(resolve, 5));
      const waiting = new AbortController();
      const queued = service.generate(
        { prompt: 'ours, queued', parameters: { ...PARAMETERS, steps: 5, batchSize: 1 } },
        { signal: waiting.signal, onUpdate: (u) => u.message.startsWith('Waiting in the server') && waiting.abort() },
      );
      await assert.rejects(queued, /cancelled/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 0, 'their job was not interrupted');
      assert.ok(
        notes.some((note) => note.includes("still waiting in the server's queue")),
        notes.join(' | '),
      );
      const result = await theirs;
      assert.equal(result.images.length, 1);
      await otherAgent.close();

      const running = new AbortController();
      const ours = service.generate(
        { prompt: 'ours, running', parameters: { ...PARAMETERS, steps: 200, batchSize: 1 } },
        { signal: running.signal, onUpdate: (u) => u.message.startsWith('Step') && running.abort() },
      );
      await assert.rejects(ours, /cancelled/);
      const deadline = Date.now() + 2000;
      while (server.requestsTo('/sdapi/v1/interrupt').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 1, 'our running job was interrupted');
    });
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
