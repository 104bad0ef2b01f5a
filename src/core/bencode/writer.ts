// Bencode written straight into one growing buffer: `encode` writes through it, and createTorrent writes
// the file list and file tree of a large folder from the listing's packed paths to bytes without an object
// or a string per file. Keys are written in the order the caller gives, which must be sorted (BEP 3);
// `encode` sorts them, createTorrent writes them so, and the reader checks.

const utf8 = new TextEncoder();

/** ASCII text as bytes, for the fixed parts written once per file. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export class BencodeWriter {
  private buf: Uint8Array;
  private len = 0;

  /** `initialBytes`: room to start with; the buffer doubles as needed. */
  constructor(initialBytes = 4096) {
    this.buf = new Uint8Array(initialBytes);
  }

  get length(): number {
    return this.len;
  }

  /** Bytes as they are: an encoded fixed part (`d6:lengthi`), or structure. Short parts are copied byte by byte, which is cheaper than `set`. */
  raw(bytes: Uint8Array, from = 0, to = bytes.length): void {
    this.ensure(to - from);
    if (to - from > 64) this.buf.set(bytes.subarray(from, to), this.len);
    else for (let k = from, at = this.len; k < to; k++, at++) this.buf[at] = bytes[k];
    this.len += to - from;
  }

  /** ASCII as it is: `d`, `l`, `e`. */
  ascii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.len++] = text.charCodeAt(i);
  }

  /** A safe, non-negative whole number in decimal, without a string. */
  digits(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`internal error: ${value} is not a length`);
    let count = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) count++;
    this.ensure(count);
    let rest = value;
    for (let at = this.len + count - 1; at >= this.len; at--) {
      const next = Math.floor(rest / 10);
      this.buf[at] = 0x30 + rest - next * 10;
      rest = next;
    }
    this.len += count;
  }

  int(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`internal error: ${value} is not a safe integer`);
    this.ascii(`i${value}e`);
  }

  /** A byte string: `<length>:<bytes>`, of `bytes[from, to)`. */
  bytes(bytes: Uint8Array, from = 0, to = bytes.length): void {
    this.digits(to - from);
    this.ascii(':');
    this.raw(bytes, from, to);
  }

  /** Text as a UTF-8 byte string. */
  text(text: string): void {
    this.bytes(utf8.encode(text));
  }

  /** A dictionary key (ASCII). */
  key(name: string): void {
    this.ascii(`${name.length}:${name}`);
  }

  /** Forgets what was written after the first `length` bytes. */
  truncate(length: number): void {
    this.len = Math.min(this.len, length);
  }

  /** A copy of the bytes written, which later writes leave alone. */
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** The bytes written, `[from, to)`, as a view (valid until the next write). */
  view(from = 0, to = this.len): Uint8Array {
    return this.buf.subarray(from, to);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
