import * as assert from 'node:assert/strict';
import { chunks, readPngText, setPngText } from '../../src/image/pngText';
import { imageLibrary } from '../../src/imaging/library';
import { withSourceRecorded } from '../../src/generation/recordSource';
import type { CompletedGeneration } from '../../src/generation/request';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { madeFromSourceImage, settingsOf } from '../../src/metadata/infotext';
import { sourceHash, sourceOf, sourceParams } from '../../src/metadata/sourceInfotext';
import type { GeneratedImage } from '../../src/sdapi/types';
import { renderPicture } from '../server/pictures';

const INFOTEXT = 'a red fox, 狐\nNegative prompt: blurry\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 7, Size: 64x64, Denoising strength: 0.45';

function partOf(image: GeneratedImage): CompletedGeneration {
  return {
    result: { images: [image], info: {} },
    parameters: { prompt: 'a red fox, 狐', steps: 20, seed: 7, width: 64, height: 64, denoising_strength: 0.45 },
    serverOrigin: 'http://127.0.0.1:7860',
  } as CompletedGeneration;
}

const idat = (png: Uint8Array) => Buffer.concat([...chunks(png)].filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data));

describe('the source image an image-to-image result records (metadata/sourceInfotext.ts, generation/recordSource.ts)', () => {
  const sourceBytes = renderPicture({ width: 32, height: 32, seed: 3 });
  const params = sourceParams('assets/sketch 1.png', sourceBytes, 'justResize');

  it('setPngText replaces the text of a key in place of every chunk it had, and keeps the pixels', () => {
    const png = renderPicture({ width: 8, height: 8, seed: 1, text: { parameters: 'old', Comment: 'kept' } });
    const changed = setPngText(setPngText(png, 'parameters', 'new'), 'parameters', 'newer, ネコ');
    assert.equal(readPngText(changed).get('parameters'), 'newer, ネコ');
    assert.equal(readPngText(changed).get('Comment'), 'kept');
    assert.equal(Buffer.from(changed).toString('latin1').split('parameters').length - 1, 1, 'one parameters chunk');
    assert.deepEqual(idat(changed), idat(png));
  });

  it('a PNG from the server gets the source in its parameters text; everything else it recorded stays', () => {
    const image = {
      bytes: renderPicture({ width: 64, height: 64, seed: 7, text: { parameters: INFOTEXT } }),
      format: 'png' as const,
      seed: 7,
      infotext: INFOTEXT,
    };
    const [recorded] = withSourceRecorded(partOf(image), params).result.images;
    const stored = readStoredParameters(recorded.bytes)!;
    assert.equal(stored.text, recorded.infotext);
    assert.deepEqual(sourceOf(stored.infotext), { path: 'assets/sketch 1.png', hash: sourceHash(sourceBytes), resizeMode: 'justResize' });
    const settings = settingsOf(stored.infotext);
    assert.deepEqual(
      [settings.prompt, settings.negativePrompt, settings.seed, settings.denoisingStrength, settings.width],
      ['a red fox, 狐', 'blurry', 7, 0.45, 64],
    );
    assert.ok(madeFromSourceImage(stored.infotext));
  });

  it('a PNG without parameters gets them made from the request, with the source', () => {
    const image = { bytes: renderPicture({ width: 64, height: 64, seed: 7 }), format: 'png' as const, seed: 7 };
    const [recorded] = withSourceRecorded(partOf(image), params).result.images;
    const stored = readStoredParameters(recorded.bytes)!;
    assert.equal(sourceOf(stored.infotext)?.path, 'assets/sketch 1.png');
    assert.equal(settingsOf(stored.infotext).denoisingStrength, 0.45);
  });

  for (const format of ['jpeg', 'webp'] as const) {
    it(`a ${format === 'jpeg' ? 'JPEG' : 'WebP'} keeps it in its EXIF UserComment`, async () => {
      const picture = imageLibrary()({ create: { width: 16, height: 16, channels: 3, background: { r: 10, g: 200, b: 30 } } });
      const bytes = await (format === 'jpeg' ? picture.jpeg() : picture.webp()).toBuffer();
      const [recorded] = withSourceRecorded(partOf({ bytes, format, seed: 7, infotext: INFOTEXT }), params).result.images;
      const stored = readStoredParameters(recorded.bytes)!;
      assert.equal(stored.source, 'exif-user-comment');
      assert.deepEqual(sourceOf(stored.infotext), { path: 'assets/sketch 1.png', hash: sourceHash(sourceBytes), resizeMode: 'justResize' });
      assert.equal(settingsOf(stored.infotext).prompt, 'a red fox, 狐');
    });
  }

  it('a hash tells a changed file; an image without the record names no source', () => {
    assert.notEqual(sourceHash(sourceBytes), sourceHash(renderPicture({ width: 32, height: 32, seed: 4 })));
    assert.equal(sourceHash(sourceBytes), sourceHash(Buffer.from(sourceBytes)));
    assert.equal(sourceOf(readStoredParameters(renderPicture({ width: 8, height: 8, seed: 1, text: { parameters: INFOTEXT } }))!.infotext), undefined);
  });
});
