// Our pages in VS Code webviews: options, the HTML from src/shared/webview-page.ts with a fresh nonce and
// VS Code's URIs for our bundles, loading the page again when its script fails to load, and the host end
// of the message channel for a Messenger.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Envelope, Transport } from '../shared/messaging';
import { isPageLoadFailed, webviewPageHtml } from '../shared/webview-page';

export interface WebviewPage {
  /** Bundle name under dist/webview, e.g. `editor` for editor.js and editor-style.css. */
  bundle: string;
  title: string;
}

/** Options every webview of ours uses: scripts on, resources only from our dist/webview folder. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  return webviewPageHtml({
    nonce: randomBytes(16).toString('base64'),
    cspSource: webview.cspSource,
    scriptUri: asset(`${page.bundle}.js`),
    styleUri: asset(`${page.bundle}-style.css`),
    title: page.title,
  });
}

/** How many times a page whose script failed to load is loaded again, and the pause before each. */
const PAGE_RELOADS = 3;
const PAGE_RELOAD_PAUSE_MS = 250;

/**
 * Shows our page in a panel (options, then HTML) and loads it again if its script fails to load.
 * VS Code in a browser serves webview files through a service worker; a webview revived alongside
 * another after a window reload can ask for its files before that worker serves them, and would stay
 * blank. The page reports such a failure (see PAGE_LOAD_FAILURE_REPORT).
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
    if (!isPageLoadFailed(message)) return;
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
    listen: (handler) => webview.onDidReceiveMessage(handler),
  };
}
