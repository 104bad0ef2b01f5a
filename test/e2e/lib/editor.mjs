// Helpers for UI tests of the Torrent Lens editor webview in the workbench: find the editor of a file,
// read its tree rows, expand folders, and watch for script that should never run.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { artifactsDir } from './harness.mjs';

/** @typedef {import('playwright-core').Frame} Frame */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./harness.mjs').Workbench} Workbench */

/**
 * One rendered tree row, as the webview shows it.
 * @typedef {object} TreeRow
 * @property {string} id
 * @property {number} index
 * @property {number} level
 * @property {boolean | undefined} expanded  undefined when the row cannot expand
 * @property {number} setSize  how many rows share its parent (aria-setsize)
 * @property {string} label
 * @property {string} value
 * @property {string} detail
 * @property {string} detailTitle
 * @property {string} title  the row's tooltip (a file's place in the data and in the .torrent)
 * @property {boolean} focused
 * @property {string[]} actions
 */

/**
 * The webview frame of the Torrent Lens editor showing `fileName` (its header names the file), once it
 * has applied the host's first snapshot. Editors of other files may be open (or hidden) at the same time.
 * @param {Page} page
 * @param {string} fileName  the file's base name, as the header shows it
 * @returns {Promise<Frame>}
 */
export async function editorFrame(page, fileName, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        const shown = await frame.evaluate(() => ({
          name: document.querySelector('[data-field=file-name]')?.textContent ?? null,
          state: document.body?.dataset.state ?? null,
        }));
        if (shown.name === fileName && shown.state) return frame;
      } catch {
        // a frame that navigated or went away while we looked
      }
    }
    if (Date.now() > deadline) throw new Error(`no Torrent Lens editor shows ${fileName} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Opens a workspace file through Quick Open and returns its editor's webview frame.
 * @param {Workbench} wb
 * @param {string} fileName  workspace-relative path
 */
export async function openTorrent(wb, fileName) {
  await wb.quickOpen(fileName);
  return editorFrame(wb.page, basename(fileName));
}

/** Closes every editor (so the next test starts from an empty editor area and its screenshots show one editor). */
export async function closeAllEditors(wb) {
  await wb.runCommand('View: Close All Editors');
  await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * The rows of a tree (files, trackers, raw, …) that are rendered and loaded, in row order.
 * @param {Frame} frame
 * @param {string} tree  the panel id: files, trackers, webseeds, nodes, keys, raw, problems
 * @returns {Promise<TreeRow[]>}
 */
export async function treeRows(frame, tree) {
  const rows = await frame.$$eval(`#${tree} [role=treeitem][data-id]`, (elements) =>
    elements.map((e) => {
      const text = (selector) => e.querySelector(selector)?.textContent ?? '';
      const expanded = e.getAttribute('aria-expanded');
      return {
        id: e.getAttribute('data-id') ?? '',
        index: Number(e.getAttribute('data-index')),
        level: Number(e.getAttribute('aria-level')),
        expanded: expanded === null ? undefined : expanded === 'true',
        setSize: Number(e.getAttribute('aria-setsize')),
        label: text('.label'),
        value: text('.value'),
        detail: text('.detail'),
        detailTitle: e.querySelector('.detail')?.getAttribute('title') ?? '',
        title: e.querySelector('.vt-content')?.getAttribute('title') ?? '',
        focused: e.classList.contains('focused'),
        actions: Array.from(e.querySelectorAll('[data-action]')).map((b) => b.getAttribute('data-action') ?? ''),
      };
    }),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/**
 * Waits until the rendered rows of a tree satisfy `check` (rows load asynchronously), and returns them.
 * @param {Frame} frame
 * @param {string} tree
 * @param {(rows: TreeRow[]) => boolean} check
 * @param {string} what  for the error message
 */
export async function waitForRows(frame, tree, check, what, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let rows = await treeRows(frame, tree);
  while (!check(rows)) {
    if (Date.now() > deadline) {
      throw new Error(
        `#${tree}: ${what} did not happen within ${timeout} ms; rows: ${JSON.stringify(rows.map((r) => `${r.level}:${r.label}`).slice(0, 40))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
    rows = await treeRows(frame, tree);
  }
  return rows;
}

/**
 * Expands a row by clicking its twistie, the way a user does, and waits for all its children (as many as the
 * first child's aria-setsize says; rows arrive from the host in pages, so the first one can come alone).
 * @param {Frame} frame
 * @param {string} tree
 * @param {string} rowId
 */
export async function expandRow(frame, tree, rowId) {
  const row = frame.locator(`#${tree} [role=treeitem][data-id="${rowId}"]`);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.vt-twistie').click();
  return waitForRows(
    frame,
    tree,
    (rows) => {
      const at = rows.findIndex((r) => r.id === rowId);
      if (at < 0 || rows[at].expanded !== true || !rows[at + 1]?.id.startsWith(`${rowId}.`)) return false;
      return childRows(rows, rowId).length === rows[at + 1].setSize;
    },
    `expanding row ${rowId}`,
  );
}

/** The rows directly under `parentId`. */
export function childRows(rows, parentId) {
  const depth = parentId.split('.').length + 1;
  return rows.filter((r) => r.id.startsWith(`${parentId}.`) && r.id.split('.').length === depth);
}

/**
 * Saves test-results/<name>.png: a webview (the one of `frame`, else the first visible one), cut to
 * `height` pixels from its top when given, so that pictures of short content have no empty space below.
 * @param {Workbench} wb
 * @param {string} name
 * @param {{ height?: number, frame?: Frame }} [options]
 */
export async function webviewShot(wb, name, { height, frame } = {}) {
  const page = wb.page;
  // Icons are a web font: wait for it in the webview frames (other frames may never settle their fonts).
  const webviews = page.frames().filter((f) => f.url().includes('/webview/'));
  const fonts = Promise.all(webviews.map((f) => f.evaluate(() => document.fonts.ready.then(() => undefined)).catch(() => undefined)));
  await Promise.race([fonts, new Promise((r) => setTimeout(r, 2000))]);
  const element = frame ? await frame.frameElement() : await page.locator('iframe.webview.ready >> visible=true').first().elementHandle();
  const box = await element?.boundingBox();
  if (!box) throw new Error('no webview is visible');
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, height ?? box.height) } });
  return path;
}

/** Number of elements in the frame's document. */
export function elementCount(frame) {
  return frame.evaluate(() => document.querySelectorAll('*').length);
}

// ---------------------------------------------------------------------------------------------------------
// Script that must not run

/**
 * Installs, in every frame the page creates from now on (webviews included), traps that record what
 * injected script would do: dialogs, eval-like calls, elements with event handlers, and CSP violations.
 * `scriptTraps(frame)` reads them back. Chromium keeps these through the document.write with which VS
 * Code fills a webview frame.
 * @param {Page} page
 */
export async function installScriptTraps(page) {
  await page.context().addInitScript(() => {
    const w = /** @type {any} */ (window);
    if (w.__torrentLensTraps) return;
    const traps = { installed: true, calls: /** @type {string[]} */ ([]), violations: /** @type {string[]} */ ([]) };
    w.__torrentLensTraps = traps;
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      w[name] = (...args) => {
        traps.calls.push(`${name}(${args.map(String).join(', ')})`);
        return undefined;
      };
    }
    // A payload reaching the page as markup would set this; nothing in the product does.
    w.__injected = undefined;
    const record = (event) => traps.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`.trim());
    const listen = () => window.addEventListener('securitypolicyviolation', record, true);
    listen();
    // VS Code fills a webview frame with document.open/write, and document.open drops the listeners.
    const prototype = /** @type {any} */ (Document.prototype);
    const open = prototype.open;
    prototype.open = function (...args) {
      const result = open.apply(this, args);
      listen();
      return result;
    };
  });
}

/**
 * What the traps of a frame saw.
 * @param {Frame} frame
 * @returns {Promise<{ installed: boolean, calls: string[], violations: string[], injected: unknown }>}
 */
export function scriptTraps(frame) {
  return frame.evaluate(() => {
    const w = /** @type {any} */ (window);
    const traps = w.__torrentLensTraps ?? { installed: false, calls: [], violations: [] };
    return { installed: traps.installed, calls: [...traps.calls], violations: [...traps.violations], injected: w.__injected };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Independent oracles

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) of hex bytes: how magnet links and clients spell a v1 info hash. */
export function base32OfHex(hex) {
  const bytes = Buffer.from(hex, 'hex');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** An integer with en-US thousands separators, as the editor prints counts and offsets. */
export function grouped(n) {
  return Number(n).toLocaleString('en-US');
}

/** The text a corpus truth string stands for (truth.json spells non-UTF-8 strings as {hex, latin1}). */
export function truthText(value) {
  return typeof value === 'string' ? value : value.latin1;
}

/** Bytes of a file, for comparing with what the webview shows. */
export function fileBytes(path) {
  return new Uint8Array(readFileSync(path));
}
