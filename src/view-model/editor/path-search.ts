// Finding files by name or path, for the files tree's filter, in a torrent of any size.
//
// The search text is every file's path below the torrent's top folder (`folder/sub/file.bin`), as the
// tree shows it and in lower case, one path after the other in a single string. A query is found with
// that string's own indexOf, and each hit is mapped back to its file by a binary search over where the
// paths start. Built once per version of the file, on its first query, from the path bytes: one string and
// one Int32Array, no object per file.
import type { TorrentFiles } from '../../core/metainfo/types';
import { displayText } from '../../core/text/bytes';

/** The files whose path holds a query: a flag per file, and how many are set. */
export interface PathMatches {
  readonly query: string;
  readonly flags: Uint8Array;
  readonly count: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const SLASH = 0x2f;
/** A path element that is not valid UTF-8 stops the whole-text decode; the paths are then decoded one by one. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class PathSearch {
  private constructor(
    /** The lower-cased paths, each followed by a newline (which no path holds: see `build`). */
    private readonly text: string,
    /** Where each file's path starts in `text`, and one more entry: the text's length. */
    private readonly starts: Int32Array,
  ) {}

  static build(files: TorrentFiles): PathSearch {
    const text = pathsText(files).toLowerCase();
    // Lower-casing may change the length of a path (a dotted capital I becomes two code units), so the
    // starts are found in the lower-cased text itself.
    const starts = new Int32Array(files.count + 1);
    let file = 0;
    for (let at = text.indexOf('\n'); at >= 0 && file < files.count; at = text.indexOf('\n', at + 1)) starts[++file] = at + 1;
    return new PathSearch(text, starts);
  }

  get fileCount(): number {
    return this.starts.length - 1;
  }

  /** The files whose path (below the torrent's top folder) contains `query`, ignoring letter case. */
  find(query: string): PathMatches {
    const needle = query.toLowerCase();
    const flags = new Uint8Array(this.fileCount);
    let count = 0;
    if (needle.length === 0 || needle.includes('\n')) return { query, flags, count };
    const { text, starts } = this;
    let first = 0;
    for (let at = text.indexOf(needle); at >= 0;) {
      const file = fileAt(starts, at, first);
      flags[file] = 1;
      count++;
      // One hit per file is enough: go on from the next file's path.
      first = file + 1;
      at = first < starts.length - 1 ? text.indexOf(needle, starts[first]) : -1;
    }
    return { query, flags, count };
  }
}

/** The file whose path holds position `at` of the text: the last start at or before it (files before `from` are past). */
function fileAt(starts: Int32Array, at: number, from: number): number {
  let lo = from;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Every path, elements joined by `/`, each path followed by a newline. The bytes are copied into one
 * buffer and decoded at once; a newline inside a name becomes a space, so that newlines only end paths
 * (nobody types a newline into the filter). If some name is not UTF-8 (the tree shows its latin-1 reading),
 * the paths are decoded element by element, as the tree does.
 */
function pathsText(files: TorrentFiles): string {
  const data = files.bytes;
  const spans: number[] = [];
  let size = 0;
  for (let file = 0; file < files.count; file++) {
    const count = files.pathElementSpans(file, spans);
    if (count < 0) size += padPath(files, file).length + 1;
    else for (let e = 0; e < count; e++) size += spans[2 * e + 1] - spans[2 * e] + 1;
  }
  const buffer = new Uint8Array(size);
  let at = 0;
  for (let file = 0; file < files.count; file++) {
    const count = files.pathElementSpans(file, spans);
    if (count < 0) {
      for (const char of padPath(files, file)) buffer[at++] = char.charCodeAt(0);
    } else {
      for (let e = 0; e < count; e++) {
        if (e > 0) buffer[at++] = SLASH;
        for (let i = spans[2 * e]; i < spans[2 * e + 1]; i++) buffer[at++] = data[i] === NEWLINE ? SPACE : data[i];
      }
    }
    buffer[at++] = NEWLINE;
  }
  try {
    return strictUtf8.decode(buffer.subarray(0, at));
  } catch {
    return pathsTextOneByOne(files);
  }
}

function pathsTextOneByOne(files: TorrentFiles): string {
  const data = files.bytes;
  const spans: number[] = [];
  const paths: string[] = [];
  for (let file = 0; file < files.count; file++) {
    const count = files.pathElementSpans(file, spans);
    if (count < 0) {
      paths.push(padPath(files, file));
      continue;
    }
    const elements: string[] = [];
    for (let e = 0; e < count; e++) elements.push(displayText(data.subarray(spans[2 * e], spans[2 * e + 1])).text.replace(/\n/g, ' '));
    paths.push(elements.join('/'));
  }
  return paths.length > 0 ? `${paths.join('\n')}\n` : '';
}

/** The path the model gives a pad file stored without one (as libtorrent names it). */
function padPath(files: TorrentFiles, file: number): string {
  return `.pad/${files.fileLength(file)}`;
}
