import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { assertCompleteTranslation } from '../support/translations';
import { loadTimeTranslations, sourceFiles, unlocalizedStrings } from '../support/userStrings';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(REPO, 'src');
const readJson = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as Record<string, string>;

describe('localization (src/ and l10n/)', () => {
  const files = sourceFiles(SRC);

  it('shows users no string from src/ that does not go through l10n', () => {
    const found = files.flatMap((file) => unlocalizedStrings(path.relative(REPO, file), fs.readFileSync(file, 'utf8')));
    assert.deepEqual(
      found.map((f) => `${f.file}:${f.line}: ${f.text.slice(0, 70)}`),
      [],
      'wrap them in l10n.t (vscode.l10n.t where the file imports vscode), or mark why not with // l10n-exempt: <why>',
    );
  });

  it('the check finds sentences and labels, and leaves logs, keys, names and marked strings alone', () => {
    const source = [
      "import * as l10n from '@vscode/l10n';",
      'export const a = () => new UserError(`Cannot reach ${host}: check the URL.`);',
      "export const b = () => ({ label: 'Cancel', detail: l10n.t('Stops the job') });",
      'export const c = (log: { info(s: string): void }) => log.info(`[server] connected to ${x}`);',
      "export const d = () => h('div', { class: 'row size', id: 'seed' });",
      "export const e = (v: string) => v === 'Not Found';",
      '// l10n-exempt: an infotext key.',
      "export const f = 'Denoising strength';",
      "export const g = () => { throw new Error('internal: no handler'); };",
    ].join('\n');
    assert.deepEqual(
      unlocalizedStrings('fixture.ts', source).map((f) => [f.line, f.text]),
      [
        [2, 'Cannot reach {}: check the URL.'],
        [3, 'Cancel'],
      ],
    );
  });

  it('translates nothing while a module loads (the bundle is configured in activate() and by the page)', () => {
    const found = files.flatMap((file) => loadTimeTranslations(path.relative(REPO, file), fs.readFileSync(file, 'utf8')));
    assert.deepEqual(
      found.map((f) => `${f.file}:${f.line}: ${f.text}`),
      [],
    );
    assert.equal(loadTimeTranslations('fixture.ts', "const A = [l10n.t('Left')];\nconst b = () => l10n.t('Right');").length, 1);
  });

  it('l10n/bundle.l10n.json holds exactly the strings of src/ (npm run l10n writes it)', async function () {
    this.timeout(120_000); // l10n-dev parses with tree-sitter in WebAssembly: seconds, more on a busy machine
    const sources = files.map((file) => fs.readFileSync(file, 'utf8')).filter((text) => text.includes('l10n.t('));
    const extracted = await getL10nJson(sources.map((contents) => ({ contents, extension: '.ts' })));
    const bundle = readJson('l10n/bundle.l10n.json');
    assert.deepEqual(Object.keys(bundle).sort(), Object.keys(extracted).sort());
  });

  const english = readJson('l10n/bundle.l10n.json');
  for (const file of fs.readdirSync(path.join(REPO, 'l10n')).filter((f) => /^bundle\.l10n\.[\w-]+\.json$/.test(f))) {
    it(`l10n/${file} translates every string, keeping placeholders, code and command links`, () => {
      assertCompleteTranslation(english, readJson(`l10n/${file}`));
    });
  }

  it('ships Simplified Chinese for src/ too', () => assert.ok(fs.existsSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'))));
});
