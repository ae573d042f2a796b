// The panel states the webview tests and the accessibility scan put the page into: the host's
// defaults, a server with its lists, a gallery, and the panel with everything open.

import type { FormValues, GalleryItem, HostToWebview, ServerView } from '../../src/shared/protocol';
import { sampleForm } from '../support/forms';
import type { PanelPage } from './pageServer';

export const DEFAULTS: FormValues = sampleForm({ prompt: '', negativePrompt: 'blurry', sampler: 'DPM++ 2M' });

export const SERVER: ServerView = {
  origin: 'http://127.0.0.1:7860',
  models: [
    { title: 'sd_xl_base_1.0.safetensors [31e35c80fc]', name: 'sd_xl_base_1.0' },
    { title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]', name: 'v1-5-pruned-emaonly' },
  ],
  currentModel: 'sd_xl_base_1.0.safetensors [31e35c80fc]',
  samplers: ['DPM++ 2M', 'Euler a', 'Euler', 'UniPC'],
  schedulers: ['Automatic', 'Karras', 'Exponential'],
};

export function galleryItems(origin: string, count: number): GalleryItem[] {
  const prompts = [
    'a flat vector app icon of a red fox, orange and white, centered',
    'hero banner, misty mountains at sunrise, wide',
    'seamless stone texture, top-down',
    'pixel art sword, 32x32',
  ];
  return Array.from({ length: count }, (_, i) => ({
    id: `id-${i}`,
    src: `${origin}/images/${i + 1}.png`,
    relativePath: `generated-images/image-${i}.png`,
    prompt: prompts[i % prompts.length],
    negativePrompt: 'blurry',
    seed: 1000 + i,
    width: 512,
    height: 512,
    model: 'sd_xl_base_1.0',
    sampler: 'Euler a',
    scheduler: 'Karras',
    steps: 28,
    cfgScale: 6.5,
    kind: i % 3 === 2 ? 'img2img' : 'txt2img',
    denoisingStrength: i % 3 === 2 ? 0.45 : undefined,
    createdAt: Date.UTC(2026, 10, 24, 9, 30 - i),
  }));
}

export function init(origin: string, extra: Partial<Extract<HostToWebview, { type: 'init' }>> = {}): HostToWebview {
  return { type: 'init', defaults: DEFAULTS, gallery: galleryItems(origin, 0), jobs: [], server: { origin: SERVER.origin }, ...extra };
}

/** Every part of the panel on screen: a server with its lists, the gallery, a running job with its preview, More settings, Output file and ControlNet open. */
export async function fullPanelState(panel: PanelPage, origin: string): Promise<void> {
  await panel.receive(
    init(origin, {
      server: {
        ...SERVER,
        loras: [{ name: 'pixel-art', alias: 'pixel-art' }],
        styles: [{ name: 'Flat icon', prompt: 'flat icon of {prompt}', negativePrompt: '' }],
      },
      gallery: galleryItems(origin, 4),
      jobs: [
        { id: 'job-1', prompt: 'seamless stone texture, top-down', state: 'running' },
        { id: 'job-2', prompt: 'pixel art sword, 32x32', state: 'queued' },
      ],
    }),
  );
  await panel.page.fill('#prompt', 'a flat vector app icon of a red fox, orange and white, centered');
  await panel.receive({ type: 'progress', jobId: 'job-1', message: 'Step 9/20 · about 6 s left', fraction: 0.45, preview: `${origin}/images/9.png` });
  for (const summary of await panel.page.locator('details > summary').all()) {
    if ((await summary.evaluate((element) => (element.parentElement as HTMLDetailsElement).open)) === false) await summary.click();
  }
  await panel.page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('#gallery img')].slice(0, 3).every((img) => img.complete && img.naturalWidth > 0),
  );
}

/** The image-to-image side: a source, the inpainting editor open, as fullPanelState leaves the rest. */
export async function imageToImageState(panel: PanelPage, origin: string): Promise<void> {
  await fullPanelState(panel, origin);
  await panel.page.check('#mode-img2img');
  await panel.receive({
    type: 'source',
    source: { path: 'assets/source.png', src: `${origin}/images/7.png`, width: 200, height: 100, suggestedWidth: 624, suggestedHeight: 312 },
  });
  await panel.page.check('#inpaint');
}

/** The studio as the README and the walkthrough show it: a gallery, a running job with its step and preview. */
export async function studioState(panel: PanelPage, origin: string, images: number, step: string): Promise<void> {
  await panel.receive(
    init(origin, {
      server: SERVER,
      gallery: galleryItems(origin, images),
      jobs: [{ id: 'job-1', prompt: 'seamless stone texture, top-down', state: 'running' }],
    }),
  );
  await panel.page.fill('#prompt', 'a flat vector app icon of a red fox, orange and white, centered');
  await panel.receive({ type: 'progress', jobId: 'job-1', message: step, fraction: 0.45, preview: `${origin}/images/9.png` });
  await panel.page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('#gallery img')].slice(0, 3).every((img) => img.complete && img.naturalWidth > 0),
  );
}
