// Convert to the format a project ships: PNG re-compressed losslessly, WebP, JPEG or AVIF at a
// quality, or at the best quality that fits a size budget ("under 200 KB"). The generation
// parameters travel in every format: PNG's `parameters` text (the writer adds it), JPEG's and
// WebP's EXIF UserComment as A1111 writes it (AVIF carries none). No `vscode`; the library is passed in.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';
import { unreadable } from './imageFailure';
import { withUserComment } from '../image/exifWrite';
import type { ImageFormat } from '../image/format';
import type { Sharp } from '../imaging/library';
import type { OutputFormat } from '../shared/outputShape';

export interface ConvertChoice {
  format: OutputFormat;
  /** WebP and JPEG: 1..100 (default 82). Ignored with a budget. */
  quality?: number | undefined;
  /** The most bytes the file may have: the best quality that fits is chosen (WebP, JPEG). */
  budgetBytes?: number | undefined;
}

export const DEFAULT_QUALITY = 82;
const FORMAT_NAMES = { jpeg: 'JPEG', webp: 'WebP', avif: 'AVIF' } as const;
/** Below this a budget is not met by lowering the quality further: the image needs to be smaller. */
export const MIN_BUDGET_QUALITY = 30;

/** "80" → quality 80; "200KB", "200 kb", "1.5 MB" → a budget; undefined when it is neither. */
export function parseQualityOrBudget(text: string): Pick<ConvertChoice, 'quality' | 'budgetBytes'> | undefined {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 100) return { quality: Number(trimmed) };
  const budget = /^(\d+(?:\.\d+)?)\s*(kb|mb)$/i.exec(trimmed);
  if (!budget) return undefined;
  return { budgetBytes: Math.round(Number(budget[1]) * (budget[2]!.toLowerCase() === 'mb' ? 1024 * 1024 : 1024)) };
}

export async function convertImage(
  sharp: Sharp,
  source: { bytes: Uint8Array; name: string },
  choice: ConvertChoice,
  /** The source's generation parameters, carried into JPEG and WebP here (PNG: by the writer). */
  parameters?: string,
): Promise<{ bytes: Buffer; format: ImageFormat; quality?: number }> {
  try {
    try {
      await sharp(source.bytes).metadata();
    } catch (error) {
      throw unreadable(source.name, error, 'read');
    }
    const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;
    if (choice.format === 'png') {
      const bytes = await sharp(source.bytes).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
      if (choice.budgetBytes !== undefined && bytes.length > choice.budgetBytes) {
        throw new UserError(
          l10n.t(
            '{0} is {1} as a PNG, over the {2} budget: PNG is lossless, so choose WebP or JPEG, or resize it first.',
            source.name,
            kb(bytes.length),
            kb(choice.budgetBytes),
          ),
        );
      }
      return { bytes, format: 'png' };
    }
    const format = choice.format;
    const encode = async (quality: number) => {
      const image = sharp(source.bytes);
      // Effort 2 of 9: 0.2 s instead of 3.0 s for a 512² photo-like image in the WebAssembly
      // build (the default 4), and 4 % smaller there. AVIF carries no parameters (nothing reads them back).
      if (format === 'avif') return image.avif({ quality, effort: 2 }).toBuffer();
      const encoded =
        format === 'jpeg'
          ? await image.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true }).toBuffer()
          : await image.webp({ quality }).toBuffer();
      return (parameters ? withUserComment(encoded, format, parameters) : undefined) ?? encoded;
    };
    if (choice.budgetBytes === undefined) {
      const quality = choice.quality ?? DEFAULT_QUALITY;
      return { bytes: await encode(quality), format, quality };
    }
    // The best quality that fits: a binary search over MIN_BUDGET_QUALITY..95 (size grows with quality).
    let low = MIN_BUDGET_QUALITY;
    let high = 95;
    let best: { bytes: Buffer; quality: number } | undefined;
    const smallest = await encode(low);
    if (smallest.length > choice.budgetBytes) {
      throw new UserError(
        l10n.t(
          '{0} does not fit in {1} as {2}: at quality {3} it is still {4}. Resize it first, or allow more.',
          source.name,
          kb(choice.budgetBytes),
          FORMAT_NAMES[format],
          MIN_BUDGET_QUALITY,
          kb(smallest.length),
        ),
      );
    }
    best = { bytes: smallest, quality: low };
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const bytes = await encode(middle);
      if (bytes.length <= choice.budgetBytes) {
        best = { bytes, quality: middle };
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { bytes: best.bytes, format, quality: best.quality };
  } catch (error) {
    if (error instanceof UserError) throw error;
    // A header that reads but pixels that do not: a truncated or damaged file.
    throw unreadable(source.name, error, 'convert');
  }
}
