// Which proxy, if any, a request to the server goes through: VS Code's `http.proxy` first, then
// the HTTPS_PROXY / HTTP_PROXY environment; `http.noProxy` and NO_PROXY exclude hosts. A
// loopback server is never proxied (a proxy elsewhere cannot reach this machine's 127.0.0.1).
// Pure: the caller reads the settings and the environment.

import * as l10n from '@vscode/l10n';
import { isLoopbackHost } from './baseUrl';

export interface ProxySettings {
  /** VS Code's `http.proxy` ('' when unset). */
  httpProxy: string;
  /** VS Code's `http.noProxy`. */
  noProxy: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** The proxy URL for requests to `baseUrl`, or undefined to connect directly. */
export function proxyFor(baseUrl: string, settings: ProxySettings): string | undefined {
  if (isLoopbackHost(baseUrl)) return undefined;
  const target = new URL(baseUrl);
  const env = (name: string) => settings.env[name] ?? settings.env[name.toLowerCase()];
  const excluded = [...settings.noProxy, ...(env('NO_PROXY') ?? '').split(',')].map((entry) => entry.trim()).filter(Boolean);
  if (excluded.some((entry) => matchesNoProxy(target, entry))) return undefined;
  const proxy = settings.httpProxy.trim() || (target.protocol === 'https:' ? (env('HTTPS_PROXY') ?? env('HTTP_PROXY')) : env('HTTP_PROXY'));
  return proxy?.trim() || undefined;
}

/** `*`, `host`, `.example.com` / `*.example.com` (the domain and below), `host:port`. */
function matchesNoProxy(target: URL, entry: string): boolean {
  if (entry === '*') return true;
  const [hostPattern = '', port] = entry.replace(/^\[|\](?=:|$)/g, '').split(/:(?=\d+$)/);
  const targetPort = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (port !== undefined && port !== targetPort) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const pattern = hostPattern.toLowerCase().replace(/^\*/, '');
  return pattern.startsWith('.') ? host === pattern.slice(1) || host.endsWith(pattern) : host === pattern;
}

/** The proxy's address without its login, for messages and the log. */
export function describeProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return l10n.t('the proxy');
  }
}
