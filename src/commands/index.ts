import * as vscode from 'vscode';
import type { GenerationPanel } from '../panel/generationPanel';
import type { ServerSetup } from '../server/serverSetup';
import { cancelGeneration, generateFromSelection, imageToImage, type GenerateCommandDeps } from './generate';
import type { CommandId } from './ids';
import { selectModel, type ModelCommandDeps } from './models';
import { openPanel } from './panel';

export type CommandDeps = GenerateCommandDeps & ModelCommandDeps & { serverSetup: ServerSetup; panel: GenerationPanel };

/**
 * The single table of command ids and handlers; the Record type makes a missing id a compile
 * error. Handlers take nothing from their caller but the Explorer's file: anything can run a
 * command (a `command:` link included), so prompts, URLs and passwords always come from the
 * user. Tests reach the same functions through commands/testApi.ts.
 */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    'sdStudio.openPanel': () => openPanel(deps.panel),
    'sdStudio.generateFromSelection': () => generateFromSelection(deps),
    'sdStudio.imageToImage': (uri) => imageToImage(deps, uri instanceof vscode.Uri ? uri : undefined),
    'sdStudio.cancelGeneration': () => cancelGeneration(deps),
    'sdStudio.selectModel': () => selectModel(deps),
    'sdStudio.setServer': () => deps.serverSetup.setServer(),
    'sdStudio.testConnection': () => deps.serverSetup.testConnection(),
    'sdStudio.clearCredentials': () => deps.serverSetup.clearCredentials(),
    'sdStudio.showLog': () => deps.log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
