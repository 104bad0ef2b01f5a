// The first look at a torrent's files on disk, before any hashing: is each one there, a regular file,
// inside the chosen folder, and of the right size? Runs on a worker thread, a batch of files at a time.

import { realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { asBuffer } from '../hashing/thread-bytes';

export interface ProbeRequest {
  /**
   * The real path of the chosen folder: a file whose real path is not inside it (reached through a
   * symbolic link that points out) is refused. Absent for a single-file torrent, whose file the user named.
   */
  folder?: Uint8Array;
  files: { index: number; path: Uint8Array }[];
}

export type FileProbe =
  /** `realPath`: where to read it when links lead elsewhere (checked to stay inside the folder); else the path asked about. */
  | { index: number; state: 'present'; size: number; realPath?: Uint8Array }
  | { index: number; state: 'missing' }
  | { index: number; state: 'refused'; code: 'outside' | 'not-a-file' | string; message: string };

export function probeFiles(request: ProbeRequest): FileProbe[] {
  const prefix = request.folder ? Buffer.concat([asBuffer(request.folder), Buffer.from(sep)]) : undefined;
  return request.files.map(({ index, path }) => {
    let real: Buffer;
    try {
      real = realpathSync.native(asBuffer(path), { encoding: 'buffer' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'ENOENT' || code === 'ENOTDIR') return { index, state: 'missing' };
      return { index, state: 'refused', code, message: reason(error) };
    }
    if (prefix && !(real.length > prefix.length && real.subarray(0, prefix.length).equals(prefix)))
      return { index, state: 'refused', code: 'outside', message: 'leads out of the chosen folder through a symbolic link; not read' };
    try {
      const stat = statSync(real);
      if (!stat.isFile()) return { index, state: 'refused', code: 'not-a-file', message: 'is not a regular file' };
      return real.equals(asBuffer(path))
        ? { index, state: 'present', size: stat.size }
        : { index, state: 'present', size: stat.size, realPath: Uint8Array.from(real) };
    } catch (error) {
      return { index, state: 'refused', code: (error as NodeJS.ErrnoException).code ?? 'EIO', message: reason(error) };
    }
  });
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.replace(/, \w+ '.*'$/, '') : String(error);
}
