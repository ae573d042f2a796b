// The two pieces of undici the client uses: a keep-alive Agent and the promise `request` API.
//
// undici's index eagerly loads fetch, WebSocket, EventSource, caches, mocks and proxy agents;
// bundled, that was 594 KB of which we ran 2 requests' worth. Requiring the modules below
// directly keeps the bundle to what runs (see BENCHMARKS.md, "Size"). undici has no `exports`
// map, so these paths are public files of the package; the version is pinned by the lockfile,
// and every client test runs through this module against a real server.

import type { Dispatcher } from 'undici';

export const Agent: typeof import('undici').Agent = require('undici/lib/dispatcher/agent');
export type Agent = import('undici').Agent;
const requestOn = require('undici/lib/api/api-request') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export type { Dispatcher };

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** One HTTP request through `dispatcher` (undici's `request(url, options)`, without its global dispatcher). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const parsed = new URL(url);
  const { dispatcher, ...rest } = options;
  return requestOn.call(dispatcher, { ...rest, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}
