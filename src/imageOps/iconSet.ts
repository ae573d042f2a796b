// A web icon set from one square image, in one step: favicon.ico (16, 32 and 48 px as PNG
// entries), apple-touch-icon.png (180, opaque), icon-192.png, icon-512.png and a maskable 512
// whose content sits inside the 80 % safe zone; plus the <link> tags and the web manifest's
// `icons` entries that name them. No `vscode`; the library is passed in.

import { UserError } from '../errors/userError';
import { unreadable } from './imageFailure';
import type { Sharp } from '../imaging/library';

export interface IconFile {
  name: string;
  bytes: Buffer;
}

export interface IconSetOptions {
  /** Behind the opaque icons (Apple's, and the maskable one's padding): #rrggbb. */
  background: string;
  /** The favicon's sizes (default 16, 32, 48). */
  faviconSizes?: readonly number[];
}

export const DEFAULT_FAVICON_SIZES = [16, 32, 48] as const;
/** The maskable icon's content fills this share of its side (the W3C safe zone is a circle of 80 %). */
const MASKABLE_CONTENT = 0.8;

export async function makeIconSet(sharp: Sharp, source: { bytes: Uint8Array; name: string }, options: IconSetOptions): Promise<IconFile[]> {
  if (!/^#[0-9a-f]{6}$/i.test(options.background)) throw new UserError(`"${options.background}" is not a colour: write it as #rrggbb, such as #ffffff.`);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(source.bytes).metadata());
  } catch (error) {
    throw unreadable(source.name, error, 'read as an image');
  }
  if (!width || !height || width !== height) {
    throw new UserError(`${source.name} is ${width} × ${height}: an icon set starts from a square image. Resize it to a square first (Resize Image…, cover).`);
  }
  const faviconSizes = options.faviconSizes ?? DEFAULT_FAVICON_SIZES;
  const png = (size: number) => sharp(source.bytes).resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 9 }).toBuffer();
  try {
    const inner = Math.round(512 * MASKABLE_CONTENT);
    const [favicons, apple, icon192, icon512, maskable] = await Promise.all([
      Promise.all(faviconSizes.map(async (size) => ({ size, png: await png(size) }))),
      sharp(source.bytes).resize(180, 180, { kernel: 'lanczos3' }).flatten({ background: options.background }).png({ compressionLevel: 9 }).toBuffer(),
      png(192),
      png(512),
      sharp(source.bytes)
        .resize(inner, inner, { kernel: 'lanczos3' })
        .extend({
          top: (512 - inner) >> 1,
          bottom: 512 - inner - ((512 - inner) >> 1),
          left: (512 - inner) >> 1,
          right: 512 - inner - ((512 - inner) >> 1),
          background: options.background,
        })
        .flatten({ background: options.background })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    ]);
    return [
      { name: 'favicon.ico', bytes: icoOf(favicons) },
      { name: 'apple-touch-icon.png', bytes: apple },
      { name: 'icon-192.png', bytes: icon192 },
      { name: 'icon-512.png', bytes: icon512 },
      { name: 'icon-maskable-512.png', bytes: maskable },
    ];
  } catch (error) {
    throw unreadable(source.name, error, 'made into icons');
  }
}

/** An ICO file whose entries are PNGs (every browser and Windows Vista+ read those). */
export function icoOf(entries: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(({ size, png }, index) => {
    const at = 6 + index * 16;
    header[at] = size >= 256 ? 0 : size; // 0 means 256
    header[at + 1] = size >= 256 ? 0 : size;
    header[at + 2] = 0; // no palette
    header[at + 3] = 0;
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...entries.map((entry) => entry.png)]);
}

/** The `<link>` tags for a page, with the icons at `folder` (a URL path such as /icons). */
export function iconLinkTags(folder: string): string {
  const base = folder.replace(/\/+$/, '');
  return [
    `<link rel="icon" href="${base}/favicon.ico" sizes="any">`,
    `<link rel="icon" type="image/png" sizes="192x192" href="${base}/icon-192.png">`,
    `<link rel="apple-touch-icon" href="${base}/apple-touch-icon.png">`,
    `<link rel="manifest" href="/manifest.webmanifest">`,
  ].join('\n');
}

/** The web manifest's `icons` entries for the icons at `folder`. */
export function manifestIcons(folder: string): { src: string; sizes: string; type: string; purpose?: string }[] {
  const base = folder.replace(/\/+$/, '');
  return [
    { src: `${base}/icon-192.png`, sizes: '192x192', type: 'image/png' },
    { src: `${base}/icon-512.png`, sizes: '512x512', type: 'image/png' },
    { src: `${base}/icon-maskable-512.png`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ];
}
