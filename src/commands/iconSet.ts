import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { readSourceImage } from '../generation/sourceImage';
import { iconLinkTags, makeIconSet, manifestIcons } from '../imageOps/iconSet';
import { imageLibrary } from '../imaging/library';
import { describeFileError } from '../output/imageWriter';
import type { outcomeOf } from '../ui/failures';
import type { ImageCommandDeps } from './announce';
import { pickWorkspaceImage } from './generate';

export type IconSetCommandDeps = ImageCommandDeps;

/** What the tests give instead of the input boxes: the folder (workspace-relative) and colour, and the answer to "replace?". */
export interface IconSetInput {
  folder: string;
  background: string;
  replace?: boolean;
}

export type IconSetOutcome = { status: 'saved'; files: string[]; linkTags: string } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

const LAST = 'sdStudio.iconSet.last';

/**
 * Make Icon Set…: favicon.ico, apple-touch-icon.png, icon-192, icon-512 and a maskable 512 from
 * one square image (sizes, folder and Android/iOS sets from sdStudio.iconSet.*), into a folder of the workspace; then the <link> tags and manifest entries,
 * inserted at the cursor or copied. Existing icons are replaced only after the user says so.
 */
export async function makeIconSetCommand(deps: IconSetCommandDeps, target?: vscode.Uri, input?: IconSetInput): Promise<IconSetOutcome> {
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Make Icon Set: pick a square image')));
    if (!picked) return { status: 'cancelled' };
    const source = await readSourceImage(picked);
    const root = vscode.workspace.getWorkspaceFolder(picked)?.uri;
    if (!root) throw new UserError(vscode.l10n.t('The image must be a file inside the workspace.'));
    const last = deps.workspaceState.get<IconSetInput>(LAST);
    const configured = deps.settings.iconSet;
    const defaultFolder = last?.folder || configured.folder || path.posix.join(path.posix.dirname(vscode.workspace.asRelativePath(picked, false)), 'icons');
    const answers = input ?? (await ask(source.name, defaultFolder, last?.background ?? '#ffffff'));
    if (!answers) return { status: 'cancelled' };
    const folderPath = answers.folder.replace(/^\/+|\/+$/g, '');
    if (folderPath === '' || folderPath.split('/').includes('..'))
      throw new UserError(vscode.l10n.t('The folder must be inside the workspace, such as public/icons.'));
    await deps.workspaceState.update(LAST, { folder: folderPath, background: answers.background });
    const files = await makeIconSet(imageLibrary(), source, {
      background: answers.background,
      faviconSizes: configured.faviconSizes,
      pngSizes: configured.pngSizes,
      platforms: configured.platforms,
    });
    const folder = vscode.Uri.joinPath(root, ...folderPath.split('/'));
    const existing: string[] = [];
    for (const file of files) {
      const exists = await Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, file.name))).then(
        () => true,
        () => false,
      );
      if (exists) existing.push(file.name);
    }
    if (existing.length > 0) {
      const replace = vscode.l10n.t('Replace');
      const answer =
        answers.replace ??
        (await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} already has {1}. Replace them?', folderPath, existing.join(', ')),
          { modal: true, detail: vscode.l10n.t('The old files go to the trash where there is one.') },
          replace,
        )) === replace;
      if (!answer) return { status: 'cancelled' };
    }
    const written = await writeAll(folder, folderPath, files);
    const linkTags = iconLinkTags(`/${folderPath}`, configured.pngSizes);
    deps.log.info(`[icons] ${picked.toString(true)} -> ${written.join(', ')}`);
    void offerSnippets(folderPath, linkTags, written.length, configured.pngSizes);
    return { status: 'saved', files: written, linkTags };
  } catch (error) {
    return deps.failures.notify(error, 'icon set');
  }
}

async function ask(name: string, folder: string, background: string): Promise<IconSetInput | undefined> {
  const chosenFolder = await vscode.window.showInputBox({
    title: vscode.l10n.t('Icon set from {0} (1/2): the folder', name),
    prompt: vscode.l10n.t('Workspace-relative, such as public/icons'),
    value: folder,
  });
  if (!chosenFolder) return undefined;
  const colour = await vscode.window.showInputBox({
    title: vscode.l10n.t('Icon set from {0} (2/2): the background', name),
    prompt: vscode.l10n.t("Behind Apple's icon and around the maskable one: #rrggbb"),
    value: background,
    validateInput: (text) => (/^#[0-9a-f]{6}$/i.test(text.trim()) ? undefined : vscode.l10n.t('A colour such as #ffffff.')),
  });
  return colour ? { folder: chosenFolder.trim(), background: colour.trim() } : undefined;
}

/**
 * Every file or none: each is written to a temporary name, then renamed over its place (the
 * writer's way); when the folder cannot take them, a sentence says so and what this run wrote
 * is removed again, so no half set is left.
 */
async function writeAll(folder: vscode.Uri, folderPath: string, files: readonly { name: string; bytes: Uint8Array }[]): Promise<string[]> {
  const written: vscode.Uri[] = [];
  try {
    for (const file of files) {
      const uri = vscode.Uri.joinPath(folder, ...file.name.split('/'));
      // The user said Replace: the old icon goes to the trash where there is one.
      await Promise.resolve(vscode.workspace.fs.delete(uri, { useTrash: true })).then(undefined, () => undefined);
      await writeReplacing(uri, file.bytes);
      written.push(uri);
    }
  } catch (error) {
    for (const uri of written) await Promise.resolve(vscode.workspace.fs.delete(uri)).then(undefined, () => undefined);
    throw new UserError(
      vscode.l10n.t(
        'Could not write the icons into {0} ({1}): make the folder writable or choose another, then try again.',
        folderPath,
        describeFileError(error),
      ),
    );
  }
  return written.map((uri) => vscode.workspace.asRelativePath(uri, false));
}

/** Written like the writer does (temporary file, then renamed), replacing. */
async function writeReplacing(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const folder = vscode.Uri.joinPath(uri, '..');
  await vscode.workspace.fs.createDirectory(folder);
  const temporary = vscode.Uri.joinPath(folder, `.${path.posix.basename(uri.path)}.${Date.now().toString(36)}.tmp`);
  try {
    await vscode.workspace.fs.writeFile(temporary, bytes);
    await vscode.workspace.fs.rename(temporary, uri, { overwrite: true });
  } catch (error) {
    await Promise.resolve(vscode.workspace.fs.delete(temporary)).then(undefined, () => undefined);
    throw error;
  }
}

async function offerSnippets(folder: string, linkTags: string, count: number, pngSizes: readonly number[]): Promise<void> {
  const insert = vscode.l10n.t('Insert Link Tags');
  const copyTags = vscode.l10n.t('Copy Link Tags');
  const copyManifest = vscode.l10n.t('Copy Manifest Icons');
  const editor = vscode.window.activeTextEditor;
  const canInsert = editor && ['html', 'php', 'vue', 'svelte', 'astro'].includes(editor.document.languageId);
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Wrote {0} icons to {1}.', count, folder),
    ...(canInsert ? [insert] : []),
    copyTags,
    copyManifest,
  );
  if (choice === insert && editor) await editor.insertSnippet(new vscode.SnippetString(linkTags.replace(/\$/g, '\\$')));
  if (choice === copyTags) await vscode.env.clipboard.writeText(linkTags);
  if (choice === copyManifest) await vscode.env.clipboard.writeText(JSON.stringify({ icons: manifestIcons(`/${folder}`, pngSizes) }, null, 2));
}
