// The one sentence for an image the library cannot read or process: which file, what the library
// said (its first line), and the likely cause. Shared by resize, convert and the icon set.

import { UserError } from '../errors/userError';

export function unreadable(name: string, error: unknown, doing: 'read as an image' | 'resized' | 'converted' | 'made into icons'): UserError {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 120) ?? '';
  return new UserError(`${name} could not be ${doing} (${reason}): the file may be damaged or truncated.`);
}
