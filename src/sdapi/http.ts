// The HTTP layer of the client: a keep-alive Agent and the promise `request` API of undici,
// loaded on the first request (activation makes none) from dist/undici.js, a bundle of its own
// (undiciParts.ts; see BENCHMARKS.md, "Size").

import type { Agent, Dispatcher } from 'undici';
import type * as UndiciParts from './undiciParts';

export type { Agent, Dispatcher };

let undici: typeof UndiciParts | undefined;

function load(): typeof UndiciParts {
  // esbuild.js maps this path to ./undici.js next to the bundle; tests load the module itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undici ??= require('./undiciParts') as typeof UndiciParts;
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
