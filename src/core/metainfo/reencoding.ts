// What other tools compute when they decode the info dictionary and encode it again before hashing it,
// instead of hashing its original bytes: whether that changes anything (the dictionary is canonical, or
// npm `bencode` would spell or order no key differently), and the SHA-1 they get when it does. A torrent
// whose re-encoded hash differs is one that such tools put in a different swarm.

import { createHash } from 'node:crypto';
import type { BencodeDocument, Token } from '../bencode/decode';
import { toHex, utf8Encode } from '../text/bytes';
import { isValidUtf8 } from './paths';
import type { Metainfo } from './types';

/** How a tool that decodes and re-encodes a dictionary orders and spells its keys. */
export type ReencodingStyle =
  /** Keys as bytes, sorted by bytes, the last of duplicates kept (a map keyed by bytes). */
  | 'bytes'
  /** The npm `bencode` package: keys as UTF-8 text (hex when not valid), no `__proto__`, sorted by UTF-16 code units. */
  | 'npm';

/** False when re-encoding the info dictionary would change its bytes (unsorted or duplicate keys). */
export function isInfoCanonical(doc: BencodeDocument, info: Token, span: { start: number; end: number }): boolean {
  for (const w of doc.warnings) {
    if ((w.code === 'unsorted-key' || w.code === 'duplicate-key') && w.offset > span.start && w.offset < span.end) return false;
  }
  // The decoder keeps a bounded number of warnings; when some were dropped, check the info subtree itself.
  if (doc.warningsOmitted === 0) return true;
  const stop = doc.next(info);
  for (let t = info; t < stop; t++) {
    if (!doc.isDict(t)) continue;
    let previous = -1;
    const end = doc.next(t);
    for (let k = t + 1; k < end;) {
      const v = doc.next(k);
      if (v >= end) break;
      if (previous >= 0 && compareKeyTokens(doc, previous, k) >= 0) return false;
      previous = k;
      k = doc.next(v);
    }
  }
  return true;
}

function compareKeyTokens(doc: BencodeDocument, a: Token, b: Token): number {
  const data = doc.data;
  const aStart = doc.contentStart(a);
  const bStart = doc.contentStart(b);
  const aLength = doc.end(a) - aStart;
  const bLength = doc.end(b) - bStart;
  const n = Math.min(aLength, bLength);
  for (let i = 0; i < n; i++) {
    const diff = data[aStart + i] - data[bStart + i];
    if (diff !== 0) return diff;
  }
  return aLength - bLength;
}

/**
 * Whether npm `bencode` may spell or order some key of the info dictionary differently from its bytes.
 * The file list and the file tree are the large subtrees: each is searched only when its reader saw a key
 * that could be one (`mayHide`).
 */
export function npmMayReencodeInfo(
  doc: BencodeDocument,
  info: Token,
  files: { token: Token; mayHide: boolean },
  tree: { token: Token; mayHide: boolean },
): boolean {
  if (hasNpmKeyHazard(doc, info, true)) return true;
  for (const [, v] of doc.entries(info)) {
    if (v === files.token ? files.mayHide : v === tree.token ? tree.mayHide : doc.isDict(v) || doc.isList(v)) {
      if (hasNpmKeyHazard(doc, v)) return true;
    }
  }
  return false;
}

/**
 * Once `infoHash.v1` is known: keeps `webtorrentInfoHashV1` only when it differs, and says so when it also
 * differs from what byte-order re-encoders compute (which the non-canonical warning already names).
 */
export function settleReencodedHashes(m: Metainfo): void {
  const npm = m.webtorrentInfoHashV1;
  if (npm === undefined) return;
  if (npm === m.infoHash.v1) {
    delete m.webtorrentInfoHashV1;
    return;
  }
  if (npm === m.reencodedInfoHashV1) return;
  m.diagnostics.push({
    severity: 'warning',
    code: 'reencoding-differs',
    message:
      `tools built on the npm bencode package (parse-torrent, WebTorrent) compute the info hash ${npm} for this torrent, not ${m.infoHash.v1}: ` +
      'they read dictionary keys as UTF-8 text (turning invalid ones into hex), lose a __proto__ key and sort keys by UTF-16 code units before hashing, so they join a different swarm',
    offset: m.document.start(m.info),
    location: 'info',
  });
}

const lenientUtf8 = new TextDecoder();

/** The key as npm `bencode` reads it. */
function npmKeyText(bytes: Uint8Array): string {
  const text = lenientUtf8.decode(bytes);
  return text.includes('\ufffd') ? toHex(bytes) : text;
}

/**
 * The SHA-1 that a tool which decodes the info dictionary and re-encodes it computes. Only needed when
 * that differs from the hash of the original bytes, which is rare: this allocates per key.
 */
export function reencodedSha1(doc: BencodeDocument, info: Token, style: ReencodingStyle = 'bytes'): string {
  const hash = createHash('sha1');
  const data = doc.data;
  const chunk = new Uint8Array(65536);
  let used = 0;
  const flush = () => {
    hash.update(chunk.subarray(0, used));
    used = 0;
  };
  const write = (bytes: Uint8Array) => {
    if (bytes.length > chunk.length - used) {
      flush();
      if (bytes.length > chunk.length) {
        hash.update(bytes);
        return;
      }
    }
    chunk.set(bytes, used);
    used += bytes.length;
  };
  const ascii = (text: string) => write(utf8Encode(text));
  // Depth is bounded by the decoder (MAX_DEPTH in bencode/decode.ts), so recursion is safe here.
  const value = (t: Token): void => {
    if (doc.isDict(t)) {
      const byKey = new Map<string, [Uint8Array, Token]>();
      for (const [k, v] of doc.entries(t)) {
        if (style === 'bytes') {
          byKey.set(doc.binary(k), [data.subarray(doc.start(k), doc.end(k)), v]);
        } else {
          const text = npmKeyText(doc.bytes(k));
          // `object['__proto__'] = value` sets the prototype instead of a key: the key is lost.
          if (text === '__proto__') continue;
          const bytes = utf8Encode(text);
          byKey.set(text, [concatBytes(utf8Encode(`${bytes.length}:`), bytes), v]);
        }
      }
      const keys = [...byKey.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      ascii('d');
      for (const key of keys) {
        const [encodedKey, v] = byKey.get(key) as [Uint8Array, Token];
        write(encodedKey);
        value(v);
      }
      ascii('e');
    } else if (doc.isList(t)) {
      ascii('l');
      const stop = doc.next(t);
      for (let c = t + 1; c < stop; c = doc.next(c)) value(c);
      ascii('e');
    } else {
      write(data.subarray(doc.start(t), doc.end(t)));
    }
  };
  value(info);
  flush();
  return hash.digest('hex');
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Whether npm `bencode` would re-encode some dictionary under `t` differently from its bytes: a key that
 * is not valid UTF-8, a `__proto__` key, or keys whose UTF-16 order differs from their byte order.
 */
function hasNpmKeyHazard(doc: BencodeDocument, t: Token, topLevelOnly = false): boolean {
  const stop = topLevelOnly ? t + 1 : doc.next(t);
  const data = doc.data;
  for (let d = t; d < stop; d++) {
    if (!doc.isDict(d)) continue;
    let previous: string | undefined;
    const end = doc.next(d);
    for (let k = d + 1; k < end;) {
      const v = doc.next(k);
      if (v >= end) break;
      let ascii = true;
      for (let i = doc.contentStart(k); i < doc.end(k) && ascii; i++) ascii = data[i] < 0x80;
      const text = ascii ? doc.binary(k) : npmKeyText(doc.bytes(k));
      if (text === '__proto__' || (!ascii && !isValidUtf8(data, doc.contentStart(k), doc.end(k)))) return true;
      if (previous !== undefined && previous > text) return true;
      previous = text;
      k = doc.next(v);
    }
  }
  return false;
}
