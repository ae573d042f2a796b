// The two pieces of undici the client uses, in a module of their own: esbuild.js bundles this
// file as dist/undici.js, which http.ts requires on the first request. The extension's bundle
// then holds none of undici's 190 KB, so loading it (every activation) parses only our code.
//
// undici's index eagerly loads fetch, WebSocket, EventSource, caches, mocks and proxy agents;
// bundled, that was 594 KB of which we ran 2 requests' worth. These paths are public files of the
// package (it has no `exports` map); the version is pinned by the lockfile, and every client
// test runs through them against a real server.

import type { Agent as AgentClass, Dispatcher, ProxyAgent as ProxyAgentClass } from 'undici';

export type RequestOn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/* eslint-disable @typescript-eslint/no-require-imports -- by path, see above */
export const Agent = require('undici/lib/dispatcher/agent') as typeof AgentClass;
export const requestOn = require('undici/lib/api/api-request') as RequestOn;
export const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof ProxyAgentClass;
// A proxy's CONNECT tunnel calls `client.connect()`, which undici's index adds to every dispatcher
// (`Object.assign(Dispatcher.prototype, api)`); without the index, add that one method here.
const dispatcherBase = require('undici/lib/dispatcher/dispatcher') as { prototype: Record<string, unknown> };
dispatcherBase.prototype.connect ??= require('undici/lib/api/api-connect') as unknown;
/* eslint-enable @typescript-eslint/no-require-imports */
