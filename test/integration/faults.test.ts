// The fault matrix (README "Reliability"): each fault of the server or the network, through the
// real command in the real extension host. For every case: the outcome names the fault, the
// message is one sentence that says what to do, the log has the details, no file is written,
// and the next generation works.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readPngText } from '../../src/image/pngText';
import { startFakeA1111, type FakeA1111, type Fault } from '../server/fakeA1111';
import { extensionLogText } from '../support/extensionLog';
import { sampleForm } from '../support/forms';
import type { FormValues, HostToWebview } from '../../src/shared/protocol';
import { clearOutput, outputFiles, run, setSetting, testApi, useServer, waitFor, viaApi, workspaceFolder } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const TLS = {
  key: fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'tls', 'self-signed.key'), 'utf8'),
  cert: fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'tls', 'self-signed.crt'), 'utf8'),
};

interface Shown {
  message: string;
  labels: string[];
}
const TXT2IMG = '/sdapi/v1/txt2img';

interface FaultCase {
  name: string;
  fault: Fault;
  kind: string;
  message: RegExp;
  /** What the log line must contain (status, code, body excerpt). */
  log: RegExp;
}

const SERVER_FAULTS: FaultCase[] = [
  {
    name: '401',
    fault: { kind: 'status', status: 401, body: { error: 'HTTPException', detail: 'Not authenticated', body: '', errors: '' } },
    kind: 'unauthorized',
    message: /requires a username and password: choose "Enter Credentials…"/,
    log: /status=401/,
  },
  {
    name: '403',
    fault: { kind: 'status', status: 403, body: { detail: 'Forbidden' } },
    kind: 'forbidden',
    message: /refused access \(403 Forbidden\): check that this account may use the API/,
    log: /status=403/,
  },
  {
    name: '404 on /sdapi (API not enabled)',
    fault: { kind: 'status', status: 404, body: { detail: 'Not Found' } },
    kind: 'noApi',
    message: /start it with the --api flag/,
    log: /status=404/,
  },
  {
    name: '405',
    fault: { kind: 'status', status: 405, body: { detail: 'Method Not Allowed' } },
    kind: 'methodNotAllowed',
    message: /405 Method Not Allowed\): check that the URL points to an AUTOMATIC1111-compatible server/,
    log: /status=405/,
  },
  {
    name: '413 from a proxy',
    fault: { kind: 'status', status: 413, body: '<html><body>413 Request Entity Too Large</body></html>', contentType: 'text/html' },
    kind: 'tooLarge',
    message: /too large .* \(413\): use a smaller source image/,
    log: /status=413.*Request Entity Too Large/,
  },
  {
    name: '422',
    fault: { kind: 'status', status: 422, body: { detail: [{ loc: ['body', 'cfg_scale'], msg: 'value is not a valid float', type: 'type_error.float' }] } },
    kind: 'validation',
    message: /rejected the request \(cfg_scale: value is not a valid float\)/,
    log: /status=422/,
  },
  {
    name: "500 with A1111's error body",
    fault: { kind: 'status', status: 500, body: { error: 'OutOfMemoryError', detail: '', body: '', errors: 'CUDA out of memory. Tried to allocate 4.00 GiB' } },
    kind: 'server',
    message: /failed with "OutOfMemoryError: CUDA out of memory.*": check the server's console/,
    log: /status=500/,
  },
  {
    name: '502 HTML page from a proxy',
    fault: { kind: 'html', status: 502 },
    kind: 'gateway',
    message: /proxy in front of the server answered 502/,
    log: /status=502.*nginx/,
  },
  {
    name: '504 HTML page from a proxy',
    fault: { kind: 'html', status: 504 },
    kind: 'gateway',
    message: /proxy in front of the server answered 504/,
    log: /status=504/,
  },
  {
    name: 'redirect to another origin',
    fault: { kind: 'status', status: 302, body: '', headers: { location: 'https://login.example.com/sso' } },
    kind: 'http',
    message: /redirected the request to https:\/\/login\.example\.com \(302\)/,
    log: /status=302/,
  },
  {
    name: 'a login page with status 200',
    fault: { kind: 'status', status: 200, body: '<!DOCTYPE html><html><title>Sign in</title></html>', contentType: 'text/html' },
    kind: 'notJson',
    message: /answered with a web page instead of API data/,
    log: /Sign in/,
  },
  {
    name: 'invalid (truncated) JSON',
    fault: { kind: 'invalidJson' },
    kind: 'badResponse',
    message: /is not valid JSON \(it may have been cut off\)/,
    log: /images/,
  },
  {
    name: 'JSON of the wrong shape',
    fault: { kind: 'wrongShape' },
    kind: 'badResponse',
    message: /not in the expected format \("images" is not a list\)/,
    log: /badResponse/,
  },
  { name: 'images that are not base64', fault: { kind: 'notBase64' }, kind: 'notImage', message: /not a PNG, JPEG or WebP image/, log: /not base64/ },
  {
    name: 'images that are not images',
    fault: { kind: 'notImage' },
    kind: 'notImage',
    message: /not a PNG, JPEG or WebP image: check the server's output format/,
    log: /notImage/,
  },
  { name: 'zero images', fault: { kind: 'noImages' }, kind: 'noImages', message: /finished but sent no images/, log: /noImages/ },
  {
    name: 'the connection reset mid-body',
    fault: { kind: 'truncate' },
    kind: 'connectionLost',
    message: /broke before the answer was complete: try again/,
    log: /connectionLost/,
  },
  {
    name: 'a response larger than the limit (1 MB)',
    fault: { kind: 'hugeBody', bytes: 3 * 1024 * 1024 },
    kind: 'tooLarge',
    message: /larger than 1\.0 MB/,
    log: /tooLarge/,
  },
];

function logText(): string {
  return extensionLogText(process.env.SD_TEST_USER_DATA_DIR ?? '');
}

async function expectNextGenerationWorks(server: FakeA1111): Promise<void> {
  server.clearFaults();
  const next = await viaApi('generateFromSelection', { prompt: 'the next one works' });
  assert.equal(next.status, 'saved', `after the fault: ${JSON.stringify(next)}`);
  await clearOutput();
}

describe('Reliability: server and network faults', function () {
  this.timeout(60_000);
  let server: FakeA1111;

  before(async () => {
    await setSetting('afterGeneration', 'none');
    await setSetting('limits.maxResponseMegabytes', 1);
    await setSetting('timeouts.generationSeconds', 10);
    server = await useServer();
  });

  after(async () => {
    for (const key of ['afterGeneration', 'limits.maxResponseMegabytes', 'timeouts.generationSeconds']) await setSetting(key, undefined);
    await server.close();
  });

  beforeEach(clearOutput);

  for (const testCase of SERVER_FAULTS) {
    it(`${testCase.name}: one sentence, details in the log, nothing written, next one works`, async () => {
      server.fail({ path: TXT2IMG, fault: testCase.fault });
      const logBefore = logText().length;
      const outcome = await viaApi('generateFromSelection', { prompt: `fault ${testCase.name}` });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.kind, testCase.kind, outcome.message);
      assert.match(outcome.message!, testCase.message);
      assert.equal(outcome.message!.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length <= 2, true, `one sentence: ${outcome.message}`);
      await waitFor('the details in the log', () => (testCase.log.test(logText().slice(logBefore)) ? true : undefined), 5000);
      assert.deepEqual(await outputFiles(), [], 'no file written');
      await expectNextGenerationWorks(server);
    });
  }

  it('no response headers within the timeout: says which setting to raise', async () => {
    server.fail({ path: TXT2IMG, fault: { kind: 'hang' } });
    const outcome = await viaApi('generateFromSelection', { prompt: 'a hanging server' });
    assert.equal(outcome.kind, 'timeout');
    assert.match(outcome.message!, /did not answer within 10 s: raise the timeout in the settings \(sdStudio\.timeouts\)/);
    assert.deepEqual(await outputFiles(), []);
    await expectNextGenerationWorks(server);
  });

  it('a body that stalls half way', async () => {
    server.fail({ path: TXT2IMG, fault: { kind: 'stallBody' } });
    const outcome = await viaApi('generateFromSelection', { prompt: 'a stalling server' });
    assert.equal(outcome.kind, 'timeout');
    assert.match(outcome.message!, /stopped sending its answer half way: try again/);
    assert.deepEqual(await outputFiles(), []);
    await expectNextGenerationWorks(server);
  });

  it('/progress failing while the generation itself succeeds', async () => {
    server.setOptions({ stepDelayMs: 40 });
    for (const path of ['/sdapi/v1/progress', '/internal/progress']) {
      server.fail({ path, fault: { kind: 'status', status: 500, body: { error: 'Exception', detail: '', body: '', errors: 'progress broke' } }, times: 1000 });
    }
    const outcome = await viaApi('generateFromSelection', { prompt: 'progress is broken but the image is not' });
    server.setOptions({ stepDelayMs: 0 });
    assert.equal(outcome.status, 'saved', JSON.stringify(outcome));
    assert.ok(server.requestsTo('/internal/progress').length > 0, "our task's progress was polled (and failed)");
    assert.equal((await outputFiles()).length, 1);
    server.clearFaults();
  });

  it('the server restarting during a job', async () => {
    const port = Number(new URL(server.url).port);
    server.setOptions({ stepDelayMs: 30 });
    const pending = viaApi('generateFromSelection', { prompt: 'interrupted by a restart' });
    await waitFor('the job to run', () => (server.running && server.running.step > 2 ? true : undefined));
    await server.close();
    // It comes back upgraded in place: what the extension knew of it must be asked again.
    server = await startFakeA1111({ port, flavor: 'a1111-1.8' });
    const outcome = await pending;
    assert.equal(outcome.kind, 'connectionLost', JSON.stringify(outcome));
    assert.deepEqual(await outputFiles(), []);
    await expectNextGenerationWorks(server);
    assert.equal(server.requestsTo('/openapi.json').length, 1, 'the server was probed again after it came back');
    const [sent] = server.requestsTo('/sdapi/v1/txt2img').slice(-1);
    assert.equal((sent.body as { scheduler?: string }).scheduler, undefined, 'no scheduler field for a server without schedulers');
  });
});

/**
 * The same failure through both surfaces: a notification from the command, the banner from the
 * panel (a `generate` message as its page sends it). Same sentence, same buttons.
 */
describe('Failures look the same in a notification and in the panel', function () {
  this.timeout(60_000);
  let server: FakeA1111;
  const FORM: FormValues = sampleForm({ sampler: 'DPM++ 2M', steps: 4, width: 64, height: 64 });

  before(async () => {
    await setSetting('afterGeneration', 'none');
    await setSetting('limits.maxResponseMegabytes', 1);
    server = await useServer();
    await run('sdStudio.openPanel');
  });

  after(async () => {
    for (const key of ['afterGeneration', 'limits.maxResponseMegabytes']) await setSetting(key, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  /** Runs a generation from the command and from the panel; returns what each showed. */
  async function throughBothSurfaces(arrange: () => void | Promise<void>): Promise<{ notified: Shown[]; banners: Shown[] }> {
    const api = await testApi();
    const notified: Shown[] = [];
    const banners: Shown[] = [];
    const subscriptions = [
      api.onDidNotifyFailure((shown) => notified.push(shown)),
      api.panel.onDidPost((message: HostToWebview) => {
        if (message.type === 'error') banners.push({ message: message.message, labels: message.actions.map((a) => a.label) });
      }),
    ];
    try {
      await arrange();
      await viaApi('generateFromSelection', { prompt: 'from the command' });
      await arrange();
      await api.panel.receive({ type: 'generate', form: FORM });
    } finally {
      subscriptions.forEach((s) => s.dispose());
      server.clearFaults();
    }
    assert.equal(notified.length, 1, JSON.stringify(notified));
    assert.equal(banners.length, 1, JSON.stringify(banners));
    assert.deepEqual(banners[0], notified[0], "the banner shows the notification's sentence and buttons");
    assert.ok(notified[0].labels.includes('Show Log'));
    await clearOutput();
    return { notified, banners };
  }

  for (const testCase of SERVER_FAULTS) {
    it(`${testCase.name}`, async () => {
      const { notified } = await throughBothSurfaces(() => server.fail({ path: TXT2IMG, fault: testCase.fault }));
      assert.match(notified[0].message, testCase.message);
      if (testCase.kind === 'unauthorized' || testCase.kind === 'forbidden') assert.equal(notified[0].labels[0], 'Enter Credentials…');
      if (testCase.kind === 'methodNotAllowed') assert.equal(notified[0].labels[0], 'Set Server…', 'the panel used to miss this one');
    });
  }

  it('connection refused, unknown host and an untrusted certificate offer Set Server…', async () => {
    const gone = await startFakeA1111();
    await gone.close();
    const secure = await startFakeA1111({ tls: TLS });
    try {
      for (const url of [gone.url, 'http://sd-server.invalid:7860', secure.url]) {
        const { notified } = await throughBothSurfaces(() => setSetting('serverUrl', url));
        assert.equal(notified[0].labels[0], 'Set Server…', `${url}: ${notified[0].message}`);
      }
    } finally {
      await setSetting('serverUrl', server.url);
      await secure.close();
    }
  });

  it('a timeout', async () => {
    await setSetting('timeouts.generationSeconds', 10);
    try {
      const { notified } = await throughBothSurfaces(() => server.fail({ path: TXT2IMG, fault: { kind: 'hang' } }));
      assert.match(notified[0].message, /did not answer within 10 s/);
    } finally {
      await setSetting('timeouts.generationSeconds', undefined);
    }
  }).timeout(45_000);

  it('an output folder outside the workspace (a setting to fix) and one that cannot be written (images kept)', async () => {
    try {
      const outside = await throughBothSurfaces(() => setSetting('outputFolder', '../outside'));
      assert.match(outside.notified[0].message, /must be a path inside the workspace/);
      assert.deepEqual(outside.notified[0].labels, ['Show Log']);
      const blocker = path.join(workspaceFolder().fsPath, 'blocked');
      fs.writeFileSync(blocker, 'not a folder');
      try {
        const kept = await throughBothSurfaces(() => setSetting('outputFolder', 'blocked/images'));
        assert.match(kept.notified[0].message, /Could not save into blocked\/images .* kept safe/);
        assert.deepEqual(kept.notified[0].labels, ['Save As…', 'Retry', 'Show Log']);
      } finally {
        fs.rmSync(blocker, { force: true });
      }
    } finally {
      await setSetting('outputFolder', undefined);
    }
  });
});

describe('Reliability: unreachable servers', function () {
  this.timeout(30_000);

  after(async () => setSetting('serverUrl', undefined));

  it('connection refused', async () => {
    const gone = await startFakeA1111();
    await gone.close();
    await setSetting('serverUrl', gone.url);
    const outcome = await viaApi('generateFromSelection', { prompt: 'nobody home' });
    assert.equal(outcome.kind, 'unreachable');
    assert.match(outcome.message!, /Cannot connect to http:\/\/127\.0\.0\.1:\d+: check that the server is running/);
  });

  it('unknown host', async () => {
    await setSetting('serverUrl', 'http://sd-server.invalid:7860');
    const outcome = await viaApi('generateFromSelection', { prompt: 'nowhere' });
    assert.equal(outcome.kind, 'unknownHost');
    assert.match(outcome.message!, /The host "sd-server\.invalid" could not be found: check the server URL/);
  });

  it('TLS failure (a self-signed certificate)', async () => {
    const secure = await startFakeA1111({ tls: TLS });
    try {
      await setSetting('serverUrl', secure.url);
      const outcome = await viaApi('generateFromSelection', { prompt: 'untrusted' });
      assert.equal(outcome.kind, 'tls', JSON.stringify(outcome));
      assert.match(outcome.message!, /The TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
      assert.equal(secure.requests.length, 0, 'nothing was sent over the untrusted connection');
    } finally {
      await secure.close();
    }
  });
});

describe('Reliability: faults on our side', function () {
  this.timeout(30_000);
  let server: FakeA1111;
  const output = () => path.join(process.env.SD_TEST_WORKSPACE ?? '', 'generated-images');

  before(async () => {
    await setSetting('afterGeneration', 'none');
    server = await useServer();
  });

  after(async () => {
    await setSetting('afterGeneration', undefined);
    await server.close();
  });

  beforeEach(clearOutput);

  it('the output folder cannot be written: the images are kept and Save As… / Retry are offered', async () => {
    // A file where the folder should be: creating the folder fails (as a read-only folder would; root ignores permissions).
    fs.writeFileSync(output(), 'not a folder');
    try {
      const outcome = await viaApi('generateFromSelection', { prompt: 'nowhere to go' });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.kind, 'saveFailed');
      assert.match(outcome.message!, /^Could not save into generated-images \(.+\); the image is kept safe: choose Save As… or Retry/);
      const kept = (outcome.kept as string[]).map((uri) => vscode.Uri.parse(uri).fsPath);
      assert.equal(kept.length, 1);
      const bytes = fs.readFileSync(kept[0]);
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG', 'a complete PNG is kept');
      assert.match(readPngText(bytes).get('parameters') ?? '', /^nowhere to go\n/);
      assert.ok(!kept[0].startsWith(process.env.SD_TEST_WORKSPACE!), 'kept outside the workspace, in the extension storage');
      fs.rmSync(kept[0]);
    } finally {
      fs.rmSync(output(), { force: true });
    }
    const next = await viaApi('generateFromSelection', { prompt: 'the folder is back' });
    assert.equal(next.status, 'saved');
  });

  it('temporary files left by a closed window are cleaned up; recent ones are not touched', async () => {
    fs.mkdirSync(output(), { recursive: true });
    const stale = path.join(output(), '.sdstudio-crashed.tmp');
    const recent = path.join(output(), '.sdstudio-another-window.tmp');
    fs.writeFileSync(stale, 'half an image');
    fs.writeFileSync(recent, 'being written');
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    fs.utimesSync(stale, hourAgo, hourAgo);
    const outcome = await viaApi('generateFromSelection', { prompt: 'tidy up' });
    assert.equal(outcome.status, 'saved');
    assert.ok(!fs.existsSync(stale), 'the stale temporary file is gone');
    assert.ok(fs.existsSync(recent), 'a recent one may belong to another window');
  });
});
