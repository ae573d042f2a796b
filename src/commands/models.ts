import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { Log } from '../platform/log';
import { findModel, shortModelName } from '../sdapi/modelNames';
import type { SdModel } from '../sdapi/types';
import type { ServerConnection } from '../server/connection';
import { switchModel } from '../server/modelSwitch';
import type { FailureOutcome, FailureReporter } from '../ui/failures';
import type { ModelStatusBar } from '../ui/statusBar';

export interface ModelCommandDeps {
  connection: ServerConnection;
  statusBar: ModelStatusBar;
  failures: FailureReporter;
  log: Log;
}

export type SelectModelOutcome = { status: 'switched' | 'unchanged'; model: string } | { status: 'cancelled' } | FailureOutcome;

interface ModelItem extends vscode.QuickPickItem {
  model: SdModel;
}

/**
 * Lists the server's checkpoints with the current one marked and switches to the picked one.
 * `wanted` (a title or name; tests, through commands/testApi.ts) skips the picker.
 */
export async function selectModel(deps: ModelCommandDeps, wanted?: string): Promise<SelectModelOutcome> {
  const { connection, statusBar, failures, log } = deps;
  try {
    const client = await connection.client();
    const load = Promise.all([client.listModels(), client.getOptions()]);
    const currentOf = (options: Record<string, unknown>) => (typeof options.sd_model_checkpoint === 'string' ? options.sd_model_checkpoint : '');
    let picked: SdModel | undefined;
    if (wanted !== undefined) {
      picked = findModel((await load)[0], wanted);
      if (!picked) throw new UserError(vscode.l10n.t('The server has no model "{0}": run Select Model… to see the ones it offers.', wanted));
    } else {
      const items = load.then(([models, options]) =>
        models.map((model): ModelItem => {
          const isCurrent = findModel([model], currentOf(options)) !== undefined;
          const description = isCurrent ? 'current' : model.hash;
          return {
            label: `${isCurrent ? '$(check) ' : ''}${shortModelName(model.title)}`,
            ...(description ? { description } : {}),
            detail: model.title,
            model,
          };
        }),
      );
      const item = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Select Model ({0})', client.origin),
        placeHolder: vscode.l10n.t('Checkpoint to load on the server'),
        matchOnDetail: true,
      });
      if (!item) return { status: 'cancelled' };
      picked = item.model;
    }
    const current = currentOf((await load)[1]);
    statusBar.setModel(client.origin, current);
    if (findModel([picked], current)) {
      await connection.rememberModel(client, picked.title);
      return { status: 'unchanged', model: picked.title };
    }
    const outcome = await switchModel(client, await connection.identity(client), picked, statusBar, log);
    if (outcome.status === 'switched') await connection.rememberModel(client, outcome.model);
    return outcome;
  } catch (error) {
    statusBar.showIdle();
    return failures.notify(error, 'select model');
  }
}
