import * as assert from 'node:assert/strict';
import { UserError } from '../../src/errors/userError';
import { controlNetScripts } from '../../src/generation/controlNet';
import type { ControlUnit } from '../../src/generation/request';
import { controlUnitsOf } from '../../src/metadata/controlNetInfotext';
import { parseInfotext } from '../../src/metadata/infotext';
import { CONTROL_UNIT_DEFAULTS, controlUnitCount, validateControlUnits, type ControlUnitValues } from '../../src/shared/controlNet';
import { CONTROLNET_MODELS } from '../server/controlnet';
import { startFakeA1111 } from '../server/fakeA1111';
import { renderPicture } from '../server/pictures';
import { clientFor, serviceOnLocalServer, smallParameters } from './helpers';

const PARAMETERS = smallParameters({ batchSize: 2 });
const IMAGE = renderPicture({ width: 64, height: 64, seed: 4 });

function unit(overrides: Partial<ControlUnit> = {}): ControlUnit {
  const { image: _path, ...defaults } = CONTROL_UNIT_DEFAULTS;
  return { ...defaults, module: 'canny', model: CONTROLNET_MODELS[0], image: { bytes: IMAGE, format: 'png', size: { width: 64, height: 64 } }, ...overrides };
}

describe('ControlNet units (generation/controlNet.ts, shared/controlNet.ts)', () => {
  it('sends each unit as both extensions read it: enabled, base64 image, display strings, no detected maps', () => {
    const scripts = controlNetScripts([unit({ weight: 0.8, guidanceEnd: 0.6, controlMode: 'control', resizeMode: 'resizeAndFill', pixelPerfect: false })]);
    assert.deepEqual(scripts, {
      controlnet: {
        args: [
          {
            enabled: true,
            image: IMAGE.toString('base64'),
            module: 'canny',
            model: CONTROLNET_MODELS[0],
            weight: 0.8,
            guidance_start: 0,
            guidance_end: 0.6,
            control_mode: 'ControlNet is more important',
            resize_mode: 'Resize and Fill',
            pixel_perfect: false,
            save_detected_map: false,
          },
        ],
      },
    });
  });

  it("checks the form: an image (or the source in image to image), a model, weight 0..2, start before end, at most the server's count", () => {
    const ok: ControlUnitValues = { ...CONTROL_UNIT_DEFAULTS, image: 'art/pose.png', module: 'none', model: CONTROLNET_MODELS[0] };
    assert.deepEqual(validateControlUnits([ok], 'txt2img'), []);
    assert.deepEqual(validateControlUnits([{ ...ok, image: '' }], 'img2img'), [], 'the source is the control image');
    const fields = (units: ControlUnitValues[], mode: 'txt2img' | 'img2img' = 'txt2img') => validateControlUnits(units, mode).map((e) => e.field);
    assert.deepEqual(fields([{ ...ok, image: '' }]), ['controlNet.0.image']);
    assert.deepEqual(fields([ok, { ...ok, model: '', weight: 2.5 }]), ['controlNet.1.model', 'controlNet.1.weight']);
    assert.deepEqual(fields([{ ...ok, guidanceStart: 0.7, guidanceEnd: 0.5 }]), ['controlNet.0.guidanceEnd']);
    assert.deepEqual(fields([ok, ok, ok, ok]), [], 'the host knows no count: up to the most any server takes');
    assert.deepEqual(validateControlUnits([ok, ok, ok, { ...ok, image: '' }], 'txt2img', 3), [
      {
        field: 'controlNet',
        message: 'ControlNet units on this server: 3 (its Multi-ControlNet setting). Remove the ones after unit 3, or raise that setting.',
      },
    ]);
    assert.deepEqual(fields(Array.from({ length: 11 }, () => ok)), ['controlNet']);
    // The server's Multi-ControlNet setting, read defensively: 1..10, else the usual 3.
    assert.deepEqual([5, 1, 10, 0, 11, 2.5, '4', undefined].map(controlUnitCount), [5, 1, 10, 3, 3, 3, 3, 3]);
  });
});

describe('ControlNet units read back from an image (metadata/controlNetInfotext.ts)', () => {
  it("reads the extension's current form (with the fields we do not send) and its form before 1.1.4, in unit order", () => {
    const info = parseInfotext(
      [
        'a dancer on a stage',
        'Steps: 20, Sampler: DPM++ 2M, Seed: 7, Size: 512x768, ' +
          'ControlNet 1: "preprocessor: depth_midas, model: control_v11f1p_sd15_depth [cfd03158], weight: 0.5, starting/ending: (0.1, 0.9), resize mode: Just Resize, pixel perfect: True, control mode: ControlNet is more important, preprocessor params: (512, -1, -1)", ' +
          'ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny [d14c016b], Weight: 0.75, Resize Mode: Resize and Fill, Processor Res: 512, Threshold A: 100.0, Threshold B: 200.0, Guidance Start: 0.0, Guidance End: 0.8, Pixel Perfect: False, Control Mode: My prompt is more important, Hr Option: Both, Save Detected Map: True", ' +
          'ControlNet 2: "Module: reference_only, Model: None, Weight: 1.0"',
      ].join('\n'),
    );
    assert.deepEqual(controlUnitsOf(info), [
      {
        image: '',
        module: 'canny',
        model: 'control_v11p_sd15_canny [d14c016b]',
        weight: 0.75,
        guidanceStart: 0,
        guidanceEnd: 0.8,
        controlMode: 'prompt',
        resizeMode: 'resizeAndFill',
        pixelPerfect: false,
      },
      {
        image: '',
        module: 'depth_midas',
        model: 'control_v11f1p_sd15_depth [cfd03158]',
        weight: 0.5,
        guidanceStart: 0.1,
        guidanceEnd: 0.9,
        controlMode: 'control',
        resizeMode: 'justResize',
        pixelPerfect: true,
      },
    ]);
  });

  it('an image without units, or with a unit it cannot read, gives none and never throws', () => {
    assert.deepEqual(controlUnitsOf(parseInfotext('a fox\nSteps: 20, Sampler: Euler, Seed: 1')), []);
    assert.deepEqual(controlUnitsOf(parseInfotext('a fox\nSteps: 20, Seed: 1, ControlNet 0: "garbled", ControlNet x: "Model: m"')), []);
  });
});

describe('ControlNet against the local server (A1111 with sd-webui-controlnet, Forge built in)', () => {
  let close: () => Promise<void> = async () => undefined;
  afterEach(async () => {
    await close();
    close = async () => undefined;
  });

  for (const flavor of ['a1111-1.10', 'forge'] as const) {
    it(`${flavor}: lists its preprocessors and models, and a generation with two units is steered by them`, async () => {
      const local = await serviceOnLocalServer({ flavor, extensions: ['controlnet'] });
      close = local.close;
      const { client, agent } = clientFor(local.server.url);
      try {
        const lists = await client.listControlNet();
        assert.deepEqual(lists.models, ['None', ...CONTROLNET_MODELS]);
        assert.equal(lists.modules[0], flavor === 'forge' ? 'None' : 'none', "each extension's name for no preprocessor");
      } finally {
        await agent.close();
      }
      const request = {
        prompt: 'a dancer',
        parameters: PARAMETERS,
        controlNet: [unit(), unit({ module: 'depth_midas', model: CONTROLNET_MODELS[1], weight: 0.5 })],
      };
      const done = await local.service.generate(request, { signal: new AbortController().signal, onUpdate: () => undefined });
      assert.equal(done.result.images.length, 2, 'the batch, and no detected map');
      const body = local.server.requestsTo('/sdapi/v1/txt2img')[0]?.body as { alwayson_scripts: { controlnet: { args: { module: string }[] } } };
      assert.deepEqual(
        body.alwayson_scripts.controlnet.args.map((arg) => arg.module),
        ['canny', 'depth_midas'],
      );
      assert.match(
        done.result.images[0]?.infotext ?? '',
        /ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny \[d14c016b\], Weight: 1,.*ControlNet 1: "Module: depth_midas/s,
      );
      const { image: _image, ...sent } = unit();
      assert.deepEqual(
        controlUnitsOf(parseInfotext(done.result.images[0]?.infotext ?? '')),
        [
          { ...sent, image: '' },
          { ...sent, image: '', module: 'depth_midas', model: CONTROLNET_MODELS[1], weight: 0.5 },
        ],
        'read back from the image: every setting but the control image',
      );
    });
  }

  it('keeps only the results when the extension appends its detected maps (a client that asks for them)', async () => {
    const server = await startFakeA1111({ extensions: ['controlnet'] });
    const { client, agent } = clientFor(server.url);
    try {
      const args = [{ enabled: true, image: IMAGE.toString('base64'), module: 'canny', model: CONTROLNET_MODELS[0] }];
      const result = await client.txt2img({ prompt: 'maps', steps: 2, width: 64, height: 64, alwayson_scripts: { controlnet: { args } } });
      assert.equal(result.images.length, 1, 'the map after the result is not an image of ours');
      assert.equal(result.images[0]?.seed, result.info.all_seeds?.[0]);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it("a unit the extension refuses (a model it lacks) comes back as the server's sentence", async () => {
    const local = await serviceOnLocalServer({ extensions: ['controlnet'] });
    close = local.close;
    await assert.rejects(
      local.service.generate(
        { prompt: 'x', parameters: PARAMETERS, controlNet: [unit({ model: 'control_gone [00000000]' })] },
        { signal: new AbortController().signal, onUpdate: () => undefined },
      ),
      (error: unknown) => error instanceof Error && /model\(control_gone \[00000000\]\) not found/.test(error.message),
    );
  });

  it('a server without ControlNet: refused in one sentence before anything is sent; its lists are not there', async () => {
    const local = await serviceOnLocalServer({ flavor: 'a1111-1.10' });
    close = local.close;
    await assert.rejects(
      local.service.generate(
        { prompt: 'x', parameters: PARAMETERS, controlNet: [unit()] },
        { signal: new AbortController().signal, onUpdate: () => undefined },
      ),
      (error: unknown) => error instanceof UserError && /^This server has no ControlNet: install the sd-webui-controlnet extension/.test(error.message),
    );
    assert.equal(local.server.requestsTo('/sdapi/v1/txt2img').length, 0);
    const server = await startFakeA1111();
    const { client, agent } = clientFor(server.url);
    try {
      await assert.rejects(client.listControlNet(), (error: unknown) => error instanceof Error);
    } finally {
      await agent.close();
      await server.close();
    }
  });
});
