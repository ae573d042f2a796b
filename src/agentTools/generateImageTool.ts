import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../errors/userError';
import type { GenerationService } from '../generation/generationService';
import type { GenerationWorkflow } from '../generation/workflow';
import { readStoredParameters } from '../metadata/imageMetadata';
import type { Settings } from '../platform/settings';
import type { ServerConnection } from '../server/connection';
import { LIMITS } from '../shared/settingsSchema';
import { exists, imageTarget, jobCanceller, relative, textResult } from './toolSupport';

export interface GenerateImageInput {
  path: string;
  prompt: string;
  negativePrompt?: string;
  width?: number;
  height?: number;
  seed?: number;
  /** When the file exists: false (default) writes beside it, true replaces it (the old one goes to the trash). */
  replace?: boolean;
}

export interface GenerateImageToolDeps {
  workflow: GenerationWorkflow;
  generation: GenerationService;
  settings: Settings;
  connection: ServerConnection;
}

/**
 * "Generate an image at this path": the user sees the prompt, the size, the file and the server
 * and confirms first; the result names the file written and the parameters stored in it.
 */
export class GenerateImageTool implements vscode.LanguageModelTool<GenerateImageInput> {
  constructor(private readonly deps: GenerateImageToolDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateImageInput>): Promise<vscode.PreparedToolInvocation> {
    const { target, prompt, size } = this.read(options.input);
    const name = relative(target);
    const existing = await exists(target);
    // Plain text, not Markdown: the prompt comes from the agent and must not render as links.
    const lines = [
      vscode.l10n.t('{0}, {1} × {2}, on {3}.', name, size.width, size.height, this.deps.connection.baseUrlIfValid() ?? vscode.l10n.t('the configured server')),
      vscode.l10n.t('Prompt: {0}', prompt),
      ...(options.input.negativePrompt ? [vscode.l10n.t('Negative prompt: {0}', options.input.negativePrompt)] : []),
      ...(existing
        ? [
            options.input.replace === true
              ? vscode.l10n.t('{0} exists and will be replaced (the old file goes to the trash where there is one).', name)
              : vscode.l10n.t('{0} exists: the new image is written beside it.', name),
          ]
        : []),
    ];
    return {
      invocationMessage: vscode.l10n.t('Generating {0}…', name),
      confirmationMessages: { title: vscode.l10n.t('Generate {0} with Stable Diffusion?', name), message: lines.join('\n\n') },
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<GenerateImageInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const { target, prompt, size } = this.read(options.input);
    const { input } = options;
    const jobs = jobCanceller(token, (id) => this.deps.generation.cancel(id));
    try {
      const outcome = await this.deps.workflow.run(
        {
          prompt,
          parameters: {
            ...this.deps.settings.generation,
            ...size,
            ...(input.negativePrompt !== undefined ? { negativePrompt: input.negativePrompt } : {}),
            ...(input.seed !== undefined ? { seed: input.seed } : {}),
            batchSize: 1,
            batchCount: 1,
          },
        },
        { surface: 'caller', near: target, saveAt: { uri: target, text: {}, replace: input.replace === true }, onJob: jobs.onJob },
      );
      if (outcome.status === 'failed') throw new Error(outcome.failure.message);
      if (outcome.status === 'cancelled') throw new Error(vscode.l10n.t('The generation was cancelled; nothing was written.'));
      const file = vscode.Uri.parse(outcome.files[0]!);
      const stored = readStoredParameters(await vscode.workspace.fs.readFile(file));
      const resized = (input.width !== undefined && input.width !== size.width) || (input.height !== undefined && input.height !== size.height);
      return textResult(
        ...(resized
          ? [
              `The size asked for was changed to ${size.width} × ${size.height} (${LIMITS.size.min} to ${LIMITS.size.max} pixels, multiples of ${LIMITS.size.step}).`,
            ]
          : []),
        `Wrote ${relative(file)}${file.toString() === target.toString() ? '' : ` (${path.posix.basename(target.path)} exists, so the image was written beside it)`}.`,
        stored ? `Generation parameters stored in the image:\n${stored.text}` : `Seed: ${outcome.seeds[0] ?? 'unknown'}.`,
      );
    } finally {
      jobs.dispose();
    }
  }

  /** The input checked (tools may be called by any extension, with anything). */
  private read(input: GenerateImageInput): { target: vscode.Uri; prompt: string; size: { width: number; height: number } } {
    const target = imageTarget(input.path);
    const prompt = typeof input.prompt === 'string' ? input.prompt.trim() : '';
    if (!prompt) throw new UserError(vscode.l10n.t('The prompt is empty: describe the image.'));
    if (prompt.length > LIMITS.promptLength) throw new UserError(vscode.l10n.t('The prompt is longer than {0} characters.', LIMITS.promptLength));
    const defaults = this.deps.settings.generation;
    return { target, prompt, size: { width: dimension(input.width, defaults.width), height: dimension(input.height, defaults.height) } };
  }
}

/** A side in the server's range, on its grid of 8 (the result states the size used). */
function dimension(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(vscode.l10n.t('Width and height are numbers of pixels, such as 1024.'));
  const { min, max, step } = LIMITS.size;
  return Math.min(max, Math.max(min, Math.round(value / step) * step));
}
