import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { addPngText, readPngText } from '../image/pngText';
import { readStoredParameters } from '../metadata/imageMetadata';
import { controlUnitsOf } from '../metadata/controlNetInfotext';
import { settingsOf, type Infotext } from '../metadata/infotext';
import { entryFromParameters } from '../recipes/adoptEntry';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash } from '../recipes/effective';
import { findManifests, readManifest, writeEntry } from '../recipes/manifestFiles';
import { imageOfParametersUri } from '../ui/parametersDocument';
import type { FailureOutcome } from '../ui/failures';
import type { RecipeCommandDeps } from './recipes';
import { lookUpSource } from './recordedSource';

/**
 * Add to Recipes: an existing image (from its parameters document, the Explorer or the gallery)
 * becomes an entry of the workspace's recipes file, which is created when there is none. A PNG
 * also gets the entry's hash, so it shows as up to date: its pixels are untouched. An image made
 * from a source image it names gets that source in its entry; one the entry cannot make again
 * (an unnamed or changed source, ControlNet's control images) is added without the hash, and the
 * user is told why.
 */
export async function addToRecipes(
  deps: Pick<RecipeCommandDeps, 'failures' | 'recipes'>,
  target: vscode.Uri | undefined,
): Promise<{ status: 'added'; manifest: string; note?: string } | { status: 'cancelled' } | FailureOutcome> {
  try {
    const image = target && (imageOfParametersUri(target) ?? target);
    const folder = image && vscode.workspace.getWorkspaceFolder(image);
    if (!image || !folder)
      throw new UserError(vscode.l10n.t('Add to Recipes works on an image inside the workspace: open its generation parameters, then try again.'));
    const bytes = await vscode.workspace.fs.readFile(image);
    const stored = readStoredParameters(bytes);
    if (!stored) throw new UserError(vscode.l10n.t('{0} has no generation parameters to make a recipe from.', path.posix.basename(image.path)));
    const manifestUri = await chooseManifest(folder);
    if (!manifestUri) return { status: 'cancelled' };
    const entryPath = vscode.workspace.asRelativePath(image, false);
    const manifest = await readManifest(manifestUri).catch(() => undefined);
    if (manifest?.entries.some((entry) => entry.path === entryPath))
      throw new UserError(vscode.l10n.t('{0} is already in {1}.', entryPath, vscode.workspace.asRelativePath(manifestUri)));
    const settings = settingsOf(stored.infotext);
    const { source, notRemade } = await sourceForRecipe(image, stored.infotext, settings.denoisingStrength);
    const added = await writeEntry(manifestUri, entryPath, entryFromParameters(settings, source));
    const entry = added.entries.find((candidate) => candidate.path === entryPath);
    if (entry && !notRemade && stored.source === 'png-text' && !readPngText(bytes).has(RECIPE_HASH_KEY)) {
      await vscode.workspace.fs.writeFile(image, addPngText(bytes, RECIPE_HASH_KEY, recipeHash(effectiveRecipe(entry, added))));
    }
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(manifestUri), { preview: false });
    deps.recipes.refreshAll(image);
    if (notRemade) void vscode.window.showInformationMessage(notRemade);
    return { status: 'added', manifest: manifestUri.toString(), ...(notRemade ? { note: notRemade } : {}) };
  } catch (error) {
    return deps.failures.notify(error, 'add to recipes');
  }
}

/**
 * The entry's source image (an image made from one that names it), and why the entry will not
 * make this image again, when it will not: the image is then not marked as made by it.
 */
async function sourceForRecipe(
  image: vscode.Uri,
  infotext: Infotext,
  strength: number | undefined,
): Promise<{ source?: Parameters<typeof entryFromParameters>[1]; notRemade?: string }> {
  const name = path.posix.basename(image.path);
  if (controlUnitsOf(infotext).length > 0)
    return {
      notRemade: vscode.l10n.t(
        '{0} was made with ControlNet, which recipes do not take: its entry makes a picture without the control images, so the image is not marked as made by it.',
        name,
      ),
    };
  const found = await lookUpSource(image, infotext);
  if (found.state === 'none') return {};
  if (found.state === 'unnamed')
    return {
      notRemade: vscode.l10n.t(
        '{0} was made from a source image its parameters do not name: its entry makes a picture from the prompt alone until you give it a "source", so the image is not marked as made by it.',
        name,
      ),
    };
  const { recorded } = found;
  const source = { path: recorded.path, ...(strength !== undefined ? { strength } : {}), ...(recorded.resizeMode ? { resizeMode: recorded.resizeMode } : {}) };
  if (found.state !== 'found')
    return {
      source,
      notRemade: vscode.l10n.t(
        '{0} was made from {1}, which is gone or has changed since, so the image is not marked as made by its entry.',
        name,
        recorded.path,
      ),
    };
  return { source };
}

/** The workspace folder's recipes file: the only one, one picked, or a new sd-assets.json. */
async function chooseManifest(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const found = await findManifests(folder);
  if (found.length === 0) return vscode.Uri.joinPath(folder.uri, 'sd-assets.json');
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Add to Recipes: which recipes file?') },
  );
  return picked?.uri;
}
