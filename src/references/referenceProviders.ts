import * as path from 'node:path';
import * as vscode from 'vscode';
import { readStoredParameters } from '../metadata/imageMetadata';
import { settingsOf } from '../metadata/infotext';
import { readImageMetadataBytes } from '../platform/imageHead';
import { findImageReferences, type ImageReference } from './imageReferences';

/** Files that reference images: where hovers and actions on those references appear. */
export const REFERENCING_LANGUAGES = ['markdown', 'mdx', 'html', 'vue', 'svelte', 'javascriptreact', 'typescriptreact', 'php', 'css', 'scss', 'less', 'sass'];

/** The workspace file a reference names: relative to the document, or to its workspace folder when it starts with "/". */
export function referencedFile(document: vscode.Uri, reference: string): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(document);
  const segments = reference
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (reference.startsWith('/')) return folder ? vscode.Uri.joinPath(folder.uri, ...segments) : undefined;
  const target = vscode.Uri.joinPath(document, '..', ...segments);
  // Never outside the workspace folder (a reference is text in a file anyone could have written).
  if (!folder || !target.path.startsWith(`${folder.uri.path.replace(/\/$/, '')}/`)) return undefined;
  return target;
}

export function referenceAt(document: vscode.TextDocument, position: vscode.Position): ImageReference | undefined {
  const offset = document.offsetAt(position);
  return findImageReferences(document.getText(), document.languageId).find((r) => offset >= r.offset && offset <= r.offset + r.length);
}

const COMMANDS = ['sdStudio.showParameters', 'sdStudio.regenerate', 'sdStudio.variation', 'sdStudio.generateReference'];

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/**
 * Where an image is used: a hover with its thumbnail and how it was made (or "does not exist
 * yet"), and actions: Show Parameters, Regenerate, Variation, or Generate from the alt text.
 */
export class ReferenceProviders implements vscode.HoverProvider, vscode.CodeActionProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const reference = referenceAt(document, position);
    const file = reference && referencedFile(document.uri, reference.path);
    if (!reference || !file) return undefined;
    const range = new vscode.Range(document.positionAt(reference.offset), document.positionAt(reference.offset + reference.length));
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.isTrusted = { enabledCommands: COMMANDS };
    markdown.supportHtml = false;
    const name = path.posix.basename(file.path);
    let bytes: Uint8Array;
    try {
      bytes = await readImageMetadataBytes(file);
    } catch {
      // The file name is inline code; a translation keeps the {0} where its language puts it.
      markdown.appendMarkdown(vscode.l10n.t('**Stable Diffusion** · {0}\n\n', vscode.l10n.t('{0} does not exist yet.', `\`${name.replace(/`/g, '')}\``)));
      if (reference.description) {
        markdown.appendMarkdown(
          `${commandLink(`$(sparkle) ${vscode.l10n.t('Generate it')}`, 'sdStudio.generateReference', [document.uri, reference.offset])} `,
        );
        markdown.appendText(vscode.l10n.t('from “{0}”', reference.description));
      } else {
        markdown.appendMarkdown(vscode.l10n.t('Write what it shows as its alt text, then generate it from here.'));
      }
      return new vscode.Hover(markdown, range);
    }
    markdown.appendMarkdown(`![${name}](${file.toString()}|height=128)\n\n`);
    const stored = readStoredParameters(bytes);
    if (stored) {
      const s = settingsOf(stored.infotext);
      markdown.appendText(s.prompt.length > 300 ? `${s.prompt.slice(0, 299)}…` : s.prompt);
      const facts = [s.seed !== undefined ? vscode.l10n.t('seed {0}', s.seed) : undefined, s.width && s.height ? `${s.width}×${s.height}` : undefined, s.model]
        .filter(Boolean)
        .join(' · ');
      markdown.appendMarkdown('\n\n');
      markdown.appendText(facts);
      markdown.appendMarkdown(
        `\n\n${commandLink(vscode.l10n.t('Show Parameters'), 'sdStudio.showParameters', [file])} · ${commandLink(vscode.l10n.t('Regenerate'), 'sdStudio.regenerate', [file])} · ${commandLink(vscode.l10n.t('Variation…'), 'sdStudio.variation', [file])}`,
      );
    } else {
      markdown.appendText(vscode.l10n.t('{0}: no generation parameters stored in it.', name));
    }
    return new vscode.Hover(markdown, range);
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const reference = referenceAt(document, range.start);
    const file = reference && referencedFile(document.uri, reference.path);
    if (!reference || !file) return [];
    const action = (title: string, command: string, args: unknown[]) => {
      const codeAction = new vscode.CodeAction(title, vscode.CodeActionKind.RefactorRewrite);
      codeAction.command = { title, command, arguments: args };
      return codeAction;
    };
    return [
      action(
        reference.description
          ? vscode.l10n.t('Stable Diffusion: Generate {0} from its alt text', reference.path)
          : vscode.l10n.t('Stable Diffusion: Generate {0}', reference.path),
        'sdStudio.generateReference',
        [document.uri, reference.offset],
      ),
      action(vscode.l10n.t('Stable Diffusion: Show Generation Parameters'), 'sdStudio.showParameters', [file]),
      action(vscode.l10n.t('Stable Diffusion: Regenerate'), 'sdStudio.regenerate', [file]),
      action(vscode.l10n.t('Stable Diffusion: Variation…'), 'sdStudio.variation', [file]),
    ];
  }
}
