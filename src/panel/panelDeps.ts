import type * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/galleryStore';
import type { GenerationService } from '../generation/generationService';
import type { GenerationWorkflow } from '../generation/workflow';
import type { Onboarding } from '../ui/onboarding';
import type { Log } from '../platform/log';
import type { Settings } from '../platform/settings';
import type { CandidateOffers } from '../recipes/candidateOffers';
import type { ServerConnection } from '../server/connection';
import type { ServerPool } from '../server/serverPool';
import type { ServerProfiles } from '../server/serverProfiles';
import type { EditorTracker } from '../ui/editorTracker';
import type { FailureReporter } from '../ui/failures';
import type { ModelStatusBar } from '../ui/statusBar';

/** What the generation panel is built from (activation's services and the features'). */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  workspaceState: vscode.Memento;
  settings: Settings;
  connection: ServerConnection;
  generation: GenerationService;
  workflow: GenerationWorkflow;
  gallery: GalleryStore;
  editors: EditorTracker;
  statusBar: ModelStatusBar;
  failures: FailureReporter;
  candidates: CandidateOffers;
  profiles: ServerProfiles;
  pool: ServerPool;
  log: Log;
  onboarding: Pick<Onboarding, 'reach'>;
}
