import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import decodeIco from 'decode-ico';
import * as vscode from 'vscode';
import { imageSize } from '../../src/image/imageSize';
import { readPngText } from '../../src/image/pngText';
import { sniffImageFormat } from '../../src/image/format';
import { readStoredParameters } from '../../src/metadata/imageMetadata';
import { hasAlpha } from '../../src/imageOps/removeBackground';
import { basicAuthHeader } from '../../src/sdapi/auth';
import type { GalleryItem, HostToWebview, ServerView } from '../../src/shared/protocol';
import type { TestApi } from '../../src/commands/testApi';
import type { FakeA1111 } from '../server/fakeA1111';
import { sampleForm } from '../support/forms';
import { maskPng } from '../support/maskPng';
import { renderPicture } from '../server/pictures';
import { generationSizeFor } from '../../src/shared/outputShape';
import { imageLibrary } from '../../src/imaging/library';
import { clearOutput, outputFiles, run, selectLine, setSetting, testApi, useServer, waitFor, workspaceFolder, viaApi } from './helpers';

const LOGIN = { username: 'ada', password: 'correct horse battery' };

describe('Generating images', () => {
  let server: FakeA1111 | undefined;

  beforeEach(async () => {
    await clearOutput();
    await setSetting('afterGeneration', 'open');
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('Generate Image from Selection', () => {
    it('uses the selected line as prompt, sends the stored credentials, saves a PNG with its parameters and opens it', async () => {
      server = await useServer({ auth: LOGIN }, LOGIN);
      await selectLine('notes.md', 2);
      const outcome = await run('sdStudio.generateFromSelection');
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));

      const sent = server.requestsTo('/sdapi/v1/txt2img');
      assert.equal(sent.length, 1);
      assert.equal(sent[0].authorization, basicAuthHeader(LOGIN), 'Basic auth from SecretStorage');
      const body = sent[0].body as Record<string, unknown>;
      assert.equal(body.prompt, 'a flat vector app icon of a red fox, orange and white, centered');
      assert.equal(body.steps, 20, 'the settings are sent, not left to API defaults');
      assert.equal(body.sampler_name, 'DPM++ 2M');
      assert.equal(body.scheduler, undefined, '"Automatic" is the server\'s default: no scheduler is sent');

      const files = await outputFiles();
      assert.equal(files.length, 1);
      const seed = outcome.seeds?.[0];
      assert.ok(typeof seed === 'number' && seed >= 0, 'the real seed, not -1');
      assert.match(files[0], new RegExp(`^\\d{8}-\\d{6}-a-flat-vector-app-icon-of-a-red-fox-orange-and-${seed}\\.png$`));
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files![0]));
      const parameters = readPngText(bytes).get('parameters') ?? '';
      assert.match(parameters, /^a flat vector app icon of a red fox/);
      assert.match(parameters, new RegExp(`Seed: ${seed},`));

      const tab = await waitFor('the image to open', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputCustom && input.uri.toString() === outcome.files![0] ? input : undefined;
      });
      assert.equal(tab.viewType, 'imagePreview.previewEditor');
    });

    it('uses the current line when nothing is selected and never overwrites an existing file', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      await setSetting('generation.seed', 1234);
      try {
        const editor = await selectLine('notes.md', 3);
        editor.selection = new vscode.Selection(3, 4, 3, 4);
        const first = await run('sdStudio.generateFromSelection');
        const second = await run('sdStudio.generateFromSelection');
        assert.equal(first.status, 'saved');
        assert.equal(second.status, 'saved');
        assert.equal((server.requestsTo('/sdapi/v1/txt2img')[0].body as { prompt: string }).prompt, 'hero banner, misty mountains at sunrise, wide');
        const files = await outputFiles();
        assert.equal(files.length, 2, `two files: ${files.join(', ')}`);
        assert.notEqual(first.files![0], second.files![0]);
        assert.ok(
          files.every((name) => name.includes('-1234')),
          'same seed, same second: the second name gets a counter',
        );
        assert.ok(
          files.every((name) => !name.endsWith('.tmp')),
          'no temporary files remain',
        );
      } finally {
        await setSetting('generation.seed', undefined);
      }
    });

    it('saves every image of a batch with its own seed', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      await setSetting('generation.batchSize', 3);
      try {
        const outcome = await viaApi('generateFromSelection', { prompt: 'three tiny robots' });
        assert.equal(outcome.status, 'saved');
        assert.equal(outcome.files!.length, 3);
        const seeds = outcome.seeds as number[];
        assert.deepEqual(seeds, [seeds[0], seeds[0] + 1, seeds[0] + 2]);
        assert.equal((await outputFiles()).length, 3);
      } finally {
        await setSetting('generation.batchSize', undefined);
      }
    });

    it('writes the parameters chunk itself when the server sends none', async () => {
      server = await useServer({ embedParameters: false });
      await setSetting('afterGeneration', 'none');
      const outcome = await viaApi('generateFromSelection', { prompt: 'a teapot, studio light' });
      assert.equal(outcome.status, 'saved');
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files![0]));
      assert.equal(
        readPngText(bytes).get('parameters'),
        `a teapot, studio light\nSteps: 20, Sampler: DPM++ 2M, CFG scale: 7, Seed: ${outcome.seeds![0]}, Size: 512x512`,
      );
    });

    it('leads to Set Server on a 401 without stored credentials, and writes nothing', async () => {
      server = await useServer({ auth: LOGIN });
      const outcome = await viaApi('generateFromSelection', { prompt: 'a locked door' });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.kind, 'unauthorized');
      assert.match(outcome.message!, /requires a username and password: choose "Enter Credentials…"/);
      assert.deepEqual(await outputFiles(), []);
    });

    it('says the password is wrong on a 401 with credentials', async () => {
      server = await useServer({ auth: LOGIN }, { username: 'ada', password: 'wrong' });
      const outcome = await viaApi('generateFromSelection', { prompt: 'a locked door' });
      assert.equal(outcome.kind, 'unauthorized');
      assert.match(outcome.message!, /rejected the username or password/);
    });

    it('explains a server started without --api', async () => {
      server = await useServer({ api: false });
      const outcome = await viaApi('generateFromSelection', { prompt: 'anything' });
      assert.equal(outcome.kind, 'noApi');
      assert.match(outcome.message!, /start it with the --api flag/);
    });

    it('settings of the wrong type or off the grid fall back or round, and the job still runs', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      await setSetting('generation.steps', 'many');
      await setSetting('generation.width', 500);
      await setSetting('generation.height', 100000);
      await setSetting('generation.cfgScale', -3);
      try {
        const outcome = await viaApi('generateFromSelection', { prompt: 'odd settings' });
        assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
        const body = server.requestsTo('/sdapi/v1/txt2img')[0].body as Record<string, unknown>;
        assert.deepEqual([body.steps, body.width, body.height, body.cfg_scale], [20, 504, 4096, 1]);
      } finally {
        for (const key of ['generation.steps', 'generation.width', 'generation.height', 'generation.cfgScale']) await setSetting(key, undefined);
      }
    });

    it('asks for a prompt when the selection is empty', async () => {
      server = await useServer();
      const outcome = await viaApi('generateFromSelection', { prompt: '   ' });
      assert.equal(outcome.kind, 'user');
      assert.match(outcome.message!, /Select the text to use as the prompt/);
      assert.equal(server.requestsTo('/sdapi/v1/txt2img').length, 0);
    });
  });

  describe('samplers across server versions', () => {
    afterEach(async () => {
      await setSetting('generation.sampler', undefined);
      await setSetting('generation.scheduler', undefined);
    });

    it('splits "DPM++ 2M Karras" for A1111 1.9, which rejects combined names', async () => {
      server = await useServer({ flavor: 'a1111-1.9' });
      await setSetting('afterGeneration', 'none');
      await setSetting('generation.sampler', 'DPM++ 2M Karras');
      const outcome = await viaApi('generateFromSelection', { prompt: 'a lighthouse' });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/txt2img')[0].body as Record<string, unknown>;
      assert.equal(body.sampler_name, 'DPM++ 2M');
      assert.equal(body.scheduler, 'Karras');
    });

    it('combines sampler and scheduler for A1111 1.8, which has no schedulers', async () => {
      server = await useServer({ flavor: 'a1111-1.8' });
      await setSetting('afterGeneration', 'none');
      await setSetting('generation.scheduler', 'Karras');
      const outcome = await viaApi('generateFromSelection', { prompt: 'a lighthouse' });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/txt2img')[0].body as Record<string, unknown>;
      assert.equal(body.sampler_name, 'DPM++ 2M Karras');
      assert.equal(body.scheduler, undefined);
    });
  });

  describe('More settings from the panel', () => {
    it("on Forge: its modules as text encoders and its distilled CFG scale (Flux) reach the server and the image's parameters", async () => {
      server = await useServer({ flavor: 'forge' });
      const { api, messages, listening } = await openRecordingPanel();
      try {
        await api.panel.receive({ type: 'ready' });
        const view = await waitFor('the server view', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'server' }> => m.type === 'server' && m.server.textEncoders !== undefined),
        );
        assert.equal(view.server.distilledCfg, true);
        assert.equal(view.server.moreMissing, undefined);
        const form = sampleForm({ prompt: 'a neon sign', width: 96, height: 64, textEncoders: ['/models/text_encoder/clip_l.safetensors'], distilledCfg: 5 });
        await api.panel.receive({ type: 'generate', form });
        await waitFor('the job to finish', () => (messages.some((m) => m.type === 'finished') ? true : undefined));
        const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;
        assert.equal(body.distilled_cfg_scale, 5);
        assert.deepEqual(body.override_settings, { forge_additional_modules: ['/models/text_encoder/clip_l.safetensors'] });
        const [file] = (await outputFiles()).filter((name) => name.endsWith('.png'));
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'generated-images', file));
        assert.match(readPngText(bytes).get('parameters') ?? '', /Distilled CFG Scale: 5, .*Module 1: clip_l/);
      } finally {
        listening.dispose();
        await clearOutput();
      }
    });

    it('hires fix, tiling and CLIP skip reach the server; the panel lists hires upscalers; the image is the final size', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      const api = await testApi();
      const views: ServerView[] = [];
      const finished: string[] = [];
      const galleries: GalleryItem[][] = [];
      const listening = api.panel.onDidPost((message) => {
        if (message.type === 'server') views.push(message.server);
        if (message.type === 'finished') finished.push(message.outcome);
        if (message.type === 'fieldErrors') finished.push(JSON.stringify(message.errors));
        if (message.type === 'gallery') galleries.push(message.items);
      });
      try {
        await vscode.commands.executeCommand('sdStudio.openPanel');
        await api.panel.receive({ type: 'ready' }); // as the page does when it loads, without waiting for it
        const view = await waitFor('the server view with its hires upscalers', () => views.find((v) => v.hiresUpscalers));
        assert.deepEqual(view.hiresUpscalers?.slice(0, 2), ['Latent', 'Latent (antialiased)'], 'latent modes first');
        assert.ok(view.hiresUpscalers?.includes('R-ESRGAN 4x+') && !view.hiresUpscalers.includes('None'));
        assert.equal(view.moreMissing, undefined, 'A1111 offers all of them');
        assert.deepEqual(
          view.vaes?.map((v) => v.value),
          ['sdxl_vae.safetensors', 'vae-ft-mse-840000-ema-pruned.safetensors'],
        );
        assert.equal(view.refiner, true);
        assert.equal(view.distilledCfg, false, "Forge's, not A1111's");
        assert.deepEqual(
          view.loras?.map((l) => l.alias ?? l.name),
          ['pixel-art-xl', 'flaticons', 'add_detail'],
        );
        assert.deepEqual(view.embeddings, ['EasyNegative', 'bad-hands-5'], 'loaded ones only');
        assert.deepEqual(
          view.styles?.map((s) => s.name),
          ['Flat icon', 'Cinematic', 'Watercolor'],
        );
        const form = sampleForm({
          prompt: 'a brick wall',
          width: 96,
          height: 64,
          hiresFix: true,
          hiresScale: 2,
          hiresUpscaler: 'Lanczos',
          tiling: true,
          clipSkip: 2,
          styles: ['Watercolor'],
          vae: 'sdxl_vae.safetensors',
          refiner: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
        });
        await api.panel.receive({ type: 'generate', form });
        await waitFor('the job to finish', () => (finished.length > 0 ? true : undefined));
        assert.deepEqual(finished, ['saved']);
        const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as Record<string, unknown>;
        assert.deepEqual([body.enable_hr, body.hr_scale, body.hr_upscaler, body.denoising_strength, body.tiling], [true, 2, 'Lanczos', 0.55, true]);
        assert.deepEqual(body.override_settings, { CLIP_stop_at_last_layers: 2, sd_vae: 'sdxl_vae.safetensors' });
        assert.deepEqual([body.refiner_checkpoint, body.refiner_switch_at], ['v1-5-pruned-emaonly.safetensors [6ce0161689]', 0.8]);
        assert.deepEqual(body.styles, ['Watercolor']);
        const listed = await waitFor('the gallery to list it', () => galleries.at(-1)?.find((item) => item.prompt === 'a brick wall'));
        assert.equal(listed.tiling, true, 'the gallery knows it is a texture (its Tile 3 × 3 view)');
        const [file] = (await outputFiles()).filter((name) => name.endsWith('.png'));
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'generated-images', file));
        assert.deepEqual(imageSize(bytes, 'png'), { width: 192, height: 128 }, 'the final size');
        assert.match(
          readPngText(bytes).get('parameters') ?? '',
          /Clip skip: 2, VAE: sdxl_vae\.safetensors, Refiner: v1-5-pruned-emaonly \[6ce0161689\], Refiner switch at: 0\.8, Tiling: True, Hires upscale: 2, Hires upscaler: Lanczos/,
        );
      } finally {
        listening.dispose();
        await clearOutput();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    });
  });

  describe('ControlNet from the panel', () => {
    it("lists the server's preprocessors and models, takes a control image from the workspace and sends the units; a server without it says so", async () => {
      server = await useServer({ extensions: ['controlnet'], controlNetUnits: 5 });
      const { api, messages, listening } = await openRecordingPanel();
      try {
        await api.panel.receive({ type: 'ready' });
        const view = await waitFor('the server lists', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'server' }> => m.type === 'server' && m.server.controlNet !== undefined),
        );
        assert.deepEqual(view.server.controlNet?.models.slice(0, 2), ['None', 'control_v11p_sd15_canny [d14c016b]']);
        assert.equal(view.server.controlNet?.units, 5, 'its Multi-ControlNet setting, from its options');
        await api.panel.receive({ type: 'setControlImage', unit: 0, path: 'assets/source.png' });
        const image = await waitFor('the control image', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'controlImage' }> => m.type === 'controlImage'),
        );
        assert.deepEqual([image.unit, image.image.path, image.image.width], [0, 'assets/source.png', 96]);

        const unit = {
          image: 'assets/source.png',
          module: 'canny',
          model: 'control_v11p_sd15_canny [d14c016b]',
          weight: 0.7,
          guidanceStart: 0,
          guidanceEnd: 0.8,
          controlMode: 'prompt' as const,
          resizeMode: 'cropAndResize' as const,
          pixelPerfect: true,
        };
        await api.panel.receive({ type: 'generate', form: sampleForm({ prompt: 'a dancer', width: 96, height: 64, controlNet: [unit] }) });
        await waitFor('the job to finish', () => (messages.some((m) => m.type === 'finished') ? true : undefined));
        const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { alwayson_scripts: { controlnet: { args: Record<string, unknown>[] } } };
        const source = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png'));
        const [sent] = body.alwayson_scripts.controlnet.args;
        assert.equal(sent?.image, Buffer.from(source).toString('base64'), 'the workspace image, read by the host');
        assert.deepEqual(
          [sent?.enabled, sent?.module, sent?.weight, sent?.guidance_end, sent?.control_mode],
          [true, 'canny', 0.7, 0.8, 'My prompt is more important'],
        );
        const [file] = (await outputFiles()).filter((name) => name.endsWith('.png'));
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'generated-images', file));
        assert.match(readPngText(bytes).get('parameters') ?? '', /ControlNet 0: "Module: canny, Model: control_v11p_sd15_canny \[d14c016b\], Weight: 0\.7/);

        const item = await waitFor('the gallery card', () =>
          messages.flatMap((m) => (m.type === 'gallery' ? m.items : m.type === 'init' ? m.gallery : [])).find((i) => i.relativePath.endsWith(file)),
        );

        // Its control image is not in it: Regenerate says so and sends nothing; Reuse in Panel brings the unit back without it.
        const made = vscode.Uri.joinPath(workspaceFolder(), 'generated-images', file);
        const notified: { message: string; labels: string[] }[] = [];
        const watching = api.onDidNotifyFailure((shown) => notified.push(shown));
        const regenerate = await run('sdStudio.regenerate', made).finally(() => watching.dispose());
        assert.equal(regenerate.status, 'failed');
        assert.match(regenerate.message ?? '', /was made with ControlNet \(control_v11p_sd15_canny \[d14c016b\]\).*Reuse in Panel/);
        assert.deepEqual(notified.at(-1)?.labels, ['Reuse in Panel', 'Show Log'], 'the notification offers it as a button');
        assert.equal(server.requestsTo('/sdapi/v1/txt2img').length, 1, 'nothing sent');
        messages.length = 0;
        assert.equal((await run('sdStudio.reuseParameters', made)).status, 'opened');
        const prefill = await waitFor('the prefill', () => messages.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill'));
        assert.deepEqual(prefill.values.controlNet, [{ ...unit, image: '' }]);
        // The gallery's Reuse reads the file the same way.
        messages.length = 0;
        await api.panel.receive({ type: 'galleryAction', action: 'reuse', id: item.id });
        const fromGallery = await waitFor('the prefill', () => messages.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill'));
        assert.deepEqual([fromGallery.values.prompt, fromGallery.values.controlNet], ['a dancer', [{ ...unit, image: '' }]]);
        // A file another tool stripped of its parameters: the gallery's own record fills the form.
        const stripped = maskPng(96, 64, () => true);
        assert.equal(readStoredParameters(stripped), undefined, 'a PNG without parameters');
        await vscode.workspace.fs.writeFile(made, stripped);
        messages.length = 0;
        await api.panel.receive({ type: 'galleryAction', action: 'reuse', id: item.id });
        const fromRecord = await waitFor('the prefill', () => messages.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill'));
        assert.deepEqual(
          [fromRecord.values.prompt, fromRecord.values.width, fromRecord.values.height, fromRecord.values.seed, fromRecord.values.controlNet],
          ['a dancer', 96, 64, item.seed, undefined],
        );

        // Outside the workspace: refused in the banner, nothing sent.
        messages.length = 0;
        await api.panel.receive({ type: 'generate', form: sampleForm({ prompt: 'a dancer', controlNet: [{ ...unit, image: '../outside.png' }] }) });
        const banner = await waitFor('the banner', () => messages.find((m): m is Extract<HostToWebview, { type: 'error' }> => m.type === 'error'));
        assert.match(banner.message, /inside the workspace/);
        assert.equal(server.requestsTo('/sdapi/v1/txt2img').length, 1);

        await server.close();
        server = await useServer();
        messages.length = 0;
        await api.panel.receive({ type: 'refreshServer' });
        const without = await waitFor('the server view', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'server' }> => m.type === 'server' && m.server.controlNetMissing !== undefined),
        );
        assert.match(without.server.controlNetMissing ?? '', /has no ControlNet: install the sd-webui-controlnet extension/);
      } finally {
        listening.dispose();
        await clearOutput();
      }
    });
  });

  describe('Inpainting from the panel', () => {
    it('sends the painted mask with the inpainting settings; an empty mask is refused in the banner, nothing sent', async () => {
      server = await useServer();
      const { api, messages, listening } = await openRecordingPanel();
      try {
        const form = sampleForm({
          mode: 'img2img',
          source: 'assets/source.png',
          prompt: 'a red door',
          width: 96,
          height: 64,
          maskBlur: 8,
          inpaintArea: 'masked',
        });
        const mask = maskPng(96, 64, (x) => x < 48).toString('base64');
        await api.panel.receive({ type: 'generate', form, mask });
        await waitFor('the job to finish', () => (messages.some((m) => m.type === 'finished') ? true : undefined));
        const body = server.requestsTo('/sdapi/v1/img2img').at(-1)?.body as Record<string, unknown>;
        assert.equal(body.mask, mask);
        assert.deepEqual([body.mask_blur, body.inpainting_fill, body.inpaint_full_res, body.inpaint_full_res_padding], [8, 1, true, 32]);
        await api.panel.receive({ type: 'generate', form, mask: maskPng(96, 64, () => false).toString('base64') });
        const banner = await waitFor('the banner', () => messages.find((m): m is Extract<HostToWebview, { type: 'error' }> => m.type === 'error'));
        assert.match(banner.message, /^The mask covers nothing/);
        assert.equal(server.requestsTo('/sdapi/v1/img2img').length, 1, 'nothing sent for it');
      } finally {
        listening.dispose();
        await removeVariants();
        await clearOutput();
      }
    });
    it('outpainting: the host sends the source to pad, then the padded source and its mask; a canvas of the wrong size is refused', async () => {
      server = await useServer();
      const { api, messages, listening } = await openRecordingPanel();
      try {
        await api.panel.receive({ type: 'setSource', path: 'assets/source.png' });
        await waitFor('the source', () => messages.find((m) => m.type === 'source'));
        await api.panel.receive({ type: 'sourceData' });
        const data = await waitFor('its pixels', () => messages.find((m): m is Extract<HostToWebview, { type: 'sourceData' }> => m.type === 'sourceData'));
        const original = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png'));
        assert.equal(data.path, 'assets/source.png');
        assert.equal(data.src, `data:image/png;base64,${Buffer.from(original).toString('base64')}`, 'the file itself, readable by the page');

        // 96 × 64 grown by 32 on the left and the right: 160 × 64.
        const form = sampleForm({
          mode: 'img2img',
          source: 'assets/source.png',
          prompt: 'a wide meadow',
          width: 160,
          height: 64,
          extendLeft: 32,
          extendRight: 32,
        });
        const extended = renderPicture({ width: 160, height: 64, seed: 5 }).toString('base64');
        const mask = maskPng(160, 64, (x) => x < 40 || x >= 120).toString('base64');
        await api.panel.receive({ type: 'generate', form, mask, extended });
        await waitFor('the job to finish', () => (messages.some((m) => m.type === 'finished') ? true : undefined));
        const body = server.requestsTo('/sdapi/v1/img2img').at(-1)?.body as Record<string, unknown>;
        assert.deepEqual(body.init_images, [extended], 'the padded source is what the server repaints');
        assert.equal(body.mask, mask);
        assert.deepEqual([body.width, body.height], [160, 64]);

        const refusals = async (message: { mask: string; extended?: string }) => {
          messages.length = 0;
          await api.panel.receive({ type: 'generate', form, ...message });
          return (await waitFor('the banner', () => messages.find((m): m is Extract<HostToWebview, { type: 'error' }> => m.type === 'error'))).message;
        };
        assert.match(
          await refusals({ mask, extended: renderPicture({ width: 96, height: 64, seed: 5 }).toString('base64') }),
          /^The extended canvas did not arrive as a 160×64 PNG/,
        );
        assert.match(await refusals({ mask }), /^The extended canvas did not arrive/);
        assert.match(await refusals({ mask: maskPng(96, 64, (x) => x < 8).toString('base64'), extended }), /^The mask is not 160×64 like the source/);
        assert.equal(server.requestsTo('/sdapi/v1/img2img').length, 1, 'nothing sent for them');
      } finally {
        listening.dispose();
        await removeVariants();
        await clearOutput();
      }
    });
  });

  describe('Describe Image', () => {
    it('CLIP or DeepBooru from the command; from the gallery the caption goes to the prompt box and becomes the alt text of Insert', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      const api = await testApi();
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      assert.deepEqual(await api.describeImage(source, 'deepdanbooru'), { status: 'described', caption: 'fox, snow, no humans, animal focus, outdoors' });
      assert.equal((server.requestsTo('/sdapi/v1/interrogate')[0]?.body as { model: string }).model, 'deepdanbooru');

      const messages: HostToWebview[] = [];
      const listening = api.panel.onDidPost((message) => messages.push(message));
      try {
        const made = await viaApi('generateFromSelection', { prompt: 'a fox in the snow' });
        await vscode.commands.executeCommand('sdStudio.openPanel');
        // What the page's `ready` makes the host send, without waiting for the page to load (slow on a busy machine).
        await api.panel.receive({ type: 'ready' });
        const item = await waitFor('the gallery with the new image', () =>
          messages
            .flatMap((m) => (m.type === 'gallery' || m.type === 'init' ? (m.type === 'gallery' ? m.items : m.gallery) : []))
            .find((i) => made.files?.[0]?.endsWith(i.relativePath)),
        );
        await api.panel.receive({ type: 'galleryAction', action: 'describe', id: item.id });
        const prefill = messages.find((m): m is Extract<HostToWebview, { type: 'prefill' }> => m.type === 'prefill');
        assert.deepEqual(prefill?.values, { prompt: 'fox, snow, no humans, animal focus, outdoors' }, 'the last interrogator, into the prompt box');
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
        await vscode.window.showTextDocument(doc);
        await api.panel.receive({ type: 'galleryAction', action: 'insert', id: item.id });
        assert.match(doc.getText(), /^!\[fox, snow, no humans, animal focus, outdoors\]\(/, 'the description is the alt text');
      } finally {
        listening.dispose();
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await clearOutput();
      }
    });

    it('a server without an interrogator says so', async () => {
      server = await useServer({ flavor: 'sdnext' });
      const outcome = await (await testApi()).describeImage(vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png'), 'clip');
      assert.equal(outcome.status, 'failed');
      assert.match((outcome as { message: string }).message, /^SD\.Next .* cannot describe images \(it has no \/sdapi\/v1\/interrogate\)/);
    });
  });

  describe('Upscale Image', () => {
    it('writes the larger image beside its source, never over an earlier one, with its parameters and what was done', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const api = await testApi();
      const outcome = await api.upscaleImage(source, { upscaler: 'R-ESRGAN 4x+', factor: 2 });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const file = vscode.Uri.parse((outcome as { file: string }).file);
      assert.equal(vscode.workspace.asRelativePath(file), 'assets/source-upscaled-2x.png');
      assert.deepEqual([(outcome as { width: number }).width, (outcome as { height: number }).height], [192, 128], 'the 96 × 64 source, twice as large');
      const text = readPngText(await vscode.workspace.fs.readFile(file));
      assert.equal(text.get('postprocessing'), 'Postprocess upscale by: 2, Postprocess upscaler: R-ESRGAN 4x+');
      const again = await api.upscaleImage(source, { upscaler: 'Lanczos', factor: 2 });
      const second = vscode.Uri.parse((again as { file: string }).file);
      assert.equal(vscode.workspace.asRelativePath(second), 'assets/source-upscaled-2x-2.png', 'the next free name');
      const wrong = await api.upscaleImage(source, { upscaler: 'ESRGAN_4x', factor: 2 });
      assert.equal(wrong.status, 'failed');
      assert.match((wrong as { message: string }).message, /^The server has no upscaler "ESRGAN_4x": choose one of Lanczos/);
      assert.equal(server.requestsTo('/sdapi/v1/extra-single-image').length, 2, 'nothing sent for a choice the server cannot make');
      for (const made of [file, second]) await vscode.workspace.fs.delete(made);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('on a server without the extras route: one sentence, nothing written', async () => {
      server = await useServer({ flavor: 'sdcpp' });
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const outcome = await (await testApi()).upscaleImage(source, { upscaler: 'Lanczos', factor: 2 });
      assert.equal(outcome.status, 'failed');
      assert.match(
        (outcome as { message: string }).message,
        /^stable-diffusion\.cpp server cannot upscale images \(it has no \/sdapi\/v1\/extra-single-image\)/,
      );
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source-upscaled-2x.png'))));
    });
  });

  describe('Exact size and format of generated images', () => {
    afterEach(async () => {
      for (const key of ['output.exactSize', 'output.format', 'output.quality', 'output.maxKB']) await setSetting(key, undefined);
      await clearOutput();
    });

    it("Generate from Selection with sdStudio.output.*: made near the model's area at the aspect, saved as a WebP of exactly the size with both sizes", async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      await setSetting('output.exactSize', '300x100');
      await setSetting('output.format', 'webp');
      await setSetting('output.quality', 70);
      await selectLine('notes.md', 2);
      const outcome = await run('sdStudio.generateFromSelection');
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { width: number; height: number };
      assert.deepEqual({ width: body.width, height: body.height }, generationSizeFor({ width: 300, height: 100 }, 1024), 'SDXL is loaded');
      const [file] = await outputFiles();
      assert.match(file ?? '', /\.webp$/);
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files![0]));
      assert.deepEqual(imageSize(bytes, 'webp'), { width: 300, height: 100 });
      const stored = readStoredParameters(bytes);
      assert.equal(stored?.source, 'exif-user-comment');
      assert.match(
        stored?.text ?? '',
        new RegExp(`^a flat vector app icon of a red fox[^]*Size: ${body.width}x${body.height},[^]*Output size: 300x100, Output fit: cover$`),
      );
    });

    it('the panel: contain on a colour into a JPEG; a budget no quality meets keeps the image as the server made it and says so', async () => {
      server = await useServer();
      const { api, messages, listening } = await openRecordingPanel();
      try {
        await api.panel.receive({ type: 'ready' });
        const form = sampleForm({
          prompt: 'a wide banner',
          exactSize: true,
          outputWidth: 250,
          outputHeight: 50,
          outputFit: 'contain',
          outputBackground: '#ff0000',
          outputModelSize: '512',
          outputFormat: 'jpeg',
        });
        await api.panel.receive({ type: 'generate', form });
        await waitFor('the job to finish', () => (messages.some((m) => m.type === 'finished') ? true : undefined));
        const body = server.requestsTo('/sdapi/v1/txt2img').at(-1)?.body as { width: number; height: number };
        assert.deepEqual({ width: body.width, height: body.height }, { width: 1024, height: 256 }, '5:1 is made at 4:1 near 512², then fitted');
        const [name] = await outputFiles();
        assert.match(name ?? '', /\.jpg$/);
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'generated-images', name));
        assert.deepEqual(imageSize(bytes, 'jpeg'), { width: 250, height: 50 });
        const { data } = await imageLibrary()(bytes).raw().toBuffer({ resolveWithObject: true });
        assert.ok(data[0] > 240 && data[1] < 20 && data[2] < 20, `the padding is red: ${[...data.subarray(0, 3)].join(',')}`);

        messages.length = 0;
        await clearOutput();
        await api.panel.receive({ type: 'generate', form: { ...form, outputFit: 'cover', outputMaxKB: 1, outputWidth: 512, outputHeight: 512 } });
        const finished = await waitFor('the job to finish', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'finished' }> => m.type === 'finished'),
        );
        assert.equal(finished.outcome, 'failed');
        const [kept] = await outputFiles();
        assert.match(kept ?? '', /\.png$/, 'kept as the server made it');
        const banner = messages.find((m) => m.type === 'error');
        assert.match(
          JSON.stringify(banner),
          /does not fit in 1 KB as JPEG: at quality 30 it is still \d+ KB\. Resize it first, or allow more\. Saved as the server made it: .*\.png\./,
        );
      } finally {
        listening.dispose();
      }
    });
  });

  describe('Transparent background from the panel', () => {
    it("the server's rembg clears each result before it is shaped (a WebP keeps the alpha); a server without it refuses before generating", async () => {
      server = await useServer({ extensions: ['rembg'] });
      const { api, messages, listening } = await openRecordingPanel();
      try {
        await api.panel.receive({ type: 'ready' });
        const view = await waitFor('the server view', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'server' }> => m.type === 'server' && m.server.models !== undefined),
        );
        assert.equal(view.server.rembg, true);
        const form = sampleForm({ prompt: 'a fox sticker', width: 96, height: 64, transparent: true, rembgModel: 'isnet-anime', outputFormat: 'webp' });
        await api.panel.receive({ type: 'generate', form });
        const finished = await waitFor('the job to finish', () =>
          messages.find((m): m is Extract<HostToWebview, { type: 'finished' }> => m.type === 'finished'),
        );
        assert.equal(finished.outcome, 'saved', JSON.stringify(messages.filter((m) => m.type === 'error')));
        assert.equal((server.requestsTo('/rembg').at(-1)?.body as { model?: string }).model, 'isnet-anime');
        const [name] = await outputFiles();
        assert.match(name ?? '', /\.webp$/);
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'generated-images', name));
        assert.ok(hasAlpha(bytes, 'webp'), 'the WebP has an alpha channel');
        const { data, info } = await imageLibrary()(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        assert.equal(data[3], 0, 'a corner is transparent');
        assert.equal(data[((info.height >> 1) * info.width + (info.width >> 1)) * 4 + 3], 255, 'the centre is not');
        assert.match(readStoredParameters(bytes)?.text ?? '', /^a fox sticker[^]*Background removed: isnet-anime$/);
      } finally {
        listening.dispose();
        await clearOutput();
        await server.close();
      }
      server = await useServer();
      const again = await openRecordingPanel();
      try {
        await again.api.panel.receive({ type: 'generate', form: sampleForm({ prompt: 'a fox sticker', transparent: true }) });
        const error = await waitFor('the banner', () => again.messages.find((m): m is Extract<HostToWebview, { type: 'error' }> => m.type === 'error'));
        assert.match(error.message, /has no background removal: install the rembg extension/);
        assert.equal(server.requestsTo('/sdapi/v1/txt2img').length, 0, 'nothing generated');
        assert.deepEqual(await outputFiles(), []);
      } finally {
        again.listening.dispose();
      }
    });
  });

  describe('Resize Image', () => {
    it('makes exactly the size asked for with the shipped image library, beside the source with its parameters; bad sizes get a sentence', async () => {
      await setSetting('afterGeneration', 'none');
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const api = await testApi();
      const cover = await api.resizeImage(source, { width: 40, height: 40, fit: 'cover' });
      assert.equal(cover.status, 'saved', JSON.stringify(cover));
      const file = vscode.Uri.parse((cover as { file: string }).file);
      assert.equal(vscode.workspace.asRelativePath(file), 'assets/source-40x40.png');
      const bytes = await vscode.workspace.fs.readFile(file);
      assert.deepEqual(imageSize(bytes, 'png'), { width: 40, height: 40 });
      const text = readPngText(bytes);
      assert.equal(text.get('postprocessing'), 'Resized from 96x64 to 40x40 (cover)');
      assert.equal(text.get('parameters'), readPngText(await vscode.workspace.fs.readFile(source)).get('parameters'), "the source's parameters");
      const banner = await api.resizeImage(source, { width: 120, height: 40, fit: 'contain', background: '#ff0000' });
      const second = vscode.Uri.parse((banner as { file: string }).file);
      assert.deepEqual(imageSize(await vscode.workspace.fs.readFile(second), 'png'), { width: 120, height: 40 });
      const huge = await api.resizeImage(source, { width: 100_000, height: 100_000, fit: 'cover' });
      assert.equal(huge.status, 'failed');
      assert.match((huge as { message: string }).message, /^The width must be a whole number of pixels from 1 to 8192, not 100000\./);
      const notImage = await api.resizeImage(vscode.Uri.joinPath(workspaceFolder(), 'assets', 'not-an-image.png'), { width: 40, height: 40, fit: 'cover' });
      assert.match((notImage as { message: string }).message, /is not a PNG, JPEG or WebP image/);
      for (const made of [file, second]) await vscode.workspace.fs.delete(made);
    });
  });

  describe('Convert Image', () => {
    it('writes WebP and JPEG with the parameters in their EXIF, PNG re-compressed, a budget met or said, on the shipped image library', async () => {
      await setSetting('afterGeneration', 'none');
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const parameters = readPngText(await vscode.workspace.fs.readFile(source)).get('parameters');
      assert.ok(parameters, 'the fixture has parameters');
      const api = await testApi();
      const made: vscode.Uri[] = [];
      for (const [choice, name, format] of [
        [{ format: 'webp', quality: 80 }, 'assets/source.webp', 'webp'],
        [{ format: 'jpeg', budgetBytes: 200 * 1024 }, 'assets/source.jpg', 'jpeg'],
        [{ format: 'png' }, 'assets/source-optimised.png', 'png'],
      ] as const) {
        const outcome = await api.convertImage(source, choice);
        assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
        const file = vscode.Uri.parse((outcome as { file: string }).file);
        made.push(file);
        assert.equal(vscode.workspace.asRelativePath(file), name);
        const bytes = await vscode.workspace.fs.readFile(file);
        assert.equal(sniffImageFormat(bytes), format);
        assert.equal(readStoredParameters(bytes)?.text, parameters, `${name} keeps the parameters`);
      }
      const tooSmall = await api.convertImage(source, { format: 'webp', budgetBytes: 10 });
      assert.equal(tooSmall.status, 'failed');
      assert.match((tooSmall as { message: string }).message, /^source\.png does not fit in 1 KB as WebP/);
      for (const file of made) await vscode.workspace.fs.delete(file);
    });
  });

  describe('Make Icon Set', () => {
    it('writes the icons into a workspace folder, replaces them only when told, and refuses a source that is not square', async () => {
      await setSetting('afterGeneration', 'none');
      const api = await testApi();
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const notSquare = await api.makeIconSet(source, { folder: 'site/icons', background: '#ffffff' });
      assert.equal(notSquare.status, 'failed');
      assert.match((notSquare as { message: string }).message, /^source\.png is 96 × 64: an icon set starts from a square image/);
      const square = vscode.Uri.parse(((await api.resizeImage(source, { width: 64, height: 64, fit: 'cover' })) as { file: string }).file);
      const folder = vscode.Uri.joinPath(workspaceFolder(), 'site', 'icons');
      try {
        const made = await api.makeIconSet(square, { folder: 'site/icons', background: '#102030' });
        assert.equal(made.status, 'saved', JSON.stringify(made));
        assert.deepEqual((made as { files: string[] }).files, [
          'site/icons/favicon.ico',
          'site/icons/apple-touch-icon.png',
          'site/icons/icon-192.png',
          'site/icons/icon-512.png',
          'site/icons/icon-maskable-512.png',
        ]);
        const ico = decodeIco(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'favicon.ico')));
        assert.deepEqual(
          ico.map((entry) => entry.width),
          [16, 32, 48],
        );
        assert.deepEqual(imageSize(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'icon-512.png')), 'png'), { width: 512, height: 512 });
        assert.match((made as { linkTags: string }).linkTags, /href="\/site\/icons\/favicon\.ico"/);
        const kept = await api.makeIconSet(square, { folder: 'site/icons', background: '#102030', replace: false });
        assert.equal(kept.status, 'cancelled', 'existing icons stay unless the user says replace');
        const again = await api.makeIconSet(square, { folder: 'site/icons', background: '#ffffff', replace: true });
        assert.equal(again.status, 'saved');
        assert.deepEqual(
          (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).sort(),
          ['apple-touch-icon.png', 'favicon.ico', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png'],
          'replaced in place, nothing beside',
        );

        // sdStudio.iconSet.*: other sizes, and the Android and iOS sets beside the web one.
        await setSetting('iconSet.faviconSizes', [16, 32]);
        await setSetting('iconSet.sizes', [256]);
        await setSetting('iconSet.platforms', ['android', 'ios']);
        const platforms = await api.makeIconSet(square, { folder: 'site/app', background: '#ffffff' });
        assert.equal(platforms.status, 'saved', JSON.stringify(platforms));
        const files = (platforms as { files: string[] }).files;
        assert.ok(files.includes('site/app/icon-256.png') && !files.includes('site/app/icon-192.png'), files.join(', '));
        assert.ok(files.includes('site/app/android/mipmap-xxxhdpi/ic_launcher.png'), files.join(', '));
        assert.ok(files.includes('site/app/ios/AppIcon.appiconset/Contents.json'), files.join(', '));
        const launcher = await vscode.workspace.fs.readFile(
          vscode.Uri.joinPath(workspaceFolder(), 'site', 'app', 'android', 'mipmap-xxxhdpi', 'ic_launcher.png'),
        );
        assert.deepEqual(imageSize(launcher, 'png'), { width: 192, height: 192 });
        assert.deepEqual(
          decodeIco(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), 'site', 'app', 'favicon.ico'))).map((entry) => entry.width),
          [16, 32],
        );
        assert.match((platforms as { linkTags: string }).linkTags, /sizes="256x256" href="\/site\/app\/icon-256\.png"/);
      } finally {
        for (const key of ['iconSet.faviconSizes', 'iconSet.sizes', 'iconSet.platforms']) await setSetting(key, undefined);
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder(), 'site'), { recursive: true }).then(undefined, () => undefined);
        await vscode.workspace.fs.delete(square);
      }
    });
  });

  describe('A read-only target folder', () => {
    it('Resize, Convert and Make Icon Set each say so in a sentence; nothing half-written, the source untouched', async () => {
      await setSetting('afterGeneration', 'none');
      const api = await testApi();
      const locked = vscode.Uri.joinPath(workspaceFolder(), 'locked');
      const source = vscode.Uri.joinPath(locked, 'logo.png');
      const original = renderPicture({ width: 64, height: 64, seed: 8 });
      await vscode.workspace.fs.writeFile(source, original);
      // Tests run as root, who ignores permissions: an immutable folder refuses even root.
      execFileSync('chattr', ['+i', locked.fsPath]);
      try {
        assert.throws(() => fs.writeFileSync(path.join(locked.fsPath, 'probe'), ''), 'the folder really refuses writes');
        const resized = await api.resizeImage(source, { width: 32, height: 32, fit: 'cover' });
        assert.equal(resized.status, 'failed');
        assert.match((resized as { message: string }).message, /^Could not save into locked \(.*\); the image is kept safe: choose Save As… or Retry/);
        const converted = await api.convertImage(source, { format: 'webp', quality: 80 });
        assert.match((converted as { message: string }).message, /^Could not save into locked \(/);
        const icons = await api.makeIconSet(source, { folder: 'locked/icons', background: '#ffffff' });
        assert.equal(icons.status, 'failed');
        assert.match(
          (icons as { message: string }).message,
          /^Could not write the icons into locked\/icons \(.*\): make the folder writable or choose another, then try again\.$/,
        );
        assert.deepEqual(fs.readdirSync(locked.fsPath), ['logo.png'], 'nothing half-written');
        assert.ok(Buffer.from(await vscode.workspace.fs.readFile(source)).equals(original), 'the source untouched');
      } finally {
        execFileSync('chattr', ['-i', locked.fsPath]);
        await vscode.workspace.fs.delete(locked, { recursive: true });
      }
    });
  });

  describe('Remove Background', () => {
    it("writes a transparent PNG beside the source through the server's rembg; a server without it says how to get it", async () => {
      server = await useServer({ extensions: ['rembg'] });
      await setSetting('afterGeneration', 'none');
      const api = await testApi();
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const outcome = await api.removeBackground(source, { model: 'u2net', alphaMatting: false });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const file = vscode.Uri.parse((outcome as { file: string }).file);
      try {
        assert.equal(vscode.workspace.asRelativePath(file), 'assets/source-nobg.png');
        const bytes = await vscode.workspace.fs.readFile(file);
        assert.ok(hasAlpha(bytes, 'png'), 'it has transparency');
        assert.match(readPngText(bytes).get('postprocessing') ?? '', /^Background removed with rembg \(u2net\)$/);
        await server.close();
        server = await useServer();
        const without = await api.removeBackground(source, { model: 'u2net', alphaMatting: false });
        assert.equal(without.status, 'failed');
        assert.match((without as { message: string }).message, /has no background removal: install the rembg extension/);
      } finally {
        await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
      }
    });
  });

  describe('Image to Image', () => {
    it('sends the workspace image and saves the variation', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
      const outcome = await viaApi('imageToImage', source, { prompt: 'a paper boat on a stormy sea', denoisingStrength: 0.45 });
      assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
      const body = server.requestsTo('/sdapi/v1/img2img')[0].body as Record<string, unknown>;
      const sourceBytes = await vscode.workspace.fs.readFile(source);
      assert.deepEqual(body.init_images, [Buffer.from(sourceBytes).toString('base64')]);
      assert.equal(body.denoising_strength, 0.45);
      assert.equal(body.prompt, 'a paper boat on a stormy sea');
      // 96x64 source at about 512x512 pixels: the aspect ratio is kept, multiples of 8.
      assert.deepEqual([body.width, body.height], [624, 416]);
      const saved = await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files![0]));
      assert.match(readPngText(saved).get('parameters') ?? '', /Denoising strength: 0.45/);
      assert.equal(vscode.workspace.asRelativePath(vscode.Uri.parse(outcome.files![0])), 'assets/source-variant-1.png', 'beside its source');
      const again = await viaApi('imageToImage', source, { prompt: 'a paper boat on a stormy sea', denoisingStrength: 0.45 });
      assert.equal(vscode.workspace.asRelativePath(vscode.Uri.parse(again.files![0])), 'assets/source-variant-2.png', 'the next number, never over the first');
      for (const file of [...outcome.files!, ...again.files!]) await vscode.workspace.fs.delete(vscode.Uri.parse(file));
    });

    it('names and places results as the settings say: sdStudio.fileNameTemplate, sdStudio.img2img.saveTo and its template', async () => {
      server = await useServer();
      await setSetting('afterGeneration', 'none');
      await setSetting('fileNameTemplate', '{model}_{width}x{height}_{seed}');
      await setSetting('img2img.saveTo', 'outputFolder');
      await setSetting('img2img.fileNameTemplate', '{source}-{prompt}');
      try {
        const source = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'source.png');
        const variant = await viaApi('imageToImage', source, { prompt: 'paper boat', denoisingStrength: 0.5 });
        assert.equal(vscode.workspace.asRelativePath(vscode.Uri.parse(variant.files![0])), 'generated-images/source-paper-boat.png');
        await setSetting('generation.seed', 77);
        const made = await viaApi('generateFromSelection', { prompt: 'a lighthouse' });
        assert.equal(path.posix.basename(vscode.Uri.parse(made.files![0]).path), 'sd-xl-base-1-0_512x512_77.png');
        for (const file of [...variant.files!, ...made.files!]) await vscode.workspace.fs.delete(vscode.Uri.parse(file));
      } finally {
        for (const key of ['fileNameTemplate', 'img2img.saveTo', 'img2img.fileNameTemplate', 'generation.seed']) await setSetting(key, undefined);
      }
    });

    it('refuses a file that is not an image, without calling the server', async () => {
      server = await useServer();
      const outcome = await viaApi('imageToImage', vscode.Uri.joinPath(workspaceFolder(), 'assets', 'not-an-image.png'), {
        prompt: 'x',
        denoisingStrength: 0.5,
      });
      assert.equal(outcome.kind, 'user');
      assert.match(outcome.message!, /not-an-image\.png is not a PNG, JPEG or WebP image/);
      assert.equal(server.requestsTo('/sdapi/v1/img2img').length, 0);
    });
  });

  it('Image to Image refuses a huge source before reading it', async () => {
    server = await useServer();
    const huge = vscode.Uri.joinPath(workspaceFolder(), 'assets', 'huge.png');
    await vscode.workspace.fs.writeFile(huge, new Uint8Array(51 * 1024 * 1024));
    try {
      const outcome = await viaApi('imageToImage', huge, { prompt: 'x', denoisingStrength: 0.5 });
      assert.equal(outcome.kind, 'user');
      assert.match(outcome.message!, /huge\.png is 51 MB; use a source image under 50 MB/);
      assert.equal(server.requestsTo('/sdapi/v1/img2img').length, 0);
    } finally {
      await vscode.workspace.fs.delete(huge);
    }
  });

  it('Cancel Generation with nothing running says so', async () => {
    assert.deepEqual(await run('sdStudio.cancelGeneration'), { status: 'cancelled', count: 0 });
  });

  describe('cancel and queue', () => {
    it('Cancel Generation interrupts the server job, and nothing is saved', async () => {
      server = await useServer({ stepDelayMs: 25 });
      await setSetting('generation.steps', 150);
      try {
        const pending = viaApi('generateFromSelection', { prompt: 'a very slow painting' });
        await waitFor('the job to run', () => (server!.running && server!.running.step > 2 ? true : undefined));
        const cancel = await run('sdStudio.cancelGeneration');
        assert.deepEqual(cancel, { status: 'cancelled', count: 1 });
        const outcome = await pending;
        assert.equal(outcome.status, 'cancelled');
        await waitFor('the interrupt', () => (server!.requestsTo('/sdapi/v1/interrupt').length === 1 ? true : undefined));
        assert.deepEqual(await outputFiles(), []);
      } finally {
        await setSetting('generation.steps', undefined);
      }
    });

    it("Cancel never interrupts another user's job on a shared server: only our request is withdrawn", async () => {
      server = await useServer({ stepDelayMs: 20 });
      // Someone else's job, sent straight to the server (as a second A1111 user would).
      const other = fetch(`${server.url}/sdapi/v1/txt2img`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: "another user's job", steps: 100, width: 8, height: 8 }),
      }).then((response) => response.json() as Promise<{ images: string[]; info: string }>);
      await waitFor('the other job to run', () => (server!.running && server!.running.step > 1 ? true : undefined));
      const ours = viaApi('generateFromSelection', { prompt: 'ours, waiting behind it' });
      await waitFor('our request to reach the server', () => (server!.requestsTo('/sdapi/v1/txt2img').length === 2 ? true : undefined));
      assert.deepEqual(await run('sdStudio.cancelGeneration'), { status: 'cancelled', count: 1 });
      assert.equal((await ours).status, 'cancelled');
      const otherResult = await other;
      assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 0, 'no interrupt was sent');
      assert.equal(JSON.parse(otherResult.info).all_seeds.length, 1, 'the other job finished normally');
      assert.ok(!server.requestsTo('/sdapi/v1/progress').some((r) => r.method !== 'GET'));
      assert.deepEqual(await outputFiles(), []);
    });

    it('Cancel after the server already finished: nothing to interrupt, nothing saved', async () => {
      server = await useServer({ responseDelayMs: 1500, stepDelayMs: 20 });
      const pending = viaApi('generateFromSelection', { prompt: 'done on the server, not yet here' });
      await waitFor('the job to start', () => (server!.running ? true : undefined));
      await waitFor('the job to finish on the server', () => (server!.running ? undefined : true));
      assert.deepEqual(await run('sdStudio.cancelGeneration'), { status: 'cancelled', count: 1 });
      assert.equal((await pending).status, 'cancelled');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(server.requestsTo('/sdapi/v1/interrupt').length, 0, 'the idle server is not interrupted');
      assert.deepEqual(await outputFiles(), []);
    });

    it('runs a second generation after the first, one at a time', async () => {
      server = await useServer({ stepDelayMs: 10 });
      await setSetting('afterGeneration', 'none');
      const [a, b] = await Promise.all([
        viaApi('generateFromSelection', { prompt: 'first in line' }),
        viaApi('generateFromSelection', { prompt: 'second in line' }),
      ]);
      assert.equal(a.status, 'saved');
      assert.equal(b.status, 'saved');
      const posts = server.requestsTo('/sdapi/v1/txt2img');
      assert.deepEqual(
        posts.map((r) => (r.body as { prompt: string }).prompt),
        ['first in line', 'second in line'],
      );
      // The second request reached the server only after the first one's 20 steps (>= 200 ms).
      assert.ok(posts[1].receivedAt - posts[0].receivedAt >= 150, `queued: ${posts[1].receivedAt - posts[0].receivedAt} ms apart`);
      assert.equal((await outputFiles()).length, 2);
    });
  });
});

/** Opens the panel (with images left unopened after saving) and records what the host posts to its page. */
async function openRecordingPanel(): Promise<{ api: TestApi; messages: HostToWebview[]; listening: vscode.Disposable }> {
  await setSetting('afterGeneration', 'none');
  const api = await testApi();
  const messages: HostToWebview[] = [];
  const listening = api.panel.onDidPost((message) => messages.push(message));
  await vscode.commands.executeCommand('sdStudio.openPanel');
  return { api, messages, listening };
}

/** Image to image saves beside its source (sdStudio.img2img.saveTo): later tests expect the first free name there. */
async function removeVariants(): Promise<void> {
  const assets = vscode.Uri.joinPath(workspaceFolder(), 'assets');
  for (const [name] of await vscode.workspace.fs.readDirectory(assets))
    if (name.startsWith('source-variant-')) await vscode.workspace.fs.delete(vscode.Uri.joinPath(assets, name));
}
