import * as vscode from 'vscode';
import type { Log } from '../platform/log';
import type { ImageRecord } from '../shared/protocol';

/** One generated image as the gallery remembers it (the file itself stays in the workspace). */
export interface GalleryEntry extends ImageRecord {
  uri: string;
}

const KEY = 'sdStudio.gallery';
const MAX_ENTRIES = 5000;

/**
 * The results of this workspace, newest first, kept in workspace storage. Files deleted or
 * moved outside the extension drop out: on a file watcher's delete event, and by prune()
 * (which checks every file) whenever the panel opens.
 */
export class GalleryStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Log,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.{png,jpg,jpeg,webp,PNG,JPG,JPEG,WEBP}', true, true, false);
    this.watcher.onDidDelete((uri) => void this.forgetFilesUnder(uri));
  }

  list(): GalleryEntry[] {
    const stored = this.memento.get<unknown>(KEY);
    return Array.isArray(stored) ? stored.filter(isEntry) : [];
  }

  get(id: string): GalleryEntry | undefined {
    return this.list().find((entry) => entry.id === id);
  }

  async add(entries: GalleryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.save([...entries, ...this.list()].slice(0, MAX_ENTRIES));
  }

  /** What Describe said of the image: its alt text when inserted. */
  async describe(uri: vscode.Uri, description: string): Promise<void> {
    const key = uri.toString();
    const entries = this.list();
    if (!entries.some((entry) => entry.uri === key)) return;
    await this.save(entries.map((entry) => (entry.uri === key ? { ...entry, description } : entry)));
  }

  async remove(ids: readonly string[]): Promise<void> {
    const before = this.list();
    const after = before.filter((entry) => !ids.includes(entry.id));
    if (after.length !== before.length) await this.save(after);
  }

  /** Drops entries whose file is gone; never throws (a gallery must open even so). */
  async prune(): Promise<void> {
    const entries = this.list();
    const missing = await Promise.all(
      entries.map(async (entry) => {
        try {
          await vscode.workspace.fs.stat(vscode.Uri.parse(entry.uri));
          return undefined;
        } catch {
          return entry.id;
        }
      }),
    );
    const gone = missing.filter((id): id is string => id !== undefined);
    if (gone.length > 0) {
      this.log.info(`[gallery] ${gone.length} file(s) no longer exist; removed from the gallery`);
      await this.remove(gone);
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }

  private async forgetFilesUnder(deleted: vscode.Uri): Promise<void> {
    const prefix = deleted.toString();
    const gone = this.list()
      .filter((entry) => entry.uri === prefix || entry.uri.startsWith(`${prefix}/`))
      .map((entry) => entry.id);
    if (gone.length > 0) await this.remove(gone);
  }

  private async save(entries: GalleryEntry[]): Promise<void> {
    await this.memento.update(KEY, entries);
    this.changed.fire();
  }
}

function isEntry(value: unknown): value is GalleryEntry {
  const v = value as Partial<GalleryEntry> | null;
  return !!v && typeof v.id === 'string' && typeof v.uri === 'string' && typeof v.prompt === 'string' && typeof v.createdAt === 'number';
}
