// The import graph of src/ between folders, read from the sources (a short script rather than
// a dependency: the rules are two, and TypeScript's own scanner would pull in more than it
// saves). `node out/test/support/importGraph.js` prints it; test/unit/architecture.test.ts
// fails on a cycle between folders or on `vscode` in the pure core.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

/** Folders (and single files) that must run without VS Code: unit-tested in plain Node. */
export const PURE = [
  'sdapi/',
  'image/',
  'shared/',
  'errors/',
  'metadata/',
  'recipes/manifest.ts',
  'recipes/effective.ts',
  'references/imageReferences.ts',
  'webview/',
  'generation/generationService.ts',
  'generation/jobQueue.ts',
  'generation/payload.ts',
  'generation/prompt.ts',
  'generation/progressText.ts',
  'generation/progressWatch.ts',
  'generation/requestExtras.ts',
  'generation/request.ts',
  'generation/fromParameters.ts',
  'generation/emitter.ts',
  'generation/types.ts',
  'generation/serverJob.ts',
  'generation/pollSchedule.ts',
  'generation/poolPlan.ts',
  'generation/poolMembers.ts',
  'generation/poolDispatch.ts',
  'generation/poolJob.ts',
  'imageOps/',
  'agentTools/toolNames.ts',
  'output/fileNames.ts',
  'output/infotext.ts',
  'output/workspacePath.ts',
  'panel/messageGuards.ts',
  'panel/panelHtml.ts',
  'panel/references.ts',
];

export interface Import {
  from: string;
  /** A file under src/ (relative, with .ts) or a package name. */
  to: string;
  typeOnly: boolean;
}

export function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:([^'"]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;

export function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[3];
    // `import type …`, or `import { type A, type B }` where every name is a type.
    const names = /^\{([^}]*)\}$/
      .exec((match[2] ?? '').trim())?.[1]
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const typeOnly = match[1] !== undefined || (names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type ')));
    const to = specifier.startsWith('.') ? resolveLocal(file, specifier) : specifier;
    found.push({ from: file, to, typeOnly });
  }
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return fs.existsSync(path.join(SRC, `${joined}.ts`)) ? `${joined}.ts` : `${joined}/index.ts`;
}

/** `commands/generate.ts` -> `commands`; files at the root are their own node. */
export function folderOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
}

/** Folder -> folders it imports (type-only imports included: they are dependencies too). */
export function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const { to } of importsOf(file)) {
      if (!to.endsWith('.ts')) continue;
      const target = folderOf(to);
      if (target !== from) edges.add(target);
    }
  }
  return graph;
}

/** Every cycle between folders, as paths `a -> b -> a`. */
export function folderCycles(graph = folderGraph()): string[] {
  const cycles: string[] = [];
  const visit = (node: string, trail: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) cycles.push([...trail.slice(at), next].join(' -> '));
      else visit(next, [...trail, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...new Set(cycles.map(canonical))];
}

function canonical(cycle: string): string {
  const nodes = cycle.split(' -> ').slice(0, -1);
  const start = nodes.indexOf([...nodes].sort()[0]);
  const rotated = [...nodes.slice(start), ...nodes.slice(0, start)];
  return [...rotated, rotated[0]].join(' -> ');
}

export function isPure(file: string): boolean {
  return PURE.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
}

/** Pure files that import `vscode`, directly or through a chain of value (non-type) imports. */
export function vscodeInPureCore(): string[] {
  const files = new Set(sourceFiles());
  // A file that moved would otherwise leave the check quietly checking nothing.
  const problems = PURE.filter((entry) => (entry.endsWith('/') ? ![...files].some((file) => file.startsWith(entry)) : !files.has(entry))).map(
    (entry) => `${entry} is listed as pure but does not exist`,
  );
  for (const file of sourceFiles().filter(isPure)) {
    const seen = new Set<string>();
    const walk = (current: string, chain: string[], direct: boolean): void => {
      for (const imported of importsOf(current)) {
        if (imported.to === 'vscode' && (direct || !imported.typeOnly)) problems.push([...chain, 'vscode'].join(' -> '));
        if (!imported.to.endsWith('.ts') || imported.typeOnly || seen.has(imported.to)) continue;
        seen.add(imported.to);
        walk(imported.to, [...chain, imported.to], false);
      }
    };
    walk(file, [file], true);
  }
  return problems;
}

if (require.main === module) {
  for (const [folder, targets] of [...folderGraph()].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${folder.padEnd(14)} -> ${[...targets].sort().join(', ') || '(nothing)'}`);
  }
  const cycles = folderCycles();
  console.log(cycles.length === 0 ? 'no cycles between folders' : `cycles:\n${cycles.join('\n')}`);
  const impure = vscodeInPureCore();
  console.log(impure.length === 0 ? 'no vscode in the pure core' : `vscode in the pure core:\n${impure.join('\n')}`);
}
