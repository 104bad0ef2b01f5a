// The files tree as people use it, in the host's view model: the filter (against a plain scan of every
// file's path), the orders, Expand All and Collapse All, what a file row says (size, pieces, share), and
// copying a path or a name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { ParsedTorrent } from '../../src/view-model/editor/parsed-torrent';
import { PathSearch } from '../../src/view-model/editor/path-search';
import { EditorSession, type SessionHost } from '../../src/view-model/editor/session';
import type { FilesViewReply, RowsReply, TreeRow } from '../../src/shared/protocol/editor';
import { formatSpan } from '../../src/shared/format';
import { bigTorrent, filesTorrent } from '../support/editor-fixtures';

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);

function metainfo(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  return result.metainfo;
}

/** The oracle: every file whose path (below the torrent's folder, as the model decodes it) contains the query, any case. */
function scan(m: Metainfo, query: string): number[] {
  const q = query.toLowerCase();
  const found: number[] = [];
  for (const file of m.files) {
    const path = file.path.map((element) => element.text.replace(/\n/g, ' ')).join('/');
    if (path.toLowerCase().includes(q)) found.push(file.index);
  }
  return found;
}

function matched(flags: Uint8Array): number[] {
  const out: number[] = [];
  flags.forEach((flag, i) => flag && out.push(i));
  return out;
}

test('the path search finds what a plain scan of every path finds: names, folders, across a slash, any letter case', () => {
  const m = metainfo(
    filesTorrent([
      { path: 'Docs/Readme.TXT', length: 10 },
      { path: 'docs/guide/intro.md', length: 20 },
      { path: 'src/main.ts', length: 30 },
      { path: 'src/ÉTÉ/Été.txt', length: 5 },
      { path: 'İstanbul/notes.txt', length: 7 },
      { path: ['line', 'two\nlines.txt'], length: 1 },
      { path: 'pad/file', length: 0 },
    ]),
  );
  const search = PathSearch.build(m.files);
  for (const query of [
    'readme',
    'DOCS',
    'docs/guide',
    's/r',
    'e.t',
    '.txt',
    'été',
    'ÉTÉ',
    'istanbul',
    'i̇stanbul',
    'two lines',
    'nothing',
    'a',
  ]) {
    const found = search.find(query);
    assert.deepEqual(matched(found.flags), scan(m, query), `query ${JSON.stringify(query)}`);
    assert.equal(found.count, scan(m, query).length);
  }
  assert.equal(search.find('').count, 0, 'an empty query matches nothing (it is no filter)');
});

test('names that are not UTF-8 are searched as the tree shows them (latin-1), and pad files by their .pad path', () => {
  const m = metainfo(
    filesTorrent([
      { path: [new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'menu.txt'], length: 3 },
      { path: 'plain/file.bin', length: 4 },
      { path: '.pad/12', length: 12, attr: 'p' },
    ]),
  );
  const search = PathSearch.build(m.files);
  for (const query of ['café', 'CAFÉ/menu', 'plain', '.pad', 'pad/12'])
    assert.deepEqual(matched(search.find(query).flags), scan(m, query), query);
});

test('a 100,000-file torrent: the filter finds every match and the first rows come with the answer', async () => {
  const bytes = bigTorrent();
  const m = metainfo(bytes);
  const { session } = await sessionFor(bytes);
  await session.handle({ type: 'init', viewportRows: 40 });
  for (const query of ['file-0001', 'FOLDER-007/file-00000', '.bin', 'zzz']) {
    const reply = await setFilesView(session, query);
    const expected = scan(m, query);
    assert.equal(reply.filesView.matches, expected.length, query);
    if (expected.length === 0) {
      assert.equal(reply.total, 0, `${query}: no rows`);
      continue;
    }
    // Every matching file is a row, under its folder, all open.
    const rows = await allRows(session, reply.total);
    const files = rows.filter((r) => r.icon === 'file').map((r) => r.label.text);
    assert.deepEqual(files.sort(), expected.map((i) => m.files.get(i).path.at(-1)!.text).sort(), query);
    assert.ok(
      rows.filter((r) => r.expandable).every((r) => r.expanded),
      `${query}: folders with matches are open`,
    );
    assert.equal(rows[0].label.text, 'big');
  }
});

test('clearing the filter brings back the folders that were open before it', async () => {
  const { session } = await sessionFor(bigTorrent({ files: 400, folders: 4, pieceCount: 4000 }));
  await session.handle({ type: 'init', viewportRows: 40 });
  await session.handle({ type: 'setExpanded', version: 1, tree: 'files', id: '0.2', expanded: true });
  const before = await session.handle({ type: 'getRows', version: 1, tree: 'files', start: 0, count: 500 });
  const filtered = await setFilesView(session, 'file-00000');
  assert.equal(filtered.filesView.matches, 10);
  const cleared = await setFilesView(session, '');
  assert.equal(cleared.filesView.matches, undefined);
  assert.deepEqual(cleared.expanded, ['0', '0.2']);
  assert.equal(cleared.total, before.total);
});

test('orders: by name (folders first, numbers as numbers), by size (largest first), and back to the torrent order', async () => {
  const bytes = filesTorrent([
    { path: 'b/file-10', length: 5 },
    { path: 'file-2', length: 50 },
    { path: 'a/file-1', length: 7 },
    { path: 'File-1', length: 1 },
    { path: 'c/x', length: 100 },
  ]);
  const { session } = await sessionFor(bytes);
  await session.handle({ type: 'init', viewportRows: 40 });
  await session.handle({ type: 'setExpanded', version: 1, tree: 'files', id: '0.0', expanded: true });
  const labels = (rows: TreeRow[]) => rows.map((r) => `${r.level}:${r.label.text}`);
  const byName = await setFilesView(session, '', 'name');
  assert.deepEqual(labels(byName.rows.rows), ['1:files', '2:a', '2:b', '3:file-10', '2:c', '2:File-1', '2:file-2'], 'b stays open');
  const bySize = await setFilesView(session, '', 'size');
  assert.deepEqual(labels(bySize.rows.rows), ['1:files', '2:c', '2:file-2', '2:a', '2:b', '3:file-10', '2:File-1']);
  const inOrder = await setFilesView(session, '', 'torrent');
  assert.deepEqual(labels(inOrder.rows.rows), ['1:files', '2:b', '3:file-10', '2:file-2', '2:a', '2:File-1', '2:c']);
  const filteredByName = await setFilesView(session, 'file-1', 'name');
  assert.deepEqual(labels(filteredByName.rows.rows), ['1:files', '2:a', '3:file-1', '2:b', '3:file-10', '2:File-1']);
});

test('Expand All opens every folder in one go; Collapse All leaves the torrent folder open', async () => {
  const { session } = await sessionFor(bigTorrent({ files: 1000, folders: 10, pieceCount: 10_000 }));
  await session.handle({ type: 'init', viewportRows: 40 });
  const all = await session.handle({ type: 'expandAll', version: 1, tree: 'files', expanded: true });
  assert.equal(all.total, 1 + 10 + 1000);
  assert.equal(all.expanded.length, 11);
  const none = await session.handle({ type: 'expandAll', version: 1, tree: 'files', expanded: false });
  assert.deepEqual([none.total, none.expanded], [11, ['0']]);
  await assert.rejects(session.handle({ type: 'expandAll', version: 1, tree: 'raw', expanded: true }), /cannot be expanded all at once/);
});

test('Expand All over 100,000 folders of one file each is one pass', async () => {
  const count = 100_000;
  const bytes = filesTorrent(Array.from({ length: count }, (_, i) => ({ path: `d${i}/f`, length: 1 })));
  const { session } = await sessionFor(bytes);
  await session.handle({ type: 'init', viewportRows: 40 });
  const started = performance.now();
  const all = await session.handle({ type: 'expandAll', version: 1, tree: 'files', expanded: true });
  // Not a timing target (the bench has those): a quadratic walk would take minutes, not this test's seconds.
  assert.ok(performance.now() - started < 20_000);
  assert.equal(all.total, 1 + 2 * count);
  const last = await session.handle({ type: 'getRows', version: 1, tree: 'files', start: all.total - 2, count: 2 });
  assert.deepEqual(
    last.rows.map((r) => [r.level, r.label.text]),
    [
      [2, `d${count - 1}`],
      [3, 'f'],
    ],
  );
});

test('a file row: size, the pieces it lies in, its share, and its entry in the .torrent in the tooltip only', async () => {
  // 16 KiB pieces: a spans pieces 0–1 and shares piece 1 with b; b ends piece 2 exactly; c is empty; d is one piece.
  const bytes = filesTorrent([
    { path: 'a.bin', length: 20_000 },
    { path: 'b.bin', length: 29_152 },
    { path: 'c.bin', length: 0 },
    { path: 'd.bin', length: 100 },
  ]);
  const { session, clipboard } = await sessionFor(bytes);
  const snapshot = await session.handle({ type: 'init', viewportRows: 40 });
  const [a, b, c, d] = snapshot.rows.rows.slice(1);
  const m = metainfo(bytes);
  const a0 = { start: m.document.start(m.files.get(0).token), end: m.document.end(m.files.get(0).token) };
  const columns = (row: TreeRow) => Object.fromEntries((row.columns ?? []).map((col) => [col.name, col.text]));
  assert.deepEqual(columns(a), { pieces: 'pieces 0–1', share: '40 %' });
  assert.deepEqual(columns(b), { pieces: 'pieces 1–2', share: '59 %' });
  assert.deepEqual(columns(c), { pieces: 'no pieces', share: '0 %' });
  assert.deepEqual(columns(d), { pieces: 'piece 3', share: '0.2 %' });
  assert.equal(a.detail, '19.5 KiB');
  assert.equal(a.span, undefined, 'no byte span beside a file row');
  assert.equal(
    a.title,
    `File 1 of 4: 20,000 bytes at byte 0 of the data\nPieces 0–1 (from 0), shared at the ends\n.torrent entry: bytes ${formatSpan(a0.start, a0.end)}`,
  );
  assert.match(c.title!, /\nEmpty: in no piece\n/);
  assert.match(d.title!, /^File 4 of 4: 100 bytes at byte 49,152 of the data\nPiece 3 \(from 0\)\n/);
  assert.deepEqual(a.actions, ['copy', 'copyName', 'reveal']);
  await session.handle({ type: 'rowAction', version: 1, tree: 'files', id: a.id, action: 'copy' });
  await session.handle({ type: 'rowAction', version: 1, tree: 'files', id: a.id, action: 'copyName' });
  await session.handle({ type: 'rowAction', version: 1, tree: 'files', id: '0', action: 'copy' });
  assert.deepEqual(clipboard, ['files/a.bin', 'a.bin', 'files']);
});

test('v2-only torrents: each file starts a piece of its own', async () => {
  const path = 'gen/lt-v2-only-multi.torrent';
  const bytes = new Uint8Array(readFileSync(new URL(path, corpus)));
  const m = metainfo(bytes);
  const { session } = await sessionFor(bytes);
  const snapshot = await session.handle({ type: 'init', viewportRows: 40 });
  const all = await session.handle({ type: 'expandAll', version: 1, tree: 'files', expanded: true });
  const rows = (await allRows(session, all.total)).filter((r) => r.icon === 'file');
  let next = 0;
  for (const file of m.files) {
    const count = Math.ceil(file.length / m.pieceLength);
    const expected = count === 0 ? 'no pieces' : count === 1 ? `piece ${next}` : `pieces ${next}–${next + count - 1}`;
    const row = rows.find((r) => r.title?.startsWith(`File ${file.index + 1} of`))!;
    assert.equal(row.columns?.find((c) => c.name === 'pieces')?.text, expected, file.path.map((p) => p.text).join('/'));
    next += count;
  }
  assert.equal(next, snapshot.overview!.pieceCount);
});

test('a file that is no torrent counts its error on the Problems tab, first', async () => {
  const bytes = new Uint8Array(readFileSync(new URL('bad/html-page.torrent', corpus)));
  const { session } = await sessionFor(bytes);
  const snapshot = await session.handle({ type: 'init', viewportRows: 40 });
  assert.ok(snapshot.failure);
  assert.equal(snapshot.trees.problems.count, 1);
  assert.deepEqual([snapshot.diagnostics.total, snapshot.diagnostics.errors], [1, 1]);
  const problems = await session.handle({ type: 'getRows', version: 1, tree: 'problems', start: 0, count: 10 });
  assert.equal(problems.rows[0].label.text, snapshot.failure.message);
  assert.equal(problems.rows[0].icon, 'error');
  assert.ok(
    problems.rows.every((r) => r.detail === undefined || /^byte [\d,]+$/.test(r.detail)),
    'no internal code on screen',
  );
});

test('a private torrent: copy with secrets keeps the passkey, the plain copy hides it, and both say so', async () => {
  const passkey = '0123456789abcdef0123456789abcdef';
  const url = `http://tracker.example:8080/${passkey}/announce`;
  const bytes = encode({
    announce: url,
    'url-list': [`http://seed.example/${passkey}/`, 'https://mirror.example/files/'],
    info: { name: 'x', length: 1, 'piece length': 16384, pieces: new Uint8Array(20), private: 1 },
  });
  const { session, clipboard } = await sessionFor(bytes);
  const snapshot = await session.handle({ type: 'init', viewportRows: 40 });
  assert.equal(snapshot.overview!.magnetSecretsHidden, true);
  const tracker = (await session.handle({ type: 'getRows', version: 1, tree: 'trackers', start: 0, count: 10 })).rows.find(
    (r) => r.icon === 'tracker',
  )!;
  assert.deepEqual(tracker.actions, ['announce', 'scrape', 'copy', 'copyWithSecrets']);
  const plain = await session.handle({ type: 'rowAction', version: 1, tree: 'trackers', id: tracker.id, action: 'copy' });
  const secret = await session.handle({ type: 'rowAction', version: 1, tree: 'trackers', id: tracker.id, action: 'copyWithSecrets' });
  assert.equal(clipboard[0], url.replace(passkey, '[redacted]'));
  assert.equal(clipboard[1], url);
  assert.match(plain.message!, /secrets hidden/);
  assert.match(secret.message!, /Anyone who has it can announce as you/);
  await session.handle({ type: 'copy', what: 'magnetWithSecrets' });
  assert.ok(clipboard[2].includes(passkey), 'the magnet link with secrets keeps the passkey');
  const seeds = (await session.handle({ type: 'getRows', version: 1, tree: 'webseeds', start: 0, count: 10 })).rows;
  assert.deepEqual(
    seeds.map((r) => r.actions),
    [
      ['copy', 'copyWithSecrets'],
      ['open', 'copy'],
    ],
  );
});

test('web links: the comment and web seeds open through the host, only http and https, never with a hidden secret', async () => {
  const bytes = encode({
    announce: 'http://127.0.0.1:6969/announce',
    comment: 'Notes at https://example.org/notes (mirror: http://127.0.0.1:9/m?a=1&b=2). Not: javascript:alert(1), file:///etc/passwd.',
    'url-list': ['https://seed.example/files/', 'ftp://seed.example/files/', 'http://seed.example/0123456789abcdef0123456789abcdef/'],
    info: { name: 'x', length: 1, 'piece length': 16384, pieces: new Uint8Array(20) },
  });
  const opened: string[] = [];
  const { session } = await sessionFor(bytes, { openExternal: async (url) => void opened.push(url) });
  const snapshot = await session.handle({ type: 'init', viewportRows: 40 });
  const o = snapshot.overview!;
  assert.deepEqual(
    o.commentLinks!.map(([start, end]) => o.comment!.text.slice(start, end)),
    ['https://example.org/notes', 'http://127.0.0.1:9/m?a=1&b=2'],
  );
  await session.handle({ type: 'openLink', version: 1, link: { kind: 'comment', index: 1 } });
  await assert.rejects(session.handle({ type: 'openLink', version: 1, link: { kind: 'comment', index: 2 } }), /no such link/);
  const seeds = (await session.handle({ type: 'getRows', version: 1, tree: 'webseeds', start: 0, count: 10 })).rows;
  assert.deepEqual(
    seeds.map((r) => r.actions),
    [['open', 'copy'], ['copy'], ['copy', 'copyWithSecrets']],
  );
  await session.handle({ type: 'rowAction', version: 1, tree: 'webseeds', id: seeds[0].id, action: 'open' });
  await assert.rejects(
    session.handle({ type: 'rowAction', version: 1, tree: 'webseeds', id: seeds[1].id, action: 'open' }),
    /only http and https/,
  );
  await assert.rejects(
    session.handle({ type: 'rowAction', version: 1, tree: 'webseeds', id: seeds[2].id, action: 'open' }),
    /hidden secret/,
  );
  assert.deepEqual(opened, ['http://127.0.0.1:9/m?a=1&b=2', 'https://seed.example/files/']);
});

test('the pieces column counts what a plain walk over the data finds, for every file of a padded torrent', async () => {
  const path = 'gen/lt-v1-padded.torrent';
  const bytes = new Uint8Array(readFileSync(new URL(path, corpus)));
  const m = metainfo(bytes);
  const { session } = await sessionFor(bytes);
  await session.handle({ type: 'init', viewportRows: 40 });
  const all = await session.handle({ type: 'expandAll', version: 1, tree: 'files', expanded: true });
  const rows = (await allRows(session, all.total)).filter((r) => r.icon === 'file' || r.icon === 'pad');
  assert.equal(rows.length, m.files.count);
  for (const file of m.files) {
    // The pieces holding bytes offset .. offset + length - 1, found one byte at a time.
    const pieces = new Set<number>();
    for (let at = file.offset; at < file.offset + file.length; at += Math.min(m.pieceLength, file.offset + file.length - at))
      pieces.add(Math.floor(at / m.pieceLength));
    if (file.length > 0) pieces.add(Math.floor((file.offset + file.length - 1) / m.pieceLength));
    const sorted = [...pieces].sort((x, y) => x - y);
    const expected =
      sorted.length === 0 ? 'no pieces' : sorted.length === 1 ? `piece ${sorted[0]}` : `pieces ${sorted[0]}–${sorted.at(-1)}`;
    const row = rows.find((r) => r.title?.startsWith(`File ${file.index + 1} of`))!;
    assert.equal(row.columns?.[0].text, expected, `file ${file.index}`);
  }
});

// ---------------------------------------------------------------------------------------------------------

async function sessionFor(bytes: Uint8Array, host: Partial<SessionHost> = {}) {
  const clipboard: string[] = [];
  const session = new EditorSession(
    {
      writeClipboard: async (text) => void clipboard.push(text),
      trackerCommand: async () => {},
      openAsText: async () => {},
      rawEditor: () => 'text',
      openExternal: async () => {},
      showSecretsSetting: () => false,
      ...host,
    },
    await ParsedTorrent.parse(1, bytes, parseMetainfo),
    'test.torrent',
  );
  return { session, clipboard };
}

function setFilesView(session: EditorSession, query: string, sort: 'torrent' | 'name' | 'size' = 'torrent'): Promise<FilesViewReply> {
  return session.handle({ type: 'setFilesView', version: 1, query, sort, viewportRows: 40 });
}

async function allRows(session: EditorSession, total: number): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for (let start = 0; start < total; start += 500) {
    const page: RowsReply = await session.handle({ type: 'getRows', version: 1, tree: 'files', start, count: 500 });
    rows.push(...page.rows);
  }
  return rows;
}
