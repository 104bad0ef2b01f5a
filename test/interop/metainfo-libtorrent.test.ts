// What the metainfo reader says libtorrent does, checked against libtorrent itself (Debian's python3-libtorrent):
// every message of src/core/metainfo that names libtorrent is produced here by a small torrent, and libtorrent
// reads that torrent. Where the message says "libtorrent refuses", libtorrent must fail to load the torrent
// or to add it to a session; where it says what libtorrent does instead, libtorrent must load it and read it
// that way. A message that names libtorrent without a case here fails the coverage test, so a new claim
// cannot go unchecked. Also: file sizes, offsets, totals and piece counts with symlinks and pad files agree
// with libtorrent's. One python process reads every torrent of this file.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { FolderIndex, ROOT_FOLDER } from '../../src/core/metainfo/folder-index';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo, MetainfoResult } from '../../src/core/metainfo/types';
import { repoRoot } from '../support/corpus';
import { PYTHON } from '../support/libtorrent';

// ---- libtorrent's reading ----

interface LtFile {
  path: string;
  size: number;
  offset: number;
  pad: boolean;
  symlink: boolean;
  target: string;
}

interface LtReading {
  /** Set when libtorrent refused the torrent: on loading (`torrent_info`) or on adding it to a session. */
  refused?: 'load' | 'add';
  error?: string;
  name: string;
  files: LtFile[];
  totalSize: number;
  pieces: number;
  v1: string | null;
  v2: string | null;
  trackers: [url: string, tier: number][];
  webSeeds: string[];
  nodes: [host: string, port: number][];
  private: boolean;
  creationDate: number;
}

/** Loads each torrent with libtorrent's limits raised, then adds it (paused) to a session with no network but 127.0.0.1. */
const READ_TORRENTS = String.raw`
import base64, json, os, shutil, sys, tempfile, time
import libtorrent as lt

LIMITS = {'max_buffer_size': 200000000, 'max_pieces': 10000000, 'max_decode_tokens': 50000000}
PAD = int(lt.file_storage.flag_pad_file)
SYMLINK = int(lt.file_storage.flag_symlink)
torrents = json.load(sys.stdin)
work = tempfile.mkdtemp(prefix='torrent-lens-claims-')
session = lt.session({'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
                      'listen_interfaces': '127.0.0.1:0', 'alert_mask': 0})
out = {'version': lt.__version__, 'torrents': {}}
try:
    for key, data in torrents.items():
        file = os.path.join(work, 'read.torrent')
        with open(file, 'wb') as f:
            f.write(base64.b64decode(data))
        try:
            ti = lt.torrent_info(file, LIMITS)
        except Exception as e:
            out['torrents'][key] = {'refused': 'load', 'error': str(e)}
            continue
        fs = ti.files()
        hashes = ti.info_hashes()
        flags = [int(fs.file_flags(i)) for i in range(fs.num_files())]
        reading = {
            'name': ti.name(),
            'files': [{'path': fs.file_path(i), 'size': fs.file_size(i), 'offset': fs.file_offset(i),
                       'pad': bool(flags[i] & PAD), 'symlink': bool(flags[i] & SYMLINK), 'target': fs.symlink(i)}
                      for i in range(fs.num_files())],
            'totalSize': ti.total_size(),
            'pieces': ti.num_pieces(),
            'v1': str(hashes.v1) if hashes.has_v1() else None,
            'v2': str(hashes.v2) if hashes.has_v2() else None,
            'trackers': [[t.url, t.tier] for t in ti.trackers()],
            'webSeeds': [w['url'] for w in ti.web_seeds()],
            'nodes': [[host, port] for host, port in ti.nodes()],
            'private': ti.priv(),
            'creationDate': ti.creation_date(),
        }
        params = lt.add_torrent_params()
        params.ti = ti
        params.save_path = os.path.join(work, 'data')
        params.flags = lt.torrent_flags.paused
        try:
            handle = session.add_torrent(params)
            session.remove_torrent(handle)
            # The next torrent may have the same info hash: wait until this one is gone.
            for _ in range(2500):
                if not handle.is_valid():
                    break
                time.sleep(0.002)
        except Exception as e:
            reading['refused'] = 'add'
            reading['error'] = str(e)
        out['torrents'][key] = reading
finally:
    shutil.rmtree(work, ignore_errors=True)
json.dump(out, sys.stdout)
`;

function readWithLibtorrent(torrents: Map<string, Uint8Array>): { version: string; torrents: Map<string, LtReading> } {
  const input = JSON.stringify(Object.fromEntries([...torrents].map(([key, bytes]) => [key, Buffer.from(bytes).toString('base64')])));
  const run = spawnSync(PYTHON, ['-c', READ_TORRENTS], { input, maxBuffer: 64 << 20, timeout: 120_000 });
  if (run.status !== 0) throw new Error(`libtorrent could not read the torrents: ${run.error ?? ''} ${run.stderr}`);
  const out = JSON.parse(run.stdout.toString()) as { version: string; torrents: Record<string, LtReading> };
  return { version: out.version, torrents: new Map(Object.entries(out.torrents)) };
}

/** libtorrent's version as numbers, for claims that differ between versions. */
const versionAtLeast = (version: string, ...wanted: number[]) => {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < wanted.length; i++) if ((parts[i] ?? 0) !== wanted[i]) return (parts[i] ?? 0) > wanted[i];
  return true;
};

// ---- torrents ----

const PIECE = 16384;
const hashes = (n: number) => new Uint8Array(20 * n).fill(0x11);
const root = (b: number) => new Uint8Array(32).fill(b);
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A v1 torrent named 'r' with one byte per file (one piece in all), plus `extra` root keys and `info` keys. */
function multi(paths: (string | Uint8Array)[][], info: Record<string, Encodable> = {}, extra: Record<string, Encodable> = {}): Encodable {
  return {
    ...extra,
    info: { name: 'r', 'piece length': PIECE, pieces: hashes(1), files: paths.map((p) => ({ length: 1, path: p })), ...info },
  };
}

/** A single-file v1 torrent of 5 bytes. */
function single(info: Record<string, Encodable | undefined> = {}, extra: Record<string, Encodable> = {}): Encodable {
  return { ...extra, info: { name: 'one.bin', 'piece length': PIECE, pieces: hashes(1), length: 5, ...info } };
}

function v2(tree: Record<string, Encodable>, info: Record<string, Encodable> = {}, extra: Record<string, Encodable> = {}): Encodable {
  return { ...extra, info: { name: 'r', 'meta version': 2, 'piece length': PIECE, 'file tree': tree, ...info } };
}

/** The root of a tree of `2^height` zero leaves. */
function zeroRoot(height: number): Uint8Array {
  let node = new Uint8Array(32);
  for (let h = 0; h < height; h++) node = sha256(node, node);
  return node;
}

/** BEP 52: a pieces root from a piece layer (padded to a power of two with zero pieces). */
function rootOfLayer(layer: Uint8Array[], pieceLength: number): Uint8Array {
  let level = [...layer];
  let width = 1;
  while (width < level.length) width *= 2;
  while (level.length < width) level.push(zeroRoot(Math.log2(pieceLength / 16384)));
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => sha256(level[2 * i], level[2 * i + 1]));
  return level[0];
}

const layerOf = (pieces: number, seed: number) => Array.from({ length: pieces }, (_, i) => sha256(new Uint8Array([seed, i & 255, i >> 8])));
const joined = (list: Uint8Array[]) => Uint8Array.from(list.flatMap((h) => [...h]));

/** A v2 file of `pieces` pieces with a layer that hashes to its root: [tree entry, root, layer]. */
function v2File(pieces: number, seed: number, pieceLength = PIECE): [Encodable, Uint8Array, Uint8Array] {
  const layer = layerOf(pieces, seed);
  const fileRoot = rootOfLayer(layer, pieceLength);
  return [{ '': { length: (pieces - 1) * pieceLength + 1, 'pieces root': fileRoot } }, fileRoot, joined(layer)];
}

/** Bencode as written, keys in the order given and repeats kept (the canonical encoder sorts them). */
class RawDict {
  constructor(readonly entries: [string, Raw][]) {}
}
type Raw = number | string | Uint8Array | Raw[] | RawDict;

function raw(value: Raw): Uint8Array {
  const parts: Uint8Array[] = [];
  const put = (v: Raw): void => {
    if (typeof v === 'number') parts.push(utf8(`i${v}e`));
    else if (typeof v === 'string') put(utf8(v));
    else if (v instanceof Uint8Array) parts.push(utf8(`${v.length}:`), v);
    else if (Array.isArray(v)) {
      parts.push(utf8('l'));
      v.forEach(put);
      parts.push(utf8('e'));
    } else {
      parts.push(utf8('d'));
      for (const [k, x] of v.entries) {
        put(k);
        put(x);
      }
      parts.push(utf8('e'));
    }
  };
  put(value);
  return Buffer.concat(parts);
}

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

// ---- the claims ----

interface Claim {
  /** What the case is about. */
  title: string;
  torrent: Encodable | Uint8Array;
  /** The code of our diagnostic or failure whose message makes the claim. */
  code: string;
  /** The claim within that message. */
  says: RegExp;
  /** Whether libtorrent refuses the torrent (a function of its version where versions differ). */
  refused: boolean | ((version: string) => boolean);
  /** For a torrent libtorrent takes: how it reads it. */
  reads?: (lt: LtReading, ours: Metainfo | undefined) => void;
}

const paths = (lt: LtReading) => lt.files.filter((f) => !f.pad).map((f) => f.path);

/** A v2 file tree of one 5-byte file, `a`, for the info dictionaries written key by key in their own order. */
const RAW_ONE_FILE_TREE = new RawDict([
  [
    'a',
    new RawDict([
      [
        '',
        new RawDict([
          ['length', 5],
          ['pieces root', root(1)],
        ]),
      ],
    ]),
  ],
]);

/** A v1 info dictionary of one 5-byte file called `name`, written key by key. */
const rawV1Info = (name: string) =>
  new RawDict([
    ['length', 5],
    ['name', name],
    ['piece length', PIECE],
    ['pieces', hashes(1)],
  ]);

const [bigFile, bigRoot, bigLayer] = v2File(4, 1);
const [otherFile, otherRoot, otherLayer] = v2File(3, 2);

const CLAIMS: Claim[] = [
  // Refused.
  { title: 'an empty file list', torrent: multi([], { files: [] }), code: 'no-files', says: /libtorrent refuses/, refused: true },
  {
    title: 'lengths adding up past 2^63-1',
    torrent: {
      info: {
        name: 'r',
        'piece length': PIECE,
        pieces: hashes(1),
        files: [
          { length: 2n ** 62n, path: ['a'] },
          { length: 2n ** 62n, path: ['b'] },
        ],
      },
    },
    code: 'total-length-overflow',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "file data ('' key) beside other entries of a folder",
    torrent: v2({ a: { '': { length: 1, 'pieces root': root(1) }, b: { '': { length: 1, 'pieces root': root(2) } } } }),
    code: 'file-tree-invalid',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: 'a pad file in a v2 file tree',
    torrent: v2({ a: { '': { length: 1, 'pieces root': root(1) } }, pad: { '': { length: 5, attr: 'p', 'pieces root': root(2) } } }),
    code: 'v2-pad-file',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: 'an all-zero pieces root',
    torrent: v2({ a: { '': { length: 10, 'pieces root': new Uint8Array(32) } } }),
    code: 'pieces-root-zero',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: 'a hybrid whose v1 list and v2 tree disagree on a length',
    torrent: v2({ a: { '': { length: 10, 'pieces root': root(1) } } }, { pieces: hashes(1), files: [{ length: 11, path: ['a'] }] }),
    code: 'hybrid-mismatch',
    says: /libtorrent refuses/,
    refused: true,
  },
  ...[
    {
      files: [
        { length: 10, path: ['a'] },
        { length: 5, path: ['b'] },
      ],
      pieces: 1,
      says: /info\.files\[1\] starts at byte 10 of the v1 data but at byte 16,384/,
    },
    {
      files: [
        { length: 10, path: ['a'] },
        { length: PIECE - 10, path: ['.pad', 'x'], attr: 'p' },
        { length: 5, path: ['b'] },
        { length: 2 * PIECE - 5, path: ['.pad', 'y'], attr: 'p' },
      ],
      pieces: 3,
      says: /the v1 data is 49,152 bytes but the v2 file tree's 16,389/,
    },
  ].map(({ files, pieces, says }): Claim => ({
    title: `a hybrid whose v1 pad files do not match the v2 layout (${says.source.slice(0, 30)}…)`,
    torrent: v2(
      { a: { '': { length: 10, 'pieces root': root(1) } }, b: { '': { length: 5, 'pieces root': root(2) } } },
      { pieces: hashes(pieces), files },
    ),
    code: 'hybrid-mismatch',
    says: new RegExp(`${says.source}.*libtorrent refuses`),
    refused: true,
  })),
  {
    title: 'a piece layer of the wrong size',
    torrent: v2({ big: bigFile }, {}, { 'piece layers': new Map([[bigRoot, bigLayer.subarray(32)]]) }),
    code: 'piece-layer-size',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: 'a piece layer that does not hash to its pieces root',
    torrent: v2({ big: bigFile }, {}, { 'piece layers': new Map([[bigRoot, joined(layerOf(4, 9))]]) }),
    code: 'piece-layer-root',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "a 'piece layers' entry that is not a 32-byte root with 32-byte hashes",
    torrent: v2(
      { big: bigFile },
      {},
      {
        'piece layers': new Map<Uint8Array, Encodable>([
          [bigRoot, bigLayer],
          [utf8('short'), bigLayer],
        ]),
      },
    ),
    code: 'piece-layers-invalid',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "'meta version' 3",
    torrent: single({ 'meta version': 3 }),
    code: 'meta-version-unsupported',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "a 'piece length' past 1 GiB",
    torrent: single({ 'piece length': 2 ** 31 }),
    code: 'piece-length-too-large',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "a v2 'piece length' that is no power of two",
    torrent: v2({ a: { '': { length: 1, 'pieces root': root(1) } } }, { 'piece length': 20000 }),
    code: 'piece-length-invalid',
    says: /libtorrent refuses/,
    refused: true,
  },
  { title: "no 'name'", torrent: single({ name: undefined }), code: 'missing-name', says: /libtorrent refuses/, refused: true },
  {
    title: "an empty 'name' of a single file",
    torrent: single({ name: '' }),
    code: 'empty-name',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "a 'file tree' without 'meta version'",
    torrent: single({ 'file tree': { 'one.bin': { '': { length: 5, 'pieces root': root(1) } } } }),
    code: 'file-tree-without-meta-version',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: 'no data at all',
    torrent: single({ length: 0, pieces: hashes(0) }),
    code: 'no-data',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "unsorted keys in the info dictionary of a torrent with a 'meta version'",
    torrent: raw(
      new RawDict([
        [
          'info',
          new RawDict([
            ['name', 'r'],
            ['meta version', 2],
            ['file tree', RAW_ONE_FILE_TREE],
            ['piece length', PIECE],
          ]),
        ],
      ]),
    ),
    code: 'info-not-canonical',
    says: /libtorrent refuses/,
    refused: true,
  },
  {
    title: "a repeated info key of a torrent with a 'meta version'",
    torrent: raw(
      new RawDict([
        [
          'info',
          new RawDict([
            ['file tree', RAW_ONE_FILE_TREE],
            ['meta version', 2],
            ['name', 'r'],
            ['name', 's'],
            ['piece length', PIECE],
          ]),
        ],
      ]),
    ),
    code: 'duplicate-key',
    says: /libtorrent refuses/,
    refused: true,
  },

  // Read by libtorrent, in the way the message says.
  {
    title: "two 'info' dictionaries",
    torrent: raw(
      new RawDict([
        ['info', rawV1Info('first')],
        ['info', rawV1Info('second')],
      ]),
    ),
    code: 'duplicate-info',
    says: /libtorrent and Transmission use the first/,
    refused: false,
    reads: (lt) => {
      assert.equal(lt.name, 'first');
      assert.equal(lt.v1, sha1(raw(rawV1Info('first'))));
    },
  },
  {
    title: 'a repeated info key of a v1 torrent',
    torrent: raw(
      new RawDict([
        [
          'info',
          new RawDict([
            ['length', 5],
            ['name', 'first'],
            ['name', 'second'],
            ['piece length', PIECE],
            ['pieces', hashes(1)],
          ]),
        ],
      ]),
    ),
    code: 'duplicate-key',
    says: /libtorrent and Transmission use the first \('first'\)/,
    refused: false,
    reads: (lt) => assert.equal(lt.name, 'first'),
  },
  {
    title: 'unsorted keys in a v1 info dictionary',
    torrent: raw(
      new RawDict([
        [
          'info',
          new RawDict([
            ['name', 'r'],
            ['length', 5],
            ['piece length', PIECE],
            ['pieces', hashes(1)],
          ]),
        ],
      ]),
    ),
    code: 'info-not-canonical',
    says: /its info hash is taken over the original bytes, as libtorrent does/,
    refused: false,
    reads: (lt, m) => assert.equal(lt.v1, m?.infoHash.v1),
  },
  {
    title: 'a symlink that declares a length',
    torrent: {
      info: {
        name: 'r',
        'piece length': PIECE,
        pieces: hashes(1),
        files: [
          { length: 10, path: ['a'] },
          { length: 20_000, path: ['link'], attr: 'l', 'symlink path': ['a'] },
          { length: 5, path: ['b'] },
        ],
      },
    },
    code: 'symlink-length',
    says: /counts as 0 bytes, as libtorrent counts it/,
    refused: false,
    reads: (lt, m) => {
      assert.deepEqual(
        lt.files.map((f) => [f.size, f.offset, f.symlink]),
        [...m!.files].map((f) => [f.length, f.offset, f.symlinkPath !== undefined]),
      );
      assert.equal(lt.totalSize, m!.totalLength);
    },
  },
  ...[{}, { 'symlink path': [] }, { 'symlink path': 'a' }].map((link): Claim => ({
    title: `a v1 symlink with ${JSON.stringify(link)} as its target`,
    torrent: multi([], {
      files: [
        { length: 1, path: ['a'] },
        { path: ['link'], attr: 'l', ...link },
      ],
    }),
    code: 'symlink-target-missing',
    says: /libtorrent makes it an empty file instead/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.files[1], { path: 'r/link', size: 0, offset: 1, pad: false, symlink: false, target: '' }),
  })),
  {
    title: 'a v2 symlink without a target',
    torrent: v2({ a: { '': { length: 1, 'pieces root': root(1) } }, link: { '': { attr: 'l' } } }),
    code: 'symlink-target-missing',
    says: /libtorrent makes it an empty file instead/,
    refused: false,
    reads: (lt) => {
      const link = lt.files.find((f) => f.path === 'r/link');
      assert.deepEqual(link && [link.size, link.symlink], [0, false]);
    },
  },
  {
    title: 'the same path twice',
    torrent: multi([['x.tar.gz'], ['x.tar.gz']]),
    code: 'path-duplicate',
    says: /libtorrent renames the second one \(adding \.1 before the extension\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/x.tar.gz', 'r/x.tar.1.gz']),
  },
  {
    title: 'the same path but for letter case',
    torrent: multi([
      ['Docs', 'ReadMe.txt'],
      ['docs', 'README.TXT'],
    ]),
    code: 'path-duplicate-case',
    says: /by libtorrent on every system; libtorrent renames the second one \(adding \.1 before the extension\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/Docs/ReadMe.txt', 'r/docs/README.1.TXT']),
  },
  {
    title: 'a file where a later path needs a folder',
    torrent: multi([['a'], ['a', 'b']]),
    code: 'path-collision',
    says: /needs a folder where .* is a file of that name; both cannot exist \(libtorrent renames the file\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/a.1', 'r/a/b']),
  },
  {
    title: 'a file where an earlier path needs a folder',
    torrent: multi([['A', 'b'], ['a']]),
    code: 'path-collision',
    says: /names a file where .* needs a folder of that name once letter case is ignored.*\(libtorrent renames the file\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/A/b', 'r/a.1']),
  },
  {
    title: 'v2 file tree names that differ in letter case',
    torrent: v2({
      'Notes.txt': { '': { length: 0 } },
      'notes.TXT': { '': { length: 5, 'pieces root': root(1) } },
      Data: { '': { length: 0 } },
      data: { x: { '': { length: 0 } } },
    }),
    code: 'path-duplicate-case',
    says: /by libtorrent on every system; libtorrent renames the second one/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt).sort(), ['r/Data.1', 'r/Notes.txt', 'r/data/x', 'r/notes.1.TXT']),
  },
  {
    title: "a '..' path element",
    torrent: multi([['..', 'x']]),
    code: 'path-traversal',
    says: /libtorrent drops such elements/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/x']),
  },
  {
    title: "a '..' element in a symlink's target",
    torrent: multi([], {
      files: [
        { length: 1, path: ['a'] },
        { path: ['link'], attr: 'l', 'symlink path': ['..', 'a'] },
      ],
    }),
    code: 'path-traversal',
    says: /libtorrent drops such elements/,
    refused: false,
    reads: (lt) => assert.deepEqual([lt.files[1].symlink, lt.files[1].target], [true, 'r/a']),
  },
  {
    title: 'separators inside a path element',
    torrent: multi([['a/b'], ['c\\d']]),
    code: 'path-separator',
    says: /libtorrent removes the separators instead of making folders/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/ab', 'r/cd']),
  },
  {
    title: 'an empty path element',
    torrent: multi([['', 'x']]),
    code: 'path-empty-element',
    says: /libtorrent replaces it with '_'/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/_/x']),
  },
  {
    title: "a '.' path element",
    torrent: multi([['.', 'x']]),
    code: 'path-dot-element',
    says: /libtorrent drops it/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/x']),
  },
  {
    title: 'a control character below U+0020',
    torrent: multi([['f\x01g']]),
    code: 'control-characters',
    says: /libtorrent replaces those below U\+0020 with '_'/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/f_g']),
  },
  {
    title: 'DEL and a C1 control',
    torrent: multi([['h\x7fi'], ['j\u0085k']]),
    code: 'control-characters',
    says: /keeps DEL and U\+0080–U\+009F/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/h\x7fi', 'r/j\u0085k']),
  },
  {
    title: 'an override direction control',
    torrent: multi([['l\u202em']]),
    code: 'bidi-control',
    says: /libtorrent removes U\+202A–U\+202E, U\+200E and U\+200F/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/lm']),
  },
  {
    title: 'direction isolates and the Arabic letter mark',
    torrent: multi([['n\u2066o'], ['p\u061cq']]),
    code: 'bidi-control',
    says: /but keeps U\+2066–U\+2069 and U\+061C/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/n\u2066o', 'r/p\u061cq']),
  },
  {
    title: 'a path element that is not UTF-8',
    torrent: multi([[Uint8Array.of(0x72, 0xff, 0x73)]]),
    code: 'not-utf8',
    says: /libtorrent replaces invalid bytes with '_'/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/r_s']),
  },
  {
    title: 'a 304-byte file name',
    torrent: multi([[`${'x'.repeat(300)}.txt`]]),
    code: 'name-too-long',
    says: /libtorrent shortens it to 240 bytes, keeping the extension/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), [`r/${'x'.repeat(240)}.txt`]),
  },
  {
    title: "both 'length' and 'files'",
    torrent: multi([['in-files']], { length: 1 }),
    code: 'length-and-files',
    says: /libtorrent uses 'files' and ignores 'length'/,
    refused: false,
    reads: (lt) => assert.deepEqual(paths(lt), ['r/in-files']),
  },
  {
    title: "a 'meta version' that is no integer",
    torrent: single({ 'meta version': 'two' }),
    code: 'meta-version-invalid',
    says: /read as a v1 torrent \(as libtorrent does\)/,
    refused: false,
    reads: (lt, m) => assert.deepEqual([lt.v1, lt.v2], [m!.infoHash.v1, null]),
  },
  {
    title: "'name.utf-8' beside another 'name'",
    torrent: single({ name: Uint8Array.of(0x4e, 0xe9), 'name.utf-8': 'Né' }),
    code: 'name-utf8-key',
    says: /the name shown comes from 'name\.utf-8' \(as libtorrent reads it\)/,
    refused: false,
    reads: (lt) => assert.equal(lt.name, 'Né'),
  },
  {
    title: "a 'private' that is no integer",
    torrent: single({ private: '1' }),
    code: 'private-not-integer',
    says: /libtorrent reads the torrent as NOT private/,
    refused: false,
    reads: (lt) => assert.equal(lt.private, false),
  },
  {
    title: "'private' 2",
    torrent: single({ private: 2 }),
    code: 'private-unusual',
    says: /libtorrent and Transmission treat any non-zero value as private/,
    refused: false,
    reads: (lt) => assert.equal(lt.private, true),
  },
  {
    title: "an 'announce-list' that is no list",
    torrent: single({}, { announce: 'http://127.0.0.1:1/a', 'announce-list': 'http://127.0.0.1:2/b' }),
    code: 'announce-list-invalid',
    says: /'announce' is used \(as libtorrent and Transmission do\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.trackers, [['http://127.0.0.1:1/a', 0]]),
  },
  {
    title: 'an announce-list tier that is no list, and URLs that are no strings or empty',
    torrent: single({}, { 'announce-list': ['http://127.0.0.1:1/a', ['http://127.0.0.1:2/b', 5, '', ' ']] }),
    code: 'announce-list-invalid',
    says: /not a list of URLs; skipped \(as libtorrent does\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.trackers, [['http://127.0.0.1:2/b', 1]]),
  },
  {
    title: 'a tracker URL that is no string',
    torrent: single({}, { 'announce-list': [['http://127.0.0.1:2/b', 5]] }),
    code: 'tracker-not-string',
    says: /not a URL; skipped \(as libtorrent does\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.trackers, [['http://127.0.0.1:2/b', 0]]),
  },
  {
    title: 'an empty tracker URL',
    torrent: single({}, { 'announce-list': [['http://127.0.0.1:2/b', ' ']] }),
    code: 'tracker-empty',
    says: /skipped \(as libtorrent does\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.trackers, [['http://127.0.0.1:2/b', 0]]),
  },
  {
    title: 'whitespace around a tracker URL',
    torrent: single({}, { announce: ' http://127.0.0.1:2/b ' }),
    code: 'tracker-whitespace',
    says: /libtorrent strips the leading whitespace/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.trackers, [['http://127.0.0.1:2/b ', 0]]),
  },
  {
    title: 'web seeds that are no strings',
    torrent: single({}, { 'url-list': ['http://127.0.0.1:3/s', 5], httpseeds: [6, 'http://127.0.0.1:4/h'] }),
    code: 'web-seed-invalid',
    says: /not a URL; ignored \(as libtorrent does\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.webSeeds, ['http://127.0.0.1:3/s', 'http://127.0.0.1:4/h']),
  },
  {
    title: 'a web seed listed twice',
    torrent: single({}, { 'url-list': ['http://127.0.0.1:3/s', 'http://127.0.0.1:3/s'] }),
    code: 'web-seed-duplicate',
    says: /libtorrent uses it once/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.webSeeds, ['http://127.0.0.1:3/s']),
  },
  {
    title: 'DHT nodes that are no [host, port] pairs',
    torrent: single({}, { nodes: [['127.0.0.1', 6881], 'x', ['h'], [5, 5]] }),
    code: 'node-invalid',
    says: /not a \[host, port\] pair; skipped \(as libtorrent does\)/,
    refused: false,
    reads: (lt) => assert.deepEqual(lt.nodes, [['127.0.0.1', 6881]]),
  },
  {
    title: 'DHT nodes with an empty host or a port out of range',
    torrent: single(
      {},
      {
        nodes: [
          ['::1', 70000],
          ['', 5],
        ],
      },
    ),
    code: 'node-invalid',
    says: /skipped \(libtorrent keeps it as given\)/,
    refused: false,
    reads: (lt) =>
      assert.deepEqual(lt.nodes, [
        ['::1', 70000],
        ['', 5],
      ]),
  },
  {
    title: "a negative 'creation date'",
    torrent: single({}, { 'creation date': -5 }),
    code: 'creation-date-invalid',
    says: /libtorrent ignores it/,
    refused: false,
    reads: (lt) => assert.equal(lt.creationDate, 0),
  },
  {
    title: "an empty 'name' of a folder",
    torrent: multi([['a']], { name: '' }),
    code: 'empty-name',
    says: /libtorrent calls the folder '_'/,
    refused: false,
    reads: (lt) => assert.deepEqual([lt.name, paths(lt)], ['_', ['_/a']]),
  },
  {
    title: "an empty 'name' of a v2 torrent of one file",
    torrent: v2({ 'only.bin': { '': { length: 5, 'pieces root': root(1) } } }, { name: '' }),
    code: 'empty-name',
    says: /libtorrent names the file after its file tree entry/,
    refused: false,
    reads: (lt) => assert.deepEqual([lt.name, paths(lt)], ['only.bin', ['only.bin']]),
  },
  {
    title: "no 'piece layers' at all",
    torrent: v2({ big: bigFile }),
    code: 'piece-layers-missing',
    says: /libtorrent loads it, as it loads a magnet link/,
    refused: false,
  },
  {
    title: "no layer for one file in 'piece layers'",
    torrent: v2({ big: bigFile, other: otherFile }, {}, { 'piece layers': new Map([[bigRoot, bigLayer]]) }),
    code: 'piece-layer-missing',
    says: /libtorrent loads the torrent and gets that file's piece hashes from peers/,
    refused: false,
  },
  {
    title: "a 'piece layers' entry for no file",
    torrent: v2(
      { big: bigFile },
      {},
      {
        'piece layers': new Map([
          [bigRoot, bigLayer],
          [otherRoot, otherLayer],
        ]),
      },
    ),
    code: 'piece-layer-orphan',
    says: /libtorrent 2\.0\.8 and older ignore it; 2\.0\.9 and later refuse such a \.torrent/,
    refused: (version) => versionAtLeast(version, 2, 0, 9),
  },
  {
    title: "'piece layers' that is no dictionary",
    torrent: v2({ big: bigFile }, {}, { 'piece layers': [bigLayer] }),
    code: 'piece-layers-invalid',
    says: /ignored \(as libtorrent does\)/,
    refused: false,
  },
];

/**
 * Torrents whose sizes and offsets must agree with libtorrent's: symlinks among pad files, v1, hybrid and v2.
 * Names start with the file's place, so the file tree (sorted by name) lists them in the v1 list's order.
 */
function layoutTorrents(): Map<string, Encodable> {
  const padded = (lengths: { length: number; link?: boolean }[]) => {
    const files: Encodable[] = [];
    lengths.forEach(({ length, link }, i) => {
      if (link) files.push({ length, path: [`${i}-link`], attr: 'l', 'symlink path': ['0-f'] });
      else files.push({ length, path: [`${i}-f`] });
      if (!link && length % PIECE !== 0 && i < lengths.length - 1)
        files.push({ length: PIECE - (length % PIECE), path: ['.pad', String(PIECE - (length % PIECE))], attr: 'p' });
    });
    return files;
  };
  const lengths = [
    { length: 10 },
    { length: 99_999, link: true },
    { length: PIECE + 7 },
    { length: 0 },
    { length: 3, link: true },
    { length: 5 },
  ];
  const v1Files = padded(lengths);
  const total = (files: Encodable[]) =>
    files.reduce<number>((n, f) => n + ((f as { attr?: string }).attr === 'l' ? 0 : (f as { length: number }).length), 0);
  const tree: Record<string, Encodable> = {};
  lengths.forEach(({ length, link }, i) => {
    tree[link ? `${i}-link` : `${i}-f`] = link
      ? { '': { length, attr: 'l', 'symlink path': ['0-f'] } }
      : { '': length > 0 ? { length, 'pieces root': root(i + 1) } : { length } };
  });
  const unpadded = lengths.map(({ length, link }, i) =>
    link ? { length, path: [`${i}-link`], attr: 'l', 'symlink path': ['0-f'] } : { length, path: [`${i}-f`] },
  );
  return new Map<string, Encodable>([
    [
      'v1 with pad files',
      { info: { name: 'r', 'piece length': PIECE, pieces: hashes(Math.ceil(total(v1Files) / PIECE)), files: v1Files } },
    ],
    [
      'v1 without pad files',
      { info: { name: 'r', 'piece length': PIECE, pieces: hashes(Math.ceil(total(unpadded) / PIECE)), files: unpadded } },
    ],
    ['v2', v2(tree)],
    ['hybrid', v2(tree, { pieces: hashes(Math.ceil(total(v1Files) / PIECE)), files: v1Files })],
  ]);
}

// ---- the tests ----

const ours = new Map<string, MetainfoResult>();
let libtorrent: { version: string; torrents: Map<string, LtReading> };

before(() => {
  const bytes = new Map<string, Uint8Array>();
  const add = (key: string, torrent: Encodable | Uint8Array) => {
    const data = torrent instanceof Uint8Array ? torrent : encode(torrent);
    bytes.set(key, data);
    ours.set(key, parseMetainfo(data));
  };
  CLAIMS.forEach((claim, i) => add(`claim ${i}`, claim.torrent));
  for (const [title, torrent] of layoutTorrents()) add(title, torrent);
  for (const pieceLength of [PIECE, 4 * PIECE, 64 * PIECE]) {
    const files = [v2File(5, 1, pieceLength), v2File(2, 2, pieceLength), v2File(33, 3, pieceLength)];
    add(
      `layers at piece length ${pieceLength}`,
      v2(
        { a: files[0][0], b: files[1][0], c: files[2][0] },
        { 'piece length': pieceLength },
        { 'piece layers': new Map(files.map(([, r, l]) => [r, l])) },
      ),
    );
  }
  libtorrent = readWithLibtorrent(bytes);
});

/** Our message with this code: a diagnostic of a torrent we read, or the failure of one we refuse. */
function ourMessage(result: MetainfoResult, code: string): string | undefined {
  if (!result.ok)
    return result.failure.code === code ? result.failure.message : result.failure.diagnostics.find((d) => d.code === code)?.message;
  return result.metainfo.diagnostics.find((d) => d.code === code)?.message;
}

CLAIMS.forEach((claim, i) => {
  test(`libtorrent and ${claim.title}: ${claim.code}`, () => {
    const result = ours.get(`claim ${i}`)!;
    const lt = libtorrent.torrents.get(`claim ${i}`)!;
    const message = ourMessage(result, claim.code);
    assert.ok(
      message,
      `a '${claim.code}' message; got ${result.ok ? result.metainfo.diagnostics.map((d) => d.code).join(', ') : result.failure.code}`,
    );
    assert.match(message, claim.says);
    const refused = typeof claim.refused === 'function' ? claim.refused(libtorrent.version) : claim.refused;
    assert.equal(
      lt.refused !== undefined,
      refused,
      `libtorrent ${libtorrent.version} ${lt.refused ? `refused it (${lt.refused}: ${lt.error})` : 'took it'}`,
    );
    // "libtorrent refuses" is said exactly where it does.
    if (!refused) assert.doesNotMatch(message, /libtorrent refuses/);
    else if (typeof claim.refused === 'boolean') assert.match(message, /libtorrent refuses/);
    if (!refused && claim.reads) claim.reads(lt, result.ok ? result.metainfo : undefined);
  });
});

test('every message of the metainfo reader that names libtorrent is checked by a case above', () => {
  const checked = CLAIMS.map((claim, i) => ourMessage(ours.get(`claim ${i}`)!, claim.code) ?? '');
  const unchecked: string[] = [];
  const dir = path.join(repoRoot, 'src', 'core', 'metainfo');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    for (const { text, pattern } of messageLiterals(readFileSync(path.join(dir, name), 'utf8'))) {
      if (text.includes('libtorrent') && !checked.some((m) => pattern.test(m))) unchecked.push(`${name}: ${text}`);
    }
  }
  assert.deepEqual(unchecked, []);
});

/** The string literals and templates of a source file, each with a pattern its messages match (`${…}` matching anything). */
function messageLiterals(source: string): { text: string; pattern: RegExp }[] {
  const found: { text: string; pattern: RegExp }[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.push({ text: node.text, pattern: new RegExp(escape(node.text)) });
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
      found.push({ text: parts.join('${…}'), pattern: new RegExp(parts.map(escape).join('[\\s\\S]*?')) });
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('source.ts', source, ts.ScriptTarget.ES2022, true));
  return found;
}

test('sizes, offsets, totals and piece counts with symlinks and pad files are what libtorrent computes', () => {
  for (const title of layoutTorrents().keys()) {
    const result = ours.get(title)!;
    if (!result.ok) assert.fail(`${title}: ${result.failure.code}: ${result.failure.message}`);
    const m = result.metainfo;
    assert.deepEqual(
      m.diagnostics.filter((d) => d.code !== 'symlink-length' && d.code !== 'piece-layers-missing'),
      [],
      `${title}: a valid torrent (whose v2 piece hashes come from peers)`,
    );
    assert.equal(FolderIndex.build(m.files).folder(ROOT_FOLDER).totalLength, m.totalLength, `${title}: the folder tree's total`);
    const lt = libtorrent.torrents.get(title)!;
    assert.equal(lt.refused, undefined, `${title}: ${lt.error}`);
    assert.equal(m.pieceCount, lt.pieces, `${title}: pieces`);
    const files = [...m.files];
    if (m.version === 'v2') {
      // libtorrent pads every v2 file to a piece boundary with pad files of its own; the model keeps the
      // files as the tree lists them, so sizes and the data they add up to compare.
      const real = lt.files.filter((f) => !f.pad);
      assert.deepEqual(
        files.map((f) => [f.path.map((p) => p.text).join('/'), f.length, f.symlinkPath !== undefined]),
        real.map((f) => [f.path.slice('r/'.length), f.size, f.symlink]),
        title,
      );
      assert.equal(
        m.totalLength,
        real.reduce((n, f) => n + f.size, 0),
        `${title}: data`,
      );
    } else {
      assert.deepEqual(
        files.map((f) => [f.length, f.offset, f.padding, f.symlinkPath !== undefined]),
        lt.files.map((f) => [f.size, f.offset, f.pad, f.symlink]),
        title,
      );
      assert.equal(m.totalLength, lt.totalSize, `${title}: total`);
    }
  }
});

test('piece layers libtorrent takes hash to their roots by our reckoning too, at any piece length', () => {
  for (const pieceLength of [PIECE, 4 * PIECE, 64 * PIECE]) {
    const title = `layers at piece length ${pieceLength}`;
    const result = ours.get(title)!;
    if (!result.ok) assert.fail(`${title}: ${result.failure.message}`);
    const lt = libtorrent.torrents.get(title)!;
    assert.equal(lt.refused, undefined, `${title}: libtorrent took it (${lt.error})`);
    assert.deepEqual(result.metainfo.diagnostics, [], title);
  }
});
