// Runs a webview's real bundle (dist/webview/NAME.js + NAME-style.css) in Debian's Chromium, in the
// extension's own page with its strict Content Security Policy (see webview-host.ts). Only VS Code's
// message transport is replaced: the test plays the host with the real protocol types and the real
// Messenger, answering the webview's requests with a handler per request type. For the Create Torrent
// form, the Verify panel and the tracker panel (trackers-webview.ts); the editor has a harness of its own,
// with VS Code's light and dark themes.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { Messenger, type Envelope, type RequestHandlers, type RequestMap } from '../../src/shared/messaging';
import { harnessPageHtml, THEME_PATH, VSCODE_API_PATH, WEBVIEW_ORIGIN } from './webview-host';

// Callbacks passed to page.evaluate run in the page, where `window` exists.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { chromium } = require('playwright-core') as { chromium: { launch(options: unknown): Promise<any> } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Page = any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dist = new URL('../../../dist/webview/', import.meta.url);

const THEME = `html {
  --vscode-editor-background: #1e1e1e; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-focusBorder: #007fd4; --vscode-errorForeground: #f48771; --vscode-button-background: #0e639c;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #3a3d41; --vscode-button-secondaryForeground: #ffffff;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-panel-border: rgba(128, 128, 128, 0.35);
  --vscode-input-background: #3c3c3c; --vscode-input-foreground: #cccccc; --vscode-testing-iconPassed: #73c991;
  --vscode-testing-iconFailed: #f14c4c; --vscode-disabledForeground: #808080;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-editorWidget-background: #252526;
}`;

const VSCODE_API = `(() => {
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__toHost(JSON.stringify(message)),
    getState: () => { const saved = sessionStorage.getItem('state'); return saved === null ? undefined : JSON.parse(saved); },
    setState: (next) => sessionStorage.setItem('state', JSON.stringify(next)),
  });
})();`;

export interface WebviewPage<HostEvent> {
  page: Page;
  /** Request types the webview sent, in order. */
  requests: string[];
  /** Bodies of the requests, in order. */
  bodies: { type: string }[];
  dialogs: string[];
  errors: string[];
  emit(event: HostEvent): Promise<void>;
  close(): Promise<void>;
}

let browser: Promise<{ newContext(o: unknown): Promise<Page>; close(): Promise<void> }> | undefined;

export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = undefined;
  if (running) await (await running).close();
}

/**
 * Opens `bundle`'s page at `viewport` and waits until `readySelector` is there. `Requests` are what the
 * webview asks (the test answers them with `handlers`), `HostEvent` what the test may send it.
 */
export async function openWebview<Requests extends RequestMap, HostEvent>(options: {
  bundle: string;
  title: string;
  handlers: RequestHandlers<Requests>;
  readySelector: string;
  viewport?: { width: number; height: number };
}): Promise<WebviewPage<HostEvent>> {
  const { bundle } = options;
  if (!existsSync(new URL(`${bundle}.js`, dist)))
    throw new Error(`dist/webview/${bundle}.js is missing: run \`node scripts/build.mjs\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
  browser ??= chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await (await browser).newContext({ viewport: options.viewport ?? { width: 1200, height: 800 } });
  const tab: Page = await context.newPage();
  const requests: string[] = [];
  const bodies: { type: string }[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  tab.on('dialog', (dialog: { message(): string; dismiss(): Promise<void> }) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  tab.on('console', (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  tab.on('pageerror', (error: Error) => errors.push(String(error)));

  let deliver: ((message: unknown) => void) | undefined;
  const messenger = new Messenger<Record<never, never>, Requests, HostEvent, never>({
    post: (message: Envelope) => {
      void tab
        .evaluate((data: string) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(data) })), JSON.stringify(message))
        .catch(() => {});
    },
    listen: (handler) => {
      deliver = handler;
      return { dispose: () => (deliver = undefined) };
    },
  });
  messenger.onRequest(options.handlers);
  await tab.exposeFunction('__toHost', (json: string) => {
    const message = JSON.parse(json) as { kind?: string; body?: { type?: unknown } };
    if (message.kind === 'request') {
      requests.push(String(message.body?.type));
      bodies.push(message.body as { type: string });
    }
    deliver?.(message);
  });

  const html = harnessPageHtml({ bundle, title: options.title, nonce: `${bundle}-test-nonce`, themeClass: 'vscode-dark' });
  const assets: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': { body: html, type: 'text/html' },
    [THEME_PATH]: { body: THEME, type: 'text/css' },
    [VSCODE_API_PATH]: { body: VSCODE_API, type: 'text/javascript' },
    [`/${bundle}.js`]: { body: readFileSync(new URL(`${bundle}.js`, dist)), type: 'text/javascript' },
    [`/${bundle}-style.css`]: { body: readFileSync(new URL(`${bundle}-style.css`, dist)), type: 'text/css' },
    '/codicon.ttf': { body: readFileSync(new URL('codicon.ttf', dist)), type: 'font/ttf' },
  };
  await tab.route('**/*', (route: { request(): { url(): string }; fulfill(r: unknown): Promise<void>; abort(): Promise<void> }) => {
    const url = new URL(route.request().url());
    // Anything outside our origin (a hostile string trying to load something) is refused and recorded.
    if (url.origin !== WEBVIEW_ORIGIN) {
      errors.push(`blocked request to ${url.href}`);
      return route.abort();
    }
    const asset = assets[url.pathname];
    return asset ? route.fulfill({ status: 200, body: asset.body, contentType: asset.type }) : route.fulfill({ status: 404, body: '' });
  });
  await tab.goto(`${WEBVIEW_ORIGIN}/index.html`);
  await tab.waitForSelector(options.readySelector, { state: 'attached' });
  return {
    page: tab,
    requests,
    bodies,
    dialogs,
    errors,
    emit: async (event) => {
      messenger.emit(event);
      await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    },
    close: async () => {
      messenger.dispose();
      await context.close();
    },
  };
}
