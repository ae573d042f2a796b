// The readable view of an image's generation parameters (Show Generation Parameters): Markdown,
// so it is searchable, copyable and read out by screen readers like any document.

import { settingsOf, type Infotext } from './infotext';

const KNOWN = new Set(['steps', 'sampler', 'schedule type', 'cfg scale', 'seed', 'size', 'model', 'model hash', 'denoising strength']);

export function renderParametersView(fileName: string, infotext: Infotext | undefined, source: string | undefined): string {
  const lines = [`# ${escape(fileName)}`, ''];
  if (!infotext) {
    lines.push('This image has no generation parameters (no PNG `parameters` text, no EXIF UserComment).', '');
    return lines.join('\n');
  }
  const s = settingsOf(infotext);
  lines.push('## Prompt', '', block(infotext.prompt || '(empty)'), '');
  if (infotext.negativePrompt) lines.push('## Negative prompt', '', block(infotext.negativePrompt), '');
  const rows: [string, string | number | undefined][] = [
    ['Seed', s.seed],
    ['Size', s.width !== undefined && s.height !== undefined ? `${s.width} × ${s.height}` : undefined],
    ['Model', s.model ? `${s.model}${s.modelHash ? ` [${s.modelHash}]` : ''}` : s.modelHash],
    ['Sampler', s.sampler],
    ['Scheduler', s.scheduler],
    ['Steps', s.steps],
    ['CFG scale', s.cfgScale],
    ['Denoising strength', s.denoisingStrength],
  ];
  lines.push('## Settings', '', '| Setting | Value |', '| --- | --- |');
  for (const [label, value] of rows) if (value !== undefined) lines.push(`| ${label} | ${code(String(value))} |`);
  const others = infotext.params.filter(([key]) => !KNOWN.has(key.toLowerCase()));
  if (others.length > 0) {
    lines.push('', '## Other parameters', '', '| Key | Value |', '| --- | --- |');
    for (const [key, value] of others) lines.push(`| ${cell(key)} | ${code(value)} |`);
  }
  lines.push(
    '',
    `*Read from the ${source === 'exif-user-comment' ? 'EXIF UserComment' : 'PNG `parameters` text'}. Regenerate, Variation, Reuse in Panel and Copy are in this editor's title bar.*`,
    '',
  );
  return lines.join('\n');
}

/** Text shown as is: a fenced block whose fence is longer than any backtick run inside. */
function block(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/** A value as an inline code span: shown as is, in the raw text and when rendered. */
function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (flat === '') return '';
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

function cell(text: string): string {
  return escape(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, '\\$&');
}
