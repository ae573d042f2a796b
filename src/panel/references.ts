// How an image is referenced from the document it is inserted into (pure, unit-tested).

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeMarkdownAlt = (text: string) => text.replace(/[[\]\\]/g, '\\$&');

/** Path from the document's folder to the image, with forward slashes, `./` for siblings. */
export function relativeReference(documentDir: string, imagePath: string): string {
  const from = documentDir.split('/').filter(Boolean);
  const to = imagePath.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/** Markdown/HTML/CSS/JSX snippets by language id; the plain path for anything else. */
export function referenceSnippet(languageId: string, path: string, alt: string): string {
  const encoded = encodeURI(path);
  const shortAlt = altTextOf(alt);
  switch (languageId) {
    case 'markdown':
    case 'mdx':
      return `![${escapeMarkdownAlt(shortAlt)}](${encoded.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
    case 'html':
    case 'vue':
    case 'svelte':
    case 'php':
      return `<img src="${escapeHtml(encoded)}" alt="${escapeHtml(shortAlt)}">`;
    case 'javascriptreact':
    case 'typescriptreact':
      return `<img src="${escapeHtml(encoded)}" alt="${escapeHtml(shortAlt)}" />`;
    case 'css':
    case 'scss':
    case 'less':
    case 'sass':
      return `url("${encoded.replace(/"/g, '%22')}")`;
    default:
      return path;
  }
}

/**
 * A prompt as alt text: without A1111 syntax (`<lora:…>`, `(word:1.2)`, `[a|b]`, BREAK), and
 * at most about 120 characters, cut at a word with an ellipsis.
 */
export function altTextOf(prompt: string, max = 120): string {
  const text = prompt
    .replace(/<[^>]*>/g, ' ')
    .replace(/\b(BREAK|AND)\b/g, ' ')
    .replace(/:\s*-?\d+(\.\d+)?(?=\s*[)\]])/g, '')
    .replace(/[()[\]{}]/g, '')
    .replace(/\s*,\s*(,\s*)+/g, ', ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,]+|[\s,]+$/g, '');
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
