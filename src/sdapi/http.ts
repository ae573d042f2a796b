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

export interface DispatcherOptions {
  connectSeconds: number;
  /** Extra trusted certificates (PEM) for servers with their own certificate authority. */
  ca?: string | undefined;
  /** A proxy to go through (sdapi/proxy.ts decides): its URL may carry its own login. */
  proxy?: { uri: string; strictSsl: boolean } | undefined;
}

/**
 * The connection pool requests go through: direct, or through a proxy (CONNECT for https,
 * absolute-form for http). The server's own login travels in each request's headers, to the
 * server; the proxy's login only in Proxy-Authorization.
 */
export function createDispatcher({ connectSeconds, ca, proxy }: DispatcherOptions): Dispatcher & { close(): Promise<void>; destroy(): Promise<void> } {
  const connect = { timeout: connectSeconds * 1000, ...(ca ? { ca } : {}) };
  if (!proxy) return createAgent({ connect, keepAliveTimeout: 10_000 });
  return new (load().ProxyAgent)({
    uri: proxy.uri,
    keepAliveTimeout: 10_000,
    requestTls: ca ? { ca } : {},
    proxyTls: { rejectUnauthorized: proxy.strictSsl },
    // Plain http goes as absolute-form requests, as proxies expect (many allow CONNECT to 443 only).
    proxyTunnel: false,
  });
}

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** One HTTP request through `dispatcher` (undici's `request(url, options)`, without its global dispatcher). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const parsed = new URL(url);
  const { dispatcher, ...rest } = options;
  return load().requestOn.call(dispatcher, { ...rest, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}
