// What a generation is asked to make, independent of where the request came from. The shapes
// are those of the settings (shared/settingsSchema.ts), which the panel's form shares.

export type { GenerationDefaults, ResizeMode } from '../shared/settingsSchema';
