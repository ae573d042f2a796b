import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS } from '../../src/commands/ids';

const REPO = path.resolve(__dirname, '..', '..', '..');

// panel/galleryActions.ts imports vscode; its table of operations is read from the source here.
describe("the gallery's More… (panel/galleryActions.ts imageOperations)", () => {
  it("offers exactly the image operations of the Explorer's menu, each a contributed command", () => {
    const source = fs.readFileSync(path.join(REPO, 'src', 'panel', 'galleryActions.ts'), 'utf8');
    const table = /export const imageOperations = \(\) =>\s*\[([\s\S]*?)\] as const;/.exec(source)?.[1] ?? '';
    const offered = [...table.matchAll(/command: '([^']+)'/g)].map((match) => match[1]);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const explorer = manifest.contributes.menus['explorer/context'].filter((entry) => /png\|jpe\?g\|webp/.test(entry.when ?? '')).map((entry) => entry.command);
    for (const command of offered) {
      assert.ok((COMMAND_IDS as readonly string[]).includes(command), `${command} is a command`);
      assert.ok(explorer.includes(command), `${command} is on the Explorer's menu for images`);
    }
    for (const operation of ['sdStudio.resizeImage', 'sdStudio.convertImage', 'sdStudio.removeBackground', 'sdStudio.makeIconSet'])
      assert.ok(offered.includes(operation), `More… offers ${operation}`);
  });
});
