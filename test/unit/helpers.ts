import { createAgent, type Agent } from '../../src/sdapi/http';
import { SdApiClient, type ClientTimeouts } from '../../src/sdapi/client';
import type { Credentials } from '../../src/sdapi/auth';
import { SdApiError, type SdApiErrorKind } from '../../src/sdapi/errors';
import * as assert from 'node:assert/strict';
import { GenerationService, type ServerAccess } from '../../src/generation/generationService';
import type { GenerationDefaults } from '../../src/generation/types';
import type { Log } from '../../src/platform/log';
import { startFakeA1111, type FakeA1111 } from '../server/fakeA1111';

export const QUICK_TIMEOUTS: ClientTimeouts = { connectSeconds: 2, requestSeconds: 5, generationSeconds: 10 };

export function clientFor(
  baseUrl: string,
  options: { credentials?: Credentials; timeouts?: Partial<ClientTimeouts>; maxResponseBytes?: number } = {},
): { client: SdApiClient; agent: Agent } {
  const timeouts = { ...QUICK_TIMEOUTS, ...options.timeouts };
  const agent = createAgent({ connect: { timeout: timeouts.connectSeconds * 1000 }, keepAliveTimeout: 4000 });
  const client = new SdApiClient({ baseUrl, credentials: options.credentials, dispatcher: agent, timeouts, maxResponseBytes: options.maxResponseBytes });
  return { client, agent };
}

/** Awaits a promise that must fail with an SdApiError of the given kind; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, kind: SdApiErrorKind): Promise<SdApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SdApiError, `expected SdApiError, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${kind} error, but the call succeeded`);
}

/** What a GenerationService needs of a server, for a plain client: its catalog, and its probe once. */
export function accessFor(client: SdApiClient): ServerAccess & { identity(): ReturnType<SdApiClient['probe']> } {
  let identity: ReturnType<SdApiClient['probe']> | undefined;
  return {
    client: async () => client,
    samplerCatalog: () => client.samplerCatalog(),
    identity: () => (identity ??= client.probe()),
  };
}

/** A GenerationService on a fresh local server, with what it told the user; `close` stops both. */
export async function serviceOnLocalServer(options: Parameters<typeof startFakeA1111>[0] = {}): Promise<{
  server: FakeA1111;
  service: GenerationService;
  notes: string[];
  close: () => Promise<void>;
}> {
  const server = await startFakeA1111(options);
  const { client, agent } = clientFor(server.url);
  const notes: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Log;
  const service = new GenerationService(accessFor(client), log, (note) => notes.push(note));
  return {
    server,
    service,
    notes,
    close: async () => {
      service.dispose();
      await agent.close();
      await server.close();
    },
  };
}

/** A small, quick generation (3 steps of 64 × 64); tests override what they vary. */
export function smallParameters(overrides: Partial<GenerationDefaults> = {}): GenerationDefaults {
  return {
    negativePrompt: '',
    steps: 3,
    cfgScale: 7,
    width: 64,
    height: 64,
    sampler: 'Euler a',
    scheduler: 'Automatic',
    seed: 3,
    batchSize: 1,
    batchCount: 1,
    ...overrides,
  };
}
