import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { GenerationWorkflow } from '../generation/workflow';
import type { Settings } from '../platform/settings';
import { referencedFile } from '../references/referenceProviders';
import { findImageReferences } from '../references/imageReferences';
import { outcomeOf, type FailureReporter } from '../ui/failures';
import type { CommandGenerationOutcome } from './generate';

export interface ReferenceCommandDeps {
  settings: Settings;
  workflow: GenerationWorkflow;
  failures: FailureReporter;
}

/**
 * Generate the image a reference names (`![a red fox app icon](media/fox.png)`) from its alt
 * text, to exactly that path. An existing file is never replaced: the image takes the next name.
 */
export async function generateReference(deps: ReferenceCommandDeps, documentUri: unknown, offset: unknown): Promise<CommandGenerationOutcome> {
  try {
    if (!(documentUri instanceof vscode.Uri) || typeof offset !== 'number')
      throw new UserError(vscode.l10n.t('Use the hover or the light bulb on an image reference to generate it.'));
    const document = await vscode.workspace.openTextDocument(documentUri);
    const reference = findImageReferences(document.getText(), document.languageId).find((r) => r.offset === offset);
    if (!reference) throw new UserError(vscode.l10n.t('The image reference moved: hover it again and choose Generate.'));
    const target = referencedFile(document.uri, reference.path);
    if (!target) throw new UserError(vscode.l10n.t('{0} is not inside the workspace folder of {1}.', reference.path, path.posix.basename(document.uri.path)));
    if (!reference.description)
      throw new UserError(
        vscode.l10n.t("Describe the image as the reference's alt text, such as ![a red fox app icon]({0}), then generate it.", reference.path),
      );
    const outcome = await deps.workflow.run(
      { prompt: reference.description, parameters: deps.settings.generation },
      { surface: 'notification', near: target, saveAt: { uri: target, text: {}, replace: false } },
    );
    return outcome.status === 'failed' ? outcomeOf(outcome.failure) : outcome;
  } catch (error) {
    return deps.failures.notify(error, 'generate reference');
  }
}
