// Saving a file so that a crash, a full disk or a killed process never leaves it half written: the bytes go to a
// temporary file in the same folder (so the rename stays on one file system), are flushed to the disk, and the
// temporary file is renamed over the target in one step; then the folder is flushed so that the rename itself
// survives a power cut. The target's permission bits (and, where allowed, its owner) are kept. A symbolic link
// is followed: the file it points to is replaced and the link stays.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export type FileWriteErrorCode = 'read-only' | 'permission-denied' | 'no-space' | 'not-found' | 'not-a-file' | 'failed';

/** Why a file could not be written; the file is as it was. */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly code: FileWriteErrorCode,
    message: string,
    /** The system's error code (ENOSPC, EACCES, …), when there was one. */
    readonly systemCode?: string,
  ) {
    super(message);
  }
}

export interface WriteFileAtomicOptions {
  /**
   * Permission bits for a file that does not exist yet (a new file otherwise gets 0666 less the umask, as
   * `fs.writeFile` gives it). An existing file keeps its own.
   */
  mode?: number;
  /**
   * Whether to flush the folder after the rename (default true). A caller saving many files into one folder
   * passes false and calls `syncFolder` once at the end: each file is still whole, old or new, at every moment.
   */
  syncFolder?: boolean;
}

/**
 * Writes `bytes` to `file` atomically: afterwards the file holds either its old bytes or all of the new ones.
 * Returns the path written: the file a symbolic link points to, or `file` itself.
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array, options: WriteFileAtomicOptions = {}): Promise<string> {
  const target = await resolveTarget(file);
  const existing = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw describe(error, file);
  });
  if (existing) {
    if (!existing.isFile()) throw new FileWriteError('not-a-file', 'is not a regular file');
    // The write bits, not only access(): the superuser may write anything, but a file made read-only stays so.
    if ((existing.mode & 0o222) === 0) throw new FileWriteError('read-only', 'the file is read-only');
    await access(target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
      throw describe(error, file);
    });
  }
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // O_EXCL: never write through a file or link that someone else put there.
    handle = await open(temp, 'wx', existing ? 0o600 : (options.mode ?? 0o666));
    if (existing) {
      await handle.chmod(existing.mode & 0o7777);
      if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
        // Only the superuser may give a file away; anyone else keeps being its owner, as with any save.
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
      }
    }
    let written = 0;
    while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw describe(error as NodeJS.ErrnoException, file);
  }
  if (options.syncFolder !== false) await syncFolder(dir);
  return target;
}

/** The file a path names, through symbolic links; a path that does not exist yet is its own target. */
async function resolveTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path.resolve(file);
    throw describe(error as NodeJS.ErrnoException, file);
  }
}

/** Flushes a folder's entries (a rename into it). Some systems cannot open a folder for that; the data is safe anyway. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR, EINVAL or EPERM where folders cannot be synced (Windows, some network file systems).
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function describe(error: NodeJS.ErrnoException, file: string): FileWriteError {
  if (error instanceof FileWriteError) return error;
  const code = error.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new FileWriteError('permission-denied', 'permission denied', code);
    case 'EROFS':
      return new FileWriteError('read-only', 'the file system is read-only', code);
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileWriteError('no-space', code === 'ENOSPC' ? 'no space left on the device' : 'disk quota exceeded', code);
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileWriteError('not-found', `the folder of ${path.basename(file)} does not exist`, code);
    case 'EISDIR':
      return new FileWriteError('not-a-file', 'is a directory', code);
    default:
      return new FileWriteError('failed', `could not write the file${code ? ` (${code})` : ''}: ${error.message}`, code);
  }
}
