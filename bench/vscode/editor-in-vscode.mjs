// The editor in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, headless Chromium, the extension
// installed from a .vsix), for `npm run bench`:
//   node bench/vscode/editor-in-vscode.mjs --vsix FILE --torrent FILE [--opens N]
// Prints one JSON line:
// - firstOpen, reopens: milliseconds from the Enter that opens the torrent in Quick Open to each phase,
//   the last being the first filled row of the files tree (a 4 ms poll inside the webview notes the
//   time). The first open of a session includes activating the extension; a reopen (after closing the
//   editor) re-reads and re-parses the file in an extension already running.
// - hostLog: the read and parse times the extension logged for each open;
// - the size (as JSON) of every message the webview received, and the tree rows in its DOM;
// - loaderFetches: how long the blank page VS Code loads into each new webview took to arrive, for our
//   editor and for VS Code's built-in image preview (a control: the same loader, none of our code);
// - activation: VS Code's own activation time of the extension (Developer: Show Running Extensions,
//   which shows code loading + the activate() call).
// - edits: the torrent's tracker edited in place and saved, several times: milliseconds from the Enter that
//   commits the edit to the tree showing it, from Ctrl+S to the file on disk replaced, and from that Enter to the
//   saved file (Ctrl+S pressed as soon as the edit shows).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { quickOpen, repoRoot, startWorkbench } from '../../test/e2e/lib/harness.mjs';

/** @param {string} name */
function argument(name, fallback = '') {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const vsix = argument('vsix');
const torrent = argument('torrent');
const opens = Number(argument('opens', '4'));
const WORKSPACE_NAME = basename(torrent);
/** An image VS Code shows in its own webview-based preview: the control for VS Code's webview loading. */
const CONTROL_IMAGE = 'control-image.png';

/**
 * Runs in every webview frame before its own scripts: notes when the files tree first shows a filled row,
 * and the size of every message the frame receives.
 */
function probe() {
  if (window === window.top) return;
  const w = /** @type {any} */ (window);
  if (w.__benchProbe) return;
  w.__benchProbe = { createdAt: Date.now(), documentAt: 0, firstMessageAt: 0, firstRowsAt: 0, messages: [] };
  const state = w.__benchProbe;
  const record = (event) => {
    let size = -1;
    try {
      size = JSON.stringify(event.data).length;
    } catch {
      // not JSON-able (a transferable); not one of ours
    }
    const kind = event.data && typeof event.data === 'object' ? String(event.data.kind ?? '') : '';
    if (kind === 'reply' || kind === 'event') {
      state.messages.push({ at: Date.now(), size, kind });
      state.firstMessageAt ||= Date.now();
    }
  };
  // VS Code loads a blank page into this frame and then writes the webview's document into it, which
  // erases listeners and replaces the document: watch for each new document, every 4 ms, and listen again.
  let root = null;
  const attach = () => {
    if (document.documentElement !== root && document.getElementById('app')) {
      root = document.documentElement;
      state.documentAt ||= Date.now();
      window.addEventListener('message', record, true);
    }
  };
  const timer = setInterval(() => {
    attach();
    const row = document.querySelector('#files [role=treeitem]:not([aria-busy]) .label');
    if (row && row.textContent) {
      state.firstRowsAt = Date.now();
      clearInterval(timer);
    } else if (Date.now() - state.createdAt > 120_000) clearInterval(timer);
  }, 4);
  // Messages go on being recorded after the first rows (the scroll pages).
  setInterval(attach, 50);
}

/** The webview frame showing the files tree, once it exists. */
async function editorFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await frame.evaluate(() => Boolean(/** @type {any} */ (window).__benchProbe?.firstRowsAt))) return frame;
      } catch {
        // detached or navigating
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview showed file rows within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Opens the torrent through Quick Open; returns ms from Enter to the first filled row, and the frame. */
async function timedOpen(page) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(WORKSPACE_NAME);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${WORKSPACE_NAME}"]`).first().waitFor();
  const pressedAt = Date.now();
  await page.keyboard.press('Enter');
  const frame = await editorFrame(page);
  const probed = await frame.evaluate(() => /** @type {any} */ (window).__benchProbe);
  const outer = await frame
    .parentFrame()
    ?.evaluate(() => /** @type {any} */ (window).__benchProbe?.createdAt)
    .catch(() => 0);
  // Milliseconds after Enter: VS Code's webview element, the frame for our page, our page written into
  // it, our first message (the snapshot) arriving, the first filled file row.
  const phases = {
    webviewFrame: (outer ?? 0) - pressedAt,
    contentFrame: probed.createdAt - pressedAt,
    documentWritten: probed.documentAt - pressedAt,
    firstMessage: probed.firstMessageAt - pressedAt,
    firstRows: probed.firstRowsAt - pressedAt,
  };
  return { ms: phases.firstRows, phases, frame, pressedAt };
}

async function closeEditors(page) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill('>View: Close All Editors');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'View: Close All Editors' }).first().click();
  await page
    .locator('.tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
  // Let the webview's frames go before the next open.
  await page.waitForTimeout(300);
}

/** Messages the editor's content frame received since `since` (its own envelopes: request replies and events). */
async function messagesSince(frame, since) {
  const all = await frame.evaluate(() => /** @type {any} */ (window).__benchProbe.messages);
  return all.filter((m) => m.at >= since);
}

async function activationTime(page) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill('>Developer: Show Running Extensions');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first().click();
  const row = page.locator('.runtime-extensions-editor .extension', { has: page.locator('.name', { hasText: 'Torrent Lens' }) });
  await row.waitFor({ timeout: 15_000 });
  const text = await row.locator('.activation-time').innerText();
  const match = /(\d+)\s*ms/.exec(text);
  return { text, ms: match ? Number(match[1]) : -1 };
}

/** What the extension logged for each open: `read N ms, parsed N ms` (its output channel's log file). */
function hostLog(userData) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'Torrent Lens.log') {
        for (const match of readFileSync(path, 'utf8').matchAll(/read ([\d.]+) ms, parsed ([\d.]+) ms/g))
          found.push({ readMs: Number(match[1]), parseMs: Number(match[2]) });
      }
    }
  };
  walk(join(userData, 'logs'));
  return found;
}

/**
 * Edits the first tracker of the open torrent in place and saves it, `times` times, timing each step (see the
 * header). The file in the workspace is a copy: the bench's own torrent is never written.
 */
async function timedEdits(wb, frame, times) {
  const page = wb.page;
  const file = join(wb.sandbox.workspace, WORKSPACE_NAME);
  await frame.locator('#tab-trackers').click();
  const edits = [];
  for (let i = 0; i < times; i++) {
    const url = `http://127.0.0.1:${7000 + i}/announce`;
    await frame.locator('#trackers [role=treeitem][data-id="0.0"] .label').click();
    await page.keyboard.press('F2');
    const field = frame.locator('#trackers [data-field=row-edit]');
    await field.waitFor();
    await field.fill(url);
    const before = statSync(file).mtimeMs;
    const enterAt = Date.now();
    await page.keyboard.press('Enter');
    await frame.waitForFunction(
      (shown) => document.querySelector('#trackers [role=treeitem][data-id="0.0"] .label')?.textContent === shown,
      url,
      { polling: 4, timeout: 60_000 },
    );
    const shownAt = Date.now();
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + 60_000;
    while (statSync(file).mtimeMs === before) {
      if (Date.now() > deadline) throw new Error('the save did not reach the disk within 60 s');
      await new Promise((r) => setTimeout(r, 4));
    }
    const writtenAt = Date.now();
    await page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ timeout: 60_000 });
    if (!readFileSync(file).includes(url)) throw new Error('the saved file does not hold the new tracker');
    edits.push({ shown: shownAt - enterAt, saved: writtenAt - shownAt, total: writtenAt - enterAt });
  }
  return edits;
}

async function main() {
  const wb = await startWorkbench({
    name: 'bench-editor',
    vsix,
    files: { [WORKSPACE_NAME]: torrent, [CONTROL_IMAGE]: join(repoRoot, 'media', 'icon.png') },
    // code-server saves a second after each change by default; the edit timing saves with Ctrl+S.
    settings: { 'files.autoSave': 'off' },
  });
  try {
    await wb.page.context().addInitScript(probe);
    // How long VS Code's webview loader takes to fetch the blank page it writes each webview into: for our
    // editor, and for VS Code's own image preview (a webview too) as a control.
    /** @type {Record<string, number[]>} */
    const loaderFetches = { torrent: [], imagePreview: [] };
    let opening = 'torrent';
    wb.page.on('requestfinished', (request) => {
      if (request.url().includes('/webview/browser/pre/fake.html')) loaderFetches[opening].push(Math.round(request.timing().responseEnd));
    });
    const coldOpen = await timedOpen(wb.page);
    const coldMessages = await messagesSince(coldOpen.frame, coldOpen.pressedAt);
    const domRows = await coldOpen.frame.evaluate(() => document.querySelectorAll('[role=treeitem]').length);
    const domNodes = await coldOpen.frame.evaluate(() => document.getElementsByTagName('*').length);

    // Scroll: open the first folder and its subfolders from the keyboard, then jump to the end and page up.
    const scrollStart = Date.now();
    const tree = coldOpen.frame.locator('#files');
    await tree.locator('[role=treeitem]').first().click();
    await wb.page.keyboard.press('ArrowRight');
    await wb.page.waitForTimeout(150);
    for (let i = 0; i < 10; i++) {
      await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('ArrowRight');
    }
    await wb.page.waitForTimeout(150);
    await wb.page.keyboard.press('End');
    await wb.page.waitForTimeout(250);
    for (let i = 0; i < 6; i++) {
      await wb.page.keyboard.press('PageUp');
      await wb.page.waitForTimeout(120);
    }
    await wb.page.waitForTimeout(300);
    const scrollMessages = await messagesSince(coldOpen.frame, scrollStart);
    const domRowsAfterScroll = await coldOpen.frame.evaluate(() => document.querySelectorAll('[role=treeitem]').length);
    const visibleRowsAfterScroll = await coldOpen.frame.evaluate(
      () => document.querySelectorAll('#files [role=treeitem]:not([aria-busy])').length,
    );

    const activation = await activationTime(wb.page);

    const reopens = [];
    let last = coldOpen;
    for (let i = 0; i < opens; i++) {
      await closeEditors(wb.page);
      last = await timedOpen(wb.page);
      reopens.push(last.phases);
    }
    const edits = await timedEdits(wb, last.frame, 3);
    opening = 'imagePreview';
    for (let i = 0; i < opens + 1; i++) {
      await closeEditors(wb.page);
      await quickOpen(wb.page, CONTROL_IMAGE);
      await wb.page.locator('iframe.webview.ready').first().waitFor({ timeout: 15_000 });
      await wb.page.waitForTimeout(1500);
    }
    await wb.screenshot('bench-editor-large');
    const result = {
      firstOpen: coldOpen.phases,
      reopens,
      hostLog: hostLog(wb.sandbox.userData),
      firstMessages: coldMessages.map((m) => m.size),
      scrollMessages: scrollMessages.map((m) => m.size),
      domRows,
      domNodes,
      domRowsAfterScroll,
      visibleRowsAfterScroll,
      activation,
      loaderFetches,
      edits,
      dialogs: wb.dialogs,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await wb.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
