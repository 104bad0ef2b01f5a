// The v1 files: one file (`length` beside `name`) or the `files` list (BEP 3), with BEP 47 attributes,
// pad files and symlinks (which hold no data; their targets are checked like paths, here for the v2 file
// tree too), and the `pieces` hashes that must cover them. The list is read in one pass into the typed
// arrays of a FileTable; each path is checked on its bytes and hashed as it goes by, so duplicate paths
// and files that are also folders are found without a string per file.

import type { Token } from '../bencode/decode';
import { bytesToBinary, displayText } from '../text/bytes';
import { visibleText } from '../text/display';
import { attrFlags, FLAG_PAD, FLAG_SYMLINK, type FileTableParts } from './file-table';
import {
  checkElement,
  ElementScan,
  extendPathHash,
  PATH_HASH_START,
  PathClashFinder,
  type PathClash,
  reportPathFlags,
  scanPathElement,
} from './paths';
import { INT64_MAX, type ReadContext } from './read-context';
import { formatCount } from '../../shared/format';

export interface V1Files {
  parts: FileTableParts;
  /** Exact total when it fits a double; otherwise `bigTotal` holds it. */
  total: number;
  bigTotal?: bigint;
  paddingLength: number;
  /** Some file dictionary has keys besides the ones read (only then can it hide a key npm `bencode` mangles). */
  fileDictsHaveOtherKeys: boolean;
}

/** A single-file torrent: `length` (and `attr`) in the info dictionary, the name as the file's path. */
export function readSingleFile(
  ctx: ReadContext,
  info: Token,
  lengthToken: Token,
  nameToken: Token,
  shownNameToken: Token,
  attrToken: Token,
): V1Files {
  const doc = ctx.doc;
  const flags = new Uint8Array(1);
  const attrTokens = new Int32Array([-1]);
  if (attrToken >= 0 && doc.isBytes(attrToken)) {
    attrTokens[0] = attrToken;
    flags[0] = attrFlags(ctx.data, doc.contentStart(attrToken), doc.end(attrToken));
  }
  const symlink = (flags[0] & FLAG_SYMLINK) !== 0;
  if (!symlink && !doc.isInt(lengthToken))
    ctx.fail('length-not-integer', `'length' is ${ctx.aKind(lengthToken)}, not an integer`, doc.start(lengthToken));
  if (symlink) checkSymlinkTarget(ctx, info, "the torrent's one file", 'info', (j) => `info.symlink path[${j}]`, new ElementScan());
  const value = symlink ? symlinkLength(ctx, lengthToken, "the torrent's one file", 'info.length') : doc.int(lengthToken);
  if (value < 0) ctx.fail('negative-length', `'length' is ${value}: a file length cannot be negative`, doc.start(lengthToken));
  const big = typeof value === 'bigint';
  const parts: FileTableParts = {
    layout: 'single',
    count: 1,
    padCount: flags[0] & FLAG_PAD ? 1 : 0,
    fileTokens: new Int32Array([info]),
    pathTokens: new Int32Array([nameToken]),
    lengths: new Float64Array([big ? Number.NaN : value]),
    offsets: new Float64Array(1),
    flags,
    attrTokens,
  };
  if (shownNameToken !== nameToken) parts.shownNameToken = shownNameToken;
  const result: V1Files = {
    parts,
    total: big ? Number.NaN : value,
    paddingLength: flags[0] & FLAG_PAD ? (value as number) : 0,
    fileDictsHaveOtherKeys: false,
  };
  if (big) result.bigTotal = value;
  return result;
}

/** The `files` list, in one pass: lengths, offsets, attributes and paths, each path checked and hashed. */
export function readFileList(ctx: ReadContext, filesToken: Token): V1Files {
  const doc = ctx.doc;
  const data = ctx.data;
  const log = ctx.log;
  if (!doc.isList(filesToken)) ctx.fail('files-not-list', `'files' is ${ctx.aKind(filesToken)}, not a list`, doc.start(filesToken));
  const count = doc.size(filesToken);
  if (count === 0)
    ctx.fail('no-files', "'files' is an empty list: the torrent has no files (libtorrent refuses it)", doc.start(filesToken));
  const fileTokens = new Int32Array(count);
  const pathTokens = new Int32Array(count);
  let utf8PathTokens: Int32Array | undefined;
  const attrTokens = new Int32Array(count);
  const lengths = new Float64Array(count);
  const offsets = new Float64Array(count);
  const flags = new Uint8Array(count);
  let total = 0;
  let bigTotal: bigint | undefined;
  let padCount = 0;
  let paddingLength = 0;
  let fileDictsHaveOtherKeys = false;
  // Duplicate paths and files that are also folders, from path hashes computed as the paths go by.
  const clashes =
    count > 1
      ? new PathClashFinder(doc, count, (file) => {
          const utf8 = utf8PathTokens ? utf8PathTokens[file] : -1;
          return utf8 >= 0 ? utf8 : pathTokens[file];
        })
      : undefined;

  const elementScan = new ElementScan();
  const stop = doc.next(filesToken);
  let i = 0;
  for (let f = filesToken + 1; f < stop; f = doc.next(f), i++) {
    if (!doc.isDict(f)) ctx.fail('file-not-dict', `info.files[${i}] is ${ctx.aKind(f)}, not a dictionary`, doc.start(f));
    let lengthToken = -1;
    let pathToken = -1;
    let utf8Token = -1;
    let attrToken = -1;
    const fileStop = doc.next(f);
    for (let k = f + 1; k < fileStop;) {
      const v = doc.next(k);
      if (v >= fileStop) break;
      if (lengthToken < 0 && doc.keyEquals(k, 'length')) lengthToken = v;
      else if (pathToken < 0 && doc.keyEquals(k, 'path')) pathToken = v;
      else if (utf8Token < 0 && doc.keyEquals(k, 'path.utf-8')) utf8Token = v;
      else if (attrToken < 0 && doc.keyEquals(k, 'attr')) attrToken = v;
      else fileDictsHaveOtherKeys = true;
      k = doc.next(v);
    }
    fileTokens[i] = f;
    let fileFlags = 0;
    attrTokens[i] = -1;
    if (attrToken >= 0 && doc.isBytes(attrToken)) {
      attrTokens[i] = attrToken;
      fileFlags = attrFlags(data, doc.contentStart(attrToken), doc.end(attrToken));
    }

    // Length.
    let length = 0;
    let bigLength: bigint | undefined;
    if (fileFlags & FLAG_SYMLINK) {
      symlinkLength(ctx, lengthToken, `info.files[${i}]`, `info.files[${i}].length`);
      checkSymlinkTarget(ctx, f, `info.files[${i}]`, `info.files[${i}]`, (j) => `info.files[${i}].symlink path[${j}]`, elementScan);
    } else if (lengthToken < 0) {
      ctx.fail('file-length-missing', `info.files[${i}] has no 'length'`, doc.start(f));
    } else {
      if (!doc.isInt(lengthToken))
        ctx.fail('file-length-not-integer', `info.files[${i}].length is ${ctx.aKind(lengthToken)}, not an integer`, doc.start(lengthToken));
      const value = doc.int(lengthToken);
      if (value < 0)
        ctx.fail('negative-length', `info.files[${i}].length is ${value}: a file length cannot be negative`, doc.start(lengthToken));
      if (typeof value === 'bigint') bigLength = value;
      else length = value;
    }

    // Path: `path.utf-8` wins when it is usable, as in libtorrent.
    let shown = pathToken;
    if (utf8Token >= 0 && doc.isList(utf8Token) && doc.size(utf8Token) > 0 && allBytes(ctx, utf8Token)) {
      shown = utf8Token;
      utf8PathTokens ??= new Int32Array(count).fill(-1);
      utf8PathTokens[i] = utf8Token;
    }
    pathTokens[i] = pathToken;
    if (shown < 0 || (doc.isList(shown) && doc.size(shown) === 0)) {
      // libtorrent accepts a pad file without a path (it files it under .pad/<length>).
      if (!(fileFlags & FLAG_PAD)) {
        if (shown < 0) ctx.fail('file-path-missing', `info.files[${i}] has no 'path'`, doc.start(f));
        ctx.fail('file-path-empty', `info.files[${i}].path is an empty list: the file has no name`, doc.start(shown));
      }
      pathTokens[i] = -1;
    } else {
      if (!doc.isList(shown))
        ctx.fail('file-path-not-list', `info.files[${i}].path is ${ctx.aKind(shown)}, not a list of path elements`, doc.start(shown));
      const pathStop = doc.next(shown);
      let j = 0;
      let pathHash = PATH_HASH_START;
      for (let e = shown + 1, following: number; e < pathStop; e = following, j++) {
        following = doc.next(e);
        if (!doc.isBytes(e))
          ctx.fail('path-element-not-string', `info.files[${i}].path[${j}] is ${ctx.aKind(e)}, not a string`, doc.start(e));
        const start = doc.contentStart(e);
        const end = doc.end(e);
        const elementFlags = scanPathElement(data, start, end, elementScan).flags;
        if (elementFlags !== 0) {
          reportPathFlags(
            log,
            elementFlags,
            data,
            start,
            end,
            'path element',
            `info.files[${i}].${shown === utf8Token ? 'path.utf-8' : 'path'}[${j}]`,
            doc.start(e),
          );
        }
        // BitComet's pad files predate BEP 47's attr; libtorrent recognises them by name.
        if (data[start] === 0x5f && end - start >= 18 && bytesToBinary(data, start, start + 18) === '_____padding_file_')
          fileFlags |= FLAG_PAD;
        if (clashes === undefined || fileFlags & FLAG_PAD) continue;
        pathHash = extendPathHash(pathHash, elementScan.hash);
        if (following < pathStop) clashes.addFolder(pathHash, i, j + 1);
        else clashes.addFile(pathHash, i);
      }
    }

    flags[i] = fileFlags;
    if (fileFlags & FLAG_PAD) {
      padCount++;
      paddingLength += length;
    }
    offsets[i] = total;
    if (bigLength !== undefined || bigTotal !== undefined || total + length > Number.MAX_SAFE_INTEGER) {
      bigTotal = (bigTotal ?? BigInt(total)) + (bigLength ?? BigInt(length));
      if (bigTotal > INT64_MAX) {
        ctx.fail(
          'total-length-overflow',
          `the file lengths add up to more than 2^63-1 bytes at info.files[${i}]: the total overflows (libtorrent refuses the torrent)`,
          doc.start(lengthToken),
        );
      }
      lengths[i] = bigLength === undefined ? length : Number.NaN;
      total = Number.NaN;
    } else {
      lengths[i] = length;
      total += length;
    }
  }

  if (clashes) {
    for (const clash of clashes.finish()) {
      const pathOf = (file: number) => {
        const utf8 = utf8PathTokens ? utf8PathTokens[file] : -1;
        return utf8 >= 0 ? utf8 : pathTokens[file];
      };
      reportClash(ctx, clash, pathOf(clash.file), pathOf(clash.other), fileTokens[clash.file]);
    }
  }
  if (clashes?.incomplete) {
    ctx.note(
      'path-check-incomplete',
      'so many file paths share a hash that some were not compared with each other: duplicate paths may go unreported',
      filesToken,
      'info.files',
    );
  }
  const parts: FileTableParts = { layout: 'list', count, padCount, fileTokens, pathTokens, lengths, offsets, flags, attrTokens };
  if (utf8PathTokens) parts.utf8PathTokens = utf8PathTokens;
  const result: V1Files = { parts, total, paddingLength, fileDictsHaveOtherKeys };
  if (bigTotal !== undefined) result.bigTotal = bigTotal;
  return result;
}

/**
 * BEP 47: a symlink holds no data, so it counts as 0 bytes whatever its `length` says (as libtorrent counts
 * it, which does not even read the key); a length other than 0 is reported. `what` names the file. Returns 0.
 */
export function symlinkLength(ctx: ReadContext, lengthToken: Token, what: string, location: string): 0 {
  const doc = ctx.doc;
  if (lengthToken < 0 || (doc.isInt(lengthToken) && doc.int(lengthToken) === 0)) return 0;
  const declared = doc.isInt(lengthToken) ? formatCount(doc.int(lengthToken)) : ctx.aKind(lengthToken);
  ctx.warn(
    'symlink-length',
    `${what} is a symlink (BEP 47 attr 'l'), which holds no data: its 'length' (${declared}) is ignored and it counts as 0 bytes, as libtorrent counts it`,
    lengthToken,
    location,
  );
  return 0;
}

/**
 * BEP 47: a symlink's target, the `symlink path` list in its dictionary, gets the checks of a file's path
 * (libtorrent sanitises both alike, and refuses the torrent when an element is no string). Without a
 * target, libtorrent makes the file an ordinary empty one. `what` names the file in messages, `location`
 * places it, `elementLocation(j)` names element j.
 */
export function checkSymlinkTarget(
  ctx: ReadContext,
  fileDict: Token,
  what: string,
  location: string,
  elementLocation: (j: number) => string,
  scan: ElementScan,
): void {
  const doc = ctx.doc;
  const target = doc.get(fileDict, 'symlink path');
  if (target < 0 || !doc.isList(target) || doc.size(target) === 0) {
    const why =
      target < 0
        ? "has no 'symlink path'"
        : doc.isList(target)
          ? "has an empty 'symlink path'"
          : `has a 'symlink path' that is ${ctx.aKind(target)}, not a list`;
    ctx.warn(
      'symlink-target-missing',
      `${what} is marked as a symlink (BEP 47 attr 'l') but ${why}: libtorrent makes it an empty file instead`,
      target >= 0 ? target : fileDict,
      location,
    );
    return;
  }
  const stop = doc.next(target);
  let j = 0;
  for (let e = target + 1; e < stop; e = doc.next(e), j++) {
    if (!doc.isBytes(e)) ctx.fail('path-element-not-string', `${elementLocation(j)} is ${ctx.aKind(e)}, not a string`, doc.start(e));
    const element = j;
    checkElement(ctx, e, 'symlink target element', () => elementLocation(element), scan);
  }
}

function reportClash(ctx: ReadContext, clash: PathClash, path: Token, otherPath: Token, file: Token): void {
  const { file: i, other, kind, caseOnly } = clash;
  const code = kind === 'duplicate' ? (caseOnly ? 'path-duplicate-case' : 'path-duplicate') : 'path-collision';
  if (!ctx.log.want(code)) return;
  const shown = pathText(ctx, path);
  // Names that differ only in case are one name on Windows and macOS, and libtorrent treats them so everywhere.
  const otherShown = caseOnly ? ` (${pathText(ctx, otherPath)})` : '';
  const sameOnDisk = caseOnly ? ' once letter case is ignored, as on Windows and macOS file systems and by libtorrent on every system' : '';
  const message =
    kind === 'duplicate'
      ? caseOnly
        ? `info.files[${i}] (${shown}) has the same path as info.files[${other}]${otherShown}${sameOnDisk}; libtorrent renames the second one (adding .1 before the extension)`
        : `info.files[${i}] has the same path as info.files[${other}] (${shown}); libtorrent renames the second one (adding .1 before the extension)`
      : kind === 'file-is-folder'
        ? `info.files[${i}] (${shown}) names a file where info.files[${other}]${otherShown} needs a folder of that name${sameOnDisk}; both cannot exist (libtorrent renames the file)`
        : `info.files[${i}] (${shown}) needs a folder where info.files[${other}]${otherShown} is a file of that name${sameOnDisk}; both cannot exist (libtorrent renames the file)`;
  ctx.log.push('warning', code, message, ctx.doc.start(file), `info.files[${i}].path`);
}

/** A path list for a message: its elements joined with '/', escaped, and cut when long. */
function pathText(ctx: ReadContext, list: Token): string {
  const doc = ctx.doc;
  const parts: string[] = [];
  const stop = doc.next(list);
  for (let e = list + 1; e < stop; e = doc.next(e)) parts.push(displayText(doc.bytes(e)).text);
  const joined = parts.join('/');
  return `'${visibleText(joined.length > 120 ? `${joined.slice(0, 120)}…` : joined)}'`;
}

function allBytes(ctx: ReadContext, list: Token): boolean {
  const doc = ctx.doc;
  const stop = doc.next(list);
  for (let e = list + 1; e < stop; e = doc.next(e)) if (!doc.isBytes(e)) return false;
  return true;
}

/** v1 piece hashes: present, a whole number of SHA-1 hashes, exactly one per piece. Returns the piece count. */
export function checkPieces(ctx: ReadContext, piecesToken: Token, v1: V1Files, pieceLength: number, isV2: boolean, info: Token): number {
  const doc = ctx.doc;
  if (piecesToken < 0) {
    if (isV2) {
      ctx.warn('missing-pieces', "this hybrid torrent has v1 files but no 'pieces': v1 clients cannot check its data", info, 'info');
      if (v1.bigTotal !== undefined) ctx.tooLarge(v1.bigTotal, info);
      return Math.ceil(v1.total / pieceLength);
    }
    ctx.fail('missing-pieces', "the info dictionary has no 'pieces' (the SHA-1 hash of each piece)", doc.start(info));
  }
  if (!doc.isBytes(piecesToken))
    ctx.fail('pieces-not-string', `'pieces' is ${ctx.aKind(piecesToken)}, not a string of 20-byte SHA-1 hashes`, doc.start(piecesToken));
  const size = doc.size(piecesToken);
  if (size % 20 !== 0) {
    ctx.fail(
      'pieces-length',
      `'pieces' is ${formatCount(size)} bytes long, not a multiple of 20 (each SHA-1 piece hash is 20 bytes)`,
      doc.start(piecesToken),
    );
  }
  const hashes = size / 20;
  if (v1.bigTotal !== undefined) {
    const needed = (v1.bigTotal + BigInt(pieceLength) - 1n) / BigInt(pieceLength);
    if (needed !== BigInt(hashes)) {
      ctx.fail(
        'pieces-count',
        `'pieces' holds ${formatCount(hashes)} piece hash${hashes === 1 ? '' : 'es'} but ${v1.bigTotal} bytes in pieces of ${pieceLength} need ${needed}`,
        doc.start(piecesToken),
      );
    }
    ctx.tooLarge(v1.bigTotal, piecesToken);
  }
  const needed = Math.ceil(v1.total / pieceLength);
  if (needed !== hashes) {
    ctx.fail(
      'pieces-count',
      `'pieces' holds ${formatCount(hashes)} piece hash${hashes === 1 ? '' : 'es'} but ${formatCount(v1.total)} bytes in pieces of ${formatCount(pieceLength)} need ${formatCount(needed)}`,
      doc.start(piecesToken),
    );
  }
  return hashes;
}
