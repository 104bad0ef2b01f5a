// Byte helpers shared by the core. No Node `Buffer`: the core also runs in webviews and tests as plain JS.
const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`not a hex string: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as used by magnet links (BEP 9). */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Bytes as a "binary string": one UTF-16 code unit per byte (latin-1). Exact and reversible, and two such
 * strings compare with `<` in raw byte order, which is the order BEP 3 asks of dictionary keys.
 */
export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Up to about 10 characters, concatenation makes a flat string; beyond that it builds a rope that
  // every later use (a Map key, a comparison) must flatten, so longer runs go through fromCharCode.apply.
  if (end - start <= 10) {
    let out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]);
    return out;
  }
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** The text of valid UTF-8 bytes, or undefined when they are not valid UTF-8 (overlong forms included). */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  // ASCII fast path: most keys and paths are ASCII.
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytesToBinary(bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A byte string from a torrent, ready to show. Torrents say nothing of their encoding; UTF-8 is the
 * convention. Bytes that are not UTF-8 are shown as latin-1 and flagged, never replaced by U+FFFD.
 */
export interface DisplayText {
  text: string;
  /** False when the bytes are not valid UTF-8 and `text` is their latin-1 reading. */
  utf8: boolean;
}

export function displayText(bytes: Uint8Array): DisplayText {
  const text = decodeUtf8Strict(bytes);
  return text === undefined ? { text: bytesToBinary(bytes), utf8: false } : { text, utf8: true };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
