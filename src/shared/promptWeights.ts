// Pure: Ctrl/Cmd+Up/Down on a prompt, as the A1111 web UI does it (javascript/edit-attention.js):
// the selection — or, with none, the `<lora:…>` or `(…)` block around the cursor, else the word
// under it — gets its weight raised or lowered by 0.1: `word` → `(word:1.1)`, `(word:1.1)` →
// `(word:1.2)`, back at 1 the brackets go; a LoRA's own weight moves in place.

export interface PromptEdit {
  text: string;
  /** The new selection: the text whose weight changed. */
  start: number;
  end: number;
}

const NETWORK = /^<(lora|lyco|hypernet):([^:>]+):(-?\d+(?:\.\d+)?)>$/;
const WEIGHTED = /^:(-?\d+(?:\.\d+)?)\)/;
const WORD_END = /[\s,()[\]<>|]/;

function round(weight: number): number {
  return Math.round(weight * 100) / 100;
}

/** The block `open … close` around `at` (no other bracket inside), or undefined. */
function blockAround(text: string, at: number, open: string, close: string): { start: number; end: number } | undefined {
  const start = text.lastIndexOf(open, at - 1);
  if (start < 0 || text.slice(start + 1, at).includes(close)) return undefined;
  const end = text.indexOf(close, at);
  if (end < 0 || text.slice(at, end).includes(open)) return undefined;
  return { start, end: end + 1 };
}

export function nudgeWeight(text: string, selectionStart: number, selectionEnd: number, delta: number): PromptEdit | undefined {
  let start = selectionStart;
  let end = selectionEnd;
  if (start === end) {
    const network = blockAround(text, start, '<', '>');
    const match = network && NETWORK.exec(text.slice(network.start, network.end));
    if (network && match) {
      const weight = String(round(Number(match[3]) + delta));
      const replaced = `<${match[1]}:${match[2]}:${weight}>`;
      const nameStart = network.start + match[1]!.length + 2;
      return { text: text.slice(0, network.start) + replaced + text.slice(network.end), start: nameStart, end: nameStart + match[2]!.length };
    }
    const group = blockAround(text, start, '(', ')');
    const weighted = group && /^(.*):(-?\d+(?:\.\d+)?)$/s.exec(text.slice(group.start + 1, group.end - 1));
    if (group && weighted) {
      start = group.start + 1;
      end = start + weighted[1]!.length;
    } else {
      while (start > 0 && !WORD_END.test(text[start - 1]!)) start--;
      while (end < text.length && !WORD_END.test(text[end]!)) end++;
    }
  }
  if (start === end) return undefined;
  const selected = text.slice(start, end);
  const existing = text[start - 1] === '(' ? WEIGHTED.exec(text.slice(end)) : null;
  if (existing) {
    const weight = round(Number(existing[1]) + delta);
    const after = end + existing[0].length;
    if (weight === 1) return { text: text.slice(0, start - 1) + selected + text.slice(after), start: start - 1, end: end - 1 };
    const replaced = `(${selected}:${weight})`;
    return { text: text.slice(0, start - 1) + replaced + text.slice(after), start, end };
  }
  const weight = round(1 + delta);
  return { text: `${text.slice(0, start)}(${selected}:${weight})${text.slice(end)}`, start: start + 1, end: end + 1 };
}

/** What a picked LoRA adds to the prompt: its alias (as the server's prompt parser names it) and weight. */
export function loraTag(lora: { name: string; alias?: string | undefined }, weight: number): string {
  return `<lora:${lora.alias ?? lora.name}:${round(weight)}>`;
}
