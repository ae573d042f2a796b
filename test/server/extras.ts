// The local server's extras tab: `POST /sdapi/v1/extra-single-image` as A1111 1.10 answers it
// (modules/api/api.py extras_single_image_api → postprocessing.run_extras): the upscaler names
// checked against the list, the image scaled by the factor, the source's `parameters` kept and
// a `postprocessing` text added, `html_info` as HTML. Unknown upscaler: 500 AssertionError.

import { imageLibrary } from '../../src/imaging/library';
import { sniffImageFormat } from '../../src/image/format';
import { imageSize } from '../../src/image/imageSize';
import { readPngText } from '../../src/image/pngText';
import { renderPicture } from './pictures';

/** A1111's list with nothing extra installed (names as `/sdapi/v1/upscalers` gives them). */
export const UPSCALERS = [
  { name: 'None', model_name: null, model_path: null, model_url: null, scale: 4 },
  { name: 'Lanczos', model_name: null, model_path: null, model_url: null, scale: 4 },
  { name: 'Nearest', model_name: null, model_path: null, model_url: null, scale: 4 },
  {
    name: 'R-ESRGAN 4x+',
    model_name: 'R-ESRGAN 4x+',
    model_path: 'https://github.com/xinntao/Real-ESRGAN/releases/download/v0.1.0/RealESRGAN_x4plus.pth',
    model_url: null,
    scale: 4,
  },
  {
    name: 'SwinIR 4x',
    model_name: 'SwinIR 4x',
    model_path: 'https://github.com/JingyunLiang/SwinIR/releases/download/v0.0/003_realSR_BSRGAN_DFOWMFC_s64w8_SwinIR-L_x4_GAN.pth',
    model_url: null,
    scale: 4,
  },
];

export interface ExtrasAnswer {
  status?: number;
  body: unknown;
}

/** A1111's 500 body for an exception in a handler. */
function a1111Error(error: string, errors: string): unknown {
  return { error, detail: '', body: '', errors };
}

export function upscale(body: Record<string, unknown>): ExtrasAnswer {
  const names = UPSCALERS.map((u) => u.name);
  const first = typeof body.upscaler_1 === 'string' ? body.upscaler_1 : 'None';
  const second = typeof body.upscaler_2 === 'string' ? body.upscaler_2 : 'None';
  for (const name of [first, second]) {
    if (!names.includes(name)) return { status: 500, body: a1111Error('AssertionError', `could not find upscaler named ${name}`) };
  }
  const factor = typeof body.upscaling_resize === 'number' ? body.upscaling_resize : 2;
  if (!(factor > 0))
    return {
      status: 422,
      body: { detail: [{ loc: ['body', 'upscaling_resize'], msg: 'ensure this value is greater than 0', type: 'value_error.number.not_gt' }] },
    };
  const image = typeof body.image === 'string' ? Buffer.from(body.image.replace(/^data:image\/\w+;base64,/, ''), 'base64') : Buffer.alloc(0);
  const format = sniffImageFormat(image);
  const size = format && imageSize(image, format);
  // A1111 decodes with PIL: anything else is a 500 from decode_base64_to_image.
  if (!format || !size) return { status: 500, body: a1111Error('HTTPException', 'Invalid encoded image') };
  const visibility = typeof body.extras_upscaler_2_visibility === 'number' ? body.extras_upscaler_2_visibility : 0;
  const info = [
    `Postprocess upscale by: ${factor}`,
    `Postprocess upscaler: ${first}`,
    ...(second !== 'None' && visibility > 0 ? [`Postprocess upscaler 2: ${second}`] : []),
  ].join(', ');
  const kept = format === 'png' ? readPngText(image).get('parameters') : undefined;
  const png = renderPicture({
    width: Math.round(size.width * factor),
    height: Math.round(size.height * factor),
    seed: image.length,
    text: { ...(kept ? { parameters: kept } : {}), postprocessing: info },
  });
  return { body: { html_info: `<p>${info}</p>`, image: png.toString('base64') } };
}

/** `POST /sdapi/v1/interrogate` (api.py interrogateapi): the image and a known model, else 404. */
export function interrogate(body: Record<string, unknown>): ExtrasAnswer {
  const image = typeof body.image === 'string' ? Buffer.from(body.image.replace(/^data:image\/\w+;base64,/, ''), 'base64') : Buffer.alloc(0);
  if (image.length === 0 || !sniffImageFormat(image)) return { status: 404, body: { error: 'HTTPException', detail: 'Image not found', body: '', errors: '' } };
  const model = typeof body.model === 'string' ? body.model : 'clip';
  if (model === 'clip') return { body: { caption: 'a red fox sitting in the snow, digital art, trending on artstation' } };
  if (model === 'deepdanbooru') return { body: { caption: 'fox, snow, no humans, animal focus, outdoors' } };
  return { status: 404, body: { error: 'HTTPException', detail: 'Model not found', body: '', errors: '' } };
}

/** The rembg extension's models (postprocessing_rembg.py); its API takes any and fails on others. */
export const REMBG_MODELS = ['u2net', 'isnet-general-use', 'isnet-anime', 'u2netp', 'u2net_human_seg', 'u2net_cloth_seg', 'silueta'];

/**
 * `POST /rembg` (stable-diffusion-webui-rembg scripts/api.py @a4c07b8): `null` for model "None",
 * a 500 for a model rembg does not know, else the image with a transparent background (here: all
 * but a centred ellipse), as PNG.
 */
export async function rembg(body: Record<string, unknown>): Promise<ExtrasAnswer> {
  const model = typeof body.model === 'string' ? body.model : 'u2net';
  if (!model || model === 'None') return { body: null };
  if (!REMBG_MODELS.includes(model))
    return { status: 500, body: { error: 'ValueError', detail: '', body: '', errors: `No session class found for model '${model}'` } };
  const image = typeof body.input_image === 'string' ? Buffer.from(body.input_image.replace(/^data:image\/\w+;base64,/, ''), 'base64') : Buffer.alloc(0);
  if (image.length === 0 || !sniffImageFormat(image))
    return { status: 500, body: { error: 'HTTPException', detail: 'Invalid encoded image', body: '', errors: '' } };
  const sharp = imageLibrary(); // the library the tests have
  const { width = 64, height = 64 } = await sharp(image).metadata();
  const ellipse = Buffer.from(
    `<svg width="${width}" height="${height}"><ellipse cx="${width / 2}" cy="${height / 2}" rx="${width / 3}" ry="${height / 3}" fill="#fff"/></svg>`,
  );
  const png = await sharp(image)
    .ensureAlpha()
    .composite([{ input: ellipse, blend: 'dest-in' }])
    .png()
    .toBuffer();
  return { body: { image: png.toString('base64') } };
}
