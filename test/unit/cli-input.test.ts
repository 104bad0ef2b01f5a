// The CLI on what is not a regular torrent file: a device, a FIFO fed without end, an endless standard input,
// a file over the cap. Each is refused with one line, soon, without reading what it does not need.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath } from '../support/corpus';

const CLI = '"$NODE_BIN" "$CLI_JS"';
const TOO_LARGE = 'is larger than the 256 MiB a torrent may be';
/** Generous: reading the whole cap takes about a second; an unbounded read would never end. */
const DEADLINE_MS = 60_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell line (the CLI in it as `${CLI}`), killed with everything it started if it outlives the deadline. */
function shell(line: string, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], {
      cwd,
      env: { ...process.env, NODE_BIN: process.execPath, CLI_JS: cliPath },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`still running after ${DEADLINE_MS} ms: ${line}`));
    }, DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function assertOneLine(run: Run, expected: string): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `error: ${expected}\n`);
}

function inTempDir(body: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-input-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const NOT_A_TORRENT = "unexpected byte 0x00 at byte 0: a torrent is a bencoded dictionary, which starts with 'd' (at byte 0)";

test(
  'cli input: /dev/zero is refused at its first byte',
  inTempDir(async (dir) => {
    const started = performance.now();
    assertOneLine(await shell(`${CLI} show /dev/zero`, dir), `/dev/zero: ${NOT_A_TORRENT}`);
    // Reading the 256 MiB cap first took over a second; the first byte takes a process start.
    assert.ok(performance.now() - started < 10_000);
  }),
);

test(
  'cli input: a FIFO fed "d" and then bytes without end is stopped at the cap',
  inTempDir(async (dir) => {
    const fifo = path.join(dir, 'endless.torrent');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // The writer dies of SIGPIPE once the CLI has stopped reading and closed the FIFO.
    const run = await shell(`{ printf d; exec cat /dev/zero; } > endless.torrent & ${CLI} show endless.torrent`, dir);
    assertOneLine(run, `endless.torrent: ${TOO_LARGE}`);
  }),
);

test(
  'cli input: standard input is refused at its first byte, or stopped at the cap',
  inTempDir(async (dir) => {
    assertOneLine(await shell(`${CLI} show - < /dev/zero`, dir), `<stdin>: ${NOT_A_TORRENT}`);
    assertOneLine(await shell(`{ printf d; exec cat /dev/zero; } | ${CLI} show -`, dir), `<stdin>: ${TOO_LARGE}`);
  }),
);

test(
  'cli input: a regular file over the cap is refused by its size, with the same message',
  inTempDir(async (dir) => {
    const file = path.join(dir, 'huge.torrent');
    writeFileSync(file, 'd');
    truncateSync(file, 300 * 1024 * 1024); // sparse: nothing is written
    assertOneLine(await shell(`${CLI} show huge.torrent`, dir), `huge.torrent: ${TOO_LARGE}`);
  }),
);
