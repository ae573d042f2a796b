import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { LazyFeatures } from './activation/lazyFeatures';
import { registerAgentTools } from './agentTools/index';
import { registerCommands } from './commands/index';
import { createTestApi, type TestApi } from './commands/testApi';
import { GalleryStore } from './gallery/galleryStore';
import { GenerationService } from './generation/generationService';
import { GenerationWorkflow } from './generation/workflow';
import { ImageWriter } from './output/imageWriter';
import type { CoreServices } from './features/index';
import { Log } from './platform/log';
import { Settings } from './platform/settings';
import { ServerConnection } from './server/connection';
import { CredentialStore } from './server/credentialStore';
import { ServerPool } from './server/serverPool';
import { ServerProfiles } from './server/serverProfiles';
import { ServerSetup } from './server/serverSetup';
import { ServerTrust } from './server/serverTrust';
import { EditorTracker } from './ui/editorTracker';
import { FailureReporter } from './ui/failures';
import { ParametersDocuments, PARAMETERS_SCHEME } from './ui/parametersDocument';
import { ModelStatusBar } from './ui/statusBar';
import { Onboarding } from './ui/onboarding';
import { REFERENCING_LANGUAGES, ReferenceProviders } from './references/referenceProviders';

/**
 * Builds every service once and wires it explicitly; no network or disk work happens here.
 * Returns the test API only when VS Code runs the extension's tests.
 */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  // The pure modules' sentences (errors, server answers) use @vscode/l10n with VS Code's bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  // l10n-exempt: the output channel's name is the product's (its log file is named by it).
  const log = new Log(vscode.window.createOutputChannel('Stable Diffusion Studio', { log: true }));
  const settings = new Settings();
  const credentials = new CredentialStore(context.secrets);
  const trust = new ServerTrust(settings, context.workspaceState, context.globalState, log);
  const connection = new ServerConnection(settings, credentials, trust, log);
  const statusBar = new ModelStatusBar();
  const onboarding = new Onboarding(context.globalState, settings);
  onboarding.restore();
  const writer = new ImageWriter(log, vscode.Uri.joinPath(context.globalStorageUri, 'unsaved-images'));
  // Failures offer Set Server…, which reports its own failures: the two know each other through this closure.
  const failures: FailureReporter = new FailureReporter({
    log,
    writer,
    setServer: (credentialsOnly: boolean) => serverSetup.setServer(credentialsOnly),
    // On the UI side (the default in remote windows) 127.0.0.1 is still the user's machine.
    context: () => ({
      remote: vscode.env.remoteName !== undefined && context.extension.extensionKind === vscode.ExtensionKind.Workspace,
      firstConnection: !onboarding.connectionWorked,
    }),
  });
  const serverSetup: ServerSetup = new ServerSetup({ settings, trust, credentials, connection, statusBar, log, failures, onboarding });
  const pool = new ServerPool({ settings, log, failures });
  const profiles = new ServerProfiles({ settings, trust, credentials, connection, log, failures }, serverSetup, pool);
  const generation = new GenerationService(
    connection,
    log,
    (message) => void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: {0}', message), 6000),
  );
  const gallery = new GalleryStore(context.workspaceState, log);
  const workflow = new GenerationWorkflow({ connection, generation, writer, gallery, settings, statusBar, failures, onboarding });
  const editors = new EditorTracker();
  const references = new ReferenceProviders();
  const core: CoreServices = {
    settings,
    workflow,
    generation,
    failures,
    log,
    connection,
    statusBar,
    serverSetup,
    profiles,
    pool,
    writer,
    gallery,
    editors,
    onboarding,
    workspaceState: context.workspaceState,
  };
  // The panel, the recipes providers and the commands' code come from the features bundle,
  // loaded on first use (src/features/index.ts).
  const features = new LazyFeatures(async () => {
    const { createFeatures } = await import('./features/index');
    return createFeatures(core, { extensionUri: context.extensionUri, workspaceState: context.workspaceState, subscriptions: context.subscriptions });
  }, log);
  const agentTools = registerAgentTools(async () => (await features.get()).agentTools);

  context.subscriptions.push(
    trust,
    failures,
    generation, // disposing cancels what still runs, so no request outlives the extension
    connection,
    statusBar,
    gallery,
    editors,
    features,
    ...features.register(),
    ...registerCommands(async () => (await features.get()).handlers),
    ...agentTools.disposables,
    vscode.workspace.registerTextDocumentContentProvider(PARAMETERS_SCHEME, new ParametersDocuments()),
    vscode.languages.registerHoverProvider(REFERENCING_LANGUAGES, references),
    vscode.languages.registerCodeActionsProvider(REFERENCING_LANGUAGES, references, { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite] }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (settings.affects(event, 'serverUrl') || settings.affects(event, 'timeouts') || settings.affects(event, 'tls') || event.affectsConfiguration('http')) {
        connection.reset();
        statusBar.setServer(safeOrigin(connection));
      }
      if (settings.affects(event, 'servers') || settings.affects(event, 'usePool')) statusBar.setPool(poolView(pool));
      if ((settings.affects(event, 'serverUrl') || settings.affects(event, 'servers')) && settings.serverChosen) void onboarding.reach('serverSaved');
      statusBar.setSetUp(onboarding.serverSetUp);
    }),
    onboarding,
    onboarding.onDidChange(() => statusBar.setSetUp(onboarding.serverSetUp)),
    credentials.onDidChange(() => connection.reset()),
    trust.onDidDecide(() => statusBar.setServer(safeOrigin(connection))),
  );
  statusBar.setServer(safeOrigin(connection));
  statusBar.setPool(poolView(pool));
  statusBar.setSetUp(onboarding.serverSetUp);
  log.info(
    `Stable Diffusion Studio ${String((context.extension.packageJSON as { version?: unknown }).version)} activated in ${(performance.now() - started).toFixed(1)} ms`,
  );
  return context.extensionMode === vscode.ExtensionMode.Test ? createTestApi(core, agentTools.tools, features) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function safeOrigin(connection: ServerConnection): string {
  const baseUrl = connection.baseUrlIfValid();
  return baseUrl ? new URL(baseUrl).origin : '';
}

function poolView(pool: ServerPool): { label: string; size: number } | undefined {
  return pool.inUse ? { label: pool.label(), size: pool.members().length } : undefined;
}
