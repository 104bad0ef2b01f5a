// The peer wire protocol's framing (BEP 3), with the message ids of the fast extension (BEP 6), the extension
// protocol (BEP 10) and v2 hash transfer (BEP 52). Pure: bytes in, messages out, so it is tested without sockets.
//
// A peer is hostile input. The reader checks a message's length prefix against a per-type limit before it
// keeps a byte of the body (a 4 GB prefix is refused at once, not buffered), fixed-size messages must have
// their size, and the buffer never holds more than one message under its limit plus what one read delivered.

export const PROTOCOL_NAME = 'BitTorrent protocol';
export const HANDSHAKE_BYTES = 68;

export const MESSAGE = {
  choke: 0,
  unchoke: 1,
  interested: 2,
  notInterested: 3,
  have: 4,
  bitfield: 5,
  request: 6,
  piece: 7,
  cancel: 8,
  port: 9,
  suggestPiece: 13,
  haveAll: 14,
  haveNone: 15,
  rejectRequest: 16,
  allowedFast: 17,
  extended: 20,
  hashRequest: 21,
  hashes: 22,
  hashReject: 23,
} as const;

/** The reserved bits of the handshake: [byte, mask] (BEP 3 counts bytes from 0). */
export const RESERVED_BITS = {
  /** BEP 5: the peer runs a DHT node (and may send `port`). */
  dht: [7, 0x01],
  /** BEP 6: the fast extension (have all, have none, reject, allowed fast, suggest). */
  fast: [7, 0x04],
  /** BEP 52: the peer can switch a hybrid torrent to v2 (the "upgrade" bit). */
  v2: [7, 0x10],
  /** BEP 10: the extension protocol. */
  extensionProtocol: [5, 0x10],
} as const satisfies Record<string, readonly [number, number]>;

export type ReservedFlag = keyof typeof RESERVED_BITS;

export function hasReservedBit(reserved: Uint8Array, flag: ReservedFlag): boolean {
  const [byte, mask] = RESERVED_BITS[flag];
  return (reserved[byte] & mask) !== 0;
}

export function reservedBytes(flags: ReservedFlag[]): Uint8Array {
  const out = new Uint8Array(8);
  for (const flag of flags) out[RESERVED_BITS[flag][0]] |= RESERVED_BITS[flag][1];
  return out;
}

export interface Handshake {
  reserved: Uint8Array;
  infoHash: Uint8Array;
  peerId: Uint8Array;
}

export function encodeHandshake(h: Handshake): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_BYTES);
  out[0] = PROTOCOL_NAME.length;
  for (let i = 0; i < PROTOCOL_NAME.length; i++) out[1 + i] = PROTOCOL_NAME.charCodeAt(i);
  out.set(h.reserved, 20);
  out.set(h.infoHash, 28);
  out.set(h.peerId, 48);
  return out;
}

/** A message on the wire: 4-byte big-endian length, the id, the payload. */
export function encodeMessage(id: number, payload: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  new DataView(out.buffer).setUint32(0, 1 + payload.length);
  out[4] = id;
  out.set(payload, 5);
  return out;
}

/** A BEP 10 message: `extended`, the extension's id (0 is the handshake), its payload. */
export function encodeExtended(extensionId: number, payload: Uint8Array): Uint8Array {
  const body = new Uint8Array(1 + payload.length);
  body[0] = extensionId;
  body.set(payload, 1);
  return encodeMessage(MESSAGE.extended, body);
}

export const KEEP_ALIVE = new Uint8Array(4);
const EMPTY = new Uint8Array(0);

export type WireMessage =
  | { type: 'keep-alive' }
  | { type: 'choke' | 'unchoke' | 'interested' | 'not-interested' | 'have-all' | 'have-none' }
  | { type: 'have'; piece: number }
  | { type: 'bitfield'; bits: Uint8Array }
  | { type: 'extended'; extensionId: number; payload: Uint8Array }
  | { type: 'hash-request' | 'hash-reject'; request: HashRequest }
  /** BEP 52 `hashes`: the header of the request it answers, then the base-layer hashes and the proof hashes. */
  | { type: 'hashes'; request: HashRequest; hashes: Uint8Array }
  /** Any other message (requests, blocks, hashes, suggest …): we do not act on them; only their size is kept. */
  | { type: 'other'; id: number; length: number };

export class WireError extends Error {
  override readonly name = 'WireError';
}

export interface WireLimits {
  /** The exact bitfield length when the piece count is known, else the most accepted. */
  bitfieldBytes: { exact: number } | { max: number };
  /** Largest BEP 10 message (the extension handshake, a 16 KiB metadata block with its header). */
  maxExtendedBytes: number;
  /** Largest message of any other kind (a block) — read and dropped. */
  maxOtherBytes: number;
  /**
   * Largest BEP 52 `hashes` message (its length prefix); `maxOtherBytes` when absent. Whoever asks for hashes sets
   * it to what its request allows, so a longer answer is refused from its length prefix on.
   */
  maxHashesBytes?: number;
}

/** A BEP 52 hash request (and the header of `hashes` and `hash reject`, which repeat it). */
export interface HashRequest {
  /** The file's `pieces root`, 32 bytes. */
  piecesRoot: Uint8Array;
  /** The layer the hashes are of, counted up from the 16 KiB blocks (0); the piece layer is log2(piece length / 16 KiB). */
  baseLayer: number;
  /** The first hash's index in that layer. */
  index: number;
  /** How many hashes of that layer. */
  length: number;
  /** How many layers above the base the proof (uncle) hashes reach. */
  proofLayers: number;
}

/** The payload of `hash request` and `hash reject`, and the header of `hashes`. */
export const HASH_REQUEST_PAYLOAD = 48;

/** A BEP 52 `hash request` message. */
export function encodeHashRequest(request: HashRequest): Uint8Array {
  return encodeMessage(MESSAGE.hashRequest, hashRequestHeader(request));
}

/** The 48 bytes that `hash request`, `hashes` and `hash reject` start with. */
export function hashRequestHeader(request: HashRequest): Uint8Array {
  if (request.piecesRoot.length !== 32) throw new TypeError('a pieces root is 32 bytes');
  const out = new Uint8Array(HASH_REQUEST_PAYLOAD);
  out.set(request.piecesRoot, 0);
  const view = new DataView(out.buffer);
  view.setUint32(32, request.baseLayer);
  view.setUint32(36, request.index);
  view.setUint32(40, request.length);
  view.setUint32(44, request.proofLayers);
  return out;
}

function readHashRequest(b: Uint8Array, at: number): HashRequest {
  return {
    piecesRoot: b.slice(at, at + 32),
    baseLayer: readUint32(b, at + 32),
    index: readUint32(b, at + 36),
    length: readUint32(b, at + 40),
    proofLayers: readUint32(b, at + 44),
  };
}

/** Room for a 16 KiB metadata block, its bencoded header and a generous extension handshake. */
export const DEFAULT_MAX_EXTENDED_BYTES = 16 * 1024 + 16 * 1024;
/** A 16 KiB block with room for clients that send 128 KiB blocks. */
export const DEFAULT_MAX_OTHER_BYTES = 128 * 1024 + 13;

/** Payload sizes of the fixed-size messages (the id byte excluded). */
const FIXED_PAYLOAD: Record<number, number> = {
  [MESSAGE.choke]: 0,
  [MESSAGE.unchoke]: 0,
  [MESSAGE.interested]: 0,
  [MESSAGE.notInterested]: 0,
  [MESSAGE.have]: 4,
  [MESSAGE.request]: 12,
  [MESSAGE.cancel]: 12,
  [MESSAGE.port]: 2,
  [MESSAGE.suggestPiece]: 4,
  [MESSAGE.haveAll]: 0,
  [MESSAGE.haveNone]: 0,
  [MESSAGE.rejectRequest]: 12,
  [MESSAGE.allowedFast]: 4,
  [MESSAGE.hashRequest]: HASH_REQUEST_PAYLOAD,
  [MESSAGE.hashReject]: HASH_REQUEST_PAYLOAD,
};

const SIMPLE: Record<number, 'choke' | 'unchoke' | 'interested' | 'not-interested' | 'have-all' | 'have-none'> = {
  [MESSAGE.choke]: 'choke',
  [MESSAGE.unchoke]: 'unchoke',
  [MESSAGE.interested]: 'interested',
  [MESSAGE.notInterested]: 'not-interested',
  [MESSAGE.haveAll]: 'have-all',
  [MESSAGE.haveNone]: 'have-none',
};

/** Bytes a message of `length` (its prefix's value) may have, or the reason it may not. */
function checkLength(id: number, length: number, limits: WireLimits): string | undefined {
  const fixed = FIXED_PAYLOAD[id];
  if (fixed !== undefined) return length === 1 + fixed ? undefined : `message ${id} must be ${1 + fixed} bytes long, not ${length}`;
  if (id === MESSAGE.bitfield) {
    const b = limits.bitfieldBytes;
    if ('exact' in b)
      return length === 1 + b.exact ? undefined : `a bitfield of ${length - 1} bytes where the torrent's pieces need ${b.exact}`;
    return length - 1 <= b.max ? undefined : `a bitfield of ${length - 1} bytes, more than the ${b.max} accepted`;
  }
  if (id === MESSAGE.hashes) {
    if (length < 1 + HASH_REQUEST_PAYLOAD || (length - 1 - HASH_REQUEST_PAYLOAD) % 32 !== 0)
      return `a hashes message of ${length} bytes: not a 48-byte header and whole 32-byte hashes`;
    const maxHashes = limits.maxHashesBytes ?? limits.maxOtherBytes;
    return length <= maxHashes ? undefined : `a hashes message of ${length} bytes, more than the ${maxHashes} our request allows`;
  }
  const max = id === MESSAGE.extended ? limits.maxExtendedBytes : limits.maxOtherBytes;
  if (id === MESSAGE.extended && length < 2) return 'an extension message without an extension id';
  return length <= max ? undefined : `message ${id} of ${length} bytes, more than the ${max} accepted`;
}

/**
 * Reads the peer's side of a connection: the handshake, then messages, from chunks as they arrive. `push` a
 * chunk, then take what is complete with `handshake()` (once) and `next()` until it returns undefined.
 */
export class WireReader {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private handshakeRead = false;

  constructor(private readonly limits: WireLimits) {}

  /** Bytes received and not yet taken as a message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** The length the message being received declared (prefix included), once its prefix has arrived. */
  get pendingMessageBytes(): number | undefined {
    if (!this.handshakeRead) return HANDSHAKE_BYTES;
    if (this.end - this.start < 4) return undefined;
    return 4 + readUint32(this.buffer, this.start);
  }

  push(chunk: Uint8Array): void {
    const length = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      // Compact, or grow to what is needed: at most one message under its limit plus this chunk.
      const next =
        length + chunk.length <= this.buffer.length ? this.buffer : new Uint8Array(Math.max(length + chunk.length, 2 * length, 256));
      next.set(this.buffer.subarray(this.start, this.end), 0);
      this.buffer = next;
      this.start = 0;
      this.end = length;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The peer's handshake, once its 68 bytes are in; throws a WireError when it is not a BitTorrent handshake. */
  handshake(): Handshake | undefined {
    if (this.handshakeRead) throw new Error('the handshake was already read');
    const b = this.buffer;
    const s = this.start;
    const have = this.end - s;
    // Refuse a stranger as early as its first bytes allow: a HTTP server, TLS, an encrypted (MSE) stream.
    const prefix = Math.min(have, 20);
    for (let i = 0; i < prefix; i++) {
      const expected = i === 0 ? PROTOCOL_NAME.length : PROTOCOL_NAME.charCodeAt(i - 1);
      if (b[s + i] !== expected) throw new WireError(`not a BitTorrent handshake (${describeStart(b.subarray(s, s + prefix))})`);
    }
    if (have < HANDSHAKE_BYTES) return undefined;
    this.handshakeRead = true;
    this.start += HANDSHAKE_BYTES;
    return { reserved: b.slice(s + 20, s + 28), infoHash: b.slice(s + 28, s + 48), peerId: b.slice(s + 48, s + 68) };
  }

  /** The next complete message, undefined until one is; throws a WireError for a message that breaks the rules. */
  next(): WireMessage | undefined {
    if (!this.handshakeRead) throw new Error('read the handshake first');
    const have = this.end - this.start;
    if (have < 4) return undefined;
    const b = this.buffer;
    const s = this.start;
    const length = readUint32(b, s);
    if (length === 0) {
      this.start += 4;
      return { type: 'keep-alive' };
    }
    if (have < 5) return undefined;
    const id = b[s + 4];
    const problem = checkLength(id, length, this.limits);
    if (problem !== undefined) throw new WireError(problem);
    if (have < 4 + length) return undefined;
    this.start += 4 + length;
    const body = s + 5;
    const bodyEnd = s + 4 + length;
    const simple = SIMPLE[id];
    if (simple !== undefined) return { type: simple };
    switch (id) {
      case MESSAGE.have:
        return { type: 'have', piece: readUint32(b, body) };
      case MESSAGE.bitfield:
        return { type: 'bitfield', bits: b.slice(body, bodyEnd) };
      case MESSAGE.extended:
        return { type: 'extended', extensionId: b[body], payload: b.slice(body + 1, bodyEnd) };
      case MESSAGE.hashRequest:
        return { type: 'hash-request', request: readHashRequest(b, body) };
      case MESSAGE.hashReject:
        return { type: 'hash-reject', request: readHashRequest(b, body) };
      case MESSAGE.hashes:
        return { type: 'hashes', request: readHashRequest(b, body), hashes: b.slice(body + HASH_REQUEST_PAYLOAD, bodyEnd) };
      default:
        return { type: 'other', id, length };
    }
  }
}

function readUint32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** The first bytes of something that is not a handshake, printable ASCII as is, the rest in hex. */
function describeStart(bytes: Uint8Array): string {
  const printable = bytes.every((c) => c >= 0x20 && c < 0x7f);
  if (printable && bytes.length > 0) return `it starts "${String.fromCharCode(...bytes)}"`;
  return `it starts ${[...bytes].map((c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * Where the bencoded value at `start` ends, without decoding it: BEP 9 puts a metadata block right after the
 * message's bencoded header. Throws a WireError when the bytes are not one well-formed value.
 */
export function bencodeValueEnd(bytes: Uint8Array, start: number, maxDepth = 16): number {
  let p = start;
  let depth = 0;
  do {
    const c = bytes[p];
    if (c === undefined) throw new WireError('a bencoded header that ends early');
    if (c === 0x64 || c === 0x6c) {
      // d, l
      if (++depth > maxDepth) throw new WireError('a bencoded header nested too deep');
      p++;
    } else if (c === 0x65) {
      // e
      if (depth === 0) throw new WireError(`an unexpected 'e' at byte ${p - start} of a bencoded header`);
      depth--;
      p++;
    } else if (c === 0x69) {
      // i…e
      const e = bytes.indexOf(0x65, p + 1);
      if (e < 0 || e - p > 21 || !/^-?\d+$/.test(String.fromCharCode(...bytes.subarray(p + 1, e))))
        throw new WireError(`a bad integer at byte ${p - start} of a bencoded header`);
      p = e + 1;
    } else if (c >= 0x30 && c <= 0x39) {
      let n = 0;
      let q = p;
      while (bytes[q] >= 0x30 && bytes[q] <= 0x39 && q - p < 10) n = n * 10 + (bytes[q++] - 0x30);
      if (bytes[q] !== 0x3a) throw new WireError(`a bad string length at byte ${p - start} of a bencoded header`);
      p = q + 1 + n;
      if (p > bytes.length) throw new WireError('a string that runs past the end of a bencoded header');
    } else {
      throw new WireError(`an unexpected byte 0x${c.toString(16).padStart(2, '0')} at byte ${p - start} of a bencoded header`);
    }
  } while (depth > 0);
  return p;
}
