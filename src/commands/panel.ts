import * as vscode from 'vscode';
import { cleanPrompt } from '../generation/prompt';
import type { GenerationPanel } from '../panel/generationPanel';

/** Opens the generation panel; a selection in the active editor (or `{ prompt }`) fills the prompt. */
export function openPanel(panel: GenerationPanel, args?: unknown): { status: 'opened' } {
  const given = (args as { prompt?: unknown } | undefined)?.prompt;
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const prompt = typeof given === 'string' ? given : selected !== undefined ? cleanPrompt(selected) : undefined;
  panel.show(prompt || undefined);
  return { status: 'opened' };
}
