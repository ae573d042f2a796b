/** Every command the extension contributes; package.json must list exactly these (unit-tested). */
export const COMMAND_IDS = [
  'sdStudio.openPanel',
  'sdStudio.generateFromSelection',
  'sdStudio.imageToImage',
  'sdStudio.cancelGeneration',
  'sdStudio.selectModel',
  'sdStudio.setServer',
  'sdStudio.selectServer',
  'sdStudio.addServer',
  'sdStudio.renameServer',
  'sdStudio.removeServer',
  'sdStudio.editPool',
  'sdStudio.upscaleImage',
  'sdStudio.resizeImage',
  'sdStudio.convertImage',
  'sdStudio.makeIconSet',
  'sdStudio.removeBackground',
  'sdStudio.describeImage',
  'sdStudio.testConnection',
  'sdStudio.clearCredentials',
  'sdStudio.showLog',
  'sdStudio.getStarted',
  'sdStudio.showParameters',
  'sdStudio.regenerate',
  'sdStudio.variation',
  'sdStudio.reuseParameters',
  'sdStudio.copyParameters',
  'sdStudio.generateRecipe',
  'sdStudio.regenerateRecipe',
  'sdStudio.recipeVariation',
  'sdStudio.generateMissingAssets',
  'sdStudio.generateReference',
  'sdStudio.addToRecipes',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** A handler per command; its arguments come from menus, CodeLens and hovers (see handlers.ts). */
export type CommandHandlers = Record<CommandId, (...args: unknown[]) => unknown>;
