// Bytes and numbers that the hashing threads share. Tables that every thread reads (the files of a piece
// stream, the paths to list) live in SharedArrayBuffers: posted to a thread, a SharedArrayBuffer is
// shared, not copied, so a table of a million files crosses to every thread for nothing, and the threads
// write their results (piece hashes, file sizes) straight into shared arrays the caller reads.
//
// Many short byte strings (paths) are packed one after another into one buffer with an array of ends,
// rather than kept as one small Buffer each: the small Buffers Node hands out are views into 8 KiB slabs,
// and a million of them cost a million objects.

/** A zeroed array of `length` elements in shared memory. */
export function sharedArray<T extends Float64Array | Int32Array | Uint8Array | BigInt64Array>(
  Kind: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Kind(new SharedArrayBuffer(Math.max(1, length) * Kind.BYTES_PER_ELEMENT));
}

/** Byte strings one after another in one buffer; string i is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface PackedBytes {
  bytes: Uint8Array;
  ends: Float64Array;
}

/** Builds a PackedBytes, growing its buffers by doubling; `result(true)` puts it in shared memory. */
export class PackedBytesBuilder {
  private bytes = new Uint8Array(1 << 12);
  private length = 0;
  private ends = new Float64Array(64);
  private count_ = 0;

  get count(): number {
    return this.count_;
  }

  /** Adds one string made of `parts`, with the byte `separator` between them. */
  push(parts: readonly Uint8Array[], separator: number): void {
    let size = Math.max(0, parts.length - 1);
    for (const part of parts) size += part.length;
    const at = this.reserve(size);
    let p = at;
    parts.forEach((part, i) => {
      if (i > 0) this.bytes[p++] = separator;
      this.bytes.set(part, p);
      p += part.length;
    });
    this.end(p);
  }

  /** Adds one string of UTF-8 text. */
  pushText(text: string): void {
    const at = this.reserve(text.length * 3);
    this.end(at + encodeUtf8Into(text, this.bytes.subarray(at)));
  }

  result(inSharedMemory = false): PackedBytes {
    const bytes = inSharedMemory ? sharedArray(Uint8Array, this.length) : new Uint8Array(this.length);
    bytes.set(this.bytes.subarray(0, this.length));
    const ends = inSharedMemory ? sharedArray(Float64Array, this.count_) : new Float64Array(this.count_);
    ends.set(this.ends.subarray(0, this.count_));
    return { bytes: bytes.subarray(0, this.length), ends: ends.subarray(0, this.count_) };
  }

  /** Room for `size` more bytes; returns where they start. */
  private reserve(size: number): number {
    if (this.length + size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + size));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.length;
  }

  private end(at: number): void {
    if (this.count_ === this.ends.length) {
      const grown = new Float64Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count_++] = at;
    this.length = at;
  }
}

const utf8Encoder = new TextEncoder();

/** Writes `text` as UTF-8 into `into` (which has room for it) and returns the bytes written. */
function encodeUtf8Into(text: string, into: Uint8Array): number {
  return utf8Encoder.encodeInto(text, into).written;
}

/** String `i` of a packed list, as a view. */
export function unpack(packed: PackedBytes, i: number): Uint8Array {
  return packed.bytes.subarray(i === 0 ? 0 : packed.ends[i - 1], packed.ends[i]);
}
