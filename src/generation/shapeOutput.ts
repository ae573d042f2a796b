// What the server made, turned into the file a project ships (shared/outputShape.ts): resized to
// the exact size (cover or contain), then encoded in the asked format at its quality or budget.
// The infotext follows: both sizes (A1111's `Size` is the one generated; `Output size` the
// file's), in a PNG's text chunk (the writer adds it) or a JPEG's and WebP's EXIF. No `vscode`;
// the image library is passed in (it loads on first use).

import type { Sharp } from '../imaging/library';
import { convertImage } from '../imageOps/convert';
import { resizeImage } from '../imageOps/resize';
import { parseInfotext, quoteValue } from '../metadata/infotext';
import type { GeneratedImage } from '../sdapi/types';
import { outputSizeParams, type OutputShape } from '../shared/outputShape';

export interface ShapeContext {
  /** The infotext that describes an image (the server's, or one made from the request). */
  infotextOf(image: GeneratedImage): string;
  /** Fields a PNG keeps as text chunks of their own (a recipe's hash): a JPEG or WebP keeps them in its infotext. */
  text?: Record<string, string>;
  /** The name failures speak of ("the image", "hero.webp"). */
  name: string;
}

/** True when the shape changes any of the images: an exact size, or a format to encode in. */
export function shapes(shape: OutputShape | undefined, images: readonly GeneratedImage[]): shape is OutputShape {
  if (!shape) return false;
  return shape.size !== undefined || images.some((image) => reencodes(shape, image.format));
}

function reencodes(shape: OutputShape, format: GeneratedImage['format']): boolean {
  const target = shape.format ?? format;
  return target !== format || (target === 'png' && shape.optimisePng === true);
}

export async function shapeImages(sharp: Sharp, images: readonly GeneratedImage[], shape: OutputShape, context: ShapeContext): Promise<GeneratedImage[]> {
  const shaped: GeneratedImage[] = [];
  for (const image of images) shaped.push(await shapeImage(sharp, image, shape, context));
  return shaped;
}

async function shapeImage(sharp: Sharp, image: GeneratedImage, shape: OutputShape, context: ShapeContext): Promise<GeneratedImage> {
  let { bytes, format } = image;
  let infotext = context.infotextOf(image);
  if (shape.size) {
    // Resized into a PNG: lossless until the one encode below.
    bytes = (await resizeImage(sharp, { bytes, format: 'png', name: context.name }, shape.size)).bytes;
    format = 'png';
    if (infotext) infotext = withParams(infotext, outputSizeParams(shape.size));
  }
  const target = shape.format ?? image.format;
  if (reencodes(shape, format) || target !== format) {
    const embedded = target === 'png' || !infotext ? infotext : withParams(infotext, Object.entries(context.text ?? {}));
    const converted = await convertImage(
      sharp,
      { bytes, name: context.name },
      { format: target, quality: shape.quality, budgetBytes: shape.budgetKB === undefined ? undefined : Math.round(shape.budgetKB * 1024) },
      embedded || undefined,
    );
    bytes = converted.bytes;
    format = converted.format;
  }
  return { bytes, format, seed: image.seed, ...(infotext ? { infotext } : {}) };
}

/** The infotext with more `Key: value` fields at the end of its parameters line (or on a line of their own). */
export function withParams(infotext: string, params: [string, string][]): string {
  if (params.length === 0) return infotext;
  const added = params.map(([key, value]) => `${key}: ${quoteValue(value)}`).join(', ');
  const text = infotext.trimEnd();
  return parseInfotext(text).params.length > 0 ? `${text}, ${added}` : `${text}\n${added}`;
}
