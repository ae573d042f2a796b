// A web icon set from one square image, in one step: favicon.ico (16, 32 and 48 px as PNG
// entries), apple-touch-icon.png (180, opaque), icon-192.png, icon-512.png (the sizes
// configurable) and a maskable 512 whose content sits inside the 80 % safe zone; plus the <link>
// tags and the web manifest's `icons` entries that name them; Android launcher mipmaps and an
// iOS AppIcon set on request. No `vscode`; the library is passed in.

import * as l10n from '@vscode/l10n';
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
  /** The web PNG icons' sizes (default 192, 512); the manifest and link tags name them. */
  pngSizes?: readonly number[];
  /** Platform sets beside the web one: Android launcher mipmaps, an iOS AppIcon set. */
  platforms?: readonly Platform[];
}

export type Platform = 'android' | 'ios';

export const DEFAULT_FAVICON_SIZES = [16, 32, 48] as const;
export const DEFAULT_PNG_SIZES = [192, 512] as const;
/** The maskable icon's content fills this share of its side (the W3C safe zone is a circle of 80 %). */
const MASKABLE_CONTENT = 0.8;
/** Android's launcher icon per density (legacy mipmaps, which every launcher reads). */
const ANDROID_DENSITIES = [
  ['mdpi', 48],
  ['hdpi', 72],
  ['xhdpi', 96],
  ['xxhdpi', 144],
  ['xxxhdpi', 192],
] as const;
/** Xcode 14+ makes every iOS size from one opaque 1024 px icon. */
const IOS_CONTENTS = {
  images: [{ filename: 'AppIcon-1024.png', idiom: 'universal', platform: 'ios', size: '1024x1024' }],
  info: { author: 'xcode', version: 1 },
};

export async function makeIconSet(sharp: Sharp, source: { bytes: Uint8Array; name: string }, options: IconSetOptions): Promise<IconFile[]> {
  if (!/^#[0-9a-f]{6}$/i.test(options.background))
    throw new UserError(l10n.t('"{0}" is not a colour: write it as #rrggbb, such as #ffffff.', options.background));
  const faviconSizes = options.faviconSizes ?? DEFAULT_FAVICON_SIZES;
  const pngSizes = options.pngSizes ?? DEFAULT_PNG_SIZES;
  for (const size of [...faviconSizes, ...pngSizes]) {
    if (!Number.isInteger(size) || size < 16 || size > 1024)
      throw new UserError(l10n.t('An icon size must be a whole number of pixels from 16 to 1024, not {0}.', size));
  }
  if (faviconSizes.some((size) => size > 256)) throw new UserError(l10n.t('A favicon holds sizes up to 256 pixels.'));
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(source.bytes).metadata());
  } catch (error) {
    throw unreadable(source.name, error, 'read');
  }
  if (!width || !height || width !== height) {
    throw new UserError(
      l10n.t('{0} is {1} × {2}: an icon set starts from a square image. Resize it to a square first (Resize Image…, cover).', source.name, width, height),
    );
  }
  const png = (size: number) => sharp(source.bytes).resize(size, size, { kernel: 'lanczos3' }).png({ compressionLevel: 9 }).toBuffer();
  const opaque = (size: number) =>
    sharp(source.bytes).resize(size, size, { kernel: 'lanczos3' }).flatten({ background: options.background }).png({ compressionLevel: 9 }).toBuffer();
  const platforms = options.platforms ?? [];
  try {
    const inner = Math.round(512 * MASKABLE_CONTENT);
    const pad = (512 - inner) >> 1;
    const [favicons, apple, pngs, maskable, android, ios] = await Promise.all([
      Promise.all(faviconSizes.map(async (size) => ({ size, png: await png(size) }))),
      opaque(180),
      Promise.all(pngSizes.map(async (size) => ({ name: `icon-${size}.png`, bytes: await png(size) }))),
      sharp(source.bytes)
        .resize(inner, inner, { kernel: 'lanczos3' })
        .extend({ top: pad, bottom: 512 - inner - pad, left: pad, right: 512 - inner - pad, background: options.background })
        .flatten({ background: options.background })
        .png({ compressionLevel: 9 })
        .toBuffer(),
      platforms.includes('android')
        ? Promise.all(ANDROID_DENSITIES.map(async ([density, size]) => ({ name: `android/mipmap-${density}/ic_launcher.png`, bytes: await png(size) })))
        : [],
      platforms.includes('ios') ? opaque(1024) : undefined,
    ]);
    return [
      { name: 'favicon.ico', bytes: icoOf(favicons) },
      { name: 'apple-touch-icon.png', bytes: apple },
      ...pngs,
      { name: 'icon-maskable-512.png', bytes: maskable },
      ...android,
      ...(ios
        ? [
            { name: 'ios/AppIcon.appiconset/AppIcon-1024.png', bytes: ios },
            { name: 'ios/AppIcon.appiconset/Contents.json', bytes: Buffer.from(`${JSON.stringify(IOS_CONTENTS, null, 2)}\n`) },
          ]
        : []),
    ];
  } catch (error) {
    throw unreadable(source.name, error, 'icons');
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
export function iconLinkTags(folder: string, pngSizes: readonly number[] = DEFAULT_PNG_SIZES): string {
  const base = folder.replace(/\/+$/, '');
  const smallest = [...pngSizes].sort((a, b) => a - b)[0];
  return [
    `<link rel="icon" href="${base}/favicon.ico" sizes="any">`,
    ...(smallest ? [`<link rel="icon" type="image/png" sizes="${smallest}x${smallest}" href="${base}/icon-${smallest}.png">`] : []),
    `<link rel="apple-touch-icon" href="${base}/apple-touch-icon.png">`,
    `<link rel="manifest" href="/manifest.webmanifest">`,
  ].join('\n');
}

/** The web manifest's `icons` entries for the icons at `folder`. */
export function manifestIcons(
  folder: string,
  pngSizes: readonly number[] = DEFAULT_PNG_SIZES,
): { src: string; sizes: string; type: string; purpose?: string }[] {
  const base = folder.replace(/\/+$/, '');
  return [
    ...pngSizes.map((size) => ({ src: `${base}/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png' })),
    { src: `${base}/icon-maskable-512.png`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ];
}
