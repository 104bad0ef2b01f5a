// The editor's parse chain: ParsedTorrent.parse with the parser the extension uses (parseMetainfoAsync,
// the hashes on the thread pool), failures that stay failures, and the snapshot the editor prepares while
// VS Code loads the webview.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo, parseMetainfoAsync } from '../../src/core/metainfo/parse';
import { ParsedTorrent } from '../../src/view-model/editor/parsed-torrent';
import { EditorSession } from '../../src/view-model/editor/session';
import type { Snapshot } from '../../src/shared/protocol/editor';
import { bigTorrent, quietSessionHost } from '../support/editor-fixtures';

const host = quietSessionHost();

async function firstSnapshot(parsed: ParsedTorrent, prepare: boolean): Promise<Snapshot> {
  const session = new EditorSession(host, parsed, 'test.torrent');
  if (prepare) session.prepare();
  return session.handle({ type: 'init', viewportRows: 41 });
}

test('parseMetainfoAsync in the editor: the same torrent, hashes and first snapshot as parseMetainfo', async () => {
  // Large enough (24 MB) that the hashes are computed on the thread pool.
  const bytes = bigTorrent();
  const asyncParsed = await ParsedTorrent.parse(1, bytes, parseMetainfoAsync);
  const syncParsed = await ParsedTorrent.parse(1, bytes, parseMetainfo);
  assert.ok(asyncParsed.metainfo && syncParsed.metainfo);
  assert.match(asyncParsed.metainfo.infoHash.v1 ?? '', /^[0-9a-f]{40}$/);
  assert.deepEqual(asyncParsed.metainfo.infoHash, syncParsed.metainfo.infoHash);
  assert.deepEqual(asyncParsed.diagnostics, syncParsed.diagnostics);
  assert.deepEqual(await firstSnapshot(asyncParsed, false), await firstSnapshot(syncParsed, false));
});

test('a parser that throws or rejects gives a failure that still shows the raw tree, never a rejection', async () => {
  const bytes = encode({ info: { name: 'x', length: 1, 'piece length': 16384, pieces: new Uint8Array(20) } });
  const throwing = await ParsedTorrent.parse(1, bytes, () => {
    throw new Error('parser bug');
  });
  const rejecting = await ParsedTorrent.parse(2, bytes, async () => {
    throw new Error('async parser bug');
  });
  for (const [parsed, message] of [
    [throwing, 'parser bug'],
    [rejecting, 'async parser bug'],
  ] as const) {
    assert.equal(parsed.metainfo, undefined);
    assert.equal(parsed.failure?.code, 'internal-error');
    assert.match(parsed.failure?.message ?? '', new RegExp(message));
    assert.ok((parsed.document?.count ?? 0) > 0, 'the raw tree still has the decoded bencode');
    const snapshot = await firstSnapshot(parsed, true);
    assert.equal(snapshot.tab, 'raw');
    assert.equal(snapshot.failure?.code, 'internal-error');
  }
  assert.equal(rejecting.version, 2);

  const notBencode = await ParsedTorrent.parse(1, new TextEncoder().encode('<html>'), parseMetainfoAsync);
  assert.equal(notBencode.failure?.code, 'not-bencode');
  assert.equal(notBencode.failure?.offset, 0);
});

test('the snapshot prepared while the webview loads is the one init would build', async () => {
  for (const bytes of [
    bigTorrent({ files: 5000, pieceCount: 5000 }),
    encode({ info: { name: 'one.bin', length: 5, 'piece length': 16384, pieces: new Uint8Array(20) } }),
  ]) {
    const parsed = await ParsedTorrent.parse(1, bytes, parseMetainfoAsync);
    assert.deepEqual(
      await firstSnapshot(parsed, true),
      await firstSnapshot(await ParsedTorrent.parse(1, bytes, parseMetainfoAsync), false),
    );
  }
});
