// Running whole processes for the benchmarks: wall time from spawn to exit, and the process's peak
// resident memory and CPU time as the kernel accounts them (GNU time's %M, %U and %S, from wait4's
// rusage), standard output discarded (/dev/null), as a user piping to a file or a pager would pay for
// writing it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/** Whether GNU time is there to report a child's peak memory (Debian package `time`). */
export function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ['-f', '%M %U %S', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+ [\d.]+ [\d.]+\s*$/m.test(probe.stderr);
}

/** The path of a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir || '.', program);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

export interface ProcessRun {
  wallMs: number;
  /** Peak RSS of the whole process in bytes, -1 when GNU time is absent. */
  peakRss: number;
  /** User plus system CPU time of the whole process (all its threads) in ms, -1 when GNU time is absent. */
  cpuMs: number;
  exitCode: number | null;
  stdout: string;
  /** Bytes written to standard output, when counted. */
  stdoutBytes: number;
  stderr: string;
}

/**
 * Runs `command args` once. `keepStdout` collects standard output (for the in-process children's JSON),
 * `countStdout` only counts its bytes; otherwise it goes to /dev/null.
 */
export function runProcess(
  command: string,
  args: string[],
  options: { keepStdout?: boolean; countStdout?: boolean; gnuTime?: boolean; timeoutMs?: number } = {},
): Promise<ProcessRun> {
  const dir = options.gnuTime ? mkdtempSync(join(tmpdir(), 'torrent-lens-bench-time-')) : undefined;
  const timeFile = dir ? join(dir, 'time') : undefined;
  const [file, argv] = timeFile ? [GNU_TIME, ['-q', '-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', options.keepStdout || options.countStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (options.keepStdout) stdout += chunk.toString('utf8');
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let peakRss = -1;
      let cpuMs = -1;
      if (timeFile) {
        try {
          const figures = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(timeFile, 'utf8').trim());
          if (figures) {
            peakRss = Number(figures[1]) * 1024;
            cpuMs = (Number(figures[2]) + Number(figures[3])) * 1000;
          }
        } catch {
          // the program could not be run; exitCode says so
        }
        rmSync(dir!, { recursive: true, force: true });
      }
      resolve({ wallMs, peakRss, cpuMs, exitCode, stdout, stdoutBytes, stderr });
    });
  });
}
