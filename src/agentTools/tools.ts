import type * as vscode from 'vscode';
import type { RecipeCommandDeps } from '../commands/recipes';
import { GenerateImageTool, type GenerateImageToolDeps } from './generateImageTool';
import { AddRecipeTool, GenerateRecipeTool, ListRecipesTool } from './recipeTools';
import { ADD_RECIPE_TOOL, GENERATE_IMAGE_TOOL, GENERATE_RECIPE_TOOL, LIST_RECIPES_TOOL, type AgentToolName } from './toolNames';

// Each tool checks its own input: the record's type only promises "some object".
export type AgentTools = Record<AgentToolName, vscode.LanguageModelTool<never>>;

/**
 * Language model tools (contributes.languageModelTools): an agent can ask for an image at a
 * path, read the recipes and their states, and generate or add an entry. Everything that writes
 * asks the user first (prepareInvocation's confirmation). Part of the features bundle.
 */
export function createAgentTools(deps: GenerateImageToolDeps & RecipeCommandDeps): AgentTools {
  return {
    [GENERATE_IMAGE_TOOL]: new GenerateImageTool(deps),
    [LIST_RECIPES_TOOL]: new ListRecipesTool(),
    [GENERATE_RECIPE_TOOL]: new GenerateRecipeTool(deps),
    [ADD_RECIPE_TOOL]: new AddRecipeTool(),
  };
}
