// Each kind of edit the editor makes, saved, read by libtorrent (Debian's python3-libtorrent): the edits go through
// the editor session as the webview asks for them, over the document model the extension uses (EditableTorrent), and
// the bytes a save writes (writeFileAtomic) are read back. libtorrent reads the expected trackers, web seeds,
// comment, creator, date, name and private flag, and the info hashes it read before — or, for an edit of the info
// dictionary, the new ones the user was shown and confirmed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import bencode from 'bencode';
import { applyEdits } from '../../src/core/edit/apply';
import type { TorrentEdit } from '../../src/core/edit/types';
import { writeFileAtomic } from '../../src/core/edit/atomic-write';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { EditAction, HashView } from '../../src/shared/protocol/editor';
import { EditableTorrent } from '../../src/view-model/editor/editable-torrent';
import { EditorSession } from '../../src/view-model/editor/session';
import { corpusRoot } from '../support/corpus';
import { quietSessionHost } from '../support/editor-fixtures';
import { PYTHON } from '../support/libtorrent';

const INFO_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'support', 'libtorrent-info.py');
const A = 'http://a.example/announce';
const B = 'udp://b.example:6969/announce';
const C = 'https://c.example/announce';
const SEED = 'https://seed.example/files/';

interface LibtorrentView {
  ok: boolean;
  error?: string;
  v1: string | null;
  v2: string | null;
  name: string;
  trackers: string[][];
  webSeeds: string[];
  comment: string;
  creator: string;
  creationDate: number;
  private: boolean;
}

function libtorrent(file: string): LibtorrentView {
  const run = spawnSync(PYTHON, [INFO_SCRIPT, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const view = JSON.parse(run.stdout.trim()) as LibtorrentView;
  assert.ok(view.ok, `libtorrent refuses ${file}: ${view.error}`);
  return view;
}

/** Edits `bytes` as the editor does (confirming a new info hash as the user would), saves them, and returns the file. */
async function editAndSave(bytes: Uint8Array, actions: EditAction[], file: string): Promise<{ hashes: HashView | undefined }> {
  const model = await EditableTorrent.open(bytes, parseMetainfo);
  const session = new EditorSession(
    quietSessionHost({
      edit: (edit, options) => model.edit(edit, options),
    }),
    model.parsed,
    path.basename(file),
  );
  model.onDidChange((parsed) => session.update(parsed, 40, 'edit'));
  await session.handle({ type: 'init', viewportRows: 40 });
  let hashes: HashView | undefined;
  for (const action of actions) {
    let reply = await session.handle({ type: 'edit', version: session.version, action });
    if (reply.status === 'confirm') {
      hashes = reply.after;
      reply = await session.handle({ type: 'edit', version: session.version, action, confirm: reply.after });
    }
    assert.equal(reply.status, 'applied', `${JSON.stringify(action)}: ${reply.message}`);
  }
  const saved = await model.bytesToSave();
  await writeFileAtomic(file, saved);
  assert.ok(model.saved(saved));
  assert.equal(model.isDirty, false);
  return { hashes };
}

let folder = '';
before(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'torrent-lens-editor-interop-'));
});
after(() => rmSync(folder, { recursive: true, force: true }));

for (const base of ['gen/lt-v1-multi-nested.torrent', 'gen/lt-hybrid-multi.torrent']) {
  describe(base, () => {
    // The reference torrent with our trackers, a web seed, texts and a key of no known meaning (its info dictionary
    // and piece layers as libtorrent wrote them).
    let start: Uint8Array = new Uint8Array();
    let before: LibtorrentView;
    const stem = path.basename(base, '.torrent');
    const at = (name: string) => path.join(folder, `${stem}-${name}.torrent`);

    test('the starting torrent', async () => {
      const reference = parseMetainfo(new Uint8Array(readFileSync(path.join(corpusRoot, base))));
      assert.ok(reference.ok);
      const made = applyEdits(reference.metainfo.document, [
        ...reference.metainfo.trackers.flat().map((url): TorrentEdit => ({ kind: 'remove-tracker', url })),
        { kind: 'add-tier', urls: [A, B] },
        { kind: 'add-tier', urls: [C] },
        { kind: 'add-web-seed', url: SEED },
        { kind: 'set-comment', text: 'first comment' },
        { kind: 'set-created-by', text: 'libtorrent' },
        { kind: 'set-creation-date', seconds: 1_700_000_000 },
      ]);
      // A key of no known meaning, last in the root dictionary as sorted keys want it.
      start = Buffer.concat([made.bytes.subarray(0, -1), Buffer.from('9:x-unknown9:somethinge')]);
      await writeFileAtomic(at('start'), start);
      before = libtorrent(at('start'));
      assert.deepEqual(sortedTiers(before.trackers), [[A, B], [C]]);
      assert.equal(before.v1, reference.metainfo.infoHash.v1 ?? null, 'the reference info hash');
      assert.ok(parseMetainfo(start).ok);
    });

    const keepsHash = (view: LibtorrentView) => {
      assert.equal(view.v1, before.v1, 'the same v1 info hash');
      assert.equal(view.v2, before.v2, 'the same v2 info hash');
    };

    test('trackers: set, move within and between tiers, a new tier, add, remove', async () => {
      const file = at('trackers');
      await editAndSave(
        start,
        [
          { kind: 'setTracker', row: '0.1', url: 'udp://new.example:1337/announce' },
          { kind: 'moveTracker', row: '0.1', direction: 'up' },
          { kind: 'moveToNewTier', row: '0.1' },
          { kind: 'moveTier', row: '2', direction: 'up' },
          { kind: 'addTracker', url: 'wss://d.example/announce', tier: 0 },
          { kind: 'removeTracker', row: '2.0' },
        ],
        file,
      );
      const view = libtorrent(file);
      assert.deepEqual(sortedTiers(view.trackers), [['udp://new.example:1337/announce', 'wss://d.example/announce'], [C]]);
      const ours = parseMetainfo(new Uint8Array(readFileSync(file)));
      assert.ok(ours.ok);
      assert.deepEqual(
        ours.metainfo.trackers,
        [['udp://new.example:1337/announce', 'wss://d.example/announce'], [C]],
        'in the order the editor showed',
      );
      keepsHash(view);
    });

    test('web seeds: set, add, remove', async () => {
      const file = at('webseeds');
      await editAndSave(
        start,
        [
          { kind: 'setWebSeed', row: '0', url: 'https://mirror.example/files/' },
          { kind: 'addWebSeed', url: 'http://other.example/', field: 'url-list' },
        ],
        file,
      );
      const view = libtorrent(file);
      assert.deepEqual(view.webSeeds, ['https://mirror.example/files/', 'http://other.example/']);
      keepsHash(view);
      const removed = at('webseeds-removed');
      await editAndSave(start, [{ kind: 'removeWebSeed', row: '0' }], removed);
      assert.deepEqual(libtorrent(removed).webSeeds, []);
    });

    test('comment, creator, creation date, a DHT node, an unknown key removed', async () => {
      const file = at('fields');
      await editAndSave(
        start,
        [
          { kind: 'setField', field: 'comment', value: 'a new comment, ünïcode' },
          { kind: 'setField', field: 'createdBy', value: 'Torrent Lens' },
          { kind: 'setField', field: 'creationDate', value: '2024-01-31 12:00:00 UTC' },
          { kind: 'addNode', address: 'router.example:6881' },
          { kind: 'removeKey', row: String(keyRow(start, 'x-unknown')) },
        ],
        file,
      );
      const view = libtorrent(file);
      assert.equal(view.comment, 'a new comment, ünïcode');
      assert.equal(view.creator, 'Torrent Lens');
      assert.equal(view.creationDate, Date.UTC(2024, 0, 31, 12) / 1000);
      keepsHash(view);
      const saved = bencode.decode(readFileSync(file)) as Record<string, unknown>;
      assert.equal(saved['x-unknown'], undefined, 'the unknown key is gone');
      assert.ok(Array.isArray(saved.nodes), 'the node is there');
    });

    test('name, source and private change the info hash: libtorrent reads the one the user confirmed', async () => {
      const file = at('info');
      const { hashes } = await editAndSave(
        start,
        [
          { kind: 'setField', field: 'name', value: 'renamed' },
          { kind: 'setField', field: 'source', value: 'CROSS-SEED' },
          { kind: 'setPrivate', private: true },
        ],
        file,
      );
      const view = libtorrent(file);
      assert.equal(view.name, 'renamed');
      assert.equal(view.private, true);
      assert.ok(hashes, 'a new hash was confirmed');
      assert.equal(view.v1, hashes.v1 ?? null, 'v1: the hash confirmed last');
      assert.equal(view.v2, hashes.v2 ?? null, 'v2: the hash confirmed last');
      assert.notEqual(view.v1, before.v1);
      assert.deepEqual(sortedTiers(view.trackers), sortedTiers(before.trackers), 'the trackers as they were');
    });
  });
}

/** Tiers with their trackers sorted: libtorrent shuffles each tier as it loads it (BEP 12). */
function sortedTiers(tiers: string[][]): string[][] {
  return tiers.map((tier) => [...tier].sort());
}

/** The row of a top-level key in the Other keys tab: its place among the keys the editor lists there. */
function keyRow(bytes: Uint8Array, key: string): number {
  const parsed = parseMetainfo(bytes);
  assert.ok(parsed.ok);
  const keys = parsed.metainfo.unknownKeys.map((k) => k.key.text);
  const index = keys.indexOf(key);
  assert.ok(index >= 0, `${key} is among ${JSON.stringify(keys)}`);
  return index;
}
