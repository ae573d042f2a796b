// Checks shared by the manifest's (package.nls) and the code's (l10n/) translations, and the
// README's headings as the marketplace and GitHub anchor them.

import * as assert from 'node:assert/strict';

/** What a translation must keep as it is: {0} placeholders, `#setting#` links, command: links, `code`. */
export function fixedParts(text: string): string[] {
  return [...text.matchAll(/\{\w+\}|#[\w.]+#|\(command:[\w.]+\)|`[^`]*`/g)].map((m) => m[0]).sort();
}

/** Every English key translated (none left over), each keeping its fixed parts. */
export function assertCompleteTranslation(english: Record<string, unknown>, translated: Record<string, unknown>): void {
  assert.deepEqual(
    Object.keys(english).filter((key) => typeof translated[key] !== 'string' || translated[key] === ''),
    [],
    'missing',
  );
  assert.deepEqual(
    Object.keys(translated).filter((key) => !(key in english)),
    [],
    'left over',
  );
  for (const [key, text] of Object.entries(english)) assert.deepEqual(fixedParts(translated[key] as string), fixedParts(text as string), key);
}

/** The anchors of a Markdown file's headings (`## Connect a server` → `connect-a-server`). */
export function headingAnchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{1,4} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
  );
}
