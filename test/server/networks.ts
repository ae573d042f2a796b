// What the local server lists for the prompt helpers, shaped as A1111 1.10 answers: LoRAs
// (extensions-builtin/Lora), loaded embeddings, and styles, which it applies to the prompt
// itself (modules/styles.py: `{prompt}` is replaced, else the style is appended after ", ").

export const LORAS = [
  { name: 'pixel-art-xl', alias: 'pixel-art-xl', path: '/models/Lora/pixel-art-xl.safetensors', metadata: {} },
  { name: 'flat_icons_v2', alias: 'flaticons', path: '/models/Lora/icons/flat_icons_v2.safetensors', metadata: { ss_output_name: 'flaticons' } },
  { name: 'add_detail', alias: 'add_detail', path: '/models/Lora/add_detail.safetensors', metadata: {} },
];

export const EMBEDDINGS = {
  loaded: {
    EasyNegative: { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 768, vectors: 8 },
    'bad-hands-5': { step: 5000, sd_checkpoint: 'e1441589', sd_checkpoint_name: 'v1-5-pruned-emaonly', shape: 768, vectors: 2 },
  },
  skipped: { 'sdxl-only': { step: null, sd_checkpoint: null, sd_checkpoint_name: null, shape: 2048, vectors: 1 } },
};

export const STYLES = [
  { name: 'Flat icon', prompt: '{prompt}, flat vector icon, minimal, centered', negative_prompt: 'photo, realistic, text' },
  { name: 'Cinematic', prompt: 'cinematic still, {prompt}, shallow depth of field', negative_prompt: 'cartoon' },
  { name: 'Watercolor', prompt: 'watercolor painting', negative_prompt: '' },
];

function applyOne(text: string, style: string): string {
  if (!style) return text;
  if (style.includes('{prompt}')) return style.replace('{prompt}', text);
  return text ? `${text}, ${style}` : style;
}

/** The prompt and negative prompt with the named styles applied, unknown names ignored, as A1111 does. */
export function applyStyles(prompt: string, negative: string, names: unknown): { prompt: string; negative: string } {
  const styles = Array.isArray(names) ? STYLES.filter((style) => names.includes(style.name)) : [];
  return styles.reduce((acc, style) => ({ prompt: applyOne(acc.prompt, style.prompt), negative: applyOne(acc.negative, style.negative_prompt) }), {
    prompt,
    negative,
  });
}
