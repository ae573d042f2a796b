// An image-to-image result records its source (metadata/sourceInfotext.ts) in the infotext it is
// saved with, whatever its format: PNG's `parameters` text, or the EXIF UserComment of a JPEG or
// WebP. Pure: the part in, the part with its images' infotext and bytes changed out.

import { withUserComment } from '../image/exifWrite';
import { setPngText } from '../image/pngText';
import { readStoredParameters } from '../metadata/imageMetadata';
import { infotextFromRequest } from '../output/infotext';
import type { CompletedGeneration } from './request';
import { withParams } from './shapeOutput';

export function withSourceRecorded(part: CompletedGeneration, params: [string, string][]): CompletedGeneration {
  const images = part.result.images.map((image) => {
    const stored = image.infotext ?? readStoredParameters(image.bytes)?.text ?? infotextFromRequest(part.parameters, image.seed);
    const infotext = withParams(stored, params);
    const bytes =
      image.format === 'png'
        ? setPngText(image.bytes, 'parameters', infotext)
        : image.format === 'jpeg' || image.format === 'webp'
          ? (withUserComment(image.bytes, image.format, infotext) ?? image.bytes)
          : image.bytes;
    return { ...image, bytes, infotext };
  });
  return { ...part, result: { ...part.result, images } };
}
