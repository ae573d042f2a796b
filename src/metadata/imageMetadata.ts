// The generation parameters stored in an image file, wherever its format keeps them.

import { readExifUserComment } from '../image/exif';
import { sniffImageFormat } from '../image/format';
import { readPngText } from '../image/pngText';
import { parseInfotext, type Infotext } from './infotext';

export interface StoredParameters {
  /** The infotext as stored. */
  text: string;
  infotext: Infotext;
  /** Where it was found, for the user ("PNG text chunk", "EXIF UserComment"). */
  source: 'png-text' | 'exif-user-comment';
}

/** Reads the `parameters` text (PNG) or the EXIF UserComment (JPEG, WebP); undefined when there is none. */
export function readStoredParameters(bytes: Uint8Array): StoredParameters | undefined {
  const format = sniffImageFormat(bytes);
  let text: string | undefined;
  let source: StoredParameters['source'] = 'png-text';
  if (format === 'png') {
    text = readPngText(bytes).get('parameters');
  } else if (format === 'jpeg' || format === 'webp') {
    text = readExifUserComment(bytes, format);
    source = 'exif-user-comment';
  }
  if (text === undefined || text.trim() === '') return undefined;
  return { text, infotext: parseInfotext(text), source };
}
