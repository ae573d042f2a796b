/**
 * Turns what a user pastes (`host:7860/`, `https://space.example/docs`,
 * `http://host/sdapi/v1/txt2img`) into the server's base URL without a trailing slash.
 * Throws an Error with a user-facing sentence when the text is not an http(s) URL.
 */
export function normalizeBaseUrl(input: string): string {
  let text = input.trim();
  if (text === '') {
    throw new Error('The server URL is empty: enter an address such as http://127.0.0.1:7860.');
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    text = `http://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${input.trim()}" is not a valid URL: enter an address such as http://127.0.0.1:7860.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The server URL must start with http:// or https://, not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw new Error('Do not put the username and password in the URL: Set Server… asks for them and keeps them in secret storage.');
  }
  let path = url.pathname;
  // Everything from a pasted API or docs path onwards is not part of the base.
  path = path.replace(/\/(sdapi\/v1|docs|redoc|openapi\.json)(\/.*)?$/i, '');
  path = path.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** `https://host:port` of a normalized base URL: the key credentials are stored under. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** True for hosts that never leave this machine (plain http is fine there). */
export function isLoopbackHost(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}
