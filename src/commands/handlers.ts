import * as vscode from 'vscode';
import { WALKTHROUGH_ID } from '../ui/onboarding';
import { isManifest } from '../recipes/manifestSelector';
import { upscaleImageCommand } from './upscale';
import { resizeImageCommand } from './resize';
import { convertImageCommand } from './convert';
import { makeIconSetCommand } from './iconSet';
import { removeBackgroundCommand } from './removeBackground';
import { describeImageCommand } from './describe';
import { cancelGeneration, generateFromSelection, imageToImage } from './generate';
import type { CommandHandlers } from './ids';
import type { CommandDeps } from './index';
import { selectModel } from './models';
import { openPanel } from './panel';
import { copyParameters, remakeImage, reuseInPanel, showParameters } from './parameters';
import { addToRecipes } from './addToRecipes';
import { generateMissingAssets, generateRecipe } from './recipes';
import { generateReference } from './references';

const uriOf = (value: unknown) => (value instanceof vscode.Uri ? value : undefined);

/**
 * The single table of command ids and handlers; the Record type makes a missing id a compile
 * error. Handlers take nothing from their caller but the Explorer's file: anything can run a
 * command (a `command:` link included), so prompts, URLs and passwords always come from the
 * user. Tests reach the same functions through commands/testApi.ts. This module is part of the
 * features bundle (src/features/index.ts), loaded on the first command.
 */
export function commandHandlers(deps: CommandDeps): CommandHandlers {
  return {
    'sdStudio.openPanel': () => openPanel(deps.panel),
    'sdStudio.generateFromSelection': () => generateFromSelection(deps),
    'sdStudio.imageToImage': (uri) => imageToImage(deps, uriOf(uri)),
    'sdStudio.cancelGeneration': () => cancelGeneration(deps),
    'sdStudio.selectModel': () => selectModel(deps),
    'sdStudio.setServer': () => deps.serverSetup.setServer(),
    'sdStudio.selectServer': () => deps.profiles.askSelect(),
    'sdStudio.addServer': () => deps.profiles.askAdd(),
    'sdStudio.renameServer': () => deps.profiles.askRename(),
    'sdStudio.removeServer': () => deps.profiles.askRemove(),
    'sdStudio.editPool': () => deps.pool.askEdit(),
    'sdStudio.upscaleImage': (uri) => upscaleImageCommand(deps, uriOf(uri)),
    'sdStudio.resizeImage': (uri) => resizeImageCommand(deps, uriOf(uri)),
    'sdStudio.convertImage': (uri) => convertImageCommand(deps, uriOf(uri)),
    'sdStudio.makeIconSet': (uri) => makeIconSetCommand(deps, uriOf(uri)),
    'sdStudio.removeBackground': (uri) => removeBackgroundCommand(deps, uriOf(uri)),
    'sdStudio.describeImage': (uri) => describeImageCommand(deps, uriOf(uri)),
    'sdStudio.testConnection': () => deps.serverSetup.testConnection(),
    'sdStudio.clearCredentials': () => deps.serverSetup.clearCredentials(),
    'sdStudio.showLog': () => deps.log.show(),
    'sdStudio.getStarted': () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    // From the Explorer, an image preview's or a parameters document's title bar: the file's URI.
    'sdStudio.showParameters': (uri) => showParameters(deps, uriOf(uri)),
    'sdStudio.regenerate': (uri) => remakeImage(deps, uriOf(uri), { kind: 'regenerate' }),
    'sdStudio.variation': (uri) => remakeImage(deps, uriOf(uri), 'ask'),
    'sdStudio.reuseParameters': (uri) => reuseInPanel(deps, uriOf(uri)),
    'sdStudio.copyParameters': (uri) => copyParameters(deps, uriOf(uri)),
    // From a recipes file's CodeLens and quick fixes: the file and the entry's path.
    'sdStudio.generateRecipe': (manifest, entry) => generateRecipe(deps, manifest, entry, 'generate'),
    'sdStudio.regenerateRecipe': (manifest, entry) => generateRecipe(deps, manifest, entry, 'regenerate'),
    'sdStudio.recipeVariation': (manifest, entry) => generateRecipe(deps, manifest, entry, 'variation'),
    'sdStudio.generateMissingAssets': (manifest) => generateMissingAssets(deps, uriOf(manifest) ?? activeManifest()),
    // From a hover or the light bulb on an image reference: the document and where the reference is.
    'sdStudio.generateReference': (document, offset) => generateReference(deps, document, offset),
    'sdStudio.addToRecipes': (uri) => addToRecipes(deps, uriOf(uri) ?? vscode.window.activeTextEditor?.document.uri),
  };
}

/** The recipes file of the active editor, for Generate Missing Assets from the palette. */
function activeManifest(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && isManifest(document) ? document.uri : undefined;
}
