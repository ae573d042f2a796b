// The extension's icon (media/icon.png, 256 × 256 as the marketplace asks), drawn as SVG and
// rendered with sharp: a framed picture with a sun and hills, and the sparkles of generation.
//
//   node scripts/make-icon.mjs

import { Buffer } from 'node:buffer';
import * as path from 'node:path';
import sharp from 'sharp';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#6d4cf5"/>
      <stop offset="0.55" stop-color="#b04fd8"/>
      <stop offset="1" stop-color="#f2708e"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" fill="url(#bg)"/>
  <rect x="46" y="78" width="120" height="120" rx="20" fill="none" stroke="#fff" stroke-width="12"/>
  <circle cx="84" cy="118" r="12" fill="#fff"/>
  <path d="M58 186 L96 146 L118 166 L138 142 L158 186 Z" fill="#fff"/>
  <path d="M186 34 C190 62 198 70 226 74 C198 78 190 86 186 114 C182 86 174 78 146 74 C174 70 182 62 186 34 Z" fill="#fff"/>
  <path d="M206 150 C208 164 212 168 226 170 C212 172 208 176 206 190 C204 176 200 172 186 170 C200 168 204 164 206 150 Z" fill="#fff"/>
</svg>`;

await sharp(Buffer.from(SVG))
  .png({ compressionLevel: 9, palette: false })
  .toFile(path.join(import.meta.dirname, '..', 'media', 'icon.png'));
