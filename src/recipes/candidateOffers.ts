import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { sniffImageFormat } from '../image/format';
import type { ImageWriter } from '../output/imageWriter';
import { setEntryField } from './adoptEntry';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash } from './effective';
import { editManifest, readManifest } from './manifestFiles';

/** Candidates live here, beside the real assets but never among them; the folder ignores itself in git. */
export const CANDIDATES_FOLDER = '.sd-candidates';

export interface CandidateOffer {
  id: string;
  manifest: vscode.Uri;
  entryPath: string;
  /** The declared path the picked image is written to. */
  target: vscode.Uri;
  /** The user chose Replace for an existing file before the candidates were made. */
  replace: boolean;
  files: vscode.Uri[];
  seeds: (number | undefined)[];
}

/**
 * A recipe entry with `candidates: N` is made as N images in the candidates folder; the user
 * compares them in the panel and picks one. The pick is written to the declared path, and its
 * seed into the recipe, so the recipe makes exactly that image again (and the entry counts as up
 * to date). The others stay in the candidates folder.
 */
export class CandidateOffers implements vscode.Disposable {
  private readonly offers = new Map<string, CandidateOffer>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly wrote = new vscode.EventEmitter<vscode.Uri>();
  /** A picked candidate was written to its entry's path. */
  readonly onDidWrite = this.wrote.event;
  private nextId = 1;

  constructor(private readonly writer: ImageWriter) {}

  /** The folder an entry's candidates go to: `.sd-candidates/<the entry's folder>/`, created with its own `.gitignore`. */
  async folderFor(target: vscode.Uri): Promise<vscode.Uri> {
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(target);
    if (!workspaceFolder) throw new UserError(vscode.l10n.t('{0} is not inside the workspace.', target.fsPath));
    const root = vscode.Uri.joinPath(workspaceFolder.uri, CANDIDATES_FOLDER);
    const gitignore = vscode.Uri.joinPath(root, '.gitignore');
    const hasIgnore = await vscode.workspace.fs.stat(gitignore).then(
      () => true,
      () => false,
    );
    if (!hasIgnore) {
      await vscode.workspace.fs.createDirectory(root);
      await vscode.workspace.fs.writeFile(
        gitignore,
        // l10n-exempt: a file in the repository.
        Buffer.from('# Candidates of Stable Diffusion Studio recipes, not yet picked: never committed.\n*\n'),
      );
    }
    const relative = path.posix.dirname(vscode.workspace.asRelativePath(target, false));
    return relative === '.' ? root : vscode.Uri.joinPath(root, ...relative.split('/'));
  }

  /** Offers new candidates for an entry (replacing an older offer for the same entry). */
  add(offer: Omit<CandidateOffer, 'id'>): CandidateOffer {
    for (const [id, existing] of this.offers) {
      if (existing.manifest.toString() === offer.manifest.toString() && existing.entryPath === offer.entryPath) this.offers.delete(id);
    }
    const added = { ...offer, id: `offer-${this.nextId++}` };
    this.offers.set(added.id, added);
    this.changed.fire();
    return added;
  }

  list(): CandidateOffer[] {
    return [...this.offers.values()];
  }

  /** Writes the picked candidate to the entry's path and its seed into the recipe; undefined for an unknown offer or index. */
  async pick(offerId: string, index: number): Promise<{ file: vscode.Uri; seed: number | undefined; entryPath: string } | undefined> {
    const offer = this.offers.get(offerId);
    const candidate = offer?.files[index];
    if (!offer || !candidate) return undefined;
    const bytes = await vscode.workspace.fs.readFile(candidate);
    const format = sniffImageFormat(bytes);
    if (!format) throw new UserError(vscode.l10n.t('{0} is no longer an image: generate the candidates again.', path.posix.basename(candidate.path)));
    const seed = offer.seeds[index];
    let manifest = await readManifest(offer.manifest);
    const before = manifest.entries.find((entry) => entry.path === offer.entryPath);
    if (seed !== undefined && seed >= 0 && before?.fields.seed !== seed) {
      manifest = await editManifest(offer.manifest, (text) => setEntryField(text, offer.entryPath, 'seed', seed));
    }
    const entry = manifest.entries.find((candidateEntry) => candidateEntry.path === offer.entryPath);
    if (!entry?.valid) {
      throw new UserError(
        vscode.l10n.t(
          '{0} is no longer a valid entry of {1}: the candidates stay in {2}.',
          offer.entryPath,
          vscode.workspace.asRelativePath(offer.manifest),
          CANDIDATES_FOLDER,
        ),
      );
    }
    const file = await this.writer.saveAt(
      offer.target,
      { bytes, format, seed },
      { fallbackInfotext: () => '', text: { [RECIPE_HASH_KEY]: recipeHash(effectiveRecipe(entry, manifest)) }, replace: offer.replace },
    );
    this.offers.delete(offerId);
    this.changed.fire();
    this.wrote.fire(file);
    return { file, seed, entryPath: offer.entryPath };
  }

  dismiss(offerId: string): void {
    if (this.offers.delete(offerId)) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.wrote.dispose();
  }
}
