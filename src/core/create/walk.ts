// Lists the files a new torrent is made of. Runs on a worker thread with synchronous file-system calls
// (a few microseconds each, where the event loop would add tens), so a folder of 100,000 files is listed
// in well under a second without holding up the caller's thread.
//
// Names are kept as bytes, exactly as the file system has them, and each folder's entries are sorted by
// those bytes: the result is in BEP 52's file-tree order, the same on every machine.

import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { decodeUtf8Strict } from '../text/bytes';
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

export interface WalkResult {
  /** The path names one file rather than a folder. */
  single: boolean;
  /** The last element of the chosen path, the torrent's default name. */
  name: Uint8Array;
  files: WalkedFile[];
  skipped: SkippedEntry[];
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

export function walk(options: WalkOptions): WalkResult {
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
  const name = Buffer.from(basename(given));
  if (topStat.isFile()) {
    return { single: true, name, files: [{ path: [], diskPath: top, length: topStat.size }], skipped: [] };
  }
  if (!topStat.isDirectory()) throw new WalkError('unreadable', `${given} is neither a file nor a folder`);
  const walker = new Walker(options, top, given);
  walker.folder(top, [], new Set([inodeKey(topStat)]));
  return { single: false, name, files: walker.files, skipped: walker.skipped };
}

function inodeKey(stat: Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

class Walker {
  readonly files: WalkedFile[] = [];
  readonly skipped: SkippedEntry[] = [];
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
        this.skipped.push({ path: entryPath, reason: 'hidden' });
        continue;
      }
      if (this.excludes.matches(entryPath.map(readable))) {
        this.skipped.push({ path: entryPath, reason: 'excluded' });
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
      else if (stat.isFile()) this.files.push({ path: entryPath, diskPath: full, length: stat.size });
      else this.skipped.push({ path: entryPath, reason: 'special' });
    }
  }

  private link(full: Buffer, path: Uint8Array[], ancestors: Set<string>): void {
    const policy = this.options.symlinks;
    if (policy === 'skip') {
      this.skipped.push({ path, reason: 'symlink' });
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
      this.skipped.push({ path, reason: 'broken-symlink' });
      return;
    }
    const inside =
      target.equals(this.top) ||
      (target.length > this.topPrefix.length && target.subarray(0, this.topPrefix.length).equals(this.topPrefix));
    if (policy === 'follow-inside' && !inside) {
      this.skipped.push({ path, reason: 'symlink-outside' });
      return;
    }
    if (stat.isDirectory()) {
      const key = inodeKey(stat);
      if (ancestors.has(key)) {
        this.skipped.push({ path, reason: 'symlink-loop' });
        return;
      }
      this.folder(target, path, new Set(ancestors).add(key));
    } else if (stat.isFile()) {
      this.files.push({ path, diskPath: target, length: stat.size });
    } else {
      this.skipped.push({ path, reason: 'special' });
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
