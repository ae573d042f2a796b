import * as vscode from 'vscode';
import type { GenerationPanel } from '../panel/generationPanel';
import type { ServerPool } from '../server/serverPool';
import type { ServerProfiles } from '../server/serverProfiles';
import type { SetServerOutcome } from '../server/serverSetup';
import type { FailureReporter } from '../ui/failures';
import { normalizeBaseUrl } from '../sdapi/baseUrl';
import { generateFromSelection, imageToImage, type CommandGenerationOutcome, type GenerateInput } from './generate';
import type { UpscaleChoice } from '../imageOps/upscale';
import { upscaleImageCommand, type UpscaleOutcome } from './upscale';
import type { Interrogator } from '../imageOps/describe';
import { describeImageCommand, type DescribeOutcome } from './describe';
import type { CommandDeps } from './index';
import { selectModel, type SelectModelOutcome } from './models';
import { remakeImage } from './parameters';
import { generateMissingAssets, generateRecipe, type ExistingFile, type RecipeMode, type RecipeOutcome } from './recipes';
import type { Remake } from '../generation/fromParameters';

/**
 * What the integration tests drive instead of typing into input boxes: the commands' own code
 * with the user's answers given. activate() returns it only in ExtensionMode.Test (a run with
 * --extensionTestsPath), so neither another extension nor a `command:` link can reach it.
 */
export interface TestApi {
  setServer(input: { url: string; username?: string; password?: string }): Promise<SetServerOutcome>;
  generateFromSelection(input?: GenerateInput): Promise<CommandGenerationOutcome>;
  imageToImage(uri: vscode.Uri, input: GenerateInput): Promise<CommandGenerationOutcome>;
  /** Upscale Image… with the user's choices given (the command asks for them). */
  upscaleImage(uri: vscode.Uri, choice: UpscaleChoice): Promise<UpscaleOutcome>;
  /** Describe Image… with the interrogator given. */
  describeImage(uri: vscode.Uri, model: Interrogator): Promise<DescribeOutcome>;
  selectModel(model: string): Promise<SelectModelOutcome>;
  /** Regenerate or Variation with the variation kind given (the command asks with a quick pick). */
  remake(image: vscode.Uri, remake: Remake): Promise<CommandGenerationOutcome>;
  /** A recipe entry with the answer to "the file exists" given. */
  generateRecipe(manifest: vscode.Uri, entry: string, mode: RecipeMode, existing?: ExistingFile): Promise<RecipeOutcome>;
  /** Generate Missing Assets with the replace question answered. */
  generateMissingAssets(manifest: vscode.Uri): ReturnType<typeof generateMissingAssets>;
  /**
   * What an agent tool's confirmation says. In a test run VS Code skips modal dialogs (it
   * confirms them), so invokeTool alone cannot show that the user is asked and told what.
   */
  prepareAgentTool(name: string, input: object): Promise<vscode.PreparedToolInvocation | null | undefined>;
  /** The recipes CodeLens provider itself (timed by the scale test without VS Code's transfer of the lenses). */
  recipeCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]>;
  /** Named servers with the user's answers given (Add Server… asks for name, URL and login). */
  servers: Pick<ServerProfiles, 'add' | 'select' | 'rename' | 'remove' | 'list' | 'active'>;
  /** The pool: which named servers share the work, and whether it is in use. */
  pool: Pick<ServerPool, 'setMembers' | 'use' | 'members'>;
  /** Notifications of failures, as shown (sentence and buttons). */
  onDidNotifyFailure: FailureReporter['onDidNotify'];
  panel: {
    /** A message as the panel's page would send it (checked by the same guards). */
    receive(message: unknown): Promise<void>;
    onDidPost: GenerationPanel['onDidPost'];
  };
}

export function createTestApi(deps: CommandDeps, agentTools: Readonly<Record<string, vscode.LanguageModelTool<never>>>): TestApi {
  return {
    prepareAgentTool: async (name, input) => {
      const tool = agentTools[name] as vscode.LanguageModelTool<object> | undefined;
      if (!tool) throw new Error(`no agent tool ${name}`);
      return tool.prepareInvocation?.({ input }, new vscode.CancellationTokenSource().token);
    },
    setServer: ({ url, username, password }) =>
      deps.serverSetup.apply({ baseUrl: normalizeBaseUrl(url), ...(username ? { credentials: { username, password: password ?? '' } } : {}) }),
    generateFromSelection: (input) => generateFromSelection(deps, input),
    imageToImage: (uri, input) => imageToImage(deps, uri, input),
    upscaleImage: (uri, choice) => upscaleImageCommand(deps, uri, choice),
    describeImage: (uri, model) => describeImageCommand(deps, uri, model),
    selectModel: (model) => selectModel(deps, model),
    remake: (image, remake) => remakeImage(deps, image, remake),
    generateRecipe: (manifest, entry, mode, existing) => generateRecipe(deps, manifest, entry, mode, existing),
    recipeCodeLenses: (document) => deps.recipes.provideCodeLenses(document),
    generateMissingAssets: (manifest) => generateMissingAssets(deps, manifest, true),
    servers: deps.profiles,
    pool: deps.pool,
    onDidNotifyFailure: deps.failures.onDidNotify,
    panel: { receive: (message) => deps.panel.receive(message), onDidPost: deps.panel.onDidPost },
  };
}
