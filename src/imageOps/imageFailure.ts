// The one sentence for an image the library cannot read or process: which file, what the library
// said (its first line), and the likely cause. Shared by resize, convert and the icon set.

import * as l10n from '@vscode/l10n';
import { UserError } from '../errors/userError';

export type ImageStep = 'read' | 'resize' | 'convert' | 'icons';

export function unreadable(name: string, error: unknown, step: ImageStep): UserError {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 120) ?? '';
  return new UserError(sentence(step, name, reason));
}

function sentence(step: ImageStep, name: string, reason: string): string {
  switch (step) {
    case 'read':
      return l10n.t('{0} could not be read as an image ({1}): the file may be damaged or truncated.', name, reason);
    case 'resize':
      return l10n.t('{0} could not be resized ({1}): the file may be damaged or truncated.', name, reason);
    case 'convert':
      return l10n.t('{0} could not be converted ({1}): the file may be damaged or truncated.', name, reason);
    case 'icons':
      return l10n.t('{0} could not be made into icons ({1}): the file may be damaged or truncated.', name, reason);
  }
}
