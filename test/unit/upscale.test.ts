import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { imageSize } from '../../src/image/imageSize';
import { readPngText } from '../../src/image/pngText';
import { checkChoice, upscaleImage } from '../../src/imageOps/upscale';
import { describeImage } from '../../src/imageOps/describe';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { renderPicture } from '../server/pictures';
import { clientFor, rejectsWith } from './helpers';

const SOURCE = renderPicture({
  width: 96,
  height: 64,
  seed: 7,
  text: { parameters: 'a red fox\nSteps: 20, Sampler: Euler a, Seed: 7, Size: 96x64, Model: sd_xl_base_1.0' },
});

describe('upscaling an image (imageOps/upscale.ts) against the local server', () => {
  let server: FakeA1111;
  let close: () => Promise<void>;

  async function start(flavor?: Parameters<typeof startFakeA1111>[0]): Promise<ReturnType<typeof clientFor>['client']> {
    server = await startFakeA1111(flavor);
    const { client, agent } = clientFor(server.url);
    close = async () => {
      await agent.close();
      await server.close();
    };
    return client;
  }

  afterEach(() => close());

  it('sends the choice as A1111 names it and keeps the parameters, adding what was done', async () => {
    const client = await start({});
    const identity = await client.probe();
    const result = await upscaleImage(
      client,
      identity,
      { bytes: SOURCE, format: 'png' },
      { upscaler: 'R-ESRGAN 4x+', factor: 2, second: { upscaler: 'Lanczos', visibility: 0.3 } },
    );
    assert.deepEqual(imageSize(result.bytes, result.format), { width: 192, height: 128 });
    const text = readPngText(result.bytes);
    assert.match(text.get('parameters') ?? '', /^a red fox\nSteps: 20/);
    assert.equal(text.get('postprocessing'), 'Postprocess upscale by: 2, Postprocess upscaler: R-ESRGAN 4x+, Postprocess upscaler 2: Lanczos');
    const sent = server.requestsTo('/sdapi/v1/extra-single-image')[0]?.body as Record<string, unknown>;
    assert.deepEqual(
      { ...sent, image: typeof sent.image },
      {
        resize_mode: 0,
        show_extras_results: true,
        image: 'string',
        upscaler_1: 'R-ESRGAN 4x+',
        upscaling_resize: 2,
        upscaler_2: 'Lanczos',
        extras_upscaler_2_visibility: 0.3,
      },
    );
  });

  it('a choice the server cannot make is refused before anything is sent, in one sentence', async () => {
    const client = await start({});
    const upscalers = await client.listUpscalers();
    assert.throws(
      () => checkChoice({ upscaler: 'ESRGAN_4x', factor: 2 }, upscalers),
      /^UserError: The server has no upscaler "ESRGAN_4x": choose one of Lanczos, Nearest, R-ESRGAN 4x\+, SwinIR 4x\.$/,
    );
    assert.throws(() => checkChoice({ upscaler: 'Lanczos', factor: 1 }, upscalers), /The factor must be more than 1 and at most 8/);
    assert.throws(() => checkChoice({ upscaler: 'Lanczos', factor: 9 }, upscalers), /at most 8/);
    assert.throws(() => checkChoice({ upscaler: 'None', factor: 2 }, upscalers), /no upscaler "None"/, '"None" upscales nothing');
    // The server's own refusal of an unknown name (A1111's 500 AssertionError) still reads as a sentence.
    const error = await rejectsWith(client.upscale({ image: SOURCE.toString('base64'), upscaler_1: 'ESRGAN_4x', upscaling_resize: 2 }), 'server');
    assert.match(error.message, /could not find upscaler named ESRGAN_4x/);
  });

  it('a server without the extras route says so instead of a 404', async () => {
    const client = await start({ flavor: 'koboldcpp' });
    const identity = await client.probe();
    await assert.rejects(
      upscaleImage(client, identity, { bytes: SOURCE, format: 'png' }, { upscaler: 'Lanczos', factor: 2 }),
      (error: unknown) => error instanceof UserError && /^koboldcpp 1\.77 cannot upscale images/.test(error.message),
    );
    assert.equal(server.requestsTo('/sdapi/v1/extra-single-image').length, 0);
  });
});

describe('describing an image (imageOps/describe.ts) against the local server', () => {
  it("CLIP's sentence or DeepBooru's tags; a server without the route says so before sending", async () => {
    const a1111 = await startFakeA1111({});
    const kobold = await startFakeA1111({ flavor: 'sdcpp' });
    const one = clientFor(a1111.url);
    const two = clientFor(kobold.url);
    try {
      const identity = await one.client.probe();
      assert.equal(await describeImage(one.client, identity, SOURCE, 'clip'), 'a red fox sitting in the snow, digital art, trending on artstation');
      assert.equal(await describeImage(one.client, identity, SOURCE, 'deepdanbooru'), 'fox, snow, no humans, animal focus, outdoors');
      assert.deepEqual(
        a1111.requestsTo('/sdapi/v1/interrogate').map((r) => (r.body as { model: string }).model),
        ['clip', 'deepdanbooru'],
      );
      await assert.rejects(
        describeImage(two.client, await two.client.probe(), SOURCE, 'clip'),
        (error: unknown) => error instanceof UserError && error.message.startsWith('stable-diffusion.cpp server cannot describe images'),
      );
      assert.equal(kobold.requestsTo('/sdapi/v1/interrogate').length, 0);
    } finally {
      await one.agent.close();
      await two.agent.close();
      await a1111.close();
      await kobold.close();
    }
  });
});
