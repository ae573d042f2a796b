// Finds strings in src/ that users would read but that do not go through l10n: sentences (two
// words or more) and capitalised one-word labels ("Seed", "Cancel…"), minus what is not shown to
// users or must stay as it is. Each exemption is a rule below or a visible comment in the code:
//   // l10n-exempt: <why>        on the line before the statement (or entry) holding the string
//   // l10n-exempt-file: <why>   anywhere in a file whose strings are a format (infotext keys)
// Also finds @vscode/l10n calls evaluated when a module loads, before activate() or the panel
// page has configured the bundle (they would always be English).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  text: string;
}

const SENTENCE = /[A-Za-z]{2,}[^]*\s[^]*[A-Za-z]{2,}/;
/** One capitalised word, as a label or a button says it ("Seed", "Cancel", "Insert…"). */
const LABEL = /^\s*[A-Z][a-z]{2,}[.…:!?]?\s*$/;
/** A word before a value: `Open ${file}`, `seed ${n}`. */
const LABELLED_VALUE = /^[A-Za-z][a-z]{2,}:? \{\}/;
/** Attributes whose values are names, not text (class lists, ids, roles…). */
const NAME_ATTRIBUTES = /^['"]?(class|className|id|type|role|name|for|autocomplete|inputmode|accept)['"]?$/;
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

export function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')
          ? [path.join(dir, entry.name)]
          : [],
    );
}

function textOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  // A template's own text; `${…}` counts as no text (so paths like `a/${b}.png` are not prose).
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join('');
  return undefined;
}

/** Why a string is not user-facing text, or undefined when it is. */
function exemption(node: ts.Node, text: string, sf: ts.SourceFile): string | undefined {
  if (/^\s*</.test(text) || /^[a-z][\w+.-]*:/.test(text)) return 'markup or a URL';
  if (/l10n-exempt-file/.test(sf.text)) return 'file marked';
  if (/^[a-z0-9-]+( [a-z0-9-]+)+$/.test(text) && text.includes('-')) return 'class names';
  if (/(^|\s|,)[#.][a-z]/.test(text) && !/\s[a-z]+\s[a-z]+\s/.test(text)) return 'a selector';
  let holder: ts.Node = node;
  while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isStatement(holder) && !ts.isPropertyAssignment(holder)) holder = holder.parent;
  const lines = sf.text.split('\n');
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
  const from = sf.getLineAndCharacterOfPosition(holder.getStart(sf)).line;
  for (let l = line; l >= Math.max(0, from - 1); l--) if (lines[l]?.includes('l10n-exempt')) return 'marked';
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) return 'a comparison';
  if (ts.isCaseClause(parent)) return 'a case label';
  for (let p: ts.Node | undefined = parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p)) return 'a module or a type';
    if (ts.isPropertyAssignment(p) && p.name === node) return 'a key';
    if (ts.isPropertyAssignment(p) && p.initializer === node && NAME_ATTRIBUTES.test(p.name.getText(sf))) return 'a name attribute';
    if (ts.isCallExpression(p)) {
      const callee = p.expression.getText(sf);
      if (/(^|\.)l10n\.t$/.test(callee)) return 'localized';
      if (
        /(^|\.)(log|console)\.(info|warn|error|debug|trace|log)$/i.test(callee) ||
        (/\blog\b/i.test(callee) && /\.(info|warn|error|debug|trace)$/.test(callee))
      )
        return 'the log';
      const context = p.arguments[1];
      if (/failures\.(notify|describe|describeAndNotify)$/.test(callee) && context && node.pos >= context.pos && node.end <= context.end)
        return "the log's context";
      if (/(^|\.)executeCommand$/.test(callee)) return 'a command';
      if (callee === 'textResult') return 'read by the language model';
      if (/\.(startsWith|endsWith|includes)$/.test(callee)) return 'a comparison';
    }
    if (ts.isNewExpression(p) && /^(Error|TypeError|RangeError)$/.test(p.expression.getText(sf))) return 'an internal error';
  }
  return undefined;
}

/** User-facing strings of one source text that do not go through l10n. */
export function unlocalizedStrings(fileName: string, source: string): Finding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const text = textOf(node);
    if (text !== undefined) {
      if ((SENTENCE.test(text) || LABEL.test(text) || LABELLED_VALUE.test(text)) && exemption(node, text, sf) === undefined) {
        found.push({ file: fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text });
        return;
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `l10n.t(…)` (from @vscode/l10n) run when its module loads: outside any function or instance field. */
export function loadTimeTranslations(fileName: string, source: string): Finding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  // The entry point that configures the bundle may translate after it has.
  const configured = source.indexOf('l10n.config(');
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(sf) === 'l10n.t' && !(configured >= 0 && node.pos > configured)) {
      let deferred = false;
      for (let p: ts.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
        const instanceField = ts.isPropertyDeclaration(p) && !p.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (ts.isFunctionLike(p) || instanceField) {
          deferred = true;
          break;
        }
      }
      if (!deferred) found.push({ file: fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf).slice(0, 80) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
