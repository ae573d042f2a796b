import * as assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { maskCoverage } from '../../src/image/pngPixels';
import { CHROMIUM, CHROMIUM_ARGS } from '../harness/codeServer';

/**
 * The mask reader against the encoder the panel's mask editor will use: Chromium's canvas
 * (its own choice of row filters and compression), not a test helper of ours.
 */
describe("inpainting masks from Chromium's canvas (image/pngPixels.ts)", function () {
  this.timeout(30_000);
  let browser: Browser;

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(() => browser?.close());

  it('reads what is painted on a canvas: a brush stroke, nothing, everything', async () => {
    const page = await browser.newPage();
    try {
      const masks = await page.evaluate(() => {
        const draw = (paint: (context: CanvasRenderingContext2D) => void) => {
          const canvas = document.createElement('canvas');
          canvas.width = 200;
          canvas.height = 100;
          const context = canvas.getContext('2d')!;
          context.fillStyle = '#000';
          context.fillRect(0, 0, 200, 100);
          paint(context);
          return canvas.toDataURL('image/png').split(',')[1];
        };
        return {
          stroke: draw((c) => {
            c.fillStyle = '#fff';
            c.fillRect(50, 0, 50, 100); // a quarter of the canvas
          }),
          none: draw(() => undefined),
          all: draw((c) => {
            c.fillStyle = '#fff';
            c.fillRect(0, 0, 200, 100);
          }),
        };
      });
      const read = (base64: string) => maskCoverage(Buffer.from(base64, 'base64'));
      assert.deepEqual(read(masks.stroke), { width: 200, height: 100, painted: 0.25 });
      assert.equal(read(masks.none)?.painted, 0);
      assert.equal(read(masks.all)?.painted, 1);
    } finally {
      await page.close();
    }
  });
});
