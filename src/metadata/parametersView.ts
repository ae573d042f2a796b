// The readable view of an image's generation parameters (Show Generation Parameters): Markdown,
// so it is searchable, copyable and read out by screen readers like any document.

import * as l10n from '@vscode/l10n';
import { settingsOf, type Infotext } from './infotext';

// l10n-exempt: infotext keys, matched in the image's parameters.
const KNOWN = new Set(['steps', 'sampler', 'schedule type', 'cfg scale', 'seed', 'size', 'model', 'model hash', 'denoising strength']);

export function renderParametersView(fileName: string, infotext: Infotext | undefined, source: string | undefined): string {
  const lines = [`# ${escape(fileName)}`, ''];
  if (!infotext) {
    lines.push(l10n.t('This image has no generation parameters (no PNG `parameters` text, no EXIF UserComment).'), '');
    return lines.join('\n');
  }
  const s = settingsOf(infotext);
  lines.push('## Prompt', '', block(infotext.prompt || '(empty)'), '');
  if (infotext.negativePrompt) lines.push(l10n.t('## Negative prompt'), '', block(infotext.negativePrompt), '');
  const rows: [string, string | number | undefined][] = [
    [l10n.t('Seed'), s.seed],
    [l10n.t('Size'), s.width !== undefined && s.height !== undefined ? `${s.width} × ${s.height}` : undefined],
    [l10n.t('Model'), s.model ? `${s.model}${s.modelHash ? ` [${s.modelHash}]` : ''}` : s.modelHash],
    [l10n.t('Sampler'), s.sampler],
    [l10n.t('Scheduler'), s.scheduler],
    [l10n.t('Steps'), s.steps],
    [l10n.t('CFG scale'), s.cfgScale],
    [l10n.t('Denoising strength'), s.denoisingStrength],
  ];
  lines.push('## Settings', '', l10n.t('| Setting | Value |'), '| --- | --- |');
  for (const [label, value] of rows) if (value !== undefined) lines.push(`| ${label} | ${code(String(value))} |`);
  const others = infotext.params.filter(([key]) => !KNOWN.has(key.toLowerCase()));
  if (others.length > 0) {
    lines.push('', l10n.t('## Other parameters'), '', l10n.t('| Key | Value |'), '| --- | --- |');
    for (const [key, value] of others) lines.push(`| ${cell(key)} | ${code(value)} |`);
  }
  lines.push(
    '',
    l10n.t(
      "*Read from the {0}. Regenerate, Variation, Reuse in Panel and Copy are in this editor's title bar.*",
      source === 'exif-user-comment' ? 'EXIF UserComment' : 'PNG `parameters` text',
    ),
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
