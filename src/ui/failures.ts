import * as vscode from 'vscode';
import { describeFailure, type Failure, type FailureActionId, type FailureContext } from '../errors/failure';
import type { ImageWriter } from '../output/imageWriter';
import type { Log } from '../platform/log';
import { retrySave, saveKeptAs } from './keptImages';

/** What a command reports back to its caller (tests, keybindings). */
export type FailureOutcome = { status: 'failed'; kind: string; message: string; kept?: string[] };

export interface FailureActionDeps {
  log: Log;
  writer: ImageWriter;
  /** Set Server…; with `credentialsOnly` it asks for the username and password of the server in use. */
  setServer(credentialsOnly: boolean): Thenable<unknown>;
  /** Where failures happen: a first connection's failure says its likely cause. */
  context(): FailureContext;
}

/**
 * Shows failures and runs their actions, the same for every surface: commands show a
 * notification, the panel a banner; both describe the failure with errors/failure.ts and run
 * the buttons through `run`.
 */
export class FailureReporter implements vscode.Disposable {
  private readonly notified = new vscode.EventEmitter<{ message: string; labels: string[] }>();
  /** A notification was shown (what the panel's banner must match; the tests compare them). */
  readonly onDidNotify = this.notified.event;

  constructor(private readonly deps: FailureActionDeps) {}

  dispose(): void {
    this.notified.dispose();
  }

  /** Describes `error`, writes the details to the log under `context`. */
  describe(error: unknown, context: string): Failure {
    const failure = describeFailure(error, this.deps.context());
    if (failure.log.level === 'error') this.deps.log.error(`[${context}] ${failure.log.text}`);
    else this.deps.log.warn(`[${context}] ${failure.log.text}`);
    return failure;
  }

  /** One sentence in a notification with the failure's buttons; does not wait for a click. */
  describeAndNotify(error: unknown, context: string): Failure {
    const failure = this.describe(error, context);
    const labels = failure.actions.map((a) => a.label);
    this.notified.fire({ message: failure.message, labels });
    void vscode.window.showErrorMessage(failure.message, ...labels).then((label) => {
      const picked = failure.actions.find((a) => a.label === label);
      return picked ? this.run(failure, picked.id) : undefined;
    });
    return failure;
  }

  /** describeAndNotify, as the outcome a command returns. */
  notify(error: unknown, context: string): FailureOutcome {
    return outcomeOf(this.describeAndNotify(error, context));
  }

  async run(failure: Failure, id: FailureActionId): Promise<unknown> {
    const { deps } = this;
    const kept = (failure.kept?.files ?? []).map((file) => vscode.Uri.parse(file));
    switch (id) {
      case 'enterCredentials':
        return deps.setServer(true);
      case 'setServer':
        return deps.setServer(false);
      case 'connectionHelp':
        return failure.help ? vscode.env.openExternal(vscode.Uri.parse(failure.help)) : undefined;
      case 'showLog':
        return deps.log.show();
      case 'saveKeptAs':
        return saveKeptAs(deps.writer, kept);
      case 'retrySave':
        return failure.kept ? retrySave(deps.writer, vscode.Uri.parse(failure.kept.folder), kept) : undefined;
      case 'reuseInPanel':
        return failure.reuse ? vscode.commands.executeCommand('sdStudio.reuseParameters', vscode.Uri.parse(failure.reuse)) : undefined;
    }
  }
}

export function outcomeOf(failure: Failure): FailureOutcome {
  return { status: 'failed', kind: failure.kind, message: failure.message, ...(failure.kept ? { kept: failure.kept.files } : {}) };
}
