// Which workspace image a path from untrusted hands names (the panel's page, an agent's tool
// call): only PNG/JPEG/WebP files inside an open workspace folder (pure, unit-tested with
// hostile input).

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';

export interface FolderRef {
  name: string;
  /** The folder's URI as a string (`file:///ws`, `vscode-remote://host/ws`). */
  uri: string;
}

const IMAGE_EXTENSION = /\.(png|jpe?g|webp)$/i;

/** A workspace-relative path (`assets/a.png`, `folder-name/a.png` in multi-root) or a URI inside a folder naming an image; returns the URI. */
export function workspaceImageUri(text: string, folders: readonly FolderRef[], what = l10n.t('The source image')): string {
  return workspaceFileUri(text, folders, {
    what,
    accepts: IMAGE_EXTENSION,
    wrongKind: (name) => l10n.t('{0} is not a PNG, JPEG or WebP image: pick one of those.', name),
  });
}

export interface FileKind {
  /** Names the file in sentences: "The recipes file". */
  what: string;
  /** Which file names are of this kind. */
  accepts: RegExp;
  wrongKind(name: string): string;
}

/** As workspaceImageUri, for any kind of file. */
export function workspaceFileUri(text: string, folders: readonly FolderRef[], kind: FileKind): string {
  const outside = l10n.t('{0} must be a file inside the workspace.', kind.what);
  const input = (text.split(/\r?\n/)[0] ?? '').trim();
  let uri: string;
  if (/^[a-z][a-z0-9+.-]+:/i.test(input)) {
    const path = input.replace(/^[a-z][a-z0-9+.-]+:\/\/[^/]*/i, '');
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw new UserError(outside);
    }
    if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) throw new UserError(outside);
    uri = input;
  } else {
    if (input.startsWith('/') || input.startsWith('\\') || /^[a-z]:/i.test(input)) throw new UserError(outside);
    const segments = input
      .replace(/\\/g, '/')
      .split('/')
      .filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || segments.includes('..') || folders.length === 0) throw new UserError(outside);
    const named = folders.length > 1 ? folders.find((f) => f.name === segments[0]) : undefined;
    const folder = named ?? folders[0]!; // folders is not empty (checked above)
    uri = `${folder.uri.replace(/\/$/, '')}/${(named ? segments.slice(1) : segments).map(encodeURIComponent).join('/')}`;
  }
  if (!folders.some((folder) => uri.startsWith(`${folder.uri.replace(/\/$/, '')}/`))) throw new UserError(outside);
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  if (!kind.accepts.test(name)) throw new UserError(kind.wrongKind(name));
  return uri;
}
