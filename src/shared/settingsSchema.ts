// The one statement of every setting's default, range and allowed values. The settings reader,
// the panel's inputs, the host's form checks and the size clamps read it; a unit test checks
// package.json's `contributes.configuration` against it, so the four cannot drift.
// l10n-exempt-file: setting values and their ranges; descriptions are in package.nls.json.

export const SETTINGS = {
  serverUrl: { default: 'http://127.0.0.1:7860' },
  servers: { default: [] as { name: string; url: string }[] },
  usePool: { default: false },
  outputFolder: { default: 'generated-images' },
  fileNameTemplate: { default: '{date}-{time}-{prompt}-{seed}' },
  afterGeneration: { default: 'open', enum: ['open', 'reveal', 'none'] },
  'generation.negativePrompt': { default: '' },
  'generation.steps': { default: 20, minimum: 1, maximum: 150, integer: true },
  'generation.cfgScale': { default: 7, minimum: 1, maximum: 30 },
  'generation.width': { default: 512, minimum: 64, maximum: 4096, multipleOf: 8, integer: true },
  'generation.height': { default: 512, minimum: 64, maximum: 4096, multipleOf: 8, integer: true },
  'generation.sampler': { default: 'DPM++ 2M' },
  'generation.scheduler': { default: 'Automatic' },
  'generation.seed': { default: -1, minimum: -1, maximum: 4294967295, integer: true },
  'generation.batchSize': { default: 1, minimum: 1, maximum: 8, integer: true },
  'generation.batchCount': { default: 1, minimum: 1, maximum: 16, integer: true },
  'img2img.denoisingStrength': { default: 0.6, minimum: 0, maximum: 1 },
  'img2img.resizeMode': { default: 'cropAndResize', enum: ['justResize', 'cropAndResize', 'resizeAndFill'] },
  'img2img.saveTo': { default: 'besideSource', enum: ['besideSource', 'outputFolder'] },
  'img2img.fileNameTemplate': { default: '{source}-variant-{n}' },
  'timeouts.connectSeconds': { default: 10, minimum: 1, maximum: 300, integer: true },
  'timeouts.generationSeconds': { default: 900, minimum: 10, maximum: 86400, integer: true },
  'timeouts.requestSeconds': { default: 30, minimum: 1, maximum: 3600, integer: true },
  'limits.maxResponseMegabytes': { default: 512, minimum: 1, maximum: 4096, integer: true },
  'tls.caFile': { default: '' },
  'output.exactSize': { default: '' },
  'output.fit': { default: 'cover', enum: ['cover', 'contain'] },
  'output.background': { default: '' },
  'output.modelSize': { default: 'auto', enum: ['auto', '512', '768', '1024'] },
  'output.format': { default: 'server', enum: ['server', 'png', 'webp', 'jpeg', 'avif'] },
  'output.quality': { default: 82, minimum: 1, maximum: 100, integer: true },
  'output.maxKB': { default: 0, minimum: 0, maximum: 102400, integer: true },
  'iconSet.folder': { default: '' },
  'iconSet.faviconSizes': { default: [16, 32, 48] as number[] },
  'iconSet.sizes': { default: [192, 512] as number[] },
  'iconSet.platforms': { default: [] as ('android' | 'ios')[] },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type NumericSettingKey = { [K in SettingKey]: (typeof SETTINGS)[K] extends { minimum: number } ? K : never }[SettingKey];
export type StringSettingKey = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] extends string ? K : never }[SettingKey];
export type EnumSettingKey = { [K in SettingKey]: (typeof SETTINGS)[K] extends { enum: readonly string[] } ? K : never }[SettingKey];
export type EnumValue<K extends EnumSettingKey> = (typeof SETTINGS)[K]['enum'][number];

export type ResizeMode = EnumValue<'img2img.resizeMode'>;
export type AfterGeneration = EnumValue<'afterGeneration'>;
export type Img2ImgSaveTo = EnumValue<'img2img.saveTo'>;

/** The `generation.*` settings as one value: every parameter the user sees (also the panel form's). */
export interface GenerationDefaults {
  negativePrompt: string;
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  sampler: string;
  scheduler: string;
  seed: number;
  batchSize: number;
  batchCount: number;
}

const range = (key: NumericSettingKey) => ({ min: SETTINGS[key].minimum, max: SETTINGS[key].maximum });

/** Range limits of the form's inputs and the host's checks. */
export const LIMITS = {
  steps: range('generation.steps'),
  cfgScale: range('generation.cfgScale'),
  size: { ...range('generation.width'), step: SETTINGS['generation.width'].multipleOf },
  batchSize: range('generation.batchSize'),
  batchCount: range('generation.batchCount'),
  seed: range('generation.seed'),
  denoisingStrength: range('img2img.denoisingStrength'),
  promptLength: 10_000,
} as const;
