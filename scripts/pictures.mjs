// The pictures users see: the Getting Started walkthrough's (media/walkthrough/*.png) and the
// README's (docs/images/*.png), cut from the screenshots the tests take of the extension as a
// user sees it (the packaged extension in code-server, the panel page in Chromium): run
// `npm test` (or the packaged-extension and webview tests), then `node scripts/pictures.mjs`.
// Each crop leaves out the window chrome, tooltips and notifications that are not about it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

const REPO = path.resolve(import.meta.dirname, '..');
const SHOTS = path.join(REPO, 'test-results');

// Screenshot coordinates at their own size (the VS Code ones are 1400 × 900).
const PICTURES = [
  { name: 'connect.png', from: 'vsix-set-server.png', crop: { left: 398, top: 4, width: 608, height: 128 } },
  { name: 'test.png', from: 'vsix-server-a1111-1.10.png', crop: { left: 760, top: 700, width: 640, height: 200 } },
  { name: 'generate.png', from: 'readme-generated.png', crop: { left: 0, top: 90, width: 1400, height: 810 } },
  { name: 'panel.png', from: 'webview-studio-light.png', crop: { left: 0, top: 0, width: 1100, height: 820 } },
  { name: 'gallery.png', from: 'webview-studio-light.png', crop: { left: 410, top: 170, width: 690, height: 650 } },
].map((picture) => ({ ...picture, out: path.join(REPO, 'media', 'walkthrough', picture.name) }));

// The README's, whole windows of the packaged extension (userScreenshot in runVsix.ts).
const FULL = { left: 0, top: 0, width: 1400, height: 900 };
PICTURES.push(
  { name: 'panel.png', from: 'readme-panel.png', crop: FULL, out: path.join(REPO, 'docs', 'images', 'panel.png'), width: 1200 },
  { name: 'generated.png', from: 'readme-generated.png', crop: FULL, out: path.join(REPO, 'docs', 'images', 'generated.png'), width: 1200 },
);

for (const picture of PICTURES) {
  const source = path.join(SHOTS, picture.from);
  if (!fs.existsSync(source)) {
    console.error(`missing ${picture.from}: run the tests that take it first`);
    process.exitCode = 1;
    continue;
  }
  fs.mkdirSync(path.dirname(picture.out), { recursive: true });
  await sharp(source)
    .extract(picture.crop)
    .resize({ width: Math.min(picture.width ?? 800, picture.crop.width), withoutEnlargement: true })
    .png({ palette: true, quality: 90, compressionLevel: 9 })
    .toFile(picture.out);
  console.log(`${path.relative(REPO, picture.out)}: ${(fs.statSync(picture.out).size / 1024).toFixed(0)} KB from ${picture.from}`);
}
