// Measuring tools for the activation test, run inside the extension host.

// The module object itself (not an import copy), so patching it reaches the bundle's calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fs = require('node:fs');

/** Records synchronous `fs` calls made from code in `file` (found on the call stack) until stopped. */
export function watchSyncFs(file: string): { calls: string[]; stop(): void } {
  const calls: string[] = [];
  const patched = fs as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const name of Object.keys(fs).filter((key) => key.endsWith('Sync') && typeof patched[key] === 'function')) {
    const original = patched[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    patched[name] = function (this: unknown, ...args: unknown[]) {
      if (new Error().stack?.includes(file)) calls.push(`${name}(${String(args[0])})`);
      return original.apply(this, args);
    };
  }
  return {
    calls,
    stop: () => {
      for (const [name, original] of originals) patched[name] = original;
    },
  };
}

/**
 * Median time to require a fresh copy of `entry` (every cached module under `dir` dropped first).
 * The modules loaded before are put back after: the running extension's features bundle must
 * find the activation bundle it was loaded by, not a measured copy.
 */
export function freshRequireMs(entry: string, dir: string, runs: number): number {
  const loaded = Object.entries(require.cache).filter(([key]) => key.startsWith(dir));
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load is what is measured
    require(entry);
    times.push(performance.now() - started);
  }
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
  for (const [key, module] of loaded) require.cache[key] = module;
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
