// The two pieces of undici the client uses, in a module of their own: esbuild.js bundles this
// file as dist/undici.js, which http.ts requires on the first request. The extension's bundle
// then holds none of undici's 190 KB, so loading it (every activation) parses only our code.
//
// undici's index eagerly loads fetch, WebSocket, EventSource, caches, mocks and proxy agents;
// bundled, that was 594 KB of which we ran 2 requests' worth. These paths are public files of the
// package (it has no `exports` map); the version is pinned by the lockfile, and every client
// test runs through them against a real server.

import type { Agent as AgentClass, Dispatcher } from 'undici';

export type RequestOn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/* eslint-disable @typescript-eslint/no-require-imports -- by path, see above */
export const Agent = require('undici/lib/dispatcher/agent') as typeof AgentClass;
export const requestOn = require('undici/lib/api/api-request') as RequestOn;
/* eslint-enable @typescript-eslint/no-require-imports */
