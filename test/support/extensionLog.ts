import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file below `dir`. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : entry.isFile() ? [file] : [];
  });
}

/** What the extension's LogOutputChannel wrote, from a VS Code user data folder. */
export function extensionLogText(userDataDir: string): string {
  return filesUnder(path.join(userDataDir, 'logs'))
    .filter((file) => path.basename(file) === 'Stable Diffusion Studio.log')
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
}
