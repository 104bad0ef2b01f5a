// The Create Torrent form's webview in Chromium, with the real view model behind it listing a real folder
// on the hashing threads: defaults, checks as you type (with the line of a bad tracker), the preview and
// the piece counts it gives, what Create sends, progress, hostile names shown as text, the keyboard.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listContent } from '../../src/core/create/create';
import type { CreateFormState, CreateHostEvent, CreateRequests } from '../../src/shared/protocol/create';
import {
  checkForm,
  createOptionsOf,
  defaultFormState,
  listingKey,
  PIECE_LENGTH_CHOICES,
  previewOf,
} from '../../src/view-model/create/form';
import { tempFolder, testPool, writeTree } from '../support/hashing';
import { closeBrowser, openWebview, type WebviewPage } from '../support/webview-harness';

// Page callbacks run in Chromium; the tests are type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;
declare const document: El;
declare const getComputedStyle: El;

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the Create Torrent form', () => {
  const pool = testPool();
  let dir: string;
  let remove: () => void;
  let folder: string;
  let view: WebviewPage<CreateHostEvent>;
  const created: CreateFormState[] = [];
  let closed = 0;

  before(async () => {
    ({ dir, remove } = tempFolder('torrent-lens-create-form-'));
    folder = path.join(dir, HOSTILE);
    writeTree(folder, [
      { path: 'one.bin', size: 300_000 },
      { path: 'two.txt', size: 20_000 },
      { path: 'notes.nfo', size: 1000 },
      { path: '.hidden', size: 10 },
    ]);
    // The host as the extension has it: the view model's checks, and the preview from a real listing.
    const listings = new Map<string, ReturnType<typeof listContent>>();
    view = await openWebview<CreateRequests, CreateHostEvent>({
      bundle: 'create',
      title: 'Create Torrent',
      readySelector: '#create-form',
      handlers: {
        ready: () => ({
          source: { path: folder, kind: 'folder', name: HOSTILE },
          state: defaultFormState(HOSTILE),
          pieceLengths: [...PIECE_LENGTH_CHOICES],
        }),
        check: async (request) => {
          const key = listingKey(request.state);
          if (!listings.has(key)) listings.set(key, listContent({ ...createOptionsOf(request.state, folder), pool }));
          return {
            problems: checkForm(request.state),
            preview: previewOf(await (listings.get(key) as ReturnType<typeof listContent>), request.state.version),
          };
        },
        create: (request) => {
          created.push(request.state);
        },
        close: () => {
          closed++;
        },
      },
    });
  });
  after(async () => {
    await view?.close();
    await closeBrowser();
    await pool.close();
    remove();
  });

  const text = (selector: string) => view.page.$eval(selector, (e: El) => e.textContent);
  /** Waits until the form shows the answer to its latest check. */
  const settled = () => view.page.waitForFunction(() => document.querySelector('#preview')?.dataset.state === 'ready');

  test('the defaults: hybrid, automatic piece size, the folder name, created by and dated; the preview of the files', async () => {
    await settled();
    assert.equal(await view.page.isChecked('#version-hybrid'), true);
    assert.equal(await view.page.inputValue('#pieceLength'), 'auto');
    assert.equal(await view.page.inputValue('#name'), HOSTILE);
    assert.equal(await view.page.isChecked('#createdBy'), true);
    assert.equal(await view.page.isChecked('#creationDate'), true);
    assert.equal(await view.page.isChecked('#includeHidden'), false);
    assert.equal(await text('#subject .path'), folder, 'the path, as text');
    assert.equal(await text('#preview'), '3 files, 313 KiB (1 left out)');
    // Each piece size says how many pieces it gives: hybrid, so each file starts a piece.
    const options: string[] = await view.page.$$eval('#pieceLength option', (o: El[]) => o.map((e) => e.textContent));
    assert.equal(options[0], 'Automatic: 16.0 KiB — 22 pieces');
    assert.ok(options.includes('16.0 KiB — 22 pieces'));
    assert.ok(options.includes('256 KiB — 4 pieces'));
    assert.ok(options.includes('64.0 MiB — 3 pieces'));
    assert.equal(await view.page.isEnabled('#create'), true);
    assert.deepEqual(view.dialogs, []);
    assert.deepEqual(view.errors, []);
  });

  test('a tracker that is not one is named with its line as you type; Create waits until it is fixed', async () => {
    await view.page.fill('#trackers', 'udp://127.0.0.1:6969/announce\n\nftp://example.org/x');
    await view.page.waitForFunction(() => !document.querySelector('#trackers-problem').hidden);
    assert.equal(
      await text('#trackers-problem'),
      'line 3: unsupported tracker scheme "ftp:" (tracker URLs start with http://, https://, udp://, ws:// or wss://)',
    );
    assert.equal(await view.page.getAttribute('#trackers', 'aria-invalid'), 'true');
    assert.match((await view.page.getAttribute('#trackers', 'aria-describedby')) ?? '', /trackers-problem/);
    assert.equal(await view.page.isEnabled('#create'), false);
    await view.page.fill('#trackers', 'udp://127.0.0.1:6969/announce\n\nwss://127.0.0.1/tracker');
    await view.page.waitForFunction(() => document.querySelector('#trackers-problem').hidden);
    assert.equal(await view.page.getAttribute('#trackers', 'aria-invalid'), 'false');
    assert.equal(await view.page.isEnabled('#create'), true);
    await view.page.fill('#name', 'a/b');
    await view.page.waitForFunction(() => !document.querySelector('#name-problem').hidden);
    assert.match(await text('#name-problem'), /cannot be a torrent's name/);
    await view.page.fill('#name', 'Collection');
    await view.page.waitForFunction(() => document.querySelector('#name-problem').hidden);
  });

  test('v1 and a chosen piece size change the counts; hidden files and exclude patterns change the preview', async () => {
    await view.page.check('#version-v1');
    await view.page.waitForFunction(() =>
      /^Automatic: 16\.0 KiB — 20 pieces$/.test(document.querySelector('#pieceLength option').textContent),
    );
    await view.page.selectOption('#pieceLength', String(64 * 1024));
    await view.page.check('#includeHidden');
    await view.page.fill('#exclude', '*.nfo');
    // .hidden comes in, notes.nfo goes out.
    await view.page.waitForFunction(() => document.querySelector('#preview').textContent === '3 files, 313 KiB (1 left out)');
    assert.equal(await view.page.inputValue('#pieceLength'), String(64 * 1024));
    await view.page.fill('#exclude', '*.nfo\n*.txt');
    await view.page.waitForFunction(() => document.querySelector('#preview').textContent === '2 files, 293 KiB (2 left out)');
    assert.equal(await view.page.inputValue('#pieceLength'), String(64 * 1024), 'the choice stays when the counts change');
  });

  test('Create sends the form as it is, and the host makes the options of it: tiers, seeds, details', async () => {
    await view.page.fill('#webSeeds', 'https://files.example/dir/');
    await view.page.check('#private');
    await view.page.fill('#source', 'LAB');
    await view.page.fill('#comment', 'made in a test');
    await view.page.uncheck('#createdBy');
    await view.page.uncheck('#creationDate');
    await view.page.selectOption('#symlinks', 'follow-inside');
    await view.page.click('#create');
    const deadline = Date.now() + 5000;
    while (created.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const state = created[0];
    assert.ok(state, 'create was asked for');
    const options = createOptionsOf(state, folder);
    assert.deepEqual(options.trackers, [['udp://127.0.0.1:6969/announce'], ['wss://127.0.0.1/tracker']]);
    assert.deepEqual(options.webSeeds, ['https://files.example/dir/']);
    assert.equal(options.version, 'v1');
    assert.equal(options.pieceLength, 64 * 1024);
    assert.equal(options.name, 'Collection');
    assert.deepEqual(
      [options.private, options.source, options.comment, options.createdBy, options.creationDate, options.includeHidden, options.symlinks],
      [true, 'LAB', 'made in a test', false, false, true, 'follow-inside'],
    );
    assert.deepEqual(options.exclude, ['*.nfo', '*.txt']);
  });

  test('progress: hashing with a meter, then a failure told in words', async () => {
    await view.emit({ type: 'progress', progress: { state: 'working', bytesDone: 512, bytesTotal: 1024 } });
    assert.equal(await text('#status'), 'Hashing: 50% of 1.00 KiB');
    assert.equal(await view.page.isVisible('#meter'), true);
    assert.equal(await view.page.isEnabled('#create'), false, 'no second run while one is under way');
    await view.emit({ type: 'progress', progress: { state: 'failed', message: `${HOSTILE} changed while it was read` } });
    assert.equal(await text('#status'), `Not created: ${HOSTILE} changed while it was read`);
    assert.equal(await view.page.isVisible('#meter'), false);
    assert.equal(await view.page.isEnabled('#create'), true);
    assert.equal(await view.page.$$eval('img', (images: El[]) => images.length), 0, 'hostile names stay text');
  });

  test('the keyboard: every control in reach, Ctrl+Enter creates, Escape closes', async () => {
    await view.page.focus('#name');
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await view.page.keyboard.press('Tab');
      reached.add(await view.page.evaluate(() => document.activeElement?.id ?? ''));
    }
    for (const id of [
      'pieceLength',
      'trackers',
      'webSeeds',
      'includeHidden',
      'exclude',
      'symlinks',
      'private',
      'source',
      'comment',
      'createdBy',
      'creationDate',
      'cancel',
      'create',
    ])
      assert.ok(reached.has(id), `Tab reaches #${id}`);
    const before = created.length;
    await view.page.focus('#comment');
    await view.page.keyboard.press('Control+Enter');
    const deadline = Date.now() + 5000;
    while (created.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(created.length, before + 1);
    await view.page.keyboard.press('Escape');
    while (closed === 0 && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
    assert.equal(closed, 1);
  });

  test('narrow: the groups stack in one column; wide: side by side', async () => {
    await view.page.setViewportSize({ width: 600, height: 800 });
    const narrow = await view.page.$eval('.groups', (e: El) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
    assert.equal(narrow, 1);
    await view.page.setViewportSize({ width: 1400, height: 800 });
    const wide = await view.page.$eval('.groups', (e: El) => getComputedStyle(e).gridTemplateColumns.split(' ').length);
    assert.ok(wide >= 3, `${wide} columns`);
    assert.deepEqual(view.errors, []);
  });
});
