import * as vscode from 'vscode';
import { cleanPrompt } from '../generation/prompt';
import type { GenerationPanel } from '../panel/generationPanel';

/** Opens the generation panel; a selection in the active editor fills the prompt. */
export function openPanel(panel: GenerationPanel): { status: 'opened' } {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? cleanPrompt(editor.document.getText(editor.selection)) : undefined;
  panel.show(selected ? { prompt: selected } : undefined);
  return { status: 'opened' };
}
