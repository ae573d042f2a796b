import * as assert from 'node:assert/strict';
import { readExifUserComment } from '../../src/image/exif';
import { withUserComment } from '../../src/image/exifWrite';
import { imageSize } from '../../src/image/imageSize';
import { imageLibrary } from '../../src/imaging/library';

const sharp = imageLibrary();
const PARAMETERS = 'a red fox 狐 in the snow ❄\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 64x48';

describe("generation parameters in a JPEG's or WebP's EXIF, as A1111 writes them (image/exifWrite.ts)", () => {
  const picture = (channels: 3 | 4) => sharp({ create: { width: 64, height: 48, channels, background: { r: 40, g: 90, b: 160, alpha: 0.5 } } });
  const cases: [string, 'jpeg' | 'webp', () => Promise<Buffer>][] = [
    ['JPEG', 'jpeg', () => picture(3).jpeg().toBuffer()],
    [
      'JPEG with JFIF and EXIF already',
      'jpeg',
      () =>
        picture(3)
          .jpeg()
          .withExif({ IFD0: { Copyright: 'someone' } })
          .toBuffer(),
    ],
    ['lossy WebP', 'webp', () => picture(3).webp().toBuffer()],
    ['lossy WebP with alpha', 'webp', () => picture(4).webp().toBuffer()],
    ['lossless WebP with alpha', 'webp', () => picture(4).webp({ lossless: true }).toBuffer()],
  ];
  for (const [name, format, make] of cases) {
    it(`${name}: written, read back the same (non-ASCII included), and still an image of the same size`, async () => {
      const original = await make();
      const written = withUserComment(original, format, PARAMETERS);
      assert.ok(written, 'written');
      assert.equal(readExifUserComment(written, format), PARAMETERS);
      const meta = await sharp(written).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], [format, 64, 48], 'the library still decodes it');
      assert.deepEqual(imageSize(written, format), { width: 64, height: 48 });
      assert.equal(meta.hasAlpha, (await sharp(original).metadata()).hasAlpha, 'alpha as before');
    });
  }

  it('where the library alone would lose the non-ASCII characters', async () => {
    const viaLibrary = await picture(3)
      .jpeg()
      .withExif({ IFD2: { UserComment: PARAMETERS } })
      .toBuffer();
    assert.notEqual(readExifUserComment(viaLibrary, 'jpeg'), PARAMETERS);
    assert.equal(withUserComment(Buffer.from('not an image'), 'jpeg', 'x'), undefined);
  });
});
