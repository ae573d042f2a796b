import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { Log } from '../platform/log';
import { SdApiError } from '../sdapi/errors';
import { findModel } from '../sdapi/modelNames';
import type { SdModel } from '../sdapi/types';
import type { ServerConnection } from '../server/connection';
import type { ServerPool } from '../server/serverPool';
import type { ServerProfiles } from '../server/serverProfiles';
import { switchModel } from '../server/modelSwitch';
import { offeredUpscalers } from '../imageOps/upscale';
import type { SdApiClient } from '../sdapi/client';
import { parseFileList } from '../sdapi/fileList';
import { isRecord } from '../sdapi/parse';
import type { ServerIdentity } from '../sdapi/probe';
import { controlUnitCount } from '../shared/controlNet';
import { LATENT_UPSCALE_MODES } from '../shared/qualityOptions';
import type { ServerView } from '../shared/protocol';
import type { ModelStatusBar } from '../ui/statusBar';

export interface PanelServerDeps {
  connection: ServerConnection;
  /** The named servers and which is in use (server/serverProfiles.ts). */
  profiles: Pick<ServerProfiles, 'list' | 'active' | 'select'>;
  /** The pool of named servers (server/serverPool.ts). */
  pool: Pick<ServerPool, 'inUse' | 'label' | 'members' | 'use'>;
  statusBar: ModelStatusBar;
  log: Log;
}

/** The server as the panel's form shows it: models, samplers, schedulers; switching the model. */
export class PanelServer {
  private models: SdModel[] = [];
  private current: ServerView = { origin: '' };

  constructor(
    private readonly deps: PanelServerDeps,
    /** Sends the view to the page (as soon as something changed). */
    private readonly show: (server: ServerView) => void,
  ) {}

  get view(): ServerView {
    return this.current;
  }

  /** Lists of the server for the form; the failure, if any, is thrown after the view says so. */
  async load(): Promise<void> {
    const { connection } = this.deps;
    try {
      const client = await connection.client();
      const { pool } = this.deps;
      const active = pool.inUse ? undefined : this.deps.profiles.active()?.name;
      const profiles = this.deps.profiles.list().map(({ name }) => ({ name, active: name === active }));
      const poolView = pool.members().length >= 2 ? { pool: { label: pool.label(), active: pool.inUse } } : {};
      this.current = { origin: client.origin, profiles, ...poolView };
      this.show(this.current);
      const [models, options, catalog, identity] = await Promise.all([
        client.listModels(),
        client.getOptions(),
        connection.samplerCatalog(client),
        connection.identity(client),
      ]);
      // The More settings' and the prompt helpers' lists, asked together rather than one after the other.
      const [more, helpers, control] = await Promise.all([
        moreSettingsOf(client, identity),
        promptHelpersOf(client, identity, this.deps.log),
        controlNetOf(client, identity, options.control_net_unit_count, this.deps.log),
      ]);
      this.models = models;
      const currentModel = typeof options.sd_model_checkpoint === 'string' ? options.sd_model_checkpoint : undefined;
      this.current = {
        origin: client.origin,
        profiles,
        ...poolView,
        models: models.map((m) => ({ title: m.title, name: m.model_name })),
        ...(currentModel ? { currentModel: findModel(models, currentModel)?.title ?? currentModel } : {}),
        samplers: catalog.samplers.map((s) => s.name),
        ...(identity.capabilities.modelSwitch
          ? {}
          : { fixedModel: vscode.l10n.t('{0} serves the model it was started with: restart it to use another.', identity.name) }),
        ...(catalog.schedulers ? { schedulers: catalog.schedulers.map((s) => s.label) } : {}),
        ...more,
        ...helpers,
        ...control,
        ...(identity.capabilities.rembg
          ? { rembg: true }
          : {
              rembgMissing: vscode.l10n.t(
                '{0} has no background removal: install the rembg extension (stable-diffusion-webui-rembg, from the Extensions tab) and restart it.',
                identity.name,
              ),
            }),
      };
      if (currentModel) this.deps.statusBar.setModel(client.origin, currentModel);
      this.show(this.current);
    } catch (error) {
      this.current = { ...this.current, models: [], error: error instanceof Error ? error.message : String(error) };
      this.deps.log.warn(`[panel] server not available: ${error instanceof SdApiError ? error.describe() : String(error)}`);
      this.show(this.current);
      throw error;
    }
  }

  /** Another named server, by a name the user's own list has (the page is untrusted: select() refuses others). */
  async selectServer(name: string): Promise<void> {
    const outcome = await this.deps.profiles.select(name);
    if (outcome.status !== 'failed') await this.load();
  }

  async usePool(): Promise<void> {
    const outcome = await this.deps.pool.use(true);
    if (outcome.status !== 'failed') await this.load();
  }

  async selectModel(title: string): Promise<void> {
    const target = findModel(this.models, title);
    if (!target) throw new UserError(vscode.l10n.t('The server has no model "{0}": reload the list.', title));
    const client = await this.deps.connection.client();
    this.show({ ...this.current, loadingModel: target.title });
    try {
      const outcome = await switchModel(client, await this.deps.connection.identity(client), target, this.deps.statusBar, this.deps.log);
      if (outcome.status === 'switched') {
        await this.deps.connection.rememberModel(client, outcome.model);
        this.current = { ...this.current, currentModel: findModel(this.models, outcome.model)?.title ?? outcome.model };
      }
    } catch (error) {
      this.deps.statusBar.showIdle();
      throw error;
    } finally {
      this.show(this.current);
    }
  }
}

/** What the server offers of "More settings" (hires fix with its upscalers, tiling, CLIP skip), and one sentence for what it lacks. */
async function moreSettingsOf(
  client: SdApiClient,
  identity: ServerIdentity,
): Promise<Pick<ServerView, 'hiresUpscalers' | 'tiling' | 'clipSkip' | 'vaes' | 'textEncoders' | 'refiner' | 'distilledCfg' | 'moreMissing'>> {
  const { hiresFix, tiling, overrideSettings, upscalers, vae, refiner } = identity.capabilities;
  let hiresUpscalers: string[] | undefined;
  if (hiresFix) {
    const [latent, listed] = await Promise.all([client.getIfPresent('/latent-upscale-modes'), upscalers ? client.listUpscalers() : []]);
    const latentNames = Array.isArray(latent)
      ? latent.map((mode: unknown) => (isRecord(mode) && typeof mode.name === 'string' ? mode.name : undefined)).filter((name) => name !== undefined)
      : LATENT_UPSCALE_MODES;
    hiresUpscalers = [...latentNames, ...offeredUpscalers(listed).map((u) => u.name)];
  }
  const missing = [
    ...(hiresFix ? [] : [vscode.l10n.t('hires fix')]),
    ...(tiling ? [] : [vscode.l10n.t('tiling')]),
    ...(overrideSettings ? [] : [vscode.l10n.t('CLIP skip')]),
    ...(vae ? [] : [vscode.l10n.t('VAE choice')]),
    ...(refiner ? [] : [vscode.l10n.t('refiner')]),
  ];
  const vaes = vae ? await vaeChoices(client, identity.vaeBy) : undefined;
  return {
    ...(hiresUpscalers ? { hiresUpscalers } : {}),
    ...(vaes ? { vaes } : {}),
    // Forge's modules hold the text encoders too (Flux, SD3): the same list, chosen several at once.
    ...(vaes && identity.vaeBy === 'modules' ? { textEncoders: vaes } : {}),
    refiner,
    tiling,
    clipSkip: overrideSettings,
    // Not named among what a server lacks: it is Flux's, not every model's.
    distilledCfg: identity.capabilities.distilledCfg,
    ...(missing.length > 0 ? { moreMissing: vscode.l10n.t('{0} offers no {1}.', identity.name, missing.join(', ')) } : {}),
  };
}

/** The prompt helpers' lists where the server offers them; one that fails is left out (the log says why). */
async function promptHelpersOf(client: SdApiClient, identity: ServerIdentity, log: Log): Promise<Pick<ServerView, 'loras' | 'embeddings' | 'styles'>> {
  const { loras, embeddings, styles } = identity.capabilities;
  const settle = async <T>(what: string, list: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await list();
    } catch (error) {
      log.warn(`[panel] no ${what} list: ${error instanceof SdApiError ? error.describe() : String(error)}`);
      return undefined;
    }
  };
  const [loraList, embeddingList, styleList] = await Promise.all([
    loras ? settle('LoRA', () => client.listLoras()) : undefined,
    embeddings ? settle('embedding', () => client.listEmbeddings()) : undefined,
    styles ? settle('style', () => client.listStyles()) : undefined,
  ]);
  return {
    ...(loraList ? { loras: loraList } : {}),
    ...(embeddingList ? { embeddings: embeddingList } : {}),
    ...(styleList ? { styles: styleList } : {}),
  };
}

/** A1111's `/sd-vae` by name (`sd_vae`); Forge's `/sd-modules` by file (`forge_additional_modules`). */
async function vaeChoices(client: SdApiClient, vaeBy: ServerIdentity['vaeBy']): Promise<{ value: string; label: string }[] | undefined> {
  const listed = parseFileList(await client.getIfPresent(vaeBy === 'modules' ? '/sd-modules' : '/sd-vae'));
  return listed?.map((entry) => ({ value: vaeBy === 'modules' ? entry.filename : entry.name, label: entry.name }));
}

/** ControlNet's lists where the server has the extension; otherwise the sentence the panel shows. */
async function controlNetOf(
  client: SdApiClient,
  identity: ServerIdentity,
  /** The server's option `control_net_unit_count` (its Multi-ControlNet setting). */
  unitCountOption: unknown,
  log: Log,
): Promise<Pick<ServerView, 'controlNet' | 'controlNetMissing'>> {
  const missing = vscode.l10n.t('{0} has no ControlNet: install the sd-webui-controlnet extension (Forge has it built in).', identity.name);
  if (!identity.capabilities.controlnet) return { controlNetMissing: missing };
  try {
    return { controlNet: { ...(await client.listControlNet()), units: controlUnitCount(unitCountOption) } };
  } catch (error) {
    log.warn(`[panel] no ControlNet lists: ${error instanceof SdApiError ? error.describe() : String(error)}`);
    return { controlNetMissing: vscode.l10n.t("ControlNet's lists could not be read from {0}: see the log.", identity.name) };
  }
}
