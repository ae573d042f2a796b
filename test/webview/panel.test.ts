import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { describeFailure } from '../../src/errors/failure';
import { SaveFailedError, UserError } from '../../src/errors/userError';
import { maskCoverage } from '../../src/image/pngPixels';
import { SdApiError, type SdApiErrorKind } from '../../src/sdapi/errors';
import type { FormValues, ServerView } from '../../src/shared/protocol';
import { CHROMIUM, CHROMIUM_ARGS } from '../harness/codeServer';
import { renderPicture } from '../server/pictures';
import { openPanelPage, startPageServer, type PageServer, type PanelPage } from './pageServer';
import { DEFAULTS, galleryItems, init, SERVER, studioState } from './panelStates';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-results');

describe('Generation panel page in Chromium', function () {
  this.timeout(30_000);
  let browser: Browser;
  let server: PageServer;
  let panel: PanelPage;

  before(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startPageServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(options: Parameters<typeof openPanelPage>[2] = {}, viewport = { width: 1100, height: 820 }): Promise<PanelPage> {
    const page = await browser.newPage({ viewport });
    panel = await openPanelPage(page, server.origin, options);
    return panel;
  }

  afterEach(async function () {
    if (panel) {
      assert.deepEqual(panel.problems, [], 'no CSP violations or script errors');
      await panel.page.close();
    }
  });

  const value = (selector: string) => panel.page.inputValue(selector);
  /** The last message other than the debounced form copy. */
  const lastAction = async () => (await panel.sent()).filter((m) => m.type !== 'formState').at(-1);
  /** The next message of this type the page sends after `trigger` (Generate is asynchronous when outpainting). */
  const nextAction = async (type: string, trigger: () => Promise<unknown>) => {
    const ofType = async () => (await panel.sent()).filter((m) => m.type === type);
    const before = (await ofType()).length;
    await trigger();
    for (let i = 0; i < 100; i++) {
      const now = await ofType();
      if (now.length > before) return now.at(-1)!;
      await panel.page.waitForTimeout(50);
    }
    throw new Error(`the page sent no ${type}`);
  };
  const shot = async (name: string) => {
    const file = path.join(SCREENSHOTS, `webview-${name}.png`);
    await panel.page.screenshot({ path: file, fullPage: false });
    return file;
  };

  it('says ready, then fills the form from the defaults and shows an empty gallery', async () => {
    await open();
    assert.deepEqual((await panel.sent())[0], { type: 'ready' });
    assert.equal(await panel.page.getAttribute('main', 'aria-busy'), 'true', 'busy until the host answers');
    await panel.receive(init(server.origin));
    assert.equal(await panel.page.getAttribute('main', 'aria-busy'), 'false');
    assert.equal(await value('#steps'), '20');
    assert.equal(await value('#negativePrompt'), 'blurry');
    assert.equal(await value('#sizePreset'), '512x512');
    assert.ok(await panel.page.isVisible('#galleryEmpty'));
    assert.ok(await panel.page.isHidden('#sourceSection'), 'img2img controls only in image-to-image mode');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'prompt', 'focus starts in the prompt');
  });

  it('keeps a strict CSP: nonce script only, no inline handlers, nothing remote', async () => {
    await open();
    const csp = await panel.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.match(csp ?? '', /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval|connect-src/);
    await panel.receive(init(server.origin, { gallery: galleryItems(server.origin, 4), server: SERVER }));
    const inlineHandlers = await panel.page.evaluate(
      () => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    );
    assert.equal(inlineHandlers, 0);
    // A script without the nonce is refused by the page's CSP.
    const ran = await panel.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    assert.equal(ran, false);
    panel.problems.length = 0; // that refusal is the expected CSP report
  });

  it('lists models, samplers and schedulers from the server; hides the scheduler on old servers', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    assert.equal(await value('#model'), SERVER.currentModel);
    assert.deepEqual(await panel.page.$$eval('#sampler option', (o) => o.map((x) => x.textContent)), SERVER.samplers);
    assert.ok(await panel.page.isVisible('#scheduler'));
    await panel.page.selectOption('#model', SERVER.models![1].title);
    assert.deepEqual(await lastAction(), { type: 'selectModel', title: SERVER.models![1].title });
    await panel.receive({ type: 'server', server: { ...SERVER, samplers: ['Euler a', 'DPM++ 2M Karras'], schedulers: undefined } });
    assert.ok(await panel.page.isHidden('#scheduler'), 'A1111 1.8: one combined sampler list');
    assert.equal(await value('#sampler'), 'DPM++ 2M', 'the saved sampler is kept');
    assert.match((await panel.page.textContent('#sampler option:checked')) ?? '', /not on this server/);
  });

  it('shows a combined sampler setting as the pair the server knows, and sends what the user then picks', async () => {
    await open();
    await panel.receive(
      init(server.origin, { defaults: { ...DEFAULTS, prompt: 'a fox', sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, server: SERVER }),
    );
    assert.equal(await value('#sampler'), 'DPM++ 2M');
    assert.equal(await value('#scheduler'), 'Karras');
    assert.doesNotMatch((await panel.page.textContent('#sampler option:checked')) ?? '', /not on this server/);
    await panel.page.selectOption('#scheduler', 'Exponential');
    await panel.page.click('#generate');
    const sent = (await lastAction()) as { type: string; form: FormValues };
    assert.equal(sent.type, 'generate');
    assert.deepEqual([sent.form.sampler, sent.form.scheduler], ['DPM++ 2M', 'Exponential'], 'the scheduler picked is the one sent');
  });

  it('shows validation errors next to their fields and sends nothing until they are fixed', async () => {
    await open({ theme: 'light' });
    await panel.receive(init(server.origin, { server: SERVER, gallery: galleryItems(server.origin, 2) }));
    await panel.page.fill('#prompt', '');
    await panel.page.fill('#width', '500');
    await panel.page.fill('#steps', '0');
    await panel.page.click('#generate');
    assert.equal(await panel.page.textContent('#prompt-error'), 'Describe the image you want.');
    assert.equal(await panel.page.textContent('#width-error'), 'Width must be a multiple of 8 (try 504).');
    assert.equal(await panel.page.textContent('#steps-error'), 'Steps must be a whole number from 1 to 150.');
    assert.equal(await panel.page.getAttribute('#width', 'aria-invalid'), 'true');
    assert.equal(await panel.page.getAttribute('#width', 'aria-describedby'), 'width-error');
    assert.ok(!(await panel.sent()).some((m) => m.type === 'generate'));
    await shot('validation-light');
    await panel.page.fill('#width', '504');
    assert.ok(await panel.page.isHidden('#width-error'), 'fixed fields clear at once');
    assert.equal(await panel.page.getAttribute('#width', 'aria-invalid'), 'false');
  });

  it('generates with Ctrl+Enter, sending every form value', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    await panel.page.fill('#prompt', 'a tiny robot mascot');
    await panel.page.selectOption('#sizePreset', '768x512');
    await panel.page.selectOption('#sampler', 'Euler a');
    await panel.page.selectOption('#scheduler', 'Karras');
    await panel.page.fill('#seed', '42');
    await panel.page.fill('#batchSize', '2');
    await panel.page.focus('#prompt');
    await panel.page.keyboard.press('Control+Enter');
    const generate = (await panel.sent()).find((m) => m.type === 'generate');
    assert.deepEqual(generate, {
      type: 'generate',
      form: { ...DEFAULTS, prompt: 'a tiny robot mascot', width: 768, height: 512, sampler: 'Euler a', scheduler: 'Karras', seed: 42, batchSize: 2 },
    });
  });

  it("shows the server's field errors (a 422) and the error banner with its action", async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    await panel.receive({ type: 'fieldErrors', errors: [{ field: 'steps', message: 'ensure this value is less than or equal to 100' }] });
    assert.equal(await panel.page.textContent('#steps-error'), 'ensure this value is less than or equal to 100');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'steps', 'focus moves to the first bad field');
    // Every kind of failure: the banner shows errors/failure.ts's sentence and exactly its actions (the notification's buttons).
    const kinds: SdApiErrorKind[] = [
      'unreachable',
      'unknownHost',
      'timeout',
      'tls',
      'connectionLost',
      'unauthorized',
      'forbidden',
      'noApi',
      'notFound',
      'methodNotAllowed',
      'tooLarge',
      'validation',
      'server',
      'gateway',
      'notJson',
      'badResponse',
      'noImages',
      'notImage',
      'http',
    ];
    const errors: unknown[] = [
      ...kinds.map((kind) => new SdApiError(kind, `A ${kind} failure at http://127.0.0.1:7860.`)),
      new UserError('Select the text to use as the prompt.'),
      new UserError('Bad URL (setting sdStudio.serverUrl).', true),
      new SaveFailedError('Could not save; kept.', 'file:///ws/out', [], ['file:///kept/a.png']),
      new Error('boom'),
    ];
    for (const error of errors) {
      const failure = describeFailure(error);
      await panel.receive({ type: 'error', message: failure.message, actions: failure.actions });
      assert.equal(await panel.page.textContent('#banner p'), failure.message);
      const labels = await panel.page.$$eval('#banner button', (buttons) => buttons.map((b) => b.textContent));
      assert.deepEqual(labels, [...failure.actions.map((a) => a.label), 'Dismiss'], `buttons for ${failure.kind}`);
      for (const action of failure.actions) {
        await panel.page.click(`#banner button:has-text("${action.label}")`);
        assert.deepEqual(await lastAction(), { type: 'failureAction', id: action.id });
      }
    }
    const unauthorized = describeFailure(new SdApiError('unauthorized', 'The server at http://127.0.0.1:7860 requires a username and password.'));
    assert.deepEqual(
      unauthorized.actions.map((a) => a.label),
      ['Enter Credentials…', 'Show Log'],
    );
  });

  it('announces progress to screen readers when a job starts and then at most every 5 s, not on every step', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
    await page.clock.install();
    panel = await openPanelPage(page, server.origin);
    await panel.receive(init(server.origin, { server: SERVER }));
    const announced = () => page.textContent('#progressAnnouncer');
    await panel.receive({ type: 'jobs', jobs: [{ id: 'job-1', prompt: 'a red fox', state: 'running' }] });
    assert.equal(await announced(), 'a red fox: Starting…', 'a new job is announced at once');
    assert.equal(await page.getAttribute('#progressText', 'aria-live'), null, 'the step text itself is not a live region');
    for (let step = 1; step <= 8; step++) {
      await panel.receive({ type: 'progress', jobId: 'job-1', message: `Step ${step}/20`, fraction: step / 20 });
      await page.clock.runFor(500);
    }
    assert.equal(await page.textContent('#progressText'), 'Step 8/20', 'the visible text follows every step');
    assert.equal(await announced(), 'a red fox: Starting…', 'four seconds of steps: nothing more announced yet');
    await page.clock.runFor(1100);
    assert.equal(await announced(), 'Step 8/20', 'after five seconds, the latest step');
    await panel.receive({ type: 'progress', jobId: 'job-1', message: 'Step 9/20', fraction: 0.45 });
    await panel.receive({ type: 'jobs', jobs: [] });
    await page.clock.runFor(6000);
    assert.equal(await announced(), 'Step 8/20', 'a finished job leaves no late step behind');
  });

  it('shows progress with step, time left and live preview; cancels the running job and removes a queued one', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER, gallery: galleryItems(server.origin, 3) }));
    await panel.receive({
      type: 'jobs',
      jobs: [
        { id: 'job-1', prompt: 'a flat vector app icon of a red fox', state: 'running' },
        { id: 'job-2', prompt: 'hero banner, misty mountains', state: 'queued' },
      ],
    });
    const preview = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets', 'source.png')).toString('base64');
    await panel.receive({
      type: 'progress',
      jobId: 'job-1',
      message: 'Step 12/20 · about 4 s left',
      fraction: 0.6,
      preview: `data:image/png;base64,${preview}`,
    });
    assert.ok(await panel.page.isVisible('#progress'));
    assert.equal(await panel.page.textContent('#progressText'), 'Step 12/20 · about 4 s left');
    assert.equal(await panel.page.evaluate(() => (document.getElementById('progressBar') as HTMLProgressElement).value), 0.6);
    assert.ok(await panel.page.isVisible('#livePreview'));
    assert.equal(await panel.page.textContent('#generate'), 'Add to Queue');
    assert.match((await panel.page.textContent('#queue')) ?? '', /1\. hero banner, misty mountains/);
    await shot('progress-dark');
    await panel.page.click('#queue button');
    assert.deepEqual(await lastAction(), { type: 'cancel', jobId: 'job-2' });
    await panel.page.click('#cancel');
    assert.deepEqual(await lastAction(), { type: 'cancel', jobId: 'job-1' });
    await panel.receive({ type: 'jobs', jobs: [] });
    assert.ok(await panel.page.isHidden('#progress'));
  });

  it('renders the gallery newest first with lazy thumbnails, and every card action posts its message', async () => {
    await open({ theme: 'light' });
    const items = galleryItems(server.origin, 6);
    await panel.receive(init(server.origin, { server: SERVER, gallery: items }));
    await panel.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('#gallery img')].slice(0, 3).every((img) => img.complete && img.naturalWidth > 0),
    );
    assert.equal(await panel.page.locator('#gallery .card').count(), 6);
    assert.equal(await panel.page.textContent('#galleryCount'), '(6)');
    assert.equal(await panel.page.getAttribute('#gallery .card img', 'loading'), 'lazy');
    assert.match((await panel.page.textContent('#gallery .card .card-meta')) ?? '', /^seed 1000 · 512×512 · sd_xl_base_1\.0 · /);
    const first = panel.page.locator('#gallery .card').first();
    for (const [label, action] of [
      ['Insert', 'insert'],
      ['Use as source', 'useAsSource'],
      ['Parameters', 'parameters'],
      ['Upscale', 'upscale'],
      ['Describe', 'describe'],
      ['More…', 'operations'],
      ['Reveal', 'reveal'],
      ['Copy path', 'copyPath'],
      ['Delete', 'delete'],
    ] as const) {
      await first.locator('button', { hasText: label }).click();
      assert.deepEqual(await lastAction(), { type: 'galleryAction', action, id: 'id-0' });
    }
    await first.locator('.thumb').click();
    assert.deepEqual(await lastAction(), { type: 'galleryAction', action: 'open', id: 'id-0' });
    await shot('gallery-light');
  });

  it("shows a recipe entry's candidates side by side; Use this and Keep none post their messages", async () => {
    await open({ theme: 'dark' });
    await panel.receive(init(server.origin, { server: SERVER, gallery: galleryItems(server.origin, 2) }));
    assert.ok(await panel.page.locator('#candidates').isHidden(), 'no section without offers');
    const images = [0, 1, 2, 3].map((i) => ({ src: `${server.origin}/images/${i + 1}.png`, seed: 42 + i, name: `fox-${42 + i}.png`, width: 512, height: 512 }));
    await panel.receive({ type: 'candidates', offers: [{ id: 'offer-1', entryPath: 'media/fox.png', manifest: 'sd-assets.json', images }] });
    const offer = panel.page.locator('#candidates [role="group"]', { hasText: 'media/fox.png' });
    await offer.waitFor();
    assert.equal(await offer.locator('.candidate').count(), 4);
    assert.equal(await offer.locator('.candidate img').nth(2).getAttribute('alt'), 'Candidate 3, seed 44 for media/fox.png');
    await panel.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('#candidates img')].every((img) => img.complete && img.naturalWidth > 0),
    );
    await shot('candidates-dark');
    await panel.page.getByRole('button', { name: 'Use candidate 3, seed 44 for media/fox.png' }).click();
    assert.deepEqual(await lastAction(), { type: 'pickCandidate', offerId: 'offer-1', index: 2 });
    await offer.getByRole('button', { name: 'Keep none of the candidates for media/fox.png' }).click();
    assert.deepEqual(await lastAction(), { type: 'dismissCandidates', offerId: 'offer-1' });
    await panel.receive({ type: 'candidates', offers: [] });
    await panel.page.locator('#candidates').waitFor({ state: 'hidden' });
  });

  it('a server that serves one model: the model list is disabled and one sentence says why', async () => {
    await open();
    const fixedModel = 'koboldcpp 1.77 serves the model it was started with: restart it to use another.';
    await panel.receive(init(server.origin, { server: { ...SERVER, fixedModel } }));
    await panel.page.locator('.model-status', { hasText: fixedModel }).waitFor();
    assert.equal(await panel.page.locator('#model').isDisabled(), true);
  });

  it('offers the named servers once there are two, and the pool once two are marked; asks the host to switch', async () => {
    /** Two named servers, the first in use unless the pool is; the pool when given. */
    const twoServers = (pool?: { active: boolean }) => ({
      type: 'server' as const,
      server: {
        ...SERVER,
        profiles: [
          { name: 'Local 4090', active: !pool?.active },
          { name: 'Team space', active: false },
        ],
        ...(pool ? { pool: { label: 'Pool: Local 4090 + Team space', active: pool.active } } : {}),
      },
    });
    await open();
    await panel.receive(init(server.origin, { server: { ...SERVER, profiles: [{ name: 'Local 4090', active: true }] } }));
    assert.ok(await panel.page.locator('.server-picker').isHidden(), 'one server: nothing to choose');
    await panel.receive(twoServers());
    const picker = panel.page.getByLabel('Server', { exact: true });
    await picker.waitFor();
    assert.equal(await picker.inputValue(), 'Local 4090');
    await picker.selectOption('Team space');
    assert.deepEqual(await lastAction(), { type: 'selectServer', name: 'Team space' });

    // Marked as a pool: the pool is a choice of its own, shown as chosen while in use.
    await panel.receive(twoServers({ active: false }));
    await picker.selectOption({ label: 'Pool: Local 4090 + Team space' });
    assert.deepEqual(await lastAction(), { type: 'usePool' });
    await panel.receive(twoServers({ active: true }));
    assert.equal(await picker.locator('option:checked').textContent(), 'Pool: Local 4090 + Team space');
  });

  it("reuses an image's parameters (the host reads them from the file) and its seed", async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER, gallery: galleryItems(server.origin, 2) }));
    const asked = await nextAction('galleryAction', () => panel.page.locator('#gallery .card').nth(1).locator('button', { hasText: 'Reuse' }).click());
    assert.deepEqual(asked, { type: 'galleryAction', action: 'reuse', id: 'id-1' });
    await panel.receive({
      type: 'prefill',
      values: { prompt: 'hero banner, misty mountains at sunrise, wide', seed: 1001, steps: 28, cfgScale: 6.5, sampler: 'Euler a', hiresFix: true },
    });
    assert.equal(await value('#prompt'), 'hero banner, misty mountains at sunrise, wide');
    assert.equal(await panel.page.getAttribute('#moreSettings', 'open'), '', 'what is set beyond the basics shows');
    assert.equal(await value('#seed'), '1001');
    assert.equal(await value('#steps'), '28');
    assert.equal(await value('#cfgScale'), '6.5');
    assert.equal(await value('#sampler'), 'Euler a');
    await panel.page.click('#randomSeed');
    assert.equal(await value('#seed'), '-1');
    await panel.page.click('#lastSeed');
    assert.equal(await value('#seed'), '1000', '"Last" is the newest image\'s seed');
  });

  it('switches to image to image with a source from the host, a drop or the picker', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    await panel.page.check('#mode-img2img');
    assert.ok(await panel.page.isVisible('#sourceSection'));
    await panel.page.click('#chooseSource');
    assert.deepEqual(await lastAction(), { type: 'pickSource' });
    await panel.page.dispatchEvent('#dropZone', 'drop', {
      dataTransfer: await panel.page.evaluateHandle(() => {
        const data = new DataTransfer();
        data.setData('text/uri-list', 'file:///work/assets/boat.png\r\n');
        return data;
      }),
    });
    assert.deepEqual(await lastAction(), { type: 'setSource', path: 'file:///work/assets/boat.png' });
    await panel.receive({
      type: 'source',
      source: { path: 'assets/source.png', src: `${server.origin}/images/7.png`, width: 96, height: 64, suggestedWidth: 624, suggestedHeight: 416 },
    });
    assert.equal(await panel.page.textContent('#source-text'), 'assets/source.png · 96×64');
    assert.deepEqual([await value('#width'), await value('#height')], ['624', '416'], "the size follows the source's aspect ratio");
    await panel.page.fill('#prompt', 'a paper boat on a stormy sea');
    await panel.page.fill('#denoisingStrength', '0.45');
    await panel.page.click('#generate');
    const sent = (await lastAction()) as { type: string; form: FormValues };
    assert.equal(sent.type, 'generate');
    assert.deepEqual([sent.form.mode, sent.form.source, sent.form.denoisingStrength], ['img2img', 'assets/source.png', 0.45]);
    await shot('img2img-dark');
  });

  it('sends the host a debounced copy of the form, and restores from it when the webview state is gone', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    for (const letter of 'a fox') await panel.page.type('#prompt', letter);
    await panel.page.waitForTimeout(450);
    const copies = (await panel.sent()).filter((m) => m.type === 'formState');
    assert.equal(copies.length, 1, 'one copy after typing stops, not one per key');
    assert.equal((copies[0] as { form: FormValues }).form.prompt, 'a fox');
    await panel.page.close();
    await open();
    await panel.receive(init(server.origin, { server: SERVER, savedForm: { ...DEFAULTS, prompt: 'from the host', steps: 31 } }));
    assert.equal(await value('#prompt'), 'from the host');
    assert.equal(await value('#steps'), '31');
  });

  it('holds messages that arrive before init, so a reload racing the host keeps the form', async () => {
    await open();
    await panel.receive({
      type: 'source',
      source: { path: 'assets/source.png', src: `${server.origin}/images/7.png`, width: 96, height: 64, suggestedWidth: 624, suggestedHeight: 416 },
    });
    assert.equal(await panel.page.getAttribute('main', 'aria-busy'), 'true', 'still waiting for init');
    await panel.receive(init(server.origin, { server: SERVER, savedForm: { ...DEFAULTS, prompt: 'saved before the reload', steps: 27 } }));
    assert.equal(await value('#prompt'), 'saved before the reload');
    assert.equal(await value('#steps'), '27');
    assert.equal(await panel.page.textContent('#source-text'), 'assets/source.png · 96×64', 'the early source applied after init');
    assert.equal(((await panel.state()) as { form: FormValues }).form.steps, 27, 'the state kept the restored form');
  });

  it('keeps the form in the webview state and restores it after a reload', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER }));
    await panel.page.fill('#prompt', 'restored prompt');
    await panel.page.fill('#steps', '33');
    const state = await panel.state();
    assert.equal((state as { form: FormValues }).form.prompt, 'restored prompt');
    await panel.page.close();
    await open({ state });
    await panel.receive(init(server.origin, { server: SERVER }));
    assert.equal(await value('#prompt'), 'restored prompt');
    assert.equal(await value('#steps'), '33');
  });

  it('treats prompts and server text as text, never as HTML', async () => {
    await open();
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const items = galleryItems(server.origin, 1).map((item) => ({ ...item, prompt: hostile, model: '<script>window.__pwned=2</script>' }));
    await panel.receive(init(server.origin, { server: { ...SERVER, samplers: [hostile] }, gallery: items }));
    await panel.receive({ type: 'error', message: hostile, actions: [] });
    await panel.receive({ type: 'jobs', jobs: [{ id: 'j', prompt: hostile, state: 'running' }] });
    assert.equal(await panel.page.locator('b').count(), 0);
    assert.equal(await panel.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await panel.page.textContent('#gallery .card-prompt'), hostile);
  });

  it('is reachable by keyboard: every control has a label and Tab reaches Generate', async () => {
    await open();
    await panel.receive(init(server.origin, { server: SERVER, gallery: galleryItems(server.origin, 1) }));
    const unlabelled = await panel.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('input, select, textarea, button')]
        .filter((el) => !el.hidden && el.offsetParent !== null)
        .filter((el) => {
          const id = el.id;
          const byFor = id && document.querySelector(`label[for="${id}"]`);
          const wrapped = el.closest('label');
          return !byFor && !wrapped && !el.getAttribute('aria-label') && !(el.textContent ?? '').trim();
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
    await panel.page.focus('#prompt');
    const reached: string[] = [];
    for (let i = 0; i < 40 && !reached.includes('generate'); i++) {
      await panel.page.keyboard.press('Tab');
      reached.push(await panel.page.evaluate(() => document.activeElement?.id ?? ''));
    }
    assert.ok(reached.includes('generate'), `Tab order: ${reached.join(', ')}`);
  });

  it('inpainting: paints a mask over the source with the pointer; undo, invert, keys; the mask goes with Generate (screenshot)', async () => {
    await open({ theme: 'dark' }, { width: 1100, height: 1200 });
    await panel.receive(init(server.origin, { server: SERVER }));
    await panel.receive({
      type: 'source',
      source: { path: 'assets/source.png', src: `${server.origin}/images/7.png`, width: 200, height: 100, suggestedWidth: 624, suggestedHeight: 312 },
    });
    const page = panel.page;
    await page.check('#inpaint');
    const canvas = page.locator('#maskCanvas');
    const painted = () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
        return count / (c.width * c.height);
      });
    assert.equal(await painted(), 0);
    const box = (await canvas.boundingBox())!;
    // A stroke across the middle, in screen pixels: the canvas maps it to the source's 200 × 100.
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    const stroke = await painted();
    assert.ok(stroke > 0.1 && stroke < 0.6, `a stroke covers part of it: ${stroke}`);
    await page.click('#maskUndo');
    assert.equal(await painted(), 0, 'undo takes the stroke back');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.click('#maskInvert');
    assert.ok(Math.abs((await painted()) - (1 - stroke)) < 0.02, 'invert paints the rest');
    await page.click('#maskInvert');
    await canvas.focus();
    await page.keyboard.press('e');
    assert.ok(await page.locator('#maskEraser').isChecked(), 'E: the eraser');
    await page.keyboard.press('b');
    await page.locator('#maskStage').screenshot({ path: path.join(SCREENSHOTS, 'webview-inpaint-dark.png') });
    await page.fill('#prompt', 'a red door');
    await page.fill('#maskBlur', '8');
    await page.selectOption('#inpaintArea', 'masked');
    await page.click('#generate');
    const sent = (await lastAction()) as { type: string; form: FormValues; mask?: string };
    assert.equal(sent.type, 'generate');
    assert.deepEqual([sent.form.maskBlur, sent.form.inpaintArea, sent.form.maskFill], [8, 'masked', 'original']);
    const coverage = maskCoverage(Buffer.from(sent.mask ?? '', 'base64'));
    assert.equal(coverage?.width, 200, 'the mask has the source size');
    assert.ok(coverage && Math.abs(coverage.painted - stroke) < 0.02, `the mask sent is what was painted: ${coverage?.painted} vs ${stroke}`);
    await page.uncheck('#inpaint');
    await page.click('#generate');
    assert.equal(((await lastAction()) as { mask?: string }).mask, undefined, 'no mask without inpainting');
  });

  it('outpainting: grows the canvas to an aspect ratio, hatches the new area, sends the padded source and its mask; zoom (screenshot)', async () => {
    await open({ theme: 'dark' }, { width: 1100, height: 1400 });
    await panel.receive(init(server.origin, { server: SERVER }));
    // A source outside the output folder arrives as data:, one inside it (as here) as a URL: the
    // page then asks the host for its pixels when it needs them.
    await panel.receive({
      type: 'source',
      source: { path: 'assets/icon.png', src: `${server.origin}/images/7.png`, width: 200, height: 100, suggestedWidth: 624, suggestedHeight: 312 },
    });
    const page = panel.page;
    await page.check('#inpaint');
    await page.click('#extendTo1x1');
    assert.deepEqual(
      await Promise.all(['#extendLeft', '#extendTop', '#extendRight', '#extendBottom'].map(value)),
      ['0', '48', '0', '48'],
      '1:1 grows a 2:1 source up and down, in multiples of 8',
    );
    assert.match((await page.textContent('#outpaintHint')) ?? '', /Canvas 200×196/);
    assert.deepEqual([await value('#width'), await value('#height')], ['448', '440'], 'the output keeps the pixel count at the new aspect ratio');
    const stage = page.locator('#maskStage');
    const box = (await stage.boundingBox())!;
    assert.ok(Math.abs(box.width / box.height - 200 / 196) < 0.02, `the stage has the grown canvas's shape: ${box.width}×${box.height}`);
    assert.ok(await stage.evaluate((element) => element.classList.contains('extended')), 'the new area is hatched');
    await page.locator('#sourceSection').screenshot({ path: path.join(SCREENSHOTS, 'webview-outpaint-preset-dark.png') });

    await page.selectOption('#maskZoom', '2');
    assert.equal(Math.round((await stage.boundingBox())!.width), 400, 'zoom 200%: two screen pixels per image pixel (the frame scrolls)');
    await page.locator('#maskCanvas').focus();
    await page.keyboard.press('0');
    assert.equal(await value('#maskZoom'), '0', '0 fits again');

    await page.fill('#prompt', 'a fox icon on a meadow');
    await nextAction('sourceData', () => page.click('#generate'));
    const png = renderPicture({ width: 200, height: 100, seed: 7 });
    const sent = (await nextAction('generate', () =>
      panel.receive({ type: 'sourceData', path: 'assets/icon.png', src: `data:image/png;base64,${png.toString('base64')}` }),
    )) as { form: FormValues; mask?: string; extended?: string };
    assert.deepEqual([sent.form.extendTop, sent.form.extendBottom, sent.form.extendLeft, sent.form.extendRight], [48, 48, 0, 0]);
    const coverage = maskCoverage(Buffer.from(sent.mask ?? '', 'base64'));
    assert.deepEqual([coverage?.width, coverage?.height], [200, 196], 'the mask has the grown size');
    // The new rows (48 + 48) and 8 rows of seam on each side: 112 of 196.
    assert.ok(coverage && Math.abs(coverage.painted - 112 / 196) < 0.01, `the new area and the seam are masked: ${coverage?.painted}`);
    // The padded source: the source unchanged in its place, the new area filled from its colours.
    const check = await page.evaluate(
      async ({ padded, source }) => {
        const pixels = async (src: string) => {
          const image = new Image();
          image.src = src;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d')!;
          context.drawImage(image, 0, 0);
          return { width: image.width, height: image.height, data: context.getImageData(0, 0, image.width, image.height).data };
        };
        const out = await pixels(`data:image/png;base64,${padded}`);
        const original = await pixels(`data:image/png;base64,${source}`);
        let differing = 0;
        for (let y = 0; y < 100; y++) {
          for (let x = 0; x < 200; x++) {
            const a = ((y + 48) * out.width + x) * 4;
            const b = (y * 200 + x) * 4;
            if (Math.abs(out.data[a] - original.data[b]) > 2 || Math.abs(out.data[a + 1] - original.data[b + 1]) > 2) differing++;
          }
        }
        const corner = [...out.data.slice(0, 4)];
        return { width: out.width, height: out.height, differing, corner };
      },
      { padded: sent.extended ?? '', source: png.toString('base64') },
    );
    assert.deepEqual([check.width, check.height], [200, 196]);
    assert.equal(check.differing, 0, 'the source is unchanged in the middle');
    assert.equal(check.corner[3], 255, 'the new area is opaque, filled from the source');

    await page.uncheck('#inpaint');
    const plain = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues; extended?: string };
    assert.equal(plain.extended, undefined, 'no outpainting without the mask editor');
    assert.equal(plain.form.extendTop, 0);
  });

  it('ControlNet: units with an image, preprocessor, model and weights go with Generate; a server without it says so (screenshot)', async () => {
    const withControlNet: ServerView = {
      ...SERVER,
      controlNet: {
        modules: ['none', 'canny', 'depth_midas'],
        models: ['None', 'control_v11p_sd15_canny [d14c016b]', 'control_v11f1p_sd15_depth [cfd03158]'],
        units: 2,
      },
    };
    await open({ theme: 'dark' }, { width: 1100, height: 1600 });
    await panel.receive(init(server.origin, { server: withControlNet }));
    const page = panel.page;
    await page.click('#controlNetSection summary');
    await page.click('#addControlUnit');
    assert.equal(await value('#cn-model-0'), 'control_v11p_sd15_canny [d14c016b]', 'a new unit starts with the first model');
    assert.equal(await value('#cn-module-0'), 'none');
    await page.fill('#prompt', 'a dancer on a stage');
    await page.click('#generate');
    assert.equal(await page.textContent('[id="controlNet.0.image-error"]'), 'ControlNet unit 1: choose a control image.');
    assert.notEqual((await lastAction())?.type, 'generate', 'nothing sent without a control image');

    const picked = await nextAction('pickControlImage', () => page.click('#cn-choose-0'));
    assert.deepEqual(picked, { type: 'pickControlImage', unit: 0 });
    await panel.receive({
      type: 'controlImage',
      unit: 0,
      image: { path: 'art/pose.png', src: `${server.origin}/images/3.png`, width: 256, height: 256, suggestedWidth: 512, suggestedHeight: 512 },
    });
    assert.match((await page.textContent('#cn-unit-0')) ?? '', /art\/pose\.png/);
    await page.selectOption('#cn-module-0', 'canny');
    await page.fill('#cn-weight-0', '0.7');
    await page.fill('#cn-guidanceEnd-0', '0.8');
    await page.selectOption('#cn-controlMode-0', 'prompt');
    await page.click('#addControlUnit');
    assert.ok(await page.isHidden('#addControlUnit'), "no more than the server's Multi-ControlNet setting (2)");
    await page.selectOption('#cn-model-1', 'control_v11f1p_sd15_depth [cfd03158]');
    await page.locator('#controlNetSection').screenshot({ path: path.join(SCREENSHOTS, 'webview-controlnet-units-dark.png') });
    await page.click('#cn-remove-1');
    assert.equal(await page.locator('.control-unit').count(), 1, 'Remove takes the unit away');
    const sent = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.deepEqual(sent.form.controlNet, [
      {
        image: 'art/pose.png',
        module: 'canny',
        model: 'control_v11p_sd15_canny [d14c016b]',
        weight: 0.7,
        guidanceStart: 0,
        guidanceEnd: 0.8,
        controlMode: 'prompt',
        resizeMode: 'cropAndResize',
        pixelPerfect: true,
      },
    ]);

    await panel.receive({
      type: 'server',
      server: { ...SERVER, controlNetMissing: 'Local has no ControlNet: install the sd-webui-controlnet extension (Forge has it built in).' },
    });
    assert.match((await page.textContent('#controlNetMissing')) ?? '', /^Local has no ControlNet: .* The units below are not sent\.$/);
    assert.ok(await page.isHidden('#addControlUnit'));
    const without = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.deepEqual(without.form.controlNet, [], 'no unit is sent to a server without ControlNet');
    // Reusing an image's parameters there, then going back to a server with ControlNet, keeps the unit.
    await panel.receive({ type: 'prefill', values: { prompt: 'a dancer, reused' } });
    await panel.receive({ type: 'server', server: withControlNet });
    assert.equal(await page.locator('.control-unit').count(), 1, 'the unit outlives a server without ControlNet');
    const back = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.equal(back.form.prompt, 'a dancer, reused');
    assert.deepEqual(back.form.controlNet, sent.form.controlNet, 'and goes with Generate again');
    // A server set to one unit: a second one stays in sight, and Generate asks to remove it.
    await page.click('#addControlUnit');
    const generates = async () => (await panel.sent()).filter((m) => m.type === 'generate').length;
    const before = await generates();
    await panel.receive({ type: 'server', server: { ...withControlNet, controlNet: { ...withControlNet.controlNet!, units: 1 } } });
    assert.equal(await page.locator('.control-unit').count(), 2);
    assert.ok(await page.isHidden('#addControlUnit'));
    await page.click('#generate');
    assert.equal(
      await page.textContent('#controlNet-error'),
      'ControlNet units on this server: 1 (its Multi-ControlNet setting). Remove the ones after unit 1, or raise that setting.',
    );
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cn-remove-1', "the focus on the last unit's Remove");
    await page.locator('#controlNetSection').screenshot({ path: path.join(SCREENSHOTS, 'webview-controlnet-too-many-dark.png') });
    assert.equal(await generates(), before, 'nothing sent');
    await page.click('#cn-remove-1');
    assert.ok(await page.isHidden('#controlNet-error'), 'gone once it is fixed');
    assert.equal(((await nextAction('generate', () => page.click('#generate'))) as { form: FormValues }).form.controlNet.length, 1);
  });

  it('Output file: an exact size from a preset, the plan for the chosen model, WebP under a budget go with Generate (screenshot)', async () => {
    await open({ theme: 'dark' }, { width: 1100, height: 1500 });
    await panel.receive(init(server.origin, { server: SERVER }));
    const page = panel.page;
    assert.equal(await page.isVisible('#outputSizeFields'), false, 'closed until asked for');
    await page.click('#outputFile summary');
    await page.check('#exactSize');
    assert.ok(await page.isHidden('#sizePreset'), "the form's own size steps aside");
    await page.selectOption('#outputPreset', '1200x630');
    assert.deepEqual([await value('#outputWidth'), await value('#outputHeight')], ['1200', '630']);
    assert.equal(await page.textContent('#outputPlan'), 'The server makes 1416 × 744, then it is cropped to 1200 × 630.', 'SDXL is loaded: near 1024²');
    await page.selectOption('#model', 'v1-5-pruned-emaonly.safetensors [6ce0161689]');
    assert.equal(await page.textContent('#outputPlan'), 'The server makes 704 × 368, then it is cropped to 1200 × 630.', 'SD 1.5: near 512²');
    await page.selectOption('#outputModelSize', '768');
    await page.selectOption('#outputFit', 'contain');
    await page.fill('#outputBackground', 'white');
    assert.ok(await page.isHidden('#outputQuality'), "no quality for the server's own format");
    await page.selectOption('#outputFormat', 'webp');
    await page.fill('#outputMaxKB', '200');
    await page.fill('#prompt', 'a social card');
    await page.click('#generate');
    assert.equal(await page.textContent('#outputBackground-error'), '"white" is not a colour: write it as #rrggbb, such as #ffffff.');
    await page.fill('#outputBackground', '#0b1020');
    await page.locator('#outputFile').screenshot({ path: path.join(SCREENSHOTS, 'webview-output-file-dark.png') });
    const sent = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.deepEqual(
      {
        exactSize: sent.form.exactSize,
        outputWidth: sent.form.outputWidth,
        outputHeight: sent.form.outputHeight,
        outputFit: sent.form.outputFit,
        outputBackground: sent.form.outputBackground,
        outputModelSize: sent.form.outputModelSize,
        outputFormat: sent.form.outputFormat,
        outputQuality: sent.form.outputQuality,
        outputMaxKB: sent.form.outputMaxKB,
      },
      {
        exactSize: true,
        outputWidth: 1200,
        outputHeight: 630,
        outputFit: 'contain',
        outputBackground: '#0b1020',
        outputModelSize: '768',
        outputFormat: 'webp',
        outputQuality: 82,
        outputMaxKB: 200,
      },
    );
  });

  it('Transparent background: offered where the server has rembg, one sentence elsewhere; a transparent result shows on a checkerboard (screenshot)', async () => {
    await open({ theme: 'dark' }, { width: 1100, height: 900 });
    const items = galleryItems(server.origin, 2);
    items[0] = {
      ...items[0],
      src: `${server.origin}/images/7.png?transparent`,
      prompt: 'a red fox mascot, sticker',
      relativePath: 'generated-images/fox-nobg.png',
    };
    await panel.receive(init(server.origin, { server: { ...SERVER, rembg: true }, gallery: items }));
    const page = panel.page;
    await page.click('#outputFile summary');
    assert.ok(await page.isHidden('#rembgModel'), 'the model only once asked for');
    await page.check('#transparent');
    await page.selectOption('#rembgModel', 'isnet-anime');
    await page.check('#alphaMatting');
    await page.fill('#prompt', 'a red fox mascot, sticker');
    const sent = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.deepEqual([sent.form.transparent, sent.form.rembgModel, sent.form.alphaMatting], [true, 'isnet-anime', true]);
    const thumb = page.locator('.thumb img').first();
    await thumb.evaluate((img: HTMLImageElement) =>
      img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true })),
    );
    const corner = await thumb.evaluate((img: HTMLImageElement) => getComputedStyle(img).backgroundImage);
    assert.match(corner, /conic-gradient/, `a checkerboard behind the picture: ${corner}`);
    await page
      .locator('.gallery')
      .first()
      .screenshot({ path: path.join(SCREENSHOTS, 'webview-transparent-result-dark.png') });

    await panel.receive({
      type: 'server',
      server: {
        ...SERVER,
        rembgMissing: 'Local has no background removal: install the rembg extension (stable-diffusion-webui-rembg, from the Extensions tab) and restart it.',
      },
    });
    assert.ok(await page.isHidden('#transparentSection'));
    assert.match((await page.textContent('#rembgMissing')) ?? '', /^Local has no background removal: install the rembg extension/);
    const without = (await nextAction('generate', () => page.click('#generate'))) as { form: FormValues };
    assert.equal(without.form.transparent, false, 'not asked of a server without it');
  });

  for (const theme of ['light', 'dark', 'highContrast'] as const) {
    it(`renders the mask editor with an extended canvas and a ControlNet unit in the ${theme} theme (screenshots)`, async () => {
      await open({ theme }, { width: 1100, height: 1800 });
      await panel.receive(
        init(server.origin, {
          server: { ...SERVER, controlNet: { modules: ['none', 'canny'], models: ['None', 'control_v11p_sd15_canny [d14c016b]'], units: 3 } },
        }),
      );
      await panel.receive({
        type: 'source',
        source: { path: 'assets/icon.png', src: `${server.origin}/images/7.png`, width: 256, height: 256, suggestedWidth: 512, suggestedHeight: 512 },
      });
      const page = panel.page;
      await page.check('#inpaint');
      await page.click('#extendTo16x9');
      await page.click('#controlNetSection summary');
      await page.click('#addControlUnit');
      assert.ok(await page.locator('#maskStage.extended').isVisible());
      await page.locator('#sourceSection').screenshot({ path: path.join(SCREENSHOTS, `webview-outpaint-${theme}.png`) });
      await page.locator('#controlNetSection').screenshot({ path: path.join(SCREENSHOTS, `webview-controlnet-${theme}.png`) });
    });
  }

  describe('Prompt helpers', () => {
    const WITH_LISTS: ServerView = {
      ...SERVER,
      loras: [{ name: 'pixel-art-xl' }, { name: 'flat_icons_v2', alias: 'flaticons' }, { name: 'add_detail' }],
      embeddings: ['EasyNegative', 'bad-hands-5'],
      styles: [
        { name: 'Flat icon', prompt: '{prompt}, flat vector icon, minimal, centered', negativePrompt: 'photo, realistic, text' },
        { name: 'Cinematic', prompt: 'cinematic still, {prompt}, shallow depth of field', negativePrompt: 'cartoon' },
      ],
    };

    it('picks a LoRA with the keyboard, an embedding into the negative prompt, styles as chips; all sent', async () => {
      await open();
      await panel.receive(init(server.origin, { server: WITH_LISTS }));
      const page = panel.page;
      await page.fill('#prompt', 'a fox icon');
      await page.click('#add-lora');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'pickerSearch', 'the search box takes the focus');
      assert.equal(await page.getAttribute('#add-lora', 'aria-expanded'), 'true');
      await page.keyboard.type('icon');
      assert.equal(await page.textContent('#pickerStatus'), '1 of 3');
      await page.fill('#loraWeight', '0.8');
      await page.focus('#pickerSearch');
      await page.keyboard.press('Enter');
      assert.equal(await value('#prompt'), 'a fox icon <lora:flaticons:0.8>', 'at the cursor, by its alias, with the weight');
      assert.ok(await page.locator('#picker').isHidden());

      await page.focus('#negativePrompt');
      await page.click('#add-embedding');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.getAttribute('#pickerSearch', 'aria-activedescendant'), 'pick-1');
      await page.keyboard.press('Enter');
      assert.equal(await value('#negativePrompt'), 'blurry bad-hands-5', 'into the box used last');

      await page.click('#add-style');
      await page.locator('#pickerList [role=option]', { hasText: 'Cinematic' }).click();
      await page.click('#add-style');
      await page.keyboard.press('Enter');
      assert.deepEqual(await page.locator('#styleChips .chip').allTextContents(), ['Cinematic', 'Flat icon']);
      assert.equal(
        await page.getAttribute('#styleChips .chip >> nth=1', 'title'),
        'Adds: {prompt}, flat vector icon, minimal, centered · Negative: photo, realistic, text',
      );
      await page.click('#add-style');
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'add-style', 'Escape returns to the button');

      // Ctrl+Up on a word weights it, as in the A1111 web UI.
      await page.focus('#prompt');
      await page.evaluate(() => (document.getElementById('prompt') as HTMLTextAreaElement).setSelectionRange(3, 3));
      await page.keyboard.press('Control+ArrowUp');
      await page.keyboard.press('Control+ArrowUp');
      assert.equal(await value('#prompt'), 'a (fox:1.2) icon <lora:flaticons:0.8>');

      await page.click('#generate');
      const sent = (await lastAction()) as { type: string; form: FormValues };
      assert.deepEqual(sent.form.styles, ['Cinematic', 'Flat icon']);
      await page.locator('#styleChips [data-style="Cinematic"]').click();
      assert.deepEqual(await page.locator('#styleChips .chip').allTextContents(), ['Flat icon']);
    });

    it('completes <lora: and embedding names while typing, with the keyboard; the box keeps the focus', async () => {
      await open({ theme: 'dark' });
      await panel.receive(init(server.origin, { server: WITH_LISTS }));
      const page = panel.page;
      await page.focus('#prompt');
      await page.keyboard.type('a fox, <lora:fl');
      assert.deepEqual(await page.locator('#suggestions [role=option]').allTextContents(), ['flat_icons_v2 (flaticons)']);
      assert.equal(await page.getAttribute('#prompt', 'aria-activedescendant'), 'suggestion-0');
      assert.equal(await page.textContent('#suggestionStatus'), '1 suggestion: flat_icons_v2 (flaticons)');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'webview-prompt-completion-dark.png'), clip: { x: 0, y: 40, width: 420, height: 200 } });
      await page.keyboard.press('Enter');
      assert.equal(await value('#prompt'), 'a fox, <lora:flaticons:1>', 'Enter takes it: no new line');
      assert.ok(await page.locator('#suggestions').isHidden());
      await page.focus('#negativePrompt');
      await page.keyboard.press('End');
      await page.keyboard.type(', ba');
      await page.keyboard.press('Tab');
      assert.equal(await value('#negativePrompt'), 'blurry, bad-hands-5');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'negativePrompt', 'Tab took the suggestion instead of moving on');
      await page.keyboard.type(', Eas');
      await page.keyboard.press('Escape');
      assert.ok(await page.locator('#suggestions').isHidden());
      assert.equal(await value('#negativePrompt'), 'blurry, bad-hands-5, Eas', 'Escape leaves the text as typed');
    });

    for (const theme of ['light', 'dark', 'highContrast'] as const) {
      it(`renders the LoRA picker and style chips in the ${theme} theme (screenshot)`, async () => {
        await open({ theme });
        await panel.receive(init(server.origin, { server: WITH_LISTS, savedForm: { ...DEFAULTS, prompt: 'a fox icon', styles: ['Flat icon'] } }));
        await panel.page.click('#add-lora');
        const file = path.join(SCREENSHOTS, `webview-prompt-helpers-${theme}.png`);
        const box = await panel.page.locator('#prompt').boundingBox();
        const end = await panel.page.locator('#styleChips').boundingBox();
        await panel.page.screenshot({
          path: file,
          clip: { x: 0, y: (box?.y ?? 0) - 30, width: 420, height: (end?.y ?? 400) + (end?.height ?? 0) - (box?.y ?? 0) + 40 },
        });
        console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
      });
    }

    it('a server without the lists says so; one without LoRAs has no LoRA button', async () => {
      await open();
      await panel.receive(init(server.origin, { server: SERVER }));
      assert.equal(await panel.page.textContent('#helpersMissing'), 'This server offers no LoRA, embedding or style lists.');
      await panel.receive({ type: 'server', server: { ...SERVER, embeddings: [], styles: [] } });
      assert.ok(await panel.page.locator('#add-lora').isHidden());
      assert.ok(await panel.page.locator('#add-embedding').isDisabled(), 'an empty list: the button is there but off');
      assert.ok(await panel.page.locator('#helpersMissing').isHidden());
    });
  });

  it('shows a seamless texture tiled 3 × 3 in its card, and back (screenshot)', async () => {
    await open({ theme: 'dark' });
    const items = galleryItems(server.origin, 3).map((item, i) => (i === 0 ? { ...item, tiling: true, prompt: 'seamless stone texture, top-down' } : item));
    await panel.receive(init(server.origin, { server: SERVER, gallery: items }));
    const first = panel.page.locator('#gallery .card').first();
    assert.equal(await panel.page.locator('#gallery .tile-toggle').count(), 1, 'only on images made with tiling');
    const toggle = first.locator('.tile-toggle');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const background = await first.locator('.thumb').evaluate((thumb) => getComputedStyle(thumb).backgroundImage);
    assert.ok(background.includes('/images/1.png'), background);
    assert.deepEqual(await lastAction(), { type: 'ready' }, 'a view change only: nothing sent to the host');
    await first.screenshot({ path: path.join(SCREENSHOTS, 'webview-tiling-dark.png') });
    await toggle.click();
    assert.equal(await first.locator('.thumb').evaluate((thumb) => thumb.classList.contains('tiled')), false);
  });

  describe('More settings', () => {
    const WITH_MORE: ServerView = {
      ...SERVER,
      hiresUpscalers: ['Latent', 'Latent (bicubic)', 'Lanczos', 'R-ESRGAN 4x+'],
      tiling: true,
      clipSkip: true,
      vaes: [{ value: 'sdxl_vae.safetensors', label: 'sdxl_vae.safetensors' }],
      refiner: true,
    };

    it('hires fix, tiling and CLIP skip: closed at first, the final size shown, the values sent and checked', async () => {
      await open();
      await panel.receive(init(server.origin, { server: WITH_MORE }));
      assert.equal(await panel.page.getAttribute('#moreSettings', 'open'), null, 'closed: the form stays short');
      await panel.page.click('#moreSettings > summary');
      assert.ok(await panel.page.locator('#hiresFields').isHidden(), 'hires fields only once it is on');
      await panel.page.check('#hiresFix');
      assert.ok(await panel.page.locator('#hiresFields').isVisible());
      await panel.page.fill('#hiresScale', '1.5');
      await panel.page.selectOption('#hiresUpscaler', 'R-ESRGAN 4x+');
      await panel.page.fill('#hiresDenoising', '0.4');
      await panel.page.fill('#width', '640');
      assert.equal(await panel.page.textContent('#hiresFinalSize'), 'Final size: 960 × 768');
      await panel.page.check('#tiling');
      await panel.page.fill('#clipSkip', '2');
      assert.ok(await panel.page.locator('#refinerSwitchAt').isHidden(), 'no refiner, no switch point');
      await panel.page.selectOption('#refiner', 'v1-5-pruned-emaonly.safetensors [6ce0161689]');
      await panel.page.fill('#refinerSwitchAt', '0.7');
      await panel.page.selectOption('#vae', 'sdxl_vae.safetensors');
      await panel.page.fill('#prompt', 'a brick wall');
      await panel.page.click('#generate');
      const sent = (await lastAction()) as { type: string; form: FormValues };
      assert.equal(sent.type, 'generate');
      const { hiresFix, hiresScale, hiresUpscaler, hiresSteps, hiresDenoising, tiling, clipSkip, vae, refiner, refinerSwitchAt } = sent.form;
      assert.deepEqual(
        { hiresFix, hiresScale, hiresUpscaler, hiresSteps, hiresDenoising, tiling, clipSkip, vae, refiner, refinerSwitchAt },
        {
          hiresFix: true,
          hiresScale: 1.5,
          hiresUpscaler: 'R-ESRGAN 4x+',
          hiresSteps: 0,
          hiresDenoising: 0.4,
          tiling: true,
          clipSkip: 2,
          vae: 'sdxl_vae.safetensors',
          refiner: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
          refinerSwitchAt: 0.7,
        },
      );
      await panel.page.fill('#hiresScale', '9');
      await panel.page.click('#generate');
      assert.equal(await panel.page.textContent('#hiresScale-error'), 'Upscale by must be from 1 to 4.');
      assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'hiresScale');
      // Image to image has its own denoising: no hires fix there.
      await panel.page.check('#mode-img2img');
      assert.ok(await panel.page.locator('#hiresSection').isHidden());
      await panel.page.check('#mode-txt2img');
    });

    for (const theme of ['light', 'dark', 'highContrast'] as const) {
      it(`renders open with hires fix on in the ${theme} theme (screenshot)`, async () => {
        await open({ theme });
        const savedForm = {
          ...DEFAULTS,
          prompt: 'a brick wall',
          hiresFix: true,
          hiresUpscaler: 'R-ESRGAN 4x+',
          hiresDenoising: 0.4,
          clipSkip: 2,
          refiner: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
          vae: 'sdxl_vae.safetensors',
        };
        await panel.receive(init(server.origin, { server: WITH_MORE, savedForm }));
        await panel.page.locator('#hiresFinalSize', { hasText: 'Final size: 1024 × 1024' }).waitFor();
        const file = path.join(SCREENSHOTS, `webview-more-settings-${theme}.png`);
        await panel.page.locator('#moreSettings').screenshot({ path: file });
        console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
      });
    }

    it('on Forge, text encoders are chosen from its modules, several at once, next to the VAE (screenshot)', async () => {
      const modules = [
        { value: '/models/VAE/ae.safetensors', label: 'ae' },
        { value: '/models/text_encoder/clip_l.safetensors', label: 'clip_l' },
        { value: '/models/text_encoder/t5xxl_fp16.safetensors', label: 't5xxl_fp16' },
      ];
      await open({ theme: 'dark' });
      await panel.receive(init(server.origin, { server: { ...SERVER, vaes: modules, textEncoders: modules, distilledCfg: true } }));
      assert.ok(await panel.page.locator('#textEncoders').isHidden(), 'closed until opened');
      await panel.page.click('#moreSettings summary');
      await panel.page.selectOption('#vae', '/models/VAE/ae.safetensors');
      await panel.page.selectOption('#textEncoders', ['/models/text_encoder/clip_l.safetensors', '/models/text_encoder/t5xxl_fp16.safetensors']);
      await panel.page.locator('#moreSettings').screenshot({ path: path.join(SCREENSHOTS, 'webview-text-encoders-dark.png') });
      await panel.page.fill('#prompt', 'a neon sign');
      const sent = (await nextAction('generate', () => panel.page.click('#generate'))) as { form: FormValues };
      assert.deepEqual(sent.form.textEncoders, ['/models/text_encoder/clip_l.safetensors', '/models/text_encoder/t5xxl_fp16.safetensors']);
      assert.equal(sent.form.vae, '/models/VAE/ae.safetensors');
      // Reuse in Panel of a Forge image: its modules by the names it records, chosen by their files.
      await panel.receive({ type: 'prefill', values: { vae: '', textEncoders: ['ae', 'clip_l'] } });
      const reused = (await nextAction('generate', () => panel.page.click('#generate'))) as { form: FormValues };
      assert.deepEqual(reused.form.textEncoders, ['/models/VAE/ae.safetensors', '/models/text_encoder/clip_l.safetensors']);
      await panel.receive({ type: 'server', server: { ...SERVER, vaes: [{ value: 'sdxl_vae.safetensors', label: 'sdxl_vae.safetensors' }] } });
      assert.ok(await panel.page.locator('#textEncoders').isHidden(), 'not on a server that takes VAEs by name');
      const elsewhere = (await nextAction('generate', () => panel.page.click('#generate'))) as { form: FormValues };
      assert.deepEqual(elsewhere.form.textEncoders, []);
    });

    it("Forge's distilled CFG scale shows only where the server takes it, goes with Generate, and is checked", async () => {
      await open();
      await panel.receive(init(server.origin, { server: SERVER }));
      await panel.page.click('#moreSettings summary');
      assert.ok(await panel.page.locator('#distilledCfg').isHidden(), 'not on a server without it');
      await panel.receive({ type: 'server', server: { ...SERVER, distilledCfg: true } });
      assert.equal(await value('#distilledCfg'), '3.5');
      await panel.page.fill('#distilledCfg', '31');
      await panel.page.fill('#prompt', 'a neon sign, flux');
      await panel.page.click('#generate');
      assert.equal(await panel.page.textContent('#distilledCfg-error'), 'Distilled CFG scale must be from 0 to 30.');
      await panel.page.fill('#distilledCfg', '5');
      const sent = (await nextAction('generate', () => panel.page.click('#generate'))) as { form: FormValues };
      assert.equal(sent.form.distilledCfg, 5);
      await panel.receive({ type: 'server', server: SERVER });
      const elsewhere = (await nextAction('generate', () => panel.page.click('#generate'))) as { form: FormValues };
      assert.equal(elsewhere.form.distilledCfg, 3.5, 'a hidden field asks for nothing');
    });

    it('a saved form with a value set opens it; a server without them hides each and says so in one sentence', async () => {
      await open();
      await panel.receive(init(server.origin, { server: { origin: SERVER.origin }, savedForm: { ...DEFAULTS, tiling: true } }));
      assert.equal(await panel.page.getAttribute('#moreSettings', 'open'), '', 'open: something in it is chosen');
      assert.ok(await panel.page.locator('#tiling').isChecked());
      await panel.receive({
        type: 'server',
        server: { ...SERVER, tiling: false, clipSkip: false, moreMissing: 'koboldcpp 1.77 offers no hires fix, tiling, CLIP skip.' },
      });
      for (const id of ['#hiresSection', '#tiling', '#clipSkip', '#vae', '#refiner']) assert.ok(await panel.page.locator(id).isHidden(), `${id} hidden`);
      assert.equal(await panel.page.textContent('#moreMissing'), 'koboldcpp 1.77 offers no hires fix, tiling, CLIP skip.');
    });
  });

  it('speaks Simplified Chinese when VS Code does; server, model and file names and prompts stay as they are (screenshot)', async () => {
    await open({ theme: 'light', language: 'zh-cn' });
    await studioState(panel, server.origin, 4, '步骤 9/20 · 约剩 6 秒');
    assert.equal(await panel.page.getAttribute('html', 'lang'), 'zh-cn');
    assert.equal(await panel.page.textContent('label[for="prompt"]'), '提示词');
    assert.equal(await panel.page.textContent('#generate'), '加入队列');
    assert.equal(await panel.page.textContent('#cancel'), '取消');
    assert.ok(
      (await panel.page.locator('#model option').allTextContents()).some((text) => text.startsWith('sd_xl_base_1.0')),
      'model names as the server says',
    );
    assert.equal(await panel.page.locator('#gallery .card-prompt').first().textContent(), galleryItems(server.origin, 4)[0].prompt, 'prompts untranslated');
    const english = await panel.page.evaluate(() =>
      [...document.querySelectorAll('label, button, summary, legend, h2, option')]
        .map((element) => element.textContent?.trim() ?? '')
        .filter((text) => /\b(the|and|to|of|is|from)\b/.test(text)),
    );
    assert.deepEqual(english, [], 'no English sentence left on the controls');
    console.log(`      screenshot: ${path.relative(process.cwd(), await shot('zh-cn'))}`);
  });

  for (const theme of ['light', 'dark', 'highContrast'] as const) {
    it(`renders the studio in the ${theme} theme (screenshot)`, async () => {
      await open({ theme });
      await studioState(panel, server.origin, 6, 'Step 9/20 · about 6 s left');
      const file = await shot(`studio-${theme}`);
      console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
      const colors = await panel.page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        button: getComputedStyle(document.getElementById('generate')!).backgroundColor,
      }));
      const expected = { light: 'rgb(255, 255, 255)', dark: 'rgb(31, 31, 31)', highContrast: 'rgb(0, 0, 0)' }[theme];
      assert.equal(colors.body, expected, "the page takes the theme's colours");
    });
  }
});
