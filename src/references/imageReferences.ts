// Image references in the files that use images: Markdown `![alt](path)`, HTML/JSX/Vue/Svelte
// `<img src="path" alt="…">`, CSS `url(path)`. Pure: offsets into the text, the path as written
// and the alt text that can serve as a prompt.

export interface ImageReference {
  /** Where the path is in the text. */
  offset: number;
  length: number;
  path: string;
  /** The alt text (Markdown, HTML), or a comment just before it (CSS), when there is one. */
  description?: string;
}

const IMAGE = /\.(png|jpe?g|webp)$/i;

const MARKDOWN = /!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const IMG_TAG = /<img\b[^>]*>/gi;
const SRC = /\bsrc\s*=\s*(["'])([^"']+)\1/i;
const ALT = /\balt\s*=\s*(["'])([^"']*)\1/i;
const CSS_URL = /url\(\s*(["']?)([^"')\s]+)\1\s*\)/gi;
/** A comment before a url() in the same declaration: `/* a red fox *\/ background: url(fox.png)`. */
const CSS_COMMENT = /\/\*\s*([^*]*?)\s*\*\/[^;{}/]*$/;

export function findImageReferences(text: string, languageId: string): ImageReference[] {
  const found: ImageReference[] = [];
  const add = (offset: number, path: string, description?: string) => {
    const clean = path.split(/[?#]/)[0]!;
    if (!IMAGE.test(clean) || /^[a-z][a-z0-9+.-]*:/i.test(clean) || clean.startsWith('//')) return; // local files only
    found.push({ offset, length: path.length, path: decodePath(clean), ...(description?.trim() ? { description: description.trim() } : {}) });
  };
  if (languageId === 'markdown' || languageId === 'mdx') {
    for (const match of text.matchAll(MARKDOWN)) {
      const path = match[2]!;
      add(match.index + match[0].indexOf(path, 2 + match[1]!.length), path, unescapeMarkdown(match[1]!));
    }
  }
  if (['markdown', 'mdx', 'html', 'vue', 'svelte', 'javascriptreact', 'typescriptreact', 'php'].includes(languageId)) {
    for (const match of text.matchAll(IMG_TAG)) {
      const src = SRC.exec(match[0]);
      if (!src) continue;
      add(match.index + (src.index ?? 0) + src[0].indexOf(src[2]!), src[2]!, decodeEntities(ALT.exec(match[0])?.[2] ?? ''));
    }
  }
  if (['css', 'scss', 'less', 'sass', 'html', 'vue', 'svelte'].includes(languageId)) {
    for (const match of text.matchAll(CSS_URL)) {
      const comment = CSS_COMMENT.exec(text.slice(Math.max(0, match.index - 300), match.index))?.[1];
      add(match.index + match[0].indexOf(match[2]!), match[2]!, comment);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([[\]\\])/g, '$1');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
