// What a peer has (its piece bitfield, BEP 3, or have all / have none, BEP 6) and what a swarm has: copies of
// each piece, distributed copies (libtorrent's and qBittorrent's figure) and availability per file.

import { fromHex, toHex } from '../text/bytes';

/** One peer's pieces, a bit per piece, the first piece in the high bit of the first byte (BEP 3). */
export class PieceSet {
  private constructor(
    readonly pieceCount: number,
    private readonly bits: Uint8Array,
    private held: number,
  ) {}

  static none(pieceCount: number): PieceSet {
    return new PieceSet(pieceCount, new Uint8Array(bitfieldBytes(pieceCount)), 0);
  }

  static all(pieceCount: number): PieceSet {
    const bits = new Uint8Array(bitfieldBytes(pieceCount)).fill(0xff);
    clearSpareBits(bits, pieceCount);
    return new PieceSet(pieceCount, bits, pieceCount);
  }

  /**
   * A peer's bitfield for `pieceCount` pieces. The caller has checked its length. Spare bits at the end must
   * be clear (BEP 3); set ones are dropped and reported, as libtorrent ignores them.
   */
  static fromBitfield(bitfield: Uint8Array, pieceCount: number): { pieces: PieceSet; spareBitsSet: boolean } {
    const bits = bitfield.slice(0, bitfieldBytes(pieceCount));
    const before = bits.length > 0 ? bits[bits.length - 1] : 0;
    clearSpareBits(bits, pieceCount);
    const spareBitsSet = bits.length > 0 && bits[bits.length - 1] !== before;
    let held = 0;
    for (const byte of bits) held += POPCOUNT[byte];
    return { pieces: new PieceSet(pieceCount, bits, held), spareBitsSet };
  }

  /** A bitfield as results carry it (hex, BEP 3 bit order); undefined when it is not one for `pieceCount` pieces. */
  static fromHex(hex: string, pieceCount: number): PieceSet | undefined {
    if (hex.length !== bitfieldBytes(pieceCount) * 2 || !/^[0-9a-f]*$/i.test(hex)) return undefined;
    return PieceSet.fromBitfield(fromHex(hex), pieceCount).pieces;
  }

  /** Whether every piece in `[first, end)` is held (an empty range is). */
  hasAll(first: number, end: number): boolean {
    if (this.complete) return true;
    for (let piece = first; piece < end; piece++) if (!this.has(piece)) return false;
    return true;
  }

  has(piece: number): boolean {
    return piece >= 0 && piece < this.pieceCount && (this.bits[piece >> 3] & (0x80 >> (piece & 7))) !== 0;
  }

  /** Adds a piece (a `have`); false when the index is out of range. */
  add(piece: number): boolean {
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) return false;
    const mask = 0x80 >> (piece & 7);
    if ((this.bits[piece >> 3] & mask) === 0) {
      this.bits[piece >> 3] |= mask;
      this.held++;
    }
    return true;
  }

  get count(): number {
    return this.held;
  }

  get complete(): boolean {
    return this.held === this.pieceCount;
  }

  /** The bitfield as hex, two digits per 8 pieces: how results carry it in JSON. */
  toHex(): string {
    return toHex(this.bits);
  }

  /** Calls `visit` with the index of every piece held. */
  forEach(visit: (piece: number) => void): void {
    const bits = this.bits;
    for (let byte = 0; byte < bits.length; byte++) {
      const value = bits[byte];
      if (value === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (value & (0x80 >> bit)) visit(byte * 8 + bit);
    }
  }
}

export function bitfieldBytes(pieceCount: number): number {
  return Math.ceil(pieceCount / 8);
}

function clearSpareBits(bits: Uint8Array, pieceCount: number): void {
  const spare = bits.length * 8 - pieceCount;
  if (spare > 0) bits[bits.length - 1] &= (0xff << spare) & 0xff;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (let v = n; v; v >>= 1) c += v & 1;
  return c;
});

/** The pieces a file's bytes lie in: `[first, end)`; empty for an empty file. */
export interface PieceRange {
  first: number;
  end: number;
}

/** What the piece→file mapping needs of a file. */
export interface FileLayoutEntry {
  length: number;
  /** Where the file starts in the v1 piece stream (pad files included). */
  offset: number;
  padding?: boolean;
}

/**
 * The pieces of each file. In v1 and hybrid torrents files follow each other in one stream of pieces (pad files
 * included); in v2-only torrents each file starts on a piece boundary of its own (BEP 52), as if padded.
 */
export function filePieceRanges(files: FileLayoutEntry[], pieceLength: number, v2Only: boolean): PieceRange[] {
  const ranges: PieceRange[] = [];
  let next = 0;
  for (const file of files) {
    if (v2Only) {
      const count = Math.ceil(file.length / pieceLength);
      ranges.push({ first: next, end: next + count });
      next += count;
    } else if (file.length === 0) {
      const at = Math.floor(file.offset / pieceLength);
      ranges.push({ first: at, end: at });
    } else {
      ranges.push({ first: Math.floor(file.offset / pieceLength), end: Math.floor((file.offset + file.length - 1) / pieceLength) + 1 });
    }
  }
  return ranges;
}

/** How many copies of a set of pieces a swarm holds. */
export interface CopiesSummary {
  /** Pieces held by at least one peer, as a fraction of the pieces (qBittorrent's file "availability"). */
  availableFraction: number;
  /** libtorrent's distributed copies: the least-held piece's copies plus the fraction of pieces held more often. */
  distributedCopies: number;
  /** Copies of the least-held piece: this many whole copies are out there, at the least. */
  minCopies: number;
}

/** Copies of every piece among the peers added (peers with nothing known add nothing). */
export class SwarmAvailability {
  readonly copies: Uint32Array;
  private peers = 0;

  constructor(readonly pieceCount: number) {
    this.copies = new Uint32Array(pieceCount);
  }

  add(pieces: PieceSet): void {
    this.peers++;
    if (pieces.complete) {
      for (let i = 0; i < this.copies.length; i++) this.copies[i]++;
    } else {
      pieces.forEach((piece) => this.copies[piece]++);
    }
  }

  /** Takes back what `add` counted for these pieces (a peer probed again, whose answer replaces its first). */
  remove(pieces: PieceSet): void {
    this.peers--;
    if (pieces.complete) {
      for (let i = 0; i < this.copies.length; i++) this.copies[i]--;
    } else {
      pieces.forEach((piece) => this.copies[piece]--);
    }
  }

  get peerCount(): number {
    return this.peers;
  }

  /** Copies of the pieces in `[first, end)`; a range without pieces (an empty file) is fully available. */
  summary(first = 0, end = this.pieceCount): CopiesSummary {
    if (end <= first) return { availableFraction: 1, distributedCopies: 0, minCopies: 0 };
    let min = Infinity;
    for (let i = first; i < end; i++) if (this.copies[i] < min) min = this.copies[i];
    let above = 0;
    let held = 0;
    for (let i = first; i < end; i++) {
      if (this.copies[i] > min) above++;
      if (this.copies[i] > 0) held++;
    }
    const count = end - first;
    return { availableFraction: held / count, distributedCopies: min + above / count, minCopies: min };
  }
}
