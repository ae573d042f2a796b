// The language model tools' names, as package.json's contributes.languageModelTools declares
// them (a unit test compares the two).

export const GENERATE_IMAGE_TOOL = 'sdstudio_generate_image';
export const LIST_RECIPES_TOOL = 'sdstudio_list_recipes';
export const GENERATE_RECIPE_TOOL = 'sdstudio_generate_recipe';
export const ADD_RECIPE_TOOL = 'sdstudio_add_recipe';

export const AGENT_TOOL_NAMES = [GENERATE_IMAGE_TOOL, LIST_RECIPES_TOOL, GENERATE_RECIPE_TOOL, ADD_RECIPE_TOOL] as const;
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];
