// The image library (sharp), loaded on first use: asset output needs it, activation does not.

import type * as SharpParts from './sharpParts';

export type Sharp = typeof SharpParts.sharp;

let parts: typeof SharpParts | undefined;

export function imageLibrary(): Sharp {
  // esbuild.js maps this path to ./imaging.js next to the bundle; tests load the module itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parts ??= require('./sharpParts') as typeof SharpParts;
  return parts.sharp;
}
