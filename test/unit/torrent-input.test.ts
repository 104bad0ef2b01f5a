// The one loader of a torrent's bytes (src/core/input/torrent-bytes.ts): the cap, the first byte, and that a
// source is stopped as soon as it cannot be a torrent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import {
  checkTorrentSize,
  MAX_TORRENT_BYTES,
  readTorrentBytes,
  readWholeTorrent,
  TorrentInputError,
} from '../../src/core/input/torrent-bytes';

const TOO_LARGE = 'is larger than the 256 MiB a torrent may be';

/** A source of chunks that counts what was taken from it and whether it was stopped. */
function countedSource(first: Uint8Array, next: () => Uint8Array, limit = Infinity) {
  const state = { pulled: 0, stopped: false };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      state.pulled++;
      yield first;
      while (state.pulled < limit) {
        state.pulled++;
        yield next();
      }
    } finally {
      state.stopped = true;
    }
  }
  return { state, chunks: chunks() };
}

async function refusal(promise: Promise<unknown>): Promise<TorrentInputError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TorrentInputError, String(error));
    return error;
  }
  assert.fail('the source was not refused');
}

test('input: the cap is 256 MiB, with one message', () => {
  assert.equal(MAX_TORRENT_BYTES, 256 * 1024 * 1024);
  checkTorrentSize(MAX_TORRENT_BYTES);
  assert.throws(() => checkTorrentSize(MAX_TORRENT_BYTES + 1), { name: 'TorrentInputError', code: 'too-large', message: TOO_LARGE });
});

test('input: chunks are joined into the bytes they hold', async () => {
  const text = 'd4:infod6:lengthi1eee';
  const bytes = new TextEncoder().encode(text);
  const read = await readTorrentBytes([bytes.subarray(0, 1), new Uint8Array(0), bytes.subarray(1, 7), bytes.subarray(7)]);
  assert.equal(new TextDecoder().decode(read), text);
  assert.equal((await readTorrentBytes([])).length, 0, 'nothing read is left to the parser (an empty file)');
});

test('input: a source is stopped at a first byte that cannot start a torrent', async () => {
  const zeros = countedSource(new Uint8Array(65536), () => new Uint8Array(65536));
  const error = await refusal(readTorrentBytes(zeros.chunks));
  assert.equal(error.code, 'not-a-torrent');
  assert.equal(error.offset, 0);
  assert.equal(error.message, "unexpected byte 0x00 at byte 0: a torrent is a bencoded dictionary, which starts with 'd'");
  assert.deepEqual(zeros.state, { pulled: 1, stopped: true }, 'only the first chunk was read');

  const list = await refusal(readTorrentBytes([new TextEncoder().encode('li1ee')]));
  assert.equal(list.message, "unexpected byte 'l' (0x6C) at byte 0: a torrent is a bencoded dictionary, which starts with 'd'");
  const gzip = await refusal(readTorrentBytes([Uint8Array.of(0x1f, 0x8b, 8, 0)]));
  assert.equal(gzip.message, 'not bencode: this looks like gzip-compressed data (starts with 1F 8B); decompress it first');
  assert.equal(gzip.offset, 0);
});

test('input: an endless source is stopped as soon as it passes the cap', async () => {
  const cap = 1000;
  const endless = countedSource(new TextEncoder().encode('d'), () => new Uint8Array(100));
  const error = await refusal(readTorrentBytes(endless.chunks, cap));
  assert.equal(error.code, 'too-large');
  assert.equal(error.message, 'is larger than the 1000 bytes a torrent may be');
  // 1 + 9 × 100 = 901 bytes are under the cap; the 11th chunk passes it, and nothing more is taken.
  assert.deepEqual(endless.state, { pulled: 11, stopped: true });
  const exact = countedSource(new TextEncoder().encode('d'), () => new Uint8Array(111), 10);
  assert.equal((await readTorrentBytes(exact.chunks, cap)).length, cap, 'a source of exactly the cap is read');
});

test('input: a device stream is closed at its first byte', async () => {
  const stream = createReadStream('/dev/zero');
  const error = await refusal(readTorrentBytes(stream));
  assert.equal(error.offset, 0);
  assert.ok(stream.destroyed, 'the stream was destroyed, so nothing more is read');
  assert.ok(stream.bytesRead <= 65536, `read ${stream.bytesRead} bytes`);
});

test('input: a whole file is refused by its size before it is read, and refused if it grew', async () => {
  let reads = 0;
  const big = { size: async () => MAX_TORRENT_BYTES + 1, read: async () => (reads++, new Uint8Array(1)) };
  const error = await refusal(readWholeTorrent(big));
  assert.equal(error.message, TOO_LARGE);
  assert.equal(reads, 0, 'nothing was read');

  const grew = { size: async () => 10, read: async () => new Uint8Array(11) };
  assert.equal((await refusal(readWholeTorrent(grew, 10))).code, 'too-large');

  // Bytes in memory go to the parser whole: it reports a first byte that cannot start a torrent itself.
  const text = { size: async () => 4, read: async () => new TextEncoder().encode('i1e\n') };
  assert.equal((await readWholeTorrent(text)).length, 4);
});
