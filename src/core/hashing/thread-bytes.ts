// Bytes that cross between threads. A structured clone copies a typed array's whole ArrayBuffer, and the
// small Buffers Node hands out (readdir names, Buffer.concat, realpath) are views into shared 8 KiB
// slabs: sent one by one, every 30-byte path would cost an 8 KiB copy and an ArrayBuffer on each side.
// So many small byte strings travel packed into one buffer, and are read back as views into it.

/** Paths arrive as Uint8Array (a Buffer loses its class crossing threads); fs wants a Buffer. No copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Byte strings one after another in one buffer; string i is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface PackedBytes {
  bytes: Uint8Array;
  ends: Float64Array;
}

export class PackedBytesBuilder {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private ends: number[] = [];

  /** Adds one string made of `parts`, with the byte `separator` between them. */
  push(parts: readonly Uint8Array[], separator: number): void {
    let size = Math.max(0, parts.length - 1);
    for (const part of parts) size += part.length;
    if (this.length + size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + size));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    parts.forEach((part, i) => {
      if (i > 0) this.bytes[this.length++] = separator;
      this.bytes.set(part, this.length);
      this.length += part.length;
    });
    this.ends.push(this.length);
  }

  get count(): number {
    return this.ends.length;
  }

  result(): PackedBytes {
    return { bytes: this.bytes.slice(0, this.length), ends: Float64Array.from(this.ends) };
  }
}

/** String `i` of a packed list, as a view. */
export function unpack(packed: PackedBytes, i: number): Uint8Array {
  return packed.bytes.subarray(i === 0 ? 0 : packed.ends[i - 1], packed.ends[i]);
}

/** Copies `arrays` into one new buffer and returns views of it in the same order: sent together, they cost one copy. */
export function packTogether(arrays: readonly Uint8Array[]): Uint8Array[] {
  let size = 0;
  for (const a of arrays) size += a.length;
  const buffer = new Uint8Array(size);
  let at = 0;
  return arrays.map((a) => {
    buffer.set(a, at);
    at += a.length;
    return buffer.subarray(at - a.length, at);
  });
}
