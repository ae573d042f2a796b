import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { addEntry, entryFromParameters, setEntryField } from '../../src/recipes/adoptEntry';
import { parseInfotext, settingsOf } from '../../src/metadata/infotext';
import { shapeImages } from '../../src/generation/shapeOutput';
import { imageLibrary } from '../../src/imaging/library';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash, stateOf } from '../../src/recipes/effective';
import { renderPicture } from '../server/pictures';
import { parseManifest, pathProblem, RECIPE_FIELDS } from '../../src/recipes/manifest';
import { SETTINGS } from '../../src/shared/settingsSchema';

const REPO = path.resolve(__dirname, '..', '..', '..');

const MANIFEST = `{
  // comments and trailing commas are fine (JSONC)
  "defaults": { "size": "512x512", "steps": 24, "style": "icon", "negativePrompt": "blurry" },
  "styles": {
    "icon": "flat vector icon of {prompt}, white background",
    "photo": { "prompt": "{prompt}, 35mm photo", "negativePrompt": "cartoon" },
  },
  "assets": {
    "media/fox.png": { "prompt": "a red fox", "seed": 42 },
    "media/hero.webp": { "prompt": "misty mountains", "style": "photo", "size": "1216x832", "candidates": 4 },
  },
}`;

describe('recipes manifest', () => {
  it('reads defaults, styles and entries with their positions', () => {
    const manifest = parseManifest(MANIFEST);
    assert.deepEqual(manifest.problems, []);
    assert.deepEqual(
      manifest.entries.map((e) => e.path),
      ['media/fox.png', 'media/hero.webp'],
    );
    const fox = manifest.entries[0];
    assert.equal(MANIFEST.slice(fox.keyOffset, fox.keyOffset + fox.keyLength), '"media/fox.png"');
    assert.ok(MANIFEST.slice(fox.offset, fox.offset + fox.length).endsWith('"seed": 42 }'));
  });

  it('applies styles and defaults; built-in defaults for the rest', () => {
    const manifest = parseManifest(MANIFEST);
    const [fox, hero] = manifest.entries.map((entry) => effectiveRecipe(entry, manifest));
    assert.deepEqual(fox, {
      path: 'media/fox.png',
      prompt: 'flat vector icon of a red fox, white background',
      negativePrompt: 'blurry',
      width: 512,
      height: 512,
      sampler: 'DPM++ 2M',
      scheduler: 'Automatic',
      steps: 24,
      cfgScale: 7,
      seed: 42,
      candidates: 1,
    });
    assert.equal(hero.prompt, 'misty mountains, 35mm photo');
    assert.equal(hero.negativePrompt, 'blurry, cartoon');
    assert.deepEqual([hero.width, hero.height, hero.candidates, hero.seed], [1216, 832, 4, -1]);
  });

  it('says what is wrong, on the line where it is', () => {
    const text = `{
  "styles": { "x": 5 },
  "assets": {
    "../outside.png": { "prompt": "a" },
    "media/": { "prompt": "a" },
    "notes.txt": { "prompt": "a" },
    "ok.png": { "prompt": "", "steps": "twenty", "size": "big", "style": "nope", "colour": "red" }
  }
}`;
    const problems = parseManifest(text).problems.map((p) => ({ at: text.slice(p.offset, p.offset + p.length), message: p.message, severity: p.severity }));
    const messages = problems.map((p) => `${p.at} → ${p.message}`);
    assert.ok(
      messages.includes('5 → Style "x" must be a prompt template such as "flat icon of {prompt}", or { "prompt": …, "negativePrompt": … }.'),
      messages.join('\n'),
    );
    assert.ok(messages.includes('"../outside.png" → "../outside.png" leaves the workspace ("..").'));
    assert.ok(messages.includes('"media/" → "media/" is a folder: name the image file, such as media/image.png.'));
    assert.ok(messages.includes('"notes.txt" → "notes.txt" is not an image file name: end it with .png, .jpg or .webp.'));
    assert.ok(messages.includes('"twenty" → "steps" must be a number.'));
    assert.ok(messages.includes('"big" → "size" is "WIDTHxHEIGHT" such as "512x512", or { "width": 512, "height": 512 }.'));
    assert.ok(messages.includes('"ok.png" → There is no style "nope" in "styles".'));
    assert.ok(messages.includes('"ok.png" → "ok.png" has no "prompt".'));
    assert.ok(
      problems.some((p) => p.at === '"colour"' && p.severity === 'warning'),
      'unknown fields are warnings',
    );
  });

  it('rejects absolute paths and URLs as output paths', () => {
    for (const path of ['/etc/x.png', 'C:\\x.png', 'file:///x.png', 'a/../../x.png']) assert.ok(pathProblem(path), path);
    for (const path of ['media/fox.png', 'a/b/c.JPG', 'x.webp']) assert.equal(pathProblem(path), undefined, path);
  });

  it('the hash changes with what makes the picture, not with the path or the number of candidates', () => {
    const manifest = parseManifest(MANIFEST);
    const fox = effectiveRecipe(manifest.entries[0], manifest);
    assert.equal(recipeHash(fox), recipeHash({ ...fox, path: 'elsewhere.png', candidates: 3 }));
    for (const change of [{ prompt: 'a blue fox' }, { seed: 43 }, { steps: 25 }, { width: 520 }, { model: 'x' }, { negativePrompt: '' }]) {
      assert.notEqual(recipeHash({ ...fox, ...change }), recipeHash(fox), JSON.stringify(change));
    }
    assert.match(recipeHash(fox), /^[0-9a-f]{16}$/);
  });

  it("takes the More settings too (tiling, hires fix, CLIP skip, a VAE, Forge's distilled CFG, server styles); a recipe without them keeps its hash", () => {
    const manifest = parseManifest(`{ "assets": {
      "tex/stone.png": { "prompt": "stone wall", "tiling": true, "clipSkip": 2, "vae": "sdxl_vae.safetensors", "serverStyles": ["Texture"] },
      "media/hero.png": { "prompt": "mountains", "hiresScale": 2, "hiresUpscaler": "R-ESRGAN 4x+", "distilledCfg": 5, "refiner": "v1-5-pruned-emaonly", "textEncoders": ["clip_l"] },
      "media/plain.png": { "prompt": "mountains", "tiling": false, "clipSkip": 1, "distilledCfg": 3.5, "serverStyles": [] },
      "media/edit.png": { "prompt": "mountains", "source": "media/plain.png", "hiresScale": 2, "refiner": "v1-5-pruned-emaonly" },
      "bad.png": { "prompt": "x", "tiling": "yes", "serverStyles": "Texture", "refinerSwitchAt": 1, "distilledCfg": 40 }
    } }`);
    const [stone, hero, plain, edit] = manifest.entries.map((entry) => effectiveRecipe(entry, manifest));
    assert.deepEqual([stone?.tiling, stone?.clipSkip, stone?.vae, stone?.serverStyles], [true, 2, 'sdxl_vae.safetensors', ['Texture']]);
    assert.deepEqual(hero?.hires, { scale: 2, upscaler: 'R-ESRGAN 4x+', denoisingStrength: 0.55 });
    assert.equal(hero?.distilledCfg, 5);
    assert.deepEqual([hero?.refiner, hero?.textEncoders], [{ checkpoint: 'v1-5-pruned-emaonly', switchAt: 0.8 }, ['clip_l']]);
    assert.equal(edit?.refiner, undefined, 'a refiner is for text to image only');
    assert.notEqual(recipeHash(hero), recipeHash({ ...hero, distilledCfg: undefined }));
    assert.equal(edit?.hires, undefined, 'hires fix is for text to image only');
    const bare = effectiveRecipe({ ...manifest.entries[2], fields: { prompt: 'mountains' } }, manifest);
    assert.equal(recipeHash(plain), recipeHash(bare), 'the defaults of the new fields leave the hash as it was');
    assert.notEqual(recipeHash(stone), recipeHash({ ...stone, tiling: undefined }));
    assert.deepEqual(
      manifest.problems.map((p) => p.message),
      [
        '"tiling" must be true or false.',
        '"serverStyles" must be a list of strings.',
        '"refinerSwitchAt" is between 0 and 1 (0.8: the refiner does the last fifth).',
        '"distilledCfg" is from 0 to 30 (3.5 is the usual).',
      ],
    );
  });

  it('takes a resize mode with a source; crop and resize (the default) keeps the hash it had, and it means nothing without a source', () => {
    const manifest = parseManifest(`{ "assets": {
      "a.png": { "prompt": "boat", "source": "sketch.png" },
      "b.png": { "prompt": "boat", "source": "sketch.png", "resizeMode": "cropAndResize" },
      "c.png": { "prompt": "boat", "source": "sketch.png", "resizeMode": "justResize" },
      "d.png": { "prompt": "boat", "resizeMode": "resizeAndFill" },
      "e.png": { "prompt": "boat", "source": "sketch.png", "resizeMode": "stretch" }
    } }`);
    const [plain, crop, stretched, textOnly] = manifest.entries.map((entry) => effectiveRecipe({ ...entry, path: 'same.png' }, manifest));
    assert.equal(recipeHash(plain), recipeHash(crop));
    assert.equal(stretched?.resizeMode, 'justResize');
    assert.notEqual(recipeHash(stretched), recipeHash(plain));
    assert.equal(textOnly?.resizeMode, undefined);
    assert.deepEqual(
      manifest.problems.map((p) => p.message),
      ['"resizeMode" is "cropAndResize" (the default), "justResize" or "resizeAndFill".'],
    );
  });

  it("takes the file's exact size, fit, background, quality and budget; a recipe without them keeps its hash", async () => {
    const manifest = parseManifest(`{ "assets": {
      "media/card.webp": { "prompt": "a card", "outputSize": "1200x630", "maxKB": 200 },
      "media/logo.png": { "prompt": "a logo", "size": "512x512", "outputSize": { "width": 300, "height": 100 }, "fit": "contain", "background": "#ffffff" },
      "media/photo.jpg": { "prompt": "a photo", "quality": 90 },
      "media/sticker.png": { "prompt": "a sticker", "transparent": true, "rembgModel": "isnet-anime" },
      "bad.png": { "prompt": "x", "outputSize": "big", "fit": "stretch", "background": "white", "quality": 101, "maxKB": 0, "rembgModel": "magic" }
    } }`);
    const [card, logo, photo, sticker] = manifest.entries.map((entry) => effectiveRecipe(entry, manifest));
    assert.equal(sticker?.transparent, 'isnet-anime');
    assert.deepEqual([card?.output, card?.maxKB, card?.sizeGiven], [{ width: 1200, height: 630, fit: 'cover' }, 200, undefined]);
    assert.deepEqual([logo?.output, logo?.sizeGiven], [{ width: 300, height: 100, fit: 'contain', background: '#ffffff' }, true]);
    assert.equal(photo?.quality, 90);
    const bare = effectiveRecipe({ ...manifest.entries[2], fields: { prompt: 'a photo' } }, manifest);
    assert.notEqual(recipeHash(photo), recipeHash(bare), 'the quality makes another file');
    assert.equal(recipeHash(bare), 'f94ceb1498f5f3b5', 'a recipe without the new fields keeps the hash it had before they existed');
    assert.deepEqual(
      manifest.problems.map((p) => p.message),
      [
        '"outputSize" is "WIDTHxHEIGHT" such as "512x512", or { "width": 512, "height": 512 }.',
        '"fit" is "cover" (crop to fill) or "contain" (fit inside).',
        '"white" is not a colour: write it as #rrggbb, such as #ffffff.',
        'The quality must be a whole number from 1 to 100, not 101.',
        'The size budget must be at least 1 KB, not 0.',
        '"magic" is not a rembg model: use one of u2net, isnet-general-use, isnet-anime, u2netp, u2net_human_seg, u2net_cloth_seg, silueta.',
      ],
    );
    const [jpegCard] = await shapeImages(
      imageLibrary(),
      [{ bytes: renderPicture({ width: 64, height: 64, seed: 1 }), format: 'png', infotext: 'a card\nSteps: 3, Seed: 1, Size: 64x64' }],
      { format: 'webp' },
      {
        infotextOf: (image) => image.infotext ?? '',
        text: { [RECIPE_HASH_KEY]: recipeHash(card) },
        name: 'card.webp',
      },
    );
    assert.equal(stateOf(jpegCard.bytes, card), 'upToDate', "a WebP keeps the recipe's hash in its EXIF infotext");
    assert.equal(stateOf(jpegCard.bytes, photo), 'stale');
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json().map((j) => `{"assets": ${j}}`),
        ),
        (text) => {
          const manifest = parseManifest(text);
          for (const entry of manifest.entries) recipeHash(effectiveRecipe(entry, manifest));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('recipes JSON schema (media/sd-assets.schema.json)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'media', 'sd-assets.schema.json'), 'utf8')) as {
    definitions: { fields: { properties: Record<string, { type?: string; minimum?: number; maximum?: number }> } };
  };
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
  };

  it('is contributed for sd-assets.json files', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: ['sd-assets.json', '*.sd-assets.json'], url: './media/sd-assets.schema.json' }]);
  });

  it("knows exactly the fields the parser reads, with the settings' ranges", () => {
    const fields = Object.keys(schema.definitions.fields.properties).filter((key) => key !== '$comment');
    assert.deepEqual(fields.sort(), [...RECIPE_FIELDS].sort());
    const { properties } = schema.definitions.fields;
    assert.deepEqual([properties.steps.minimum, properties.steps.maximum], [SETTINGS['generation.steps'].minimum, SETTINGS['generation.steps'].maximum]);
    assert.deepEqual(
      [properties.cfgScale.minimum, properties.cfgScale.maximum],
      [SETTINGS['generation.cfgScale'].minimum, SETTINGS['generation.cfgScale'].maximum],
    );
    assert.deepEqual([properties.seed.minimum, properties.seed.maximum], [SETTINGS['generation.seed'].minimum, SETTINGS['generation.seed'].maximum]);
  });

  it("the paths it accepts are the parser's", () => {
    const pattern = new RegExp(
      (schema as unknown as { properties: { assets: { propertyNames: { pattern: string } } } }).properties.assets.propertyNames.pattern,
    );
    for (const path of ['media/fox.png', 'a/b.JPG', 'x.webp', '../x.png', '/x.png', 'C:/x.png', 'a/../b.png', 'notes.txt', 'media/']) {
      assert.equal(pattern.test(path), pathProblem(path) === undefined, path);
    }
  });
});

describe('Add to Recipes', () => {
  it("writes an entry from an image's parameters into a manifest, keeping its formatting; a new file when there is none", () => {
    const fields = entryFromParameters({
      prompt: 'a red fox',
      negativePrompt: '',
      width: 512,
      height: 768,
      sampler: 'DPM++ 2M',
      steps: 20,
      cfgScale: 7,
      seed: 42,
      model: 'sd_xl_base_1.0',
    });
    assert.deepEqual(fields, { prompt: 'a red fox', size: '512x768', model: 'sd_xl_base_1.0', sampler: 'DPM++ 2M', steps: 20, cfgScale: 7, seed: 42 });
    const added = addEntry(MANIFEST, 'media/new.png', fields);
    assert.ok(added.startsWith('{\n  // comments and trailing commas are fine (JSONC)'), 'the comment stays');
    const manifest = parseManifest(added);
    assert.deepEqual(
      manifest.entries.map((e) => e.path),
      ['media/fox.png', 'media/hero.webp', 'media/new.png'],
    );
    assert.deepEqual(manifest.entries[2].fields, fields);
    assert.deepEqual(parseManifest(addEntry('', 'a.png', { prompt: 'x' })).entries[0].fields, { prompt: 'x' });
    // An image made at one size and resized to another keeps both: the recipe makes the same file.
    const card = entryFromParameters({
      prompt: 'a card',
      negativePrompt: '',
      width: 1416,
      height: 744,
      output: { width: 1200, height: 630, fit: 'contain', background: '#ffffff' },
    });
    assert.deepEqual(card, { prompt: 'a card', size: '1416x744', outputSize: '1200x630', fit: 'contain', background: '#ffffff' });
    const recipe = parseManifest(addEntry('', 'card.png', card));
    assert.deepEqual(effectiveRecipe(recipe.entries[0], recipe).output, { width: 1200, height: 630, fit: 'contain', background: '#ffffff' });
    assert.equal(effectiveRecipe(recipe.entries[0], recipe).sizeGiven, true, 'made at the size it was made at');
    // Hires fix, tiling, CLIP skip, a VAE, a refiner and Forge's modules and distilled CFG come along: the recipe asks for all of them again.
    const texture = entryFromParameters(
      settingsOf(
        parseInfotext(
          'stone wall\nSteps: 20, Sampler: Euler a, CFG scale: 7, Distilled CFG Scale: 5, Seed: 42, Size: 512x512, Denoising strength: 0.4, ' +
            'Clip skip: 2, VAE: sdxl_vae.safetensors, Refiner: v1-5-pruned-emaonly [6ce0161689], Refiner switch at: 0.7, Module 1: clip_l, ' +
            'Tiling: True, Hires upscale: 1.5, Hires steps: 10, Hires upscaler: Lanczos',
        ),
      ),
    );
    assert.deepEqual(texture, {
      prompt: 'stone wall',
      size: '512x512',
      sampler: 'Euler a',
      steps: 20,
      cfgScale: 7,
      seed: 42,
      tiling: true,
      hiresScale: 1.5,
      hiresUpscaler: 'Lanczos',
      hiresDenoising: 0.4,
      hiresSteps: 10,
      clipSkip: 2,
      vae: 'sdxl_vae.safetensors',
      distilledCfg: 5,
      textEncoders: ['clip_l'],
      refiner: 'v1-5-pruned-emaonly [6ce0161689]',
      refinerSwitchAt: 0.7,
    });
    const textureRecipe = parseManifest(addEntry('', 'stone.png', texture));
    assert.deepEqual(textureRecipe.problems, []);
    assert.deepEqual(effectiveRecipe(textureRecipe.entries[0], textureRecipe).hires, { scale: 1.5, upscaler: 'Lanczos', denoisingStrength: 0.4, steps: 10 });
  });

  it("a picked candidate's seed is set in its entry; the rest of the file stays as written", () => {
    const picked = setEntryField(MANIFEST, 'media/fox.png', 'seed', 4711);
    assert.equal(parseManifest(picked).entries.find((e) => e.path === 'media/fox.png')?.fields.seed, 4711);
    assert.ok(picked.startsWith('{\n  // comments and trailing commas are fine (JSONC)'), 'the comment stays');
    const hero = (text: string) => parseManifest(text).entries.find((e) => e.path === 'media/hero.webp')?.fields;
    assert.deepEqual(hero(picked), hero(MANIFEST));
  });
});

describe("the README's recipes example", () => {
  it('is a valid recipes file', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const example = /```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has a jsonc example');
    const manifest = parseManifest(example);
    assert.deepEqual(manifest.problems, []);
    assert.ok(manifest.entries.length >= 2);
  });
});
