import * as vscode from 'vscode';
import type { ClientTimeouts } from './sdapi/client';
import type { ResizeMode } from './shared/protocol';

export type { ResizeMode };
export type AfterGeneration = 'open' | 'reveal' | 'none';

export interface GenerationDefaults {
  negativePrompt: string;
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  sampler: string;
  scheduler: string;
  seed: number;
  batchSize: number;
  batchCount: number;
}

export const SECTION = 'sdStudio';

/** The only reader of the `sdStudio` settings: typed values, read live, wrong types replaced by defaults. */
export class Settings {
  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The raw server URL; normalise it with normalizeBaseUrl before use. */
  get serverUrl(): string {
    return this.string('serverUrl', 'http://127.0.0.1:7860');
  }

  async setServerUrl(url: string): Promise<void> {
    await this.config.update('serverUrl', url, vscode.ConfigurationTarget.Global);
  }

  /** The user's own server URL (user settings or the default) and the workspace's, if it sets one. */
  get serverUrlSources(): { user: string; workspace?: string } {
    const inspected = this.config.inspect<unknown>('serverUrl');
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      user: text(inspected?.globalValue) ?? text(inspected?.defaultValue) ?? 'http://127.0.0.1:7860',
      workspace: text(inspected?.workspaceFolderValue) ?? text(inspected?.workspaceValue),
    };
  }

  get outputFolder(): string {
    return this.string('outputFolder', 'generated-images');
  }

  get afterGeneration(): AfterGeneration {
    return this.oneOf('afterGeneration', ['open', 'reveal', 'none'] as const, 'open');
  }

  get generation(): GenerationDefaults {
    return {
      negativePrompt: this.string('generation.negativePrompt', ''),
      steps: this.integer('generation.steps', 20, 1, 150),
      cfgScale: this.number('generation.cfgScale', 7, 1, 30),
      width: this.multipleOf8('generation.width', 512),
      height: this.multipleOf8('generation.height', 512),
      sampler: this.string('generation.sampler', 'DPM++ 2M'),
      scheduler: this.string('generation.scheduler', 'Automatic'),
      seed: this.integer('generation.seed', -1, -1, 4294967295),
      batchSize: this.integer('generation.batchSize', 1, 1, 8),
      batchCount: this.integer('generation.batchCount', 1, 1, 16),
    };
  }

  get denoisingStrength(): number {
    return this.number('img2img.denoisingStrength', 0.6, 0, 1);
  }

  get resizeMode(): ResizeMode {
    return this.oneOf('img2img.resizeMode', ['justResize', 'cropAndResize', 'resizeAndFill'] as const, 'cropAndResize');
  }

  get timeouts(): ClientTimeouts {
    return {
      connectSeconds: this.integer('timeouts.connectSeconds', 10, 1, 300),
      requestSeconds: this.integer('timeouts.requestSeconds', 30, 1, 3600),
      generationSeconds: this.integer('timeouts.generationSeconds', 900, 10, 86400),
    };
  }

  get maxResponseBytes(): number {
    return this.integer('limits.maxResponseMegabytes', 512, 1, 4096) * 1024 * 1024;
  }

  affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
    return event.affectsConfiguration(`${SECTION}.${key}`);
  }

  private string(key: string, fallback: string): string {
    const value = this.config.get<unknown>(key);
    return typeof value === 'string' ? value : fallback;
  }

  private number(key: string, fallback: number, min: number, max: number): number {
    const value = this.config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  }

  private integer(key: string, fallback: number, min: number, max: number): number {
    return Math.round(this.number(key, fallback, min, max));
  }

  private multipleOf8(key: string, fallback: number): number {
    return Math.max(64, Math.round(this.integer(key, fallback, 64, 4096) / 8) * 8);
  }

  private oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.config.get<unknown>(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  }
}
