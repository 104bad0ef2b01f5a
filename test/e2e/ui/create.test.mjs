// Create Torrent… in a real VS Code: from the Explorer's menu on a folder and from the command palette,
// the form in its webview (checked as you type, the preview of the files and pieces), VS Code's save
// dialog, the progress, and the result opened in the Torrent Lens editor, with the info hash the command
// line gives for the same files. Pictures at 1440×900 and 1024×768 in test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { editorFrame, webviewShot } from '../lib/editor.mjs';
import { commandLabel, explorerMenu, noToasts, repoRoot, runCommandAndPick, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

/** The folder the torrent is made of, in the workspace. */
const ALBUM = 'Album';
const FILES = { '01 Intro.flac': 180_017, '02 Song.flac': 70_000, 'cover.jpg': 9_999, 'notes.nfo': 500 };
const TRACKER = 'udp://127.0.0.1:6969/announce';

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {(bytes: Uint8Array) => any} */
let parseMetainfo;

before(async () => {
  ({ parseMetainfo } = await importSource('src/core/metainfo/parse.ts'));
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-create-'));
  /** @type {Record<string, string>} */
  const files = {};
  let seed = 1;
  for (const [name, size] of Object.entries(FILES)) {
    const source = join(scratch, name);
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(source, bytes);
    files[`${ALBUM}/${name}`] = source;
  }
  wb = await startWorkbench({ name: 'ui-create', files });
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * The form of `path` once its preview is ready. Forms of other files may be open (or hidden) too, so the
 * frame is the one whose form names this path.
 * @returns {Promise<Frame>}
 */
async function formFrame(path) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of wb.page.frames()) {
      if (frame === wb.page.mainFrame()) continue;
      const shown = await frame
        .evaluate(() => ({
          path: document.querySelector('#subject .path')?.textContent,
          state: /** @type {HTMLElement | null} */ (document.querySelector('#preview'))?.dataset.state,
        }))
        .catch(() => undefined);
      if (shown && shown.path === path && shown.state === 'ready') return frame;
    }
    if (Date.now() > deadline) throw new Error(`no Create Torrent form of ${path} after 30 s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Runs `item` of the Explorer's context menu on the row named `name` (in the album when `inAlbum`). */
async function albumMenu(name, item, inAlbum = false) {
  if (inAlbum) {
    const album = wb.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${ALBUM}"]`).first();
    if ((await album.getAttribute('aria-expanded')) !== 'true') await album.click();
  }
  await explorerMenu(wb.page, name, item);
}

/** What the command line makes of the same folder with the same choices: the reference for the info hash. */
function cliCreate(args) {
  const out = join(scratch, `cli-${Date.now()}.torrent`);
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'cli.js'), 'create', join(wb.sandbox.workspace, ALBUM), '--json', '-o', out, ...args],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('Create Torrent… on a folder in the Explorer: the form, its preview, and checks as you type', async () => {
  await albumMenu(ALBUM, 'Create Torrent…');
  const form = await formFrame(join(wb.sandbox.workspace, ALBUM));
  assert.equal(await form.locator('#subject .path').textContent(), join(wb.sandbox.workspace, ALBUM));
  assert.equal(await form.locator('#preview').textContent(), '4 files, 254 KiB');
  assert.equal(await form.locator('#name').inputValue(), ALBUM);
  assert.equal(await form.locator('#version-hybrid').isChecked(), true);
  assert.match((await form.locator('#pieceLength option').first().textContent()) ?? '', /^Automatic: 16\.0 KiB — \d+ pieces$/);
  await form.locator('#trackers').fill(`${TRACKER}\nhttp//broken`);
  await form.locator('#trackers-problem:not([hidden])').waitFor();
  assert.match((await form.locator('#trackers-problem').textContent()) ?? '', /^line 2: not a URL/);
  assert.equal(await form.locator('#create').isDisabled(), true);
  await wb.screenshot('create-form-1440x900');
  await webviewShot(wb, 'create-form-webview-1440x900', { frame: form });
  await wb.page.setViewportSize({ width: 1024, height: 768 });
  await form.locator('#create-form').waitFor();
  await wb.screenshot('create-form-1024x768');
  await webviewShot(wb, 'create-form-webview-1024x768', { frame: form });
  await wb.page.setViewportSize({ width: 1440, height: 900 });
  await form.locator('#trackers').fill(TRACKER);
  await form.locator('#trackers-problem').waitFor({ state: 'hidden' });
  assert.equal(await form.locator('#create').isEnabled(), true);
  assert.deepEqual(wb.dialogs, []);
});

test('Create: VS Code asks where to save, hashes with a progress notification, and opens the torrent in the editor', async () => {
  const form = await formFrame(join(wb.sandbox.workspace, ALBUM));
  await form.locator('#exclude').fill('*.nfo');
  await form.locator('#preview').filter({ hasText: '3 files, 254 KiB (1 left out)' }).waitFor();
  await form.locator('#comment').fill('made in VS Code');
  await form.locator('#create').click();
  // VS Code for the Web asks through its own file dialog: a path in the quick input, the default one offered.
  const input = wb.page.locator('.quick-input-widget input.input');
  await input.waitFor();
  const target = join(wb.sandbox.workspace, `${ALBUM}.torrent`);
  await wb.page.waitForFunction(
    (expected) =>
      /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget input.input'))?.value.endsWith(expected),
    `${ALBUM}.torrent`,
  );
  await wb.screenshot('create-save-dialog');
  await input.press('Enter');
  const editor = await editorFrame(wb.page, `${ALBUM}.torrent`, { timeout: 60_000 });
  assert.ok(existsSync(target), 'saved where the dialog said');
  const parsed = parseMetainfo(new Uint8Array(readFileSync(target)));
  assert.ok(parsed.ok);
  const m = parsed.metainfo;
  assert.equal(m.version, 'hybrid');
  assert.deepEqual(m.trackers, [[TRACKER]]);
  assert.equal(m.comment?.text, 'made in VS Code');
  assert.equal(m.createdBy?.text, 'Torrent Lens');
  const reference = cliCreate(['--exclude', '*.nfo', '--no-date']);
  assert.deepEqual({ v1: m.infoHash.v1, v2: m.infoHash.v2 }, reference.infoHash, 'the same info hash as the command line');
  await noToasts(wb.page);
  await wb.screenshot('create-result-editor');
  assert.ok((await editor.locator('body').textContent())?.includes(ALBUM));
  assert.deepEqual(wb.dialogs, []);
});

test('from the command palette: Create Torrent… asks which file or folder; Cancel closes the form', async () => {
  await runCommandAndPick(wb.page, commandLabel('torrentLens.createTorrent'), wb.sandbox.workspace);
  const form = await formFrame(wb.sandbox.workspace);
  // The workspace folder: the album, and the torrent made before.
  assert.match((await form.locator('#preview').textContent()) ?? '', /^5 files, /);
  await form.locator('#cancel').click();
  const deadline = Date.now() + 15_000;
  while ((await wb.page.locator('.tabs-container .tab', { hasText: 'Create Torrent: workspace' }).count()) > 0) {
    assert.ok(Date.now() < deadline, 'the form closed');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(wb.dialogs, []);
});

test('a file of the folder: a single-file torrent, reproducible without created by and date', async () => {
  await albumMenu('cover.jpg', 'Create Torrent…', true);
  const form = await formFrame(join(wb.sandbox.workspace, ALBUM, 'cover.jpg'));
  assert.equal(await form.locator('#preview').textContent(), '1 file, 9.76 KiB');
  await form.locator('#createdBy').uncheck();
  await form.locator('#creationDate').uncheck();
  await form.locator('#version-v1').check();
  await form.locator('#create').click();
  const input = wb.page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await wb.page.waitForFunction(() =>
    /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget input.input'))?.value.endsWith('cover.jpg.torrent'),
  );
  await input.press('Enter');
  await editorFrame(wb.page, 'cover.jpg.torrent', { timeout: 60_000 });
  const made = readFileSync(join(wb.sandbox.workspace, ALBUM, 'cover.jpg.torrent'));
  const cli = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'dist', 'cli.js'),
      'create',
      join(wb.sandbox.workspace, ALBUM, 'cover.jpg'),
      '--v1',
      '--no-date',
      '--no-created-by',
      '-o',
      '-',
    ],
    { maxBuffer: 1 << 20 },
  );
  assert.equal(cli.status, 0, cli.stderr.toString());
  assert.deepEqual(made, cli.stdout, 'byte for byte what the command line writes');
});
