// Drives the VS Code workbench in Chromium the way a user does: palette, input boxes, editor,
// notifications. Used by the packaged-extension test and the demo.

import type { FrameLocator, Locator, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  // Let the extension host connect before sending keys.
  await page.waitForTimeout(1500);
}

/**
 * Opens Quick Open by clicking the title bar's command center: unlike a key press, this works
 * while focus is inside a webview (an image preview or our panel), which swallows keys.
 */
async function quickOpen(page: Page): Promise<void> {
  // An editor that opens just before (an image preview) can take focus and close Quick Open
  // again: try until it stays open.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.command-center .command-center-center').first().click();
    const opened = await appears(page.locator(QUICK_INPUT_BOX), 5000);
    await page.waitForTimeout(150);
    if (opened && (await page.locator(QUICK_INPUT_BOX).isVisible())) return;
    if (attempt === 4) throw new Error('Quick Open did not stay open');
  }
}

/** Opens Quick Open and types `text`; starts over when an editor opening meanwhile closed it. */
async function quickOpenWith(page: Page, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await quickOpen(page);
    const typed = await page
      .locator(QUICK_INPUT_BOX)
      .fill(text, { timeout: 5000 })
      .then(
        () => true,
        (error: unknown) => {
          if (attempt === 4) throw error;
          return false;
        },
      );
    if (typed) return;
  }
}

/** The command palette: type the command's title, run the first match. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const label = `[aria-label*="${title.replace(/"/g, '\\"')}"]`;
  // A fresh window on a busy machine can open the palette before it lists the extension's
  // commands (seen once, with other test runs loading it): close it and ask again, not wait on a stale list.
  for (let attempt = 1; ; attempt++) {
    await quickOpenWith(page, `>${title}`);
    const listed = await page.waitForSelector(`${QUICK_INPUT} .monaco-list-row${label}`, { timeout: 10_000 }).then(
      () => true,
      (error: unknown) => {
        if (attempt === 3) throw error;
        return false;
      },
    );
    if (listed) break;
    await page.keyboard.press('Escape');
  }
  // A fuzzier match can rank first ("Compare New Untitled Text Files"): then click ours.
  if ((await page.locator(`${QUICK_INPUT} .monaco-list-row.focused${label}`).count()) > 0) await page.locator(QUICK_INPUT_BOX).press('Enter');
  else await page.locator(`${QUICK_INPUT} .monaco-list-row${label}`).first().click();
}

/** Picks the entry labelled `label` in the quick pick that is open now (titled `expectedTitle`). */
export async function pickQuickItem(page: Page, expectedTitle: string, label: string): Promise<void> {
  await page.waitForSelector(`${QUICK_INPUT} .quick-input-title:has-text("${expectedTitle}")`, { state: 'visible', timeout: 15_000 });
  await page
    .locator(`${QUICK_INPUT} .monaco-list-row[aria-label*="${label.replace(/"/g, '\\"')}"]`)
    .first()
    .click();
}

/** Answers the input box that is open now (replacing any prefilled value). */
export async function answerInput(page: Page, expectedTitle: string, value: string): Promise<void> {
  await page.waitForSelector(`${QUICK_INPUT} .quick-input-title:has-text("${expectedTitle}")`, { state: 'visible', timeout: 15_000 });
  const box = page.locator(QUICK_INPUT_BOX);
  const step = (await page.locator(`${QUICK_INPUT} .quick-input-title`).textContent()) ?? '';
  await box.fill(value);
  // Under load the box can take Enter before it has taken the value (seen once: the username
  // step stayed open): press it again, on the box, if the step has not moved on. "Moved on" is
  // judged by the exact title and value: the next step's title often starts with this one's
  // ("Resize a.png" → "Resize a.png to 48 × 32: how"), and a second Enter there picks for us.
  for (let attempt = 1; attempt <= 2; attempt++) {
    await box.press('Enter');
    const moved = await page
      .waitForFunction(
        ([widget, title, input, text, typed]) => {
          const shown = document.querySelector<HTMLElement>(widget);
          if (!shown || shown.getClientRects().length === 0) return true; // closed: display none
          return document.querySelector(title)?.textContent !== text || document.querySelector<HTMLInputElement>(input)?.value !== typed;
        },
        [QUICK_INPUT, `${QUICK_INPUT} .quick-input-title`, QUICK_INPUT_BOX, step, value] as const,
        { timeout: 3000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (moved) return;
  }
}

/**
 * Answers VS Code's file or folder picker (a quick input) by typing `typedPath` (a folder ends
 * with "/"), as a user does: the picker fills in a folder after it opens and completes paths
 * while one types, so a pasted value would be overridden. Checks the path before accepting.
 */
export async function answerPathPicker(page: Page, expectedTitle: string, typedPath: string): Promise<void> {
  const box = page.locator(QUICK_INPUT_BOX);
  await page.waitForSelector(`${QUICK_INPUT} .quick-input-title:has-text("${expectedTitle}")`, { state: 'visible', timeout: 15_000 });
  await page.waitForFunction((selector) => document.querySelector<HTMLInputElement>(selector)?.value.startsWith('/'), QUICK_INPUT_BOX);
  for (let attempt = 1; ; attempt++) {
    await box.press('ControlOrMeta+A');
    await box.press('Backspace');
    await page.keyboard.type(typedPath, { delay: 20 });
    await page.waitForTimeout(500);
    const typed = await box.inputValue();
    if (typed === typedPath) break;
    if (attempt === 3) throw new Error(`the picker shows ${typed}, not ${typedPath}`);
  }
  await box.press('Enter');
}

/** Opens a workspace file by name with Quick Open (`name:line`) and selects that 1-based line. */
export async function openAndSelectLine(page: Page, fileName: string, line: number): Promise<void> {
  await quickOpenWith(page, `${fileName}:${line}`);
  // Enter takes the focused row: wait until filtering has put the file there.
  await page.waitForSelector(`${QUICK_INPUT} .monaco-list-row.focused[aria-label*="${fileName}"]`);
  await page.locator(QUICK_INPUT_BOX).press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${fileName}"]`);
  await page.waitForSelector('.editor-instance .monaco-editor.focused');
  // Keys pressed before the editor has moved its cursor to the line (a busy CI machine) select
  // nothing or another line: check the status bar says this line is selected, else press again.
  const selection = page.locator('.statusbar-item', { hasText: new RegExp(`^Ln ${line}, Col \\d+ \\(\\d+ selected\\)`) });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    const selected = await selection
      .first()
      .waitFor({ state: 'visible', timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (selected) return;
    if (attempt === 3) throw new Error(`line ${line} of ${fileName} is not selected: the status bar shows ${await statusBarSelection(page)}`);
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('ControlOrMeta+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
  }
}

async function statusBarSelection(page: Page): Promise<string> {
  const texts = await page.locator('.statusbar-item').allTextContents();
  return texts.find((text) => text.startsWith('Ln ')) ?? 'no cursor position';
}

export async function waitForNotification(page: Page, text: string, timeout = 30_000): Promise<string> {
  const toast = page.locator('.notification-toast .notification-list-item-message', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout });
  return (await toast.textContent()) ?? '';
}

/** Clicks a button of the visible notification that shows `text`. */
export async function clickNotificationButton(page: Page, text: string, button: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  const target = toast.locator('.monaco-button', { hasText: button }).first();
  await target.click();
  // A click while the toast slides in was once lost in CI (the button took the focus, the toast
  // stayed): an action closes its toast, so if it is still there, press the button as a keyboard user.
  const closed = await toast.waitFor({ state: 'hidden', timeout: 3000 }).then(
    () => true,
    () => false,
  );
  if (!closed) {
    await target.focus();
    await page.keyboard.press('Enter');
  }
}

/** Right-clicks a row of the Explorer (expanding folders on the way) and returns the menu's entries. */
export async function explorerContextMenu(page: Page, relativePath: string): Promise<string[]> {
  const parts = relativePath.split('/');
  for (const [index, name] of parts.entries()) {
    const row = page.locator(`.part.sidebar .monaco-list-row[aria-label="${name}"]`).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    if (index < parts.length - 1) {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    } else {
      await row.click({ button: 'right' });
    }
  }
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible' });
  return (await menu.locator('.action-label').allTextContents()).map((label) => label.trim()).filter(Boolean);
}

/** Clicks an entry of the open context menu. */
export async function clickMenuEntry(page: Page, label: string): Promise<void> {
  // Monaco menus act on the focused entry; a synthetic click on a label does not always reach it.
  await page.locator('.context-view .monaco-menu .action-label', { hasText: label }).first().hover();
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
}

export async function closeMenu(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
}

/** Right-clicks the given (1-based) line of the active editor and returns the menu's entries. */
export async function editorContextMenu(page: Page, line: number): Promise<string[]> {
  await page
    .locator('.editor-instance .monaco-editor .view-line')
    .nth(line - 1)
    .click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible' });
  return (await menu.locator('.action-label').allTextContents()).map((label) => label.trim()).filter(Boolean);
}

/**
 * The page inside our (visible) webview panel: VS Code nests it in two iframes, the outer one's
 * src naming the extension (an image preview beside it is a webview too).
 */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=sd-studio.stable-diffusion-studio"]').frameLocator('#active-frame');
}

/** The panel's page once the host's first message has filled it. */
export async function panelReady(page: Page): Promise<FrameLocator> {
  const frame = webviewFrame(page);
  await frame.locator('main.studio[aria-busy="false"]').waitFor({ timeout: 30_000 });
  return frame;
}

/** Whether `locator` shows up within `timeout` ms (false instead of a timeout error). */
export function appears(locator: Locator, timeout: number): Promise<boolean> {
  return locator.waitFor({ timeout }).then(
    () => true,
    () => false,
  );
}

/**
 * Waits until the extension sees the user's own server URL: code-server can hand the user's
 * settings to the extension host after the window opens (seen in CI: a generation right after
 * startup went to the default URL). Set Server… prefills the user's URL and asks nothing else.
 */
export async function waitForUserServerUrl(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Stable Diffusion: Set Server');
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Set Server (1/3)' }).waitFor({ state: 'visible', timeout: 15_000 });
    const shown = await page.locator(QUICK_INPUT_BOX).inputValue();
    await page.keyboard.press('Escape');
    if (shown === url) return;
    if (attempt === 10) throw new Error(`the user's server URL never reached the extension (it saw ${shown})`);
    await page.waitForTimeout(1000);
  }
}

/**
 * Runs `command` (Test Connection) until the workspace-server question shows: a command run before VS Code
 * applied the workspace's settings file still goes to the user's server (fine), so try again.
 */
export async function askedAboutWorkspaceServer(page: Page, question: Locator, command = 'Stable Diffusion: Test Connection'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, command);
    if (await appears(question, 5000)) return;
    if (attempt === 4) throw new Error("the workspace's server URL was never asked about");
    await page.waitForTimeout(1000);
  }
}
