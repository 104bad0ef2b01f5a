// Reading a torrent for a command: a file or standard input (`-`), through the core's loader (one cap, one
// message), parsed by the core; any failure becomes the standard one-line error `FILE: MESSAGE (at byte N)` (exit code 2).

import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { checkTorrentSize, MAX_TORRENT_BYTES, readTorrentBytes, TorrentInputError } from '../core/input/torrent-bytes';
import { parseMetainfoAsync } from '../core/metainfo/parse';
import type { Metainfo } from '../core/metainfo/types';
import { visibleText } from '../core/text/display';
import { errorText } from '../shared/format';
import { CliError } from './command';

/** A file path or `-` (standard input) as it should appear in messages. */
export function displayPath(file: string): string {
  return file === '-' ? '<stdin>' : visibleText(file);
}

/** The one-line error for a torrent that could not be read: `FILE: MESSAGE (at byte N)`. */
export function torrentError(file: string, message: string, offset?: number): CliError {
  return new CliError(`${displayPath(file)}: ${visibleText(message)}${offset === undefined ? '' : ` (at byte ${offset})`}`);
}

/**
 * Reads a whole file (or standard input for `-`) through the core's loader: directories are refused, a regular
 * file over MAX_TORRENT_BYTES before it is read, and a pipe or a device at its first byte that cannot start a
 * torrent or as soon as it passes the cap.
 */
export async function readTorrentFile(file: string, maxBytes = MAX_TORRENT_BYTES): Promise<Uint8Array> {
  if (file === '-') return readSource(process.stdin, file, maxBytes);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw torrentError(file, describeFsError(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw torrentError(file, 'is a directory, not a torrent file');
    if (stat.isFile()) checkTorrentSize(stat.size, maxBytes);
    // A regular file is read in one go, synchronously: the command has nothing else to do meanwhile,
    // and a 30 MB torrent reads in one system call instead of dozens of thread-pool round trips.
    if (stat.isFile() && stat.size > 0) return readWhole(fd, stat.size);
    // A pipe, a device, or a file whose size is not known up front: read it as a stream, still bounded.
    return await readSource(createReadStream('', { fd, autoClose: false }), file, maxBytes);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof TorrentInputError) throw torrentError(file, error.message, error.offset);
    throw torrentError(file, describeFsError(error));
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing useful to report: the bytes are read.
    }
  }
}

/** Reads `size` bytes from the start of a regular file (fewer if it shrank meanwhile). */
function readWhole(fd: number, size: number): Uint8Array {
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}

async function readSource(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readTorrentBytes(source, maxBytes);
  } catch (error) {
    if (error instanceof TorrentInputError) throw torrentError(file, error.message, error.offset);
    throw error;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a torrent file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return `cannot read the file${code ? ` (${code})` : ''}: ${errorText(error)}`;
  }
}

/** Reads and parses a torrent; a file that cannot be read or parsed becomes the standard one-line error. */
export async function loadTorrent(file: string): Promise<Metainfo> {
  const result = await parseMetainfoAsync(await readTorrentFile(file));
  if (!result.ok) throw torrentError(file, result.failure.message, result.failure.offset);
  return result.metainfo;
}
