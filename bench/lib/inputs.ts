// The torrents every contender reads: generated ones (the 100,000-file torrent, a large hybrid) and
// typical real ones from the test corpus, with small generated stand-ins when the corpus is absent.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';

export interface BenchInput {
  /** Short key used in tables and file names. */
  id: string;
  /** What it is, for the table. */
  label: string;
  path: string;
  bytes: number;
  fileCount: number;
  version: string;
  /** The info dictionary's span, for the floor (read + hash of exactly those bytes). */
  infoStart: number;
  infoEnd: number;
  /** Whether the floor also needs SHA-256 (v2 and hybrid torrents have two info hashes). */
  sha256: boolean;
  /** Where it came from. */
  source: string;
}

/** Deterministic filler for hash bytes: the same torrent (and info hash) on every run and machine. */
export function filler(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s;
  }
  for (let i = words.length * 4; i < length; i++) out[i] = (i * 131) & 0xff;
  return out;
}

export const LARGE_FILE_COUNT = 100_000;
const LARGE_PIECE_LENGTH = 16_384;

/**
 * 100,000 files in 100 folders of 10 subfolders, sizes spread up to 400 kB, 16 KiB pieces: about 1.25
 * million piece hashes, so `pieces` is about 25 MB (as large real torrents of small files are).
 */
export function largeTorrent(): Uint8Array {
  const files: Encodable[] = [];
  let total = 0;
  for (let i = 0; i < LARGE_FILE_COUNT; i++) {
    const length = 1 + ((i * 7919) % 410_000);
    total += length;
    files.push({
      length,
      path: [`folder-${String(i % 100).padStart(2, '0')}`, `sub-${(i >> 7) % 10}`, `file-${String(i).padStart(6, '0')}.bin`],
    });
  }
  const pieceCount = Math.ceil(total / LARGE_PIECE_LENGTH);
  return encode({
    announce: 'http://127.0.0.1:6969/announce',
    'created by': 'Torrent Lens benchmarks',
    'creation date': 1_700_000_000,
    info: { files, name: 'large-100k-files', 'piece length': LARGE_PIECE_LENGTH, pieces: filler(pieceCount * 20, 7) },
  });
}

/**
 * A hybrid (v1 + v2, BEP 52) torrent the way libtorrent writes one: v1 `files` with BEP 47 pad files
 * aligning every file to a piece, the v2 `file tree` with a `pieces root` per file, and `piece layers`.
 * The hashes are filler: nothing here reads the payload.
 */
export function hybridTorrent(fileCount: number, pieceLength = 65_536): Uint8Array {
  const v1Files: Encodable[] = [];
  const tree: Record<string, Encodable> = {};
  const layers = new Map<Uint8Array, Encodable>();
  const files = Array.from({ length: fileCount }, (_, i) => ({
    folder: `dir-${String(i % 20).padStart(2, '0')}`,
    name: `file-${String(i).padStart(5, '0')}.dat`,
    length: 1000 + ((i * 104_729) % 600_000),
    root: filler(32, 1000 + i),
  }));
  // v1 files in the file tree's order (sorted paths), as hybrid torrents must list them.
  files.sort((a, b) => (a.folder === b.folder ? (a.name < b.name ? -1 : 1) : a.folder < b.folder ? -1 : 1));
  let total = 0;
  files.forEach(({ folder, name, length, root }, i) => {
    v1Files.push({ length, path: [folder, name] });
    total += length;
    const pad = (pieceLength - (length % pieceLength)) % pieceLength;
    if (pad > 0 && i < fileCount - 1) {
      v1Files.push({ attr: 'p', length: pad, path: ['.pad', String(pad)] });
      total += pad;
    }
    const dir = (tree[folder] ??= {}) as Record<string, Encodable>;
    dir[name] = { '': { length, 'pieces root': root } };
    if (length > pieceLength) layers.set(root, filler(Math.ceil(length / pieceLength) * 32, 5000 + i));
  });
  const pieceCount = Math.ceil(total / pieceLength);
  return encode({
    announce: 'udp://127.0.0.1:6969/announce',
    'created by': 'Torrent Lens benchmarks',
    'creation date': 1_700_000_000,
    info: {
      'file tree': tree,
      files: v1Files,
      'meta version': 2,
      name: 'hybrid-files',
      'piece length': pieceLength,
      pieces: filler(pieceCount * 20, 11),
    },
    'piece layers': layers,
  });
}

/** A small multi-file v1 torrent, when the corpus is not there. */
function smallMultiTorrent(): Uint8Array {
  const files: Encodable[] = [];
  for (let i = 0; i < 12; i++)
    files.push({ length: 700_000 + i * 12_345, path: [`disc-${1 + (i >> 2)}`, `track-${String(i + 1).padStart(2, '0')}.flac`] });
  const total = files.reduce<number>((n, f) => n + (f as { length: number }).length, 0);
  return encode({
    announce: 'http://127.0.0.1:6969/announce',
    info: { files, name: 'album', 'piece length': 262_144, pieces: filler(Math.ceil(total / 262_144) * 20, 3) },
  });
}

/** A single-file v1 torrent like a Linux ISO's, when the corpus is not there. */
function smallSingleTorrent(): Uint8Array {
  const length = 716_177_408;
  return encode({
    announce: 'http://127.0.0.1:6969/announce',
    'announce-list': [['http://127.0.0.1:6969/announce'], ['http://[::1]:6969/announce']],
    comment: 'Server CD',
    'creation date': 1_335_346_000,
    info: { length, name: 'server-amd64.iso', 'piece length': 524_288, pieces: filler(Math.ceil(length / 524_288) * 20, 5) },
  });
}

function describe(id: string, label: string, path: string, source: string): BenchInput {
  const bytes = new Uint8Array(readFileSync(path));
  const parsed = parseMetainfo(bytes);
  if (!parsed.ok) throw new Error(`${path}: not a valid torrent: ${parsed.failure.message}`);
  const m = parsed.metainfo;
  return {
    id,
    label,
    path,
    bytes: bytes.length,
    fileCount: m.files.count - m.files.padCount,
    version: m.version,
    infoStart: m.infoSpan.start,
    infoEnd: m.infoSpan.end,
    sha256: m.infoHash.v2 !== undefined,
    source,
  };
}

/** Writes the generated torrents into `dir` (once) and picks the corpus ones; `corpusDir` may not exist. */
export function prepareInputs(dir: string, corpusDir: string): BenchInput[] {
  mkdirSync(dir, { recursive: true });
  const generated = (name: string, make: () => Uint8Array) => {
    const path = join(dir, name);
    if (!existsSync(path)) writeFileSync(path, make());
    return path;
  };
  const fromCorpus = (relative: string, name: string, make: () => Uint8Array): [string, string] => {
    const path = join(corpusDir, relative);
    return existsSync(path) ? [path, `corpus ${relative}`] : [generated(name, make), 'generated (corpus absent)'];
  };
  const [single, singleSource] = fromCorpus('real/npm-bencode/benchmark-test.torrent', 'single.torrent', smallSingleTorrent);
  const [multi, multiSource] = fromCorpus('real/npm-torrent-stream/star.torrent', 'multi.torrent', smallMultiTorrent);
  const [hybrid, hybridSource] = fromCorpus('gen/lt-hybrid-multi.torrent', 'hybrid-small.torrent', () => hybridTorrent(4, 16_384));
  return [
    describe('large', '100,000 files, v1', generated('large-100k-files.torrent', largeTorrent), 'generated by the bench'),
    describe('single', 'typical single-file, v1', single, singleSource),
    describe('multi', 'typical multi-file, v1', multi, multiSource),
    describe('hybrid', 'typical hybrid v1+v2', hybrid, hybridSource),
    describe(
      'hybrid-large',
      '10,000 files, hybrid v1+v2',
      generated('hybrid-10k-files.torrent', () => hybridTorrent(10_000)),
      'generated by the bench',
    ),
  ];
}
