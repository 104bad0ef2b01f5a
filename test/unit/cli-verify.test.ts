// `torrent-lens verify` as users run it: the built CLI on data and torrents the tests make (torrents by
// createTorrent, hostile ones by hand). Exit 0 when everything matches, 1 when something is missing or
// wrong, 2 for bad input, 130 when cancelled; the JSON's piece numbers; where the data is looked for.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { encode } from '../../src/core/bencode/decode';
import { createTorrent } from '../../src/core/create/create';
import { cliPath } from '../support/corpus';
import { interruptOnceOpen } from '../support/cli-process';
import { flipByte, plainV1Pieces, seededBytes, tempFolder, testPool, writeTree, type TreeFile } from '../support/hashing';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: Uint8Array): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read field by field in asserts
function verifyJson(...args: string[]): { status: number | null; json: any } {
  const run = cli(['verify', '--json', ...args]);
  assert.equal(run.stderr, '');
  return { status: run.status, json: JSON.parse(run.stdout) };
}

function assertBadInput(run: Run, message: RegExp): void {
  assert.equal(run.status, 2, `exit status (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^error: [^\n]+\n$/, 'exactly one line');
  assert.match(run.stderr, message);
}

const PIECE = 32 * 1024;
const FILES: TreeFile[] = [
  { path: 'a.bin', size: 4 * PIECE + 10 },
  { path: 'b/c.txt', size: 3000 },
  { path: 'b/d.dat', size: PIECE },
];

describe('torrent-lens verify', () => {
  const pool = testPool();
  let dir: string;
  let remove: () => void;
  /** The save folder: the data is in its `Data` folder, the torrents beside it. */
  let save: string;
  let data: string;
  const torrentOf = (version: string) => path.join(save, `data-${version}.torrent`);

  before(async () => {
    ({ dir, remove } = tempFolder('torrent-lens-cli-verify-'));
    save = path.join(dir, 'save');
    data = path.join(save, 'Data');
    writeTree(data, FILES);
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      const { torrent } = await createTorrent({ path: data, version, pieceLength: PIECE, pool, createdBy: false, creationDate: false });
      writeFileSync(torrentOf(version), torrent);
    }
  });
  beforeEach(() => {
    rmSync(data, { recursive: true, force: true });
    writeTree(data, FILES);
  });
  after(async () => {
    await pool.close();
    remove();
  });

  test("intact data: exit 0, the torrent file's own folder is where the data is looked for by default", () => {
    for (const version of ['v1', 'v2', 'hybrid']) {
      const run = cli(['verify', torrentOf(version)]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '', 'no progress bar on a pipe');
      assert.match(
        run.stdout,
        new RegExp(`^Checked ${data.replace(/[/.]/g, '\\$&')} against Data \\(${version}, \\d+ pieces of 32\\.0 KiB\\)\n`),
      );
      assert.match(run.stdout, /\nAll 3 files complete: (\d+) of \1 pieces good\.\n$/);
    }
  });

  test('--json: pieceCount, badPieces and each file with its status and bad pieces', () => {
    const { status, json } = verifyJson(torrentOf('hybrid'));
    assert.equal(status, 0);
    assert.equal(json.torrent, torrentOf('hybrid'));
    assert.equal(json.data, data);
    assert.equal(json.complete, true);
    assert.equal(json.pieceCount, 7);
    assert.deepEqual(json.badPieces, []);
    assert.equal(json.pieceStates, 'ggggggg');
    assert.deepEqual(
      json.files.map((f: { path: string; status: string; badPieces: number[] }) => [f.path, f.status, f.badPieces]),
      FILES.map((f) => [f.path, 'complete', []]),
    );
  });

  test("damaged, missing and wrong-size files: exit 1, with v1 piece numbers (v1, hybrid) or each file's own (v2)", () => {
    flipByte(path.join(data, 'a.bin'), 2 * PIECE + 1);
    rmSync(path.join(data, 'b', 'c.txt'));
    truncateSync(path.join(data, 'b', 'd.dat'), 100);
    const v1 = verifyJson(torrentOf('v1'));
    assert.equal(v1.status, 1);
    // v1 pieces run across files: a.bin 0–4, c.txt 4, d.dat 4–5.
    assert.deepEqual(v1.json.badPieces, [2, 4, 5]);
    assert.deepEqual(
      v1.json.files.map((f: { status: string; badPieces: number[] }) => [f.status, f.badPieces]),
      [
        ['damaged', [2, 4]],
        ['missing', [4]],
        ['wrong-size', [4, 5]],
      ],
    );
    const v2 = verifyJson(torrentOf('v2'));
    assert.equal(v2.status, 1);
    assert.deepEqual(
      v2.json.files.map((f: { badPieces: number[] }) => f.badPieces),
      [[2], [0], [0]],
    );
    // v2 pieces: each file's own, end to end (a.bin 0–4, c.txt 5, d.dat 6).
    assert.deepEqual(v2.json.badPieces, [2, 5, 6]);
    const hybrid = cli(['verify', torrentOf('hybrid')]);
    assert.equal(hybrid.status, 1);
    assert.match(hybrid.stdout, /\n {2}damaged {5}a\.bin\n {14}1 bad v1 piece: 2\n {14}1 bad v2 piece: 2\n/);
    assert.match(hybrid.stdout, /\n {2}missing {5}b\/c\.txt\n/);
    assert.match(hybrid.stdout, /\n {2}wrong size {2}b\/d\.dat\n(.*\n)* {14}100 bytes on disk, 32,768 in the torrent\n/);
    assert.match(hybrid.stdout, /\n0 of 3 files complete; 4 of 7 pieces good, 3 bad or missing\.\n$/);
  });

  test('--data: the folder that holds the data, or the data itself; a folder without it is bad input', () => {
    const elsewhere = path.join(dir, 'elsewhere');
    writeTree(path.join(elsewhere, 'Data'), FILES);
    assert.equal(verifyJson(torrentOf('v1'), '--data', elsewhere).json.data, path.join(elsewhere, 'Data'));
    // A copy under another name: the chosen folder holds the files itself.
    writeTree(path.join(dir, 'renamed'), FILES);
    const itself = verifyJson(torrentOf('v2'), '--data', path.join(dir, 'renamed'));
    assert.equal(itself.status, 0);
    assert.equal(itself.json.data, path.join(dir, 'renamed'));
    assertBadInput(cli(['verify', torrentOf('v1'), '--data', path.join(dir, 'nowhere')]), /nowhere does not exist/);
    mkdirSync(path.join(dir, 'empty'));
    assertBadInput(
      cli(['verify', torrentOf('v1'), '--data', path.join(dir, 'empty')]),
      /the data is not there: neither .*empty\/Data nor .*empty holds any of the files/,
    );
  });

  test('a torrent from standard input, with --data', () => {
    const torrent = new Uint8Array(readFileSync(torrentOf('hybrid')));
    const run = cli(['verify', '-', '--data', save, '--json'], torrent);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).data, data);
  });

  test('a hybrid whose v1 and v2 hashes disagree: the file is called out', () => {
    // A v1 piece hash changed by hand (as a dishonest creator could): a.bin passes v2 and fails v1.
    const original = readFileSync(torrentOf('hybrid'));
    const at = original.indexOf(Buffer.from('6:pieces')) + '6:pieces'.length;
    const colon = original.indexOf(0x3a, at);
    const tampered = Buffer.from(original);
    tampered[colon + 1] ^= 1;
    const file = path.join(save, 'tampered.torrent');
    writeFileSync(file, tampered);
    const run = cli(['verify', file]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /a\.bin\n(.*\n)* {14}passes v2 and fails v1: the torrent's v1 and v2 hashes disagree\n/);
  });

  test('bad input: not a torrent, a torrent that does not exist, usage', () => {
    writeFileSync(path.join(dir, 'junk.torrent'), 'd4:infoi1ee');
    assertBadInput(cli(['verify', path.join(dir, 'junk.torrent')]), /junk\.torrent: /);
    assertBadInput(cli(['verify', path.join(dir, 'none.torrent')]), /none\.torrent: no such file/);
    assertBadInput(cli(['verify']), /missing FILE/);
    assertBadInput(cli(['verify', torrentOf('v1'), '--data']), /needs a value/);
  });

  test('hostile paths are never read: .. and a name that would leave the folder', () => {
    const secret = seededBytes(7, 1000);
    writeFileSync(path.join(dir, 'secret'), secret);
    mkdirSync(path.join(dir, 'top'), { recursive: true });
    const file = path.join(dir, 'climb.torrent');
    writeFileSync(
      file,
      encode({
        info: {
          name: 'top',
          'piece length': PIECE,
          pieces: plainV1Pieces(secret, PIECE),
          files: [{ length: 1000, path: ['..', 'secret'] }],
        },
      }),
    );
    const { status, json } = verifyJson(file, '--data', dir);
    assert.equal(status, 1);
    assert.equal(json.files[0].status, 'unreadable');
    assert.match(json.files[0].error, /would leave the folder/);
    assert.equal(json.bytesRead, 0);
    // A name with a separator is not used as a folder name: the chosen folder must hold the data itself.
    const named = path.join(dir, 'named.torrent');
    writeFileSync(
      named,
      encode({ info: { name: '../secret', 'piece length': PIECE, pieces: plainV1Pieces(secret, PIECE), length: 1000 } }),
    );
    assertBadInput(cli(['verify', named, '--data', path.join(dir, 'top')]), /the data is not there/);
  });

  test('Ctrl-C while checking: exit 130', async () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    writeFileSync(path.join(big, 'sparse'), '');
    truncateSync(path.join(big, 'sparse'), 4 * 2 ** 30);
    const torrent = path.join(dir, 'big.torrent');
    // 4 GiB in 256 pieces of 16 MiB, their hashes zeros: verify reads and hashes it all (seconds), unless stopped.
    writeFileSync(
      torrent,
      encode({ info: { name: 'sparse', 'piece length': 1 << 24, pieces: Buffer.alloc(256 * 20), length: 4 * 2 ** 30 } }),
    );
    const { status, stderr } = await interruptOnceOpen(['verify', torrent, '--data', big], path.join(big, 'sparse'));
    assert.equal(status, 130, stderr);
    assert.equal(stderr, 'cancelled\n');
  });
});
