// l10n-exempt-file: markup and the Content-Security-Policy; the page builds its visible text itself.
export interface PanelHtmlParts {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The codicons' stylesheet (its font beside it). */
  codiconUri?: string;
  /** VS Code's display language (the page's lang), and its translations of the page's strings. */
  language?: string;
  l10n?: Record<string, unknown> | undefined;
}

/**
 * The panel's static shell. No user or server data goes into this string: the script builds
 * the page with DOM APIs from messages. Images come from the extension or the output folder
 * (cspSource) or are data: previews; nothing may connect anywhere.
 */
export function renderPanelHtml({ cspSource, nonce, scriptUri, styleUri, codiconUri, language = 'en', l10n }: PanelHtmlParts): string {
  const csp = ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="${/^[a-zA-Z-]+$/.test(language) ? language : 'en'}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${codiconUri ? `  <link rel="stylesheet" href="${codiconUri}">\n` : ''}  <link rel="stylesheet" href="${styleUri}">
  <title>Stable Diffusion</title>
</head>
<body>
  <div id="app"></div>
  <script type="application/json" id="l10n-bundle">${jsonForScript(l10n ?? {})}</script>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** JSON inside a <script> element: `<` escaped, so no text in it can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
