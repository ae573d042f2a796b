// The webview is untrusted input (a compromised or buggy page could post anything): every
// message is checked against the protocol's shapes before the host acts on it.

import { REMBG_MODELS } from '../shared/outputShape';
import { FAILURE_ACTION_IDS, type FormValues, type GalleryAction, type WebviewToHost } from '../shared/protocol';
import { MAX_CONTROL_UNITS, type ControlUnitValues } from '../shared/controlNet';
import { SETTINGS } from '../shared/settingsSchema';

type Guard<T> = (value: unknown) => value is T;

const isString: Guard<string> = (v): v is string => typeof v === 'string';
const isNumber: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
const oneOf =
  <T extends string>(...values: T[]): Guard<T> =>
  (v): v is T =>
    typeof v === 'string' && (values as string[]).includes(v);
const shortString =
  (max: number): Guard<string> =>
  (v): v is string =>
    typeof v === 'string' && v.length <= max;

const CONTROL_UNIT_FIELDS: { [K in keyof ControlUnitValues]-?: Guard<ControlUnitValues[K]> } = {
  image: shortString(4096),
  module: shortString(200),
  model: shortString(1000),
  weight: isNumber,
  guidanceStart: isNumber,
  guidanceEnd: isNumber,
  controlMode: oneOf('balanced', 'prompt', 'control'),
  resizeMode: oneOf(...SETTINGS['img2img.resizeMode'].enum),
  pixelPerfect: isBoolean,
};

const FORM_FIELDS: { [K in keyof FormValues]-?: Guard<FormValues[K]> } = {
  mode: oneOf('txt2img', 'img2img'),
  prompt: shortString(20_000),
  negativePrompt: shortString(20_000),
  sampler: shortString(200),
  scheduler: shortString(200),
  steps: isNumber,
  cfgScale: isNumber,
  seed: isNumber,
  width: isNumber,
  height: isNumber,
  batchSize: isNumber,
  batchCount: isNumber,
  source: shortString(4096),
  denoisingStrength: isNumber,
  resizeMode: oneOf(...SETTINGS['img2img.resizeMode'].enum),
  maskBlur: isNumber,
  maskFill: oneOf('fill', 'original', 'latentNoise', 'latentNothing'),
  inpaintArea: oneOf('whole', 'masked'),
  maskPadding: isNumber,
  extendLeft: isNumber,
  extendTop: isNumber,
  extendRight: isNumber,
  extendBottom: isNumber,
  styles: (v): v is string[] => Array.isArray(v) && v.length <= 50 && v.every((name) => shortString(200)(name)),
  hiresFix: isBoolean,
  hiresScale: isNumber,
  hiresUpscaler: shortString(200),
  hiresSteps: isNumber,
  hiresDenoising: isNumber,
  tiling: isBoolean,
  clipSkip: isNumber,
  distilledCfg: isNumber,
  vae: shortString(1000),
  textEncoders: (v): v is string[] => Array.isArray(v) && v.length <= 8 && v.every((file) => shortString(1000)(file)),
  refiner: shortString(1000),
  refinerSwitchAt: isNumber,
  exactSize: isBoolean,
  outputWidth: isNumber,
  outputHeight: isNumber,
  outputFit: oneOf(...SETTINGS['output.fit'].enum),
  outputBackground: shortString(7),
  outputModelSize: oneOf(...SETTINGS['output.modelSize'].enum),
  outputFormat: oneOf(...SETTINGS['output.format'].enum),
  outputQuality: isNumber,
  outputMaxKB: isNumber,
  transparent: isBoolean,
  rembgModel: oneOf(...REMBG_MODELS),
  alphaMatting: isBoolean,
  controlNet: (v): v is ControlUnitValues[] => Array.isArray(v) && v.length <= MAX_CONTROL_UNITS && v.every((unit) => hasShape(unit, CONTROL_UNIT_FIELDS)),
};

const GALLERY_ACTIONS = oneOf<GalleryAction>(
  'open',
  'reveal',
  'copyPath',
  'insert',
  'useAsSource',
  'reuse',
  'parameters',
  'upscale',
  'describe',
  'operations',
  'delete',
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Exactly these keys, each passing its guard. */
/** A key that may be left out (and is then not there at all). */
const OPTIONAL = new WeakSet<Guard<unknown>>();
function optional<T>(guard: Guard<T>): Guard<T> {
  const wrapped: Guard<T> = (v): v is T => guard(v);
  OPTIONAL.add(wrapped);
  return wrapped;
}

/** The largest inpainting mask or padded source accepted from the page: a 4096² PNG, base64. */
const MAX_MASK_CHARS = 96 * 1024 * 1024;

function hasShape(value: unknown, shape: Record<string, Guard<unknown>>): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  const required = Object.entries(shape).filter(([, guard]) => !OPTIONAL.has(guard));
  return keys.every((key) => Object.prototype.hasOwnProperty.call(shape, key) && shape[key]?.(value[key]) === true) && required.every(([key]) => key in value);
}

const MESSAGES: Record<WebviewToHost['type'], Record<string, Guard<unknown>>> = {
  ready: {},
  generate: {
    form: (v): v is FormValues => hasShape(v, FORM_FIELDS),
    mask: optional(shortString(MAX_MASK_CHARS)),
    extended: optional(shortString(MAX_MASK_CHARS)),
  },
  sourceData: {},
  pickControlImage: { unit: (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < MAX_CONTROL_UNITS },
  setControlImage: {
    unit: (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < MAX_CONTROL_UNITS,
    path: shortString(4096),
  },
  formState: { form: (v): v is FormValues => hasShape(v, FORM_FIELDS) },
  cancel: { jobId: shortString(100) },
  selectModel: { title: shortString(1000) },
  refreshServer: {},
  selectServer: { name: shortString(200) },
  usePool: {},
  pickSource: {},
  setSource: { path: shortString(4096) },
  clearSource: {},
  galleryAction: { action: GALLERY_ACTIONS, id: shortString(100) },
  failureAction: { id: oneOf(...FAILURE_ACTION_IDS) },
  pickCandidate: { offerId: shortString(100), index: (v): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 64 },
  dismissCandidates: { offerId: shortString(100) },
};

/** The message if it is one the protocol defines, exactly; otherwise undefined. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isRecord(value) || !isString(value.type) || !Object.prototype.hasOwnProperty.call(MESSAGES, value.type)) return undefined;
  const { type, ...rest } = value;
  return hasShape(rest, MESSAGES[type as WebviewToHost['type']]) ? (value as WebviewToHost) : undefined;
}
