import * as vscode from 'vscode';
import type { Log } from '../platform/log';
import { UserError } from '../errors/userError';
import type { SdApiClient } from '../sdapi/client';
import type { ServerIdentity } from '../sdapi/probe';
import { shortModelName } from '../sdapi/modelNames';
import type { SdModel } from '../sdapi/types';
import type { ModelStatusBar } from '../ui/statusBar';

export type SwitchOutcome = { status: 'switched'; model: string } | { status: 'cancelled' };

/**
 * Loads `target` on the server under a cancellable progress notification (Select Model… and
 * the panel's model list). A1111 answers only after its running job ends and the weights load;
 * cancelling stops our wait, not the server. Throws what the server reports.
 */
export async function switchModel(client: SdApiClient, identity: ServerIdentity, target: SdModel, statusBar: ModelStatusBar, log: Log): Promise<SwitchOutcome> {
  const name = shortModelName(target.title);
  if (!identity.capabilities.modelSwitch) {
    throw new UserError(vscode.l10n.t('{0} serves the model it was started with and cannot switch to {1}: restart it with that model.', identity.name, name));
  }
  const switched = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading {0}', name), cancellable: true },
    async (progress, token) => {
      progress.report({ message: vscode.l10n.t('the server finishes its current job first, then loads the weights…') });
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      statusBar.setBusy(vscode.l10n.t('loading {0}', name));
      try {
        await client.setOptions({ sd_model_checkpoint: target.title }, controller.signal);
        return true;
      } catch (error) {
        if (controller.signal.aborted) return false;
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!switched) {
    statusBar.showIdle();
    void vscode.window.showInformationMessage(vscode.l10n.t('Stopped waiting; the server may still switch to {0}.', name));
    return { status: 'cancelled' };
  }
  // Titles gain a [hash] once loaded: show what the server now reports.
  const reported = (await client.getOptions()).sd_model_checkpoint;
  const now = typeof reported === 'string' ? reported : target.title;
  statusBar.setModel(client.origin, now);
  log.info(`[models] switched to ${now}`);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Stable Diffusion: model {0} loaded', shortModelName(now)), 5000);
  return { status: 'switched', model: now };
}
