// The streaming reader of generation answers must give exactly what JSON.parse + decodeBase64
// give, for any body and any way the network cuts it into chunks.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Base64StreamDecoder } from '../../src/image/base64Stream';
import { decodeBase64 } from '../../src/image/format';
import { SdApiError } from '../../src/sdapi/errors';
import { GenerationBodyReader, StreamedImage } from '../../src/sdapi/generationBody';
import { parseGenerationResponse } from '../../src/sdapi/parse';
import { renderPicture } from '../server/pictures';

/** Feeds `body` to a reader cut at `cuts` (byte offsets) and returns the restored parse. */
function readInChunks(body: Buffer, cuts: number[]): { reader: GenerationBodyReader; parsed: unknown } {
  const reader = new GenerationBodyReader();
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= body.length) continue;
    reader.write(body.subarray(from, cut));
    from = cut;
  }
  reader.write(body.subarray(from));
  return { reader, parsed: reader.restoreImages(JSON.parse(reader.text())) };
}

/** What the non-streaming path makes of the same body: images as bytes (or undefined when invalid). */
function expectedImages(body: Buffer): unknown {
  const json = JSON.parse(body.toString('utf8')) as { images?: unknown };
  if (!Array.isArray(json.images)) return json.images;
  return json.images.map((entry) => (typeof entry === 'string' ? decodeBase64(entry) : entry));
}

function imagesOf(parsed: unknown): unknown {
  const images = (parsed as { images?: unknown }).images;
  if (!Array.isArray(images)) return images;
  return images.map((entry) => (entry instanceof StreamedImage ? entry.bytes : entry));
}

const png = (seed: number) => renderPicture({ width: 8, height: 8, seed }).toString('base64');

describe('GenerationBodyReader', () => {
  it('decodes images while keeping the rest of the body as JSON text', () => {
    const body = Buffer.from(
      JSON.stringify({
        images: [png(1), png(2)],
        parameters: { prompt: 'a "quoted" fox', init_images: ['abc'] },
        info: JSON.stringify({ all_seeds: [1, 2], images: ['not these'] }),
      }),
    );
    const { reader, parsed } = readInChunks(body, [3, 17, 40, 41, 100, 150]);
    assert.ok(reader.text().length < 300, 'image text is not kept');
    const result = parseGenerationResponse(parsed, '/sdapi/v1/txt2img');
    assert.deepEqual(
      result.images.map((i) => i.seed),
      [1, 2],
    );
    assert.deepEqual(
      result.images.map((i) => Buffer.from(i.bytes).toString('base64')),
      [png(1), png(2)],
    );
    assert.deepEqual(result.parameters, { prompt: 'a "quoted" fox', init_images: [''] }, 'the echoed source is dropped');
  });

  it('gives what JSON.parse and decodeBase64 give, for any body and any chunking', () => {
    // Garbage may be rejected by the streaming decoder where decodeBase64 lets a stray character
    // pass (both end as "not an image"); valid base64 must come out byte for byte the same.
    const image = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 50 }).map((seed) => ({ text: png(seed), valid: true })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }).map((seed) => ({ text: `data:image/png;base64,${png(seed)}`, valid: true })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }).map((seed) => ({ text: png(seed).slice(0, -3), valid: false })) }, // truncated
      { weight: 2, arbitrary: fc.base64String().map((text) => ({ text, valid: true })) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => ({ text, valid: false })) },
      { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ value })) },
    );
    const body = fc.record({
      before: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
      images: fc.oneof({ weight: 8, arbitrary: fc.array(image, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ value })) }),
      after: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
      indent: fc.constantFrom(undefined, 1, '\t'),
      escapeSlashes: fc.boolean(),
    });
    fc.assert(
      fc.property(body, fc.array(fc.nat({ max: 2000 }), { maxLength: 12 }), ({ before, images, after, indent, escapeSlashes }, cuts) => {
        const entries = Array.isArray(images) ? images.map((entry) => ('value' in entry ? entry.value : entry.text)) : images.value;
        const { images: _b, ...rest1 } = before as Record<string, unknown>;
        const { images: _a, ...rest2 } = after as Record<string, unknown>;
        let text = JSON.stringify({ ...rest1, images: entries, ...rest2 }, null, indent);
        if (escapeSlashes) text = text.replace(/\//g, '\\/'); // some encoders write "\/"
        const bytes = Buffer.from(text);

        const { parsed } = readInChunks(bytes, cuts);
        const expected = JSON.parse(text) as Record<string, unknown>;
        assert.deepEqual({ ...(parsed as object), images: null }, { ...expected, images: null }, 'everything but the images');
        const actualImages = imagesOf(parsed);
        const oracle = expectedImages(bytes);
        if (!Array.isArray(oracle) || !Array.isArray(actualImages)) return assert.deepEqual(actualImages, oracle);
        assert.equal(actualImages.length, oracle.length);
        (expected.images as unknown[]).forEach((entry, i) => {
          const actual = actualImages[i];
          if (typeof entry !== 'string') return assert.deepEqual(actual, oracle[i]);
          const generated = Array.isArray(images) ? images[i] : undefined;
          if (generated && 'valid' in generated && generated.valid) assert.ok(actual instanceof Buffer, `valid base64 #${i} decodes`);
          if (actual !== undefined) assert.deepEqual(actual, oracle[i]);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('decodes byte by byte (every escape and prefix split across chunks)', () => {
    const text = JSON.stringify({ images: [`data:image/png;base64,${png(3)}`, png(4)] }).replace(/\//g, '\\/');
    const bytes = Buffer.from(text);
    const { parsed } = readInChunks(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
    );
    assert.deepEqual(imagesOf(parsed), [Buffer.from(png(3), 'base64'), Buffer.from(png(4), 'base64')]);
  });

  it('rejects non-ASCII text in an image (decodeBase64 is looser there: Node maps such characters to bytes)', () => {
    const body = Buffer.from(JSON.stringify({ images: ['\u{61a2d}', `${png(8).slice(0, 40)}é${png(8).slice(40)}`] }));
    const { parsed } = readInChunks(body, [14]);
    assert.deepEqual(imagesOf(parsed), [undefined, undefined]);
  });

  it('rejects what the non-streaming path rejects, with the start of the text in the error', () => {
    const body = Buffer.from(JSON.stringify({ images: ['iVBORw0KGgo!!!!not base64'] }));
    const { parsed } = readInChunks(body, [20]);
    assert.throws(
      () => parseGenerationResponse(parsed, '/sdapi/v1/txt2img'),
      (error: unknown) => {
        assert.ok(error instanceof SdApiError);
        assert.equal(error.kind, 'notImage');
        assert.equal(error.details.bodyExcerpt, 'iVBORw0KGgo!!!!not base64');
        return true;
      },
    );
  });

  it('leaves a body cut off inside an image as invalid JSON', () => {
    const body = Buffer.from(JSON.stringify({ images: [png(5)] }));
    const reader = new GenerationBodyReader();
    reader.write(body.subarray(0, body.length - 40));
    assert.throws(() => JSON.parse(reader.text()), SyntaxError);
  });

  it('keeps an HTML page or a bare string whole', () => {
    for (const text of ['<!DOCTYPE html><html><body>{"images": ["x"]}</body></html>', '  "images"', '']) {
      const reader = new GenerationBodyReader();
      reader.write(Buffer.from(text));
      assert.equal(reader.text(), text);
    }
  });

  it("drops the source image A1111 echoes in an img2img answer's parameters, and nothing else", () => {
    const source = png(9).repeat(50);
    const answer = {
      images: [png(10)],
      parameters: { prompt: 'keep "me"', init_images: [source, source], mask: source, mask_blur: 4, nested: { init_images: ["kept: not A1111's echo"] } },
      info: JSON.stringify({ init_images: ['kept too'] }),
      init_images: ['kept: not inside parameters'],
    };
    const bytes = Buffer.from(JSON.stringify(answer, null, 1));
    for (const cuts of [[], Array.from({ length: bytes.length / 7 }, (_, i) => i * 7)]) {
      const { reader, parsed } = readInChunks(bytes, cuts);
      assert.ok(reader.text().length < 700, `the echoed source is not kept (${reader.text().length} characters)`);
      assert.deepEqual(
        { ...(parsed as object), images: null },
        { ...answer, images: null, parameters: { ...answer.parameters, init_images: ['', ''], mask: '' } },
      );
      assert.deepEqual(imagesOf(parsed), [Buffer.from(png(10), 'base64')]);
    }
  });

  it('takes the last of repeated "images" keys, as JSON.parse does', () => {
    const body = Buffer.from(`{"images": ["${png(6)}"], "images": ["${png(7)}"]}`);
    const { parsed } = readInChunks(body, []);
    assert.deepEqual(imagesOf(parsed), [Buffer.from(png(7), 'base64')]);
  });
});

describe('Base64StreamDecoder', () => {
  it('matches decodeBase64 for any base64 text cut anywhere, and never accepts more than it', () => {
    const text = fc.oneof(
      fc.base64String().map((value) => ({ value, valid: true })),
      fc.base64String().map((value) => ({ value: `data:image/webp;base64,${value}`, valid: true })),
      fc.string({ maxLength: 30 }).map((value) => ({ value, valid: false })),
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 60 }), { maxLength: 6 }), ({ value, valid }, cuts) => {
        const decoder = new Base64StreamDecoder();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          decoder.write(value.slice(from, Math.max(from, cut)));
          from = Math.max(from, cut);
        }
        decoder.write(value.slice(from));
        const actual = decoder.end().bytes;
        if (valid) assert.ok(actual, 'valid base64 decodes');
        if (actual) assert.deepEqual(actual, decodeBase64(value));
      }),
      { numRuns: 3000 },
    );
  });
});
