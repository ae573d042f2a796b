import * as vscode from 'vscode';

/**
 * Remembers the text editor the user worked in last: while the panel has focus there is no
 * active text editor, yet "insert into the active editor" means that one.
 */
export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor && editor.document.uri.scheme !== 'output') this.last = editor;
  });

  /** The last text editor whose document is still open, if any. */
  get lastEditor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor ?? this.last;
    return editor && !editor.document.isClosed ? editor : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
