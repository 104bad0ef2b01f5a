// Makes a .torrent from a file or a folder: lists the files (walk.ts), hashes them on the pool (the
// engine), and writes the metainfo. The output depends only on the files and the options: files in
// path-byte order, keys sorted, and with `createdBy: false, creationDate: false` nothing that changes
// from run to run. What it writes matches the reference tools key for key: mktorrent for v1, libtorrent
// for v2 and hybrid (pad files named `.pad/<length>` with attr `p` after every file that does not end on a
// piece boundary, the last one included).

import { encode, type Encodable } from '../bencode/decode';
import { parseMetainfo } from '../metainfo/parse';
import type { TorrentVersion } from '../metainfo/types';
import { decodeUtf8Strict, utf8Encode } from '../text/bytes';
import { hashStream, type StreamFile } from '../hashing/engine';
import { abortReason, HashingError } from '../hashing/errors';
import { copyOf, HASH_SIZE, rootFromPieceLayer } from '../hashing/merkle';
import { HashPool } from '../hashing/pool';
import { ProgressMeter, type ProgressCallback } from '../hashing/progress';
import { automaticPieceLength, checkPieceLength } from './piece-length';
import { unpackWalk, type SkipReason, type SymlinkPolicy, type WalkedFile } from './walk';

export const DEFAULT_CREATED_BY = 'Torrent Lens';

export interface CreateOptions {
  /** The file or folder to make a torrent of. */
  path: string;
  /** Default `hybrid`: v1 and v2 clients can both use it. */
  version?: TorrentVersion;
  /** Bytes, a power of two from 16 KiB; default automatic (libtorrent's rule, see piece-length.ts). */
  pieceLength?: number;
  /** The torrent's name; default the last element of `path`. */
  name?: string;
  /** Announce URLs by tier (BEP 12): `[[primary, backup], [other tier]]`. */
  trackers?: string[][];
  /** BEP 19 web seeds (`url-list`). */
  webSeeds?: string[];
  /** BEP 27: peers only from the trackers. Part of the info dictionary. */
  private?: boolean;
  /** `source` in the info dictionary: tells otherwise identical torrents of two trackers apart. */
  source?: string;
  comment?: string;
  /** Include names starting with a dot (default no). */
  includeHidden?: boolean;
  /** Glob patterns to leave out (glob.ts). */
  exclude?: string[];
  /** Symbolic links inside the folder (default `skip`). */
  symlinks?: SymlinkPolicy;
  /** `created by`; default `Torrent Lens`; false leaves it out. */
  createdBy?: string | false;
  /** `creation date` in seconds since the epoch; default now; false leaves it out (reproducible output). */
  creationDate?: number | false;
  /** The threads to hash on; default a pool of its own for this call. */
  pool?: HashPool;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface CreateSummary {
  name: string;
  version: TorrentVersion;
  pieceLength: number;
  pieceCount: number;
  /** Bytes of data (pad files not counted). */
  totalLength: number;
  fileCount: number;
  /** BEP 47 pad files added (hybrid). */
  padFileCount: number;
  infoHash: { v1?: string; v2?: string };
  /** What was left out, and why. */
  skipped: { path: string; reason: SkipReason }[];
  /** What Torrent Lens's own reader says of the result (names Windows cannot use, for example). */
  warnings: { code: string; message: string }[];
  /** Bytes of the .torrent. */
  torrentLength: number;
  elapsedMs: number;
}

export interface CreatedTorrent {
  /** The .torrent file's bytes. */
  torrent: Uint8Array;
  summary: CreateSummary;
}

export async function createTorrent(options: CreateOptions): Promise<CreatedTorrent> {
  const started = performance.now();
  const version = options.version ?? 'hybrid';
  if (version !== 'v1' && version !== 'v2' && version !== 'hybrid')
    throw new HashingError('bad-option', `unknown torrent version ${String(version)}`);
  if (options.pieceLength !== undefined) checkPieceLength(options.pieceLength);
  const trackers = (options.trackers ?? [])
    .map((tier) => tier.map((url) => checkText(url, 'tracker URL')))
    .filter((tier) => tier.length > 0);
  const webSeeds = (options.webSeeds ?? []).map((url) => checkText(url, 'web seed URL'));
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);

  const pool = options.pool ?? new HashPool();
  try {
    pool.warm();
    new ProgressMeter(options.onProgress, 0).listing();
    const listing = unpackWalk(
      await pool.walk({
        type: 'walk',
        options: {
          path: options.path,
          includeHidden: options.includeHidden ?? false,
          exclude: options.exclude ?? [],
          symlinks: options.symlinks ?? 'skip',
        },
      }),
    );
    if (signal?.aborted) throw abortReason(signal);
    const name = checkName(options.name ?? decodeUtf8Strict(listing.name) ?? '');
    const files = listing.files;
    const skipped = listing.skipped.map((s) => ({ path: joinPath(s.path), reason: s.reason }));
    let totalLength = 0;
    for (const file of files) totalLength += file.length;
    if (files.length === 0)
      throw new HashingError(
        'no-data',
        `${options.path} has no files to put in a torrent${skipped.length ? ` (${skipped.length} left out)` : ''}`,
        options.path,
      );
    if (totalLength === 0) throw new HashingError('no-data', `every file in ${options.path} is empty: a torrent needs data`, options.path);
    const pieceLength = options.pieceLength ?? automaticPieceLength(totalLength);

    const layout = layOut(files, pieceLength, version, listing.single);
    const hashes = await hashStream(
      { pieceLength, length: layout.length, files: layout.stream, v1: version !== 'v2', v2: version !== 'v1' },
      { pool, signal, onProgress: options.onProgress, strict: true },
    );

    const info = new Map<string, Encodable>();
    info.set('name', name);
    info.set('piece length', pieceLength);
    if (options.private) info.set('private', 1);
    if (options.source !== undefined) info.set('source', checkText(options.source, 'source'));
    const root = new Map<string, Encodable>();
    if (version !== 'v1') {
      const { tree, layers } = fileTree(files, layout, hashes.v2 as Uint8Array, pieceLength, listing.single ? utf8Encode(name) : undefined);
      info.set('file tree', tree);
      info.set('meta version', 2);
      if (layers.size > 0) root.set('piece layers', layers);
    }
    if (version !== 'v2') {
      info.set('pieces', hashes.v1 as Uint8Array);
      if (listing.single) info.set('length', files[0].length);
      else info.set('files', layout.v1Files);
    }
    root.set('info', info);
    if (trackers.length > 0) root.set('announce', trackers[0][0]);
    if (trackers.flat().length > 1) root.set('announce-list', trackers);
    if (webSeeds.length > 0) root.set('url-list', webSeeds.length === 1 ? webSeeds[0] : webSeeds);
    if (options.comment !== undefined) root.set('comment', checkText(options.comment, 'comment'));
    if (options.createdBy !== false) root.set('created by', checkText(options.createdBy ?? DEFAULT_CREATED_BY, 'created by'));
    if (options.creationDate !== false) root.set('creation date', options.creationDate ?? Math.floor(Date.now() / 1000));

    const torrent = encode(root);
    const parsed = parseMetainfo(torrent);
    if (!parsed.ok) throw new Error(`internal error: the new torrent does not read back: ${parsed.failure.message}`);
    const metainfo = parsed.metainfo;
    const infoHash: CreateSummary['infoHash'] = {};
    if (metainfo.infoHash.v1) infoHash.v1 = metainfo.infoHash.v1;
    if (metainfo.infoHash.v2) infoHash.v2 = metainfo.infoHash.v2;
    return {
      torrent,
      summary: {
        name,
        version,
        pieceLength,
        pieceCount: metainfo.pieceCount,
        totalLength,
        fileCount: files.length,
        padFileCount: metainfo.files.padCount,
        infoHash,
        skipped,
        warnings: metainfo.diagnostics.filter((d) => d.severity !== 'info').map((d) => ({ code: d.code, message: d.message })),
        torrentLength: torrent.length,
        elapsedMs: performance.now() - started,
      },
    };
  } finally {
    if (!options.pool) await pool.close();
  }
}

/** Keys written once per file, encoded once (encode would turn a string key into UTF-8 on every use). */
const KEY = {
  attr: utf8Encode('attr'),
  empty: new Uint8Array(0),
  length: utf8Encode('length'),
  p: utf8Encode('p'),
  pad: utf8Encode('.pad'),
  path: utf8Encode('path'),
  piecesRoot: utf8Encode('pieces root'),
};

interface Layout {
  /** The piece stream: files, and pad files between them for v2 and hybrid. */
  stream: StreamFile[];
  length: number;
  /** Per file (by index in the listing): its index in `stream`. */
  streamIndex: number[];
  /** v1 and hybrid, several files: the `files` list, pad files included. */
  v1Files: Encodable[];
}

/**
 * v1: the files back to back. v2 and hybrid: each file starts on a piece boundary, with a pad file after
 * every file that ends elsewhere (in a hybrid these are real entries of the v1 list, as libtorrent writes
 * them, the last file's included; in a v2 torrent they only shape the piece numbering, as in libtorrent).
 */
function layOut(files: WalkedFile[], pieceLength: number, version: TorrentVersion, single: boolean): Layout {
  const stream: StreamFile[] = [];
  const streamIndex: number[] = [];
  const v1Files: Encodable[] = [];
  let offset = 0;
  for (const file of files) {
    streamIndex.push(stream.length);
    stream.push({ kind: 'data', path: file.diskPath, offset, length: file.length });
    v1Files.push(
      new Map<Uint8Array, Encodable>([
        [KEY.length, file.length],
        [KEY.path, file.path],
      ]),
    );
    offset += file.length;
    const tail = offset % pieceLength;
    if (version !== 'v1' && tail !== 0 && !single) {
      const pad = pieceLength - tail;
      stream.push({ kind: 'zeros', offset, length: pad });
      v1Files.push(
        new Map<Uint8Array, Encodable>([
          [KEY.attr, KEY.p],
          [KEY.length, pad],
          [KEY.path, [KEY.pad, String(pad)]],
        ]),
      );
      offset += pad;
    }
  }
  return { stream, length: offset, streamIndex, v1Files };
}

/** The BEP 52 file tree and piece layers from the hashed stream. `singleName`: a single file, named so at the top. */
function fileTree(
  files: WalkedFile[],
  layout: Layout,
  v2: Uint8Array,
  pieceLength: number,
  singleName: Uint8Array | undefined,
): { tree: Encodable; layers: Map<Uint8Array, Encodable> } {
  interface Folder {
    key: Uint8Array;
    children: Map<string, Folder>;
    leaf?: Map<Uint8Array, Encodable>;
  }
  const top: Folder = { key: new Uint8Array(0), children: new Map() };
  const layers = new Map<Uint8Array, Encodable>();
  const seenRoots = new Set<string>();
  files.forEach((file, i) => {
    const leaf = new Map<Uint8Array, Encodable>([[KEY.length, file.length]]);
    if (file.length > 0) {
      const streamFile = layout.stream[layout.streamIndex[i]];
      const first = streamFile.offset / pieceLength;
      const pieces = Math.ceil(file.length / pieceLength);
      const layer = copyOf(v2.subarray(first * HASH_SIZE, (first + pieces) * HASH_SIZE));
      const root = rootFromPieceLayer(layer, pieces, pieceLength);
      leaf.set(KEY.piecesRoot, root);
      const rootKey = Buffer.from(root).toString('latin1');
      // Files with the same content share a root and one layer.
      if (pieces > 1 && !seenRoots.has(rootKey)) {
        seenRoots.add(rootKey);
        layers.set(root, layer);
      }
    }
    let folder = top;
    for (const element of singleName ? [singleName] : file.path) {
      const name = Buffer.from(element).toString('latin1');
      let child = folder.children.get(name);
      if (!child) {
        child = { key: element, children: new Map() };
        folder.children.set(name, child);
      }
      folder = child;
    }
    folder.leaf = leaf;
  });
  const toEncodable = (folder: Folder): Encodable => {
    const out = new Map<string | Uint8Array, Encodable>();
    if (folder.leaf) out.set(KEY.empty, folder.leaf);
    for (const child of folder.children.values()) out.set(child.key, toEncodable(child));
    return out;
  };
  return { tree: toEncodable(top), layers };
}

function joinPath(path: Uint8Array[]): string {
  return path.map((e) => decodeUtf8Strict(e) ?? Buffer.from(e).toString('latin1')).join('/');
}

function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name))
    throw new HashingError('bad-option', `${JSON.stringify(name)} cannot be a torrent's name: choose one with the name option`);
  return name;
}

function checkText(text: unknown, what: string): string {
  if (typeof text !== 'string' || text === '') throw new HashingError('bad-option', `a ${what} must be a non-empty string`);
  return text;
}
