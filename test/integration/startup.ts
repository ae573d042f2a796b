// Loaded first by index.ts, when the extension host starts the tests: before VS Code's startup
// has finished, so before the extension activates (onStartupFinished). Records the synchronous
// file system calls its bundle makes and whether undici (all its HTTP) was loaded meanwhile.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { watchSyncFs } from './activation';

const extension = vscode.extensions.getExtension('sd-studio.stable-diffusion-studio');
const bundle = extension ? path.join(extension.extensionPath, 'dist', 'extension.js') : '';

export const startup = {
  /** Whether the extension was already active when the watch began (then the watch saw nothing). */
  activeAtStart: extension?.isActive ?? true,
  bundle,
  syncFs: watchSyncFs(bundle),
};
