import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import type { GenerationService } from '../../src/generation/generationService';
import { paddedSource } from '../../src/generation/outpaint';
import type { InpaintMask } from '../../src/generation/request';
import { isExtended, MAX_EXTENSION, NO_EXTENSION, paddedSize, sidesForAspect } from '../../src/shared/outpaint';
import { maskCoverage } from '../../src/image/pngPixels';
import { renderPicture } from '../server/pictures';
import { maskPng } from '../support/maskPng';
import { serviceOnLocalServer, smallParameters } from './helpers';

const PARAMETERS = smallParameters();
/** Inpaints a 64 × 64 picture with this mask. */
function inpaint(service: GenerationService, mask: InpaintMask): ReturnType<GenerationService['generate']> {
  const source = { bytes: renderPicture({ width: 64, height: 64, seed: 9 }), format: 'png' as const, size: { width: 64, height: 64 } };
  const img2img = { source, outputSize: { width: 64, height: 64 }, denoisingStrength: 0.75, resizeMode: 'justResize' as const, mask };
  return service.generate({ prompt: 'a red door', parameters: PARAMETERS, img2img }, { signal: new AbortController().signal, onUpdate: () => undefined });
}

/** The left quarter painted. */
const quarter = (x: number) => x < 16;

describe('inpainting masks: how much is painted (image/pngPixels.ts)', () => {
  for (const layout of ['grey', 'greyAlpha', 'rgb', 'rgba'] as const) {
    for (const filter of [0, 1, 2, 3, 4] as const) {
      it(`${layout}, row filter ${filter}`, () => {
        const coverage = maskCoverage(maskPng(64, 32, quarter, { layout, filter }));
        assert.deepEqual(coverage, { width: 64, height: 32, painted: 0.25 });
      });
    }
  }

  it('nothing painted is 0; a picture counts its light pixels; what it cannot read is unknown, not an error', () => {
    assert.equal(maskCoverage(maskPng(8, 8, () => false))?.painted, 0);
    assert.ok((maskCoverage(renderPicture({ width: 16, height: 16, seed: 1 }))?.painted ?? 0) > 0.5);
    assert.equal(maskCoverage(Buffer.from('not a png')), undefined);
    assert.equal(maskCoverage(maskPng(8, 8, quarter).subarray(0, 40)), undefined, 'truncated');
  });
});

describe('inpainting requests against the local server', () => {
  let close: () => Promise<void> = async () => undefined;
  afterEach(() => close());

  it("sends the mask and every inpainting field (A1111's API defaults differ from its UI), recorded in the image", async () => {
    const local = await serviceOnLocalServer();
    close = local.close;
    const png = maskPng(64, 64, quarter);
    const done = await inpaint(local.service, { png, blur: 6, fill: 'original', area: 'masked', padding: 24 });
    const body = local.server.requestsTo('/sdapi/v1/img2img')[0]?.body as Record<string, unknown>;
    assert.equal(body.mask, png.toString('base64'));
    assert.deepEqual(
      [body.mask_blur, body.inpainting_fill, body.inpaint_full_res, body.inpaint_full_res_padding, body.inpainting_mask_invert],
      [6, 1, true, 24, 0],
    );
    assert.equal('mask' in done.parameters, false, 'the mask is not kept with what was sent (it is large)');
    assert.match(done.result.images[0].infotext ?? '', /Mask blur: 6, Masked content: original, Inpaint area: Only masked, Masked area padding: 24/);
  });

  it('a mask that covers nothing is refused in one sentence before anything is sent', async () => {
    const local = await serviceOnLocalServer();
    close = local.close;
    await assert.rejects(
      inpaint(local.service, { png: maskPng(64, 64, () => false), blur: 4, fill: 'original', area: 'whole', padding: 0 }),
      (error: unknown) => error instanceof UserError && error.message.startsWith('The mask covers nothing'),
    );
    assert.equal(local.server.requestsTo('/sdapi/v1/img2img').length, 0);
  });
});

describe('outpainting: the grown canvas (shared/outpaint.ts, generation/outpaint.ts)', () => {
  it('grows the short way to an aspect ratio, evenly, in multiples of 8; an aspect already there adds nothing', () => {
    assert.deepEqual(sidesForAspect({ width: 512, height: 512 }, 16, 9), { extendLeft: 200, extendTop: 0, extendRight: 200, extendBottom: 0 });
    assert.deepEqual(paddedSize({ width: 512, height: 512 }, sidesForAspect({ width: 512, height: 512 }, 16, 9)), { width: 912, height: 512 });
    assert.deepEqual(sidesForAspect({ width: 512, height: 512 }, 9, 16), { extendLeft: 0, extendTop: 200, extendRight: 0, extendBottom: 200 });
    assert.deepEqual(sidesForAspect({ width: 200, height: 100 }, 1, 1), { extendLeft: 0, extendTop: 48, extendRight: 0, extendBottom: 48 });
    assert.deepEqual(sidesForAspect({ width: 512, height: 512 }, 1, 1), NO_EXTENSION);
    assert.equal(isExtended(NO_EXTENSION), false);
    const far = sidesForAspect({ width: 5000, height: 100 }, 1, 1);
    assert.deepEqual([far.extendTop, far.extendBottom], [MAX_EXTENSION, MAX_EXTENSION], 'at most MAX_EXTENSION a side');
  });

  it('takes the padded source only as a PNG of exactly the grown size', () => {
    const sides = { ...NO_EXTENSION, extendLeft: 32, extendRight: 32 };
    const good = renderPicture({ width: 128, height: 64, seed: 2 });
    assert.deepEqual(paddedSource(good, { width: 64, height: 64 }, sides).size, { width: 128, height: 64 });
    const refused = (png: Uint8Array | undefined) =>
      assert.throws(
        () => paddedSource(png, { width: 64, height: 64 }, sides),
        (error: unknown) => error instanceof UserError && /^The extended canvas did not arrive as a 128×64 PNG: choose the source again/.test(error.message),
      );
    refused(renderPicture({ width: 64, height: 64, seed: 2 }));
    refused(Buffer.from('not a png at all, not even close'));
    refused(undefined);
  });
});
