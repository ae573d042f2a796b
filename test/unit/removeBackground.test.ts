import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { hasAlpha, removeBackground } from '../../src/imageOps/removeBackground';
import { imageLibrary } from '../../src/imaging/library';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { renderPicture } from '../server/pictures';
import { clientFor } from './helpers';

const sharp = imageLibrary();
const SOURCE = { bytes: renderPicture({ width: 96, height: 64, seed: 4 }), name: 'fox.png' };

describe('Remove Background on the server (imageOps/removeBackground.ts, the rembg extension)', function () {
  this.timeout(20_000);
  let server: FakeA1111 | undefined;
  afterEach(() => server?.close());

  async function on(options: Parameters<typeof startFakeA1111>[0]) {
    server = await startFakeA1111(options);
    const { client, agent } = clientFor(server.url);
    return { client, identity: await client.probe(), close: () => agent.close() };
  }

  for (const flavor of ['a1111-1.10', 'forge'] as const) {
    it(`${flavor}: sends the image, model and matting; the result is transparent where the background was (its pixels read)`, async () => {
      const { client, identity, close } = await on({ flavor, extensions: ['rembg'] });
      try {
        assert.equal(identity.capabilities.rembg, true, 'found by its route');
        const result = await removeBackground(client, identity, SOURCE, { model: 'isnet-general-use', alphaMatting: true });
        const body = server!.requestsTo('/rembg')[0]?.body as Record<string, unknown>;
        assert.deepEqual([body.model, body.alpha_matting, body.alpha_matting_erode_size], ['isnet-general-use', true, 10]);
        assert.equal(body.input_image, SOURCE.bytes.toString('base64'));
        assert.equal(result.format, 'png');
        assert.ok(hasAlpha(result.bytes, result.format));
        const { data, info } = await sharp(result.bytes).raw().toBuffer({ resolveWithObject: true });
        const alpha = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
        assert.deepEqual([info.width, info.height, info.channels], [96, 64, 4]);
        assert.equal(alpha(1, 1), 0, 'the corner is transparent');
        assert.equal(alpha(48, 32), 255, 'the subject is kept');
      } finally {
        await close();
      }
    });
  }

  it('a server without the extension says how to get it, and nothing is sent; a model it does not have is refused first', async () => {
    const { client, identity, close } = await on({ flavor: 'a1111-1.10' });
    try {
      await assert.rejects(
        removeBackground(client, identity, SOURCE, { model: 'u2net', alphaMatting: false }),
        (error: unknown) =>
          error instanceof UserError && /has no background removal: install the rembg extension \(stable-diffusion-webui-rembg/.test(error.message),
      );
      const withIt = { ...identity, capabilities: { ...identity.capabilities, rembg: true } };
      await assert.rejects(
        removeBackground(client, withIt, SOURCE, { model: 'birefnet', alphaMatting: false }),
        (error: unknown) => error instanceof UserError && /^"birefnet" is not a rembg model: choose one of u2net/.test(error.message),
      );
      assert.equal(server!.requestsTo('/rembg').length, 0);
    } finally {
      await close();
    }
  });

  it('tells transparency from the header: PNG colour types and tRNS, WebP flags; a JPEG has none', async () => {
    const rgb = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const rgba = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
      .png()
      .toBuffer();
    assert.deepEqual([hasAlpha(rgb, 'png'), hasAlpha(rgba, 'png')], [false, true]);
    const lossless = await sharp(rgba).webp({ lossless: true }).toBuffer();
    const lossy = await sharp(rgba).webp().toBuffer();
    const opaque = await sharp(rgb).webp().toBuffer();
    assert.deepEqual([hasAlpha(lossless, 'webp'), hasAlpha(lossy, 'webp'), hasAlpha(opaque, 'webp')], [true, true, false]);
    assert.equal(hasAlpha(await sharp(rgb).jpeg().toBuffer(), 'jpeg'), false);
  });
});
