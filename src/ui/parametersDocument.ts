import * as path from 'node:path';
import * as vscode from 'vscode';
import { readStoredParameters } from '../metadata/imageMetadata';
import { renderParametersView } from '../metadata/parametersView';

/** Read-only documents showing an image's generation parameters: `sdstudio-parameters:/fox.png.md?<image URI>`. */
export const PARAMETERS_SCHEME = 'sdstudio-parameters';

export function parametersUri(image: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: PARAMETERS_SCHEME, path: `/${path.posix.basename(image.path)} parameters.md`, query: image.toString() });
}

/** The image a parameters document shows, or undefined for any other URI. */
export function imageOfParametersUri(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== PARAMETERS_SCHEME || !uri.query) return undefined;
  try {
    return vscode.Uri.parse(uri.query, true);
  } catch {
    return undefined;
  }
}

export class ParametersDocuments implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const image = imageOfParametersUri(uri);
    if (!image) return vscode.l10n.t('# Not an image\n');
    const name = path.posix.basename(image.path);
    try {
      const stored = readStoredParameters(await vscode.workspace.fs.readFile(image));
      return renderParametersView(name, stored?.infotext, stored?.source);
    } catch {
      return vscode.l10n.t('# {0}\n\nThe file could not be read: it may have been moved or deleted.\n', name);
    }
  }
}
