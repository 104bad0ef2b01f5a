// The one loader of a torrent's bytes, whatever they come from: a file, a pipe, standard input, a device, or
// VS Code's file systems. It holds the one cap on what is read and the one message for a source over it.
// - A file whose size is known before it is read (a stat) is refused above the cap before any byte is read
//   (`readWholeTorrent`); its bytes then go to the parser whole, which reports a first byte that cannot start
//   a torrent at offset 0 and says what the bytes are (a list, gzip, a web page).
// - A stream (a pipe, standard input, a device) is read chunk by chunk and stopped as soon as it cannot be a
//   torrent (`readTorrentBytes`): at its first byte when that byte cannot start one, and at the first chunk
//   that passes the cap. A device or an endless pipe is never read for nothing, and memory stays under the cap.

import { formatSize } from '../../shared/format';
import { describeByte, notBencodeLookalike } from '../bencode/decode';

/** Larger than any real torrent (libtorrent refuses more than 80 MB); the one cap on what is read. */
export const MAX_TORRENT_BYTES = 256 * 1024 * 1024;

const D = 0x64;

export type TorrentInputCode = 'too-large' | 'not-a-torrent';

/**
 * Why a source was refused before it was parsed. The message follows the source's name, as in
 * `a.torrent: is larger than the 256 MiB a torrent may be`; `offset` is where the refused byte is, if one is.
 */
export class TorrentInputError extends Error {
  override readonly name = 'TorrentInputError';
  constructor(
    readonly code: TorrentInputCode,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** The one refusal of a source over the cap, for its size known up front (a stat) or found by reading. */
export function tooLargeError(maxBytes = MAX_TORRENT_BYTES): TorrentInputError {
  return new TorrentInputError('too-large', `is larger than the ${formatSize(maxBytes)} a torrent may be`);
}

/** Refuses a source whose size, known before reading it, is over the cap. */
export function checkTorrentSize(size: number, maxBytes = MAX_TORRENT_BYTES): void {
  if (size > maxBytes) throw tooLargeError(maxBytes);
}

/**
 * Refuses bytes whose first byte cannot start a torrent: a torrent is a bencoded dictionary, so it starts
 * with `d`. Worded as the bencode errors are, and naming what the bytes look like when that is clear.
 */
export function checkTorrentStart(head: Uint8Array): void {
  if (head.length === 0 || head[0] === D) return;
  const message =
    notBencodeLookalike(head) ??
    `unexpected byte ${describeByte(head[0])} at byte 0: a torrent is a bencoded dictionary, which starts with 'd'`;
  throw new TorrentInputError('not-a-torrent', message, 0);
}

/**
 * Reads a torrent's bytes from a stream of chunks, with the start check and the cap. Throwing out of the loop
 * ends the source's iteration, which destroys a Node stream: nothing more is read.
 */
export async function readTorrentBytes(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes = MAX_TORRENT_BYTES,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    if (total === 0) checkTorrentStart(chunk);
    total += chunk.length;
    if (total > maxBytes) throw tooLargeError(maxBytes);
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** A file read in one piece, whose size can be asked first: a regular file, a file of VS Code's `workspace.fs`. */
export interface WholeFileSource {
  size(): Promise<number>;
  read(): Promise<Uint8Array>;
}

/** Reads a whole file after checking its size against the cap, and checks what was read (it may have grown). */
export async function readWholeTorrent(file: WholeFileSource, maxBytes = MAX_TORRENT_BYTES): Promise<Uint8Array> {
  checkTorrentSize(await file.size(), maxBytes);
  const bytes = await file.read();
  checkTorrentSize(bytes.length, maxBytes);
  return bytes;
}
