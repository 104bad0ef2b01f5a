// The first look at a torrent's files on disk, before any hashing: is each one there, a regular file,
// inside the chosen folder, and of what size? Runs on every hashing thread at once, each taking chunks of
// files from the run's shared counter and writing states and sizes into its shared arrays.
//
// Inside the folder: a file's own link is resolved and must lead inside; the folders on its way are
// checked once per folder (their real path must be inside), so a link to a folder outside cannot take a
// read out of it. Files then read at a path other than the one asked about (links that stay inside) are
// named in the result with their real path, which the reader opens with O_NOFOLLOW.

import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { CONTROL_ABORT, CONTROL_NEXT, type JobProblem, type ProbeResult, type ProbeRun } from '../hashing/protocol';

/** Not looked at (a pad file, or a path that would leave the folder). */
export const PROBE_NONE = 0;
export const PROBE_PRESENT = 1;
export const PROBE_MISSING = 2;
/** There but not to be read: outside the folder, not a regular file, or the system refused; the problem says why. */
export const PROBE_REFUSED = 3;

const CHUNK = 256;

export function runProbePart(run: ProbeRun): ProbeResult {
  const problems: JobProblem[] = [];
  const realPaths: ProbeResult['realPaths'] = [];
  const folder = run.folder ? Buffer.from(run.folder.buffer, run.folder.byteOffset, run.folder.byteLength).toString() : undefined;
  const base = Buffer.from(run.base.buffer, run.base.byteOffset, run.base.byteLength).toString();
  const count = run.paths.ends.length;
  /** Real paths of the folders files are in, each resolved once. */
  const folders = new Map<string, string | { error: unknown }>();
  const inside = (real: string) => folder === undefined || real === folder || real.startsWith(folder + sep);
  const refuse = (i: number, code: string, message: string) => {
    run.states[i] = PROBE_REFUSED;
    problems.push({ id: i, code, message });
  };
  for (;;) {
    if (Atomics.load(run.control, CONTROL_ABORT) !== 0) break;
    const from = Atomics.add(run.control, CONTROL_NEXT, 1) * CHUNK;
    if (from >= count) break;
    for (let i = from; i < Math.min(count, from + CHUNK); i++) {
      const start = i === 0 ? 0 : run.paths.ends[i - 1];
      const bytes = run.paths.bytes.subarray(start, run.paths.ends[i]);
      const path = base + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString().replaceAll('\0', sep);
      let stat;
      try {
        stat = lstatSync(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'ENOENT' || code === 'ENOTDIR') run.states[i] = PROBE_MISSING;
        else refuse(i, code, reason(error));
        continue;
      }
      if (stat.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync.native(path);
          stat = statSync(real);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
          if (code === 'ENOENT' || code === 'ENOTDIR') run.states[i] = PROBE_MISSING;
          else refuse(i, code, reason(error));
          continue;
        }
        if (!inside(real)) {
          refuse(i, 'outside', 'leads out of the chosen folder through a symbolic link; not read');
          continue;
        }
        if (!stat.isFile()) {
          refuse(i, 'not-a-file', 'is not a regular file');
          continue;
        }
        run.states[i] = PROBE_PRESENT;
        run.sizes[i] = stat.size;
        realPaths.push({ index: i, path: Uint8Array.from(Buffer.from(real)) });
        continue;
      }
      if (!stat.isFile()) {
        refuse(i, 'not-a-file', 'is not a regular file');
        continue;
      }
      if (folder !== undefined) {
        const parent = dirname(path);
        let real = folders.get(parent);
        if (real === undefined) {
          try {
            real = realpathSync.native(parent);
          } catch (error) {
            real = { error };
          }
          folders.set(parent, real);
        }
        if (typeof real !== 'string') {
          refuse(i, (real.error as NodeJS.ErrnoException).code ?? 'EIO', reason(real.error));
          continue;
        }
        if (!inside(real)) {
          refuse(i, 'outside', 'leads out of the chosen folder through a symbolic link; not read');
          continue;
        }
        if (real !== parent) realPaths.push({ index: i, path: Uint8Array.from(Buffer.from(real + path.slice(parent.length))) });
      }
      run.states[i] = PROBE_PRESENT;
      run.sizes[i] = stat.size;
    }
  }
  return { bytesRead: 0, problems, realPaths };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.replace(/, \w+ '.*'$/, '') : String(error);
}
