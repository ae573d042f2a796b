import { codeOf, describeFieldErrors, excerpt, SdApiError, serverMessage, validationErrors } from './errors';

export interface FailedResponse {
  origin: string;
  endpoint: string;
  status: number;
  contentType: string;
  bodyText: string;
  hadCredentials: boolean;
  /** The proxy requests go through (without its login), when there is one. */
  proxy?: string | undefined;
}

export function looksLikeHtml(contentType: string, bodyText: string): boolean {
  return /html/i.test(contentType) || /^\s*</.test(bodyText);
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const GATEWAY_STATUSES = new Set([502, 503, 504, 520, 521, 522, 523, 524]);

/** Maps a non-2xx answer to one actionable sentence. Decides on the status code only. */
export function errorForStatus(response: FailedResponse): SdApiError {
  const { origin, status, bodyText, contentType } = response;
  const details = {
    endpoint: response.endpoint,
    status,
    contentType,
    bodyExcerpt: excerpt(bodyText),
    hadCredentials: response.hadCredentials,
  };
  const html = looksLikeHtml(contentType, bodyText);
  const body = html ? undefined : parseJsonOrUndefined(bodyText);
  const message = serverMessage(body);

  switch (status) {
    case 407:
      return new SdApiError('forbidden', proxyLoginNeeded(response.proxy), details);
    case 401:
      return new SdApiError(
        'unauthorized',
        response.hadCredentials
          ? `The server at ${origin} rejected the username or password: choose "Enter Credentials…" to enter them again.`
          : `The server at ${origin} requires a username and password: choose "Enter Credentials…" to enter them.`,
        details,
      );
    case 403:
      return new SdApiError(
        'forbidden',
        `The server at ${origin} refused access (403 Forbidden): check that this account may use the API, or choose "Enter Credentials…" to use another one.`,
        details,
      );
    case 404:
      // FastAPI's own "route does not exist" answer (or any HTML page) means no /sdapi routes.
      if (html || message === undefined || message === 'Not Found') {
        return new SdApiError(
          'noApi',
          `The server at ${origin} does not offer the Stable Diffusion API (404 on ${response.endpoint}): start it with the --api flag, or check the URL.`,
          details,
        );
      }
      return new SdApiError('notFound', `The server reported "${message}" (404): check the sampler, model and image settings.`, details);
    case 405:
      return new SdApiError(
        'methodNotAllowed',
        `The server at ${origin} does not accept this request (405 Method Not Allowed): check that the URL points to an AUTOMATIC1111-compatible server.`,
        details,
      );
    case 413:
      return new SdApiError(
        'tooLarge',
        'The request is too large for the server or a proxy in front of it (413): use a smaller source image or ask the server admin to raise the upload limit.',
        details,
      );
    case 422: {
      const fields = validationErrors(body);
      const what = fields.length > 0 ? describeFieldErrors(fields) : 'no reason given';
      return new SdApiError('validation', `The server rejected the request (${what}): correct the setting and try again.`, details, fields);
    }
    default:
      break;
  }
  if (GATEWAY_STATUSES.has(status) && (html || message === undefined)) {
    return new SdApiError(
      'gateway',
      `A proxy in front of the server answered ${status}: the server may be down or the job took longer than the proxy allows; try again, or use fewer steps or a smaller batch.`,
      details,
    );
  }
  if (status >= 500) {
    return new SdApiError(
      'server',
      message
        ? `The server failed with "${message}": check the server's console, then try again.`
        : `The server failed with status ${status}: check the server's console, then try again.`,
      details,
    );
  }
  if (status === 400 && message) {
    return new SdApiError('notFound', `The server rejected the request: "${message}".`, details);
  }
  return new SdApiError('http', `The server answered ${status}${message ? ` ("${message}")` : ''}: check the server URL and settings.`, details);
}

export interface NetworkFailure {
  origin: string;
  endpoint: string;
  error: unknown;
  /** Which timeout applied, to name it in the message. */
  timeouts: { connectSeconds: number; responseSeconds: number };
  /** The proxy requests go through (without its login), when there is one. */
  proxy?: string | undefined;
}

function proxyLoginNeeded(proxy: string | undefined): string {
  return `The proxy${proxy ? ` at ${proxy}` : ''} requires a login (407): put it into VS Code's http.proxy setting as http://user:password@host:port.`;
}

const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_|EPROTO$)/;

/** Maps an undici/Node transport error (no HTTP status) to an SdApiError. */
export function errorForNetworkFailure({ origin, endpoint, error, timeouts, proxy }: NetworkFailure): SdApiError {
  if (error instanceof SdApiError) return error;
  const code = codeOf(error) ?? '';
  const name = (error as { name?: unknown })?.name;
  const details = { endpoint, cause: error };
  // undici reports a proxy that refused the CONNECT as an aborted request: it is not a cancel.
  const tunnel = /Proxy response \((\d+)\)/.exec(error instanceof Error ? error.message : '');
  if (tunnel) {
    return tunnel[1] === '407'
      ? new SdApiError('forbidden', proxyLoginNeeded(proxy), details)
      : new SdApiError(
          'unreachable',
          `The proxy${proxy ? ` at ${proxy}` : ''} refused to connect to ${origin} (${tunnel[1]}): check VS Code's http.proxy and http.noProxy settings.`,
          details,
        );
  }
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    return new SdApiError('aborted', 'The request was cancelled.', details);
  }
  const host = new URL(origin).host;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SdApiError(
        'unknownHost',
        `The host "${new URL(origin).hostname}" could not be found: check the server URL ("Set Server…") and your network.`,
        details,
      );
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new SdApiError('unreachable', `Cannot connect to ${origin}: check that the server is running and that the URL ("Set Server…") is right.`, details);
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new SdApiError(
        'timeout',
        `${host} did not accept a connection within ${timeouts.connectSeconds} s: check the server URL and that the server is running.`,
        details,
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new SdApiError(
        'timeout',
        `The server did not answer within ${timeouts.responseSeconds} s: raise the timeout in the settings (sdStudio.timeouts), or use fewer steps or a smaller image.`,
        details,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new SdApiError(
        'timeout',
        'The server stopped sending its answer half way: try again; if it keeps happening, check the server and any proxy in front of it.',
        details,
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new SdApiError(
        'connectionLost',
        `The connection to ${host} broke before the answer was complete: try again; if it keeps happening, check the server and any proxy in front of it.`,
        details,
      );
    default:
      break;
  }
  if (TLS_CODES.test(code)) {
    return new SdApiError(
      'tls',
      `The TLS certificate of ${host} is not trusted (${code}): add its certificate authority (or the certificate itself) in sdStudio.tls.caFile, give the server a certificate this computer trusts, or use plain http on a private network.`,
      details,
    );
  }
  return new SdApiError('unreachable', `Cannot reach ${origin}${code ? ` (${code})` : ''}: check the server URL and your network.`, details);
}
