import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decode, encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { ParsedTorrent } from '../../src/view-model/editor/parsed-torrent';
import { EditorSession, type SessionHost, type TrackerTarget } from '../../src/view-model/editor/session';
import type { Snapshot } from '../../src/shared/protocol/editor';
import { formatSpan } from '../../src/shared/format';
import { bigTorrent } from '../support/editor-fixtures';

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);

interface Truth {
  name: string | { latin1: string };
  infoHashV1: string | null;
  infoHashV2: string | null;
  infoHashV2Truncated: string | null;
  fileCount: number;
  trackerTiers: string[][];
  infoOffset: [number, number];
  infoIsCanonical: boolean;
}
const truth = JSON.parse(readFileSync(new URL('truth.json', corpus), 'utf8')) as { torrents: Record<string, Truth> };

async function sessionFor(bytes: Uint8Array, host: Partial<SessionHost> = {}) {
  const clipboard: string[] = [];
  const commands: { command: string; target: TrackerTarget }[] = [];
  const session = new EditorSession(
    {
      writeClipboard: async (text) => void clipboard.push(text),
      trackerCommand: async (command, target) => void commands.push({ command, target }),
      openAsText: async () => {},
      rawEditor: () => 'text',
      openExternal: async () => {},
      showSecretsSetting: () => false,
      ...host,
    },
    await ParsedTorrent.parse(1, bytes, parseMetainfo),
    'test.torrent',
  );
  return { session, clipboard, commands };
}

async function init(session: EditorSession, viewportRows = 40): Promise<Snapshot> {
  return session.handle({ type: 'init', viewportRows });
}

test('the first snapshot of every corpus torrent carries the truth: name, hashes, span, counts, tiers', async () => {
  for (const [path, t] of Object.entries(truth.torrents)) {
    const bytes = new Uint8Array(readFileSync(new URL(path, corpus)));
    const { session } = await sessionFor(bytes);
    const snapshot = await init(session);
    const o = snapshot.overview;
    assert.ok(o, `${path} parses`);
    if (typeof t.name === 'string' && !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(t.name)) {
      assert.equal(o.name.text, t.name, `${path}: name`);
      assert.equal(o.name.utf8, true);
    }
    assert.equal(o.infoHash.v1, t.infoHashV1 ?? undefined, `${path}: v1`);
    assert.equal(o.infoHash.v2, t.infoHashV2 ?? undefined, `${path}: v2`);
    assert.equal(o.infoHash.v2Truncated, t.infoHashV2Truncated ?? undefined, `${path}: v2 truncated`);
    assert.deepEqual(o.infoSpan, t.infoOffset, `${path}: info span`);
    assert.equal(o.infoCanonical, t.infoIsCanonical, `${path}: canonical`);
    assert.equal(o.fileCount, t.fileCount, `${path}: files`);
    assert.equal(snapshot.trees.files.count, t.fileCount);
    assert.equal(snapshot.trees.trackers.count, t.trackerTiers.flat().length, `${path}: trackers`);
    assert.ok(snapshot.rows.rows.length > 0, `${path}: first rows`);
    // Tiers are expanded at first: every tracker row is there, in order, with its scheme.
    const trackers = await session.handle({ type: 'getRows', version: 1, tree: 'trackers', start: 0, count: 500 });
    const urls = trackers.rows.filter((r) => r.icon === 'tracker').map((r) => r.label.text);
    assert.equal(urls.length, t.trackerTiers.flat().length, `${path}: tracker rows`);
  }
});

test('a 100,000-file torrent: the first message is small and the same size as for a small torrent', async () => {
  const big = await sessionFor(bigTorrent());
  const small = await sessionFor(bigTorrent({ files: 1000, pieceCount: 9785 }));
  const bigSnapshot = await init(big.session);
  const smallSnapshot = await init(small.session);
  const bigBytes = JSON.stringify(bigSnapshot).length;
  const smallBytes = JSON.stringify(smallSnapshot).length;
  assert.equal(bigSnapshot.overview!.fileCount, 100_000);
  assert.equal(bigSnapshot.tab, 'files');
  assert.equal(bigSnapshot.trees.files.rows, 101, 'the top folder is open, its 100 folders closed');
  assert.ok(bigSnapshot.rows.rows.length <= 40 + 20, 'only the rows in view plus overscan');
  assert.ok(bigBytes < 40_000, `first message ${bigBytes} bytes`);
  assert.ok(Math.abs(bigBytes - smallBytes) < 2_000, `100,000 files: ${bigBytes} bytes; 1,000 files: ${smallBytes} bytes`);

  // Open a folder of 1,000 files and read rows in its middle.
  const folder = bigSnapshot.rows.rows.find((r) => r.label.text === 'folder-042')!;
  const change = await big.session.handle({ type: 'setExpanded', version: 1, tree: 'files', id: folder.id, expanded: true });
  assert.equal(change.total, 1101);
  const page = await big.session.handle({ type: 'getRows', version: 1, tree: 'files', start: 44 + 500, count: 3 });
  assert.deepEqual(
    page.rows.map((r) => r.label.text),
    ['file-050042.bin', 'file-050142.bin', 'file-050242.bin'],
  );
  assert.equal(page.rows[0].level, 3);
  assert.ok(JSON.stringify(page).length < 3_000);
});

test('tracker actions get the real URL; what is shown and copied stays redacted unless revealed', async () => {
  const passkey = '0123456789abcdef0123456789abcdef';
  const url = `http://tracker.example:8080/${passkey}/announce`;
  const bytes = encode({
    announce: url,
    'announce-list': [[url], ['udp://127.0.0.1:6969/announce']],
    info: { name: 'x', length: 1, 'piece length': 16384, pieces: new Uint8Array(20) },
  });
  const { session, clipboard, commands } = await sessionFor(bytes);
  const snapshot = await init(session);
  assert.equal(snapshot.overview!.secretsHidden, true);
  const rows = (await session.handle({ type: 'getRows', version: 1, tree: 'trackers', start: 0, count: 10 })).rows;
  const tracker = rows.find((r) => r.icon === 'tracker')!;
  assert.ok(!tracker.label.text.includes(passkey), 'shown redacted');
  assert.ok(tracker.badges!.some((b) => b.text === 'secret hidden'));
  await session.handle({ type: 'rowAction', version: 1, tree: 'trackers', id: tracker.id, action: 'announce' });
  await session.handle({ type: 'rowAction', version: 1, tree: 'trackers', id: rows[0].id, action: 'scrape' });
  assert.deepEqual(commands, [
    { command: 'announce', target: { url } },
    { command: 'scrape', target: { tier: 0 } },
  ]);
  await session.handle({ type: 'rowAction', version: 1, tree: 'trackers', id: tracker.id, action: 'copy' });
  await session.handle({ type: 'copy', what: 'magnet' });
  assert.ok(
    clipboard.every((text) => !text.includes(passkey)),
    'copied text is redacted',
  );
  const raw = (await session.handle({ type: 'getRows', version: 1, tree: 'raw', start: 0, count: 10 })).rows;
  assert.ok(
    raw.every((r) => !r.value?.text.includes(passkey)),
    'the raw tree is redacted too',
  );

  const revealed = await session.handle({ type: 'setRevealSecrets', reveal: true, viewportRows: 40 });
  assert.equal(revealed.revealSecrets, true);
  const shown = (await session.handle({ type: 'getRows', version: 1, tree: 'trackers', start: 0, count: 10 })).rows;
  assert.equal(shown.find((r) => r.icon === 'tracker')!.label.text, url);
  await session.handle({ type: 'copy', what: 'magnet' });
  assert.ok(clipboard.at(-1)!.includes(passkey), 'revealed: the magnet link keeps the passkey');
});

test('copy actions put the hashes on the clipboard', async () => {
  const path = 'gen/lab-hybrid.torrent';
  const { session, clipboard } = await sessionFor(new Uint8Array(readFileSync(new URL(path, corpus))));
  await init(session);
  for (const what of ['infoHash', 'infoHashV1', 'infoHashV1Base32', 'infoHashV2', 'infoHashV2Truncated', 'magnet'] as const)
    await session.handle({ type: 'copy', what });
  const t = truth.torrents[path];
  assert.equal(clipboard[0], t.infoHashV1);
  assert.equal(clipboard[1], t.infoHashV1);
  assert.match(clipboard[2], /^[A-Z2-7]{32}$/);
  assert.equal(clipboard[3], t.infoHashV2);
  assert.equal(clipboard[4], t.infoHashV2Truncated);
  assert.match(clipboard[5], new RegExp(`^magnet:\\?xt=urn:btih:${t.infoHashV1}`, 'i'));
});

test('revealing: a file row, a byte offset and the info dictionary land on the right raw rows', async () => {
  const path = 'gen/lt-v1-multi-nested.torrent';
  const bytes = new Uint8Array(readFileSync(new URL(path, corpus)));
  const { session } = await sessionFor(bytes);
  const snapshot = await init(session);
  const file = snapshot.rows.rows.find((r) => r.icon === 'file')!;
  const fromFile = await session.handle({ type: 'reveal', version: 1, target: { kind: 'source', tree: 'files', id: file.id } });
  assert.ok(fromFile, 'a file row has a dictionary to reveal');
  assert.equal(fromFile.tree, 'raw');
  const rawRow = (await session.handle({ type: 'getRows', version: 1, tree: 'raw', start: fromFile.index, count: 1 })).rows[0];
  assert.ok(rawRow.span, 'the raw row has a byte span');
  assert.ok(
    file.title?.endsWith(`.torrent entry: bytes ${formatSpan(rawRow.span[0], rawRow.span[1])}`),
    `the file row's tooltip names the bytes of its dictionary: ${file.title}`,
  );
  const info = await session.handle({ type: 'reveal', version: 1, target: { kind: 'infoDict' } });
  assert.ok(info, 'the info dictionary can be revealed');
  const infoRow = (await session.handle({ type: 'getRows', version: 1, tree: 'raw', start: info.index, count: 1 })).rows[0];
  assert.deepEqual(infoRow.span, truth.torrents[path].infoOffset);
  // A byte inside the piece length integer reveals that value's row; a byte of its key reveals the same entry.
  const doc = decode(bytes);
  const pieceLength = doc.get(doc.get(0, 'info'), 'piece length');
  for (const offset of [doc.start(pieceLength) + 1, doc.start(pieceLength) - 3]) {
    const at = await session.handle({ type: 'reveal', version: 1, target: { kind: 'offset', offset } });
    assert.ok(at, `byte ${offset} can be revealed`);
    const atRow = (await session.handle({ type: 'getRows', version: 1, tree: 'raw', start: at.index, count: 1 })).rows[0];
    assert.equal(atRow.label.text, 'piece length');
    assert.deepEqual(atRow.span, [doc.start(pieceLength), doc.end(pieceLength)]);
  }
});

test('a malformed file: the failure names the problem and its byte, and the raw tree shows what decoded', async () => {
  const bytes = new Uint8Array(readFileSync(new URL('bad/int-leading-zero.torrent', corpus)));
  const { session } = await sessionFor(bytes);
  const snapshot = await init(session);
  assert.equal(snapshot.overview, undefined);
  assert.ok(snapshot.failure);
  assert.match(snapshot.failure.message, /leading zero/);
  assert.equal(snapshot.failure.offset, 60);
  assert.equal(snapshot.failure.context!.hex[60 - snapshot.failure.context!.start], bytes[60].toString(16));
  assert.equal(snapshot.tab, 'raw');
  assert.ok(snapshot.trees.raw.rows >= 2);
  assert.equal(snapshot.rows.rows[0].badges?.[0].text, 'not closed');
});

test('a new version of the file keeps the expanded rows and the tab', async () => {
  const first = encode({
    info: {
      name: 'd',
      'piece length': 16384,
      pieces: new Uint8Array(20),
      files: [
        { length: 1, path: ['a', 'x'] },
        { length: 2, path: ['b', 'y'] },
      ],
    },
  });
  const second = encode({
    info: {
      name: 'd',
      'piece length': 16384,
      pieces: new Uint8Array(20),
      files: [
        { length: 1, path: ['a', 'x'] },
        { length: 3, path: ['b', 'y'] },
        { length: 4, path: ['b', 'z'] },
      ],
    },
  });
  const { session } = await sessionFor(first);
  const snapshot = await init(session);
  const b = snapshot.rows.rows.find((r) => r.label.text === 'b')!;
  await session.handle({ type: 'setExpanded', version: 1, tree: 'files', id: b.id, expanded: true });
  session.rememberState({ tab: 'files' });
  const next = session.update(await ParsedTorrent.parse(2, second, parseMetainfo), 40);
  assert.equal(next.version, 2);
  assert.equal(next.reason, 'changed');
  assert.deepEqual(next.trees.files.expanded, ['0', b.id]);
  assert.deepEqual(
    next.rows.rows.map((r) => r.label.text),
    ['d', 'a', 'b', 'y', 'z'],
  );
});

test('single-file torrents show the file itself; multi-file torrents a folder named after the torrent', async () => {
  for (const [path, single] of [
    ['gen/lt-v1-single.torrent', true],
    ['gen/lt-v2-only-single.torrent', true],
    ['gen/lt-hybrid-single.torrent', true],
    ['gen/lt-v1-multi-nested.torrent', false],
    ['gen/lt-v2-only-multi.torrent', false],
  ] as const) {
    const { session } = await sessionFor(new Uint8Array(readFileSync(new URL(path, corpus))));
    const snapshot = await init(session);
    const first = snapshot.rows.rows[0];
    assert.equal(first.level, 1);
    assert.equal(first.icon, single ? 'file' : 'folder', path);
    assert.equal(first.label.text, snapshot.overview!.name.text, path);
    assert.equal(first.expanded, !single, path);
    assert.equal(snapshot.trees.files.rows, single ? 1 : 1 + snapshot.rows.rows.filter((r) => r.level === 2).length, path);
  }
});

test("a private torrent's short passkeys are hidden in every tree, the comment that quotes them, and copies", async () => {
  // Short enough to pass for a word by the rule for any torrent: only the private torrent's rule finds them.
  const pathKey = 'ab12cd34';
  const queryKey = 'k9x8y7z6';
  const url = `http://tracker.example/${pathKey}/announce?uk=${queryKey}`;
  const bytes = encode({
    announce: url,
    comment: `Tracker: ${url} (keep it to yourself)`,
    'url-list': [`https://seed.example/files/?token=${queryKey}`],
    info: { name: 'x', length: 1, 'piece length': 16384, pieces: new Uint8Array(20), private: 1 },
  });
  const { session, clipboard } = await sessionFor(bytes);
  const snapshot = await init(session);
  const leaks = (text: string | undefined) => text !== undefined && (text.includes(pathKey) || text.includes(queryKey));
  assert.equal(snapshot.overview!.secretsHidden, true);
  assert.ok(!leaks(snapshot.overview!.comment?.text), `comment shown redacted: ${snapshot.overview!.comment?.text}`);
  for (const tree of ['trackers', 'webseeds', 'raw'] as const) {
    await session.handle({ type: 'expandAll', version: 1, tree, expanded: true }).catch(() => undefined);
    const rows = (await session.handle({ type: 'getRows', version: 1, tree, start: 0, count: 200 })).rows;
    for (const row of rows)
      assert.ok(!leaks(row.label.text) && !leaks(row.value?.text), `${tree}: ${row.label.text} ${row.value?.text ?? ''}`);
  }
  await session.handle({ type: 'copy', what: 'magnet' });
  assert.ok(!leaks(clipboard.at(-1)), 'the magnet link hides them');
  await session.handle({ type: 'copy', what: 'magnetWithSecrets' });
  assert.ok(clipboard.at(-1)!.includes(encodeURIComponent(pathKey)), 'the explicit copy with secrets has them');
});
