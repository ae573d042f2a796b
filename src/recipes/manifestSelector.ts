import * as vscode from 'vscode';

/** Recipes files: `sd-assets.json` and `*.sd-assets.json` (as contributes.jsonValidation). */
export const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/sd-assets.json' }, { pattern: '**/*.sd-assets.json' }];

export function isManifest(document: vscode.TextDocument): boolean {
  return vscode.languages.match(MANIFEST_SELECTOR, document) > 0;
}
