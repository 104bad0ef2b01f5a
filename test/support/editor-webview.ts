// Runs the editor's real webview bundle (dist/webview/editor.js + editor-style.css) in Chromium against
// the real host session (EditorSession over a real parse, its edits made by the real document model,
// EditableTorrent, wired as OpenEditor wires it), with only VS Code's message transport in between replaced
// by playwright's. The page is the extension's own HTML with its strict Content Security
// Policy (see webview-host.ts) and a VS Code colour theme's variables, so what renders here is what
// renders in the editor.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { Messenger, type Envelope } from '../../src/shared/messaging';
import type { EditorRequests, HostEvent, HostRequests, WebviewEvent } from '../../src/shared/protocol/editor';
import { type MetainfoParser } from '../../src/view-model/editor/parsed-torrent';
import { EditableTorrent } from '../../src/view-model/editor/editable-torrent';
import { EditorSession, type TrackerTarget } from '../../src/view-model/editor/session';
import { harnessPageHtml, THEME_PATH, VSCODE_API_PATH, WEBVIEW_ORIGIN } from './webview-host';

// Callbacks passed to page.evaluate run in the page, where `window` exists.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's global, untyped here
declare const window: any;

const require = createRequire(import.meta.url);
// playwright-core is a devDependency; typed loosely so the tests do not depend on its type names.
const { chromium } = require('playwright-core') as { chromium: { launch(options: unknown): Promise<Browser> } };

/* eslint-disable @typescript-eslint/no-explicit-any */
type Browser = { newContext(options?: unknown): Promise<any>; close(): Promise<void> };
export type Page = any;

const root = new URL('../../../', import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The colours VS Code's default dark and light themes give webviews (a representative subset). */
export const THEMES = {
  dark: {
    'editor-background': '#1e1e1e',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'editor-font-family': '"Droid Sans Mono", monospace',
    'editor-font-size': '14px',
    focusBorder: '#007fd4',
    errorForeground: '#f48771',
    'editorWarning-foreground': '#cca700',
    'editorInfo-foreground': '#3794ff',
    'textLink-foreground': '#3794ff',
    'textLink-activeForeground': '#3794ff',
    'button-secondaryBackground': '#3a3d41',
    'button-secondaryForeground': '#ffffff',
    'button-secondaryHoverBackground': '#45494e',
    'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'list-inactiveSelectionBackground': '#37373d',
    'list-focusOutline': '#007fd4',
    'badge-background': '#4d4d4d',
    'badge-foreground': '#ffffff',
    'panel-border': 'rgba(128, 128, 128, 0.35)',
    'panelTitle-activeForeground': '#e7e7e7',
    'panelTitle-inactiveForeground': 'rgba(231, 231, 231, 0.6)',
    'panelTitle-activeBorder': '#e7e7e7',
    'editorHoverWidget-background': '#252526',
    'editorHoverWidget-border': '#454545',
    'editorHoverWidget-foreground': '#cccccc',
    'editorWidget-background': '#252526',
    'editorWidget-border': '#454545',
    'widget-shadow': 'rgba(0, 0, 0, 0.36)',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#352a05',
    'inputValidation-warningBorder': '#b89500',
    'input-background': '#3c3c3c',
    'input-foreground': '#cccccc',
    'input-border': 'rgba(0, 0, 0, 0)',
    'input-placeholderForeground': '#a6a6a6',
    'dropdown-background': '#3c3c3c',
    'dropdown-foreground': '#f0f0f0',
    'dropdown-border': '#3c3c3c',
    'button-background': '#0e639c',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#1177bb',
  },
  light: {
    'editor-background': '#ffffff',
    foreground: '#616161',
    descriptionForeground: '#717171',
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'editor-font-family': '"Droid Sans Mono", monospace',
    'editor-font-size': '14px',
    focusBorder: '#0090f1',
    errorForeground: '#a1260d',
    'editorWarning-foreground': '#bf8803',
    'editorInfo-foreground': '#1a85ff',
    'textLink-foreground': '#006ab1',
    'textLink-activeForeground': '#006ab1',
    'button-secondaryBackground': '#5f6a79',
    'button-secondaryForeground': '#ffffff',
    'button-secondaryHoverBackground': '#4c5561',
    'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
    'list-hoverBackground': '#e8e8e8',
    'list-activeSelectionBackground': '#0060c0',
    'list-activeSelectionForeground': '#ffffff',
    'list-inactiveSelectionBackground': '#e4e6f1',
    'list-focusOutline': '#0090f1',
    'badge-background': '#c4c4c4',
    'badge-foreground': '#333333',
    'panel-border': 'rgba(128, 128, 128, 0.35)',
    'panelTitle-activeForeground': '#424242',
    'panelTitle-inactiveForeground': 'rgba(66, 66, 66, 0.75)',
    'panelTitle-activeBorder': '#424242',
    'editorHoverWidget-background': '#f3f3f3',
    'editorHoverWidget-border': '#c8c8c8',
    'editorHoverWidget-foreground': '#616161',
    'editorWidget-background': '#f3f3f3',
    'editorWidget-border': '#c8c8c8',
    'widget-shadow': 'rgba(0, 0, 0, 0.16)',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#f6f5d2',
    'inputValidation-warningBorder': '#b89500',
    'input-background': '#ffffff',
    'input-foreground': '#616161',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#616161',
    'dropdown-border': '#cecece',
    'button-background': '#007acc',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0062a3',
  },
} as const;

export type ThemeName = keyof typeof THEMES;

export interface HarnessOptions {
  parser: MetainfoParser;
  fileName?: string;
  theme?: ThemeName;
  viewport?: { width: number; height: number };
  showSecrets?: boolean;
  /** State the webview starts with, as vscode.getState() would return it. */
  state?: unknown;
  /** Whether the session can edit (true unless false): a host without edits, as for a view that only shows. */
  editable?: boolean;
}

export interface EditorPage {
  page: Page;
  session: EditorSession;
  /** The document the edits go to: its bytes are what a save writes. */
  model: EditableTorrent;
  /** Text written to the clipboard through the host. */
  clipboard: string[];
  trackerCommands: { command: string; target: TrackerTarget }[];
  /** URLs the host was asked to open outside VS Code, and `openAsText` when the file was to be reopened as text. */
  opened: string[];
  /** Messages the webview sent and the host received, with their JSON size in bytes. */
  received: { type: string; bytes: number }[];
  /** Messages the host sent, with their JSON size in bytes. */
  sent: { kind: string; bytes: number }[];
  dialogs: string[];
  consoleErrors: string[];
  /** Publishes a new version of the file, as a change on disk with no unsaved edits does. */
  replaceFile(bytes: Uint8Array): Promise<void>;
  /** Keeps the replies to the webview's requests of this type back until `release` (a slow host). */
  holdReplies(type: EditorRequests[keyof EditorRequests]['request']['type']): { held(): number; release(): void };
  emit(event: HostEvent): Promise<void>;
  close(): Promise<void>;
}

function themeCss(theme: ThemeName): string {
  const vars = Object.entries(THEMES[theme])
    .map(([name, value]) => `  --vscode-${name}: ${value};`)
    .join('\n');
  return `html {\n${vars}\n}\nbody { margin: 0; }\n`;
}

// What VS Code's webview host provides: acquireVsCodeApi with postMessage/getState/setState.
const VSCODE_API = `(() => {
  let state = window.__initialState;
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__toHost(JSON.stringify(message)),
    getState: () => state,
    setState: (next) => { state = next; window.__savedState = next; },
  });
})();`;

/** One Chromium per test process; each editor page gets its own context. */
let browser: Promise<Browser> | undefined;

/** Closes the shared Chromium (call once, after the last page is closed). */
export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = undefined;
  if (running) await (await running).close();
}

export async function openEditorPage(bytes: Uint8Array, options: HarnessOptions): Promise<EditorPage> {
  const dist = new URL('dist/webview/', root);
  if (!existsSync(new URL('editor.js', dist))) throw new Error('dist/webview/editor.js is missing: run `node scripts/build.mjs` first');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
  const theme = options.theme ?? 'dark';
  browser ??= chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const context = await (await browser).newContext({ viewport: options.viewport ?? { width: 1100, height: 800 } });
  const tab: Page = await context.newPage();
  const clipboard: string[] = [];
  const trackerCommands: { command: string; target: TrackerTarget }[] = [];
  const opened: string[] = [];
  const received: { type: string; bytes: number }[] = [];
  const sent: { kind: string; bytes: number }[] = [];
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  tab.on('dialog', (dialog: { message(): string; dismiss(): Promise<void> }) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  tab.on('console', (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  tab.on('pageerror', (error: Error) => consoleErrors.push(String(error)));

  const model = await EditableTorrent.open(bytes, options.parser);
  const session = new EditorSession(
    {
      writeClipboard: async (text) => void clipboard.push(text),
      trackerCommand: async (command, target) => void trackerCommands.push({ command, target }),
      openAsText: async () => void opened.push('openAsText'),
      rawEditor: () => 'text',
      openExternal: async (url) => void opened.push(url),
      showSecretsSetting: () => options.showSecrets ?? false,
      ...(options.editable === false ? {} : { edit: (edit, editOptions) => model.edit(edit, editOptions) }),
    },
    model.parsed,
    options.fileName ?? 'test.torrent',
  );

  let deliver: ((message: unknown) => void) | undefined;
  const toPage = (message: Envelope) => {
    const json = JSON.stringify(message);
    sent.push({ kind: message.kind, bytes: Buffer.byteLength(json) });
    void tab
      .evaluate((data: string) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(data) })), json)
      .catch(() => {});
  };
  // A slow host: the replies to requests of the held type wait for their gate (see holdReplies).
  let hold: { type: string; count: number; gate: Promise<void> } | undefined;
  const heldReplies = new Map<number, Promise<void>>();
  const messenger = new Messenger<HostRequests, EditorRequests, HostEvent, WebviewEvent>({
    post: (message: Envelope) => {
      if (message.kind === 'reply' && heldReplies.has(message.id)) {
        const gate = heldReplies.get(message.id)!;
        heldReplies.delete(message.id);
        void gate.then(() => toPage(message));
      } else toPage(message);
    },
    listen: (handler) => {
      deliver = handler;
      return { dispose: () => (deliver = undefined) };
    },
  });
  let viewportRows = 40;
  const answers = session.requestHandlers;
  messenger.onRequest({
    ...answers,
    init: (request) => {
      viewportRows = request.viewportRows;
      return answers.init(request);
    },
  });
  messenger.onEvent((event) => {
    if (event.type === 'viewState') session.rememberState(event.state);
  });
  model.onDidChange((parsed, cause) =>
    messenger.emit({ type: 'snapshot', snapshot: session.update(parsed, viewportRows, cause === 'disk' ? 'changed' : 'edit') }),
  );
  await tab.exposeFunction('__toHost', (json: string) => {
    const message = JSON.parse(json) as { kind: string; id?: number; body?: { type?: string } };
    received.push({ type: message.body?.type ?? message.kind, bytes: Buffer.byteLength(json) });
    if (message.kind === 'request' && hold && hold.type === message.body?.type && typeof message.id === 'number') {
      hold.count++;
      heldReplies.set(message.id, hold.gate);
    }
    deliver?.(message);
  });
  if (options.state !== undefined) await tab.addInitScript((state: unknown) => (window.__initialState = state), options.state);

  const html = harnessPageHtml({
    bundle: 'editor',
    title: options.fileName ?? 'test.torrent',
    nonce: 'harness-nonce-7f3a',
    themeClass: `vscode-${theme}`,
  });
  const assets: Record<string, { body: string | Buffer; type: string }> = {
    '/index.html': { body: html, type: 'text/html' },
    [THEME_PATH]: { body: themeCss(theme), type: 'text/css' },
    [VSCODE_API_PATH]: { body: VSCODE_API, type: 'text/javascript' },
    '/editor.js': { body: readFileSync(new URL('editor.js', dist)), type: 'text/javascript' },
    '/editor-style.css': { body: readFileSync(new URL('editor-style.css', dist)), type: 'text/css' },
    '/codicon.ttf': { body: readFileSync(new URL('codicon.ttf', dist)), type: 'font/ttf' },
  };
  await tab.route(`${WEBVIEW_ORIGIN}/**`, (route: { request(): { url(): string }; fulfill(r: unknown): Promise<void> }) => {
    const path = new URL(route.request().url()).pathname;
    const asset = assets[path];
    return asset ? route.fulfill({ status: 200, body: asset.body, contentType: asset.type }) : route.fulfill({ status: 404, body: '' });
  });
  await tab.goto(`${WEBVIEW_ORIGIN}/index.html`);

  return {
    page: tab,
    session,
    model,
    clipboard,
    trackerCommands,
    opened,
    received,
    sent,
    dialogs,
    consoleErrors,
    replaceFile: async (next) => {
      await model.takeFromDisk(next, 'disk');
    },
    holdReplies: (type) => {
      let release = () => {};
      const held = { type, count: 0, gate: new Promise<void>((resolve) => (release = resolve)) };
      hold = held;
      return {
        held: () => held.count,
        release: () => {
          if (hold === held) hold = undefined;
          release();
        },
      };
    },
    emit: async (event) => messenger.emit(event),
    close: async () => {
      messenger.dispose();
      await context.close();
    },
  };
}
