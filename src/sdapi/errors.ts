import * as l10n from '@vscode/l10n';
// Every failure of the API client becomes an SdApiError: a kind the caller can branch on, one
// sentence for the user that says what to do next, and details for the log.

export type SdApiErrorKind =
  | 'unreachable'
  | 'unknownHost'
  | 'timeout'
  | 'tls'
  | 'connectionLost'
  | 'unauthorized'
  | 'forbidden'
  | 'noApi'
  | 'notFound'
  | 'methodNotAllowed'
  | 'tooLarge'
  | 'validation'
  | 'server'
  | 'gateway'
  | 'notJson'
  | 'badResponse'
  | 'noImages'
  | 'notImage'
  | 'aborted'
  | 'http';

export interface FieldError {
  /** The request field, e.g. `steps` (from a 422's `loc`), or `''` when the server did not say. */
  field: string;
  message: string;
}

export interface ErrorDetails {
  /** The server's origin (what connection help reads its host and port from). */
  origin?: string;
  endpoint?: string;
  status?: number;
  contentType?: string;
  /** The start of the response body, for the log. */
  bodyExcerpt?: string;
  cause?: unknown;
  /** True when the request carried credentials (changes what a 401 means). */
  hadCredentials?: boolean;
}

export class SdApiError extends Error {
  override readonly name = 'SdApiError';

  constructor(
    readonly kind: SdApiErrorKind,
    message: string,
    readonly details: ErrorDetails = {},
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /** One line for the log with everything a bug report needs (never credentials). */
  describe(): string {
    const parts = [`${this.kind}: ${this.message}`];
    const d = this.details;
    if (d.endpoint) parts.push(`endpoint=${d.endpoint}`);
    if (d.status !== undefined) parts.push(`status=${d.status}`);
    if (d.contentType) parts.push(`content-type=${d.contentType}`);
    if (d.cause instanceof Error) parts.push(`cause=${d.cause.name}: ${d.cause.message}${codeOf(d.cause) ? ` (${codeOf(d.cause)})` : ''}`);
    if (d.bodyExcerpt) parts.push(`body=${JSON.stringify(d.bodyExcerpt)}`);
    return parts.join(' | ');
  }
}

const BODY_EXCERPT_LENGTH = 600;

export function excerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH ? `${body.slice(0, BODY_EXCERPT_LENGTH)}…` : body;
}

/** The error code of a Node/undici error or of its cause chain. */
export function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The human-readable message an A1111, Forge, SD.Next, sd.cpp or FastAPI error body carries. */
export function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const texts: string[] = [];
  for (const key of ['detail', 'errors', 'message']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '' && !texts.includes(value.trim())) {
      texts.push(value.trim());
    }
  }
  const error = typeof record.error === 'string' ? record.error : undefined;
  if (texts.length === 0) return error && error !== 'HTTPException' ? error : undefined;
  const text = texts.join(': ');
  // A1111 names the Python exception class in `error` (RuntimeError, KeyError, OutOfMemoryError…).
  return error && error !== 'HTTPException' && !text.startsWith(error) ? `${error}: ${text}` : text;
}

/** Field errors of a pydantic (v1 or v2) 422 body: `{detail: [{loc, msg}]}`. */
export function validationErrors(body: unknown): FieldError[] {
  const detail = body && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  if (!Array.isArray(detail)) {
    const message = serverMessage(body);
    return message ? [{ field: '', message }] : [];
  }
  const result: FieldError[] = [];
  for (const item of detail) {
    if (!item || typeof item !== 'object') continue;
    const { loc, msg } = item as { loc?: unknown; msg?: unknown };
    const path = Array.isArray(loc) ? loc.filter((part) => part !== 'body').map(String) : [];
    result.push({ field: path.join('.'), message: typeof msg === 'string' ? msg : l10n.t('invalid value') });
  }
  return result;
}

export function describeFieldErrors(errors: readonly FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const more = errors.length > 3 ? l10n.t(' (and {0} more)', errors.length - 3) : '';
  return shown.join('; ') + more;
}
