import * as assert from 'node:assert/strict';
import decodeIco from 'decode-ico';
import { UserError } from '../../src/errors/userError';
import { iconLinkTags, makeIconSet, manifestIcons } from '../../src/imageOps/iconSet';
import { imageLibrary } from '../../src/imaging/library';
import { renderPicture } from '../server/pictures';

const sharp = imageLibrary();

describe('A web icon set from one square image (imageOps/iconSet.ts)', function () {
  this.timeout(30_000);
  const source = { bytes: renderPicture({ width: 1024, height: 1024, seed: 12 }), name: 'logo.png' };

  it('writes favicon.ico with 16, 32 and 48 px PNG entries (read by an independent decoder), the touch icon, 192, 512 and a maskable 512', async () => {
    const files = await makeIconSet(sharp, source, { background: '#102030' });
    assert.deepEqual(
      files.map((file) => file.name),
      ['favicon.ico', 'apple-touch-icon.png', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png'],
    );
    const ico = decodeIco(files[0].bytes);
    assert.deepEqual(
      ico.map((entry) => [entry.type, entry.width, entry.height]),
      [
        ['png', 16, 16],
        ['png', 32, 32],
        ['png', 48, 48],
      ],
    );
    for (const entry of ico) {
      assert.equal(entry.type, 'png');
      const meta = await sharp(Buffer.from((entry as { data: Uint8Array }).data)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', entry.width, entry.height], 'each entry is the PNG it says');
    }
    const sizes = await Promise.all(files.slice(1).map(async (file) => (await sharp(file.bytes).metadata()).width));
    assert.deepEqual(sizes, [180, 192, 512, 512]);
    const apple = await sharp(files[1].bytes).metadata();
    assert.ok(!apple.hasAlpha, "Apple's icon is opaque");
    // The maskable icon: the background in its corners, the picture in its safe zone.
    const { data, info } = await sharp(files[4].bytes).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    assert.deepEqual(at(2, 2), [0x10, 0x20, 0x30]);
    assert.notDeepEqual(at(256, 256), [0x10, 0x20, 0x30]);
  });

  it('takes other sizes, and writes Android launcher mipmaps and an iOS AppIcon set when asked', async () => {
    const files = await makeIconSet(sharp, source, { background: '#ffffff', faviconSizes: [16, 32, 64], pngSizes: [96, 256], platforms: ['android', 'ios'] });
    assert.deepEqual(
      files.map((file) => file.name),
      [
        'favicon.ico',
        'apple-touch-icon.png',
        'icon-96.png',
        'icon-256.png',
        'icon-maskable-512.png',
        'android/mipmap-mdpi/ic_launcher.png',
        'android/mipmap-hdpi/ic_launcher.png',
        'android/mipmap-xhdpi/ic_launcher.png',
        'android/mipmap-xxhdpi/ic_launcher.png',
        'android/mipmap-xxxhdpi/ic_launcher.png',
        'ios/AppIcon.appiconset/AppIcon-1024.png',
        'ios/AppIcon.appiconset/Contents.json',
      ],
    );
    assert.deepEqual(
      decodeIco(files[0].bytes).map((entry) => entry.width),
      [16, 32, 64],
    );
    const widths = await Promise.all(files.filter((f) => f.name.endsWith('.png')).map(async (file) => (await sharp(file.bytes).metadata()).width));
    assert.deepEqual(widths, [180, 96, 256, 512, 48, 72, 96, 144, 192, 1024]);
    assert.equal((await sharp(files[10].bytes).metadata()).hasAlpha, false, 'the App Store refuses an icon with alpha');
    const contents = JSON.parse(files[11].bytes.toString('utf8')) as { images: { filename: string; size: string }[] };
    assert.deepEqual(
      contents.images.map((image) => [image.filename, image.size]),
      [['AppIcon-1024.png', '1024x1024']],
    );
    assert.deepEqual(
      manifestIcons('/icons', [96, 256]).map((icon) => icon.src),
      ['/icons/icon-96.png', '/icons/icon-256.png', '/icons/icon-maskable-512.png'],
    );
    assert.match(iconLinkTags('/icons', [256, 96]), /sizes="96x96" href="\/icons\/icon-96\.png"/);
    await assert.rejects(
      makeIconSet(sharp, source, { background: '#ffffff', faviconSizes: [512] }),
      (error: unknown) => error instanceof UserError && error.message === 'A favicon holds sizes up to 256 pixels.',
    );
    await assert.rejects(
      makeIconSet(sharp, source, { background: '#ffffff', pngSizes: [8] }),
      (error: unknown) => error instanceof UserError && /^An icon size must be a whole number of pixels from 16 to 1024, not 8\./.test(error.message),
    );
  });

  it('names them in <link> tags and manifest entries', () => {
    assert.match(iconLinkTags('/icons/'), /^<link rel="icon" href="\/icons\/favicon\.ico" sizes="any">\n.*apple-touch-icon\.png/s);
    assert.deepEqual(manifestIcons('/icons').at(-1), { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' });
  });

  it('refuses a source that is not square, or a colour it cannot use, in a sentence', async () => {
    const wide = { bytes: renderPicture({ width: 300, height: 200, seed: 1 }), name: 'banner.png' };
    await assert.rejects(
      makeIconSet(sharp, wide, { background: '#ffffff' }),
      (error: unknown) => error instanceof UserError && /^banner\.png is 300 × 200: an icon set starts from a square image/.test(error.message),
    );
    await assert.rejects(
      makeIconSet(sharp, source, { background: 'white' }),
      (error: unknown) => error instanceof UserError && /^"white" is not a colour/.test(error.message),
    );
  });
});
