// The hashing engine's parts: BEP 52 Merkle helpers against a plain implementation, the piece stream
// with files that change while they are read or cannot be read (a FIFO must never hang it), exclude
// patterns, and the automatic piece length.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { globToRegExp, compileExcludes } from '../../src/core/create/glob';
import { automaticPieceLength, checkPieceLength } from '../../src/core/create/piece-length';
import { hashStream } from '../../src/core/hashing/engine';
import { HashingError } from '../../src/core/hashing/errors';
import { HASH_SIZE, padHash, rootFromPieceLayer } from '../../src/core/hashing/merkle';
import { PATH_ABSOLUTE, PieceStreamBuilder, type PieceStream } from '../../src/core/hashing/stream';
import { PackedBytesBuilder } from '../../src/core/hashing/thread-bytes';
import { plainV1Pieces, plainV2, seededBytes, tempFolder, testPool } from '../support/hashing';

const pool = testPool();
after(() => pool.close());

describe('BEP 52 Merkle trees', () => {
  test('pad hashes are the roots of zero subtrees', () => {
    assert.deepEqual(Buffer.from(padHash(0)), Buffer.alloc(32));
    const one = createHash('sha256').update(Buffer.alloc(64)).digest();
    assert.deepEqual(Buffer.from(padHash(1)), one);
    assert.deepEqual(
      Buffer.from(padHash(2)),
      createHash('sha256')
        .update(Buffer.concat([one, one]))
        .digest(),
    );
  });

  test('a root from a piece layer equals the root over all blocks', () => {
    for (const [size, pieceLength] of [
      [5 * 65536 + 7, 65536],
      [3 * 16384, 16384],
      [9 * 32768, 32768],
      [32768 + 1, 32768],
    ]) {
      const plain = plainV2(seededBytes(size, size), pieceLength);
      const pieces = Math.ceil(size / pieceLength);
      assert.equal(plain.layer.length, pieces * HASH_SIZE);
      assert.deepEqual(Buffer.from(rootFromPieceLayer(plain.layer, pieces, pieceLength)), plain.root, `${size}/${pieceLength}`);
    }
  });
});

describe('hashStream', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempFolder()));
  after(() => remove());

  /** A v1 stream of 16 KiB pieces over whole files, one after another, numbered from 0. */
  function streamOf(...files: { path: string; length: number }[]): PieceStream {
    const paths = new PackedBytesBuilder();
    for (const file of files) paths.pushText(file.path);
    const stream = new PieceStreamBuilder(16384, new Uint8Array(0), paths.result(true));
    files.forEach((file, i) => stream.data(i, i, file.length, file.length, PATH_ABSOLUTE));
    return stream.build(true, false);
  }

  test('v1 pieces across many jobs equal a plain SHA-1 of each piece', async () => {
    const file = path.join(dir, 'long');
    const data = seededBytes(3, 9 << 20);
    writeFileSync(file, data);
    const hashes = await hashStream(streamOf({ path: file, length: data.length }), { pool, strict: true });
    assert.deepEqual(Buffer.from(hashes.v1 as Uint8Array), plainV1Pieces(data, 16384));
    assert.equal(hashes.bytesRead, data.length);
    assert.ok(hashes.unread.every((u) => u === 0));
  });

  test('creating: a file that grew or shrank since it was listed is an error that names it', async () => {
    const file = path.join(dir, 'changing');
    writeFileSync(file, seededBytes(4, 100_000));
    appendFileSync(file, 'more');
    await assert.rejects(hashStream(streamOf({ path: file, length: 100_000 }), { pool, strict: true }), (e: unknown) => {
      assert.ok(e instanceof HashingError);
      assert.equal(e.code, 'changed');
      assert.match(e.message, /changing changed while it was read: it grew past its listed 100,000 bytes/);
      return true;
    });
    truncateSync(file, 50_000);
    await assert.rejects(
      hashStream(streamOf({ path: file, length: 100_000 }), { pool, strict: true }),
      /changed while it was read: it ended after 50,000 of 100,000 bytes/,
    );
  });

  test('verifying: what cannot be read counts as unread pieces, and a FIFO is refused rather than waited on', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const short = path.join(dir, 'short');
    writeFileSync(short, seededBytes(5, 20_000));
    const stream = streamOf({ path: fifo, length: 16384 }, { path: short, length: 2 * 16384 });
    const hashes = await hashStream(stream, { pool, strict: false });
    assert.deepEqual([...hashes.unread], [1, 0, 1]);
    assert.equal(hashes.problems.get(0)?.code, 'not-a-file');
    assert.equal(hashes.problems.get(1)?.code, 'short');
    assert.equal(hashes.bytesRead, 20_000);
  });

  test('an aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      hashStream(streamOf({ path: path.join(dir, 'long'), length: 9 << 20 }), { pool, strict: true, signal: controller.signal }),
      {
        name: 'AbortError',
      },
    );
  });
});

describe('exclude patterns', () => {
  test('glob syntax', () => {
    const cases: [string, string, boolean][] = [
      ['*.nfo', 'a.nfo', true],
      ['*.nfo', 'a.nfo.txt', false],
      ['*.nfo', 'sub/a.nfo', false],
      ['file?.txt', 'file1.txt', true],
      ['file?.txt', 'file10.txt', false],
      ['[ab]*', 'beta', true],
      ['[!ab]*', 'beta', false],
      ['[a-c]x', 'bx', true],
      ['**/x', 'x', true],
      ['**/x', 'a/b/x', true],
      ['a/**', 'a/b/c', true],
      ['a/**/z', 'a/z', true],
      ['a/**/z', 'a/b/c/z', true],
      ['\\*', '*', true],
      ['\\*', 'a', false],
      ['(x)+', '(x)+', true],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globToRegExp(glob).test(path), expected, `${glob} on ${path}`);
  });

  test('a pattern without a slash matches any element, one with a slash the path from the top', () => {
    const matcher = compileExcludes(['*.tmp', 'build/out', '/top-only']);
    assert.equal(matcher.matches(['a', 'b.tmp']), true);
    assert.equal(matcher.matches(['b.tmp', 'inside']), true, 'a folder that matches takes its contents');
    assert.equal(matcher.matches(['build', 'out', 'x']), true);
    assert.equal(matcher.matches(['src', 'build', 'out']), false);
    assert.equal(matcher.matches(['top-only']), true);
    assert.equal(matcher.matches(['x', 'top-only']), true, "a leading '/' alone does not anchor a bare name");
  });
});

describe('piece length', () => {
  test("automatic: libtorrent's rule, 16 KiB to 16 MiB", () => {
    assert.equal(automaticPieceLength(1), 16384);
    assert.equal(automaticPieceLength(2_684_355), 16384);
    assert.equal(automaticPieceLength(2_684_356), 32768);
    assert.equal(automaticPieceLength(2 * 1024 ** 3), 512 * 1024);
    assert.equal(automaticPieceLength(1024 ** 4), 16 * 1024 * 1024);
    assert.equal(automaticPieceLength(1024 ** 5), 16 * 1024 * 1024);
  });

  test('chosen: a power of two from 16 KiB to 256 MiB', () => {
    assert.equal(checkPieceLength(16384), 16384);
    assert.equal(checkPieceLength(1 << 28), 1 << 28);
    for (const bad of [0, 1, 8192, 16385, 3 * 16384, 1 << 29, Number.NaN]) assert.throws(() => checkPieceLength(bad), /power of two/);
  });
});
