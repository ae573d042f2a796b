// File names for generated images: `<date>-<time>-<prompt words>-<seed>.<ext>`, e.g.
// `20261124-153012-red-fox-app-icon-1234567.png`. Pure, so the rules are unit tested.
// The date prefix keeps names sortable and makes Windows' reserved names (CON, NUL…) impossible.

const MAX_SLUG_LENGTH = 48;

/** The words of a prompt as a lowercase ASCII slug, without A1111 syntax (`<lora:…>`, `(word:1.2)`). */
export function promptSlug(prompt: string, maxLength = MAX_SLUG_LENGTH): string {
  const words = prompt
    .replace(/<[^>]*>/g, ' ') // extra networks: <lora:name:0.8>
    .replace(/:\s*-?\d+(\.\d+)?/g, ' ') // attention weights: (word:1.2)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: café -> cafe
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) {
      if (!slug) slug = word.slice(0, maxLength);
      break;
    }
    slug = next;
  }
  return slug || 'image';
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

export function timestamp(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export interface NameParts {
  prompt: string;
  seed?: number | undefined;
  date: Date;
  extension: string;
}

/** The preferred name, and the alternatives to try when it is taken (`…-2.png`, `…-3.png`, …). */
export function imageFileName({ prompt, seed, date, extension }: NameParts, attempt = 1): string {
  const stem = [timestamp(date), promptSlug(prompt), ...(seed !== undefined && seed >= 0 ? [String(seed)] : [])].join('-');
  return `${stem}${attempt > 1 ? `-${attempt}` : ''}.${extension}`;
}
