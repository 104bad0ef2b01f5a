// The tracker results panel as people use it, in a real VS Code at two window sizes (1440×900 and
// 1024×768), on a torrent with many misbehaving trackers (our hostile tracker on 127.0.0.1): it opens
// beside the editor at about half the window and every count column is in view; its summary says how many
// trackers worked, answered with an error, timed out or were unreachable; Scrape, run while the results
// panel is the active group, opens no third column and keeps the announce results; headers sort and
// column edges move; Copy as JSON says what it copied; an HTML answer opens as raw text; trackers that
// wait for a slot say for how long. Then secrets: a private torrent's passkeys appear nowhere in the
// panel, its JSON or the log until the user shows secrets, and then without asking the trackers again.
// And text from a torrent in notifications and the tracker picker is shown as it is, never as a link
// that runs a command or as an icon. Pictures of each step go to test-results/.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openTorrent, webviewShot } from '../lib/editor.mjs';
import { commandLabel, openCommandPick, runCommandAndPick, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';
import { finishedRun } from '../lib/trackers.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const MISBEHAVING = 'misbehaving.torrent';
const WAITING = 'many-slow-trackers.torrent';
const PRIVATE = 'private.torrent';
const NO_TRACKERS = '[Fix](command:workbench.action.terminal.new) $(alert).torrent';
const BROKEN = 'broken.torrent';
const ODD_TRACKERS = 'odd-trackers.torrent';
const INJECTION = '[Fix](command:workbench.action.terminal.new) $(alert)';
const WORD_JOINER = '\u2060';
/** The timeout the workbench gives each tracker: silent ones fail fast. */
const TIMEOUT_MS = 3000;

/** @type {import('../../support/hostile-tracker.ts').HostileTracker} */
let tracker;
/** @type {typeof import('../../support/trackers-fixtures.ts').PASSKEYS} */
let PASSKEYS;
let scratch = '';
/** @type {Record<string, string>} */
const files = {};

before(async () => {
  const { startHostileTracker } = await importSource('test/support/hostile-tracker.ts');
  const fixtures = await importSource('test/support/trackers-fixtures.ts');
  const { encode } = await importSource('src/core/bencode/decode.ts');
  PASSKEYS = fixtures.PASSKEYS;
  tracker = await startHostileTracker();
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-panel-'));
  const write = (name, bytes) => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    files[name] = path;
  };
  write(MISBEHAVING, fixtures.torrentWithTrackers(await fixtures.misbehavingTrackers(tracker)));
  // More trackers than a run contacts at once (64): the first ones stay silent until they time out, so
  // the last ones wait for a slot.
  const slow = Array.from({ length: 66 }, (_, i) => `${tracker.httpUrl('slow')}?n=${i}`);
  write(WAITING, fixtures.torrentWithTrackers([[...slow, `${tracker.httpUrl('ok')}?n=late`]], 'many-slow-trackers.bin'));
  write(PRIVATE, (await fixtures.privateTorrent(tracker)).bytes);
  // Torrent text that VS Code would read as a link to a command, or as an icon.
  write(NO_TRACKERS, encode({ info: fixtures.payloadInfo(INJECTION).info }));
  write(BROKEN, encode({ info: { 'file tree': { [INJECTION]: 5 }, 'meta version': 2, name: 'broken', 'piece length': 16384 } }));
  write(
    ODD_TRACKERS,
    fixtures.torrentWithTrackers([
      [`http://127.0.0.1:9/$(alert)/announce`, `http://127.0.0.1:9/[Fix](command:workbench.action.terminal.new)`],
    ]),
  );
});

after(async () => {
  await tracker?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const settings = {
  'torrentLens.tracker.timeout': TIMEOUT_MS,
  'torrentLens.tracker.udpRetryTimeout': 300,
  // The confirmation before the first announce has a test of its own (trackers.test.mjs).
  'torrentLens.announce.confirm': false,
};

/** Runs Announce or Scrape on the torrent in view and picks "All trackers". */
async function runOnAllTrackers(wb, command) {
  await runCommandAndPick(wb.page, commandLabel(command), 'All trackers');
}

/** What the panel shows of the row of the tracker whose URL has `part`, and whether the table fits. */
function fit(frame, part) {
  return frame.evaluate((part) => {
    const scroller = /** @type {HTMLElement} */ (document.getElementById('scroller'));
    const table = /** @type {HTMLElement} */ (document.getElementById('results'));
    const row = /** @type {HTMLElement | undefined} */ (
      Array.from(document.querySelectorAll('tr.tracker-row')).find((r) => r.querySelector('[data-field=url]')?.textContent?.includes(part))
    );
    if (!row) throw new Error(`no row for ${part}`);
    const inView = (e) => {
      if (!e || e.offsetParent === null) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5;
    };
    const visible = (list) => Array.from(list).find((e) => e.offsetParent !== null);
    const message =
      visible(row.querySelectorAll('[data-field=message]')) ??
      visible(row.parentElement?.querySelectorAll('.fold [data-part=message]') ?? []);
    return {
      width: window.innerWidth,
      layout: table.dataset.layout,
      folded: table.dataset.fold,
      overflow: scroller.scrollWidth - scroller.clientWidth,
      counts: ['seeders', 'leechers', 'downloaded', 'peers'].map((field) => ({
        field,
        text: row.querySelector(`[data-field=${field}]`)?.textContent,
        inView: inView(row.querySelector(`[data-field=${field}]`)),
      })),
      message: message?.textContent,
      messageClipped: message ? message.closest('td').scrollWidth > message.closest('td').clientWidth + 1 : undefined,
    };
  }, part);
}

/** The browser clipboard's text. */
function clipboard(wb) {
  return wb.page.evaluate(() => navigator.clipboard.readText());
}

/** Opens the Explorer's context menu on a workspace file and runs one of its entries. */
async function explorerCommand(wb, fileName, label) {
  const row = wb.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${fileName.replace(/"/g, '\\"')}"]`);
  await row.click({ button: 'right' });
  const item = wb.page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
  await item.hover();
  await item.click();
  await wb.page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden' });
}

/** Turns a boolean setting on or off in the Settings editor, as a user does, and closes it again. */
async function setBooleanSetting(wb, id, checked) {
  await wb.runCommand('Preferences: Open Settings (UI)');
  const editor = wb.page.locator('.settings-editor');
  await editor.waitFor();
  await wb.page.keyboard.type(id);
  await editor.locator('.settings-count-widget', { hasText: '1 Setting Found' }).waitFor();
  const box = editor.locator('.setting-value-checkbox').first();
  await box.waitFor();
  if ((await box.getAttribute('aria-checked')) !== String(checked)) await box.click();
  await wb.page.waitForFunction(
    (checked) => document.querySelector('.settings-editor .setting-value-checkbox')?.getAttribute('aria-checked') === String(checked),
    checked,
  );
  await wb.runCommand('View: Close Editor');
}

/** The files of the "Torrent Lens" output channel VS Code writes in the sandbox, joined. */
function logText(wb) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.log') && name.includes('Torrent Lens')) found.push(readFileSync(path, 'utf8'));
    }
  };
  for (const root of [wb.sandbox.userData, wb.sandbox.home]) if (existsSync(root)) walk(root);
  return found.join('\n');
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]) {
  const size = `${viewport.width}x${viewport.height}`;
  describe(`at ${size}`, () => {
    /** @type {Workbench} */
    let wb;
    before(async () => {
      wb = await startWorkbench({ name: `ui-trackers-panel-${size}`, files, settings, viewport });
    });
    after(() => wb?.close());

    test('Announce: the panel opens beside the editor at about half the window, every count in view, the message wrapping', async () => {
      await openTorrent(wb, MISBEHAVING);
      await runOnAllTrackers(wb, 'torrentLens.announce');
      const panel = await finishedRun(wb, 'announce', 20);
      assert.equal(await wb.page.locator('.editor-group-container').count(), 2, 'the editor and the results, side by side');
      const shown = await fit(panel, '/failure/');
      assert.ok(shown.width < viewport.width * 0.6, `about half the window: ${shown.width} of ${viewport.width} px`);
      assert.ok(shown.overflow <= 0, `nothing off to the side: ${JSON.stringify(shown)}`);
      assert.deepEqual(
        shown.counts.map((c) => c.inView),
        [true, true, true, true],
        `seeds, leeches, downloads and peers in view: ${JSON.stringify(shown)}`,
      );
      assert.equal(shown.message, 'torrent not registered with this tracker');
      assert.equal(shown.messageClipped, false);
      const big = await fit(panel, '/big-counts/');
      assert.deepEqual(
        big.counts.map((c) => c.text),
        ['1,234,567', '89,012', '3,456,789', '2'],
      );
      assert.match(
        (await panel.locator('#summary').textContent()) ?? '',
        /^20 trackers in [\d,]+ ms: 8 worked, 8 answered with an error, 2 timed out, 1 unreachable, 1 not contacted\.$/,
      );
      await wb.screenshot(`trackers-panel-${size}-announce`);
      await webviewShot(wb, `trackers-panel-${size}-announce-panel`, { frame: panel });
      assert.deepEqual(wb.dialogs, []);
    });

    test('Scrape while the results panel is the active group: no third column, and the announce results are kept', async () => {
      await wb.page.locator('.tabs-container .tab', { hasText: `Announce: ${MISBEHAVING}` }).click();
      await runOnAllTrackers(wb, 'torrentLens.scrape');
      await finishedRun(wb, 'scrape', 20);
      assert.equal(await wb.page.locator('.editor-group-container').count(), 2, 'no third column');
      const resultsGroup = wb.page.locator('.editor-group-container', { hasText: `Scrape: ${MISBEHAVING}` });
      assert.equal(await resultsGroup.locator('.tab', { hasText: `Announce: ${MISBEHAVING}` }).count(), 1, 'both results in one group');
      await wb.screenshot(`trackers-panel-${size}-scrape`);
      await resultsGroup.locator('.tab', { hasText: `Announce: ${MISBEHAVING}` }).click();
      const announce = await finishedRun(wb, 'announce', 20);
      assert.match((await announce.locator('#summary').textContent()) ?? '', /8 worked, 8 answered with an error/);
    });

    test('headers sort by click and keyboard, column edges move, Copy as JSON says what it copied', async () => {
      const panel = await finishedRun(wb, 'announce', 20);
      await panel.locator('th[data-column=seeders] button.sort').click();
      assert.equal(await panel.locator('th[data-column=seeders]').getAttribute('aria-sort'), 'descending');
      assert.equal(await panel.locator('tr.tracker-row [data-field=seeders]').first().textContent(), '1,234,567');
      await panel.locator('th[data-column=leechers] button.sort').focus();
      await panel.locator('th[data-column=leechers] button.sort').press('Enter');
      assert.equal(await panel.locator('th[data-column=leechers]').getAttribute('aria-sort'), 'descending');
      assert.equal(await panel.locator('th[data-column=seeders]').getAttribute('aria-sort'), 'none');
      assert.equal(await panel.locator('tr.tracker-row [data-field=leechers]').first().textContent(), '89,012');
      const edge = panel.locator('.resizer[data-resize=status]');
      if (await edge.isVisible()) {
        const before = Number(await edge.getAttribute('aria-valuenow'));
        await edge.focus();
        await edge.press('ArrowRight');
        await edge.press('ArrowRight');
        assert.equal(Number(await edge.getAttribute('aria-valuenow')), before + 20);
      }
      await webviewShot(wb, `trackers-panel-${size}-sorted`, { frame: panel });

      const previous = await clipboard(wb);
      await panel.locator('#copy-json').click();
      const copied = await wb.clipboardChange(previous);
      const report = JSON.parse(copied);
      assert.equal(report.results.length, 20);
      await panel.locator('#toast.visible').waitFor();
      assert.match((await panel.locator('#toast').textContent()) ?? '', /^Copied 20 results as JSON \([\d.]+ KiB\)/);
    });

    test('an HTML answer opens as raw text, as a bencoded one does', async () => {
      const panel = await finishedRun(wb, 'announce', 20);
      const id = await panel.evaluate(
        () =>
          Array.from(document.querySelectorAll('tr.tracker-row'))
            .find((r) => r.textContent?.includes('/html/'))
            ?.getAttribute('data-tracker') ?? '',
      );
      await panel.locator(`tr[data-tracker=${id}] button.expander`).click();
      await panel.locator(`tr[data-details-for=${id}] button[data-action=raw]`).click();
      const raw = panel.locator(`tr[data-details-for=${id}] pre[data-field=raw]`);
      await raw.waitFor();
      assert.equal(await raw.textContent(), '(text/html, 66 bytes)\n<html><body><h1>Tracker is down for maintenance</h1></body></html>');
      await webviewShot(wb, `trackers-panel-${size}-html-answer`, { frame: panel });
    });

    if (viewport.width === 1440) {
      test('trackers waiting for a slot say how long they have waited', async () => {
        await openTorrent(wb, WAITING);
        await runOnAllTrackers(wb, 'torrentLens.announce');
        const panel = await wb.webviewFrame('#results[data-kind=announce] tr[data-status=waiting]', { timeout: 10_000 });
        // First what the waiting rows say, while they wait (until the first trackers time out).
        const waiting = panel.locator('tr[data-status=waiting] .status-label').first();
        await panel.waitForFunction(
          () => /^waiting [1-9]\d* s$/.test(document.querySelector('tr[data-status=waiting] .status-label')?.textContent ?? ''),
          undefined,
          { timeout: 10_000 },
        );
        assert.match((await waiting.textContent()) ?? '', /^waiting \d+ s$/);
        assert.match((await panel.locator('#summary').textContent()) ?? '', /\b[1-9]\d* being asked, [1-9]\d* waiting for a slot\.$/);
        // Status, twice: those still to be asked come first.
        await panel.locator('th[data-column=status] button.sort').click();
        await panel.locator('th[data-column=status] button.sort').click();
        assert.equal(await panel.locator('th[data-column=status]').getAttribute('aria-sort'), 'descending');
        await webviewShot(wb, `trackers-panel-${size}-waiting`, { frame: panel, height: 420 });
        const done = await finishedRun(wb, 'announce', 67, 3 * TIMEOUT_MS + 20_000);
        assert.match((await done.locator('#summary').textContent()) ?? '', /: 1 worked, 66 timed out\.$/);
      });

      test('a private torrent’s passkeys: nowhere in the panel, its JSON or the log; shown with the setting, without asking again', async () => {
        await openTorrent(wb, PRIVATE);
        await runOnAllTrackers(wb, 'torrentLens.announce');
        const panel = await finishedRun(wb, 'announce', 4);
        // Every row's details open: what was tried, the failure reasons that quote the request, the redirect.
        for (const id of await panel.$$eval('tr.tracker-row', (rows) => rows.map((r) => r.getAttribute('data-tracker')))) {
          await panel.locator(`tr[data-tracker=${id}] button.expander`).click();
        }
        const passkeys = Object.values(PASSKEYS);
        const found = (text) => passkeys.filter((key) => text.includes(key));
        const panelText = (await panel.locator('#app').innerText()) ?? '';
        assert.ok(panelText.includes('[redacted]'));
        assert.deepEqual(found(panelText), [], 'the panel');
        const previous = await clipboard(wb);
        await panel.locator('#copy-json').click();
        assert.deepEqual(found(await wb.clipboardChange(previous)), [], 'its JSON');
        await webviewShot(wb, `trackers-panel-${size}-private`, { frame: panel });
        const log = logText(wb);
        assert.ok(log.includes('announce of private.torrent'), 'the log has the run');
        assert.deepEqual(found(log), [], 'the log');

        const requests = tracker.httpRequests.length;
        // The Settings editor opens in the editors' group, so that the results stay in view.
        await wb.page.locator('.editor-group-container').first().locator('.tab').first().click();
        await setBooleanSetting(wb, 'torrentLens.privacy.showSecrets', true);
        await panel.waitForFunction((key) => document.querySelector('#results')?.textContent?.includes(key), PASSKEYS.pathSegment, {
          timeout: 15_000,
        });
        assert.deepEqual(
          found((await panel.locator('#results').textContent()) ?? '').sort(),
          [...passkeys].sort(),
          'every passkey, once asked',
        );
        assert.equal(tracker.httpRequests.length, requests, 'without asking the trackers again');
        await webviewShot(wb, `trackers-panel-${size}-private-shown`, { frame: panel });
        await setBooleanSetting(wb, 'torrentLens.privacy.showSecrets', false);
        await panel.waitForFunction((key) => !document.querySelector('#results')?.textContent?.includes(key), PASSKEYS.pathSegment, {
          timeout: 15_000,
        });
      });
    }

    if (viewport.width === 1024) {
      test('torrent text in notifications and the tracker picker: shown as it is, no link that runs a command, no icon', async () => {
        const literal = (text) => (text ?? '').replaceAll(WORD_JOINER, '');
        const toast = wb.page.locator('.notifications-toasts .notification-toast').last();

        await explorerCommand(wb, NO_TRACKERS, 'Scrape Trackers');
        const message = toast.locator('.notification-list-item-message');
        await message.waitFor({ state: 'visible' });
        // Toasts fade in.
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(literal(await message.textContent()), `${NO_TRACKERS} lists no trackers: it relies on DHT or web seeds.`);
        assert.equal(await message.locator('a').count(), 0, 'no link in the notification');
        await wb.screenshot(`trackers-panel-${size}-notification`);
        await message.click();
        await wb.page.keyboard.press('Escape');

        await openTorrent(wb, BROKEN);
        await wb.runCommand(commandLabel('torrentLens.announce'));
        const error = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'is not a valid torrent' }).last();
        await error.waitFor();
        const errorMessage = error.locator('.notification-list-item-message');
        assert.equal(
          literal(await errorMessage.textContent()),
          `${BROKEN} is not a valid torrent: file tree entry '${INJECTION}' is an integer, not a dictionary (at byte 76)`,
        );
        assert.equal(await errorMessage.locator('a').count(), 0);
        await errorMessage.click();

        await openTorrent(wb, ODD_TRACKERS);
        await openCommandPick(wb.page, commandLabel('torrentLens.announce'), '127.0.0.1:9');
        const picks = wb.page.locator('.quick-input-list .monaco-list-row');
        const labels = await picks.evaluateAll((rows) =>
          rows.map((row) => ({
            text: row.querySelector('.label-name')?.textContent ?? row.textContent,
            icons: Array.from(row.querySelectorAll('.codicon')).map((i) => i.className),
          })),
        );
        const trackerLabels = labels.filter((l) => l.text?.includes('127.0.0.1:9'));
        assert.deepEqual(
          trackerLabels.map((l) => literal(l.text).trim()),
          ['http://127.0.0.1:9/$(alert)/announce', 'http://127.0.0.1:9/[Fix](command:workbench.action.terminal.new)'],
        );
        assert.ok(
          trackerLabels.every((l) => !l.icons.some((name) => name.includes('codicon-alert'))),
          `no icon drawn from the URL: ${JSON.stringify(trackerLabels)}`,
        );
        await wb.screenshot(`trackers-panel-${size}-picker`);
        await wb.page.keyboard.press('Escape');

        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(await wb.page.locator('.xterm').count(), 0, 'no terminal opened');
        assert.deepEqual(wb.dialogs, []);
      });
    }
  });
}
