// The fields of the info dictionary besides the files: `meta version` (BEP 52), `piece length`, `name`
// (and `name.utf-8`) and `private` (BEP 27). They are covered by the info hash, so a defect here is
// either fatal or a warning that says what libtorrent makes of it.

import type { Token } from '../bencode/decode';
import { bytesEqual, displayText } from '../text/bytes';
import { checkElement, ElementScan, quoteBytes } from './paths';
import type { ReadContext } from './read-context';
import type { TorrentText } from './types';
import { formatCount } from '../../shared/format';

/** libtorrent's limit (INT_MAX / 2), kept so piece arithmetic has headroom. */
const MAX_PIECE_LENGTH = 0x3fffffff;
/** BEP 52: v2 piece length is a power of two, at least 16 KiB. */
const MIN_V2_PIECE_LENGTH = 16384;

/** BEP 52 `meta version`: 2, an older number (read as v1), or undefined when absent or not an integer. */
export function readMetaVersion(ctx: ReadContext, token: Token): number | undefined {
  const doc = ctx.doc;
  if (token < 0) return undefined;
  if (!doc.isInt(token)) {
    ctx.warn(
      'meta-version-invalid',
      `'meta version' is ${ctx.aKind(token)}, not an integer; ignored, so this is read as a v1 torrent (as libtorrent does)`,
      token,
      'info.meta version',
    );
    return undefined;
  }
  const value = doc.int(token);
  if (typeof value === 'bigint' || value > 2) {
    ctx.fail(
      'meta-version-unsupported',
      `unsupported 'meta version' ${value}: BEP 52 defines version 2 (libtorrent refuses other versions)`,
      doc.start(token),
    );
  }
  if (value < 2)
    ctx.note('meta-version-old', `'meta version' ${value} is not 2, so this is read as a v1 torrent`, token, 'info.meta version');
  return value;
}

export function readPieceLength(ctx: ReadContext, info: Token, token: Token, isV2: boolean): number {
  const doc = ctx.doc;
  if (token < 0) ctx.fail('missing-piece-length', "the info dictionary has no 'piece length'", doc.start(info));
  if (!doc.isInt(token)) ctx.fail('piece-length-not-integer', `'piece length' is ${ctx.aKind(token)}, not an integer`, doc.start(token));
  const value = doc.int(token);
  if (typeof value !== 'bigint' && value <= 0) {
    ctx.fail('piece-length-invalid', `'piece length' is ${value}: it must be positive`, doc.start(token));
  }
  if (typeof value === 'bigint' || value > MAX_PIECE_LENGTH) {
    ctx.fail(
      'piece-length-too-large',
      `'piece length' ${value} is out of range: libtorrent refuses more than ${formatCount(MAX_PIECE_LENGTH)} bytes (1 GiB), and clients that use 32-bit arithmetic break on it`,
      doc.start(token),
    );
  }
  const powerOfTwo = (value & (value - 1)) === 0;
  if (isV2 && (!powerOfTwo || value < MIN_V2_PIECE_LENGTH)) {
    ctx.fail(
      'piece-length-invalid',
      `'piece length' ${value} is not valid for a v2 torrent: BEP 52 requires a power of two of at least 16 KiB (libtorrent refuses it)`,
      doc.start(token),
    );
  }
  if (!powerOfTwo) {
    ctx.warn(
      'piece-length-not-power-of-two',
      `'piece length' ${formatCount(value)} is not a power of two; BEP 3 allows it, but most clients create only powers of two`,
      token,
      'info.piece length',
    );
  } else if (value < MIN_V2_PIECE_LENGTH) {
    ctx.note(
      'piece-length-small',
      `'piece length' ${value} bytes is unusually small (clients create 16 KiB or more)`,
      token,
      'info.piece length',
    );
  }
  return value;
}

/** The torrent's name: `text` as shown, from `name.utf-8` when usable (as libtorrent does), `raw` the `name` bytes then. */
export interface TorrentName {
  text: TorrentText;
  raw?: TorrentText;
  /** `name` (or `name.utf-8` when there is no `name`): the name as stored. */
  token: Token;
  /** The string shown: `name.utf-8` or `name`. */
  shownToken: Token;
  /** Where the shown string is: `info.name` or `info.name.utf-8`. */
  location: string;
}

export function readName(ctx: ReadContext, info: Token, nameToken: Token, utf8Token: Token): TorrentName {
  const doc = ctx.doc;
  if (nameToken >= 0 && !doc.isBytes(nameToken))
    ctx.fail('name-not-string', `'name' is ${ctx.aKind(nameToken)}, not a string`, doc.start(nameToken));
  let shown = nameToken;
  if (utf8Token >= 0) {
    if (!doc.isBytes(utf8Token)) {
      ctx.warn('name-utf8-invalid', `'name.utf-8' is ${ctx.aKind(utf8Token)}, not a string; ignored`, utf8Token, 'info.name.utf-8');
    } else if (doc.size(utf8Token) > 0 || nameToken < 0) {
      shown = utf8Token;
    }
  }
  if (shown < 0) {
    ctx.fail(
      'missing-name',
      "the info dictionary has no 'name' (libtorrent refuses the torrent; Transmission names it after the .torrent file)",
      doc.start(info),
    );
  }
  const location = shown === utf8Token ? 'info.name.utf-8' : 'info.name';
  // An empty name is reported once the files say what it would name (reportEmptyName).
  if (doc.size(shown) > 0) checkElement(ctx, shown, 'name', location, new ElementScan());
  const text = displayText(doc.bytes(shown));
  let raw: TorrentText | undefined;
  if (shown === utf8Token && nameToken >= 0 && !bytesEqual(doc.bytes(nameToken), doc.bytes(utf8Token))) {
    raw = displayText(doc.bytes(nameToken));
    ctx.note(
      'name-utf8-key',
      `the name shown comes from 'name.utf-8' (as libtorrent reads it); 'name' holds other bytes: ${quoteBytes(ctx.data, doc.contentStart(nameToken), doc.end(nameToken))}`,
      utf8Token,
      'info.name.utf-8',
    );
  }
  return { text, raw, token: nameToken >= 0 ? nameToken : utf8Token, shownToken: shown, location };
}

/**
 * An empty name, reported once the files are read: libtorrent refuses a v1 torrent of one file without
 * a name, names a v2 torrent's one file after its file tree entry, and calls a folder '_'.
 */
export function reportEmptyName(ctx: ReadContext, name: TorrentName, names: 'v1 file' | 'v2 file' | 'folder'): void {
  const message =
    names === 'v1 file'
      ? "'name' is empty: there is nothing to call the file (libtorrent refuses the torrent; Transmission names it after the .torrent file)"
      : names === 'v2 file'
        ? "'name' is empty; libtorrent names the file after its file tree entry instead"
        : "'name' is empty: there is nothing to call the folder (libtorrent calls the folder '_'; Transmission names it after the .torrent file)";
  ctx.warn('empty-name', message, name.shownToken, name.location);
}

/** BEP 27: private when a non-zero integer, as libtorrent reads it. */
export function readPrivate(ctx: ReadContext, token: Token): boolean {
  const doc = ctx.doc;
  if (token < 0) return false;
  if (!doc.isInt(token)) {
    const shown = doc.isBytes(token) ? ` (${quoteBytes(ctx.data, doc.contentStart(token), doc.end(token))})` : '';
    ctx.warn(
      'private-not-integer',
      `'private' is ${ctx.aKind(token)}${shown}, not an integer: libtorrent reads the torrent as NOT private, so it uses DHT and peer exchange`,
      token,
      'info.private',
    );
    return false;
  }
  const value = doc.int(token);
  if (value !== 0 && value !== 1) {
    ctx.warn(
      'private-unusual',
      `'private' is ${value}; BEP 27 uses 1. libtorrent and Transmission treat any non-zero value as private`,
      token,
      'info.private',
    );
  }
  return value !== 0;
}
