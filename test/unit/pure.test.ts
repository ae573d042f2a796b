import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS } from '../../src/commands/ids';
import { JobQueue } from '../../src/generation/jobQueue';
import { img2imgPayload, txt2imgPayload } from '../../src/generation/payload';
import { describeProgress, describeQueued, describeTaskProgress, formatDuration } from '../../src/generation/progressText';
import { cleanPrompt } from '../../src/generation/prompt';
import { imageFileName, promptSlug, timestamp } from '../../src/output/fileNames';
import { fitToArea, imageSize } from '../../src/image/imageSize';
import { infotextFromRequest } from '../../src/output/infotext';
import { parseInfotext } from '../../src/metadata/infotext';
import type { GenerationDefaults } from '../../src/generation/types';
import { SETTINGS } from '../../src/shared/settingsSchema';
import { AGENT_TOOL_NAMES } from '../../src/agentTools/toolNames';
import { describeFailure } from '../../src/errors/failure';
import { errorForStatus } from '../../src/sdapi/httpErrors';
import { renderPicture } from '../server/pictures';

const REPO = path.resolve(__dirname, '..', '..', '..');

describe('cleanPrompt', () => {
  const cases: [string, string][] = [
    ['a red fox', 'a red fox'],
    ['  // a red fox, flat icon  ', 'a red fox, flat icon'],
    ['# hero image\n# misty mountains', 'hero image misty mountains'],
    ['<!-- a banner -->', 'a banner'],
    ['"a quoted prompt"', 'a quoted prompt'],
    ['const prompt = "a red fox, orange";', 'a red fox, orange'],
    ["  icon: 'a tiny gear',", 'a tiny gear'],
    ['generate(`pixel art sword`)', 'pixel art sword'],
    ["a fox's den at night", "a fox's den at night"],
    ['  \n ', ''],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.equal(cleanPrompt(input), expected));
});

describe('file names', () => {
  const date = new Date(2026, 10, 24, 9, 5, 7);

  it('is date, time, prompt words and seed', () => {
    assert.equal(timestamp(date), '20261124-090507');
    assert.equal(imageFileName({ prompt: 'A red Fox, flat ICON!', seed: 42, date, extension: 'png' }), '20261124-090507-a-red-fox-flat-icon-42.png');
    assert.equal(imageFileName({ prompt: 'x', seed: 42, date, extension: 'jpg' }, 3), '20261124-090507-x-42-3.jpg');
    assert.equal(imageFileName({ prompt: 'x', seed: undefined, date, extension: 'png' }), '20261124-090507-x.png');
  });

  it('keeps only safe characters and a bounded length, whatever the prompt', () => {
    const hostile = [
      '../../etc/passwd',
      'CON',
      'a/b\\c:d*e?f"g<h>i|j',
      '\u0000\u001f control',
      '🦊🦊🦊',
      'café crème brûlée',
      'x'.repeat(500),
      '(masterpiece:1.3), <lora:pixel:0.8> pixel sword',
      '',
    ];
    for (const prompt of hostile) {
      const name = imageFileName({ prompt, seed: 7, date, extension: 'png' });
      assert.match(name, /^20261124-090507-[a-z0-9-]+-7\.png$/, `${JSON.stringify(prompt)} -> ${name}`);
      assert.ok(name.length <= 80, `${name.length} characters`);
    }
    assert.equal(promptSlug('café crème brûlée'), 'cafe-creme-brulee');
    assert.equal(promptSlug('(masterpiece:1.3), <lora:pixel:0.8> pixel sword'), 'masterpiece-pixel-sword');
    assert.equal(promptSlug('🦊'), 'image');
  });

  it('follows a template: every token, empty values without their separator, {n} as the counter', () => {
    const parts = { prompt: 'A red fox', seed: 42, date, extension: 'png', model: 'sdxl/juggernaut_v9.safetensors [31e35c80fc]', width: 1216, height: 832 };
    assert.equal(imageFileName(parts, 1, '{model}_{width}x{height}_{date}_{time}_{prompt}_{seed}'), 'juggernaut-v9_1216x832_20261124_090507_a-red-fox_42.png');
    assert.equal(imageFileName({ ...parts, seed: -1 }, 1, '{prompt}_{seed}'), 'a-red-fox.png');
    assert.equal(imageFileName({ ...parts, model: undefined }, 1, '{model}-{prompt}'), 'a-red-fox.png');
    assert.equal(imageFileName({ ...parts, source: 'media/logo.png' }, 1, '{source}-variant-{n}'), 'logo-variant-1.png');
    assert.equal(imageFileName({ ...parts, source: 'My Logo.final.png' }, 3, '{source}-variant-{n}'), 'My Logo.final-variant-3.png');
    assert.equal(imageFileName(parts, 2, 'hero'), 'hero-2.png', 'a template without {n} counts after the name');
    assert.equal(imageFileName(parts, 1, '{source}-variant-{n}'), 'variant-1.png', 'no source: no dangling dash');
    assert.equal(imageFileName(parts, 1, '{promt}-{seed}'), 'promt-42.png', 'a misspelt token stays visible as text');
  });

  it('makes any template safe: no folders, no reserved names, no hidden files, bounded in bytes', () => {
    const parts = { prompt: 'x', seed: 7, date, extension: 'png' };
    assert.equal(imageFileName(parts, 1, '../{prompt}/..\\evil'), 'x-..-evil.png', 'slashes are not folders');
    assert.equal(imageFileName(parts, 1, 'CON'), 'image-CON.png');
    assert.equal(imageFileName(parts, 1, 'nul.{seed}'), 'image-nul.7.png');
    assert.equal(imageFileName(parts, 1, '.{prompt}.'), 'x.png');
    assert.equal(imageFileName(parts, 1, 'a\u202Eb\u0000c'), 'a-b-c.png');
    assert.equal(imageFileName(parts, 1, ''), 'image.png');
    const long = imageFileName(parts, 1, '狐'.repeat(200));
    assert.ok(Buffer.byteLength(long) <= 204, `${Buffer.byteLength(long)} bytes`);
    const cut = (attempt: number) => imageFileName(parts, attempt, `${'狐'.repeat(100)}-{n}`);
    assert.notEqual(cut(1), cut(2), 'a counter cut off by the length limit comes back at the end');
  });
});

describe('image sizes', () => {
  it('reads PNG, JPEG and WebP headers', () => {
    assert.deepEqual(imageSize(renderPicture({ width: 96, height: 64, seed: 1 }), 'png'), { width: 96, height: 64 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03]);
    assert.deepEqual(imageSize(jpeg, 'jpeg'), { width: 600, height: 300 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(1023, 24, 3);
    vp8x.writeUIntLE(767, 27, 3);
    assert.deepEqual(imageSize(vp8x, 'webp'), { width: 1024, height: 768 });
  });

  it('fits img2img output to the configured area, keeping the aspect ratio in multiples of 8', () => {
    assert.deepEqual(fitToArea({ width: 96, height: 64 }, { width: 512, height: 512 }), { width: 624, height: 416 });
    assert.deepEqual(fitToArea({ width: 1000, height: 1000 }, { width: 512, height: 512 }), { width: 512, height: 512 });
    assert.deepEqual(fitToArea({ width: 10000, height: 10 }, { width: 512, height: 512 }), { width: 4096, height: 64 });
  });
});

describe('infotext', () => {
  it('is rebuilt from the request when the server sends none', () => {
    const text = infotextFromRequest(
      { prompt: 'a fox', negative_prompt: 'blurry', steps: 20, sampler_name: 'Euler a', cfg_scale: 7, width: 512, height: 768 },
      99,
    );
    assert.equal(text, 'a fox\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 99, Size: 512x768');
    assert.equal(parseInfotext(text).prompt, 'a fox');
    assert.equal(parseInfotext('multi\nline prompt\nSteps: 20, Seed: 1, Size: 512x512').prompt, 'multi\nline prompt');
  });
});

describe('payload', () => {
  const defaults: GenerationDefaults = {
    negativePrompt: 'text',
    steps: 25,
    cfgScale: 6.5,
    width: 768,
    height: 512,
    sampler: 'x',
    scheduler: 'y',
    seed: -1,
    batchSize: 2,
    batchCount: 3,
  };

  it('sends every value the user can see', () => {
    assert.deepEqual(txt2imgPayload('p', defaults, { sampler_name: 'DPM++ 2M', scheduler: 'Karras' }), {
      prompt: 'p',
      negative_prompt: 'text',
      seed: -1,
      sampler_name: 'DPM++ 2M',
      scheduler: 'Karras',
      steps: 25,
      cfg_scale: 6.5,
      width: 768,
      height: 512,
      batch_size: 2,
      n_iter: 3,
    });
    const img = img2imgPayload(
      'p',
      defaults,
      { sampler_name: 'Euler' },
      { sourceBase64: 'AAAA', size: { width: 64, height: 128 }, denoisingStrength: 0.3, resizeMode: 'resizeAndFill' },
    );
    assert.deepEqual([img.init_images, img.denoising_strength, img.resize_mode, img.width, img.height, img.scheduler], [['AAAA'], 0.3, 2, 64, 128, undefined]);
  });
});

describe('progress text', () => {
  const progress = (step: number, steps: number, jobNo: number, jobs: number, eta: number) => ({
    progress: 0.5,
    eta_relative: eta,
    current_image: null,
    textinfo: null,
    state: { sampling_step: step, sampling_steps: steps, job_no: jobNo, job_count: jobs, interrupted: false, skipped: false },
  });

  it('shows step, batch and ETA; nothing while idle', () => {
    assert.deepEqual(describeProgress(progress(4, 20, 0, 1, 12.4)), { message: 'Step 5/20 · about 12 s left', fraction: 0.5 });
    assert.equal(describeProgress(progress(19, 20, 1, 3, 0))?.message, 'Step 20/20 · batch 2/3');
    assert.equal(describeProgress(progress(0, 0, 0, 0, 0)), undefined);
    assert.equal(formatDuration(125), '2 min 5 s');
    assert.equal(formatDuration(0.2), '1 s');
  });

  it("our own task's step follows from the fraction /internal/progress reports, exactly at every step", () => {
    for (const [steps, batches] of [
      [22, 1],
      [20, 3],
      [37, 2],
    ]) {
      for (let done = 0; done < steps * batches; done++) {
        // As A1111 computes it: job_no/jobs + step/steps/jobs (15/22 is 0.6818…, times 22 is 14.999…).
        const jobNo = Math.floor(done / steps);
        const fraction = jobNo / batches + (done - jobNo * steps) / steps / batches;
        const message = describeTaskProgress(fraction, undefined, steps, batches)?.message ?? '';
        assert.ok(message.startsWith(`Step ${(done % steps) + 1}/${steps}`), `${done} of ${steps}×${batches}: ${message}`);
      }
    }
    assert.match(describeQueued('In queue: 2/3'), /2 of 3/);
  });
});

describe('JobQueue', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('runs jobs of one server one at a time in order and reports positions', async () => {
    const queue = new JobQueue();
    const events: string[] = [];
    const positions: number[] = [];
    let release!: () => void;
    const first = queue.run('a', async () => {
      events.push('first start');
      await new Promise<void>((resolve) => (release = resolve));
      events.push('first end');
    });
    const second = queue.run('a', async () => void events.push('second'), { onPosition: (n) => positions.push(n) });
    const other = queue.run('b', async () => void events.push('other server'));
    await other;
    await tick();
    assert.deepEqual(events, ['first start', 'other server']);
    assert.equal(queue.size('a'), 2);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(events, ['first start', 'other server', 'first end', 'second']);
    assert.deepEqual(positions, [1]);
    assert.equal(queue.size('a'), 0);
  });

  it('drops a waiting job on abort and moves the ones behind it up', async () => {
    const queue = new JobQueue();
    let release!: () => void;
    const first = queue.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const second = queue.run('a', async () => assert.fail('must not run'), { signal: controller.signal });
    const positions: number[] = [];
    const third = queue.run('a', async () => 'third ran', { onPosition: (n) => positions.push(n) });
    controller.abort();
    await assert.rejects(second, { name: 'AbortError' });
    release();
    await first;
    assert.equal(await third, 'third ran');
    assert.deepEqual(positions, [2, 1]);
  });

  it('keeps going after a job fails', async () => {
    const queue = new JobQueue();
    await assert.rejects(
      queue.run('a', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await queue.run('a', async () => 'ok'), 'ok');
  });
});

describe('package.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

  it('contributes exactly the commands the extension registers', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, [...COMMAND_IDS].sort());
    for (const command of manifest.contributes.commands) assert.equal(command.category, '%command.category%');
  });

  it('documents every setting; the engine is the VS Code whose API the code compiles against', () => {
    for (const [key, schema] of Object.entries<Record<string, unknown>>(manifest.contributes.configuration.properties)) {
      assert.ok(key.startsWith('sdStudio.'), key);
      assert.equal(typeof schema.markdownDescription, 'string', `${key} has a markdownDescription`);
      assert.ok('default' in schema, `${key} has a default`);
    }
    // npm run check-types compiles src/ and test/ against @types/vscode at exactly this version, so
    // forks built on an older VS Code can install the extension; the offline test VS Code is 1.100.
    const types = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string };
    assert.equal(manifest.devDependencies['@types/vscode'], types.version, '@types/vscode is pinned');
    assert.equal(manifest.engines.vscode, `^${types.version}`);
    assert.equal(types.version, '1.95.0', 'the lowest version the code needs: 1.95 made the language model tools API stable (1.94 fails to compile)');
    // Where the user's GPU server usually is: the UI side in a remote window; the workspace side where the UI cannot run Node (a browser).
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('contributes the agent tools it registers, each with a description for the model and an input schema', () => {
    const tools = manifest.contributes.languageModelTools as {
      name: string;
      modelDescription: string;
      inputSchema: { required?: string[]; properties: object };
    }[];
    assert.deepEqual(
      tools.map((tool) => tool.name),
      [...AGENT_TOOL_NAMES],
    );
    for (const tool of tools) {
      assert.ok(tool.modelDescription.length > 100, tool.name);
      for (const field of tool.inputSchema.required ?? []) assert.ok(field in tool.inputSchema.properties, `${tool.name}: required ${field} is a property`);
    }
  });

  it("states every setting's default, range and values as src/shared/settingsSchema.ts does", () => {
    const properties = manifest.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(
      Object.keys(properties).sort(),
      Object.keys(SETTINGS)
        .map((key) => `sdStudio.${key}`)
        .sort(),
      'the same settings',
    );
    for (const [key, schema] of Object.entries(SETTINGS)) {
      const contributed = properties[`sdStudio.${key}`];
      const expected = schema as { default: unknown; minimum?: number; maximum?: number; multipleOf?: number; enum?: readonly string[]; integer?: boolean };
      assert.deepEqual(contributed.default, expected.default, `${key}: default`);
      assert.equal(contributed.minimum, expected.minimum, `${key}: minimum`);
      assert.equal(contributed.maximum, expected.maximum, `${key}: maximum`);
      assert.equal(contributed.multipleOf, expected.multipleOf, `${key}: multipleOf`);
      assert.deepEqual(contributed.enum, expected.enum, `${key}: enum`);
      if (expected.integer) assert.equal(contributed.type, 'integer', `${key}: integer`);
      else if (typeof expected.default === 'number') assert.equal(contributed.type, 'number', `${key}: number`);
    }
    assert.deepEqual(
      manifest.activationEvents,
      ['onStartupFinished', 'onWebviewPanel:sdStudio.generationPanel', 'workspaceContains:**/sd-assets.json', 'workspaceContains:**/*.sd-assets.json'],
      "after startup (the status bar item from the start, never delaying VS Code's own); a restored panel and a recipes file (for its CodeLens) sooner",
    );
  });
});

describe('failure wording', () => {
  it('a login error names the button it is shown with', () => {
    for (const [status, hadCredentials] of [
      [401, true],
      [401, false],
      [403, true],
    ] as const) {
      const failure = describeFailure(
        errorForStatus({
          origin: 'http://127.0.0.1:7860',
          endpoint: '/sdapi/v1/options',
          status,
          contentType: 'application/json',
          bodyText: '{"detail":"Not authenticated"}',
          hadCredentials,
        }),
      );
      const button = failure.actions[0].label;
      assert.equal(button, 'Enter Credentials…');
      assert.ok(failure.message.includes(`"${button}"`), failure.message);
    }
  });
});
