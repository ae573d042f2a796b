// The dialect probe against the local server in each dialect (test/server/dialects.ts): the kind
// for people, the capabilities for features, and no model load or generation while probing.

import * as assert from 'node:assert/strict';
import { identify, type ServerCapabilities, type ServerKind } from '../../src/sdapi/probe';
import { FLAVORS, type ServerFlavor } from '../server/dialects';
import { startFakeA1111 } from '../server/fakeA1111';
import { clientFor, rejectsWith } from './helpers';

const EXPECTED: Record<ServerFlavor, { kind: ServerKind; name: RegExp; yes: (keyof ServerCapabilities)[]; no: (keyof ServerCapabilities)[] }> = {
  'a1111-1.10': {
    kind: 'a1111',
    name: /^A1111 1\.9 or later$/,
    yes: ['schedulers', 'progress', 'interrupt', 'modelSwitch', 'reportsSeeds', 'taskProgress'],
    no: ['distilledCfg'],
  },
  'a1111-1.9': { kind: 'a1111', name: /^A1111 1\.9 or later$/, yes: ['schedulers', 'progress', 'interrupt', 'modelSwitch', 'taskProgress'], no: [] },
  'a1111-1.8': { kind: 'a1111-legacy', name: /^A1111 1\.8 or earlier/, yes: ['progress', 'interrupt', 'modelSwitch', 'taskProgress'], no: ['schedulers'] },
  forge: { kind: 'forge', name: /^Forge$/, yes: ['schedulers', 'progress', 'interrupt', 'modelSwitch', 'taskProgress', 'distilledCfg'], no: [] },
  // SD.Next lists its samplers under /schedulers (no labels) and takes no scheduler field.
  sdnext: { kind: 'sdnext', name: /^SD\.Next \(2026-07-01\)$/, yes: ['progress', 'interrupt', 'modelSwitch'], no: ['schedulers', 'taskProgress'] },
  koboldcpp: {
    kind: 'koboldcpp',
    name: /^koboldcpp 1\.77$/,
    yes: [],
    no: ['schedulers', 'progress', 'interrupt', 'modelSwitch', 'reportsSeeds', 'taskProgress'],
  },
  sdcpp: {
    kind: 'sdcpp',
    name: /^stable-diffusion\.cpp server$/,
    yes: ['schedulers', 'reportsSeeds'],
    no: ['progress', 'interrupt', 'modelSwitch', 'taskProgress'],
  },
};

describe('the dialect probe (sdapi/probe.ts) against the local server in every dialect', () => {
  for (const flavor of FLAVORS) {
    it(`${flavor}: ${EXPECTED[flavor].kind}`, async () => {
      const server = await startFakeA1111({ flavor });
      const { client, agent } = clientFor(server.url);
      try {
        const identity = await client.probe();
        const expected = EXPECTED[flavor];
        assert.equal(identity.kind, expected.kind);
        assert.match(identity.name, expected.name);
        for (const capability of expected.yes) assert.equal(identity.capabilities[capability], true, `${flavor} has ${capability}`);
        for (const capability of expected.no) assert.equal(identity.capabilities[capability], false, `${flavor} lacks ${capability}`);
        assert.ok(
          server.requests.every((r) => r.method === 'GET'),
          `only GETs: ${server.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
        );
        assert.ok(server.requests.length <= 4, `cheap: ${server.requests.map((r) => r.path).join(', ')}`);
      } finally {
        await agent.close();
        await server.close();
      }
    });
  }

  it('finds extensions by their routes: ControlNet and rembg', () => {
    const paths = ['/sdapi/v1/txt2img', '/sdapi/v1/schedulers', '/controlnet/version', '/controlnet/detect', '/rembg'];
    const found = identify({ openApiPaths: paths, labelledSchedulers: true }).capabilities;
    assert.deepEqual([found.controlnet, found.rembg], [true, true]);
    const plain = identify({ openApiPaths: paths.slice(0, 2), labelledSchedulers: true }).capabilities;
    assert.deepEqual([plain.controlnet, plain.rembg], [false, false]);
  });

  it('a login failure is not mistaken for a missing route', async () => {
    const server = await startFakeA1111({ auth: { username: 'ada', password: 'secret' } });
    const { client, agent } = clientFor(server.url);
    try {
      await rejectsWith(client.probe(), 'unauthorized');
    } finally {
      await agent.close();
      await server.close();
    }
  });
});
