// The lists of files a server offers by name: A1111's `/sd-vae` and Forge's `/sd-modules`, each
// entry `{ model_name, filename }`. Read tolerantly: entries without both are skipped.

import { isRecord } from './parse';

export interface ListedFile {
  name: string;
  filename: string;
}

/** The entries of such a list; undefined when the answer is not a list (the route is absent). */
export function parseFileList(body: unknown): ListedFile[] | undefined {
  if (!Array.isArray(body)) return undefined;
  return body
    .filter(isRecord)
    .flatMap((entry) =>
      typeof entry.model_name === 'string' && typeof entry.filename === 'string' ? [{ name: entry.model_name, filename: entry.filename }] : [],
    );
}
