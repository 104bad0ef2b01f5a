// What a command prints: JSON for standard output, and ByteOutput, which builds large output as UTF-8 bytes.
// Text from a torrent or a tracker is redacted through the torrent's Secrets and made safe to print by the
// core's display sanitiser (visibleText in src/core/text/display.ts) before it gets here.

import { visibleJson } from '../core/text/display';

/** JSON for standard output: JSON.stringify's text with C1, bidirectional and invisible characters escaped too. */
export function terminalJson(value: unknown, indent = 2): string {
  return visibleJson(JSON.stringify(value, null, indent));
}

/** Output chunks: large enough that a listing of 100,000 files is a handful of writes. */
const OUTPUT_CHUNK_BYTES = 1 << 20;
const utf8Encoder = new TextEncoder();

/**
 * Standard output built as UTF-8 bytes and handed on in large chunks, so a long listing costs no
 * string per line. A chunk is never reused once handed on: a write may still hold it.
 */
export class ByteOutput {
  private chunk = new Uint8Array(OUTPUT_CHUNK_BYTES);
  /** Bytes used in `chunk`. */
  length = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Makes room for `n` more bytes in the current chunk. */
  reserve(n: number): Uint8Array {
    if (this.length + n > this.chunk.length) {
      this.flush();
      if (n > this.chunk.length) this.chunk = new Uint8Array(n);
    }
    return this.chunk;
  }

  byte(value: number): void {
    this.reserve(1)[this.length++] = value;
  }

  /** Bytes, copied one by one: for the short fragments a listing repeats, cheaper than `set`. */
  bytes(bytes: Uint8Array): void {
    this.length = putBytes(this.reserve(bytes.length), this.length, bytes);
  }

  /** A number as `String(n)` writes it; whole numbers are written digit by digit, without a string. */
  number(n: number): void {
    if (Number.isSafeInteger(n) && n >= 0) this.length = putDigits(this.reserve(16), this.length, n);
    else this.ascii(String(n));
  }

  /** Text that is ASCII only (numbers, fixed words). */
  ascii(text: string): void {
    const chunk = this.reserve(text.length);
    let at = this.length;
    for (let i = 0; i < text.length; i++) chunk[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    if (text.length === 0) return;
    const chunk = this.reserve(text.length * 3);
    this.length += utf8Encoder.encodeInto(text, chunk.subarray(this.length)).written;
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.length === 0) return;
    this.sink(this.chunk.subarray(0, this.length));
    this.chunk = new Uint8Array(OUTPUT_CHUNK_BYTES);
    this.length = 0;
  }
}

/** Copies a short fragment into `chunk` at `at`; returns the position after it. */
export function putBytes(chunk: Uint8Array, at: number, fragment: Uint8Array): number {
  for (let j = 0; j < fragment.length; j++) chunk[at++] = fragment[j];
  return at;
}

/** Writes a safe, non-negative whole number (at most 16 digits) in decimal at `at`; returns the position after it. */
export function putDigits(chunk: Uint8Array, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const end = at + digits;
  let rest = n;
  let p = end;
  do {
    const next = Math.floor(rest / 10);
    chunk[--p] = 0x30 + (rest - next * 10);
    rest = next;
  } while (rest > 0);
  return end;
}

/** A fixed ASCII fragment as bytes, for ByteOutput.bytes. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Runs `write` over a ByteOutput and returns what it wrote as one string (tests, small outputs). */
export function collectOutput(write: (out: ByteOutput) => void): string {
  const chunks: Uint8Array[] = [];
  const out = new ByteOutput((bytes) => chunks.push(bytes));
  write(out);
  out.flush();
  return Buffer.concat(chunks).toString('utf8');
}
