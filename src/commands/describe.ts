import * as vscode from 'vscode';
import type { GalleryStore } from '../gallery/galleryStore';
import type { Interrogator } from '../imageOps/describe';
import { describeFile, LAST_INTERROGATOR } from '../panel/describeFile';
import type { GenerationPanel } from '../panel/generationPanel';
import type { ServerConnection } from '../server/connection';
import { type outcomeOf, type FailureReporter } from '../ui/failures';
import { pickWorkspaceImage } from './generate';

export interface DescribeCommandDeps {
  connection: ServerConnection;
  gallery: GalleryStore;
  failures: FailureReporter;
  panel: GenerationPanel;
  workspaceState: vscode.Memento;
}

export type DescribeOutcome = { status: 'described'; caption: string } | { status: 'cancelled' } | ReturnType<typeof outcomeOf>;

/**
 * Describe Image…: CLIP's sentence or DeepBooru's tags for a workspace image; the result is
 * offered as the panel's prompt or copied, and becomes the image's alt text when the gallery
 * inserts it.
 */
export async function describeImageCommand(deps: DescribeCommandDeps, target?: vscode.Uri, model?: Interrogator): Promise<DescribeOutcome> {
  try {
    const picked = target ?? (await pickWorkspaceImage(vscode.l10n.t('Describe Image: pick the image')));
    if (!picked) return { status: 'cancelled' };
    const chosen = model ?? (await askInterrogator(deps.workspaceState.get<Interrogator>(LAST_INTERROGATOR)));
    if (!chosen) return { status: 'cancelled' };
    await deps.workspaceState.update(LAST_INTERROGATOR, chosen);
    const caption = await describeFile(deps, picked, chosen);
    if (caption === undefined) return { status: 'cancelled' };
    const usePrompt = vscode.l10n.t('Use as Prompt');
    const copy = vscode.l10n.t('Copy');
    void vscode.window.showInformationMessage(caption, usePrompt, copy).then((choice) => {
      if (choice === usePrompt) deps.panel.show({ prompt: caption });
      if (choice === copy) void vscode.env.clipboard.writeText(caption);
    });
    return { status: 'described', caption };
  } catch (error) {
    return deps.failures.notify(error, 'describe');
  }
}

async function askInterrogator(last: Interrogator | undefined): Promise<Interrogator | undefined> {
  const items: (vscode.QuickPickItem & { value: Interrogator })[] = [
    { label: 'CLIP', detail: vscode.l10n.t('A sentence, as a prompt reads'), value: 'clip' },
    { label: 'DeepBooru', detail: vscode.l10n.t('Tags, as anime models are prompted'), value: 'deepdanbooru' },
  ];
  const ordered = last === 'deepdanbooru' ? [...items].reverse() : items;
  const picked = await vscode.window.showQuickPick(ordered, { title: vscode.l10n.t('Describe Image: how') });
  return picked?.value;
}
