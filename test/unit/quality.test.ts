import * as assert from 'node:assert/strict';
import { qualityFieldsFromStored, requestFromStored } from '../../src/generation/fromParameters';
import { type GenerationService } from '../../src/generation/generationService';
import { parseInfotext, settingsOf } from '../../src/metadata/infotext';
import { imageSize } from '../../src/image/imageSize';
import { readPngText } from '../../src/image/pngText';
import { infotextFromRequest } from '../../src/output/infotext';
import { FLAVORS } from '../server/dialects';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { clientFor, rejectsWith, serviceOnLocalServer, smallParameters } from './helpers';

const PARAMETERS = smallParameters({ height: 48, seed: 11 });
const HIRES = { scale: 2, upscaler: 'Latent', steps: 0, denoisingStrength: 0.5 };

describe('More settings: hires fix, tiling, CLIP skip (requestExtras.ts) against the local server', () => {
  let server: FakeA1111;
  let service: GenerationService;
  let close: () => Promise<void>;
  let notes: string[] = [];

  async function start(options: Parameters<typeof startFakeA1111>[0] = {}): Promise<void> {
    ({ server, service, notes, close } = await serviceOnLocalServer(options));
  }
  const generate = (request: Partial<Parameters<GenerationService['generate']>[0]>) =>
    service.generate({ prompt: 'a brick wall', parameters: PARAMETERS, ...request }, { signal: new AbortController().signal, onUpdate: () => undefined });
  const sent = () => server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;

  afterEach(async () => {
    await close();
    close = async () => undefined; // the pure test below starts no server
  });

  it('hires fix: a second pass at the scale, always with a denoising strength; the image comes back at the final size', async () => {
    await start();
    const done = await generate({ quality: { hires: { ...HIRES, steps: 8 } } });
    assert.deepEqual(
      ['enable_hr', 'hr_scale', 'hr_upscaler', 'hr_second_pass_steps', 'denoising_strength'].map((key) => sent()[key]),
      [true, 2, 'Latent', 8, 0.5],
    );
    const image = done.result.images[0];
    assert.deepEqual(imageSize(image.bytes, image.format), { width: 128, height: 96 });
    assert.match(readPngText(image.bytes).get('parameters') ?? '', /Denoising strength: 0\.5, Hires upscale: 2, Hires steps: 8, Hires upscaler: Latent/);
  });

  it('an upscaler the server does not know is its sentence, not a crash', async () => {
    await start();
    const error = await rejectsWith(generate({ quality: { hires: { ...HIRES, upscaler: 'ESRGAN_4x' } } }), 'server');
    assert.match(error.message, /could not find upscaler named ESRGAN_4x/);
  });

  it('tiling and CLIP skip; CLIP skip joins the checkpoint in override_settings, for this request only', async () => {
    await start();
    const done = await generate({ quality: { tiling: true, clipSkip: 2 }, checkpoint: 'v1-5-pruned-emaonly' });
    assert.equal(sent().tiling, true);
    assert.deepEqual(sent().override_settings, { sd_model_checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]', CLIP_stop_at_last_layers: 2 });
    assert.equal(sent().override_settings_restore_afterwards, true);
    assert.match(readPngText(done.result.images[0].bytes).get('parameters') ?? '', /Clip skip: 2, Tiling: True/);
  });

  it('nothing extra is sent for the defaults, and hires fix never with a source image', async () => {
    await start();
    await generate({ quality: { clipSkip: 1 } });
    for (const key of ['enable_hr', 'tiling', 'override_settings', 'denoising_strength']) assert.equal(sent()[key], undefined, key);
    const png = (await generate({})).result.images[0];
    const source = { bytes: png.bytes, format: 'png' as const, size: { width: 64, height: 48 } };
    await service.generate(
      {
        prompt: 'again',
        parameters: PARAMETERS,
        quality: { hires: HIRES },
        img2img: { source, outputSize: { width: 64, height: 48 }, denoisingStrength: 0.3, resizeMode: 'cropAndResize' },
      },
      { signal: new AbortController().signal, onUpdate: () => undefined },
    );
    const img2img = server.requestsTo('/sdapi/v1/img2img').at(-1)?.body as Record<string, unknown>;
    assert.equal(img2img.enable_hr, undefined);
    assert.equal(img2img.denoising_strength, 0.3, "the source's own strength, not the second pass's");
  });

  it("a VAE per request: by name where the server lists VAEs, by file in Forge's modules", async () => {
    await start();
    const a1111 = await generate({ quality: { vae: 'sdxl_vae.safetensors' } });
    assert.deepEqual(sent().override_settings, { sd_vae: 'sdxl_vae.safetensors' });
    assert.match(a1111.result.images[0].infotext ?? '', /VAE: sdxl_vae\.safetensors/);
    await generate({ quality: { textEncoders: ['clip_l.safetensors'] } });
    assert.deepEqual(notes, ['This server takes no text encoders per request: they were not used.']);
    assert.equal(sent().override_settings, undefined);
    await close();
    await start({ flavor: 'forge' });
    const forge = await generate({ quality: { vae: '/models/VAE/ae.safetensors' } });
    assert.deepEqual(sent().override_settings, { forge_additional_modules: ['/models/VAE/ae.safetensors'] });
    assert.match(forge.result.images[0].infotext ?? '', /Module 1: ae/);
    // Forge's text encoders travel with the VAE, in one list of files.
    const flux = await generate({ quality: { vae: '/models/VAE/ae.safetensors', textEncoders: ['/models/text_encoder/clip_l.safetensors'] } });
    assert.deepEqual(sent().override_settings, { forge_additional_modules: ['/models/VAE/ae.safetensors', '/models/text_encoder/clip_l.safetensors'] });
    assert.match(flux.result.images[0].infotext ?? '', /Module 1: ae, Module 2: clip_l/);
    // Regenerate from that image: the modules it names (ae, clip_l) are found among the server's files.
    const again = requestFromStored(settingsOf(parseInfotext(flux.result.images[0].infotext ?? '')), { ...PARAMETERS, seed: -1 }, { kind: 'regenerate' });
    assert.deepEqual(again.quality?.textEncoders, ['ae', 'clip_l']);
    await generate({ ...again, prompt: 'a brick wall' });
    assert.deepEqual(sent().override_settings, {
      sd_model_checkpoint: 'sd_xl_base_1.0.safetensors [31e35c80fc]',
      forge_additional_modules: ['/models/VAE/ae.safetensors', '/models/text_encoder/clip_l.safetensors'],
    });
    await generate({ quality: { textEncoders: ['t5xxl_fp16', 'clip_l'] } });
    assert.deepEqual(sent().override_settings, { forge_additional_modules: ['/models/text_encoder/clip_l.safetensors'] });
    assert.deepEqual(notes.at(-1), 'The server has no module "t5xxl_fp16": made without it, so the image may differ.');
  });

  it("a refiner takes over at the switch point, by the server's own title; one it does not have is said and left out", async () => {
    await start();
    const done = await generate({ quality: { refiner: { checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]', switchAt: 0.7 } } });
    assert.deepEqual([sent().refiner_checkpoint, sent().refiner_switch_at], ['v1-5-pruned-emaonly.safetensors [6ce0161689]', 0.7]);
    assert.match(done.result.images[0].infotext ?? '', /Refiner: v1-5-pruned-emaonly \[6ce0161689\], Refiner switch at: 0\.7/);
    // As an image records it ("name [hash]"): the server's own title is sent.
    await generate({ quality: { refiner: { checkpoint: 'v1-5-pruned-emaonly [6ce0161689]', switchAt: 0.8 } } });
    assert.equal(sent().refiner_checkpoint, 'v1-5-pruned-emaonly.safetensors [6ce0161689]');
    await generate({ quality: { refiner: { checkpoint: 'nope', switchAt: 0.8 } } });
    assert.equal(sent().refiner_checkpoint, undefined, 'a refiner the server does not have is not sent');
    assert.deepEqual(notes, ['The server has no refiner "nope": made without one, so the image may differ.']);
  });

  it("Forge's distilled CFG scale (Flux) is sent where the server takes it, read back for Regenerate; elsewhere said and left out", async () => {
    await start({ flavor: 'forge' });
    const flux = await generate({ quality: { distilledCfg: 5 } });
    assert.equal(sent().distilled_cfg_scale, 5);
    assert.match(flux.result.images[0].infotext ?? '', /CFG scale: 7, Distilled CFG Scale: 5, Seed:/);
    const again = requestFromStored(settingsOf(parseInfotext(flux.result.images[0].infotext ?? '')), { ...PARAMETERS, seed: -1 }, { kind: 'regenerate' });
    assert.equal(again.quality?.distilledCfg, 5);
    await generate({});
    assert.equal(sent().distilled_cfg_scale, undefined, "the server's own 3.5 needs no asking");
    await close();
    await start();
    await generate({ quality: { distilledCfg: 5 } });
    assert.equal(sent().distilled_cfg_scale, undefined);
    assert.deepEqual(notes, ['This server takes no distilled CFG scale (a Forge setting for Flux): 5 was not used.']);
  });

  it('styles go by name; the server applies them to both prompts', async () => {
    await start();
    const done = await generate({ styles: ['Flat icon', 'Watercolor'] });
    assert.deepEqual(sent().styles, ['Flat icon', 'Watercolor']);
    const text = readPngText(done.result.images[0].bytes).get('parameters') ?? '';
    assert.match(text, /^a brick wall, flat vector icon, minimal, centered, watercolor painting\nNegative prompt: photo, realistic, text\n/);
    await generate({ styles: [] });
    assert.equal(sent().styles, undefined, 'no styles, no field');
  });

  it('the infotext written for servers that report none names them as A1111 does', () => {
    const text = infotextFromRequest(
      {
        prompt: 'p',
        steps: 20,
        enable_hr: true,
        hr_scale: 1.5,
        hr_upscaler: 'Lanczos',
        hr_second_pass_steps: 0,
        denoising_strength: 0.4,
        tiling: true,
        override_settings: { CLIP_stop_at_last_layers: 2 },
      },
      5,
    );
    assert.equal(text, 'p\nSteps: 20, Seed: 5, Denoising strength: 0.4, Clip skip: 2, Tiling: True, Hires upscale: 1.5, Hires upscaler: Lanczos');
  });
});

describe('which servers offer them (the probe reads txt2img’s schema)', () => {
  it('hires fix on the FastAPI servers, tiling where the schema has it, options per request likewise', async () => {
    const found: Record<string, string> = {};
    for (const flavor of FLAVORS) {
      const server = await startFakeA1111({ flavor });
      const { client, agent } = clientFor(server.url);
      try {
        const { capabilities: c } = await client.probe();
        found[flavor] = [c.hiresFix && 'hires', c.tiling && 'tiling', c.overrideSettings && 'options', c.vae && 'vae', c.refiner && 'refiner']
          .filter(Boolean)
          .join(' ');
      } finally {
        await agent.close();
        await server.close();
      }
    }
    assert.deepEqual(found, {
      'a1111-1.10': 'hires tiling options vae refiner',
      'a1111-1.9': 'hires tiling options vae refiner',
      'a1111-1.8': 'hires tiling options vae refiner',
      forge: 'hires tiling options vae refiner',
      sdnext: 'hires options vae',
      koboldcpp: '',
      sdcpp: '',
    });
  });
});

describe('Regenerate and Reuse read them back from an image (fromParameters.ts)', () => {
  const text =
    'a brick wall\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x512, Model: sd_xl_base_1.0, ' +
    'Denoising strength: 0.45, Clip skip: 2, VAE: sdxl_vae.safetensors, Refiner: v1-5-pruned-emaonly [6ce0161689], Refiner switch at: 0.7, ' +
    'Tiling: True, Hires upscale: 1.5, Hires steps: 10, Hires upscaler: R-ESRGAN 4x+, Version: v1.10.1';
  const defaults = { ...PARAMETERS, seed: -1 };

  it('the same hires pass, tiling, CLIP skip, VAE and refiner: the same picture', () => {
    const request = requestFromStored(settingsOf(parseInfotext(text)), defaults, { kind: 'regenerate' });
    assert.deepEqual(request.quality, {
      hires: { scale: 1.5, upscaler: 'R-ESRGAN 4x+', steps: 10, denoisingStrength: 0.45 },
      tiling: true,
      clipSkip: 2,
      vae: 'sdxl_vae.safetensors',
      refiner: { checkpoint: 'v1-5-pruned-emaonly [6ce0161689]', switchAt: 0.7 },
    });
    assert.deepEqual([request.parameters.width, request.parameters.seed], [512, 42], 'the first pass size, as A1111 records it');
    assert.deepEqual(qualityFieldsFromStored(settingsOf(parseInfotext(text))), {
      hiresFix: true,
      hiresScale: 1.5,
      hiresUpscaler: 'R-ESRGAN 4x+',
      hiresSteps: 10,
      hiresDenoising: 0.45,
      tiling: true,
      clipSkip: 2,
      vae: 'sdxl_vae.safetensors',
      textEncoders: [],
      refiner: 'v1-5-pruned-emaonly [6ce0161689]',
      refinerSwitchAt: 0.7,
      distilledCfg: 3.5,
    });
  });

  it('an image without them asks for none (and Reuse turns them off in the form)', () => {
    const plain = 'a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Denoising strength: 0.6';
    assert.equal(requestFromStored(settingsOf(parseInfotext(plain)), defaults, { kind: 'regenerate' }).quality, undefined);
    assert.deepEqual(qualityFieldsFromStored(settingsOf(parseInfotext(plain))), {
      hiresFix: false,
      tiling: false,
      clipSkip: 1,
      vae: '',
      textEncoders: [],
      refiner: '',
      distilledCfg: 3.5,
    });
  });
});
