// Torrent: Replace Tracker URL in Torrents… in a real VS Code at 1440×900 and 1024×768: a passkey replaced in the
// workspace's torrents through a pattern; the preview lists every change with the passkey hidden; applied, each
// matching torrent is written with every other byte kept; the summary names what was skipped and why (no match, not
// a torrent, unsaved edits in an editor, a read-only file). Pictures go to test-results/replace-<size>-<step>.png.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closeAllEditors, openTorrent } from '../lib/editor.mjs';
import { corpus, runCommandAndPick, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];
const OLD_KEY = '0123456789abcdef0123456789abcdef';
const NEW_KEY = 'fedcba9876543210fedcba9876543210';
const PRIVATE = `http://tracker.example/${OLD_KEY}/announce`;
const OTHER = 'udp://other.example:6969/announce';
const LABEL = 'Torrent: Replace Tracker URL in Torrents…';

/** @type {import('../lib/harness.mjs').Workbench} */
let wb;
let scratch = '';
/** @type {Record<string, Buffer>} */
const made = {};
/** @type {(bytes: Uint8Array) => any} */
let parse;

before(async () => {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');
  parse = (bytes) => {
    const parsed = parseMetainfo(new Uint8Array(bytes));
    assert.ok(parsed.ok);
    return parsed.metainfo;
  };
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-replace-'));
  const info = (name) => ({ length: 70_000, name, 'piece length': 16_384, pieces: Buffer.alloc(100, 7), private: 1 });
  /** @type {Record<string, string>} */
  const files = {};
  for (const size of SIZES) {
    const at = `${size.width}x${size.height}`;
    const torrents = {
      [`${at}/one.torrent`]: { announce: PRIVATE, 'announce-list': [[PRIVATE], [OTHER]], comment: 'one', info: info('one') },
      [`${at}/deeper/two.torrent`]: { announce: PRIVATE, info: info('two') },
      [`${at}/public.torrent`]: { announce: OTHER, info: { ...info('public'), private: 0 } },
      [`${at}/open-dirty-${at}.torrent`]: { announce: PRIVATE, 'announce-list': [[PRIVATE, OTHER]], info: info('dirty') },
      [`${at}/read-only.torrent`]: { announce: PRIVATE, info: info('read-only') },
    };
    for (const [name, value] of Object.entries(torrents)) {
      const path = join(scratch, name.replaceAll('/', '-'));
      made[name] = Buffer.from(encode(value));
      writeFileSync(path, made[name]);
      files[name] = path;
    }
    files[`${at}/not-a-torrent.torrent`] = corpus('bad/html-page.torrent');
  }
  wb = await startWorkbench({ name: 'ui-replace-trackers', files, settings: { 'files.autoSave': 'off' } });
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const inWorkspace = (name) => join(wb.sandbox.workspace, name);
const input = () => wb.page.locator('.quick-input-widget input.input');

/** Types into the input box that asks `prompt` (one box follows another in the same widget) and presses Enter. */
async function answer(prompt, text) {
  await wb.page.locator('.quick-input-widget', { hasText: prompt }).waitFor();
  await input().waitFor();
  await input().fill(text);
  await wb.page.keyboard.press('Enter');
}

for (const size of SIZES) {
  const at = `${size.width}x${size.height}`;
  test(`at ${size.width}×${size.height}: a passkey replaced in the workspace's torrents, with a preview and a summary`, async () => {
    await wb.page.setViewportSize(size);
    await closeAllEditors(wb).catch(() => {});
    // One torrent open with an unsaved edit: left alone, and said so.
    const frame = await openTorrent(wb, `${at}/open-dirty-${at}.torrent`);
    await frame.locator('#tab-trackers').click();
    await frame.locator('#trackers [role=treeitem][data-id="0.1"] .label').click();
    await wb.page.keyboard.press('Delete');
    await frame.locator('#trackers [role=treeitem][data-id="0.1"]').waitFor({ state: 'detached' });
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor();
    chmodSync(inWorkspace(`${at}/read-only.torrent`), 0o444);

    try {
      await runCommandAndPick(wb.page, LABEL, 'Torrents in the Workspace');
      await answer('A pattern of workspace files', `${at}/**/*.torrent`);
      await answer('The text to find', OLD_KEY);
      await answer('What to put in its place', NEW_KEY);

      // The preview: one row per file that changes, each change old → new with the passkey hidden; a change of the
      // passkey alone (both would look the same redacted) is said in words.
      const rows = wb.page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      await wb.page.waitForFunction(() => document.querySelector('.quick-input-title')?.textContent?.includes('change'));
      const title = await wb.page.locator('.quick-input-title').innerText();
      assert.match(title, /3 files change, 3 left as they are/, title);
      const shown = await rows.allInnerTexts();
      assert.equal(shown.length, 3, JSON.stringify(shown));
      assert.ok(
        shown.every((row) => row.includes('http://tracker.example/[redacted]/announce: only its hidden part changes')),
        JSON.stringify(shown),
      );
      assert.ok(!shown.join('').includes(OLD_KEY) && !shown.join('').includes(NEW_KEY), 'no passkey on screen');
      assert.ok(shown.some((row) => row.includes(`${at}/deeper/two.torrent`)));
      await wb.screenshot(`replace-${at}-preview`);
      await wb.page.keyboard.press('Enter');

      const summary = wb.page.locator('.notification-toast', { hasText: 'tracker URLs replaced' }).first();
      await summary.waitFor();
      const text = await summary.innerText();
      await wb.screenshot(`replace-${at}-summary`);
      assert.match(text, /replaced in 2 files; 4 skipped/, text);
      assert.ok(text.includes(`open-dirty-${at}.torrent (it has unsaved edits in an editor`), text);
      assert.match(text, /not-a-torrent\.torrent \(not a torrent/);
      assert.match(text, /and 1 more/);

      for (const name of [`${at}/one.torrent`, `${at}/deeper/two.torrent`]) {
        const bytes = readFileSync(inWorkspace(name));
        assert.deepEqual(
          bytes,
          Buffer.from(made[name].toString('latin1').replaceAll(OLD_KEY, NEW_KEY), 'latin1'),
          `${name}: only the passkey changed`,
        );
        assert.equal(parse(bytes).infoHash.v1, parse(made[name]).infoHash.v1);
      }
      for (const name of [`${at}/public.torrent`, `${at}/open-dirty-${at}.torrent`, `${at}/read-only.torrent`]) {
        assert.deepEqual(readFileSync(inWorkspace(name)), made[name], `${name} is as it was`);
      }
      // The dirty editor keeps its edit.
      await wb.page.locator('.tabs-container .tab.dirty').first().waitFor();
      await summary
        .locator('.codicon-notifications-clear')
        .click()
        .catch(() => {});
      await wb.runCommand('File: Revert File');
    } finally {
      chmodSync(inWorkspace(`${at}/read-only.torrent`), 0o644);
    }
  });
}
