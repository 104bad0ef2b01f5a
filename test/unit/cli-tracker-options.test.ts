// `torrent-lens announce` and `scrape` check their numeric options against the tracker core's own limits
// (TRACKER_OPTION_LIMITS) before reading the torrent or sending anything: a value out of range is a usage
// error (exit 2) that names the option and its range. Run through the built CLI, as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { cliPath } from '../support/corpus';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('numeric tracker options out of the core’s range: a usage error naming the option, nothing sent', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-tracker-options-'));
  try {
    const file = path.join(dir, 'a.torrent');
    // Its tracker listens nowhere: had anything been sent, the run would print results instead.
    const info = { length: 5, name: 'a.bin', 'piece length': 16384, pieces: new Uint8Array(20) };
    writeFileSync(file, encode({ announce: 'udp://127.0.0.1:9/announce', info }));
    const cases: [string[], string][] = [
      [['announce', file, '--timeout', '0'], "option '--timeout' must be a whole number from 1 to 600,000 milliseconds, not 0"],
      [['scrape', file, '--timeout', '600001'], "option '--timeout' must be a whole number from 1 to 600,000 milliseconds, not 600,001"],
      [['scrape', file, '--udp-retry', '0'], "option '--udp-retry' must be a whole number from 1 to 600,000 milliseconds, not 0"],
      [['announce', file, '--port', '0'], "option '--port' must be a whole number from 1 to 65,535, not 0"],
      [['announce', file, '--port', '65536'], "option '--port' must be a whole number from 1 to 65,535, not 65,536"],
      [['announce', file, '--numwant', '10001'], "option '--numwant' must be a whole number from 0 to 10,000, not 10,001"],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      assert.deepEqual([run.status, run.stdout, run.stderr], [2, '', `error: ${message}\n`], args.join(' '));
    }
    // The options are checked before the file is read: a usage error comes first.
    const missing = cli(['announce', path.join(dir, 'missing.torrent'), '--port', '70000']);
    assert.equal(missing.stderr, "error: option '--port' must be a whole number from 1 to 65,535, not 70,000\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
