import * as assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { addPngText, crc32, readPngText } from '../../src/image/pngText';
import { decodeBase64, sniffImageFormat } from '../../src/image/format';
import { renderPicture } from '../server/pictures';

describe('PNG text chunks', () => {
  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('reads the parameters chunk the server wrote', () => {
    const png = renderPicture({ width: 4, height: 4, seed: 1, text: { parameters: 'a cat\nSteps: 20' } });
    assert.equal(readPngText(png).get('parameters'), 'a cat\nSteps: 20');
  });

  it('adds Latin-1 text as tEXt and other text as iTXt, keeping the image data intact', () => {
    const png = renderPicture({ width: 4, height: 4, seed: 2 });
    const withText = addPngText(addPngText(png, 'parameters', 'café'), 'Comment', 'ネコ 🐱');
    const text = readPngText(withText);
    assert.equal(text.get('parameters'), 'café');
    assert.equal(text.get('Comment'), 'ネコ 🐱');
    assert.ok(Buffer.from(withText).includes('tEXtparameters'));
    assert.ok(Buffer.from(withText).includes('iTXtComment'));
    const idat = (bytes: Uint8Array) => {
      const b = Buffer.from(bytes);
      const at = b.indexOf('IDAT');
      return inflateSync(b.subarray(at + 4, at + 4 + b.readUInt32BE(at - 4)));
    };
    assert.deepEqual(idat(withText), idat(png));
  });

  it('refuses to add text to something that is not a PNG', () => {
    assert.throws(() => addPngText(Buffer.from('GIF89a...........'), 'k', 'v'), /Not a PNG/);
  });
});

describe('image bytes', () => {
  it('sniffs PNG, JPEG and WebP and nothing else', () => {
    assert.equal(sniffImageFormat(renderPicture({ width: 2, height: 2, seed: 1 })), 'png');
    assert.equal(sniffImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])), 'jpeg');
    assert.equal(sniffImageFormat(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')), 'webp');
    assert.equal(sniffImageFormat(Buffer.from('GIF89a')), undefined);
    assert.equal(sniffImageFormat(Buffer.from('<html>')), undefined);
    assert.equal(sniffImageFormat(new Uint8Array(0)), undefined);
  });

  it('decodes base64 with or without a data: prefix and refuses garbage', () => {
    const png = renderPicture({ width: 2, height: 2, seed: 1 });
    assert.deepEqual(decodeBase64(png.toString('base64')), png);
    assert.deepEqual(decodeBase64(`data:image/png;base64,${png.toString('base64')}`), png);
    assert.equal(decodeBase64('not base64 at all!'), undefined);
    assert.equal(decodeBase64('abcde'), undefined);
  });
});
