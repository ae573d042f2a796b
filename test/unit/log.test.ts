import * as assert from 'node:assert/strict';
import { Log } from '../../src/platform/log';
import { errorForNetworkFailure } from '../../src/sdapi/httpErrors';

/** Records what reaches the channel (a LogOutputChannel stand-in: only the methods Log calls). */
function recordingChannel(lines: string[]) {
  const record = (message: string) => void lines.push(message);
  return { trace: record, debug: record, info: record, warn: record, error: record, show: () => undefined };
}

describe('Log', () => {
  it('never lets credentials through', () => {
    const lines: string[] = [];
    const log = new Log(recordingChannel(lines) as never);
    log.addSecret('hunter2-secret');
    log.info('authorization: Basic YWRhOmh1bnRlcjItc2VjcmV0');
    log.info('headers {"Authorization":"Basic YWRhOmh1bnRlcjI="}');
    log.debug('GET https://ada:hunter2-secret@space.example/sdapi/v1/sd-models');
    log.warn('server said: password hunter2-secret is wrong');
    log.error('failed', new Error('while sending Basic YWRhOmh1bnRlcjItc2VjcmV0 to the server'));
    const all = lines.join('\n');
    assert.equal(lines.length, 5);
    for (const secret of ['YWRhOmh1bnRlcjItc2VjcmV0', 'YWRhOmh1bnRlcjI=', 'hunter2-secret']) {
      assert.ok(!all.includes(secret), `${secret} leaked:\n${all}`);
    }
    assert.match(all, /https:\/\/\*\*\*@space\.example/);
  });
});

describe('network failures', () => {
  const map = (code: string) =>
    errorForNetworkFailure({
      origin: 'https://space.example',
      endpoint: '/sdapi/v1/txt2img',
      error: Object.assign(new Error(code), { code }),
      timeouts: { connectSeconds: 10, responseSeconds: 900 },
    });

  it('gives each transport failure its own sentence', () => {
    assert.equal(map('ENOTFOUND').kind, 'unknownHost');
    assert.match(map('ENOTFOUND').message, /"space\.example" could not be found/);
    assert.equal(map('ECONNREFUSED').kind, 'unreachable');
    assert.equal(map('UND_ERR_CONNECT_TIMEOUT').kind, 'timeout');
    assert.match(map('UND_ERR_HEADERS_TIMEOUT').message, /within 900 s/);
    assert.equal(map('UND_ERR_BODY_TIMEOUT').kind, 'timeout');
    assert.equal(map('ECONNRESET').kind, 'connectionLost');
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      assert.equal(map(code).kind, 'tls', code);
    }
    assert.equal(map('ABORT_ERR').kind, 'aborted');
    assert.match(map('EWHATEVER').message, /Cannot reach https:\/\/space\.example \(EWHATEVER\)/);
  });
});
