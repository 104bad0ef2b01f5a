// The one place that writes webview HTML (a strict Content Security Policy with a fresh nonce, our
// bundled script and stylesheet, a one-line report of a failed script load, and nothing else) and
// connects a webview's messages to a Messenger.
// Torrent and tracker text never enters this HTML; the webview script renders it as DOM text.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Envelope, Transport } from '../shared/messaging';

export interface WebviewPage {
  /** Bundle name under dist/webview, e.g. `editor` for editor.js and editor-style.css. */
  bundle: string;
  title: string;
}

/** Options every webview of ours uses: scripts on, resources only from our dist/webview folder. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/**
 * Tells the host when our script fails to load (see showWebviewPage). Only then may this claim VS Code's
 * webview API, which a page gets once: the script that would have claimed it never ran.
 */
const REPORT_SCRIPT_LOAD_FAILURE =
  "addEventListener('error', (e) => { if (e.target instanceof HTMLScriptElement) acquireVsCodeApi().postMessage({ pageLoadFailed: true }); }, true);";

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(`${page.bundle}-style.css`)}">
<title>${escapeAttribute(page.title)}</title>
</head>
<body>
<div id="app" role="application"></div>
<script nonce="${nonce}">${REPORT_SCRIPT_LOAD_FAILURE}</script>
<script nonce="${nonce}" src="${asset(`${page.bundle}.js`)}"></script>
</body>
</html>`;
}

/** How many times a page whose script failed to load is loaded again, and the pause before each. */
const PAGE_RELOADS = 3;
const PAGE_RELOAD_PAUSE_MS = 250;

/**
 * Shows our page in a panel (options, then HTML) and loads it again if its script fails to load.
 * VS Code in a browser serves webview files through a service worker; a webview revived alongside
 * another after a window reload can ask for its files before that worker serves them, and would stay
 * blank. The page reports such a failure (see the first script in renderWebviewHtml).
 */
export function showWebviewPage(
  panel: vscode.WebviewPanel,
  extensionUri: vscode.Uri,
  page: WebviewPage,
  log: { warn(message: string): void },
): void {
  const webview = panel.webview;
  webview.options = webviewOptions(extensionUri);
  webview.html = renderWebviewHtml(webview, extensionUri, page);
  let reloads = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failures = webview.onDidReceiveMessage((message: unknown) => {
    if ((message as { pageLoadFailed?: unknown } | null)?.pageLoadFailed !== true) return;
    if (reloads === PAGE_RELOADS) {
      log.warn(`The ${page.bundle} view's script did not load after ${reloads + 1} tries; close and reopen the view.`);
      return;
    }
    reloads++;
    log.warn(`The ${page.bundle} view's script did not load; loading the view again (${reloads} of ${PAGE_RELOADS}).`);
    timer = setTimeout(() => (webview.html = renderWebviewHtml(webview, extensionUri, page)), PAGE_RELOAD_PAUSE_MS * reloads);
  });
  panel.onDidDispose(() => {
    clearTimeout(timer);
    failures.dispose();
  });
}

/** The host end of a webview's message channel, for a Messenger. */
export function webviewTransport(webview: vscode.Webview): Transport {
  return {
    post: (message: Envelope) => void webview.postMessage(message),
    listen: (handler) => {
      const subscription = webview.onDidReceiveMessage(handler);
      return () => subscription.dispose();
    },
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
