import * as vscode from 'vscode';
import { generateRecipe, type RecipeCommandDeps, type RecipeMode } from '../commands/recipes';
import { UserError } from '../errors/userError';
import { effectiveRecipe } from '../recipes/effective';
import { pathProblem, type Manifest, type RecipeFields } from '../recipes/manifest';
import { findManifests, readManifest, writeEntry } from '../recipes/manifestFiles';
import { entryUri, recipeState, type RecipeState } from '../recipes/recipeState';
import { exists, jobCanceller, manifestTarget, relative, textResult } from './toolSupport';

import { ADD_RECIPE_TOOL, GENERATE_RECIPE_TOOL, LIST_RECIPES_TOOL } from './toolNames';

function stateWords(state: RecipeState): string {
  switch (state) {
    case 'missing':
      return vscode.l10n.t('missing (not generated yet)');
    case 'upToDate':
      return vscode.l10n.t('up to date');
    case 'stale':
      return vscode.l10n.t('stale (the recipe changed since the image was made)');
    case 'untracked':
      return vscode.l10n.t('exists, not made from this recipe');
  }
}

/** Every recipes file of the workspace (or the one named) with each entry's state. Reads only: no confirmation. */
export class ListRecipesTool implements vscode.LanguageModelTool<{ manifest?: string }> {
  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Reading the recipes files…') };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<{ manifest?: string }>): Promise<vscode.LanguageModelToolResult> {
    const files = options.input.manifest !== undefined ? [manifestTarget(options.input.manifest)] : await findManifests();
    if (files.length === 0) return textResult('The workspace has no recipes file (sd-assets.json). Add an entry with sdstudio_add_recipe to create one.');
    const lines: string[] = [];
    for (const file of files) {
      const manifest = await readManifest(file);
      lines.push(`${relative(file)} (${manifest.entries.length} entr${manifest.entries.length === 1 ? 'y' : 'ies'}):`);
      for (const entry of manifest.entries) {
        if (!entry.valid) {
          // l10n-exempt: the tool's result, read by the language model.
          lines.push(`- ${entry.path}: has problems (see the file's warnings); it cannot be generated until they are fixed.`);
          continue;
        }
        const recipe = effectiveRecipe(entry, manifest);
        const state = await recipeState(entryUri(file, entry.path), recipe);
        const seed = recipe.seed >= 0 ? `, seed ${recipe.seed}` : '';
        lines.push(
          `- ${entry.path}: ${stateWords(state)}. Prompt: "${recipe.prompt}", ${recipe.width}x${recipe.height}${seed}${recipe.model ? `, model ${recipe.model}` : ''}.`,
        );
      }
    }
    return textResult(...lines);
  }
}

export interface GenerateRecipeInput {
  path: string;
  manifest?: string;
  /** A new seed instead of the recipe's: a variation, which then no longer matches the recipe. */
  variation?: boolean;
}

/** Generates (or regenerates) one recipe entry to its declared path, after the user confirms. */
export class GenerateRecipeTool implements vscode.LanguageModelTool<GenerateRecipeInput> {
  constructor(private readonly deps: RecipeCommandDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateRecipeInput>): Promise<vscode.PreparedToolInvocation> {
    const { file, manifest, entryPath } = await locateEntry(options.input);
    const entry = manifest.entries.find((candidate) => candidate.path === entryPath)!;
    const recipe = effectiveRecipe(entry, manifest);
    const target = entryUri(file, entryPath);
    const state = await recipeState(target, recipe);
    const kind = options.input.variation === true ? 'variation' : state === 'missing' ? 'generate' : 'regenerate';
    const lines = [
      vscode.l10n.t('{0} from {1}, {2} × {3}: {4}.', entryPath, relative(file), recipe.width, recipe.height, stateWords(state)),
      vscode.l10n.t('Prompt: {0}', recipe.prompt),
      ...(state !== 'missing' ? [vscode.l10n.t('The existing {0} will be replaced (the old file goes to the trash where there is one).', entryPath)] : []),
    ];
    const { progress, title } = wording(kind, entryPath);
    return { invocationMessage: progress, confirmationMessages: { title, message: lines.join('\n\n') } };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<GenerateRecipeInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const { file, entryPath } = await locateEntry(options.input);
    const target = entryUri(file, entryPath);
    const mode: RecipeMode = options.input.variation === true ? 'variation' : (await exists(target)) ? 'regenerate' : 'generate';
    const jobs = jobCanceller(token, (id) => this.deps.generation.cancel(id));
    try {
      const outcome = await generateRecipe(this.deps, file, entryPath, mode, 'replace', 'caller', jobs.onJob);
      if (outcome.status === 'failed') throw new Error(outcome.message);
      if (outcome.status === 'cancelled') throw new Error(vscode.l10n.t('The generation was cancelled; nothing was written.'));
      if (outcome.status === 'candidates') {
        return textResult(
          `Made ${outcome.files.length} candidates for ${entryPath} (${outcome.files.map((file) => relative(vscode.Uri.parse(file))).join(', ')}).`,
          `The user compares them in the Stable Diffusion panel; ${entryPath} is written when they pick one (and its seed goes into the recipe).`,
        );
      }
      const seed = outcome.seeds[0];
      return textResult(
        `Wrote ${relative(vscode.Uri.parse(outcome.files[0]!))} from the recipe in ${relative(file)}${seed !== undefined ? ` (seed ${seed})` : ''}.`,
        mode === 'variation' ? 'As a variation it does not match its recipe, which now shows it as stale.' : 'The entry is now up to date.',
      );
    } finally {
      jobs.dispose();
    }
  }
}

export interface AddRecipeInput extends Omit<RecipeFields, 'candidates' | 'source' | 'strength'> {
  path: string;
  prompt: string;
  manifest?: string;
}

/** Adds an entry to a recipes file (created when there is none), after the user confirms; generates nothing. */
export class AddRecipeTool implements vscode.LanguageModelTool<AddRecipeInput> {
  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<AddRecipeInput>): Promise<vscode.PreparedToolInvocation> {
    const { file, entryPath, fields, created } = await this.read(options.input);
    const intro = created
      ? vscode.l10n.t('A new recipes file {0} gets this entry:', relative(file))
      : vscode.l10n.t('The recipes file {0} gets this entry:', relative(file));
    return {
      invocationMessage: vscode.l10n.t('Adding {0} to {1}…', entryPath, relative(file)),
      confirmationMessages: {
        title: vscode.l10n.t('Add {0} to the recipes?', entryPath),
        message: `${intro}\n\n${JSON.stringify({ [entryPath]: fields }, null, 2)}`,
      },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<AddRecipeInput>): Promise<vscode.LanguageModelToolResult> {
    const { file, entryPath, fields } = await this.read(options.input);
    const manifest = await writeEntry(file, entryPath, fields);
    const entry = manifest.entries.find((candidate) => candidate.path === entryPath);
    const state = entry ? await recipeState(entryUri(file, entryPath), effectiveRecipe(entry, manifest)) : 'missing';
    return textResult(
      `Added ${entryPath} to ${relative(file)}; its image is ${stateWords(state)}.`,
      state === 'upToDate' ? '' : `Generate it with ${GENERATE_RECIPE_TOOL} (path "${entryPath}").`,
    );
  }

  private async read(input: AddRecipeInput): Promise<{ file: vscode.Uri; entryPath: string; fields: RecipeFields; created: boolean }> {
    const entryPath = typeof input.path === 'string' ? input.path.trim().replace(/\\/g, '/').replace(/^\.\//, '') : '';
    const problem = pathProblem(entryPath);
    if (problem) throw new UserError(problem);
    if (typeof input.prompt !== 'string' || input.prompt.trim() === '') throw new UserError(vscode.l10n.t('The prompt is empty: describe the image.'));
    const file = await chooseManifest(input.manifest);
    const created = !(await exists(file));
    if (!created && (await readManifest(file)).entries.some((entry) => entry.path === entryPath))
      throw new UserError(vscode.l10n.t('{0} is already in {1}: generate it with {2}, or edit the entry.', entryPath, relative(file), GENERATE_RECIPE_TOOL));
    const fields: RecipeFields = { prompt: input.prompt.trim() };
    for (const key of ['negativePrompt', 'style', 'size', 'model', 'sampler', 'scheduler', 'steps', 'cfgScale', 'seed'] as const) {
      if (input[key] !== undefined) (fields as Record<string, unknown>)[key] = input[key];
    }
    return { file, entryPath, fields, created };
  }
}

/** The recipes file named, the only one, or a new sd-assets.json in the first folder. */
async function chooseManifest(named: string | undefined): Promise<vscode.Uri> {
  if (named !== undefined) return manifestTarget(named);
  const found = await findManifests();
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new UserError(vscode.l10n.t('The workspace has several recipes files ({0}): say which with "manifest".', found.map(relative).join(', ')));
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserError(vscode.l10n.t('No folder is open: open the project first.'));
  return vscode.Uri.joinPath(folder.uri, 'sd-assets.json');
}

/** The recipes file and entry an agent names; without a file, the one entry of that path across the workspace. */
async function locateEntry(input: GenerateRecipeInput): Promise<{ file: vscode.Uri; manifest: Manifest; entryPath: string }> {
  const entryPath = typeof input.path === 'string' ? input.path.trim().replace(/\\/g, '/').replace(/^\.\//, '') : '';
  const files = input.manifest !== undefined ? [manifestTarget(input.manifest)] : await findManifests();
  const matches: { file: vscode.Uri; manifest: Manifest }[] = [];
  for (const file of files) {
    const manifest = await readManifest(file);
    if (manifest.entries.some((entry) => entry.path === entryPath)) matches.push({ file, manifest });
  }
  if (matches.length === 0)
    throw new UserError(
      vscode.l10n.t('No recipes file has an entry "{0}": list them with {1}, or add one with {2}.', entryPath, LIST_RECIPES_TOOL, ADD_RECIPE_TOOL),
    );
  if (matches.length > 1)
    throw new UserError(
      vscode.l10n.t('Several recipes files have "{0}" ({1}): say which with "manifest".', entryPath, matches.map((m) => relative(m.file)).join(', ')),
    );
  const { file, manifest } = matches[0]!;
  if (!manifest.entries.find((entry) => entry.path === entryPath)!.valid)
    throw new UserError(vscode.l10n.t('The entry "{0}" in {1} has problems: fix them first (the file shows them).', entryPath, relative(file)));
  return { file, manifest, entryPath };
}

/** Whole sentences per kind (translators need them whole, not a verb glued to a path). */
function wording(kind: 'generate' | 'regenerate' | 'variation', entryPath: string): { progress: string; title: string } {
  switch (kind) {
    case 'generate':
      return { progress: vscode.l10n.t('Generating {0}…', entryPath), title: vscode.l10n.t('Generate {0} with Stable Diffusion?', entryPath) };
    case 'regenerate':
      return { progress: vscode.l10n.t('Regenerating {0}…', entryPath), title: vscode.l10n.t('Regenerate {0} with Stable Diffusion?', entryPath) };
    case 'variation':
      return {
        progress: vscode.l10n.t('Making a variation of {0}…', entryPath),
        title: vscode.l10n.t('Make a variation of {0} with Stable Diffusion?', entryPath),
      };
  }
}
