// Property-based tests (fast-check): the file-name and response parsers must hold for any input,
// not just the cases someone thought of.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64 } from '../../src/image/format';
import { readPngText } from '../../src/image/pngText';
import { imageFileName, promptSlug, TEMPLATE_TOKENS } from '../../src/output/fileNames';
import { SdApiError } from '../../src/sdapi/errors';
import { errorForStatus } from '../../src/sdapi/httpErrors';
import { parseGenerationResponse, parseInfo, parseProgress } from '../../src/sdapi/parse';
import { cleanPrompt } from '../../src/generation/prompt';
import { renderPicture } from '../server/pictures';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
const anyJson = fc.jsonValue();

describe('properties', () => {
  it('file names are safe on every OS and bounded, for any prompt and seed', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        fc.option(fc.integer({ min: -1, max: 2 ** 32 })),
        fc.date({ noInvalidDate: true, min: new Date(2000, 0, 1), max: new Date(2099, 0, 1) }),
        fc.integer({ min: 1, max: 1000 }),
        (prompt, seed, date, attempt) => {
          const name = imageFileName({ prompt, seed: seed ?? undefined, date, extension: 'png' }, attempt);
          assert.match(name, /^[0-9]{8}-[0-9]{6}-[a-z0-9-]+\.png$/);
          assert.ok(name.length <= 100, name);
          assert.ok(!name.includes('..') && !name.includes('/') && !name.includes('\\'));
          assert.ok(!WINDOWS_RESERVED.test(name));
          assert.ok(!name.endsWith('.') && !name.endsWith(' '));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('file names from any template and values are one safe file name on every OS', () => {
    const token = fc.constantFrom(...TEMPLATE_TOKENS.map((name) => `{${name}}`), '{', '}', '{x}', '/', '\\', '..', '.', ' ', '-', '_', 'CON', 'nul.');
    const template = fc
      .array(fc.oneof(token, fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(
        template,
        fc.record({
          prompt: fc.string({ unit: 'grapheme', maxLength: 200 }),
          seed: fc.option(fc.integer({ min: -1, max: 2 ** 32 }), { nil: undefined }),
          model: fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: undefined }),
          source: fc.option(fc.string({ unit: 'binary', maxLength: 120 }), { nil: undefined }),
          width: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
          height: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
        }),
        fc.integer({ min: 1, max: 1000 }),
        (template, values, attempt) => {
          const name = imageFileName({ ...values, date: new Date(2026, 0, 2, 3, 4, 5), extension: 'webp' }, attempt, template);
          const stem = name.slice(0, -'.webp'.length);
          assert.ok(name.endsWith('.webp') && stem.length > 0, name);
          assert.doesNotMatch(name, /[<>:"/\\|?*\p{Cc}\p{Cf}]/u, name);
          assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes`);
          assert.ok(!WINDOWS_RESERVED.test(name), name);
          assert.ok(!/^[-_ .]/.test(name) && !/[ .]$/.test(stem), name);
          assert.ok(!/\s{2}/.test(name), name);
          const next = imageFileName({ ...values, date: new Date(2026, 0, 2, 3, 4, 5), extension: 'webp' }, attempt + 1, template);
          assert.notEqual(next, name, 'the next attempt must be another name');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('slugs never start or end with a dash and never double them', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (prompt) => {
        const slug = promptSlug(prompt);
        assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(slug.length <= 48);
      }),
      { numRuns: 2000 },
    );
  });

  it('the info parser returns an object for any value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyJson,
          fc.string(),
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (info) => {
          const parsed = parseInfo(info);
          assert.equal(typeof parsed, 'object');
          assert.ok(parsed !== null && !Array.isArray(parsed));
        },
      ),
    );
  });

  it('the generation response parser returns images or throws an SdApiError, never anything else', () => {
    const png = renderPicture({ width: 4, height: 4, seed: 1 }).toString('base64');
    const images = fc.array(fc.oneof(fc.constant(png), fc.string(), fc.base64String(), anyJson), { maxLength: 4 });
    const body = fc.oneof(
      anyJson,
      fc.record(
        {
          images: fc.oneof(images, anyJson),
          info: fc.oneof(
            fc.string(),
            anyJson.map((v) => JSON.stringify(v)),
            anyJson,
          ),
          parameters: anyJson,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(body, (value) => {
        try {
          const result = parseGenerationResponse(value, '/sdapi/v1/txt2img');
          assert.ok(result.images.length > 0);
          for (const image of result.images) assert.ok(['png', 'jpeg', 'webp'].includes(image.format));
        } catch (error) {
          assert.ok(error instanceof SdApiError, `unexpected ${String(error)}`);
          assert.ok(['badResponse', 'noImages', 'notImage'].includes(error.kind));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the progress parser clamps any body to sane numbers', () => {
    fc.assert(
      fc.property(
        fc.record(
          { progress: anyJson, eta_relative: anyJson, state: fc.oneof(anyJson, fc.dictionary(fc.string(), anyJson)), current_image: anyJson },
          { requiredKeys: [] },
        ),
        (value) => {
          const progress = parseProgress(value, '/sdapi/v1/progress');
          assert.ok(progress.progress >= 0 && progress.progress <= 1);
          assert.ok(progress.eta_relative >= 0);
          for (const n of [progress.state.job_count, progress.state.sampling_step, progress.state.sampling_steps]) assert.ok(Number.isFinite(n));
        },
      ),
    );
  });

  it('any error answer becomes one SdApiError with a message that names no credentials', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 599 }),
        fc.oneof(
          fc.string(),
          anyJson.map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom('application/json', 'text/html', ''),
        fc.boolean(),
        (status, bodyText, contentType, hadCredentials) => {
          const error = errorForStatus({ origin: 'https://space.example', endpoint: '/sdapi/v1/txt2img', status, bodyText, contentType, hadCredentials });
          assert.ok(error instanceof SdApiError);
          assert.ok(error.message.length > 10 && error.message.length < 700);
          assert.doesNotMatch(error.message, /Basic [A-Za-z0-9+/=]{8,}/);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('base64 decoding and PNG text reading never throw on garbage', () => {
    fc.assert(fc.property(fc.string(), (text) => void decodeBase64(text)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const withSignature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...bytes]);
        assert.ok(readPngText(withSignature) instanceof Map);
      }),
      { numRuns: 3000 },
    );
  });

  it('cleanPrompt only removes: no new characters, no line breaks, trimmed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const cleaned = cleanPrompt(text);
        assert.ok(cleaned.length <= text.length);
        for (const char of cleaned) assert.ok(char === ' ' || text.includes(char), `added ${JSON.stringify(char)}`);
        assert.doesNotMatch(cleaned, /[\r\n]|^\s|\s$/);
      }),
      { numRuns: 2000 },
    );
  });
});
