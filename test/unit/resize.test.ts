import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { checkResize, parseTargetSize, resizeImage, type ResizeChoice } from '../../src/imageOps/resize';
import { imageLibrary } from '../../src/imaging/library';
import { renderPicture } from '../server/pictures';

const sharp = imageLibrary();
const PNG = renderPicture({ width: 96, height: 64, seed: 3 });

async function pixel(bytes: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

const refused = (pattern: RegExp) => (error: unknown) => error instanceof UserError && pattern.test(error.message);

describe('Resize to an exact size (imageOps/resize.ts, with sharp)', function () {
  this.timeout(20_000);

  it('cover fills the size and crops what overflows; contain fits inside, padded with the colour or transparent', async () => {
    const cover = await resizeImage(sharp, { bytes: PNG, format: 'png', name: 'a.png' }, { width: 1200, height: 630, fit: 'cover' });
    assert.deepEqual(cover.size, { width: 1200, height: 630 });
    assert.equal(cover.format, 'png');
    const red = await resizeImage(sharp, { bytes: PNG, format: 'png', name: 'a.png' }, { width: 300, height: 100, fit: 'contain', background: '#ff0000' });
    assert.deepEqual(await pixel(red.bytes, 0, 50), [255, 0, 0, 255], 'the padding is the colour asked for');
    const clear = await resizeImage(sharp, { bytes: PNG, format: 'png', name: 'a.png' }, { width: 300, height: 100, fit: 'contain' });
    assert.equal((await pixel(clear.bytes, 0, 50))[3], 0, 'a PNG is padded with transparency');
    const jpeg = await sharp(PNG).jpeg().toBuffer();
    const flat = await resizeImage(sharp, { bytes: jpeg, format: 'jpeg', name: 'a.jpg' }, { width: 300, height: 100, fit: 'contain' });
    assert.equal(flat.format, 'jpeg', 'the format stays');
    assert.ok(
      (await pixel(flat.bytes, 0, 50)).slice(0, 3).every((channel) => channel > 245),
      'a JPEG is padded with white',
    );
  });

  it('keeps the EXIF of a JPEG or WebP (where A1111 keeps its parameters)', async () => {
    const webp = await sharp(PNG)
      .webp()
      .withExif({ IFD0: { ImageDescription: 'a fox, Steps: 20' } })
      .toBuffer();
    const out = await resizeImage(sharp, { bytes: webp, format: 'webp', name: 'a.webp' }, { width: 48, height: 32, fit: 'cover' });
    assert.ok((await sharp(out.bytes).metadata()).exif?.includes(Buffer.from('a fox, Steps: 20')), 'the EXIF came along');
  });

  it('reads sizes as people write them, and refuses sizes and colours it cannot make, in a sentence', () => {
    assert.deepEqual(parseTargetSize('1200x630'), { width: 1200, height: 630 });
    assert.deepEqual(parseTargetSize(' 32 × 32 '), { width: 32, height: 32 });
    assert.equal(parseTargetSize('large'), undefined);
    const check = (choice: ResizeChoice, pattern: RegExp) => assert.throws(() => checkResize(choice), refused(pattern));
    check({ width: 0, height: 0, fit: 'cover' }, /^The width must be a whole number of pixels from 1 to 8192, not 0\./);
    check({ width: 100, height: 100_000, fit: 'cover' }, /^The height must be .* not 100000\./);
    check({ width: 10.5, height: 10, fit: 'cover' }, /^The width must be a whole number/);
    check({ width: 10, height: 10, fit: 'contain', background: 'red' }, /^"red" is not a colour: write it as #rrggbb/);
  });

  it('refuses a truncated, an animated or a 20,000-pixel-wide source in a sentence, and writes nothing', async () => {
    const choice: ResizeChoice = { width: 32, height: 32, fit: 'cover' };
    await assert.rejects(
      resizeImage(sharp, { bytes: PNG.subarray(0, 200), format: 'png', name: 'cut.png' }, choice),
      refused(/^cut\.png could not be (read as an image|resized) \(.+\): the file may be damaged or truncated\.$/),
    );
    const frame = (red: number) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: { r: red, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const animated = await sharp([await frame(255), await frame(0)], { join: { animated: true } })
      .webp()
      .toBuffer();
    await assert.rejects(resizeImage(sharp, { bytes: animated, format: 'webp', name: 'spin.webp' }, choice), refused(/^spin\.webp is animated \(2 frames\)/));
    const wide = await sharp({ create: { width: 20_000, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await assert.rejects(
      resizeImage(sharp, { bytes: wide, format: 'png', name: 'wide.png' }, choice),
      refused(/^wide\.png is 20000 × 4: too large to resize here/),
    );
  });
});
