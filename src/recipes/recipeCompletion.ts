import { getLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { Log } from '../platform/log';
import { shortModelName } from '../sdapi/modelNames';
import type { ServerConnection } from '../server/connection';
import { parseManifest } from './manifest';

type Field = 'model' | 'refiner' | 'sampler' | 'scheduler' | 'style';
const FIELDS: readonly string[] = ['model', 'refiner', 'sampler', 'scheduler', 'style'];

/**
 * Completion of a recipes file's values from the connected server (models and refiners, samplers,
 * schedulers) and from the file itself (styles), on top of what the JSON schema completes.
 * The server is asked only when a value of those fields is being typed; when it cannot be
 * reached, only the styles are offered (the log says why).
 */
export class RecipeCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly connection: ServerConnection,
    private readonly log: Log,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const location = getLocation(document.getText(), document.offsetAt(position));
    const field = location.path[location.path.length - 1];
    const inFields = location.path[0] === 'defaults' ? location.path.length === 2 : location.path[0] === 'assets' && location.path.length === 3;
    if (location.isAtPropertyKey || typeof field !== 'string' || !FIELDS.includes(field) || !inFields) return [];
    const range = document.getWordRangeAtPosition(position, /"[^"\n]*"?/);
    const item = (label: string, detail: string, kind: vscode.CompletionItemKind) => {
      const completion = new vscode.CompletionItem({ label, description: detail }, kind);
      completion.insertText = JSON.stringify(label);
      if (range) completion.range = range;
      return completion;
    };
    if (field === 'style') {
      return Object.entries(parseManifest(document.getText()).styles).map(([name, style]) => item(name, style.prompt, vscode.CompletionItemKind.Value));
    }
    try {
      return await this.serverValues(field as Exclude<Field, 'style'>, item);
    } catch (error) {
      this.log.warn(`[recipes] no completion from the server: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private async serverValues(
    field: Exclude<Field, 'style'>,
    item: (label: string, detail: string, kind: vscode.CompletionItemKind) => vscode.CompletionItem,
  ): Promise<vscode.CompletionItem[]> {
    const client = await this.connection.quietClient();
    if (field === 'model' || field === 'refiner') {
      return (await client.listModels()).map((model) =>
        item(model.model_name, shortModelName(model.title) === model.model_name ? model.title : shortModelName(model.title), vscode.CompletionItemKind.File),
      );
    }
    const catalog = await this.connection.samplerCatalog(client);
    if (field === 'sampler')
      return catalog.samplers.map((sampler) => item(sampler.name, vscode.l10n.t('sampler on {0}', client.origin), vscode.CompletionItemKind.EnumMember));
    return (catalog.schedulers ?? []).map((scheduler) =>
      item(scheduler.label, vscode.l10n.t('scheduler on {0}', client.origin), vscode.CompletionItemKind.EnumMember),
    );
  }
}
