import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertCompleteTranslation } from '../support/translations';

const REPO = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Record<string, unknown>;

/** Every string of the manifest that VS Code shows goes through package.nls.json. */
function manifestStrings(value: unknown, keyPath: string, found: { path: string; text: string }[]): void {
  if (typeof value === 'string') {
    found.push({ path: keyPath, text: value });
    return;
  }
  if (Array.isArray(value)) value.forEach((item, i) => manifestStrings(item, `${keyPath}[${i}]`, found));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) manifestStrings(v, `${keyPath}.${k}`, found);
}

const SHOWN =
  /\.(title|displayName|description|markdownDescription|patternErrorMessage|userDescription|altText|enumDescriptions\[\d+\]|markdownEnumDescriptions\[\d+\])$/;

describe('localization (package.nls)', () => {
  const manifest = readJson('package.json');
  const english = readJson('package.nls.json');
  const locales = fs.readdirSync(REPO).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f));

  it('shows users no manifest string that is not in package.nls.json (tools describe themselves to models in English)', () => {
    const found: { path: string; text: string }[] = [];
    manifestStrings(manifest, '', found);
    const shown = found.filter((s) => SHOWN.test(s.path) && !/inputSchema/.test(s.path));
    const literal = shown.filter((s) => !/^%[\w.-]+%$/.test(s.text));
    assert.deepEqual(
      literal.map((s) => `${s.path}: ${s.text.slice(0, 60)}`),
      [],
    );
    const used = new Set(found.flatMap((s) => [...s.text.matchAll(/^%([\w.-]+)%$/g)].map((m) => m[1])));
    assert.deepEqual(
      [...used].filter((key) => !(key in english)),
      [],
      'every %key% has an English text',
    );
    assert.deepEqual(
      Object.keys(english).filter((key) => !used.has(key)),
      [],
      'no English text is left over',
    );
  });

  it('ships Simplified Chinese', () => assert.ok(locales.includes('package.nls.zh-cn.json'), locales.join(', ')));

  for (const file of fs.readdirSync(REPO).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f))) {
    it(`${file} translates every key, keeping placeholders, setting and command links`, () => {
      assertCompleteTranslation(english, readJson(file));
    });
  }
});
