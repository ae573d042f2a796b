import * as vscode from 'vscode';
import { cancelGeneration, generateFromSelection, imageToImage, type GenerateCommandServices } from './generate';
import type { CommandId } from './ids';
import { selectModel } from './models';
import { openPanel } from './panel';
import type { GenerationPanel } from '../panel/generationPanel';
import { clearCredentials, setServer, testConnection } from './server';

/** The single table of command ids and handlers; the Record type makes a missing id a compile error. */
export function registerCommands(services: GenerateCommandServices, panel: GenerationPanel): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    'sdStudio.openPanel': (args) => openPanel(panel, args),
    'sdStudio.generateFromSelection': (args) => generateFromSelection(services, args),
    'sdStudio.imageToImage': (uri, args) => imageToImage(services, uri, args),
    'sdStudio.cancelGeneration': () => cancelGeneration(services),
    'sdStudio.selectModel': (model) => selectModel(services, model),
    'sdStudio.setServer': (args) => setServer(services, args),
    'sdStudio.testConnection': () => testConnection(services),
    'sdStudio.clearCredentials': () => clearCredentials(services),
    'sdStudio.showLog': () => services.log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
