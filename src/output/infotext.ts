import type { GenerationParameters } from '../sdapi/types';

/**
 * A1111's "infotext" (the PNG `parameters` text) rebuilt from the request, for servers that do
 * not report one: prompt, negative prompt, then `Key: value` pairs.
 */
export function infotextFromRequest(request: GenerationParameters & { denoising_strength?: number }, seed: number | undefined): string {
  const pairs: [string, unknown][] = [
    ['Steps', request.steps],
    ['Sampler', request.sampler_name],
    ['Schedule type', request.scheduler],
    ['CFG scale', request.cfg_scale],
    ['Seed', seed],
    ['Size', request.width && request.height ? `${request.width}x${request.height}` : undefined],
    ['Denoising strength', request.denoising_strength],
  ];
  const settings = pairs.filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => `${key}: ${String(value)}`);
  return [request.prompt, ...(request.negative_prompt ? [`Negative prompt: ${request.negative_prompt}`] : []), settings.join(', ')].join('\n');
}

/** The prompt part of an infotext (everything before the `Negative prompt:` or settings line). */
export function promptOfInfotext(infotext: string): string {
  const lines = infotext.split('\n');
  const end = lines.findIndex((line) => line.startsWith('Negative prompt:') || /^Steps: \d+/.test(line));
  return (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
}
