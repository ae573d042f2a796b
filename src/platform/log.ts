import type * as vscode from 'vscode';

/**
 * The extension's log: a LogOutputChannel whose every line passes through `redact`, so an
 * Authorization header, a URL with userinfo or a password we know of never reaches it.
 */
export class Log {
  private readonly secrets = new Set<string>();

  constructor(private readonly channel: vscode.LogOutputChannel) {}

  /** Remembers a secret value (a password) so that it is masked wherever it shows up. */
  addSecret(value: string): void {
    if (value.length >= 3) this.secrets.add(value);
  }

  redact(text: string): string {
    let result = text
      .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9+/=._~-]+/gi, '$1$2 ***')
      .replace(/\b(basic)\s+[A-Za-z0-9+/]{8,}={0,2}/gi, '$1 ***')
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, '$1***@');
    for (const secret of this.secrets) result = result.split(secret).join('***');
    return result;
  }

  trace(message: string): void {
    this.channel.trace(this.redact(message));
  }

  debug(message: string): void {
    this.channel.debug(this.redact(message));
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `\n${describeUnknown(error)}`;
    this.channel.error(this.redact(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }
}

function describeUnknown(error: unknown): string {
  if (error && typeof error === 'object' && 'describe' in error && typeof error.describe === 'function') {
    return String((error.describe as () => unknown).call(error));
  }
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
