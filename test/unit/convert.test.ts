import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { convertImage, parseQualityOrBudget } from '../../src/imageOps/convert';
import { imageLibrary } from '../../src/imaging/library';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { addPngText } from '../../src/image/pngText';
import { renderPicture } from '../server/pictures';

const sharp = imageLibrary();
const PARAMETERS = 'a lighthouse at dusk, 灯台\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 7, Size: 512x512';
const SOURCE = { bytes: renderPicture({ width: 512, height: 512, seed: 7, noise: true }), name: 'lighthouse.png' };

describe('Convert to a format, at a quality or within a size budget (imageOps/convert.ts)', function () {
  this.timeout(60_000);

  it('reads a quality or a budget as people write them', () => {
    assert.deepEqual(parseQualityOrBudget('80'), { quality: 80 });
    assert.deepEqual(parseQualityOrBudget('200KB'), { budgetBytes: 204_800 });
    assert.deepEqual(parseQualityOrBudget(' 1.5 mb '), { budgetBytes: 1_572_864 });
    for (const wrong of ['0', '101', 'small', '200 GB']) assert.equal(parseQualityOrBudget(wrong), undefined, wrong);
  });

  for (const format of ['webp', 'jpeg'] as const) {
    it(`${format}: the parameters travel in the EXIF and are read back the same`, async () => {
      const out = await convertImage(sharp, SOURCE, { format, quality: 80 }, PARAMETERS);
      assert.equal(out.format, format);
      assert.equal((await sharp(out.bytes).metadata()).format, format);
      assert.equal(readStoredParameters(out.bytes)?.text, PARAMETERS);
      assert.equal(readStoredParameters(out.bytes)?.source, 'exif-user-comment');
    });
  }

  it('png: lossless (the writer adds the parameters, read back the same)', async () => {
    const out = await convertImage(sharp, SOURCE, { format: 'png' }, PARAMETERS);
    const written = addPngText(out.bytes, 'parameters', PARAMETERS);
    assert.equal(readStoredParameters(written)?.text, PARAMETERS);
    const [a, b] = await Promise.all([SOURCE.bytes, out.bytes].map((bytes) => sharp(bytes).raw().toBuffer()));
    assert.ok(a.equals(b), 'the same pixels');
  });

  it('a budget: the best quality that fits, under the budget; one that cannot be met is said, with the smallest size reached', async () => {
    const loose = await convertImage(sharp, SOURCE, { format: 'webp', quality: 95 }, PARAMETERS);
    const budget = Math.round(loose.bytes.length * 0.6);
    const fitted = await convertImage(sharp, SOURCE, { format: 'webp', budgetBytes: budget }, PARAMETERS);
    assert.ok(fitted.bytes.length <= budget, `${fitted.bytes.length} <= ${budget}`);
    assert.ok(fitted.quality !== undefined && fitted.quality < 95 && fitted.quality >= 30, `quality ${fitted.quality}`);
    const oneHigher = await convertImage(sharp, SOURCE, { format: 'webp', quality: fitted.quality + 1 }, PARAMETERS);
    assert.ok(fitted.quality === 95 || oneHigher.bytes.length > budget, 'the best that fits: one step higher does not');
    await assert.rejects(
      convertImage(sharp, SOURCE, { format: 'jpeg', budgetBytes: 1024 }),
      (error: unknown) =>
        error instanceof UserError &&
        /^lighthouse\.png does not fit in 1 KB as JPEG: at quality 30 it is still \d+ KB\. Resize it first, or allow more\.$/.test(error.message),
    );
    await assert.rejects(
      convertImage(sharp, SOURCE, { format: 'png', budgetBytes: 1024 }),
      (error: unknown) => error instanceof UserError && /as a PNG, over the 1 KB budget: PNG is lossless, so choose WebP or JPEG/.test(error.message),
    );
  });

  it('a damaged source is said, not thrown raw', async () => {
    await assert.rejects(
      convertImage(sharp, { bytes: SOURCE.bytes.subarray(0, 100), name: 'cut.png' }, { format: 'webp' }),
      (error: unknown) =>
        error instanceof UserError && /^cut\.png could not be (read as an image|converted) \(.+\): the file may be damaged or truncated\.$/.test(error.message),
    );
  });
});
