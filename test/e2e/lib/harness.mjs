// Drives a real VS Code (code-server 4.100.3 = VS Code 1.100.3) headlessly: throwaway profiles, the
// extension installed from its .vsix or loaded from the repository, Chromium through playwright-core.
//
// Building blocks:  makeSandbox, writeUserSettings, installExtension, startCodeServer, launchBrowser,
//                   openWorkbench, quickOpen, runCommand, webviewFrame, screenshot
// All in one:       startWorkbench({ vsix, files, settings }) -> { page, quickOpen, runCommand, webviewFrame, … }
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureVsCodeServer } from '../install-vscode-server.mjs';
import { onExit, onInterrupt, track } from './processes.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The test corpus (test/fixtures/corpus). */
export const corpusDir = resolve(repoRoot, 'test', 'fixtures', 'corpus');
/** Screenshots and logs worth keeping after a run; git-ignored. */
export const artifactsDir = join(repoRoot, 'test-results');
export const extensionId = 'torrent-lens.torrent-lens';
const keepSandboxes = process.env.TORRENT_LENS_KEEP_SANDBOX === '1';

/** Path of a corpus file, e.g. corpus('gen/lt-hybrid-multi.torrent'). */
export function corpus(relativePath) {
  return join(corpusDir, relativePath);
}

/** The command palette label of a contributed command ("Category: Title"), from package.json and its English text. */
export function commandLabel(commandId) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const english = JSON.parse(readFileSync(join(repoRoot, 'package.nls.json'), 'utf8'));
  const text = (value) => value?.replace(/^%([\w.-]+)%$/, (_, key) => english[key] ?? `%${key}%`);
  const command = (manifest.contributes?.commands ?? []).find((c) => c.command === commandId);
  if (!command) throw new Error(`package.json contributes no command ${commandId}`);
  return command.category ? `${text(command.category)}: ${text(command.title)}` : text(command.title);
}

/** Ground truth of the corpus (truth.json), keyed by path relative to the corpus folder. */
export function corpusTruth() {
  return JSON.parse(readFileSync(join(corpusDir, 'truth.json'), 'utf8')).torrents;
}

// ---------------------------------------------------------------------------------------------------------
// Sandboxes

/**
 * @typedef {object} Sandbox
 * @property {string} root        removed by `dispose()` (kept when TORRENT_LENS_KEEP_SANDBOX=1)
 * @property {string} home
 * @property {string} tmp
 * @property {string} userData    VS Code's --user-data-dir
 * @property {string} extensions  VS Code's --extensions-dir
 * @property {string} workspace   the folder the workbench opens
 * @property {string} logs        code-server output
 * @property {Record<string, string>} env  a process environment that keeps every tool's state inside the sandbox
 * @property {() => void} dispose
 */

/**
 * A throwaway folder tree for one VS Code: its own HOME, XDG folders, TMPDIR (VS Code's sockets live
 * there, so it sits under the system temp folder to keep socket paths short), user data, extensions and
 * workspace.
 * @param {string} name  what the sandbox is for; part of its folder name
 * @returns {Sandbox}
 */
export function makeSandbox(name) {
  const root = mkdtempSync(join(tmpdir(), `torrent-lens-${name.replace(/[^a-z0-9-]/gi, '-')}-`));
  const dir = (sub) => {
    const path = join(root, sub);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const home = dir('home');
  const remove = () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  // However the run ends, the sandbox goes too (after its processes are killed).
  const forget = keepSandboxes ? () => {} : onExit(remove);
  const sandbox = {
    root,
    home,
    tmp: dir('tmp'),
    userData: dir('user-data'),
    extensions: dir('extensions'),
    workspace: dir('workspace'),
    logs: dir('logs'),
    env: sandboxEnv(root, home),
    dispose() {
      forget();
      if (!keepSandboxes) remove();
    },
  };
  dir('home/.config');
  dir('home/.local/share');
  dir('home/.cache');
  return sandbox;
}

function sandboxEnv(root, home) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of a VS Code this may be started from would make code-server talk to that one instead.
    if (value === undefined || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TMPDIR: join(root, 'tmp'),
  };
}

/** Settings that keep the workbench quiet and predictable: no welcome page, tips, trust prompts or updates. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
};

/** Writes the user settings.json of a sandbox (before the server starts). */
export function writeUserSettings(sandbox, settings = {}) {
  const dir = join(sandbox.userData, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));
}

/** Copies files into the sandbox's workspace; `files` maps a name in the workspace to a source path. */
export function addWorkspaceFiles(sandbox, files) {
  for (const [name, source] of Object.entries(files)) {
    const target = join(sandbox.workspace, name);
    mkdirSync(resolve(target, '..'), { recursive: true });
    copyFileSync(source, target);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The extension

/** The .vsix `npm run package` writes for the current version. */
export function defaultVsixPath() {
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return join(repoRoot, `${name}-${version}.vsix`);
}

/**
 * The .vsix the UI tests install: $TORRENT_LENS_VSIX, else the packaged one for this version, packaging
 * it first if there is none.
 */
export async function packageVsix() {
  const fromEnv = process.env.TORRENT_LENS_VSIX;
  if (fromEnv) return resolve(fromEnv);
  const path = defaultVsixPath();
  if (existsSync(path)) return path;
  const { packageExtension } = await import('../../../scripts/package.mjs');
  return packageExtension();
}

/** Installs a .vsix into a sandbox's extensions folder with code-server's own CLI. */
export function installExtension(sandbox, vsixPath) {
  const entry = ensureVsCodeServer({ quiet: true });
  const result = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, '--install-extension', vsixPath, '--force'],
    { env: sandbox.env, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout)) {
    throw new Error(
      `installing ${basename(vsixPath)} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// code-server

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * @typedef {object} CodeServer
 * @property {string} url      http://127.0.0.1:<port>
 * @property {number} port
 * @property {number} pid
 * @property {string} logFile
 * @property {() => string} logTail  the last lines the server printed, for error messages
 * @property {() => Promise<void>} stop  kills the whole process tree
 */

/**
 * Starts code-server on 127.0.0.1 with the sandbox's profile and waits until it answers.
 * @param {Sandbox} sandbox
 * @param {{ port?: number, env?: Record<string, string>, workspaceTrust?: boolean }} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(sandbox, options = {}) {
  const entry = ensureVsCodeServer({ quiet: true });
  const env = options.env ?? {};
  const port = options.port ?? (await freePort());
  const configFile = join(sandbox.root, 'code-server.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    entry,
    '--config',
    configFile,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    sandbox.userData,
    '--extensions-dir',
    sandbox.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    // Workspace trust is off unless a test is about Restricted Mode.
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const logFile = join(sandbox.logs, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { env: { ...sandbox.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('code-server did not start');
  const stopTree = track(child.pid);
  const tail = [];
  const remember = (chunk) => {
    log.write(chunk);
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const logTail = () => tail.join('\n');
  const stop = async () => {
    await stopTree();
    log.end();
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited during start-up:\n${logTail()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${logTail()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, pid: child.pid, logFile, logTail, stop };
}

/**
 * The authority VS Code uses for the server's files in vscode-remote:// URIs (4.100 uses host:port),
 * read from the workbench page's configuration.
 */
export async function remoteAuthority(server) {
  const html = await (await fetch(`${server.url}/`)).text();
  const match = /id="vscode-workbench-web-configuration"[^>]*data-settings="([^"]*)"/.exec(html);
  if (match) {
    const settings = JSON.parse(
      match[1]
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
    if (typeof settings.remoteAuthority === 'string') return settings.remoteAuthority;
  }
  return `127.0.0.1:${server.port}`;
}

// ---------------------------------------------------------------------------------------------------------
// The browser

/**
 * Debian's Chromium through playwright-core (no browser download), headless, with a fixed window size
 * and clipboard access for copy actions.
 * @param {Sandbox} sandbox
 */
export async function launchBrowser(sandbox, { width = 1440, height = 900 } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Our own signal handlers close the browser along with the server and the sandbox (lib/processes.mjs);
    // playwright's would exit the process before those finish.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: sandbox.env,
    args: [
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--password-store=basic',
    ],
  });
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  return { browser, context, page };
}

/**
 * Opens the workbench on a folder and waits until it has loaded it.
 * @param {import('playwright-core').Page} page
 * @param {CodeServer} server
 * @param {{ folder: string, payload?: [string, string][], onExit?: (code: number) => void,
 *           onLog?: (type: string, args: unknown[]) => void, waitForExplorer?: boolean }} options
 *   `payload` is VS Code's development payload (extensionDevelopmentPath, extensionTestsPath);
 *   `onExit` receives the exit code of an extension-host test run; `onLog` the console lines of the
 *   workbench and of the extension host during such a run.
 */
export async function openWorkbench(page, server, { folder, payload, onExit, onLog, waitForExplorer = true }) {
  if (onExit) await page.exposeFunction('codeAutomationExit', (code) => onExit(Number(code)));
  if (onLog) await page.exposeFunction('codeAutomationLog', (type, args) => onLog(String(type), Array.isArray(args) ? args : [args]));
  let address = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) address += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(address);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  if (waitForExplorer) await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Opens a workspace file through Quick Open (Ctrl+P) by its name or workspace-relative path, and waits for its tab. */
export async function quickOpen(page, fileName) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(fileName);
  // An Enter pressed before the list has the file is lost, and one pressed while the list still shows
  // the recently opened files (before it filters) opens the wrong one: wait until the file is the selected row.
  await page
    .locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${cssString(basename(fileName))}"]`)
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  // By resource name: other tabs (a results panel titled after the file) may show the name too.
  await page
    .locator(`.tabs-container .tab.active[data-resource-name="${cssString(basename(fileName))}"]`)
    .first()
    .waitFor();
}

/**
 * Runs a command by its palette label (e.g. "Torrent: Scrape Trackers") through F1. Returns once the
 * palette has closed or moved on to the command's own quick pick.
 */
export async function runCommand(page, label) {
  const input = page.locator('.quick-input-widget input.input');
  // VS Code learns that a webview has focus by polling it every 250 ms, and then focuses the webview's editor,
  // which closes a quick input opened in between: with focus in a webview, let that poll run first.
  if (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')) await page.waitForTimeout(300);
  // With a webview focused, F1 reaches the workbench through the webview's key forwarding, which can
  // drop it, or deliver it late, while focus is still moving (right after a click on a tab). A late F1
  // closes the palette again: so press F1 only while the palette is closed, and retry until it stays open.
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await input.isVisible())) await page.keyboard.press('F1');
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`>${label}`, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  // A command that asks something keeps the widget open with a new input, so wait for the '>' to go.
  await page.waitForFunction(() => {
    const widget = document.querySelector('.quick-input-widget');
    const field = /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget input.input'));
    return !widget || getComputedStyle(widget).display === 'none' || !field || !field.value.startsWith('>');
  });
}

/** Clicks the row of the open quick pick that mentions `text`. */
export async function pickQuickItem(page, text) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row >> visible=true', { hasText: text }).first();
  await row.waitFor();
  await row.click();
}

/**
 * Runs the command labelled `label` until its quick pick shows a row that mentions `text`, and returns that row.
 * A quick pick closes when it loses focus, and a webview can still take the focus a moment after it opened (an
 * editor's webview that has just loaded, or VS Code's focus poll of a webview, see runCommand): if the pick is gone
 * without the row having shown, the command is run again (at most twice more).
 */
export async function openCommandPick(page, label, text) {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, label);
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row >> visible=true', { hasText: text }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
      return row;
    } catch (error) {
      // Still open: the row is slow to come (a file dialog lists a folder first).
      if (await page.locator('.quick-input-widget').isVisible()) {
        await row.waitFor({ timeout: 20_000 });
        return row;
      }
      if (attempt === 3) throw error;
      console.log(`# the quick pick of "${label}" closed before "${text}" showed; running it again`);
    }
  }
}

/**
 * Runs the command labelled `label` and clicks the row of its quick pick that mentions `text` (see openCommandPick).
 * The pick can also close between its row showing and the click: then nothing was chosen, and the command is run
 * again (at most twice more).
 */
export async function runCommandAndPick(page, label, text) {
  for (let attempt = 1; ; attempt++) {
    const row = await openCommandPick(page, label, text);
    try {
      await row.click({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3 || (await page.locator('.quick-input-widget').isVisible())) throw error;
      console.log(`# the quick pick of "${label}" closed before "${text}" could be chosen; running it again`);
    }
  }
}

/** Waits until no notification is shown (a progress notification closes a moment after its work ends), for clean pictures. */
export async function noToasts(page) {
  await page
    .locator('.notification-toast')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
}

/**
 * Runs `item` of the Explorer's context menu on the row named `name`. Right after start-up the menu may
 * not have the extension's entries yet: it is opened again until it has.
 */
export async function explorerMenu(page, name, item) {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${cssString(name)}"]`).first();
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
    try {
      await entry.waitFor({ timeout: 5_000 });
      await entry.click();
      // A click that comes as the menu opens can be taken for the end of the right click: the entry stays
      // highlighted and the menu open. Enter then runs the highlighted entry.
      const menu = page.locator('.context-view .monaco-menu');
      const closed = await menu.waitFor({ state: 'hidden', timeout: 1_000 }).then(
        () => true,
        () => false,
      );
      if (!closed) await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * The webview frame that shows `selector`. Webviews are two iframes deep (iframe.webview > #active-frame)
 * and hidden ones stay in the DOM, so this looks in every frame and picks the one with that content.
 * @returns {Promise<import('playwright-core').Frame>}
 */
export async function webviewFrame(page, selector, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // frame navigated or detached while we looked
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits (briefly) until every frame has its web fonts, so icons (codicons) are not blank in screenshots. */
async function fontsLoaded(page) {
  const ready = Promise.all(
    page.frames().map((frame) => frame.evaluate(() => document.fonts.ready.then(() => undefined)).catch(() => undefined)),
  );
  await Promise.race([ready, new Promise((r) => setTimeout(r, 2000))]);
}

/** Saves a screenshot of the whole window into test-results/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await fontsLoaded(page);
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Saves a screenshot of just the visible webview (editor or panel) into test-results/<name>.png. */
export async function webviewScreenshot(page, name) {
  await fontsLoaded(page);
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.locator('iframe.webview.ready >> visible=true').first().screenshot({ path });
  return path;
}

/** The browser clipboard's text once it differs from `previous` (copy commands write asynchronously). */
export async function clipboardChange(page, previous, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    if (text !== previous) return text;
    if (Date.now() > deadline) throw new Error(`the clipboard still holds ${JSON.stringify(previous)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cssString(text) {
  return text.replace(/["\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------
// All in one

/**
 * @typedef {object} Workbench
 * @property {import('playwright-core').Page} page
 * @property {CodeServer} server
 * @property {Sandbox} sandbox
 * @property {string[]} dialogs        alert/confirm/prompt texts seen (dismissed); must stay empty for hostile input
 * @property {string[]} consoleErrors  console errors of the workbench and its webviews
 * @property {(fileName: string) => Promise<void>} quickOpen
 * @property {(label: string) => Promise<void>} runCommand
 * @property {(selector: string, options?: { timeout?: number }) => Promise<import('playwright-core').Frame>} webviewFrame
 * @property {(previous: string) => Promise<string>} clipboardChange  the clipboard text once it is not `previous`
 * @property {(name: string) => Promise<string>} screenshot
 * @property {(name: string) => Promise<string>} webviewScreenshot
 * @property {() => Promise<void>} close  saves test-results/<name>-final.png, stops browser and server,
 *   removes the sandbox
 */

/**
 * A real VS Code with the extension installed from a .vsix, a workspace of the given files, and a browser
 * showing it. Everything is stopped and removed by `close()` (and on Ctrl-C).
 * @param {{ name?: string, vsix?: string, files?: Record<string, string>, settings?: Record<string, unknown>,
 *           env?: Record<string, string>, viewport?: { width: number, height: number }, restricted?: boolean }} [options]
 *   `files` maps a workspace name to a source path (see `corpus()`); `env` reaches the extension host;
 *   `viewport` is the browser window's size (1440×900 by default); `restricted` opens the workspace untrusted,
 *   in Restricted Mode.
 * @returns {Promise<Workbench>}
 */
export async function startWorkbench({ name = 'ui', vsix, files = {}, settings = {}, env = {}, viewport, restricted = false } = {}) {
  const sandbox = makeSandbox(name);
  /** @type {CodeServer | undefined} */
  let server;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // The window as it was at the end, whatever happened: the first thing to look at when a test fails.
    if (page) await screenshot(page, `${name}-final`).catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
    sandbox.dispose();
  };
  const forget = onInterrupt(close);
  try {
    // Restricted Mode: trust is on, and the workspace, never trusted, opens untrusted without a prompt.
    const trust = restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
    writeUserSettings(sandbox, { ...settings, ...trust });
    addWorkspaceFiles(sandbox, files);
    installExtension(sandbox, vsix ?? (await packageVsix()));
    server = await startCodeServer(sandbox, { env, workspaceTrust: restricted });
    const launched = await launchBrowser(sandbox, viewport);
    browser = launched.browser;
    page = launched.page;
    const shown = launched.page;
    const dialogs = [];
    const consoleErrors = [];
    shown.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    shown.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await openWorkbench(shown, server, { folder: sandbox.workspace, waitForExplorer: Object.keys(files).length > 0 });
    return {
      page: shown,
      server,
      sandbox,
      dialogs,
      consoleErrors,
      quickOpen: (fileName) => quickOpen(shown, fileName),
      runCommand: (label) => runCommand(shown, label),
      webviewFrame: (selector, options) => webviewFrame(shown, selector, options),
      clipboardChange: (previous) => clipboardChange(shown, previous),
      screenshot: (shot) => screenshot(shown, shot),
      webviewScreenshot: (shot) => webviewScreenshot(shown, shot),
      close: async () => {
        forget();
        await close();
      },
    };
  } catch (error) {
    if (server && error instanceof Error) error.message += `\n--- code-server log (last lines) ---\n${server.logTail()}`;
    forget();
    await close();
    throw error;
  }
}
