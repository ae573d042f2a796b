// Serves the panel's real page (renderPanelHtml + the built script and stylesheet) to headless
// Chromium, with VS Code's theme variables and a stand-in for acquireVsCodeApi that records what
// the page posts. The host side is played by the test, through window.postMessage.

import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { renderPanelHtml } from '../../src/panel/panelHtml';
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { rembg } from '../server/extras';
import { renderPicture } from '../server/pictures';
import { themeCss, THEMES } from './themes';

const REPO = path.resolve(__dirname, '..', '..', '..');
export const NONCE = 'dGVzdC1ub25jZS0xMjM0NQ==';

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/panel') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as keyof typeof THEMES;
      const origin = `http://${req.headers.host}`;
      // `?lang=zh-cn`: as VS Code renders it in that display language (its bundle of l10n/).
      const language = url.searchParams.get('lang') ?? 'en';
      const bundle = path.join(REPO, 'l10n', `bundle.l10n.${language}.json`);
      const l10n = language !== 'en' && fs.existsSync(bundle) ? (JSON.parse(fs.readFileSync(bundle, 'utf8')) as Record<string, string>) : undefined;
      const html = renderPanelHtml({
        cspSource: origin,
        nonce: NONCE,
        scriptUri: `${origin}/dist/webview/panel.js`,
        styleUri: `${origin}/media/panel.css`,
        codiconUri: `${origin}/dist/webview/codicons/codicon.css`,
        language,
        l10n,
      })
        // VS Code puts the theme class on <body> and the variables on <html>.
        .replace('<body>', `<body class="${THEMES[theme].bodyClass}">`)
        .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n  <link rel="stylesheet"`);
      return send('text/html; charset=utf-8', html);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (url.pathname.startsWith('/theme/')) return send('text/css', themeCss(path.basename(url.pathname, '.css') as keyof typeof THEMES));
    if (url.pathname.startsWith('/images/')) {
      const seed = Number(path.basename(url.pathname, '.png')) || 1;
      // `?size=2048`: a larger picture (the mask editor's frame-time measurement).
      const size = Number(url.searchParams.get('size')) || 256;
      const picture = renderPicture({ width: size, height: size, seed });
      // `?transparent`: with its background removed, as the server's rembg answers.
      if (url.searchParams.has('transparent')) {
        void rembg({ input_image: picture.toString('base64') }).then((answer) =>
          send('image/png', Buffer.from((answer.body as { image: string }).image, 'base64')),
        );
        return;
      }
      return send('image/png', picture);
    }
    const file = path.join(REPO, path.normalize(url.pathname));
    const served = ['/dist/webview/panel.js', '/media/panel.css', '/dist/webview/codicons/codicon.css', '/dist/webview/codicons/codicon.ttf'];
    if (served.includes(url.pathname) && fs.existsSync(file)) {
      const type = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' }[path.extname(url.pathname)] ?? 'application/octet-stream';
      return send(type, fs.readFileSync(file));
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface PanelPage {
  page: Page;
  /** Messages the page posted to the host, in order. */
  sent(): Promise<WebviewToHost[]>;
  /** Delivers a message from the host. */
  receive(message: HostToWebview): Promise<void>;
  state(): Promise<unknown>;
  /** Problems the page reported: CSP violations, uncaught errors. */
  problems: string[];
}

/** Opens the panel page with a fake acquireVsCodeApi (and an optional saved webview state). */
export async function openPanelPage(
  page: Page,
  origin: string,
  options: { theme?: keyof typeof THEMES; state?: unknown; language?: string } = {},
): Promise<PanelPage> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.addInitScript((initialState) => {
    const w = window as unknown as { __sent: unknown[]; __state: unknown; acquireVsCodeApi: unknown };
    w.__sent = [];
    w.__state = initialState ?? undefined;
    let acquired = false;
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage: (message: unknown) => {
          // When the page says ready, its form is built and listening (the benchmark reads this).
          if ((message as { type?: string }).type === 'ready') (w as unknown as { __readyAt: number }).__readyAt = performance.now();
          w.__sent.push(JSON.parse(JSON.stringify(message)));
        },
        getState: () => w.__state,
        setState: (state: unknown) => {
          w.__state = JSON.parse(JSON.stringify(state));
        },
      };
    };
  }, options.state ?? null);
  await page.goto(`${origin}/panel?theme=${options.theme ?? 'dark'}${options.language ? `&lang=${options.language}` : ''}`);
  await page.waitForSelector('#form');
  return {
    page,
    problems,
    sent: () => page.evaluate(() => (window as unknown as { __sent: WebviewToHost[] }).__sent),
    receive: async (message) => {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      await page.waitForTimeout(20);
    },
    state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
  };
}
