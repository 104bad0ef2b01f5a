// Byte-level edits of a bencoded document that leave every other byte as it was: a splice replaces the bytes of
// one value, inserts a key/value pair or a list item, or removes one. Nothing is re-encoded, so a dictionary with
// unsorted or repeated keys, and above all an info dictionary and its hash, stays exactly as it was unless a
// splice falls inside it.
//
// A splice is plain data (offsets and bytes), so a list of them can be kept on an undo stack, sent in a message
// or applied later; `invertSplices` gives the splices that take the new bytes back to the old ones.

import { type BencodeDocument, type Token } from './decode';

/** Replace `[start, end)` of the old bytes with `bytes`. An insertion has `start === end`; a removal, empty `bytes`. */
export interface Splice {
  start: number;
  end: number;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** The splices in the order they apply, checked: within the data, and no two overlapping. */
export function orderSplices(splices: readonly Splice[], dataLength: number): Splice[] {
  // A stable sort by start, then end: insertions at an offset keep the order they were made in, and come
  // before a removal or replacement that starts at the same offset.
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let reached = 0;
  for (const s of ordered) {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= dataLength)) {
      throw new RangeError(`splice [${s.start}, ${s.end}) is not within the ${dataLength} bytes`);
    }
    if (s.start < reached) throw new RangeError(`splice [${s.start}, ${s.end}) overlaps the one before it (which ends at ${reached})`);
    reached = s.end;
  }
  return ordered;
}

/** The bytes with the splices applied, in one allocation. Offsets are those of `data`. */
export function applySplices(data: Uint8Array, splices: readonly Splice[]): Uint8Array {
  const ordered = orderSplices(splices, data.length);
  let length = data.length;
  for (const s of ordered) length += s.bytes.length - (s.end - s.start);
  const out = new Uint8Array(length);
  let from = 0;
  let to = 0;
  for (const s of ordered) {
    out.set(data.subarray(from, s.start), to);
    to += s.start - from;
    out.set(s.bytes, to);
    to += s.bytes.length;
    from = s.end;
  }
  out.set(data.subarray(from), to);
  return out;
}

/**
 * The splices that undo `splices`: offsets in the new bytes, each putting back the old bytes it replaced. Applying
 * them to `applySplices(data, splices)` gives `data` again.
 */
export function invertSplices(data: Uint8Array, splices: readonly Splice[]): Splice[] {
  let shift = 0;
  return orderSplices(splices, data.length).map((s) => {
    const start = s.start + shift;
    shift += s.bytes.length - (s.end - s.start);
    return { start, end: start + s.bytes.length, bytes: data.slice(s.start, s.end) };
  });
}

/**
 * Where the value at `[start, end)` of the old bytes is in the new ones, given splices that do not cut across
 * its edges: an insertion at `start` goes before it, one at `end` after it.
 */
export function mapSpan(start: number, end: number, splices: readonly Splice[]): { start: number; end: number } {
  let startShift = 0;
  let endShift = 0;
  for (const s of splices) {
    const delta = s.bytes.length - (s.end - s.start);
    if (s.end <= start) startShift += delta;
    if (s.start < end && s.end <= end) endShift += delta;
  }
  return { start: start + startShift, end: end + endShift };
}

// ---------------------------------------------------------------------------------------------------------
// Splices of one value in a decoded document

/** Replaces the whole value (for a byte string: its length prefix too) with already encoded bytes. */
export function replaceValue(doc: BencodeDocument, value: Token, encoded: Uint8Array): Splice {
  return { start: doc.start(value), end: doc.end(value), bytes: encoded };
}

/** Removes one dictionary entry: its key and its value. */
export function removeEntry(doc: BencodeDocument, key: Token): Splice {
  return { start: doc.start(key), end: doc.end(doc.next(key)), bytes: EMPTY };
}

/** Removes one item of a list. */
export function removeItem(doc: BencodeDocument, item: Token): Splice {
  return { start: doc.start(item), end: doc.end(item), bytes: EMPTY };
}

/**
 * Inserts `key` (its raw bytes, as a binary string) with an encoded value where canonical order puts it: before
 * the first key that sorts after it in raw byte order, or at the end. In a sorted dictionary that is its place
 * in the order; an unsorted one stays as unsorted as it was.
 */
export function insertEntry(doc: BencodeDocument, dict: Token, key: string, encodedValue: Uint8Array): Splice {
  let at = doc.end(dict) - 1;
  for (const [k] of doc.entries(dict)) {
    if (doc.binary(k) > key) {
      at = doc.start(k);
      break;
    }
  }
  const prefix = `${key.length}:${key}`;
  const bytes = new Uint8Array(prefix.length + encodedValue.length);
  for (let i = 0; i < prefix.length; i++) bytes[i] = prefix.charCodeAt(i);
  bytes.set(encodedValue, prefix.length);
  return { start: at, end: at, bytes };
}

/** Inserts an encoded item into a list before its item number `index` (the list's length or more: at the end). */
export function insertItem(doc: BencodeDocument, list: Token, index: number, encoded: Uint8Array): Splice {
  const items = doc.children(list);
  const at = index < items.length ? doc.start(items[Math.max(0, index)]) : doc.end(list) - 1;
  return { start: at, end: at, bytes: encoded };
}
