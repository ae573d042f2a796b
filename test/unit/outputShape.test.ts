import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { outputFieldsFromStored, requestFromStored } from '../../src/generation/fromParameters';
import { shapeImages, shapes, withParams } from '../../src/generation/shapeOutput';
import { imageSize } from '../../src/image/imageSize';
import { sniffImageFormat } from '../../src/image/format';
import { imageLibrary } from '../../src/imaging/library';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { parseInfotext, settingsOf } from '../../src/metadata/infotext';
import type { GeneratedImage } from '../../src/sdapi/types';
import { generationSizeFor, nativeSideOf, type OutputShape } from '../../src/shared/outputShape';
import { renderPicture } from '../server/pictures';
import { serviceOnLocalServer, smallParameters } from './helpers';

const sharp = imageLibrary();
const INFOTEXT =
  'a red fox, flat icon\nNegative prompt: blurry\nSteps: 3, Sampler: Euler a, Schedule type: Automatic, CFG scale: 7, Seed: 42, Size: 1216x640, Model: sd_xl_base_1.0, Version: v1.10.1';

function generated(width = 1216, height = 640): GeneratedImage {
  return { bytes: renderPicture({ width, height, seed: 42, noise: true }), format: 'png', seed: 42, infotext: INFOTEXT };
}

const context = { infotextOf: (image: GeneratedImage) => image.infotext ?? '', name: 'The image' };

describe('Exact size and format of the saved file (shared/outputShape.ts, generation/shapeOutput.ts)', function () {
  this.timeout(60_000);

  it("knows a model's native side from its name, not from the hash in its title", () => {
    assert.equal(nativeSideOf('sd_xl_base_1.0.safetensors [31e35c80fc]'), 1024);
    assert.equal(nativeSideOf('ponyDiffusionV6XL'), 1024);
    assert.equal(nativeSideOf('flux1-dev-fp8.safetensors'), 1024);
    assert.equal(nativeSideOf('sd3.5_medium'), 1024);
    assert.equal(nativeSideOf('v2-1_768-ema-pruned.safetensors [ad2a33c361]'), 768);
    assert.equal(nativeSideOf('v1-5-pruned-emaonly.safetensors [6ce0161689]'), 512);
    assert.equal(nativeSideOf('dreamshaper_8 [879db523c3]'), 512);
    assert.equal(nativeSideOf('anything [768a1f2e3d]'), 512, 'digits of a hash are not a size');
    assert.equal(nativeSideOf(undefined), 512);
    assert.equal(nativeSideOf('model', 'sdxl'), 1024, "SD.Next's type");
  });

  it("generates at the target's aspect near the native area, in multiples of 8, at most 4:1", () => {
    for (const [target, side] of [
      [{ width: 1200, height: 630 }, 1024],
      [{ width: 1920, height: 600 }, 1024],
      [{ width: 32, height: 32 }, 512],
      [{ width: 1080, height: 1920 }, 768],
    ] as const) {
      const size = generationSizeFor(target, side);
      assert.equal(size.width % 8, 0, `${JSON.stringify(size)} width`);
      assert.equal(size.height % 8, 0, `${JSON.stringify(size)} height`);
      const area = (size.width * size.height) / (side * side);
      assert.ok(area > 0.95 && area < 1.05, `${JSON.stringify(size)} is near ${side}² (${area.toFixed(3)})`);
      const aspect = size.width / size.height / (target.width / target.height);
      assert.ok(aspect > 0.97 && aspect < 1.03, `${JSON.stringify(size)} has the aspect of ${JSON.stringify(target)}`);
    }
    assert.deepEqual(generationSizeFor({ width: 32, height: 32 }, 512), { width: 512, height: 512 });
    const banner = generationSizeFor({ width: 1920, height: 100 }, 1024);
    assert.equal(banner.width / banner.height, 4, 'a 19:1 banner is made at 4:1 and cropped');
  });

  it('asks the server for the size near its loaded model (SDXL), the requested one (SD 1.5), or the side the user chose', async () => {
    const { server, service, close } = await serviceOnLocalServer();
    try {
      const sent = async (request: Partial<Parameters<typeof service.generate>[0]>) => {
        await service.generate(
          { prompt: 'a banner', parameters: smallParameters(), ...request },
          { signal: new AbortController().signal, onUpdate: () => undefined },
        );
        const body = server.requests.filter((r) => r.path === '/sdapi/v1/txt2img').at(-1)?.body as { width: number; height: number };
        return { width: body.width, height: body.height };
      };
      const target = { width: 1200, height: 630, fit: 'cover' as const };
      assert.deepEqual(await sent({ output: { size: target } }), generationSizeFor(target, 1024), 'the server has SDXL loaded');
      assert.deepEqual(await sent({ output: { size: target }, checkpoint: 'v1-5-pruned-emaonly' }), generationSizeFor(target, 512));
      assert.deepEqual(await sent({ output: { size: { ...target, near: 768 } } }), generationSizeFor(target, 768));
      assert.deepEqual(await sent({ output: { size: { ...target, keepGenerationSize: true } } }), { width: 64, height: 64 }, 'a recipe that says its size');
    } finally {
      await close();
    }
  });

  it('resizes to exactly the target and records both sizes; regenerating reads them back', async () => {
    const shape: OutputShape = { size: { width: 1200, height: 630, fit: 'cover' } };
    const [image] = await shapeImages(sharp, [generated()], shape, context);
    assert.ok(image);
    assert.deepEqual(imageSize(image.bytes, image.format), { width: 1200, height: 630 });
    const stored = settingsOf(parseInfotext(image.infotext ?? ''));
    assert.deepEqual([stored.width, stored.height], [1216, 640], 'A1111\'s "Size" stays the generated one');
    assert.deepEqual(stored.output, { width: 1200, height: 630, fit: 'cover' });
    const again = requestFromStored(stored, smallParameters(), { kind: 'regenerate' });
    assert.deepEqual(again.output, { size: { width: 1200, height: 630, fit: 'cover', keepGenerationSize: true } });
    assert.deepEqual([again.parameters.width, again.parameters.height], [1216, 640]);
    assert.deepEqual(
      outputFieldsFromStored(stored),
      { exactSize: true, outputWidth: 1200, outputHeight: 630, outputFit: 'cover', outputBackground: '' },
      'Reuse in Panel',
    );
  });

  it('writes WebP and JPEG with the parameters in EXIF (read back equal), AVIF too, and PNG only when asked to', async () => {
    for (const format of ['webp', 'jpeg'] as const) {
      const [image] = await shapeImages(sharp, [generated(256, 128)], { format, quality: 70 }, { ...context, text: { 'sd-studio-recipe': 'abc123' } });
      assert.equal(sniffImageFormat(image.bytes), format);
      const read = readStoredParameters(image.bytes);
      assert.equal(read?.source, 'exif-user-comment');
      assert.equal(read?.text, withParams(INFOTEXT, [['sd-studio-recipe', 'abc123']]), `${format}: the infotext and the recipe's hash, read back`);
      assert.equal(settingsOf(read.infotext).prompt, 'a red fox, flat icon');
    }
    const [avif] = await shapeImages(sharp, [generated(256, 128)], { format: 'avif', quality: 50 }, context);
    assert.equal(sniffImageFormat(avif.bytes), 'avif');
    assert.deepEqual(imageSize(avif.bytes, 'avif'), { width: 256, height: 128 });
    assert.equal(shapes({ format: 'png' }, [generated()]), false, 'a PNG the server sent is kept as it is');
    assert.equal(shapes({ format: 'png', optimisePng: true }, [generated()]), true);
    assert.equal(shapes({ format: 'webp' }, [generated()]), true);
  });

  it('meets a size budget with the best quality that fits, and says so when none does', async () => {
    const [image] = await shapeImages(sharp, [generated(512, 512)], { format: 'webp', budgetKB: 60 }, context);
    assert.ok(image.bytes.length <= 60 * 1024, `${image.bytes.length} bytes`);
    await assert.rejects(
      shapeImages(sharp, [generated(1024, 1024)], { format: 'jpeg', budgetKB: 2 }, context),
      (error: unknown) => error instanceof UserError && /does not fit in 2 KB as JPEG: at quality 30 it is still \d+ KB/.test(error.message),
    );
  });
});
