import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../harness/codeServer';
import { openPanelPage, startPageServer, type PageServer, type PanelPage } from './pageServer';
import { fullPanelState, imageToImageState } from './panelStates';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = path.join(REPO, 'test-results');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
  passes: unknown[];
}

/** axe-core (WCAG 2.1 A and AA, and best practices) on the panel with every section open. */
describe('Generation panel accessibility (axe-core in Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: PageServer;
  let panel: PanelPage | undefined;
  const results: Record<string, { violations: number; passes: number }> = {};

  before(async () => {
    server = await startPageServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOTS, 'axe-results.json'), JSON.stringify(results, null, 2));
  });

  afterEach(async () => {
    await panel?.page.close();
    panel = undefined;
  });

  it('reaches every control by Tab alone, each with a visible focus outline', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
    panel = await openPanelPage(page, server.origin, { theme: 'dark' });
    await fullPanelState(panel, server.origin);
    const focusable = await page.evaluate(() => {
      const all = [...document.querySelectorAll<HTMLElement>('input, select, textarea, button, summary, a[href], [tabindex]')].filter(
        // A radio group is one Tab stop (its checked radio); the arrows move within it.
        (el) =>
          el.offsetParent !== null &&
          !(el as HTMLButtonElement).disabled &&
          el.tabIndex >= 0 &&
          !el.closest('[inert]') &&
          !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked),
      );
      all.forEach((el, i) => (el.dataset.k = String(i)));
      return all.map((el) => el.id || el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 30) || el.tagName);
    });
    assert.ok(focusable.length > 40, `the full panel has its controls (${focusable.length})`);
    await page.focus('#prompt');
    const reached = new Set<string>();
    const unmarked: string[] = [];
    for (let i = 0; i < focusable.length * 2 + 10; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const style = getComputedStyle(el);
        const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return { k: el.dataset.k ?? '', name: el.id || el.tagName, visible: outlined || style.boxShadow !== 'none' };
      });
      if (!focused) continue;
      reached.add(focused.k);
      if (!focused.visible) unmarked.push(focused.name);
    }
    assert.deepEqual(
      focusable.filter((_, i) => !reached.has(String(i))),
      [],
      'every control is reached by Tab',
    );
    assert.deepEqual([...new Set(unmarked)], [], 'the focused control shows where focus is');
    await page.focus('#mode-txt2img');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => (document.getElementById('mode-img2img') as HTMLInputElement).checked), true, 'the arrows choose the mode');
  });

  const states = { 'text to image': fullPanelState, 'image to image with the mask editor': imageToImageState };
  for (const theme of ['light', 'dark', 'highContrast'] as const)
    for (const [state, enter] of Object.entries(states))
      it(`has no violations in the ${theme} theme: ${state}`, async () => {
        // axe is injected as a script: the page's nonce CSP would refuse it, so it is bypassed here only.
        const page = await browser.newPage({ viewport: { width: 1100, height: 820 }, bypassCSP: true });
        panel = await openPanelPage(page, server.origin, { theme });
        await enter(panel, server.origin);
        await page.addScriptTag({ content: AXE });
        const result = (await page.evaluate(() =>
          (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          }),
        )) as AxeResult;
        results[`${theme}, ${state}`] = { violations: result.violations.length, passes: result.passes.length };
        assert.deepEqual(
          result.violations.map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 6)
                .join(', ')}`,
          ),
          [],
        );
        assert.ok(result.passes.length > 20, 'axe really ran its rules');
      });
});
