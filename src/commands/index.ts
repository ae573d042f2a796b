import * as vscode from 'vscode';
import type { GenerationPanel } from '../panel/generationPanel';
import type { ServerPool } from '../server/serverPool';
import type { UpscaleCommandDeps } from './upscale';
import type { DescribeCommandDeps } from './describe';
import type { ServerProfiles } from '../server/serverProfiles';
import type { ServerSetup } from '../server/serverSetup';
import type { Onboarding } from '../ui/onboarding';
import type { GenerateCommandDeps } from './generate';
import { COMMAND_IDS, type CommandHandlers } from './ids';
import type { ModelCommandDeps } from './models';
import type { RecipeCommandDeps } from './recipes';

export type CommandDeps = GenerateCommandDeps &
  ModelCommandDeps &
  RecipeCommandDeps &
  UpscaleCommandDeps &
  DescribeCommandDeps & { serverSetup: ServerSetup; profiles: ServerProfiles; pool: ServerPool; panel: GenerationPanel; onboarding: Onboarding };

/**
 * Registers every command id at activation; the handlers (commands/handlers.ts, in the features
 * bundle) are loaded when the first command runs, so activation reads only what it needs.
 */
export function registerCommands(load: () => Promise<CommandHandlers>): vscode.Disposable[] {
  return COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load())[id](...args)));
}
