import * as vscode from 'vscode';
import type { ClientTimeouts } from '../sdapi/client';
import type { ProxySettings } from '../sdapi/proxy';
import { exactSizeProblem, OUTPUT_DEFAULTS, outputShapeOf, parseSize, type OutputFields, type OutputShape } from '../shared/outputShape';
import {
  SETTINGS,
  type AfterGeneration,
  type GenerationDefaults,
  type Img2ImgSaveTo,
  type EnumSettingKey,
  type EnumValue,
  type NumericSettingKey,
  type ResizeMode,
  type StringSettingKey,
} from '../shared/settingsSchema';

export const SECTION = 'sdStudio';

/** A named server (sdStudio.servers): "Local 4090", "Team space". Its login is stored per origin. */
export interface ServerProfile {
  name: string;
  url: string;
  /** Its own generation defaults over the generation.* settings (an SDXL server's size). */
  generation?: Partial<Record<keyof GenerationDefaults, unknown>>;
  /** The checkpoint last chosen on this server (Select Model…): each request asks for it. */
  model?: string;
  /** A member of the pool: with sdStudio.usePool, jobs are spread over every member. */
  pool?: boolean;
}

/** Clamped to the setting's range, rounded for integers, snapped to its multiple. */
function clamp(key: NumericSettingKey, value: number): number {
  const schema: { minimum: number; maximum: number; integer?: boolean; multipleOf?: number } = SETTINGS[key];
  let result = Math.min(schema.maximum, Math.max(schema.minimum, value));
  if (schema.integer) result = Math.round(result);
  if (schema.multipleOf) result = Math.max(schema.minimum, Math.round(result / schema.multipleOf) * schema.multipleOf);
  return result;
}

/**
 * The only reader of the `sdStudio` settings: typed values, read live, wrong types replaced by
 * the defaults of shared/settingsSchema.ts and numbers clamped to its ranges. The server URL is
 * not offered here as one value: server/serverTrust.ts decides which of its sources counts.
 */
export class Settings {
  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  async setServerUrl(url: string): Promise<void> {
    await this.config.update('serverUrl', url, vscode.ConfigurationTarget.Global);
  }

  /** Named servers from the user's settings (sdStudio.servers); entries that are not {name, url} are skipped. */
  get serverProfiles(): ServerProfile[] {
    const value = this.config.inspect<unknown>('servers')?.globalValue;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (entry): entry is ServerProfile =>
        typeof entry === 'object' && entry !== null && typeof (entry as ServerProfile).name === 'string' && typeof (entry as ServerProfile).url === 'string',
    );
  }

  async setServerProfiles(profiles: readonly ServerProfile[]): Promise<void> {
    await this.config.update('servers', profiles.length > 0 ? profiles : undefined, vscode.ConfigurationTarget.Global);
  }

  /** sdStudio.usePool from the user's settings only (a workspace cannot send jobs to the user's other servers). */
  get usePool(): boolean {
    return this.config.inspect<unknown>('usePool')?.globalValue === true;
  }

  /** The pool's members while jobs are spread over them: sdStudio.usePool and two members or more. */
  get activePool(): ServerProfile[] | undefined {
    const members = this.serverProfiles.filter((profile) => profile.pool === true);
    return this.usePool && members.length >= 2 ? members : undefined;
  }

  async setUsePool(on: boolean): Promise<void> {
    await this.config.update('usePool', on ? true : undefined, vscode.ConfigurationTarget.Global);
  }

  /** The user has chosen a server: a URL of their own or a workspace's, or named servers. */
  get serverChosen(): boolean {
    const inspected = this.config.inspect<unknown>('serverUrl');
    return typeof inspected?.globalValue === 'string' || typeof inspected?.workspaceValue === 'string' || this.serverProfiles.length > 0;
  }

  /** The user's own server URL (user settings or the default) and the workspace's, if it sets one. */
  get serverUrlSources(): { user: string; workspace?: string } {
    const inspected = this.config.inspect<unknown>('serverUrl');
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const workspace = text(inspected?.workspaceFolderValue) ?? text(inspected?.workspaceValue);
    return {
      user: text(inspected?.globalValue) ?? SETTINGS.serverUrl.default,
      ...(workspace !== undefined ? { workspace } : {}),
    };
  }

  get outputFolder(): string {
    return this.string('outputFolder');
  }

  /** The name of generated images (`{date}-{time}-{prompt}-{seed}`); output/fileNames.ts makes any template safe. */
  get fileNameTemplate(): string {
    return this.string('fileNameTemplate').trim() || SETTINGS.fileNameTemplate.default;
  }

  get img2imgFileNameTemplate(): string {
    return this.string('img2img.fileNameTemplate').trim() || SETTINGS['img2img.fileNameTemplate'].default;
  }

  get img2imgSaveTo(): Img2ImgSaveTo {
    return this.oneOf('img2img.saveTo');
  }

  get afterGeneration(): AfterGeneration {
    return this.oneOf('afterGeneration');
  }

  /**
   * The generation.* settings, with the selected named server's own values over them (an SDXL
   * server's 1024 × 1024, say): sdStudio.servers[].generation, checked like the settings.
   */
  get generation(): GenerationDefaults {
    const own = this.serverUrlSources.user;
    const overrides = this.serverProfiles.find((profile) => profile.url === own)?.generation ?? {};
    const text = (key: 'negativePrompt' | 'sampler' | 'scheduler') => {
      const value = overrides[key];
      return typeof value === 'string' ? value : this.string(`generation.${key}`);
    };
    const number = (key: 'steps' | 'cfgScale' | 'width' | 'height' | 'seed' | 'batchSize' | 'batchCount') => {
      const value = overrides[key];
      return typeof value === 'number' && Number.isFinite(value) ? clamp(`generation.${key}`, value) : this.number(`generation.${key}`);
    };
    return {
      negativePrompt: text('negativePrompt'),
      steps: number('steps'),
      cfgScale: number('cfgScale'),
      width: number('width'),
      height: number('height'),
      sampler: text('sampler'),
      scheduler: text('scheduler'),
      seed: number('seed'),
      batchSize: number('batchSize'),
      batchCount: number('batchCount'),
    };
  }

  get denoisingStrength(): number {
    return this.number('img2img.denoisingStrength');
  }

  get resizeMode(): ResizeMode {
    return this.oneOf('img2img.resizeMode');
  }

  /** The sdStudio.output.* settings, as the panel's fields (its starting values). */
  get outputFields(): OutputFields {
    const exact = parseSize(this.string('output.exactSize'));
    const background = this.string('output.background').trim();
    const usable = exact && !exactSizeProblem(exact) ? exact : undefined;
    return {
      exactSize: usable !== undefined,
      outputWidth: usable?.width ?? OUTPUT_DEFAULTS.outputWidth,
      outputHeight: usable?.height ?? OUTPUT_DEFAULTS.outputHeight,
      outputFit: this.oneOf('output.fit'),
      outputBackground: /^#[0-9a-f]{6}$/i.test(background) ? background : '',
      outputModelSize: this.oneOf('output.modelSize'),
      outputFormat: this.oneOf('output.format'),
      outputQuality: this.number('output.quality'),
      outputMaxKB: this.number('output.maxKB'),
      // A transparent background is chosen per generation (the panel, a recipe), never for every one.
      transparent: false,
      rembgModel: OUTPUT_DEFAULTS.rembgModel,
      alphaMatting: false,
    };
  }

  /** The file every generation from a command saves (sdStudio.output.*); undefined: as the server sends it. */
  get output(): OutputShape | undefined {
    return outputShapeOf(this.outputFields);
  }

  /** Make Icon Set's folder ('': an icons folder beside the image), sizes and platform sets (sdStudio.iconSet.*). */
  get iconSet(): { folder: string; faviconSizes: number[]; pngSizes: number[]; platforms: ('android' | 'ios')[] } {
    const sizes = (key: 'iconSet.faviconSizes' | 'iconSet.sizes', max: number) => {
      const value = this.config.get<unknown>(key);
      const valid = Array.isArray(value) ? value.filter((size): size is number => Number.isInteger(size) && size >= 16 && size <= max) : [];
      return valid.length > 0 ? [...new Set(valid)] : [...SETTINGS[key].default];
    };
    const platforms = this.config.get<unknown>('iconSet.platforms');
    return {
      folder: this.string('iconSet.folder').trim(),
      faviconSizes: sizes('iconSet.faviconSizes', 256),
      pngSizes: sizes('iconSet.sizes', 1024),
      platforms: Array.isArray(platforms) ? platforms.filter((p): p is 'android' | 'ios' => p === 'android' || p === 'ios') : [],
    };
  }

  get timeouts(): ClientTimeouts {
    return {
      connectSeconds: this.number('timeouts.connectSeconds'),
      requestSeconds: this.number('timeouts.requestSeconds'),
      generationSeconds: this.number('timeouts.generationSeconds'),
    };
  }

  /** A PEM file of extra trusted certificates ('' for none). */
  get caFile(): string {
    return this.string('tls.caFile');
  }

  /** VS Code's own proxy settings and the environment's (sdapi/proxy.ts picks one). */
  get proxy(): ProxySettings {
    const http = vscode.workspace.getConfiguration('http');
    const noProxy = http.get<unknown>('noProxy');
    return {
      httpProxy: typeof http.get<unknown>('proxy') === 'string' ? http.get<string>('proxy')! : '',
      noProxy: Array.isArray(noProxy) ? noProxy.filter((entry): entry is string => typeof entry === 'string') : [],
      env: process.env,
    };
  }

  get proxyStrictSsl(): boolean {
    return vscode.workspace.getConfiguration('http').get<unknown>('proxyStrictSSL') !== false;
  }

  get maxResponseBytes(): number {
    return this.number('limits.maxResponseMegabytes') * 1024 * 1024;
  }

  affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
    return event.affectsConfiguration(`${SECTION}.${key}`);
  }

  private string(key: StringSettingKey): string {
    const value = this.config.get<unknown>(key);
    return typeof value === 'string' ? value : SETTINGS[key].default;
  }

  /** Clamped to the setting's range, rounded for integers, snapped to its multiple. */
  private number(key: NumericSettingKey): number {
    const value = this.config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) ? clamp(key, value) : SETTINGS[key].default;
  }

  private oneOf<K extends EnumSettingKey>(key: K): EnumValue<K> {
    const value = this.config.get<unknown>(key);
    const allowed: readonly string[] = SETTINGS[key].enum;
    return (typeof value === 'string' && allowed.includes(value) ? value : SETTINGS[key].default) as EnumValue<K>;
  }
}
