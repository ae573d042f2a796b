import * as assert from 'node:assert/strict';
import { isLoopbackHost, normalizeBaseUrl, originOf } from '../../src/sdapi/baseUrl';

describe('normalizeBaseUrl', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:7860', 'http://127.0.0.1:7860'],
    ['http://127.0.0.1:7860/', 'http://127.0.0.1:7860'],
    ['  127.0.0.1:7860//  ', 'http://127.0.0.1:7860'],
    ['https://space.example.org/docs', 'https://space.example.org'],
    ['https://space.example.org/docs#/default/text2imgapi', 'https://space.example.org'],
    ['https://host/sd/sdapi/v1/txt2img', 'https://host/sd'],
    ['https://host/sdapi/v1/', 'https://host'],
    ['HTTPS://Host.Example:443/', 'https://host.example'],
    ['http://host:7861/openapi.json', 'http://host:7861'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(normalizeBaseUrl(input), expected));
  }

  it('rejects what is not an http(s) URL, with a sentence saying what to enter', () => {
    assert.throws(() => normalizeBaseUrl(''), /empty/);
    assert.throws(() => normalizeBaseUrl('ftp://host'), /must start with http/);
    assert.throws(() => normalizeBaseUrl('http://exa mple'), /not a valid URL/);
    assert.throws(() => normalizeBaseUrl('https://user:pw@host'), /Do not put the username and password in the URL/);
  });

  it('keys credentials by origin and knows loopback hosts', () => {
    assert.equal(originOf('https://host.example/sd'), 'https://host.example');
    assert.ok(isLoopbackHost('http://127.0.0.1:7860'));
    assert.ok(isLoopbackHost('http://localhost:7860'));
    assert.ok(isLoopbackHost('http://[::1]:7860'));
    assert.ok(!isLoopbackHost('http://192.168.1.5:7860'));
  });
});
