import * as l10n from '@vscode/l10n';
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
    origin,
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
          ? l10n.t('The server at {0} rejected the username or password: choose "Enter Credentials…" to enter them again.', origin)
          : l10n.t('The server at {0} requires a username and password: choose "Enter Credentials…" to enter them.', origin),
        details,
      );
    case 403:
      return new SdApiError(
        'forbidden',
        l10n.t(
          'The server at {0} refused access (403 Forbidden): check that this account may use the API, or choose "Enter Credentials…" to use another one.',
          origin,
        ),
        details,
      );
    case 404:
      // FastAPI's own "route does not exist" answer (or any HTML page) means no /sdapi routes.
      if (html || message === undefined || message === 'Not Found') {
        return new SdApiError(
          'noApi',
          l10n.t(
            'The server at {0} does not offer the Stable Diffusion API (404 on {1}): start it with the --api flag, or check the URL.',
            origin,
            response.endpoint,
          ),
          details,
        );
      }
      return new SdApiError('notFound', l10n.t('The server reported "{0}" (404): check the sampler, model and image settings.', message), details);
    case 405:
      return new SdApiError(
        'methodNotAllowed',
        l10n.t(
          'The server at {0} does not accept this request (405 Method Not Allowed): check that the URL points to an AUTOMATIC1111-compatible server.',
          origin,
        ),
        details,
      );
    case 413:
      return new SdApiError(
        'tooLarge',
        l10n.t(
          'The request is too large for the server or a proxy in front of it (413): use a smaller source image or ask the server admin to raise the upload limit.',
        ),
        details,
      );
    case 422: {
      const fields = validationErrors(body);
      const what = fields.length > 0 ? describeFieldErrors(fields) : l10n.t('no reason given');
      return new SdApiError('validation', l10n.t('The server rejected the request ({0}): correct the setting and try again.', what), details, fields);
    }
    default:
      break;
  }
  if (GATEWAY_STATUSES.has(status) && (html || message === undefined)) {
    return new SdApiError(
      'gateway',
      l10n.t(
        'A proxy in front of the server answered {0}: the server may be down or the job took longer than the proxy allows; try again, or use fewer steps or a smaller batch.',
        status,
      ),
      details,
    );
  }
  if (status >= 500) {
    return new SdApiError(
      'server',
      message
        ? l10n.t('The server failed with "{0}": check the server\'s console, then try again.', message)
        : l10n.t("The server failed with status {0}: check the server's console, then try again.", status),
      details,
    );
  }
  if (status === 400 && message) {
    return new SdApiError('notFound', l10n.t('The server rejected the request: "{0}".', message), details);
  }
  return new SdApiError(
    'http',
    message
      ? l10n.t('The server answered {0} ("{1}"): check the server URL and settings.', status, message)
      : l10n.t('The server answered {0}: check the server URL and settings.', status),
    details,
  );
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
  return proxy
    ? l10n.t("The proxy at {0} requires a login (407): put it into VS Code's http.proxy setting as http://user:password@host:port.", proxy)
    : l10n.t("The proxy requires a login (407): put it into VS Code's http.proxy setting as http://user:password@host:port.");
}

const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_|EPROTO$)/;

/** Maps an undici/Node transport error (no HTTP status) to an SdApiError. */
export function errorForNetworkFailure({ origin, endpoint, error, timeouts, proxy }: NetworkFailure): SdApiError {
  if (error instanceof SdApiError) return error;
  const code = codeOf(error) ?? '';
  const name = (error as { name?: unknown })?.name;
  const details = { origin, endpoint, cause: error };
  // undici reports a proxy that refused the CONNECT as an aborted request: it is not a cancel.
  const tunnel = /Proxy response \((\d+)\)/.exec(error instanceof Error ? error.message : '');
  if (tunnel) {
    return tunnel[1] === '407'
      ? new SdApiError('forbidden', proxyLoginNeeded(proxy), details)
      : new SdApiError(
          'unreachable',
          proxy
            ? l10n.t("The proxy at {0} refused to connect to {1} ({2}): check VS Code's http.proxy and http.noProxy settings.", proxy, origin, tunnel[1] ?? '')
            : l10n.t("The proxy refused to connect to {0} ({1}): check VS Code's http.proxy and http.noProxy settings.", origin, tunnel[1] ?? ''),
          details,
        );
  }
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    return new SdApiError('aborted', l10n.t('The request was cancelled.'), details);
  }
  const host = new URL(origin).host;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SdApiError(
        'unknownHost',
        l10n.t('The host "{0}" could not be found: check the server URL ("Set Server…") and your network.', new URL(origin).hostname),
        details,
      );
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new SdApiError(
        'unreachable',
        l10n.t('Cannot connect to {0}: check that the server is running and that the URL ("Set Server…") is right.', origin),
        details,
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new SdApiError(
        'timeout',
        l10n.t('{0} did not accept a connection within {1} s: check the server URL and that the server is running.', host, timeouts.connectSeconds),
        details,
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new SdApiError(
        'timeout',
        l10n.t(
          'The server did not answer within {0} s: raise the timeout in the settings (sdStudio.timeouts), or use fewer steps or a smaller image.',
          timeouts.responseSeconds,
        ),
        details,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new SdApiError(
        'timeout',
        l10n.t('The server stopped sending its answer half way: try again; if it keeps happening, check the server and any proxy in front of it.'),
        details,
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new SdApiError(
        'connectionLost',
        l10n.t(
          'The connection to {0} broke before the answer was complete: try again; if it keeps happening, check the server and any proxy in front of it.',
          host,
        ),
        details,
      );
    default:
      break;
  }
  if (TLS_CODES.test(code)) {
    return new SdApiError(
      'tls',
      l10n.t(
        'The TLS certificate of {0} is not trusted ({1}): add its certificate authority (or the certificate itself) in sdStudio.tls.caFile, give the server a certificate this computer trusts, or use plain http on a private network.',
        host,
        code,
      ),
      details,
    );
  }
  return new SdApiError(
    'unreachable',
    code
      ? l10n.t('Cannot reach {0} ({1}): check the server URL and your network.', origin, code)
      : l10n.t('Cannot reach {0}: check the server URL and your network.', origin),
    details,
  );
}
