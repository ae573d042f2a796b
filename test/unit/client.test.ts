import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from '../../src/sdapi/http';
import { readPngText } from '../../src/image/pngText';
import { basicAuthHeader } from '../../src/sdapi/auth';
import type { SdApiClient } from '../../src/sdapi/client';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { clientFor, rejectsWith } from './helpers';

describe('SdApiClient against the local A1111-compatible server', () => {
  let server: FakeA1111;
  let client: SdApiClient;
  let agent: Agent;

  beforeEach(async () => {
    server = await startFakeA1111();
    ({ client, agent } = clientFor(server.url));
  });

  afterEach(async () => {
    await agent.close();
    await server.close();
  });

  describe('txt2img', () => {
    it('returns decoded PNGs with the real seeds and the parameters text chunk', async () => {
      const result = await client.txt2img({ prompt: 'a red fox icon', steps: 4, width: 64, height: 48, batch_size: 2, seed: 77 });
      assert.equal(result.images.length, 2);
      assert.deepEqual(
        result.images.map((i) => i.seed),
        [77, 78],
      );
      for (const image of result.images) {
        assert.equal(image.format, 'png');
        const view = Buffer.from(image.bytes);
        assert.equal(view.readUInt32BE(16), 64, 'PNG width');
        assert.equal(view.readUInt32BE(20), 48, 'PNG height');
        assert.match(readPngText(image.bytes).get('parameters') ?? '', /^a red fox icon\nSteps: 4, /);
        assert.match(image.infotext ?? '', new RegExp(`Seed: ${image.seed},`));
      }
    });

    it('reads the seed from info.all_seeds when the request asked for a random one', async () => {
      const result = await client.txt2img({ prompt: 'x', seed: -1, steps: 1, width: 8, height: 8 });
      assert.equal(result.parameters.seed, -1, 'parameters only echoes the request');
      assert.ok(typeof result.images[0].seed === 'number' && result.images[0].seed >= 0);
      assert.deepEqual(result.info.all_seeds, [result.images[0].seed]);
    });

    it('always asks the server to send the images and not to keep them', async () => {
      await client.txt2img({ prompt: 'x', steps: 1, width: 8, height: 8 });
      const sent = server.requestsTo('/sdapi/v1/txt2img')[0].body as Record<string, unknown>;
      assert.equal(sent.send_images, true);
      assert.equal(sent.save_images, false);
    });

    it('maps a pydantic 422 to field errors', async () => {
      const error = await rejectsWith(client.txt2img({ prompt: 'x', steps: 'many' as unknown as number }), 'validation');
      assert.deepEqual(error.fieldErrors, [{ field: 'steps', message: 'value is not a valid integer' }]);
      assert.match(error.message, /steps: value is not a valid integer/);
    });

    it('reports an A1111 500 with the exception and its text', async () => {
      server.fail({
        path: '/sdapi/v1/txt2img',
        fault: {
          kind: 'status',
          status: 500,
          body: { error: 'OutOfMemoryError', detail: '', body: '', errors: 'CUDA out of memory. Tried to allocate 2.00 GiB' },
        },
      });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'server');
      assert.match(error.message, /OutOfMemoryError: CUDA out of memory/);
      assert.match(error.message, /check the server's console/);
    });

    it('reports a Forge-style 500 that uses "message"', async () => {
      server.fail({
        path: '/sdapi/v1/txt2img',
        fault: { kind: 'status', status: 500, body: { error: 'ValueError', detail: '', body: '', message: 'bad size' } },
      });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'server');
      assert.match(error.message, /ValueError: bad size/);
    });

    it('says "proxy" for an HTML 502/504 page', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'html', status: 504 } });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'gateway');
      assert.match(error.message, /proxy/);
      assert.equal(error.details.status, 504);
    });

    it('says "web page" for an HTML 200 (a login page in front of the API)', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'status', status: 200, body: '<!DOCTYPE html><html>Sign in</html>', contentType: 'text/html' } });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'notJson');
      assert.match(error.message, /web page/);
    });

    it('rejects invalid JSON', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'invalidJson' } });
      await rejectsWith(client.txt2img({ prompt: 'x' }), 'badResponse');
    });

    it('reports a connection cut mid-body', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'truncate' } });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'connectionLost');
      assert.match(error.message, /broke before the answer was complete/);
    });

    it('rejects images that are not images', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'notImage' } });
      await rejectsWith(client.txt2img({ prompt: 'x' }), 'notImage');
    });

    it('rejects an answer without images', async () => {
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'noImages' } });
      await rejectsWith(client.txt2img({ prompt: 'x' }), 'noImages');
    });

    it('times out when the server never answers', async () => {
      ({ client, agent } = clientFor(server.url, { timeouts: { generationSeconds: 0.3 } }));
      server.fail({ path: '/sdapi/v1/txt2img', fault: { kind: 'hang' } });
      const error = await rejectsWith(client.txt2img({ prompt: 'x' }), 'timeout');
      assert.match(error.message, /did not answer within 0.3 s/);
    });

    it('refuses a response larger than the limit', async () => {
      ({ client, agent } = clientFor(server.url, { maxResponseBytes: 2000 }));
      await rejectsWith(client.txt2img({ prompt: 'x', width: 256, height: 256, steps: 1 }), 'tooLarge');
    });

    it('aborts on the signal', async () => {
      server.setOptions({ stepDelayMs: 50 });
      const controller = new AbortController();
      const pending = client.txt2img({ prompt: 'x', steps: 40, width: 8, height: 8 }, controller.signal);
      setTimeout(() => controller.abort(), 50);
      await rejectsWith(pending, 'aborted');
      await client.interrupt();
    });
  });

  describe('img2img', () => {
    it('sends the init image and returns a result that depends on it', async () => {
      const source = (await client.txt2img({ prompt: 'source', seed: 5, steps: 1, width: 32, height: 32 })).images[0].bytes;
      const a = await client.img2img({
        prompt: 'p',
        seed: 9,
        steps: 1,
        width: 32,
        height: 32,
        init_images: [Buffer.from(source).toString('base64')],
        denoising_strength: 0.5,
      });
      const sent = server.requestsTo('/sdapi/v1/img2img')[0].body as Record<string, unknown>;
      assert.deepEqual(sent.init_images, [Buffer.from(source).toString('base64')]);
      assert.equal(sent.denoising_strength, 0.5);
      const other = (await client.txt2img({ prompt: 'source', seed: 6, steps: 1, width: 32, height: 32 })).images[0].bytes;
      const b = await client.img2img({ prompt: 'p', seed: 9, steps: 1, width: 32, height: 32, init_images: [Buffer.from(other).toString('base64')] });
      assert.notDeepEqual(Buffer.from(a.images[0].bytes), Buffer.from(b.images[0].bytes));
      assert.match(a.images[0].infotext ?? '', /Denoising strength: 0.5/);
    });

    it('reports the A1111 404 for a missing init image as a server message, not as a missing API', async () => {
      const error = await rejectsWith(client.img2img({ prompt: 'p', init_images: [] }), 'notFound');
      assert.match(error.message, /Init image not found/);
    });
  });

  describe('authentication', () => {
    beforeEach(async () => {
      await agent.close();
      await server.close();
      server = await startFakeA1111({ auth: { username: 'alice', password: 's3cret:pw' } });
    });

    it('sends Basic credentials', async () => {
      ({ client, agent } = clientFor(server.url, { credentials: { username: 'alice', password: 's3cret:pw' } }));
      const models = await client.listModels();
      assert.ok(models.length > 0);
      assert.equal(server.requests[0].authorization, basicAuthHeader({ username: 'alice', password: 's3cret:pw' }));
    });

    it('tells a missing credential from a wrong one (no WWW-Authenticate needed)', async () => {
      ({ client, agent } = clientFor(server.url));
      const missing = await rejectsWith(client.listModels(), 'unauthorized');
      assert.match(missing.message, /requires a username and password/);
      await agent.close();
      ({ client, agent } = clientFor(server.url, { credentials: { username: 'alice', password: 'wrong' } }));
      const wrong = await rejectsWith(client.listModels(), 'unauthorized');
      assert.match(wrong.message, /rejected the username or password/);
      assert.doesNotMatch(wrong.message + wrong.describe(), /wrong/, 'the password never appears in errors');
    });
  });

  describe('server states', () => {
    it('recognises a server started without --api', async () => {
      server.setOptions({ api: false });
      const error = await rejectsWith(client.listModels(), 'noApi');
      assert.match(error.message, /--api/);
    });

    it('recognises a refused connection', async () => {
      const closed = http.createServer();
      closed.listen(0, '127.0.0.1');
      await new Promise((resolve) => closed.once('listening', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const { client: refused, agent: refusedAgent } = clientFor(`http://127.0.0.1:${port}`);
      try {
        const error = await rejectsWith(refused.listModels(), 'unreachable');
        assert.match(error.message, /Cannot connect to http:\/\/127\.0\.0\.1:\d+: check that the server is running/);
      } finally {
        await refusedAgent.close();
      }
    });

    it('does not follow redirects (credentials must not travel elsewhere)', async () => {
      const redirector = http.createServer((_req, res) => {
        res.writeHead(307, { location: 'http://elsewhere.invalid/sdapi/v1/sd-models' });
        res.end();
      });
      redirector.listen(0, '127.0.0.1');
      await new Promise((resolve) => redirector.once('listening', resolve));
      const { client: redirected, agent: redirectAgent } = clientFor(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}`, {
        credentials: { username: 'u', password: 'p' },
      });
      try {
        const error = await rejectsWith(redirected.listModels(), 'http');
        assert.match(error.message, /redirected the request to http:\/\/elsewhere\.invalid/);
      } finally {
        await redirectAgent.close();
        await new Promise((resolve) => redirector.close(resolve));
      }
    });
  });

  describe('models, options, samplers, progress, interrupt', () => {
    it('lists models and switches the checkpoint through options', async () => {
      const models = await client.listModels();
      assert.equal(models.length, 3);
      assert.equal((await client.getOptions()).sd_model_checkpoint, models[0].title);
      await client.setOptions({ sd_model_checkpoint: models[1].title });
      assert.equal((await client.getOptions()).sd_model_checkpoint, models[1].title);
    });

    it('reports an unknown checkpoint with the server text', async () => {
      const error = await rejectsWith(client.setOptions({ sd_model_checkpoint: 'nope' }), 'server');
      assert.match(error.message, /RuntimeError: model 'nope' not found/);
    });

    it('reads split samplers and schedulers from A1111 1.10, and no schedulers from 1.8', async () => {
      const catalog = await client.samplerCatalog();
      assert.ok(catalog.samplers.some((s) => s.name === 'DPM++ 2M'));
      assert.ok(catalog.schedulers?.some((s) => s.label === 'Karras'));
      server.setOptions({ flavor: 'a1111-1.8' });
      const legacy = await client.samplerCatalog();
      assert.equal(legacy.schedulers, undefined);
      assert.ok(legacy.samplers.some((s) => s.name === 'DPM++ 2M Karras'));
      server.setOptions({ flavor: 'sdnext' });
      const sdnext = await client.samplerCatalog();
      assert.equal(sdnext.schedulers, undefined, "SD.Next's sampler list under /schedulers is not a scheduler list");
    });

    it('reports progress while a job runs and interrupts it', async () => {
      server.setOptions({ stepDelayMs: 20 });
      const job = client.txt2img({ prompt: 'slow', steps: 200, width: 16, height: 16, seed: 3 });
      let progress = await client.progress({ skipCurrentImage: false });
      for (let i = 0; i < 50 && progress.state.sampling_step < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        progress = await client.progress({ skipCurrentImage: false });
      }
      assert.equal(progress.state.sampling_steps, 200);
      assert.ok(progress.progress > 0 && progress.progress < 1);
      assert.ok(progress.current_image, 'a live preview');
      await client.interrupt();
      const result = await job;
      assert.equal(result.images.length, 1, 'an interrupted job still returns its partial image');
      const idle = await client.progress({ skipCurrentImage: true });
      assert.equal(idle.state.job_count, 0);
    });
  });
});
