// Lists the files a new torrent is made of, in two steps on the hashing threads:
//
// 1. `walk`, on one thread, reads the folders (readdir, which says what each entry is) and keeps the
//    files in BEP 52's file-tree order: each folder's entries sorted by the bytes of their names, so the
//    result is the same on every machine. It applies hidden names, exclude patterns and the symlink
//    policy. Paths are packed into one shared buffer, never one object per file.
// 2. `runStatPart`, on every thread at once, looks up each file's size (one lstat each, the costly part
//    of a listing), in chunks taken from a shared counter.
//
// Synchronous file-system calls take a few microseconds each where the event loop would add tens, and
// on the hashing threads they do not hold up the caller's.

import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { decodeUtf8Strict } from '../text/bytes';
import { CONTROL_ABORT, CONTROL_NEXT, type JobProblem, type RunResult, type StatRun } from '../hashing/protocol';
import { PackedBytesBuilder, sharedArray, type PackedBytes } from '../hashing/thread-bytes';
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

export type SkipReason = 'hidden' | 'excluded' | 'symlink' | 'symlink-outside' | 'broken-symlink' | 'symlink-loop' | 'special';

/** What `walk` sends back from its thread: a few flat arrays, however many files. */
export interface CreateListing {
  /** The path names one file rather than a folder. */
  single: boolean;
  /** The last element of the chosen path: the torrent's default name. */
  name: Uint8Array;
  /** The chosen folder's real path and a separator: where the files are (empty for a single file). */
  base: Uint8Array;
  fileCount: number;
  /**
   * In shared memory. Strings `[0, fileCount)`: each file's path in the torrent, path elements separated
   * by NUL (empty for a single file). After them: the real paths of files read elsewhere (through a
   * followed link, and a single file), absolute.
   */
  paths: PackedBytes;
  /** Per file, in shared memory: where to read it, as an index into `paths` (below `base` when < fileCount, else absolute). */
  diskIndex: Int32Array;
  /** Per file, in shared memory: its size, or -1 until the stat run has looked it up. */
  sizes: Float64Array;
  /** What was left out: paths below the top with elements separated by NUL, and why. */
  skippedPaths: PackedBytes;
  skippedReasons: SkipReason[];
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

export function walk(options: WalkOptions): CreateListing {
  const given = resolve(options.path);
  let top: string;
  let single: boolean;
  try {
    // The chosen path itself may be a link: the user named it.
    top = realpathSync.native(given);
    const stat = statSync(top);
    if (!stat.isFile() && !stat.isDirectory()) throw new WalkError('unreadable', `${given} is neither a file nor a folder`);
    single = stat.isFile();
  } catch (error) {
    if (error instanceof WalkError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new WalkError('not-found', `${given} does not exist`);
    throw new WalkError('unreadable', `${given}: ${(error as Error).message}`);
  }
  const walker = new Walker(options, top, given);
  if (single) walker.addFile('', top, -1);
  else walker.folder(top, '', [top], false);
  return walker.result(single, Buffer.from(basename(given)), single ? '' : top + sep);
}

class Walker {
  private readonly paths = new PackedBytesBuilder();
  /** Files read at a path of their own: their index, and that path. */
  private readonly elsewhere: { index: number; path: string }[] = [];
  private sizes = new Float64Array(1024);
  private count = 0;
  private readonly skippedPaths = new PackedBytesBuilder();
  private readonly skippedReasons: SkipReason[] = [];
  private readonly excludes: PathMatcher;
  /** The path elements of the folder being listed, for exclude patterns. */
  private readonly elements: string[] = [];

  constructor(
    private readonly options: WalkOptions,
    private readonly top: string,
    private readonly shownTop: string,
  ) {
    this.excludes = compileExcludes(options.exclude);
  }

  /** A file at torrent path `path` (NUL-separated), read at `diskPath` when that is not below the top, of `size` bytes if known (else -1). */
  addFile(path: string, diskPath: string | undefined, size: number): void {
    if (this.count === this.sizes.length) {
      const grown = new Float64Array(this.sizes.length * 2);
      grown.set(this.sizes);
      this.sizes = grown;
    }
    if (diskPath !== undefined) this.elsewhere.push({ index: this.count, path: diskPath });
    this.sizes[this.count++] = size;
    this.paths.pushText(path);
  }

  /**
   * Lists folder `dir` (its real path) at torrent path `path`. `realAncestors`: the real paths of the
   * folders on the way here, to stop link loops; `elsewhere`: the folder was reached through a followed
   * link, so its files are read at their own paths.
   */
  folder(dir: string, path: string, realAncestors: string[], elsewhere: boolean): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new WalkError('unreadable', `${this.shown(path)}: ${(error as Error).message}`);
    }
    const invalid = entries.some((e) => e.name.includes('\uFFFD')) ? invalidNames(dir) : undefined;
    entries.sort((a, b) => compareCodePoints(a.name, b.name));
    for (const entry of entries) {
      const name = entry.name;
      const entryPath = path === '' ? name : `${path}\0${name}`;
      if (!this.options.includeHidden && name.charCodeAt(0) === 0x2e) {
        this.skip(entryPath, 'hidden');
        continue;
      }
      if (this.excludes.active) {
        this.elements.push(name);
        const excluded = this.excludes.matches(this.elements);
        this.elements.pop();
        if (excluded) {
          this.skip(entryPath, 'excluded');
          continue;
        }
      }
      if (invalid?.has(name))
        throw new WalkError(
          'name-not-utf8',
          `${this.shown(entryPath)}: the name is not UTF-8, which torrents require (BEP 3); rename it or exclude it`,
        );
      const full = `${dir}${sep}${name}`;
      if (entry.isDirectory()) this.descend(full, entryPath, name, realAncestors, elsewhere);
      else if (entry.isFile()) this.addFile(entryPath, elsewhere ? full : undefined, -1);
      else if (entry.isSymbolicLink()) this.link(full, entryPath, name, realAncestors);
      else this.skip(entryPath, 'special');
    }
  }

  private descend(real: string, path: string, name: string, realAncestors: string[], elsewhere: boolean): void {
    this.elements.push(name);
    realAncestors.push(real);
    this.folder(real, path, realAncestors, elsewhere);
    realAncestors.pop();
    this.elements.pop();
  }

  private link(full: string, path: string, name: string, realAncestors: string[]): void {
    const policy = this.options.symlinks;
    if (policy === 'skip') {
      this.skip(path, 'symlink');
      return;
    }
    if (policy === 'error')
      throw new WalkError('symlink', `${this.shown(path)} is a symbolic link; choose to skip or follow links to go on`);
    let target: string;
    let isFile: boolean;
    let isDirectory: boolean;
    let size: number;
    try {
      target = realpathSync.native(full);
      const stat = statSync(target);
      isFile = stat.isFile();
      isDirectory = stat.isDirectory();
      size = stat.size;
    } catch {
      this.skip(path, 'broken-symlink');
      return;
    }
    const inside = target === this.top || target.startsWith(this.top + sep);
    if (policy === 'follow-inside' && !inside) this.skip(path, 'symlink-outside');
    else if (isDirectory && realAncestors.includes(target)) this.skip(path, 'symlink-loop');
    else if (isDirectory) this.descend(target, path, name, realAncestors, true);
    else if (isFile) this.addFile(path, target, size);
    else this.skip(path, 'special');
  }

  private skip(path: string, reason: SkipReason): void {
    this.skippedPaths.pushText(path);
    this.skippedReasons.push(reason);
  }

  private shown(path: string): string {
    return path === '' ? this.shownTop : [this.shownTop, ...path.split('\0')].join(sep);
  }

  result(single: boolean, name: Uint8Array, base: string): CreateListing {
    const fileCount = this.count;
    const diskIndex = sharedArray(Int32Array, fileCount);
    for (let i = 0; i < fileCount; i++) diskIndex[i] = i;
    this.elsewhere.forEach(({ index, path }, k) => {
      diskIndex[index] = fileCount + k;
      this.paths.pushText(path);
    });
    const sizes = sharedArray(Float64Array, fileCount);
    sizes.set(this.sizes.subarray(0, fileCount));
    return {
      single,
      name: Uint8Array.from(name),
      base: Uint8Array.from(Buffer.from(base)),
      fileCount,
      paths: this.paths.result(true),
      diskIndex: diskIndex.subarray(0, fileCount),
      sizes: sizes.subarray(0, fileCount),
      skippedPaths: this.skippedPaths.result(),
      skippedReasons: this.skippedReasons,
    };
  }
}

/**
 * Order by Unicode code points, which is the order of the UTF-8 bytes (BEP 52's order). JavaScript's own
 * comparison of UTF-16 units differs only where a character beyond U+FFFF (a surrogate pair) meets one
 * from U+E000 to U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The names in `dir` that are not UTF-8, as readdir's text shows them (with U+FFFD). Asked only when a
 * name shows U+FFFD, which is either such a name or a real U+FFFD: the bytes tell them apart.
 */
function invalidNames(dir: string): Set<string> {
  const invalid = new Set<string>();
  for (const raw of readdirSync(dir, { encoding: 'buffer' })) if (decodeUtf8Strict(raw) === undefined) invalid.add(raw.toString('utf8'));
  return invalid;
}

/** Files per chunk of a stat run. */
const STAT_CHUNK = 256;

/** A thread's share of a stat run: the size of every file the walk left at -1, or a problem. */
export function runStatPart(run: StatRun): RunResult {
  const { listing, sizes } = run;
  const problems: JobProblem[] = [];
  const base = Buffer.from(listing.base.buffer, listing.base.byteOffset, listing.base.byteLength).toString();
  for (;;) {
    if (Atomics.load(run.control, CONTROL_ABORT) !== 0) break;
    const chunk = Atomics.add(run.control, CONTROL_NEXT, 1);
    const from = chunk * STAT_CHUNK;
    if (from >= listing.fileCount) break;
    for (let i = from; i < Math.min(listing.fileCount, from + STAT_CHUNK); i++) {
      if (listing.sizes[i] >= 0) {
        sizes[i] = listing.sizes[i];
        continue;
      }
      const at = listing.diskIndex[i];
      const text = packedText(listing.paths, at);
      const disk = at < listing.fileCount ? base + text : text;
      try {
        const stat = lstatSync(disk);
        if (stat.isFile()) sizes[i] = stat.size;
        else {
          sizes[i] = -1;
          problems.push({ id: i, code: 'changed', message: `${disk} changed while the folder was listed: it is no longer a file` });
        }
      } catch (error) {
        sizes[i] = -1;
        const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
        problems.push(
          code === 'ENOENT'
            ? { id: i, code: 'changed', message: `${disk} changed while the folder was listed: it is gone` }
            : { id: i, code: 'unreadable', message: `${disk}: ${(error as Error).message}` },
        );
      }
    }
  }
  return { bytesRead: 0, problems };
}

/** String `i` of a packed list as text, NUL turned into the platform's separator. */
export function packedText(packed: PackedBytes, i: number): string {
  const from = i === 0 ? 0 : packed.ends[i - 1];
  const bytes = packed.bytes.subarray(from, packed.ends[i]);
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString();
  if (text.includes('\0')) text = text.replaceAll('\0', sep);
  return text;
}
