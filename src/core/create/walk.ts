// Lists the files a new torrent is made of. Runs on a worker thread with synchronous file-system calls
// (a few microseconds each, where the event loop would add tens), so a folder of 100,000 files is listed
// in well under a second without holding up the caller's thread.
//
// Names are kept as bytes, exactly as the file system has them, and each folder's entries are sorted by
// those bytes: the result is in BEP 52's file-tree order, the same on every machine.

import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { decodeUtf8Strict } from '../text/bytes';
import { PackedBytesBuilder, unpack, type PackedBytes } from '../hashing/thread-bytes';
import { compileExcludes, type PathMatcher } from './glob';

/** What to do with a symbolic link met inside the folder. */
export type SymlinkPolicy =
  /** Leave it out (and list it as skipped). */
  | 'skip'
  /** Follow it when it leads to a file or folder inside the chosen folder; leave it out otherwise. */
  | 'follow-inside'
  /** Follow it wherever it leads. */
  | 'follow'
  /** Stop with an error. */
  | 'error';

export interface WalkOptions {
  /** The file or folder to make a torrent of. */
  path: string;
  /** Include names that start with a dot. */
  includeHidden: boolean;
  /** Glob patterns of paths to leave out (see glob.ts). */
  exclude: string[];
  symlinks: SymlinkPolicy;
}

export interface WalkedFile {
  /** Path elements below the torrent's top folder, as bytes; empty for a single-file torrent. */
  path: Uint8Array[];
  /**
   * Where to read it: a path without symbolic links (a followed link is read at its target), so the file
   * can be opened with O_NOFOLLOW and a link swapped in meanwhile cannot redirect the read.
   */
  diskPath: Uint8Array;
  length: number;
}

export type SkipReason = 'hidden' | 'excluded' | 'symlink' | 'symlink-outside' | 'broken-symlink' | 'symlink-loop' | 'special';

export interface SkippedEntry {
  /** Path elements below the torrent's top folder. */
  path: Uint8Array[];
  reason: SkipReason;
}

/**
 * What `walk` sends back from its thread: a few flat arrays, however many files (see thread-bytes.ts).
 * Paths below the top have their elements separated by NUL, which no file name holds.
 */
export interface PackedWalk {
  single: boolean;
  /** The last element of the chosen path, the torrent's default name. */
  name: Uint8Array;
  paths: PackedBytes;
  diskPaths: PackedBytes;
  lengths: Float64Array;
  skippedPaths: PackedBytes;
  skippedReasons: SkipReason[];
}

export interface WalkResult {
  /** The path names one file rather than a folder. */
  single: boolean;
  name: Uint8Array;
  files: WalkedFile[];
  skipped: SkippedEntry[];
}

/** The listing as objects, every path a view into the packed bytes. */
export function unpackWalk(packed: PackedWalk): WalkResult {
  const elements = (path: Uint8Array): Uint8Array[] => {
    if (path.length === 0) return [];
    const out: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i <= path.length; i++) {
      if (i === path.length || path[i] === 0) {
        out.push(path.subarray(start, i));
        start = i + 1;
      }
    }
    return out;
  };
  return {
    single: packed.single,
    name: packed.name,
    files: Array.from(packed.lengths, (length, i) => ({
      path: packed.single ? [] : elements(unpack(packed.paths, i)),
      diskPath: unpack(packed.diskPaths, i),
      length,
    })),
    skipped: packed.skippedReasons.map((reason, i) => ({ path: elements(unpack(packed.skippedPaths, i)), reason })),
  };
}

/** A problem that stops the listing; the pool turns it into a HashingError with this code. */
export class WalkError extends Error {
  constructor(
    readonly code: 'not-found' | 'symlink' | 'name-not-utf8' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

const SEP = Buffer.from(sep);

export function walk(options: WalkOptions): PackedWalk {
  const given = resolve(options.path);
  let top: Buffer;
  let topStat: Stats;
  try {
    // The chosen path itself may be a link: the user named it.
    top = realpathSync.native(given, { encoding: 'buffer' });
    topStat = statSync(top);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new WalkError('not-found', `${given} does not exist`);
    throw new WalkError('unreadable', `${given}: ${(error as Error).message}`);
  }
  const name = Uint8Array.from(Buffer.from(basename(given)));
  const walker = new Walker(options, top, given);
  if (topStat.isFile()) walker.file([], top, topStat.size);
  else if (topStat.isDirectory()) walker.folder(top, [], new Set([inodeKey(topStat)]));
  else throw new WalkError('unreadable', `${given} is neither a file nor a folder`);
  const paths = walker.paths.result();
  const skippedPaths = walker.skippedPaths.result();
  return {
    single: topStat.isFile(),
    name,
    paths,
    diskPaths: walker.diskPaths.result(),
    lengths: Float64Array.from(walker.lengths),
    skippedPaths,
    skippedReasons: walker.skippedReasons,
  };
}

function inodeKey(stat: Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

class Walker {
  readonly paths = new PackedBytesBuilder();
  readonly diskPaths = new PackedBytesBuilder();
  readonly lengths: number[] = [];
  readonly skippedPaths = new PackedBytesBuilder();
  readonly skippedReasons: SkipReason[] = [];
  private readonly excludes: PathMatcher;
  private readonly topPrefix: Buffer;

  constructor(
    private readonly options: WalkOptions,
    private readonly top: Buffer,
    private readonly shownTop: string,
  ) {
    this.excludes = compileExcludes(options.exclude);
    this.topPrefix = Buffer.concat([top, SEP]);
  }

  file(path: Uint8Array[], diskPath: Uint8Array, length: number): void {
    this.paths.push(path, 0);
    this.diskPaths.push([diskPath], 0);
    this.lengths.push(length);
  }

  private skip(path: Uint8Array[], reason: SkipReason): void {
    this.skippedPaths.push(path, 0);
    this.skippedReasons.push(reason);
  }

  /** `real`: the folder's real path; `ancestors`: the folders on the way here, to stop link loops. */
  folder(real: Buffer, path: Uint8Array[], ancestors: Set<string>): void {
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(real, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      throw new WalkError('unreadable', `${this.shown(path)}: ${(error as Error).message}`);
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const entry of entries) {
      const entryPath = [...path, entry.name];
      if (!this.options.includeHidden && entry.name[0] === 0x2e) {
        this.skip(entryPath, 'hidden');
        continue;
      }
      if (this.excludes.active && this.excludes.matches(entryPath.map(readable))) {
        this.skip(entryPath, 'excluded');
        continue;
      }
      if (decodeUtf8Strict(entry.name) === undefined)
        throw new WalkError(
          'name-not-utf8',
          `${this.shown(entryPath)}: the name is not UTF-8, which torrents require (BEP 3); rename it or exclude it`,
        );
      const full = Buffer.concat([real, SEP, entry.name]);
      let stat: Stats;
      try {
        stat = lstatSync(full);
      } catch (error) {
        throw new WalkError('unreadable', `${this.shown(entryPath)}: ${(error as Error).message}`);
      }
      if (stat.isSymbolicLink()) this.link(full, entryPath, ancestors);
      else if (stat.isDirectory()) this.folder(full, entryPath, new Set(ancestors).add(inodeKey(stat)));
      else if (stat.isFile()) this.file(entryPath, full, stat.size);
      else this.skip(entryPath, 'special');
    }
  }

  private link(full: Buffer, path: Uint8Array[], ancestors: Set<string>): void {
    const policy = this.options.symlinks;
    if (policy === 'skip') {
      this.skip(path, 'symlink');
      return;
    }
    if (policy === 'error')
      throw new WalkError('symlink', `${this.shown(path)} is a symbolic link; choose to skip or follow links to go on`);
    let target: Buffer;
    let stat: Stats;
    try {
      target = realpathSync.native(full, { encoding: 'buffer' });
      stat = statSync(target);
    } catch {
      this.skip(path, 'broken-symlink');
      return;
    }
    const inside =
      target.equals(this.top) ||
      (target.length > this.topPrefix.length && target.subarray(0, this.topPrefix.length).equals(this.topPrefix));
    if (policy === 'follow-inside' && !inside) {
      this.skip(path, 'symlink-outside');
      return;
    }
    if (stat.isDirectory()) {
      const key = inodeKey(stat);
      if (ancestors.has(key)) {
        this.skip(path, 'symlink-loop');
        return;
      }
      this.folder(target, path, new Set(ancestors).add(key));
    } else if (stat.isFile()) {
      this.file(path, target, stat.size);
    } else {
      this.skip(path, 'special');
    }
  }

  private shown(path: Uint8Array[]): string {
    return [this.shownTop, ...path.map(readable)].join(sep);
  }
}

/** A name as text: UTF-8, or else its latin-1 reading (so a pattern can still exclude it). */
function readable(name: Uint8Array): string {
  return decodeUtf8Strict(name) ?? Buffer.from(name).toString('latin1');
}
