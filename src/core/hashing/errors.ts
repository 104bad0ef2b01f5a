// The errors of creating and verifying: a code to act on and a message that names the file and the problem.

export type HashingErrorCode =
  /** The chosen file or folder does not exist. */
  | 'not-found'
  /** A folder was needed and this is not one (or the reverse). */
  | 'wrong-kind'
  /** Nothing to put in a torrent: no files, or only empty ones. */
  | 'no-data'
  /** A symbolic link where the options say links are an error. */
  | 'symlink'
  /** A file name that is not UTF-8, which a torrent cannot carry faithfully. */
  | 'name-not-utf8'
  /** An option out of range: piece length, name, version. */
  | 'bad-option'
  /** A file changed size while it was read. */
  | 'changed'
  /** A file could not be read. */
  | 'unreadable'
  /** The torrent cannot be checked (no piece hashes, an unsupported layout). */
  | 'unverifiable'
  /** The .torrent to write is there already (and overwriting was not asked for). */
  | 'exists'
  /** The .torrent could not be written: the folder is missing, read-only, or refuses the name. */
  | 'unwritable';

export class HashingError extends Error {
  constructor(
    readonly code: HashingErrorCode,
    message: string,
    /** The file or folder concerned, when there is one. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'HashingError';
  }
}

/** What an aborted operation rejects with: the signal's reason, as Node's own APIs do. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
