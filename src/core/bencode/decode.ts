// Strict bencode (BEP 3) that keeps the byte span of every value.
//
// Why our own decoder: the info hash is the SHA-1/SHA-256 of the ORIGINAL bytes of the info dictionary,
// so we need spans, not re-encoding; hostile files must fail with a typed error and an offset, never a
// stack overflow or a huge allocation; dictionary keys are bytes, not JS property names.
//
// Why a "tape": a torrent with 100,000 files holds ~700,000 values. One object per value costs more than
// hashing the whole file; instead the decoder writes one row per value into flat typed arrays (kind, span,
// subtree end) in a single pass, and callers read values through token numbers, lazily.

import { bytesToBinary } from '../text/bytes';
import { BencodeWriter } from './writer';

export type BKind = 'int' | 'bytes' | 'list' | 'dict';

/** A value in a decoded document: the index of its row in the tape. The root is token 0. */
export type Token = number;

export type BencodeErrorCode =
  | 'empty'
  | 'not-bencode'
  | 'unexpected-end'
  | 'unexpected-byte'
  | 'invalid-integer'
  | 'integer-out-of-range'
  | 'invalid-string-length'
  | 'string-overrun'
  | 'key-not-string'
  | 'too-deep'
  | 'trailing-data';

export class BencodeError extends Error {
  override readonly name = 'BencodeError';
  constructor(
    readonly code: BencodeErrorCode,
    message: string,
    /** Offset of the byte where decoding failed. */
    readonly offset: number,
    /** What decoded before the failure (open containers end at `offset`), if anything did. */
    readonly partial?: BencodeDocument,
  ) {
    super(message);
  }
}

export type BencodeWarningCode = 'unsorted-key' | 'duplicate-key' | 'trailing-whitespace';

export interface BencodeWarning {
  code: BencodeWarningCode;
  message: string;
  offset: number;
}

export interface DecodeOptions {
  /**
   * Deepest nesting of lists and dictionaries accepted. The default is deeper than any real torrent needs (v2
   * file trees nest one level per directory) and far below the stack; peer messages, which nest a level or
   * two, ask for less.
   */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 256;
/** At most this many warnings are kept; the rest are counted in `warningsOmitted`. */
const MAX_WARNINGS = 100;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const K_INT = 0;
const K_BYTES = 1;
const K_LIST = 2;
const K_DICT = 3;
const KIND_NAMES: readonly BKind[] = ['int', 'bytes', 'list', 'dict'];

const C_d = 0x64;
const C_l = 0x6c;
const C_i = 0x69;
const C_e = 0x65;
const C_0 = 0x30;
const C_9 = 0x39;
const C_MINUS = 0x2d;
const C_COLON = 0x3a;

/**
 * What bytes that cannot be bencode look like, when they are clearly something else (a compressed file, a web
 * page, a magnet link saved as text): the message for them, or undefined. Needs the first 8 bytes at most.
 */
export function notBencodeLookalike(d: Uint8Array): string | undefined {
  const first = d[0];
  let what: string | undefined;
  if (first === 0x1f && d[1] === 0x8b) what = 'gzip-compressed data (starts with 1F 8B); decompress it first';
  else if (first === 0xef && d[1] === 0xbb && d[2] === 0xbf) what = 'text with a UTF-8 byte order mark (EF BB BF) before the data';
  else if (first === 0x3c) what = "an HTML or XML page, not a torrent (starts with '<')";
  else if (bytesToBinary(d, 0, Math.min(d.length, 8)).toLowerCase() === 'magnet:?')
    what = 'a magnet link saved as text, not a torrent file';
  return what === undefined ? undefined : `not bencode: this looks like ${what}`;
}

/** Names a byte for error messages: `'x' (0x78)` when printable, else `0x00`. */
export function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}' (${hex})` : hex;
}

/** A key (binary string) for messages: printable ASCII as is, anything else in hex. */
export function describeKey(key: string): string {
  return /^[\x20-\x7e]*$/.test(key) ? `'${key}'` : `<${[...key].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}>`;
}

/**
 * A decoded bencode document. Values are tokens (row numbers); the first child of a container is
 * `token + 1` and the value after a subtree is `next(token)`. In a dictionary, children alternate key, value.
 */
export class BencodeDocument {
  /** @internal */
  constructor(
    /** The decoded bytes; every span and byte string points into them. */
    readonly data: Uint8Array,
    /** Number of tokens. */
    readonly count: number,
    private readonly kinds: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    /** Bytes: offset of the first content byte. Containers: number of items (lists) or entries (dicts). */
    private readonly aux: Uint32Array,
    private readonly subtreeEnds: Uint32Array,
    /** Non-canonical but decodable input: unsorted or duplicate keys, trailing whitespace. */
    readonly warnings: BencodeWarning[],
    readonly warningsOmitted: number,
  ) {}

  readonly root: Token = 0;

  kind(t: Token): BKind {
    return KIND_NAMES[this.kinds[t]];
  }
  isInt(t: Token): boolean {
    return this.kinds[t] === K_INT;
  }
  isBytes(t: Token): boolean {
    return this.kinds[t] === K_BYTES;
  }
  isList(t: Token): boolean {
    return this.kinds[t] === K_LIST;
  }
  isDict(t: Token): boolean {
    return this.kinds[t] === K_DICT;
  }

  /** Offset of the value's first byte (its type letter or length prefix). */
  start(t: Token): number {
    return this.starts[t];
  }
  /** Offset just past the value's last byte. */
  end(t: Token): number {
    return this.ends[t];
  }
  /** The token after this value and everything inside it. */
  next(t: Token): Token {
    return this.subtreeEnds[t];
  }

  /** Byte strings: their length in bytes. Lists: items. Dictionaries: entries. Integers: 0. */
  size(t: Token): number {
    const k = this.kinds[t];
    if (k === K_BYTES) return this.ends[t] - this.aux[t];
    return k === K_INT ? 0 : this.aux[t];
  }

  /** Offset of a byte string's first content byte (after `length:`). */
  contentStart(t: Token): number {
    return this.kinds[t] === K_BYTES ? this.aux[t] : this.starts[t];
  }

  /** A byte string's bytes, as a view into `data`. */
  bytes(t: Token): Uint8Array {
    this.expect(t, K_BYTES);
    return this.data.subarray(this.aux[t], this.ends[t]);
  }

  /** A byte string as a binary (latin-1) string: exact, one code unit per byte. */
  binary(t: Token): string {
    this.expect(t, K_BYTES);
    return bytesToBinary(this.data, this.aux[t], this.ends[t]);
  }

  /** An integer: a `number` when it is a safe integer, otherwise an exact `bigint` (always within int64). */
  int(t: Token): number | bigint {
    this.expect(t, K_INT);
    const data = this.data;
    let p = this.starts[t] + 1;
    const stop = this.ends[t] - 1;
    const negative = data[p] === C_MINUS;
    if (negative) p++;
    if (stop - p <= 15) {
      let n = 0;
      for (; p < stop; p++) n = n * 10 + (data[p] - C_0);
      return negative ? -n : n;
    }
    const big = BigInt(bytesToBinary(data, this.starts[t] + 1, stop));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  /** The items of a list, or the alternating keys and values of a dictionary. */
  children(t: Token): Token[] {
    const out: Token[] = [];
    const stop = this.subtreeEnds[t];
    for (let c = t + 1; c < stop; c = this.subtreeEnds[c]) out.push(c);
    return out;
  }

  /** The entries of a dictionary as [key token, value token] pairs, in file order (duplicates included). */
  entries(t: Token): [key: Token, value: Token][] {
    this.expect(t, K_DICT);
    const out: [Token, Token][] = [];
    const stop = this.subtreeEnds[t];
    for (let k = t + 1; k < stop;) {
      const v = this.subtreeEnds[k];
      if (v >= stop) break; // a partial document can end after a key
      out.push([k, v]);
      k = this.subtreeEnds[v];
    }
    return out;
  }

  /** The value of the first entry whose key equals `key` (a binary string), or -1. Clients take the first of duplicates. */
  get(dict: Token, key: string): Token {
    if (this.kinds[dict] !== K_DICT) return -1;
    const stop = this.subtreeEnds[dict];
    for (let k = dict + 1; k < stop;) {
      const v = this.subtreeEnds[k];
      if (v >= stop) return -1;
      if (this.keyEquals(k, key)) return v;
      k = this.subtreeEnds[v];
    }
    return -1;
  }

  /** Whether a byte-string token holds exactly the bytes of `key` (a binary string). */
  keyEquals(t: Token, key: string): boolean {
    const start = this.aux[t];
    if (this.kinds[t] !== K_BYTES || this.ends[t] - start !== key.length) return false;
    const data = this.data;
    for (let i = 0; i < key.length; i++) if (data[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private expect(t: Token, kind: number): void {
    if (this.kinds[t] !== kind || t < 0 || t >= this.count) {
      throw new TypeError(`bencode token ${t} is a ${KIND_NAMES[this.kinds[t]] ?? 'missing value'}, not a ${KIND_NAMES[kind]}`);
    }
  }
}

/** Decodes exactly one bencoded value that fills `data` (trailing whitespace only is tolerated, with a warning). */
export function decode(data: Uint8Array, options: DecodeOptions = {}): BencodeDocument {
  return new Decoder(data, options.maxDepth ?? DEFAULT_MAX_DEPTH).run();
}

class Decoder {
  private pos = 0;
  private count = 0;
  private capacity: number;
  private kinds: Uint8Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private aux: Uint32Array;
  private subtreeEnds: Uint32Array;
  /** Open containers, innermost last. */
  private readonly stack: Int32Array;
  private depth = 0;
  /** Per open dictionary: the token of its last key (for the order check) and whether a key awaits its value. */
  private readonly lastKey: Int32Array;
  private readonly keyPending: Uint8Array;
  private readonly warnings: BencodeWarning[] = [];
  private warningsOmitted = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly maxDepth: number,
  ) {
    // A value takes at least 2 bytes ("0:", "le"), so data.length / 2 + 1 rows always suffice; start
    // smaller, since torrents are mostly long byte strings, and grow by doubling.
    this.capacity = Math.min((data.length >>> 1) + 1, Math.max(64, data.length >>> 5));
    this.kinds = new Uint8Array(this.capacity);
    this.starts = new Uint32Array(this.capacity);
    this.ends = new Uint32Array(this.capacity);
    this.aux = new Uint32Array(this.capacity);
    this.subtreeEnds = new Uint32Array(this.capacity);
    this.stack = new Int32Array(maxDepth + 1);
    this.lastKey = new Int32Array(maxDepth + 1);
    this.keyPending = new Uint8Array(maxDepth + 1);
  }

  run(): BencodeDocument {
    const data = this.data;
    if (data.length > 0xffffffff) throw new BencodeError('string-overrun', 'file too large (over 4 GiB) to be a torrent', 0);
    if (data.length === 0) throw new BencodeError('empty', 'empty file: no bencoded value', 0);
    this.checkLooksLikeBencode();
    const length = data.length;

    do {
      if (this.depth > 0) {
        const level = this.depth - 1;
        if (this.pos >= length) this.failUnterminated();
        const b = data[this.pos];
        if (b === C_e) {
          if (this.keyPending[level] === 1) {
            const key = this.lastKey[level];
            this.fail('unexpected-byte', `dictionary key ${describeKey(this.keyText(key))} at byte ${this.starts[key]} has no value`);
          }
          const t = this.stack[level];
          this.ends[t] = ++this.pos;
          this.subtreeEnds[t] = this.count;
          this.depth--;
          continue;
        }
        const container = this.stack[level];
        if (this.kinds[container] === K_LIST) {
          this.readValue();
          this.aux[container]++;
        } else if (this.keyPending[level] === 0) {
          this.readKey(level, container);
        } else {
          this.readValue();
          this.keyPending[level] = 0;
        }
        continue;
      }
      this.readValue();
    } while (this.depth > 0);

    return this.finish();
  }

  private finish(): BencodeDocument {
    const data = this.data;
    if (this.pos < data.length) {
      let whitespaceOnly = true;
      for (let i = this.pos; i < data.length; i++) {
        const b = data[i];
        if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) {
          whitespaceOnly = false;
          break;
        }
      }
      const count = data.length - this.pos;
      const bytes = `${count} byte${count === 1 ? '' : 's'}`;
      if (!whitespaceOnly) this.fail('trailing-data', `${bytes} of trailing data after the end of the root value (byte ${this.pos})`);
      // Text tools append a newline; libtorrent and Transmission load such files, so we do too, and say so.
      this.warn('trailing-whitespace', `${bytes} of whitespace after the root value (byte ${this.pos}), ignored`, this.pos);
    }
    return this.document();
  }

  private document(): BencodeDocument {
    return new BencodeDocument(
      this.data,
      this.count,
      this.kinds,
      this.starts,
      this.ends,
      this.aux,
      this.subtreeEnds,
      this.warnings,
      this.warningsOmitted,
    );
  }

  /** Gives files that are clearly something else a message that says what they look like. */
  private checkLooksLikeBencode(): void {
    const first = this.data[0];
    if ((first >= C_0 && first <= C_9) || first === C_d || first === C_l || first === C_i) return;
    const lookalike = notBencodeLookalike(this.data);
    if (lookalike !== undefined) throw new BencodeError('not-bencode', lookalike, 0);
  }

  private newToken(kind: number, start: number): number {
    if (this.count === this.capacity) this.grow();
    const t = this.count++;
    this.kinds[t] = kind;
    this.starts[t] = start;
    return t;
  }

  private grow(): void {
    this.capacity = Math.min(this.capacity * 2, (this.data.length >>> 1) + 2);
    const grow = <T extends Uint8Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(this.capacity);
      next.set(old);
      return next;
    };
    this.kinds = grow(this.kinds, (n) => new Uint8Array(n));
    this.starts = grow(this.starts, (n) => new Uint32Array(n));
    this.ends = grow(this.ends, (n) => new Uint32Array(n));
    this.aux = grow(this.aux, (n) => new Uint32Array(n));
    this.subtreeEnds = grow(this.subtreeEnds, (n) => new Uint32Array(n));
  }

  private readKey(level: number, dict: number): void {
    const data = this.data;
    const b = data[this.pos];
    if (b < C_0 || b > C_9) {
      const kind = b === C_i ? 'an integer' : b === C_l ? 'a list' : b === C_d ? 'a dictionary' : `byte ${describeByte(b)}`;
      this.fail('key-not-string', `dictionary key at byte ${this.pos} is not a string (found ${kind})`);
    }
    const key = this.readString();
    this.aux[dict]++;
    const previous = this.lastKey[level];
    if (previous >= 0) {
      const order = this.compareKeys(key, previous);
      if (order === 0) {
        this.warn(
          'duplicate-key',
          `duplicate key ${describeKey(this.keyText(key))} in dictionary at byte ${this.starts[dict]}`,
          this.starts[key],
        );
      } else if (order < 0) {
        this.warn(
          'unsorted-key',
          `key ${describeKey(this.keyText(key))} comes after ${describeKey(this.keyText(previous))} in dictionary at byte ${this.starts[dict]}: keys are not sorted`,
          this.starts[key],
        );
      }
    }
    this.lastKey[level] = key;
    this.keyPending[level] = 1;
    if (this.pos >= data.length) {
      this.fail(
        'unexpected-end',
        `unexpected end of data after key ${describeKey(this.keyText(key))} (byte ${this.starts[key]}): the value is missing`,
      );
    }
  }

  private keyText(t: number): string {
    return bytesToBinary(this.data, this.aux[t], this.ends[t]);
  }

  /** Compares two byte-string tokens in raw byte order. */
  private compareKeys(a: number, b: number): number {
    const data = this.data;
    const aStart = this.aux[a];
    const bStart = this.aux[b];
    const aLength = this.ends[a] - aStart;
    const bLength = this.ends[b] - bStart;
    const n = Math.min(aLength, bLength);
    for (let i = 0; i < n; i++) {
      const diff = data[aStart + i] - data[bStart + i];
      if (diff !== 0) return diff;
    }
    return aLength - bLength;
  }

  private readValue(): void {
    const b = this.data[this.pos];
    if (b >= C_0 && b <= C_9) {
      this.readString();
    } else if (b === C_i) {
      this.readInteger();
    } else if (b === C_l || b === C_d) {
      if (this.depth >= this.maxDepth) this.fail('too-deep', `nesting deeper than ${this.maxDepth} levels at byte ${this.pos}`);
      const t = this.newToken(b === C_l ? K_LIST : K_DICT, this.pos);
      this.aux[t] = 0;
      this.pos++;
      this.stack[this.depth] = t;
      this.lastKey[this.depth] = -1;
      this.keyPending[this.depth] = 0;
      this.depth++;
    } else if (b === C_MINUS) {
      this.fail('invalid-string-length', `invalid string length at byte ${this.pos}: a length cannot be negative`);
    } else {
      this.fail('unexpected-byte', `unexpected byte ${describeByte(b)} at byte ${this.pos}: expected a value (i, l, d or a string length)`);
    }
  }

  private readInteger(): void {
    const data = this.data;
    const start = this.pos;
    let p = start + 1;
    const negative = data[p] === C_MINUS;
    if (negative) p++;
    const digitsStart = p;
    while (p < data.length && data[p] >= C_0 && data[p] <= C_9) p++;
    const digitCount = p - digitsStart;
    if (p >= data.length) {
      this.pos = p;
      this.fail('unexpected-end', `unexpected end of data inside the integer at byte ${start}: it has no closing 'e'`);
    }
    if (data[p] !== C_e) {
      this.pos = p;
      this.fail('invalid-integer', `invalid integer at byte ${start}: unexpected ${describeByte(data[p])} at byte ${p}`);
    }
    if (digitCount === 0) this.fail('invalid-integer', `invalid integer at byte ${start}: no digits`);
    if (data[digitsStart] === C_0 && (digitCount > 1 || negative)) {
      this.fail(
        'invalid-integer',
        negative && digitCount === 1
          ? `invalid integer at byte ${start}: -0 is not allowed`
          : `invalid integer at byte ${start}: leading zero`,
      );
    }
    if (digitCount >= 19) {
      const big = BigInt(bytesToBinary(data, start + 1, p));
      if (big > INT64_MAX || big < INT64_MIN) this.fail('integer-out-of-range', `integer at byte ${start} does not fit in 64 bits`);
    }
    const t = this.newToken(K_INT, start);
    this.pos = p + 1;
    this.ends[t] = this.pos;
    this.subtreeEnds[t] = this.count;
  }

  /** Reads `<length>:<bytes>` at pos into a new token and moves past it. */
  private readString(): number {
    const data = this.data;
    const start = this.pos;
    let p = start;
    let length = 0;
    while (p < data.length) {
      const b = data[p];
      if (b < C_0 || b > C_9) break;
      length = length * 10 + (b - C_0);
      p++;
    }
    const digitCount = p - start;
    if (p >= data.length) this.fail('unexpected-end', `unexpected end of data inside the string length at byte ${start}`);
    if (data[p] !== C_COLON) {
      this.pos = p;
      this.fail(
        'invalid-string-length',
        `invalid string length at byte ${start}: expected ':' after the digits, found ${describeByte(data[p])} at byte ${p}`,
      );
    }
    if (data[start] === C_0 && digitCount > 1) this.fail('invalid-string-length', `invalid string length at byte ${start}: leading zero`);
    const remaining = data.length - (p + 1);
    // More digits than any buffer has bytes: no wrap-around, no allocation.
    if (digitCount > 15) {
      this.fail(
        'string-overrun',
        `string length at byte ${start} (${digitCount} digits) is larger than the ${remaining} bytes that remain`,
      );
    }
    if (length > remaining) {
      this.fail('string-overrun', `string of length ${length} at byte ${start} runs past the end of the data (${remaining} bytes remain)`);
    }
    const t = this.newToken(K_BYTES, start);
    this.aux[t] = p + 1;
    this.pos = p + 1 + length;
    this.ends[t] = this.pos;
    this.subtreeEnds[t] = this.count;
    return t;
  }

  private failUnterminated(): never {
    const t = this.stack[this.depth - 1];
    const what = this.kinds[t] === K_LIST ? 'list' : 'dictionary';
    this.fail('unexpected-end', `unexpected end of data: the ${what} opened at byte ${this.starts[t]} is not closed`);
  }

  private warn(code: BencodeWarningCode, message: string, offset: number): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ code, message, offset });
    else this.warningsOmitted++;
  }

  private fail(code: BencodeErrorCode, message: string): never {
    // Close what is open so callers can still show the part that decoded.
    for (let level = 0; level < this.depth; level++) {
      const t = this.stack[level];
      this.ends[t] = this.pos;
      this.subtreeEnds[t] = this.count;
      if (this.kinds[t] === K_DICT && this.keyPending[level] === 1) this.aux[t]--;
    }
    throw new BencodeError(code, message, this.pos, this.count > 0 ? this.document() : undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** What `encode` accepts: byte strings as Uint8Array or JS strings (UTF-8), dictionaries as Map or object. */
export type Encodable =
  number | bigint | string | Uint8Array | Encodable[] | Map<string | Uint8Array, Encodable> | { [key: string]: Encodable | undefined };

/**
 * Encodes canonically: dictionary keys sorted by their raw bytes (not by UTF-16 code units, which
 * disagree for characters beyond the BMP), integers without leading zeros. `undefined` fields are skipped.
 */
export function encode(value: Encodable): Uint8Array {
  const writer = new BencodeWriter();
  writeValue(writer, value, 0);
  return writer.result();
}

const textEncoder = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function writeValue(w: BencodeWriter, value: Encodable, depth: number): void {
  if (depth > DEFAULT_MAX_DEPTH) throw new Error('encode: nesting too deep');
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`encode: ${value} is not a safe integer`);
    w.ascii(`i${value}e`);
  } else if (typeof value === 'bigint') {
    w.ascii(`i${value}e`);
  } else if (typeof value === 'string') {
    w.bytes(textEncoder.encode(value));
  } else if (value instanceof Uint8Array) {
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.ascii('l');
    for (const item of value) writeValue(w, item, depth + 1);
    w.ascii('e');
  } else {
    const pairs: [Uint8Array, Encodable][] = [];
    const source = value instanceof Map ? value.entries() : Object.entries(value);
    for (const [key, item] of source) {
      if (item !== undefined) pairs.push([typeof key === 'string' ? textEncoder.encode(key) : key, item]);
    }
    pairs.sort((a, b) => compareBytes(a[0], b[0]));
    w.ascii('d');
    for (const [key, item] of pairs) {
      w.bytes(key);
      writeValue(w, item, depth + 1);
    }
    w.ascii('e');
  }
}
