import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { readPngHead } from '../../src/image/fileHead';
import { addPngText, readPngText } from '../../src/image/pngText';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { renderPicture } from '../server/pictures';
import { paramOf, parseInfotext, printInfotext, settingsOf, type Infotext } from '../../src/metadata/infotext';
import { renderParametersView } from '../../src/metadata/parametersView';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');
const infotextFixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'infotext', name), 'utf8');
const imageFixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'metadata', name));

describe('infotext, as each server writes it', () => {
  it('A1111 1.10 txt2img: prompt, negative prompt, settings, quoted LoRA hashes, unknown keys kept in order', () => {
    const info = parseInfotext(infotextFixture('a1111-1.10-txt2img.txt'));
    assert.equal(info.prompt, 'a flat vector app icon of a red fox, orange and white, centered, <lora:flat-icons:0.8>');
    assert.equal(info.negativePrompt, 'blurry, text, watermark');
    assert.deepEqual(settingsOf(info), {
      prompt: info.prompt,
      negativePrompt: 'blurry, text, watermark',
      steps: 28,
      sampler: 'DPM++ 2M',
      scheduler: 'Karras',
      cfgScale: 6.5,
      seed: 1234567,
      width: 832,
      height: 1216,
      model: 'sd_xl_base_1.0',
      modelHash: '31e35c80fc',
      denoisingStrength: 0.45,
      hiresScale: 1.5,
      hiresSteps: 10,
      hiresUpscaler: '4x-UltraSharp',
    });
    assert.equal(paramOf(info, 'Lora hashes'), 'flat-icons: 7a1f2e3d4c5b');
    assert.equal(paramOf(info, 'Hires upscaler'), '4x-UltraSharp');
    assert.deepEqual(info.params.map(([key]) => key).slice(-4), ['Lora hashes', 'TI hashes', 'Emphasis', 'Version'], 'unknown keys are kept, in order');
  });

  it('A1111 img2img without a negative prompt, and 1.8 with a combined sampler and multi-line prompts', () => {
    const img2img = settingsOf(parseInfotext(infotextFixture('a1111-1.10-img2img.txt')));
    assert.equal(img2img.negativePrompt, '');
    assert.equal(img2img.denoisingStrength, 0.6);
    assert.deepEqual([img2img.width, img2img.height], [624, 416]);
    const old = parseInfotext(infotextFixture('a1111-1.8-combined-sampler.txt'));
    assert.equal(old.prompt, 'hero banner, misty mountains at sunrise, wide\nmulti-line prompts keep their lines');
    assert.equal(old.negativePrompt, 'people\ntext');
    assert.equal(settingsOf(old).sampler, 'DPM++ 2M Karras');
    assert.equal(settingsOf(old).scheduler, undefined);
    assert.equal(settingsOf(old).seed, 3141592653, 'seeds above 2^31');
  });

  it('Forge and SD.Next: their own keys are kept; the common fields read the same way', () => {
    const forge = parseInfotext(infotextFixture('forge-f2.0.1.txt'));
    assert.equal(paramOf(forge, 'Distilled CFG Scale'), '3.5');
    assert.equal(paramOf(forge, 'Module 3'), 't5xxl_fp8_e4m3fn');
    assert.deepEqual(settingsOf(forge).modules, ['ae', 'clip_l', 't5xxl_fp8_e4m3fn'], 'in their order, for Regenerate');
    assert.equal(paramOf(forge, 'Diffusion in Low Bits'), 'Automatic (fp16 LoRA)');
    assert.equal(settingsOf(forge).scheduler, 'Simple');
    const sdnext = parseInfotext(infotextFixture('sdnext-2025.txt'));
    assert.deepEqual([settingsOf(sdnext).steps, settingsOf(sdnext).seed, settingsOf(sdnext).sampler], [20, 808, 'DPM++ 2M']);
    assert.equal(paramOf(sdnext, 'App'), 'SD.Next');
    assert.equal(paramOf(sdnext, 'Tiling'), 'True');
  });

  it('prints what A1111 prints: quoted where needed, flags bare, no empty negative prompt line', () => {
    const info: Infotext = {
      prompt: 'a fox',
      negativePrompt: '',
      params: [
        ['Steps', '20'],
        ['Lora hashes', 'fox: 1a2b, flat: 3c4d'],
        ['Tiled Diffusion', 'Tiled Diffusion'],
        ['Size', '512x512'],
      ],
    };
    assert.equal(printInfotext(info), 'a fox\nSteps: 20, Lora hashes: "fox: 1a2b, flat: 3c4d", Tiled Diffusion, Size: 512x512');
    assert.deepEqual(parseInfotext(printInfotext(info)), info);
  });

  it('a prompt alone (no parameters line) is all prompt', () => {
    assert.deepEqual(parseInfotext('just a prompt, with commas: and colons'), {
      prompt: 'just a prompt, with commas: and colons',
      negativePrompt: '',
      params: [],
    });
  });
});

describe('infotext properties (fast-check)', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _/-]{0,18}[A-Za-z0-9]$/);
  const key = word.filter((k) => !k.startsWith('Negative prompt'));
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.stringMatching(/^[\w.+ -]{1,20}$/),
    fc.constantFrom('DPM++ 2M', '512x512', 'fox: 1a2b, flat: 3c4d', 'line\nbreak', 'say "hi"', ' padded ', '"', 'a:b', ''),
  );
  const promptLine = fc
    .string({ unit: 'grapheme', maxLength: 40 })
    .map((line) => line.replace(/[\r\n]/g, ' ').trim())
    .filter((line) => !line.startsWith('Negative prompt:'));
  const prompt = fc.array(promptLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n').trim());
  const infotext = fc.record({
    prompt,
    negativePrompt: prompt,
    params: fc
      .uniqueArray(fc.tuple(key, value), { minLength: 3, maxLength: 12, selector: ([k]) => k })
      .map((pairs) => pairs.map(([k, v]): [string, string] => [k, v === k ? `${v}!` : v])),
  });

  it('printing then parsing gives the same fields, whatever the prompt and values', () => {
    fc.assert(
      fc.property(infotext, (info) => {
        fc.pre(info.prompt !== '' && !/^\s|\s$/.test(info.negativePrompt));
        const back = parseInfotext(printInfotext(info));
        assert.deepEqual(back, { prompt: info.prompt, negativePrompt: info.negativePrompt, params: info.params });
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws, and always gives strings, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const info = parseInfotext(text);
        assert.equal(typeof info.prompt, 'string');
        assert.equal(typeof info.negativePrompt, 'string');
        for (const [k, v] of info.params) assert.ok(typeof k === 'string' && typeof v === 'string');
        settingsOf(info);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parameters stored in image files', () => {
  const cjkPrompt = '一只红色狐狸的应用图标, café style';

  it('reads EXIF UserComment from JPEG: UNICODE big- and little-endian, and ASCII', () => {
    for (const name of ['a1111-unicode-be.jpg', 'exiftool-unicode-le.jpg']) {
      const stored = readStoredParameters(imageFixture(name));
      assert.ok(stored, name);
      assert.equal(stored.source, 'exif-user-comment');
      assert.equal(stored.infotext.prompt, cjkPrompt, name);
      assert.equal(stored.infotext.negativePrompt, '模糊', name);
      assert.equal(settingsOf(stored.infotext).seed, 7);
    }
    assert.equal(readStoredParameters(imageFixture('ascii.jpg'))?.text, infotextFixture('a1111-1.10-txt2img.txt').trim());
  });

  it('reads the EXIF chunk of a WebP', () => {
    const stored = readStoredParameters(imageFixture('a1111.webp'));
    assert.equal(stored?.text, `${infotextFixture('a1111-1.10-txt2img.txt').trim()} ü`);
    assert.equal(settingsOf(stored.infotext).steps, 28);
  });

  it('reads compressed zTXt and iTXt chunks of a PNG', () => {
    assert.equal(readStoredParameters(imageFixture('sdnext-ztxt.png'))?.text, infotextFixture('sdnext-2025.txt').trim());
    assert.equal(readStoredParameters(imageFixture('itxt-compressed.png'))?.infotext.prompt, '一只红色狐狸的应用图标');
  });

  it('never throws on damaged files: any cut, any flipped byte', () => {
    const files = ['a1111-unicode-be.jpg', 'exiftool-unicode-le.jpg', 'a1111.webp', 'sdnext-ztxt.png', 'itxt-compressed.png'].map(imageFixture);
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (which, cut, flip, byte) => {
        const file = Buffer.from(files[which]);
        file[flip % file.length] = byte;
        readStoredParameters(file.subarray(0, cut % (file.length + 1)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parameters view (Markdown)', () => {
  it('shows values as code, whatever they hold (backticks, pipes, line breaks), and says when there are none', () => {
    const info = parseInfotext('a `fox` | pipe\nNegative prompt: ```fence```\nSteps: 20, Seed: 1, Size: 64x64, Odd: "a|b`c, d"');
    const view = renderParametersView('fox.png', info, 'png-text');
    assert.match(view, /^# fox\.png/);
    assert.match(view, /````text\n```fence```\n````/, 'a fence longer than any backtick run inside');
    assert.match(view, /\| Size \| `64 × 64` \|/);
    assert.match(view, /\| Odd \| ``a\\\|b`c, d`` \|/);
    assert.match(renderParametersView('bare.png', undefined, undefined), /has no generation parameters/);
  });
});

describe("reading only an image's metadata (src/image/fileHead.ts)", () => {
  it('reads a PNG up to its pixels: its text chunks, not its image data, even when the text is long', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-head-'));
    try {
      const longText = 'x'.repeat(20_000);
      const file = path.join(dir, 'big.png');
      fs.writeFileSync(
        file,
        addPngText(addPngText(renderPicture({ width: 320, height: 320, seed: 3, noise: true }), 'parameters', longText), 'sd-studio-recipe', 'abc'),
      );
      const head = await readPngHead(file);
      assert.ok(head.read < fs.statSync(file).size / 4, `${head.read} of ${fs.statSync(file).size} bytes read`);
      const text = readPngText(head.bytes);
      assert.equal(text.get('parameters'), longText);
      assert.equal(text.get('sd-studio-recipe'), 'abc');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
