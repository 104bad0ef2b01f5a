// createTorrent on small folders made by the tests: the hashes against a plain BEP 3 / BEP 52 hasher,
// the keys written, what Torrent Lens's own reader says of the result, the options, and bad input.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decode } from '../../src/core/bencode/decode';
import { createTorrent, type CreateOptions } from '../../src/core/create/create';
import { nameProblem, parseSize, trackerUrlProblem, webSeedUrlProblem } from '../../src/core/create/options';
import { writeFileAtomic } from '../../src/core/create/write-file';
import { HashingError } from '../../src/core/hashing/errors';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { plainV1Pieces, plainV2, tempFolder, testPool, writeTree, type TreeFile } from '../support/hashing';

const pool = testPool();
after(() => pool.close());

const KiB = 1024;
/** Nested folders, an empty file, files larger and smaller than a piece, a non-ASCII name. */
const FOLDER: TreeFile[] = [
  { path: 'big.bin', size: 300 * KiB + 123 },
  { path: 'Zeta.txt', size: 5000 },
  { path: 'sub/empty', size: 0 },
  { path: 'sub/deeper/c.dat', size: 40_000 },
  { path: 'sub/exact', size: 64 * KiB },
  { path: 'ünïcødé €.txt', size: 3 },
];

function options(folder: string, extra: Partial<CreateOptions> = {}): CreateOptions {
  return { path: folder, pool, createdBy: false, creationDate: false, ...extra };
}

/** The decoded info dictionary's value for `key`. */
function infoValue(torrent: Uint8Array, key: string): Uint8Array | number | undefined {
  const doc = decode(torrent);
  const info = doc.get(doc.root, 'info');
  const value = doc.get(info, key);
  if (value < 0) return undefined;
  return doc.isBytes(value) ? doc.bytes(value) : (doc.int(value) as number);
}

describe('createTorrent', () => {
  let dir: string;
  let remove: () => void;
  let contents: Map<string, Buffer>;
  /** The files in path-byte order, element by element, as BEP 52's file tree has them. */
  let ordered: string[];

  before(() => {
    ({ dir, remove } = tempFolder());
    contents = writeTree(path.join(dir, 'folder'), FOLDER);
    ordered = [...contents.keys()].sort((a, b) => {
      const x = a.split('/').map((e) => Buffer.from(e));
      const y = b.split('/').map((e) => Buffer.from(e));
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = Buffer.compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    });
  });
  after(() => remove());

  test('v1: SHA-1 pieces across file boundaries, files in path-byte order, only the keys mktorrent writes', async () => {
    const pieceLength = 32 * KiB;
    const { torrent, summary } = await createTorrent(options(path.join(dir, 'folder'), { version: 'v1', pieceLength }));
    const data = Buffer.concat(ordered.map((p) => contents.get(p) as Buffer));
    assert.deepEqual(Buffer.from(infoValue(torrent, 'pieces') as Uint8Array), plainV1Pieces(data, pieceLength));
    const parsed = parseMetainfo(torrent);
    assert.ok(parsed.ok);
    const m = parsed.metainfo;
    assert.equal(m.version, 'v1');
    assert.deepEqual(
      [...m.files].map((f) => f.path.map((e) => e.text).join('/')),
      ordered,
    );
    const doc = m.document;
    assert.deepEqual(
      doc.entries(m.info).map(([k]) => doc.binary(k)),
      ['files', 'name', 'piece length', 'pieces'],
    );
    assert.deepEqual(
      doc.entries(doc.root).map(([k]) => doc.binary(k)),
      ['info'],
    );
    assert.deepEqual(
      m.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    assert.equal(summary.infoHash.v1, m.infoHash.v1);
    assert.equal(summary.pieceCount, Math.ceil(data.length / pieceLength));
    assert.equal(summary.totalLength, data.length);
    assert.equal(summary.fileCount, FOLDER.length);
  });

  for (const version of ['v2', 'hybrid'] as const) {
    test(`${version}: pieces roots and piece layers as BEP 52 builds them`, async () => {
      const pieceLength = 32 * KiB;
      const { torrent } = await createTorrent(options(path.join(dir, 'folder'), { version, pieceLength }));
      const parsed = parseMetainfo(torrent);
      assert.ok(parsed.ok);
      const m = parsed.metainfo;
      assert.equal(m.version, version);
      assert.deepEqual(
        m.diagnostics.filter((d) => d.severity !== 'info'),
        [],
      );
      const doc = m.document;
      const layers = doc.get(doc.root, 'piece layers');
      const files = [...m.files].filter((f) => !f.padding);
      assert.deepEqual(
        files.map((f) => f.path.map((e) => e.text).join('/')),
        ordered,
      );
      for (const file of files) {
        const data = contents.get(file.path.map((e) => e.text).join('/')) as Buffer;
        if (data.length === 0) {
          assert.equal(file.piecesRoot, undefined);
          continue;
        }
        const plain = plainV2(data, pieceLength);
        assert.equal(file.piecesRoot, plain.root.toString('hex'), file.path.map((e) => e.text).join('/'));
        const layerToken = doc.entries(layers).find(([k]) => Buffer.from(doc.bytes(k)).equals(plain.root))?.[1];
        if (data.length > pieceLength) assert.deepEqual(Buffer.from(doc.bytes(layerToken as number)), plain.layer);
        else assert.equal(layerToken, undefined);
      }
      if (version === 'hybrid') {
        // Every file starts on a piece boundary; the v1 pieces hash the files with their pad files' zeros.
        const stream: Buffer[] = [];
        for (const file of m.files) {
          if (!file.padding) assert.equal(file.offset % pieceLength, 0);
          stream.push(file.padding ? Buffer.alloc(file.length) : (contents.get(file.path.map((e) => e.text).join('/')) as Buffer));
        }
        assert.deepEqual(Buffer.from(infoValue(torrent, 'pieces') as Uint8Array), plainV1Pieces(Buffer.concat(stream), pieceLength));
        // libtorrent's pad files: after each file that does not end on a boundary, the last one too.
        const pads = [...m.files].filter((f) => f.padding);
        assert.ok(pads.length > 0);
        for (const pad of pads)
          assert.deepEqual(
            pad.path.map((e) => e.text),
            ['.pad', String(pad.length)],
          );
        assert.equal(m.totalLength % pieceLength, 0);
      }
    });
  }

  test('a single file: v1 `length`, v2 a file tree of one file named like the torrent', async () => {
    const file = path.join(dir, 'folder', 'big.bin');
    const data = contents.get('big.bin') as Buffer;
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      const { torrent, summary } = await createTorrent(options(file, { version, pieceLength: 16 * KiB }));
      const parsed = parseMetainfo(torrent);
      assert.ok(parsed.ok);
      const m = parsed.metainfo;
      assert.equal(m.singleFile, true, version);
      assert.equal(m.name.text, 'big.bin');
      assert.equal(m.files.padCount, 0);
      assert.deepEqual(
        m.diagnostics.filter((d) => d.severity !== 'info'),
        [],
      );
      if (version !== 'v2') assert.equal(infoValue(torrent, 'length'), data.length);
      if (version !== 'v1') assert.equal(m.files.get(0).piecesRoot, plainV2(data, 16 * KiB).root.toString('hex'));
      assert.equal(summary.fileCount, 1);
    }
  });

  test('the same files and options make the same bytes', async () => {
    const a = await createTorrent(options(path.join(dir, 'folder')));
    const b = await createTorrent(options(path.join(dir, 'folder'), { pool: testPool(1) }));
    assert.deepEqual(a.torrent, b.torrent);
    assert.equal(a.summary.version, 'hybrid');
  });

  test('trackers by tier, web seeds, private, source, comment, created by and creation date', async () => {
    const { torrent } = await createTorrent({
      path: path.join(dir, 'folder'),
      pool,
      trackers: [['http://127.0.0.1:1/announce', 'udp://127.0.0.1:2'], ['http://127.0.0.1:3/announce']],
      webSeeds: ['http://127.0.0.1:4/files/'],
      private: true,
      source: 'TL',
      comment: 'made in a test',
      createdBy: 'tests',
      creationDate: 1_700_000_000,
    });
    const parsed = parseMetainfo(torrent);
    assert.ok(parsed.ok);
    const m = parsed.metainfo;
    assert.deepEqual(m.trackers, [['http://127.0.0.1:1/announce', 'udp://127.0.0.1:2'], ['http://127.0.0.1:3/announce']]);
    assert.deepEqual(m.webSeeds, ['http://127.0.0.1:4/files/']);
    assert.equal(m.private, true);
    assert.equal(m.source?.text, 'TL');
    assert.equal(m.comment?.text, 'made in a test');
    assert.equal(m.createdBy?.text, 'tests');
    assert.equal(m.creationDate, 1_700_000_000);
    assert.deepEqual(
      m.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    const doc = m.document;
    assert.equal(doc.binary(doc.get(doc.root, 'announce')), 'http://127.0.0.1:1/announce');
  });

  test('by default: created by Torrent Lens, dated now', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { torrent } = await createTorrent({ path: path.join(dir, 'folder'), pool });
    const parsed = parseMetainfo(torrent);
    assert.ok(parsed.ok);
    assert.equal(parsed.metainfo.createdBy?.text, 'Torrent Lens');
    assert.ok((parsed.metainfo.creationDate as number) >= before);
  });

  test('the automatic piece length is 16 KiB for small data; a chosen one must be a power of two ≥ 16 KiB', async () => {
    const { summary } = await createTorrent(options(path.join(dir, 'folder')));
    assert.equal(summary.pieceLength, 16 * KiB);
    for (const bad of [0, 8 * KiB, 48 * KiB, 1.5, 2 ** 29]) {
      await assert.rejects(
        createTorrent(options(path.join(dir, 'folder'), { pieceLength: bad })),
        (e: unknown) => e instanceof HashingError && e.code === 'bad-option',
      );
    }
  });

  test('progress reaches the total', async () => {
    const seen: number[] = [];
    let total = -1;
    await createTorrent(
      options(path.join(dir, 'folder'), {
        onProgress: (p) => {
          if (p.phase === 'hashing') {
            seen.push(p.bytesDone);
            total = p.bytesTotal;
          }
        },
      }),
    );
    const size = FOLDER.reduce((sum, f) => sum + f.size, 0);
    assert.equal(total, size);
    assert.equal(seen[seen.length - 1], size);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
    );
  });
});

describe('createTorrent: what goes in', () => {
  let dir: string;
  let remove: () => void;
  before(() => {
    ({ dir, remove } = tempFolder());
    writeTree(path.join(dir, 'top'), [
      { path: 'keep.txt', size: 10 },
      { path: '.hidden', size: 10 },
      { path: '.git/config', size: 10 },
      { path: 'notes.nfo', size: 10 },
      { path: 'sub/skip.tmp', size: 10 },
      { path: 'sub/keep.dat', size: 10 },
      { path: 'cache/a', size: 10 },
    ]);
    writeTree(path.join(dir, 'outside'), [{ path: 'secret', size: 10 }]);
    symlinkSync(path.join(dir, 'outside', 'secret'), path.join(dir, 'top', 'link-out'));
    symlinkSync('keep.txt', path.join(dir, 'top', 'link-in'));
    symlinkSync('..', path.join(dir, 'top', 'sub', 'loop'));
  });
  after(() => remove());

  const names = async (extra: Partial<CreateOptions>) => {
    const { torrent, summary } = await createTorrent(options(path.join(dir, 'top'), { version: 'v1', ...extra }));
    const parsed = parseMetainfo(torrent);
    assert.ok(parsed.ok);
    return { files: [...parsed.metainfo.files].map((f) => f.path.map((e) => e.text).join('/')), summary };
  };

  test('hidden names are left out unless asked for; symlinks are skipped by default', async () => {
    const { files, summary } = await names({});
    assert.deepEqual(files, ['cache/a', 'keep.txt', 'notes.nfo', 'sub/keep.dat', 'sub/skip.tmp']);
    assert.deepEqual(
      summary.skipped.map((s) => `${s.path}:${s.reason}`),
      ['.git:hidden', '.hidden:hidden', 'link-in:symlink', 'link-out:symlink', 'sub/loop:symlink'],
    );
    const all = await names({ includeHidden: true });
    assert.deepEqual(all.files, ['.git/config', '.hidden', 'cache/a', 'keep.txt', 'notes.nfo', 'sub/keep.dat', 'sub/skip.tmp']);
  });

  test('exclude patterns: a bare name anywhere, a path from the top, a folder with its contents', async () => {
    const { files, summary } = await names({ exclude: ['*.nfo', 'sub/*.tmp', 'cache'] });
    assert.deepEqual(files, ['keep.txt', 'sub/keep.dat']);
    assert.deepEqual(
      summary.skipped.filter((s) => s.reason === 'excluded').map((s) => s.path),
      ['cache', 'notes.nfo', 'sub/skip.tmp'],
    );
    assert.deepEqual((await names({ exclude: ['**/keep.*'] })).files, ['cache/a', 'notes.nfo', 'sub/skip.tmp']);
  });

  test('symlinks: follow inside the folder only, follow anywhere, or stop with an error', async () => {
    const inside = await names({ symlinks: 'follow-inside' });
    assert.deepEqual(inside.files, ['cache/a', 'keep.txt', 'link-in', 'notes.nfo', 'sub/keep.dat', 'sub/skip.tmp']);
    assert.deepEqual(
      inside.summary.skipped.filter((s) => s.reason !== 'hidden').map((s) => `${s.path}:${s.reason}`),
      ['link-out:symlink-outside', 'sub/loop:symlink-loop'],
    );
    const anywhere = await names({ symlinks: 'follow' });
    assert.ok(anywhere.files.includes('link-out'));
    assert.ok(anywhere.summary.skipped.some((s) => s.path === 'sub/loop' && s.reason === 'symlink-loop'));
    await assert.rejects(
      createTorrent(options(path.join(dir, 'top'), { symlinks: 'error' })),
      (e: unknown) => e instanceof HashingError && e.code === 'symlink',
    );
  });
});

describe('createTorrent: bad input', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempFolder()));
  after(() => remove());

  const rejectsWith = (opts: Partial<CreateOptions> & { path: string }, code: string, message: RegExp) =>
    assert.rejects(createTorrent(options(opts.path, opts)), (e: unknown) => {
      assert.ok(e instanceof HashingError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });

  test('a path that does not exist', () => rejectsWith({ path: path.join(dir, 'nope') }, 'not-found', /nope does not exist/));

  test('an empty folder, and a folder of empty files', async () => {
    mkdirSync(path.join(dir, 'empty'));
    await rejectsWith({ path: path.join(dir, 'empty') }, 'no-data', /no files/);
    writeTree(path.join(dir, 'zeros'), [{ path: 'a', size: 0 }]);
    await rejectsWith({ path: path.join(dir, 'zeros') }, 'no-data', /every file .* is empty/);
  });

  test('a file name that is not UTF-8 stops the listing, unless it is excluded', async () => {
    writeTree(path.join(dir, 'latin1'), [{ path: 'ok', size: 1 }]);
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'latin1', 'caf')), Buffer.from([0xe9])]), 'x');
    await rejectsWith({ path: path.join(dir, 'latin1') }, 'name-not-utf8', /caf.* the name is not UTF-8/);
    const { summary } = await createTorrent(options(path.join(dir, 'latin1'), { exclude: ['caf*'] }));
    assert.equal(summary.fileCount, 1);
  });

  test('a bad name, an empty tracker', async () => {
    writeTree(path.join(dir, 'ok'), [{ path: 'a', size: 1 }]);
    await rejectsWith({ path: path.join(dir, 'ok'), name: 'a/b' }, 'bad-option', /cannot be a torrent's name/);
    await rejectsWith({ path: path.join(dir, 'ok'), trackers: [['']] }, 'bad-option', /tracker URL/);
  });
});

describe('what a new torrent is made with: checks shared by the core, the CLI and the create form', () => {
  test('tracker URLs: http, https, udp (with a port), ws and wss, with a host and no spaces around', () => {
    for (const url of [
      'http://t.example/announce',
      'https://t.example:8443/a?pk=1',
      'udp://t.example:6969',
      'ws://t.example',
      'wss://t.example/x',
    ])
      assert.equal(trackerUrlProblem(url), undefined, url);
    assert.match(trackerUrlProblem('ftp://t.example/') ?? '', /unsupported tracker scheme "ftp:"/);
    assert.match(trackerUrlProblem('udp://t.example/announce') ?? '', /needs a port/);
    assert.match(trackerUrlProblem('t.example/announce') ?? '', /not a URL/);
    assert.match(trackerUrlProblem(' http://t.example/') ?? '', /spaces/);
    assert.match(trackerUrlProblem('') ?? '', /empty/);
  });

  test('web seeds: http and https only', () => {
    assert.equal(webSeedUrlProblem('https://files.example/dir/'), undefined);
    assert.match(webSeedUrlProblem('ftp://files.example/') ?? '', /http:\/\/ or https:\/\//);
    assert.match(webSeedUrlProblem('nonsense') ?? '', /not a valid URL/);
  });

  test('sizes as people write them, names that can name a file or folder', () => {
    assert.deepEqual(['16384', '16K', '16 KiB', '4M', '4mb', '2 MiB', '1.5M', '16 GB', ''].map(parseSize), [
      16384,
      16384,
      16384,
      4 << 20,
      4 << 20,
      2 << 20,
      undefined,
      undefined,
      undefined,
    ]);
    assert.equal(nameProblem('Album (2024)'), undefined);
    for (const bad of ['', '.', '..', 'a/b', 'a\0b'])
      assert.match(nameProblem(bad) ?? '', /cannot be a torrent's name/, JSON.stringify(bad));
  });
});

describe('writeFileAtomic: a new .torrent is written whole or not at all', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempFolder()));
  after(() => remove());

  test('writes, keeps an existing file unless overwriting, and leaves no temporary file', () => {
    const file = path.join(dir, 'a.torrent');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]), { overwrite: false });
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    assert.throws(
      () => writeFileAtomic(file, new Uint8Array([4]), { overwrite: false }),
      (e: unknown) => e instanceof HashingError && e.code === 'exists',
    );
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    writeFileAtomic(file, new Uint8Array([4]), { overwrite: true });
    assert.deepEqual([...readFileSync(file)], [4]);
    assert.deepEqual(readdirSync(dir), ['a.torrent']);
  });

  test('a folder that does not exist, a name that is too long', () => {
    assert.throws(
      () => writeFileAtomic(path.join(dir, 'none', 'a.torrent'), new Uint8Array(1), { overwrite: false }),
      (e: unknown) => e instanceof HashingError && e.code === 'unwritable' && /its folder does not exist/.test(e.message),
    );
    assert.throws(
      () => writeFileAtomic(path.join(dir, `${'x'.repeat(300)}.torrent`), new Uint8Array(1), { overwrite: false }),
      (e: unknown) => e instanceof HashingError && e.code === 'unwritable' && /too long/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), ['a.torrent']);
  });
});
