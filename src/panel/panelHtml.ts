export interface PanelHtmlParts {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/**
 * The panel's static shell. No user or server data goes into this string: the script builds
 * the page with DOM APIs from messages. Images come from the extension or the output folder
 * (cspSource) or are data: previews; nothing may connect anywhere.
 */
export function renderPanelHtml({ cspSource, nonce, scriptUri, styleUri }: PanelHtmlParts): string {
  const csp = ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${styleUri}">
  <title>Stable Diffusion</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
