// Our pages in VS Code webviews: options, the HTML from src/shared/webview-page.ts with a fresh nonce and
// VS Code's URIs for our bundles, loading the page again when its script fails to load, and the host end
// of the message channel for a Messenger.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../shared/disposable';
import type { Envelope, Transport } from '../shared/messaging';
import { isPageLoadFailed, webviewPageHtml } from '../shared/webview-page';

export interface PageBundle {
  /** Bundle name under dist/webview, e.g. `editor` for editor.js and editor-style.css. */
  bundle: string;
  title: string;
}

/** How many times a page whose script failed to load is loaded again, and the pause before each. */
const PAGE_RELOADS = 3;
const PAGE_RELOAD_PAUSE_MS = 250;

/**
 * Shows our page in a webview (options, then HTML) and loads it again if its script fails to load, until
 * disposed. VS Code in a browser serves webview files through a service worker; a webview revived
 * alongside another after a window reload can ask for its files before that worker serves them, and would
 * stay blank. The page reports such a failure (see PAGE_LOAD_FAILURE_REPORT).
 */
export class WebviewPage extends Disposable {
  private reloads = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly extensionUri: vscode.Uri,
    private readonly page: PageBundle,
    private readonly log: { warn(message: string): void },
  ) {
    super();
    webview.options = { enableScripts: true, localResourceRoots: [this.assetRoot()] };
    webview.html = this.html();
    this.register(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isPageLoadFailed(message)) this.loadFailed();
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.reloadTimer)));
  }

  private loadFailed(): void {
    const { bundle } = this.page;
    if (this.reloads === PAGE_RELOADS) {
      this.log.warn(`The ${bundle} view's script did not load after ${this.reloads + 1} tries; close and reopen the view.`);
      return;
    }
    this.reloads++;
    this.log.warn(`The ${bundle} view's script did not load; loading the view again (${this.reloads} of ${PAGE_RELOADS}).`);
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => (this.webview.html = this.html()), PAGE_RELOAD_PAUSE_MS * this.reloads);
  }

  /** Resources only from our dist/webview folder. */
  private assetRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private html(): string {
    const asset = (file: string) => this.webview.asWebviewUri(vscode.Uri.joinPath(this.assetRoot(), file)).toString();
    return webviewPageHtml({
      nonce: randomBytes(16).toString('base64'),
      cspSource: this.webview.cspSource,
      scriptUri: asset(`${this.page.bundle}.js`),
      styleUri: asset(`${this.page.bundle}-style.css`),
      title: this.page.title,
    });
  }
}

/** The host end of a webview's message channel, for a Messenger. */
export function webviewTransport(webview: vscode.Webview): Transport {
  return {
    post: (message: Envelope) => void webview.postMessage(message),
    listen: (handler) => webview.onDidReceiveMessage(handler),
  };
}
