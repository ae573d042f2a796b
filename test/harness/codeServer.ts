// A real VS Code for tests, offline: code-server 4.100.3 (VS Code 1.100.3, the last line on
// node 20) with its Node extension host, driven by Debian's Chromium through playwright-core.
// See ../shared/notes/vscode-host-testing.md for the facts behind each step.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless Chromium on a machine with a closed network: no background connections, no sandbox (root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function log(message: string): void {
  console.log(`[harness] ${message}`);
}

/**
 * Installs code-server into .vscode-test/ on first use (like test-electron's download), so
 * `npm ci` stays lean. Its ripgrep postinstall would download a binary: we hand it Debian's rg
 * in the cache file it checks first.
 */
export function ensureCodeServer(): string {
  if (fs.existsSync(ENTRY)) return ENTRY;
  for (const tool of [CHROMIUM, 'rg']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} is missing: install the Debian packages chromium and ripgrep (see .ci/run).`);
    }
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, CACHE_DIR)} (once)`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-codeserver-install-'));
  const rgCache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  fs.mkdirSync(rgCache, { recursive: true });
  const rgDir = fs.mkdtempSync(path.join(tmp, 'rg-'));
  const rgPath = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  fs.copyFileSync(rgPath, path.join(rgDir, 'rg'));
  run('tar', ['-C', rgDir, '-czf', path.join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), 'rg']);
  // allowScripts: npm 12 runs no dependency install script unless allowed; these build VS Code.
  fs.writeFileSync(
    path.join(CACHE_DIR, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CACHE_DIR,
    env: {
      ...process.env,
      TMPDIR: tmp,
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
    },
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!fs.existsSync(ENTRY)) throw new Error(`code-server did not install: ${ENTRY} is missing`);
  return ENTRY;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with status ${result.status}`);
}

export interface CodeServer {
  origin: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the server; the extension host inherits it. */
  env?: Record<string, string>;
  /** Extensions dir (a fresh one by default). */
  extensionsDir?: string;
  userSettings?: Record<string, unknown>;
  /** Port for the workbench (default: any free one). */
  port?: number;
  /** Ask whether to trust a folder, as VS Code does by default (off in tests otherwise). */
  workspaceTrust?: boolean;
}

export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-codeserver-'));
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(home, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        ...options.userSettings,
      },
      null,
      2,
    ),
  );
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${options.port ?? 0}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    {
      detached: true, // own process group: stop() ends the extension host too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
        EXTENSIONS_GALLERY: '{}',
        SD_TEST_USER_DATA_DIR: userDataDir,
        ...options.env,
      },
    },
  );
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.SD_HARNESS_VERBOSE) process.stderr.write(chunk);
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    origin,
    userDataDir,
    extensionsDir,
    stop: () => stopProcessGroup(child, home),
  };
}

async function stopProcessGroup(child: ChildProcess, home: string): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(home, { recursive: true, force: true });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile (persistent contexts accept the profile dir). */
export async function launchBrowser(viewport = { width: 1400, height: 900 }, userAgent?: string): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
    ...(userAgent ? { userAgent } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** The workbench URL for a folder, with development/test paths as `vscode-remote://` URIs. */
/** The workbench on `folder`, or an empty window (no folder) when it is undefined. */
export function workbenchUrl(server: CodeServer, folder: string | undefined, payload: [string, string][] = []): string {
  const authority = new URL(server.origin).host;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const entries = payload.map(([key, value]) => [key, key.endsWith('Path') ? remote(value) : value]);
  const query = new URLSearchParams({
    ...(folder === undefined ? { ew: 'true' } : { folder }),
    payload: JSON.stringify([...entries, ['skipWelcome', 'true']]),
  });
  return `${server.origin}/?${query.toString()}`;
}

/** Copies the fixture workspace to a fresh temp folder (tests write into it). */
export function freshWorkspace(): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-workspace-'));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), target, { recursive: true });
  return target;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(REPO_ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
