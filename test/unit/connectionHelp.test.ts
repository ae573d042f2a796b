import * as assert from 'node:assert/strict';
import { connectionHelp } from '../../src/errors/connectionHelp';
import { describeFailure } from '../../src/errors/failure';
import { ReuseInPanelError, UserError } from '../../src/errors/userError';
import { SdApiError, type SdApiErrorKind } from '../../src/sdapi/errors';
import { errorForNetworkFailure, errorForStatus } from '../../src/sdapi/httpErrors';
import { HOMEPAGE, README_SECTIONS, readmeLink } from '../../src/shared/links';
import { headingAnchors } from '../support/translations';
import * as fs from 'node:fs';
import * as path from 'node:path';

const LOCAL = { remote: false };

function refused(origin: string): SdApiError {
  const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return errorForNetworkFailure({ origin, endpoint: '/sdapi/v1/options', error, timeouts: { connectSeconds: 10, responseSeconds: 60 } });
}

function answered(origin: string, status: number, bodyText: string, contentType = 'application/json', hadCredentials = false): SdApiError {
  return errorForStatus({ origin, endpoint: '/sdapi/v1/options', status, contentType, bodyText, hadCredentials });
}

describe('connection help', () => {
  const cases: [string, SdApiError, { remote: boolean }, RegExp, string][] = [
    [
      'nothing on a local port',
      refused('http://127.0.0.1:7860'),
      LOCAL,
      /^Nothing answers on port 7860 of this computer: start the web UI with --api/,
      README_SECTIONS.connect,
    ],
    [
      'a local port in a remote window',
      refused('http://localhost:7860'),
      { remote: true },
      /^The extension runs on the remote machine of this window, so localhost is that machine/,
      README_SECTIONS.connect,
    ],
    [
      "ComfyUI's port",
      refused('http://127.0.0.1:8188'),
      LOCAL,
      /^Port 8188 is where ComfyUI usually listens, and ComfyUI does not offer/,
      README_SECTIONS.unsupported,
    ],
    ['another machine', refused('http://192.168.1.20:7860'), LOCAL, /started with --listen/, README_SECTIONS.connect],
    [
      'a web UI without --api',
      answered('http://127.0.0.1:7860', 404, '{"detail":"Not Found"}'),
      LOCAL,
      /add --api to COMMANDLINE_ARGS/,
      README_SECTIONS.connect,
    ],
    [
      'a hosted space without the API',
      answered('https://someone-sd.hf.space', 404, '<html></html>', 'text/html'),
      LOCAL,
      /hosted spaces run their own page/,
      README_SECTIONS.unsupported,
    ],
    [
      'InvokeAI answering',
      answered('http://127.0.0.1:9090', 405, '{"detail":"Method Not Allowed"}'),
      LOCAL,
      /InvokeAI usually listens/,
      README_SECTIONS.unsupported,
    ],
    [
      'a login page in front',
      new SdApiError('notJson', 'not JSON', { origin: 'https://sd.example.com' }),
      LOCAL,
      /the login page of a proxy/,
      README_SECTIONS.unsupported,
    ],
    [
      'a login needed',
      answered('https://sd.example.com', 401, '{"detail":"Not authenticated"}'),
      LOCAL,
      /started with --api-auth \(SD\.Next: --auth\)/,
      README_SECTIONS.login,
    ],
    [
      'the web page login tried on the API',
      answered('https://sd.example.com', 401, '{"detail":"Incorrect username or password"}', 'application/json', true),
      LOCAL,
      /--gradio-auth login does not work for it/,
      README_SECTIONS.login,
    ],
  ];
  for (const [name, error, context, hint, section] of cases) {
    it(name, () => {
      const help = connectionHelp(error, context);
      assert.ok(help, `a hint for ${error.kind}`);
      assert.match(help.hint, hint);
      assert.equal(help.section, section);
    });
  }

  it('has nothing to say about failures that are not about connecting', () => {
    for (const kind of ['validation', 'server', 'timeout', 'noImages', 'aborted'] as SdApiErrorKind[]) {
      assert.equal(connectionHelp(new SdApiError(kind, 'x', { origin: 'http://127.0.0.1:7860' }), LOCAL), undefined, kind);
    }
    assert.equal(connectionHelp(new SdApiError('unreachable', 'x'), LOCAL), undefined, 'no origin, no guess');
  });

  it('a first connection says the cause in the message; later ones only offer the button', () => {
    const error = refused('http://127.0.0.1:7860');
    const first = describeFailure(error, { remote: false, firstConnection: true });
    const later = describeFailure(error, { remote: false, firstConnection: false });
    assert.match(first.message, /^Cannot connect to http:\/\/127\.0\.0\.1:7860: .*\. Nothing answers on port 7860/);
    assert.equal(later.message, error.message);
    for (const failure of [first, later]) {
      assert.deepEqual(
        failure.actions.map((a) => a.id),
        ['setServer', 'connectionHelp', 'showLog'],
      );
      assert.equal(failure.help, 'https://github.com/sd-studio/stable-diffusion-studio#connect-a-server');
    }
    assert.deepEqual(
      describeFailure(answered('http://127.0.0.1:7860', 422, '{"detail":[]}')).actions.map((a) => a.id),
      ['showLog'],
    );
  });

  it("links to package.json's homepage, at headings the README has", () => {
    const repo = path.resolve(__dirname, '..', '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { homepage: string };
    assert.equal(HOMEPAGE, pkg.homepage);
    const anchors = headingAnchors(fs.readFileSync(path.join(repo, 'README.md'), 'utf8'));
    for (const section of Object.values(README_SECTIONS)) {
      assert.ok(anchors.has(section), `README has a heading for #${section} (${readmeLink(section)})`);
    }
  });
});

describe('failures that point to the panel', () => {
  it('a remake the panel can do (a ControlNet or image-to-image source) offers Reuse in Panel with that image', () => {
    const failure = describeFailure(new ReuseInPanelError('made with ControlNet', 'file:///w/generated-images/a.png'));
    assert.deepEqual(
      failure.actions.map((a) => [a.id, a.label]),
      [
        ['reuseInPanel', 'Reuse in Panel'],
        ['showLog', 'Show Log'],
      ],
    );
    assert.equal(failure.reuse, 'file:///w/generated-images/a.png');
    assert.equal(describeFailure(new UserError('plain')).reuse, undefined);
  });
});
