import * as vscode from 'vscode';
import type { SdApiClient } from '../sdapi/client';
import type { SdModel } from '../sdapi/types';
import { shortModelName } from '../ui/statusBar';
import { UserError } from '../userError';
import { errorActions, type ServerCommandServices } from './server';
import { showError, type FailureOutcome } from './showError';

export type SelectModelOutcome = { status: 'switched' | 'unchanged'; model: string } | { status: 'cancelled' } | FailureOutcome;

interface ModelItem extends vscode.QuickPickItem {
  model: SdModel;
}

/** Finds a model by title, title without hash, model name or file name. */
export function findModel(models: readonly SdModel[], wanted: string): SdModel | undefined {
  return models.find((m) => [m.title, m.title.replace(/\s*\[[0-9a-f]+\]$/i, ''), m.model_name, m.filename, m.hash].includes(wanted));
}

/**
 * Lists the server's checkpoints with the current one marked and switches to the picked one.
 * A1111 answers the switch only after its running job ends and the weights load, so it runs
 * under a progress notification. `modelArg` (a title or name) skips the picker.
 */
export async function selectModel(services: ServerCommandServices, modelArg?: unknown): Promise<SelectModelOutcome> {
  const { connection, statusBar, log } = services;
  const actions = errorActions(services);
  try {
    const client = await connection.client();
    const load = Promise.all([client.listModels(), client.getOptions()]);
    let picked: SdModel | undefined;
    let current: string;
    if (typeof modelArg === 'string') {
      const [models, options] = await load;
      current = String(options.sd_model_checkpoint ?? '');
      picked = findModel(models, modelArg);
      if (!picked) {
        return showError(new UserError(`The server has no model "${modelArg}": run Select Model… to see the ones it offers.`), log, actions, 'select model');
      }
    } else {
      const items = load.then(([models, options]) => {
        current = String(options.sd_model_checkpoint ?? '');
        return models.map((model): ModelItem => {
          const isCurrent = findModel([model], current) !== undefined;
          return {
            label: `${isCurrent ? '$(check) ' : ''}${shortModelName(model.title)}`,
            description: isCurrent ? 'current' : model.hash ?? undefined,
            detail: model.title,
            model,
          };
        });
      });
      const item = await vscode.window.showQuickPick(items, {
        title: `Select Model (${client.origin})`,
        placeHolder: 'Checkpoint to load on the server',
        matchOnDetail: true,
      });
      current = String((await load)[1].sd_model_checkpoint ?? '');
      if (!item) return { status: 'cancelled' };
      picked = item.model;
    }
    statusBar.setModel(client.origin, current);
    if (findModel([picked], current)) return { status: 'unchanged', model: picked.title };

    return await switchModel(services, client, picked);
  } catch (error) {
    statusBar.showIdle();
    return showError(error, log, actions, 'select model');
  }
}

/**
 * Loads `target` on the server under a cancellable progress notification. A1111 answers only
 * after its running job ends and the weights load; cancelling stops our wait, not the server.
 * Throws what the server reports.
 */
export async function switchModel(services: ServerCommandServices, client: SdApiClient, target: SdModel): Promise<SelectModelOutcome> {
  const { statusBar, log } = services;
  const switched = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Loading ${shortModelName(target.title)}`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'the server finishes its current job first, then loads the weights…' });
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      statusBar.setBusy(`loading ${shortModelName(target.title)}`);
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
    void vscode.window.showInformationMessage(`Stopped waiting; the server may still switch to ${shortModelName(target.title)}.`);
    return { status: 'cancelled' };
  }
  // Titles gain a [hash] once loaded: show what the server now reports.
  const now = String((await client.getOptions()).sd_model_checkpoint ?? target.title);
  statusBar.setModel(client.origin, now);
  log.info(`[models] switched to ${now}`);
  void vscode.window.setStatusBarMessage(`Stable Diffusion: model ${shortModelName(now)} loaded`, 5000);
  return { status: 'switched', model: now };
}
