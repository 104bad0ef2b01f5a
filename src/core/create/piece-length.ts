// The piece length of a new torrent.
//
// Automatic: libtorrent's rule (create_torrent with piece size 0, libtorrent 2.0), which aims at a piece
// list of about 2·√(total size) bytes: 16 KiB up to 2.5 MiB of data, doubling each time the data grows
// fourfold, up to 16 MiB from 640 GiB on. The same rule for v1, v2 and hybrid torrents, so a torrent made
// here and one made by libtorrent (qBittorrent, Deluge) from the same files agree. It keeps the .torrent
// small for large data (1 TiB in 16 MiB pieces is 1.2 MB of v1 hashes) and the pieces small for small data,
// which makes a damaged stretch cheap to fetch again. The interop tests check it against libtorrent.

import { BLOCK_SIZE } from '../hashing/merkle';
import { HashingError } from '../hashing/errors';

/** libtorrent's thresholds: above `AUTO_THRESHOLDS[i]` bytes, pieces are at least 32 KiB << i. */
const AUTO_THRESHOLDS = [
  2_684_355, 10_737_418, 42_949_673, 171_798_692, 687_194_767, 2_748_779_069, 10_995_116_278, 43_980_465_111, 175_921_860_444,
  703_687_441_777,
];

export const MIN_PIECE_LENGTH = BLOCK_SIZE;
/** 256 MiB: more than any client wants to fetch in one go (libtorrent and Transmission stop near here). */
export const MAX_PIECE_LENGTH = 1 << 28;

export function automaticPieceLength(totalLength: number): number {
  let shift = 0;
  for (const threshold of AUTO_THRESHOLDS) {
    if (threshold >= totalLength) break;
    shift++;
  }
  return BLOCK_SIZE * 2 ** shift;
}

/** Why a chosen piece length cannot be used, or undefined: it must be a power of two from 16 KiB (BEP 52's least, and libtorrent's) to 256 MiB. */
export function pieceLengthProblem(pieceLength: number): string | undefined {
  if (
    !Number.isSafeInteger(pieceLength) ||
    pieceLength < MIN_PIECE_LENGTH ||
    pieceLength > MAX_PIECE_LENGTH ||
    (pieceLength & (pieceLength - 1)) !== 0
  )
    return `the piece length must be a power of two from 16 KiB to 256 MiB, not ${pieceLength}`;
  return undefined;
}

/** A chosen piece length, checked (see pieceLengthProblem). */
export function checkPieceLength(pieceLength: number): number {
  const problem = pieceLengthProblem(pieceLength);
  if (problem) throw new HashingError('bad-option', problem);
  return pieceLength;
}
