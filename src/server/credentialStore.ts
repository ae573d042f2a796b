import type * as vscode from 'vscode';
import type { Credentials } from '../sdapi/auth';

const KEY_PREFIX = 'sdStudio.credentials:';

/**
 * Usernames and passwords in VS Code's SecretStorage, keyed by server origin: credentials
 * entered for one server are never sent to another, whatever the URL setting says later.
 */
export class CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(origin: string): Promise<Credentials | undefined> {
    const stored = await this.secrets.get(KEY_PREFIX + origin);
    if (!stored) return undefined;
    try {
      const parsed: unknown = JSON.parse(stored);
      const { username, password } = parsed as Partial<Credentials>;
      return typeof username === 'string' && typeof password === 'string' ? { username, password } : undefined;
    } catch {
      return undefined;
    }
  }

  async set(origin: string, credentials: Credentials): Promise<void> {
    await this.secrets.store(KEY_PREFIX + origin, JSON.stringify(credentials));
  }

  async clear(origin: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + origin);
  }

  onDidChange(listener: (origin: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith(KEY_PREFIX)) listener(event.key.slice(KEY_PREFIX.length));
    });
  }
}
