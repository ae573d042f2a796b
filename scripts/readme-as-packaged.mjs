/* global window, document -- evaluated in the page */
// A picture of the README as the marketplace shows it: the readme.md inside the packaged .vsix
// (after vsce rewrote its links), rendered with markdown-it in headless Chromium, one PNG per
// screenful. Images vsce pointed at the repository are shown from this checkout (offline).
//
//   npm run package && node scripts/readme-as-packaged.mjs   → test-results/readme-packaged-*.png

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { chromium } from 'playwright-core';

const REPO = path.resolve(import.meta.dirname, '..');
const VSIX = path.join(REPO, 'dist', 'stable-diffusion-studio.vsix');
const OUT = path.join(REPO, 'test-results');
const RAW = /https:\/\/github\.com\/[^/]+\/[^/]+\/raw\/HEAD\//g;

const packaged = execFileSync('unzip', ['-p', VSIX, 'extension/readme.md'], { encoding: 'utf8' });
const local = packaged.replace(RAW, `file://${REPO}/`);
const markdown = new MarkdownIt({ html: true, linkify: false });
markdown.validateLink = () => true; // file: images of this checkout stand in for the repository's
const body = markdown.render(local);
const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
  body { font: 14px/1.6 -apple-system, 'Segoe UI', 'WenQuanYi Micro Hei', sans-serif; max-width: 880px; margin: 24px auto; padding: 0 24px; color: #1f2328; }
  h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } code { background: #eff1f3; padding: .1em .3em; border-radius: 4px; font-size: 85%; }
  pre { background: #f6f8fa; padding: 12px; overflow: auto; } table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 4px 10px; }
  img { max-width: 100%; } a { color: #0969da; }
</style></head><body>${body}</body></html>`;
fs.mkdirSync(OUT, { recursive: true });
const page = path.join(OUT, 'readme-packaged.html');
fs.writeFileSync(page, html);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--allow-file-access-from-files'] });
const tab = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
await tab.goto(`file://${page}`);
await tab.waitForLoadState('networkidle');
for (const [i, y] of [0, 1300].entries()) {
  await tab.evaluate((top) => window.scrollTo(0, top), y);
  await tab.screenshot({ path: path.join(OUT, `readme-packaged-${i + 1}.png`) });
}
const links = await tab.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
console.log(`${links.length} links; not https or an anchor: ${JSON.stringify(links.filter((href) => !/^(https:|#)/.test(href ?? '')))}`);
await browser.close();
