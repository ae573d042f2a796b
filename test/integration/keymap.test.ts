import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';

/**
 * The extension's keybindings against VS Code's own defaults on each platform. The web
 * workbench takes its platform from the browser's user agent, so the harness runs this suite
 * as Windows, macOS and Linux (runIntegration --keymaps); in the main run it is Linux.
 */
type Platform = 'windows' | 'macos' | 'linux';

interface Binding {
  key: string;
  command: string;
  when?: string;
  mac?: string;
  linux?: string;
  win?: string;
}

const REPO = path.resolve(__dirname, '..', '..', '..');
const platform = (process.env.SD_TEST_KEYMAP_OS ?? 'linux') as Platform;

/** `Ctrl+Alt+G` and `alt+ctrl+g` are the same key: lower case, modifiers in one order. */
function normalize(key: string): string {
  return key
    .toLowerCase()
    .split(' ')
    .map((chord) => {
      const parts = chord.split('+');
      const last = parts.pop() ?? '';
      const order = ['ctrl', 'shift', 'alt', 'cmd', 'meta', 'win'];
      return [...parts.sort((a, b) => order.indexOf(a) - order.indexOf(b)), last].join('+');
    })
    .join(' ');
}

function ours(): Binding[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { keybindings?: Binding[] } };
  return (pkg.contributes.keybindings ?? []).map((binding) => ({
    ...binding,
    key: normalize((platform === 'macos' ? binding.mac : platform === 'windows' ? binding.win : binding.linux) ?? binding.key),
  }));
}

/** A `when` clause as a function of its atoms (`name`, `name == value`; `!=` is a negated `==`). */
type Condition = (truth: ReadonlyMap<string, boolean>) => boolean;

function parseWhen(text: string, atoms: Set<string>): Condition {
  const tokens = text.match(/\/(?:\\.|[^/])*\/[a-z]*|'[^']*'|&&|\|\||[!=]=|=~|>=|<=|[()!<>]|[^\s()!&|=<>]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const or = (): Condition => {
    const parts = [and()];
    while (peek() === '||') {
      at++;
      parts.push(and());
    }
    return (t) => parts.some((part) => part(t));
  };
  const and = (): Condition => {
    const parts = [unary()];
    while (peek() === '&&') {
      at++;
      parts.push(unary());
    }
    return (t) => parts.every((part) => part(t));
  };
  const unary = (): Condition => {
    if (peek() === '!') {
      at++;
      const inner = unary();
      return (t) => !inner(t);
    }
    if (peek() === '(') {
      at++;
      const inner = or();
      at++; // ')'
      return inner;
    }
    const name = tokens[at++] ?? '';
    const op = peek();
    if (op && ['==', '!=', '=~', '>', '<', '>=', '<=', 'in'].includes(op)) {
      at++;
      const atom = `${name} ${op === '!=' ? '==' : op} ${tokens[at++] ?? ''}`;
      atoms.add(atom);
      return op === '!=' ? (t) => !t.get(atom) : (t) => t.get(atom) === true;
    }
    atoms.add(name);
    return (t) => t.get(name) === true;
  };
  return or();
}

/** Where keyboard focus is: at most one of these holds at a time. */
const FOCUS = ['editorTextFocus', 'terminalFocus', "focusedView == 'workbench.panel.repl.view'", 'inQuickOpen'];

/** Whether both clauses can hold at once (every assignment of their atoms, focus exclusive). */
function canOverlap(first: string | undefined, second: string | undefined): boolean {
  const atoms = new Set<string>();
  const a = parseWhen(first ?? 'true', atoms);
  const b = parseWhen(second ?? 'true', atoms);
  atoms.delete('true');
  const names = [...atoms];
  if (names.length > 16) return true; // too many to enumerate: count it as a clash
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const truth = new Map<string, boolean>([['true', true]]);
    names.forEach((name, i) => truth.set(name, (mask & (1 << i)) !== 0));
    if (FOCUS.filter((focus) => truth.get(focus)).length > 1) continue;
    if (a(truth) && b(truth)) return true;
  }
  return false;
}

async function defaultKeymap(): Promise<Binding[]> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  const text = vscode.window.activeTextEditor?.document.getText() ?? '';
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  const bindings = parse(text) as Binding[];
  return bindings.filter((binding) => !binding.command.startsWith('sdStudio.') && !binding.command.startsWith('-'));
}

describe(`Keymap (${platform})`, () => {
  it('tells when clauses that can hold together from those that cannot', () => {
    assert.equal(canOverlap('editorTextFocus', 'terminalFocus && terminalHasBeenCreated'), false);
    assert.equal(canOverlap('!terminalFocus', "terminalFocus || focusedView == 'workbench.panel.repl.view'"), true);
    assert.equal(canOverlap("!terminalFocus && focusedView != 'workbench.panel.repl.view'", "focusedView == 'workbench.panel.repl.view'"), false);
    assert.equal(canOverlap(undefined, 'editorHasSelection && !editorReadonly'), true);
    assert.equal(canOverlap('editorTextFocus', 'resourceExtname =~ /\\.(png|jpe?g)$/ && !inQuickOpen'), true);
  });

  it(`our keybindings clash with none of VS Code's defaults on ${platform}`, async () => {
    const defaults = await defaultKeymap();
    // The workbench really is on that platform: keys only it binds this way.
    const copyDown = defaults.find((b) => b.command === 'editor.action.copyLinesDownAction')?.key;
    assert.equal(copyDown, { windows: 'shift+alt+down', macos: 'shift+alt+down', linux: 'ctrl+shift+alt+down' }[platform]);
    assert.equal(
      defaults.some((b) => b.key.includes('cmd+')),
      platform === 'macos',
      'cmd+ keys only on macOS',
    );
    const dump = path.join(REPO, 'test-results', `keymap-${platform}.json`);
    fs.mkdirSync(path.dirname(dump), { recursive: true });
    fs.writeFileSync(dump, JSON.stringify(defaults, null, 1));

    const mine = ours();
    assert.ok(mine.length >= 2, 'Generate Image from Selection and Open Generation Panel have keys');
    for (const binding of mine) {
      const taken = defaults.filter((b) => {
        const key = normalize(b.key);
        // The same key, or ours as the first chord of theirs (it would swallow the chord).
        const collides = key === binding.key || key.startsWith(`${binding.key} `) || binding.key.startsWith(`${key} `);
        return collides && canOverlap(binding.when, b.when);
      });
      assert.deepEqual(
        taken.map((b) => `${b.key} ${b.command} when ${b.when ?? 'always'}`),
        [],
        `${binding.key} (${binding.command}) is free on ${platform}`,
      );
    }
  });
});
