// `torrent-lens create` as users run it: the built CLI (dist/cli.js) as a child process on folders the
// tests make. Every option, every exit status, the one-line errors, the progress bar on a terminal (under
// script(1), which gives the CLI a pseudo-terminal) and nothing on a pipe, and Ctrl-C.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { progressLine } from '../../src/cli/progress-bar';
import { cliPath } from '../support/corpus';
import { interruptOnceOpen } from '../support/cli-process';
import { plainV1Pieces, tempFolder, writeTree } from '../support/hashing';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

function cli(args: string[], cwd?: string): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString(), stdoutBytes: result.stdout };
}

/** Exit 2, nothing on stdout, one line on stderr that matches `message`. */
function assertUsageError(run: Run, message: RegExp): void {
  assert.equal(run.status, 2, `exit status (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^error: [^\n]+\n$/, 'exactly one line');
  assert.match(run.stderr, message);
}

function torrentAt(file: string): Metainfo {
  const parsed = parseMetainfo(readFileSync(file));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.failure.message);
  return parsed.metainfo;
}

const rootKeys = (m: Metainfo) => m.document.entries(m.document.root).map(([k]) => m.document.binary(k));
const infoKeys = (m: Metainfo) => m.document.entries(m.info).map(([k]) => m.document.binary(k));
const filePaths = (m: Metainfo) => [...m.files].filter((f) => !f.padding).map((f) => f.path.map((e) => e.text).join('/'));

describe('torrent-lens create', () => {
  let dir: string;
  let remove: () => void;
  let folder: string;
  let contents: Map<string, Buffer>;
  let n = 0;
  /** A fresh output path. */
  const out = () => path.join(dir, `out-${++n}.torrent`);

  before(() => {
    ({ dir, remove } = tempFolder('torrent-lens-cli-create-'));
    folder = path.join(dir, 'Folder');
    contents = writeTree(folder, [
      { path: 'a.bin', size: 100_000 },
      { path: 'sub/b.txt', size: 5_000 },
      { path: 'sub/c.nfo', size: 10 },
      { path: '.hidden', size: 7 },
    ]);
    symlinkSync('a.bin', path.join(folder, 'link'));
  });
  after(() => remove());

  test('defaults: a hybrid torrent named after the folder in the current folder, created by Torrent Lens and dated', () => {
    const cwd = path.join(dir, 'cwd');
    mkdirSync(cwd);
    const run = cli(['create', folder], cwd);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress bar on a pipe');
    const file = path.join(cwd, 'Folder.torrent');
    const m = torrentAt(file);
    assert.equal(m.version, 'hybrid');
    assert.equal(m.name.text, 'Folder');
    assert.deepEqual(filePaths(m), ['a.bin', 'sub/b.txt', 'sub/c.nfo'], 'hidden names and links left out');
    assert.equal(m.createdBy?.text, 'Torrent Lens');
    assert.ok(Math.abs((m.creationDate ?? 0) - Date.now() / 1000) < 600);
    assert.match(run.stdout, new RegExp(`^Wrote ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n`));
    assert.match(run.stdout, / {2}info hash +v1 [0-9a-f]{40}\n +v2 [0-9a-f]{64}\n/);
    assert.match(run.stdout, / {2}files +3, 103 KiB \(2 left out\)/);
    assert.deepEqual(readdirSync(cwd), ['Folder.torrent'], 'no temporary file left');
  });

  test('--v1, --v2 and --hybrid; two of them is a usage error', () => {
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      const file = out();
      assert.equal(cli(['create', folder, `--${version}`, '-o', file]).status, 0);
      assert.equal(torrentAt(file).version, version);
    }
    const file = out();
    assertUsageError(cli(['create', folder, '--v1', '--v2', '-o', file]), /choose one of --v1, --v2 and --hybrid/);
    assert.equal(existsSync(file), false);
  });

  test('--piece-length in bytes or with K and M; anything but a power of two from 16K to 256M is refused', () => {
    for (const [given, bytes] of [
      ['32768', 32768],
      ['32K', 32768],
      ['64 KiB', 65536],
      ['1M', 1 << 20],
    ] as const) {
      const file = out();
      const run = cli(['create', folder, '--v1', '--piece-length', given, '-o', file]);
      assert.equal(run.status, 0, run.stderr);
      const m = torrentAt(file);
      assert.equal(m.pieceLength, bytes);
      const data = Buffer.concat(['a.bin', 'sub/b.txt', 'sub/c.nfo'].map((p) => contents.get(p) as Buffer));
      assert.deepEqual(Buffer.from(m.document.bytes(m.document.get(m.info, 'pieces'))), plainV1Pieces(data, bytes));
    }
    assertUsageError(cli(['create', folder, '--piece-length', '3000', '-o', out()]), /power of two from 16 KiB to 256 MiB, not 3000/);
    assertUsageError(cli(['create', folder, '--piece-length', '8K', '-o', out()]), /not 8192/);
    assertUsageError(cli(['create', folder, '--piece-length', 'big', '-o', out()]), /needs a size such as 262144, 256K or 4M/);
  });

  test('--tracker and --tier: tiers in order, the first tracker as announce; a URL that is not a tracker is refused', () => {
    const file = out();
    const A = 'udp://127.0.0.1:6969/announce';
    const B = 'http://127.0.0.1:8000/announce';
    const C = 'wss://127.0.0.1/tracker';
    assert.equal(cli(['create', folder, '--tracker', A, '--tracker', B, '--tier', '--tracker', C, '-o', file]).status, 0);
    const m = torrentAt(file);
    assert.deepEqual(m.trackers, [[A, B], [C]]);
    assert.equal(Buffer.from(m.document.bytes(m.document.get(m.document.root, 'announce'))).toString(), A);
    const one = out();
    assert.equal(cli(['create', folder, '--tier', '--tracker', A, '--tier', '-o', one]).status, 0, 'empty tiers are dropped');
    assert.deepEqual(rootKeys(torrentAt(one)).includes('announce-list'), false, 'one tracker: announce only, as mktorrent');
    assertUsageError(
      cli(['create', folder, '--tracker', 'ftp://example.org/x', '-o', out()]),
      /is not a usable tracker URL: unsupported tracker scheme "ftp:"/,
    );
    assertUsageError(cli(['create', folder, '--tracker', 'udp://127.0.0.1/announce', '-o', out()]), /needs a port/);
  });

  test('--web-seed: one is a string, several a list; only http and https', () => {
    const one = out();
    assert.equal(cli(['create', folder, '--web-seed', 'https://example.org/files/', '-o', one]).status, 0);
    assert.deepEqual(torrentAt(one).webSeeds, ['https://example.org/files/']);
    const two = out();
    assert.equal(cli(['create', folder, '--web-seed', 'http://a.example/', '--web-seed', 'https://b.example/', '-o', two]).status, 0);
    const m = torrentAt(two);
    assert.ok(m.document.isList(m.document.get(m.document.root, 'url-list')));
    assert.deepEqual(m.webSeeds, ['http://a.example/', 'https://b.example/']);
    assertUsageError(cli(['create', folder, '--web-seed', 'udp://a.example:1/', '-o', out()]), /web seed URL starts with http/);
  });

  test('--private, --source, --comment and --name', () => {
    const file = out();
    const run = cli(['create', folder, '--private', '--source', 'LAB', '--comment', 'hello ☺', '--name', 'Other Name', '-o', file]);
    assert.equal(run.status, 0, run.stderr);
    const m = torrentAt(file);
    assert.equal(m.private, true);
    assert.equal(m.source?.text, 'LAB');
    assert.equal(m.comment?.text, 'hello ☺');
    assert.equal(m.name.text, 'Other Name');
    assert.ok(infoKeys(m).includes('private') && infoKeys(m).includes('source'), 'private and source are in the info dictionary');
    assertUsageError(cli(['create', folder, '--name', 'a/b', '-o', out()]), /cannot be a torrent's name/);
    assertUsageError(cli(['create', folder, '--source', '', '-o', out()]), /source must be a non-empty string/);
    const cwd = path.join(dir, 'named');
    mkdirSync(cwd);
    assert.equal(cli(['create', folder, '--name', 'Other Name'], cwd).status, 0);
    assert.ok(existsSync(path.join(cwd, 'Other Name.torrent')), 'the default output follows --name');
  });

  test('--exclude, --hidden and --symlinks', () => {
    const excluded = out();
    assert.equal(cli(['create', folder, '--exclude', '*.nfo', '--exclude', 'sub/b.*', '-o', excluded]).status, 0);
    assert.deepEqual(filePaths(torrentAt(excluded)), ['a.bin']);
    const hidden = out();
    assert.equal(cli(['create', folder, '--hidden', '-o', hidden]).status, 0);
    assert.deepEqual(filePaths(torrentAt(hidden)), ['.hidden', 'a.bin', 'sub/b.txt', 'sub/c.nfo']);
    assert.equal(readlinkSync(path.join(folder, 'link')), 'a.bin');
    for (const policy of ['follow-inside', 'follow']) {
      const file = out();
      assert.equal(cli(['create', folder, '--symlinks', policy, '-o', file]).status, 0);
      assert.deepEqual(filePaths(torrentAt(file)), ['a.bin', 'link', 'sub/b.txt', 'sub/c.nfo'], policy);
    }
    assertUsageError(
      cli(['create', folder, '--symlinks', 'error', '-o', out()]),
      /link is a symbolic link; choose to skip or follow links/,
    );
    assertUsageError(
      cli(['create', folder, '--symlinks', 'always', '-o', out()]),
      /'--symlinks' must be one of skip, follow-inside, follow, error/,
    );
  });

  test('--no-date and --no-created-by: the same bytes on every run, and no created by or creation date', () => {
    const first = out();
    const second = out();
    assert.equal(cli(['create', folder, '--no-date', '--no-created-by', '-o', first]).status, 0);
    assert.equal(cli(['create', folder, '--no-date', '--no-created-by', '-o', second]).status, 0);
    assert.deepEqual(readFileSync(first), readFileSync(second));
    const keys = rootKeys(torrentAt(first));
    assert.equal(keys.includes('created by') || keys.includes('creation date'), false);
    const dated = out();
    assert.equal(cli(['create', folder, '--no-created-by', '-o', dated]).status, 0);
    assert.deepEqual(rootKeys(torrentAt(dated)), ['creation date', 'info', 'piece layers']);
  });

  test('--json: the summary, with the output path and the info hashes of the file written', () => {
    const file = out();
    const run = cli(['create', folder, '--json', '--exclude', '*.nfo', '-o', file]);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    const m = torrentAt(file);
    assert.equal(json.output, file);
    assert.deepEqual(json.infoHash, { v1: m.infoHash.v1, v2: m.infoHash.v2 });
    assert.equal(json.version, 'hybrid');
    assert.equal(json.fileCount, 2);
    assert.equal(json.totalLength, 105_000);
    assert.equal(json.pieceCount, m.pieceCount);
    assert.equal(json.padFileCount, m.files.padCount);
    assert.equal(json.torrentLength, readFileSync(file).length);
    assert.deepEqual(
      json.skipped.map((s: { path: string; reason: string }) => `${s.path}:${s.reason}`),
      ['.hidden:hidden', 'link:symlink', 'sub/c.nfo:excluded'],
    );
    assert.deepEqual(json.warnings, []);
  });

  test('-o - writes the torrent to standard output and the summary to standard error; not with --json', () => {
    const run = cli(['create', folder, '--no-date', '-o', '-']);
    assert.equal(run.status, 0, run.stderr);
    const parsed = parseMetainfo(run.stdoutBytes);
    assert.ok(parsed.ok);
    assert.equal(parsed.metainfo.name.text, 'Folder');
    assert.match(run.stderr, /^Wrote the torrent to standard output\n/);
    assertUsageError(cli(['create', folder, '--json', '-o', '-']), /'--json' and '-o -' both want standard output/);
  });

  test('an existing file is kept unless --force, which replaces it in one step', () => {
    const file = out();
    writeFileSync(file, 'precious');
    assertUsageError(cli(['create', folder, '-o', file]), /exists already \(--force overwrites it\)/);
    assert.equal(readFileSync(file, 'utf8'), 'precious');
    assert.equal(cli(['create', folder, '-f', '-o', file]).status, 0);
    assert.equal(torrentAt(file).name.text, 'Folder');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.part')),
      [],
      'no temporary file left',
    );
  });

  test('bad input: a path that does not exist, an empty folder, an output folder that does not exist, a name that is not UTF-8, usage', () => {
    assertUsageError(cli(['create', path.join(dir, 'nowhere'), '-o', out()]), /nowhere does not exist/);
    mkdirSync(path.join(dir, 'empty'));
    assertUsageError(cli(['create', path.join(dir, 'empty'), '-o', out()]), /has no files to put in a torrent/);
    assertUsageError(
      cli(['create', folder, '-o', path.join(dir, 'no-such-folder', 'x.torrent')]),
      /cannot be written: its folder does not exist/,
    );
    const latin1 = path.join(dir, 'latin1');
    mkdirSync(latin1);
    writeFileSync(Buffer.concat([Buffer.from(`${latin1}/caf`), Buffer.from([0xe9])]), 'x');
    assertUsageError(cli(['create', latin1, '-o', out()]), /the name is not UTF-8/);
    assertUsageError(cli(['create']), /missing PATH/);
    assertUsageError(cli(['create', folder, '--bogus']), /unknown option '--bogus'/);
    assertUsageError(cli(['create', folder, '--tracker']), /needs a value/);
  });

  test('a progress bar on a terminal, redrawn in place and cleared at the end', () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    truncateSync(writeAndReturn(path.join(big, 'sparse'), ''), 64 << 20);
    const file = out();
    const run = spawnSync('script', ['-qec', `${process.execPath} ${cliPath} create ${big} -o ${file} --v1`, '/dev/null'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\r\x1b\[2KHashing \[[█░]{24}\] +\d+%/, 'the bar, drawn in place');
    assert.match(run.stdout, /\r\x1b\[2KWrote /, 'cleared before the summary');
    assert.equal(torrentAt(file).totalLength, 64 << 20);
  });

  test('the progress line: bar, share, sizes, rate and time left, cut to the terminal', () => {
    const line = progressLine(
      { phase: 'hashing', bytesDone: 512 << 20, bytesTotal: 1 << 30, bytesPerSecond: 256 << 20, etaSeconds: 2, elapsedMs: 2000 },
      'Hashing',
      120,
    );
    assert.equal(line, `Hashing [${'█'.repeat(12)}${'░'.repeat(12)}]   50%  512 MiB of 1.00 GiB  256 MiB/s  2 s left`);
    assert.equal(
      progressLine({ phase: 'listing', bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, elapsedMs: 1 }, 'Hashing', 80),
      'Looking at the files…',
    );
    assert.equal(
      progressLine({ phase: 'hashing', bytesDone: 1, bytesTotal: 2, bytesPerSecond: 0, elapsedMs: 1 }, 'Hashing', 20).length,
      19,
    );
  });

  test('Ctrl-C while hashing: exit 130, no torrent and no temporary file left', async () => {
    const big = path.join(dir, 'huge');
    mkdirSync(big);
    // Sparse: 4 GiB that take no disk, and seconds to hash.
    truncateSync(writeAndReturn(path.join(big, 'sparse'), ''), 4 * 2 ** 30);
    const file = out();
    const { status, stderr } = await interruptOnceOpen(['create', big, '-o', file], path.join(big, 'sparse'));
    assert.equal(status, 130, stderr);
    assert.equal(stderr, 'cancelled: no torrent written\n');
    assert.equal(existsSync(file), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.part')),
      [],
    );
  });
});

function writeAndReturn(file: string, content: string): string {
  writeFileSync(file, content);
  return file;
}
