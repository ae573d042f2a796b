import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import { toBase64 } from '../image/format';
import { fitToArea } from '../image/imageSize';
import { readSourceImage, type LoadedSource } from '../generation/sourceImage';
import { outputFoldersOfWorkspace } from '../output/outputFolder';
import type { Settings } from '../platform/settings';
import type { HostToWebview, SourceView } from '../shared/protocol';
import { workspaceImageUri } from '../output/workspacePath';

/** Source images larger than this get no preview (it travels as a data: URI). */
const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

export interface PanelSourceImage extends LoadedSource {
  view: SourceView;
}

/**
 * The panel's image-to-image source: picked, dropped, or a gallery image. The page is
 * untrusted: a path from it must name an image inside the workspace (sourcePath.ts).
 */
export class PanelSource {
  private current: PanelSourceImage | undefined;

  constructor(
    private readonly settings: Settings,
    /** asWebviewUri of the open panel, for previews of images in the output folder. */
    private readonly webviewUri: (uri: vscode.Uri) => string | undefined,
  ) {}

  get view(): SourceView | undefined {
    return this.current?.view;
  }

  clear(): void {
    this.current = undefined;
  }

  /** The current source as a data: URI, for the page to read its pixels (outpainting pads it). */
  dataOf(): { path: string; src: string } | undefined {
    const current = this.current;
    if (!current) return undefined;
    const src = current.view.src.startsWith('data:') ? current.view.src : `data:image/${current.format};base64,${toBase64(current.bytes)}`;
    return { path: current.view.path, src };
  }

  /** Asks for a workspace image; undefined when the user cancels. */
  async pick(): Promise<SourceView | undefined> {
    const picked = await askForImage(vscode.l10n.t('Use as Source'), vscode.l10n.t('Image to Image: pick the source image'));
    return picked ? this.set(picked) : undefined;
  }

  /** Asks for a ControlNet unit's control image (the source stays as it is). */
  async pickControlImage(unit: number): Promise<SourceView | undefined> {
    const picked = await askForImage(vscode.l10n.t('Use as Control Image'), vscode.l10n.t('ControlNet unit {0}: pick the control image', unit + 1));
    return picked ? (await this.load(picked)).view : undefined;
  }

  /** A path from the page (typed or dropped). */
  setFromPage(text: string): Promise<SourceView> {
    return this.set(resolveWorkspaceImage(text));
  }

  async set(uri: vscode.Uri): Promise<SourceView> {
    this.current = await this.load(uri);
    return this.current.view;
  }

  /** Another workspace image the form names (a ControlNet unit's), checked as the source is. */
  image(pathText: string): Promise<PanelSourceImage> {
    return this.load(resolveWorkspaceImage(pathText));
  }

  /** The source the form names: the current one, or loaded again from its path. */
  async forForm(pathText: string): Promise<PanelSourceImage> {
    return this.current?.view.path === pathText ? this.current : this.load(resolveWorkspaceImage(pathText));
  }

  private async load(uri: vscode.Uri): Promise<PanelSourceImage> {
    const source = await readSourceImage(uri);
    const { bytes, format, size } = source;
    const inOutput = outputFoldersOfWorkspace(this.settings).some((folder) => uri.toString().startsWith(`${folder.toString()}/`));
    const src = (inOutput ? this.webviewUri(uri) : undefined) ?? (bytes.length <= MAX_PREVIEW_BYTES ? `data:image/${format};base64,${toBase64(bytes)}` : '');
    const fitted = fitToArea(size, this.settings.generation);
    const view = {
      path: vscode.workspace.asRelativePath(uri, false),
      src,
      width: size.width,
      height: size.height,
      suggestedWidth: fitted.width,
      suggestedHeight: fitted.height,
    };
    return { ...source, view };
  }
}

/** The page's image messages: the source (pick, set, clear, its pixels for outpainting) and ControlNet's images. */
export function sourceHandlers(source: () => PanelSource, post: (message: HostToWebview) => void) {
  return {
    pickSource: async () => {
      const picked = await source().pick();
      if (picked) post({ type: 'source', source: picked });
    },
    setSource: async ({ path }: { path: string }) => post({ type: 'source', source: await source().setFromPage(path) }),
    sourceData: () => {
      const data = source().dataOf();
      if (data) post({ type: 'sourceData', ...data });
    },
    clearSource: () => {
      source().clear();
      post({ type: 'source', source: null });
    },
    pickControlImage: async ({ unit }: { unit: number }) => {
      const picked = await source().pickControlImage(unit);
      if (picked) post({ type: 'controlImage', unit, image: picked });
    },
    setControlImage: async ({ unit, path }: { unit: number; path: string }) => post({ type: 'controlImage', unit, image: (await source().image(path)).view }),
  };
}

async function askForImage(openLabel: string, title: string): Promise<vscode.Uri | undefined> {
  const [picked] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
      filters: { Images: ['png', 'jpg', 'jpeg', 'webp'] },
      openLabel,
      title,
    })) ?? [];
  return picked ? checkInsideWorkspace(picked) : undefined;
}

/** A path from the webview: workspace-relative or a URI; it must name an image inside the workspace. */
function resolveWorkspaceImage(text: string): vscode.Uri {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, uri: folder.uri.toString() }));
  return checkInsideWorkspace(vscode.Uri.parse(workspaceImageUri(text, folders), true));
}

function checkInsideWorkspace(uri: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const normalized = path.posix.normalize(uri.path);
  if (!folder || normalized !== uri.path || !normalized.startsWith(`${folder.uri.path.replace(/\/$/, '')}/`)) {
    throw new UserError(vscode.l10n.t('The source image must be a file inside the workspace.'));
  }
  return uri;
}
