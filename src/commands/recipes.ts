import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { GenerationRequest, GenerationService } from '../generation/generationService';
import type { GenerationWorkflow, GenerationOutcome } from '../generation/workflow';
import { effectiveRecipe, RECIPE_HASH_KEY, recipeHash, type EffectiveRecipe } from '../recipes/effective';
import { parseManifest } from '../recipes/manifest';
import type { CandidateOffers } from '../recipes/candidateOffers';
import type { RecipeProviders } from '../recipes/recipeProviders';
import { requestOf, type RecipeMode } from './recipeRequest';
import { entryUri, recipeState } from '../recipes/recipeState';
import { outcomeOf, type FailureOutcome, type FailureReporter } from '../ui/failures';

export interface RecipeCommandDeps {
  workflow: GenerationWorkflow;
  generation: GenerationService;
  failures: FailureReporter;
  recipes: RecipeProviders;
  candidates: CandidateOffers;
  /** Opens the panel, where candidates are compared and picked. */
  panel: { show(): void };
}

export type { RecipeMode };

/** What to do when the declared file exists: asked before anything is generated. */
export type ExistingFile = 'replace' | 'keepBoth';

export type RecipeOutcome =
  | Exclude<GenerationOutcome, { status: 'failed' }>
  /** `candidates: N` made N images in the candidates folder: the declared file is written when the user picks one. */
  | { status: 'candidates'; files: string[]; seeds: (number | undefined)[]; offerId: string }
  | FailureOutcome;

/** Generate, Regenerate or Variation of one entry of a recipes file, written to its declared path. */
export async function generateRecipe(
  deps: RecipeCommandDeps,
  manifestUri: unknown,
  entryPath: unknown,
  mode: RecipeMode,
  existing?: ExistingFile,
  /** 'caller': no progress notification and no failure notification (an agent's tool call shows its own). */
  surface: 'notification' | 'caller' = 'notification',
  onJob?: (jobId: string) => void,
): Promise<RecipeOutcome> {
  let written: vscode.Uri | undefined;
  try {
    const { recipe, target } = await recipeAt(manifestUri, entryPath);
    written = target;
    const exists = await vscode.workspace.fs.stat(target).then(
      () => true,
      () => false,
    );
    const choice = exists ? (existing ?? (await askExisting(recipe.path))) : 'replace';
    if (!choice) return { status: 'cancelled' };
    return await run(deps, { manifest: manifestUri as vscode.Uri, recipe, target }, mode, choice === 'replace', surface, onJob);
  } catch (error) {
    return surface === 'notification' ? deps.failures.notify(error, 'recipe') : outcomeOf(deps.failures.describe(error, 'recipe'));
  } finally {
    deps.recipes.refreshAll(...(written ? [written] : []));
  }
}

/**
 * Generate Missing Assets: every missing or stale entry, one after another through the queue,
 * under one progress notification ("3 of 12") with Cancel. Stale images are replaced (to the
 * trash) after one question.
 */
export async function generateMissingAssets(
  deps: RecipeCommandDeps,
  manifestUri: unknown,
  confirmReplace?: boolean,
): Promise<{ status: 'done' | 'cancelled'; generated: string[]; failed: string[] } | FailureOutcome> {
  try {
    if (!(manifestUri instanceof vscode.Uri))
      throw new UserError(vscode.l10n.t('Open a recipes file (sd-assets.json), then run Generate Missing Assets again.'));
    const document = await vscode.workspace.openTextDocument(manifestUri);
    const manifest = parseManifest(document.getText());
    const todo: { recipe: EffectiveRecipe; target: vscode.Uri; stale: boolean }[] = [];
    for (const entry of manifest.entries.filter((e) => e.valid)) {
      const recipe = effectiveRecipe(entry, manifest);
      const target = entryUri(manifestUri, entry.path);
      const state = await recipeState(target, recipe);
      if (state === 'missing' || state === 'stale') todo.push({ recipe, target, stale: state === 'stale' });
    }
    const stale = todo.filter((item) => item.stale).length;
    if (todo.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Every asset of this recipes file is up to date.'));
      return { status: 'done', generated: [], failed: [] };
    }
    if (stale > 0 && confirmReplace === undefined) {
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(
        stale === 1
          ? vscode.l10n.t('1 asset was made from an earlier recipe and will be replaced (the old file goes to the trash where there is one).')
          : vscode.l10n.t('{0} assets were made from an earlier recipe and will be replaced (the old files go to the trash where there is one).', stale),
        { modal: true },
        replace,
      );
      if (answer !== replace) return { status: 'cancelled', generated: [], failed: [] };
    }
    const generated: string[] = [];
    const failed: string[] = [];
    const status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Stable Diffusion: generating assets'), cancellable: true },
      async (progress, token) => {
        for (const [index, item] of todo.entries()) {
          if (token.isCancellationRequested) return 'cancelled' as const;
          progress.report({ message: `${index + 1} of ${todo.length}: ${item.recipe.path}`, increment: index === 0 ? 0 : 100 / todo.length });
          let jobId: string | undefined;
          const onCancel = token.onCancellationRequested(() => jobId && deps.generation.cancel(jobId));
          try {
            const outcome = await run(deps, { manifest: manifestUri, ...item }, 'generate', true, 'caller', (id) => (jobId = id));
            if (outcome.status === 'saved') generated.push(item.recipe.path);
            else if (outcome.status === 'candidates')
              generated.push(vscode.l10n.t('{0} ({1} candidates to pick from)', item.recipe.path, outcome.files.length));
            else if (outcome.status === 'failed') failed.push(`${item.recipe.path}: ${outcome.message}`);
            else return 'cancelled' as const;
          } finally {
            onCancel.dispose();
            deps.recipes.refreshAll(item.target);
          }
        }
        return 'done' as const;
      },
    );
    if (failed.length > 0) {
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window
        .showErrorMessage(vscode.l10n.t('{0} of {1} assets could not be generated: {2}', failed.length, todo.length, failed.join('; ')), showLog)
        .then((choice) => (choice === showLog ? vscode.commands.executeCommand('sdStudio.showLog') : undefined));
    } else if (status === 'done') {
      void vscode.window.showInformationMessage(
        generated.length === 1 ? vscode.l10n.t('Generated 1 asset.') : vscode.l10n.t('Generated {0} assets.', generated.length),
      );
    }
    return { status, generated, failed };
  } catch (error) {
    return deps.failures.notify(error, 'recipes');
  }
}

async function run(
  deps: RecipeCommandDeps,
  { manifest, recipe, target }: { manifest: vscode.Uri; recipe: EffectiveRecipe; target: vscode.Uri },
  mode: RecipeMode,
  replace: boolean,
  surface: 'notification' | 'caller',
  onJob?: (jobId: string) => void,
): Promise<RecipeOutcome> {
  const request = await requestOf(recipe, target, mode);
  const source = sourceOption(recipe, target);
  if (recipe.candidates > 1) return runCandidates(deps, { manifest, recipe, target, request }, replace, surface, onJob);
  // A variation is not what the recipe says: its hash differs, so the entry shows as stale.
  const hash = recipeHash(mode === 'variation' ? { ...recipe, seed: -2 } : recipe);
  const outcome = await deps.workflow.run(request, {
    surface,
    near: target,
    saveAt: { uri: target, text: { [RECIPE_HASH_KEY]: hash }, replace },
    ...source,
    ...(onJob ? { onJob } : {}),
  });
  return outcome.status === 'failed' ? outcomeOf(outcome.failure) : outcome;
}

/** An entry's source, recorded in its images as any image-to-image source is (so Regenerate works on them too). */
function sourceOption(recipe: EffectiveRecipe, target: vscode.Uri): { source?: vscode.Uri } {
  return recipe.source !== undefined ? { source: entryUri(target, recipe.source) } : {};
}

/** N images into the candidates folder, offered in the panel; the pick is written to the declared path (recipes/candidateOffers.ts). */
async function runCandidates(
  deps: RecipeCommandDeps,
  { manifest, recipe, target, request }: { manifest: vscode.Uri; recipe: EffectiveRecipe; target: vscode.Uri; request: GenerationRequest },
  replace: boolean,
  surface: 'notification' | 'caller',
  onJob?: (jobId: string) => void,
): Promise<RecipeOutcome> {
  const stem = path.posix.basename(target.path, path.posix.extname(target.path)).replace(/[{}]/g, '');
  const outcome = await deps.workflow.run(
    { ...request, parameters: { ...request.parameters, batchSize: recipe.candidates, batchCount: 1 } },
    {
      surface,
      near: target,
      saveInto: { folder: await deps.candidates.folderFor(target), template: `${stem}-{seed}` },
      ...sourceOption(recipe, target),
      ...(onJob ? { onJob } : {}),
    },
  );
  if (outcome.status !== 'saved') return outcome.status === 'failed' ? outcomeOf(outcome.failure) : outcome;
  const offer = deps.candidates.add({
    manifest,
    entryPath: recipe.path,
    target,
    replace,
    files: outcome.files.map((file) => vscode.Uri.parse(file)),
    seeds: outcome.seeds,
  });
  deps.panel.show();
  return { status: 'candidates', files: outcome.files, seeds: outcome.seeds, offerId: offer.id };
}

async function recipeAt(manifestUri: unknown, entryPath: unknown): Promise<{ recipe: EffectiveRecipe; target: vscode.Uri }> {
  if (!(manifestUri instanceof vscode.Uri) || typeof entryPath !== 'string')
    throw new UserError(vscode.l10n.t('Use the CodeLens of a recipes file (sd-assets.json) to generate one of its assets.'));
  const manifest = parseManifest((await vscode.workspace.openTextDocument(manifestUri)).getText());
  const entry = manifest.entries.find((candidate) => candidate.path === entryPath);
  if (!entry?.valid)
    throw new UserError(
      vscode.l10n.t('{0} has no valid entry "{1}": fix the problems it shows, then try again.', path.posix.basename(manifestUri.path), entryPath),
    );
  return { recipe: effectiveRecipe(entry, manifest), target: entryUri(manifestUri, entry.path) };
}

async function askExisting(entryPath: string): Promise<ExistingFile | undefined> {
  const replace = vscode.l10n.t('Replace');
  const keepBoth = vscode.l10n.t('Keep Both');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} exists. Replace it (the old file goes to the trash where there is one) or keep both?', entryPath),
    { modal: true },
    replace,
    keepBoth,
  );
  return answer === replace ? 'replace' : answer === keepBoth ? 'keepBoth' : undefined;
}
