/** The panel's webview type (package.json's onWebviewPanel activation event names it). */
export const PANEL_VIEW_TYPE = 'sdStudio.generationPanel';
