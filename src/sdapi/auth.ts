export interface Credentials {
  username: string;
  password: string;
}

/**
 * HTTP Basic header value. A1111 (FastAPI) decodes it as ASCII, so non-ASCII credentials fail
 * on the server; they are still encoded as UTF-8 here, which is what RFC 7617 recommends.
 */
export function basicAuthHeader({ username, password }: Credentials): string {
  // l10n-exempt: the HTTP header.
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
