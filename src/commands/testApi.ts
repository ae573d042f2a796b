import { MILESTONES } from '../ui/onboarding';
import * as vscode from 'vscode';
import type { GenerationPanel } from '../panel/generationPanel';
import type { ServerPool } from '../server/serverPool';
import type { ServerProfiles } from '../server/serverProfiles';
import type { SetServerOutcome } from '../server/serverSetup';
import type { FailureReporter } from '../ui/failures';
import { normalizeBaseUrl } from '../sdapi/baseUrl';
import type { generateFromSelection, imageToImage, CommandGenerationOutcome, GenerateInput } from './generate';
import type { UpscaleChoice } from '../imageOps/upscale';
import type { upscaleImageCommand, UpscaleOutcome } from './upscale';
import type { resizeImageCommand, ResizeOutcome } from './resize';
import type { convertImageCommand, ConvertOutcome } from './convert';
import type { makeIconSetCommand, IconSetInput, IconSetOutcome } from './iconSet';
import type { removeBackgroundCommand, RemoveBackgroundOutcome } from './removeBackground';
import type { RemoveBackgroundChoice } from '../imageOps/removeBackground';
import type { ConvertChoice } from '../imageOps/convert';
import type { ResizeChoice } from '../imageOps/resize';
import type { Interrogator } from '../imageOps/describe';
import type { describeImageCommand, DescribeOutcome } from './describe';
import type { CommandDeps } from './index';
import type { selectModel, SelectModelOutcome } from './models';
import type { remakeImage } from './parameters';
import type { generateMissingAssets, generateRecipe, ExistingFile, RecipeMode, RecipeOutcome } from './recipes';
import type { Remake } from '../generation/fromParameters';

/** The commands' bodies, from the features bundle (src/features/index.ts). */
export interface CommandBodies {
  generateFromSelection: typeof generateFromSelection;
  imageToImage: typeof imageToImage;
  upscaleImageCommand: typeof upscaleImageCommand;
  resizeImageCommand: typeof resizeImageCommand;
  convertImageCommand: typeof convertImageCommand;
  makeIconSetCommand: typeof makeIconSetCommand;
  removeBackgroundCommand: typeof removeBackgroundCommand;
  describeImageCommand: typeof describeImageCommand;
  selectModel: typeof selectModel;
  remakeImage: typeof remakeImage;
  generateRecipe: typeof generateRecipe;
  generateMissingAssets: typeof generateMissingAssets;
}

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
  /** Resize Image… with the size and fit given. */
  resizeImage(uri: vscode.Uri, choice: ResizeChoice): Promise<ResizeOutcome>;
  /** Convert Image… with the format and quality or budget given. */
  convertImage(uri: vscode.Uri, choice: ConvertChoice): Promise<ConvertOutcome>;
  /** Make Icon Set… with the folder, colour and the answer to replace given. */
  makeIconSet(uri: vscode.Uri, input: IconSetInput): Promise<IconSetOutcome>;
  /** Remove Background… with the model and edges given. */
  removeBackground(uri: vscode.Uri, choice: RemoveBackgroundChoice): Promise<RemoveBackgroundOutcome>;
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
  /** What the status bar item says now. */
  statusBarText(): string;
  /** The Getting Started steps done so far (ui/onboarding.ts). */
  onboardingReached(): string[];
  /** Forgets the steps done, as on a first run. */
  forgetOnboarding(): Promise<void>;
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

/** What the test API takes from the features bundle, loaded on its first use. */
export interface TestFeatures {
  deps: CommandDeps;
  commands: CommandBodies;
  panel: Pick<GenerationPanel, 'receive'>;
  recipes: { provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> };
}

export function createTestApi(
  core: Pick<CommandDeps, 'serverSetup' | 'profiles' | 'pool' | 'failures' | 'statusBar' | 'onboarding'>,
  agentTools: Readonly<Record<string, vscode.LanguageModelTool<never>>>,
  features: { get(): Promise<TestFeatures>; onDidPostToPanel: GenerationPanel['onDidPost'] },
): TestApi {
  const run = async <T>(body: (commands: CommandBodies, deps: CommandDeps) => Promise<T>): Promise<T> => {
    const { commands, deps } = await features.get();
    return body(commands, deps);
  };
  return {
    statusBarText: () => core.statusBar.text,
    onboardingReached: () => MILESTONES.filter((milestone) => core.onboarding.reached(milestone)),
    forgetOnboarding: () => core.onboarding.forget(),
    prepareAgentTool: async (name, input) => {
      const tool = (agentTools as Record<string, vscode.LanguageModelTool<object> | undefined>)[name];
      if (!tool) throw new Error(`no agent tool ${name}`);
      return tool.prepareInvocation?.({ input }, new vscode.CancellationTokenSource().token);
    },
    setServer: ({ url, username, password }) =>
      core.serverSetup.apply({ baseUrl: normalizeBaseUrl(url), ...(username ? { credentials: { username, password: password ?? '' } } : {}) }),
    generateFromSelection: (input) => run((c, deps) => c.generateFromSelection(deps, input)),
    imageToImage: (uri, input) => run((c, deps) => c.imageToImage(deps, uri, input)),
    upscaleImage: (uri, choice) => run((c, deps) => c.upscaleImageCommand(deps, uri, choice)),
    resizeImage: (uri, choice) => run((c, deps) => c.resizeImageCommand(deps, uri, choice)),
    convertImage: (uri, choice) => run((c, deps) => c.convertImageCommand(deps, uri, choice)),
    makeIconSet: (uri, input) => run((c, deps) => c.makeIconSetCommand(deps, uri, input)),
    removeBackground: (uri, choice) => run((c, deps) => c.removeBackgroundCommand(deps, uri, choice)),
    describeImage: (uri, model) => run((c, deps) => c.describeImageCommand(deps, uri, model)),
    selectModel: (model) => run((c, deps) => c.selectModel(deps, model)),
    remake: (image, remake) => run((c, deps) => c.remakeImage(deps, image, remake)),
    generateRecipe: (manifest, entry, mode, existing) => run((c, deps) => c.generateRecipe(deps, manifest, entry, mode, existing)),
    recipeCodeLenses: async (document) => (await features.get()).recipes.provideCodeLenses(document),
    generateMissingAssets: (manifest) => run((c, deps) => c.generateMissingAssets(deps, manifest, true)),
    servers: core.profiles,
    pool: core.pool,
    onDidNotifyFailure: core.failures.onDidNotify,
    panel: { receive: async (message) => (await features.get()).panel.receive(message), onDidPost: features.onDidPostToPanel },
  };
}
