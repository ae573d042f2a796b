// The two pieces of undici the client uses: a keep-alive Agent and the promise `request` API.
//
// undici's index eagerly loads fetch, WebSocket, EventSource, caches, mocks and proxy agents;
// bundled, that was 594 KB of which we ran 2 requests' worth. Requiring the modules below
// directly keeps the bundle to what runs (see BENCHMARKS.md, "Size"). undici has no `exports`
// map, so these paths are public files of the package; the version is pinned by the lockfile,
// and every client test runs through this module against a real server.
//
// They are required on first use, not when the bundle loads: evaluating them is most of the
// bundle's load time, and activation makes no request.

import type { Agent, Dispatcher } from 'undici';

export type { Agent, Dispatcher };

type RequestOn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

let undici: { Agent: typeof Agent; requestOn: RequestOn } | undefined;

function load(): NonNullable<typeof undici> {
  undici ??= {
    // Required on first use, by path (undici has no exports map): see the header comment.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Agent: require('undici/lib/dispatcher/agent') as typeof Agent,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    requestOn: require('undici/lib/api/api-request') as RequestOn,
  };
  return undici;
}

export function createAgent(options?: Agent.Options): Agent {
  return new (load().Agent)(options);
}

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** One HTTP request through `dispatcher` (undici's `request(url, options)`, without its global dispatcher). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const parsed = new URL(url);
  const { dispatcher, ...rest } = options;
  return load().requestOn.call(dispatcher, { ...rest, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}
