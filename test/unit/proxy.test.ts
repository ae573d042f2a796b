// Proxies (sdapi/proxy.ts picks one, sdapi/http.ts goes through it) against a real local proxy:
// CONNECT for https, absolute-form for http, a proxy login, and the server's own login going to
// the server only.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SdApiClient } from '../../src/sdapi/client';
import { createDispatcher } from '../../src/sdapi/http';
import { describeProxy, proxyFor } from '../../src/sdapi/proxy';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';
import { startTestProxy, type TestProxy } from '../server/proxy';
import { rejectsWith } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const tlsFile = (name: string) => fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'tls', name), 'utf8');
const CERT = { key: tlsFile('sd-example-test.key'), cert: tlsFile('sd-example-test.crt') };
const LOGIN = { username: 'ada', password: 'server-secret' };
const TIMEOUTS = { connectSeconds: 5, requestSeconds: 5, generationSeconds: 20 };

describe('which proxy (sdapi/proxy.ts)', () => {
  const none = { httpProxy: '', noProxy: [], env: {} };
  it("takes VS Code's http.proxy first, then the environment by scheme", () => {
    assert.equal(proxyFor('https://sd.example.test', { ...none, httpProxy: 'http://corp:3128', env: { HTTPS_PROXY: 'http://env:1' } }), 'http://corp:3128');
    assert.equal(proxyFor('https://sd.example.test', { ...none, env: { https_proxy: 'http://env:1', HTTP_PROXY: 'http://plain:2' } }), 'http://env:1');
    assert.equal(proxyFor('http://sd.example.test', { ...none, env: { HTTPS_PROXY: 'http://env:1', HTTP_PROXY: 'http://plain:2' } }), 'http://plain:2');
    assert.equal(proxyFor('http://sd.example.test', none), undefined);
  });

  it('never for this machine; not for hosts NO_PROXY or http.noProxy name', () => {
    const proxied = { ...none, httpProxy: 'http://corp:3128' };
    for (const local of ['http://127.0.0.1:7860', 'http://localhost:7860', 'http://[::1]:7860']) assert.equal(proxyFor(local, proxied), undefined, local);
    assert.equal(proxyFor('https://gpu.lan', { ...proxied, noProxy: ['gpu.lan'] }), undefined);
    assert.equal(proxyFor('https://a.corp.example', { ...proxied, env: { NO_PROXY: 'x, .corp.example' } }), undefined);
    assert.equal(proxyFor('https://corp.example', { ...proxied, env: { no_proxy: '*.corp.example' } }), undefined);
    assert.equal(proxyFor('http://gpu.lan:7860', { ...proxied, noProxy: ['gpu.lan:8080'] }), 'http://corp:3128', 'another port');
    assert.equal(proxyFor('http://gpu.lan:7860', { ...proxied, env: { NO_PROXY: '*' } }), undefined);
    assert.equal(describeProxy('http://user:pw@corp:3128'), 'http://corp:3128', 'never names the login');
  });
});

describe('requests through a proxy (a real local proxy)', function () {
  this.timeout(20_000);
  let server: FakeA1111;
  let proxy: TestProxy;
  const clients: ReturnType<typeof createDispatcher>[] = [];

  function client(baseUrl: string, proxyUri: string, options: { ca?: string } = {}): SdApiClient {
    const dispatcher = createDispatcher({ connectSeconds: 5, ca: options.ca, proxy: { uri: proxyUri, strictSsl: true } });
    clients.push(dispatcher);
    return new SdApiClient({ baseUrl, credentials: LOGIN, dispatcher, timeouts: TIMEOUTS, proxy: describeProxy(proxyUri) });
  }

  afterEach(async () => {
    for (const dispatcher of clients.splice(0)) await dispatcher.close();
    await server?.close();
    await proxy?.close();
  });

  it('https: a CONNECT tunnel to a server with its own certificate authority; the login reaches only the server', async () => {
    server = await startFakeA1111({ tls: CERT, auth: LOGIN });
    proxy = await startTestProxy();
    const port = new URL(server.url).port;
    const result = await client(`https://sd.example.test:${port}`, proxy.url, { ca: CERT.cert }).txt2img({
      prompt: 'tunnelled',
      steps: 2,
      width: 32,
      height: 32,
    });
    assert.equal(result.images.length, 1);
    assert.ok(proxy.requests.length > 0 && proxy.requests.every((r) => r.method === 'CONNECT' && r.target === `sd.example.test:${port}`));
    assert.ok(
      proxy.requests.every((r) => r.authorization === undefined),
      'the server login stays inside the tunnel',
    );
    assert.ok(server.requests.every((r) => r.authorization?.startsWith('Basic ') && r.proxyAuthorization === undefined));
  });

  it('https without the certificate authority: refused as untrusted', async () => {
    server = await startFakeA1111({ tls: CERT });
    proxy = await startTestProxy();
    await rejectsWith(client(`https://sd.example.test:${new URL(server.url).port}`, proxy.url).listModels(), 'tls');
    assert.equal(server.requests.length, 0);
  });

  it('http: absolute-form requests through the proxy', async () => {
    server = await startFakeA1111({ auth: LOGIN });
    proxy = await startTestProxy();
    const port = new URL(server.url).port;
    const models = await client(`http://sd.example.test:${port}`, proxy.url).listModels();
    assert.ok(models.length > 0);
    assert.deepEqual(
      proxy.requests.map((r) => `${r.method} ${r.target}`),
      [`GET http://sd.example.test:${port}/sdapi/v1/sd-models`],
    );
  });

  it("a proxy that wants a login: one sentence without it; with it in the proxy's URL, only the proxy gets it", async () => {
    server = await startFakeA1111({ tls: CERT, auth: LOGIN });
    proxy = await startTestProxy({ username: 'corp', password: 'proxy-secret' });
    const base = `https://sd.example.test:${new URL(server.url).port}`;
    const refused = await rejectsWith(client(base, proxy.url, { ca: CERT.cert }).listModels(), 'forbidden');
    assert.match(refused.message, /The proxy at http:\/\/127\.0\.0\.1:\d+ requires a login \(407\): put it into VS Code's http\.proxy setting/);
    assert.equal(server.requests.length, 0, 'nothing reached the server');
    const withLogin = new URL(proxy.url);
    withLogin.username = 'corp';
    withLogin.password = 'proxy-secret';
    assert.ok((await client(base, withLogin.href, { ca: CERT.cert }).listModels()).length > 0);
    assert.ok(server.requests.length > 0 && server.requests.every((r) => r.proxyAuthorization === undefined), 'the proxy login never reaches the server');
  });
});
