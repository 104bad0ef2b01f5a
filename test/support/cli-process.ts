// The built CLI (dist/cli.js) as a child process, stopped by Ctrl-C in the middle of its work.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { cliPath } from './corpus';

/**
 * Runs `torrent-lens args`, waits until the CLI has `file` open (a hashing thread is reading it, so the run
 * is under way), sends SIGINT as Ctrl-C does, and returns how it exited.
 */
export async function interruptOnceOpen(args: string[], file: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!hasOpen(child.pid as number, file)) {
    assert.ok(Date.now() < deadline, 'the file was never opened');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stderr };
}

/** Whether process `pid` has `file` open (any of its threads). */
function hasOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
