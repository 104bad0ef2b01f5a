// What VS Code's webview host does with our page, for the Chromium harnesses that load the real webview
// bundles: it serves the very HTML the extension writes (src/shared/webview-page.ts, the same Content
// Security Policy), and adds what VS Code adds to every webview, at the same places: its API script and
// the theme's styles at the start of the head, before our policy, and the theme's class on the body.
import { webviewPageHtml } from '../../src/shared/webview-page';

/** The origin the harnesses serve our files from (VS Code's is `webview.cspSource`). */
export const WEBVIEW_ORIGIN = 'http://webview.test';

/** Files the harness serves besides the bundles: VS Code's `acquireVsCodeApi` and the theme's colours. */
export const VSCODE_API_PATH = '/vscode-api.js';
export const THEME_PATH = '/theme.css';

export interface HarnessPage {
  /** Bundle name under dist/webview, e.g. `editor` for editor.js and editor-style.css. */
  bundle: string;
  title: string;
  nonce: string;
  /** The class VS Code gives the body for the theme, e.g. `vscode-dark`. */
  themeClass: string;
}

export function harnessPageHtml(page: HarnessPage): string {
  const html = webviewPageHtml({
    nonce: page.nonce,
    cspSource: WEBVIEW_ORIGIN,
    scriptUri: `${WEBVIEW_ORIGIN}/${page.bundle}.js`,
    styleUri: `${WEBVIEW_ORIGIN}/${page.bundle}-style.css`,
    title: page.title,
  });
  if (!html.includes('<head>\n') || !html.includes('<body>\n'))
    throw new Error('the page template has no plain <head> or <body> to add to');
  return html
    .replace(
      '<head>\n',
      `<head>\n<script src="${WEBVIEW_ORIGIN}${VSCODE_API_PATH}"></script>\n<link rel="stylesheet" href="${WEBVIEW_ORIGIN}${THEME_PATH}">\n`,
    )
    .replace('<body>\n', `<body class="${page.themeClass}">\n`);
}
