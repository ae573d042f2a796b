// The features bundle (dist/features.js): the objects user actions need and activation does not
// (the panel, the recipes providers, the commands' and agent tools' code), built on first use.
// esbuild.js bundles this file on its own; a module the activation bundle also holds is taken
// from it at run time, so each module, its classes and its state exist once.
import type * as vscode from 'vscode';
import type { AgentTools } from '../agentTools/index';
import { createAgentTools } from '../agentTools/tools';
import { commandHandlers } from '../commands/handlers';
import type { CommandHandlers } from '../commands/ids';
import type { CommandDeps } from '../commands/index';
import { GenerationPanel } from '../panel/generationPanel';
import { CandidateOffers } from '../recipes/candidateOffers';
import { RecipeCompletion } from '../recipes/recipeCompletion';
import { RecipeProviders } from '../recipes/recipeProviders';
import type { EditorTracker } from '../ui/editorTracker';

import { describeImageCommand } from '../commands/describe';
import { generateFromSelection, imageToImage } from '../commands/generate';
import { selectModel } from '../commands/models';
import { remakeImage } from '../commands/parameters';
import { generateMissingAssets, generateRecipe } from '../commands/recipes';
import type { CommandBodies } from '../commands/testApi';
import { upscaleImageCommand } from '../commands/upscale';
import { resizeImageCommand } from '../commands/resize';
import { convertImageCommand } from '../commands/convert';
import { makeIconSetCommand } from '../commands/iconSet';
import { removeBackgroundCommand } from '../commands/removeBackground';

/** The services activate() builds (cheap objects that do no work until asked). */
export type CoreServices = Omit<CommandDeps, 'panel' | 'recipes' | 'candidates'> & { editors: EditorTracker };

export interface FeatureContext {
  extensionUri: vscode.Uri;
  workspaceState: vscode.Memento;
  /** The extension context's: what is built here is disposed with the extension. */
  subscriptions: vscode.Disposable[];
}

export interface Features {
  deps: CommandDeps;
  handlers: CommandHandlers;
  /** The commands' own functions, for the test API (which gives the user's answers). */
  commands: CommandBodies;
  agentTools: AgentTools;
  panel: GenerationPanel;
  recipes: RecipeProviders;
  completion: RecipeCompletion;
}

export function createFeatures(core: CoreServices, context: FeatureContext): Features {
  const candidates = new CandidateOffers(core.writer);
  const recipes = new RecipeProviders();
  const panel = new GenerationPanel({ ...core, extensionUri: context.extensionUri, workspaceState: context.workspaceState, candidates });
  const deps: CommandDeps = { ...core, panel, recipes, candidates };
  context.subscriptions.push(
    candidates,
    recipes,
    panel,
    candidates.onDidWrite((file) => recipes.refreshAll(file)),
  );
  return {
    deps,
    handlers: commandHandlers(deps),
    commands: {
      generateFromSelection,
      imageToImage,
      upscaleImageCommand,
      resizeImageCommand,
      convertImageCommand,
      makeIconSetCommand,
      removeBackgroundCommand,
      describeImageCommand,
      selectModel,
      remakeImage,
      generateRecipe,
      generateMissingAssets,
    },
    agentTools: createAgentTools(deps),
    panel,
    recipes,
    completion: new RecipeCompletion(core.connection, core.log),
  };
}
