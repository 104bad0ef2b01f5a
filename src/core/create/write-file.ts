// Writing a new .torrent: never a half-written file. The bytes go to a temporary file in the same folder,
// are flushed to disk, and the file is then put in place in one step: a rename (replacing what is there,
// when asked) or a hard link (which fails if the name is taken, so nothing is overwritten by accident).

import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { HashingError } from '../hashing/errors';

export function writeFileAtomic(target: string, bytes: Uint8Array, options: { overwrite: boolean }): void {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw writeFailure(target, error);
  }
  try {
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite) renameSync(temp, target);
    else putInPlace(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or linked and removed: nothing is left behind.
    }
    throw error instanceof HashingError ? error : writeFailure(target, error);
  }
}

/** Links `temp` to `target` unless `target` exists, then removes `temp`. */
function putInPlace(temp: string, target: string): void {
  try {
    linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new HashingError('exists', `${target} exists already; choose another name or allow overwriting`, target);
    // A file system without hard links (FAT, some network shares): a rename, after looking.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    try {
      closeSync(openSync(target, 'r'));
      throw new HashingError('exists', `${target} exists already; choose another name or allow overwriting`, target);
    } catch (lookError) {
      if (lookError instanceof HashingError) throw lookError;
    }
    renameSync(temp, target);
    return;
  }
  unlinkSync(temp);
}

function writeFailure(target: string, error: unknown): HashingError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'its folder does not exist'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied'
        : code === 'ENAMETOOLONG'
          ? 'the name is too long'
          : error instanceof Error
            ? error.message
            : String(error);
  return new HashingError('unwritable', `${target} cannot be written: ${reason}`, target);
}
