// `torrent-lens edit`, the built CLI run as a child process on copies of corpus torrents: what it writes (only the
// edited bytes change, the info hash stays), where, what it prints (secrets hidden), and how it refuses bad input
// without touching a file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decode, encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { cliPath, corpusRoot } from '../support/corpus';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parse(file: string): Metainfo {
  const result = parseMetainfo(new Uint8Array(readFileSync(file)));
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

/** A fresh folder with copies of corpus torrents; removed at the end of the test. */
function workspace(...names: string[]): { dir: string; files: string[]; [Symbol.dispose](): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-edit-cli-'));
  const files = names.map((name) => {
    const file = path.join(dir, path.basename(name));
    copyFileSync(path.join(corpusRoot, 'gen', name), file);
    chmodSync(file, 0o644); // writable whatever the corpus files' own mode (a checkout may make them read-only)
    return file;
  });
  return { dir, files, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

const TIERS = 'transmission-private-3trackers.torrent';
const NONCANONICAL = 'hand-noncanonical-unsorted-keys.torrent';
const NEW = 'udp://new.example:6969/announce';

test('edit --in-place adds a tracker; only the announce-list changes and the info hash stays', () => {
  using w = workspace(TIERS);
  const [file] = w.files;
  const before = readFileSync(file);
  const old = parse(file);
  const run = cli('edit', file, '--in-place', '--add-tracker', NEW);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  const after = parse(file);
  assert.deepEqual(after.trackers, [...old.trackers, [NEW]]);
  assert.equal(after.infoHash.v1, old.infoHash.v1);
  // Everything before the end of the announce-list and after it is as it was.
  const doc = decode(new Uint8Array(before));
  const listEnd = doc.end(doc.get(0, 'announce-list'));
  const inserted = `l${NEW.length}:${NEW}e`;
  assert.deepEqual(
    readFileSync(file),
    Buffer.concat([before.subarray(0, listEnd - 1), Buffer.from(inserted), before.subarray(listEnd - 1)]),
  );
  assert.match(run.stdout, /added announce-list\[3\]: 'udp:\/\/new\.example:6969\/announce'/);
  assert.match(run.stdout, new RegExp(`info hash: v1 ${old.infoHash.v1} \\(unchanged\\)\\n  written\\n$`));
  assert.deepEqual(readdirSync(w.dir), [TIERS], 'no temporary file left');
});

test('edit -o writes a new file with the mode of the input and leaves the input alone', () => {
  using w = workspace(TIERS);
  const [file] = w.files;
  chmodSync(file, 0o640);
  const before = readFileSync(file);
  const out = path.join(w.dir, 'out.torrent');
  const run = cli(
    'edit',
    file,
    '-o',
    out,
    '--comment',
    'a new comment',
    '--created-by',
    'Torrent Lens',
    '--creation-date',
    '2025-01-02T03:04:05Z',
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(readFileSync(file), before);
  const m = parse(out);
  assert.equal(m.comment?.text, 'a new comment');
  assert.equal(m.createdBy?.text, 'Torrent Lens');
  assert.equal(m.creationDate, Date.UTC(2025, 0, 2, 3, 4, 5) / 1000);
  assert.equal(statSync(out).mode & 0o777, 0o640);
  // Nothing to change: -o still writes the copy, byte for byte.
  const copy = path.join(w.dir, 'copy.torrent');
  assert.equal(cli('edit', file, '-o', copy, '--remove-tracker', 'http://not.listed/announce').status, 0);
  assert.deepEqual(readFileSync(copy), before);
});

test('edit several files into a folder; --dry-run writes nothing; --json reports each file', () => {
  using w = workspace(TIERS, NONCANONICAL, 'lt-v1-webseeds.torrent');
  const outDir = path.join(w.dir, 'out');
  mkdirSync(outDir);
  const run = cli('edit', ...w.files, '-o', outDir, '--add-web-seed', 'https://seed.example/files/', '--json');
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as {
    dryRun: boolean;
    files: {
      file: string;
      output: string;
      status: string;
      infoHash: { before: { v1: string }; after: { v1: string } };
      infoHashChanged: boolean;
      changes: { location: string; action: string; after?: string }[];
    }[];
  };
  assert.equal(json.dryRun, false);
  assert.equal(json.files.length, 3);
  for (const [i, report] of json.files.entries()) {
    assert.equal(report.file, w.files[i]);
    assert.equal(report.output, path.join(outDir, path.basename(w.files[i])));
    assert.equal(report.status, 'written');
    assert.equal(report.infoHashChanged, false);
    assert.equal(report.infoHash.after.v1, report.infoHash.before.v1);
    assert.equal(report.infoHash.before.v1, parse(w.files[i]).infoHash.v1);
    assert.ok(parse(report.output).webSeeds.includes('https://seed.example/files/'));
    assert.equal(report.changes.at(-1)?.after?.split(' ').at(-1), 'https://seed.example/files/');
  }
  const before = readFileSync(w.files[0]);
  const dry = cli('edit', w.files[0], '--dry-run', '--no-comment');
  assert.equal(dry.status, 0);
  assert.match(dry.stdout, /removed comment: 'transmission-create: private, three -t trackers'\n.*\n {2}dry run: not written\n$/);
  assert.deepEqual(readFileSync(w.files[0]), before);
});

test('a non-canonical torrent keeps its info hash through every kind of edit', () => {
  using w = workspace(NONCANONICAL);
  const [file] = w.files;
  const old = parse(file);
  assert.equal(old.infoCanonical, false);
  const run = cli(
    'edit',
    file,
    '--in-place',
    '--add-tracker',
    NEW,
    '--replace-tracker',
    '127.0.0.1:16969',
    'tracker.example:16969',
    '--add-web-seed',
    'https://seed.example/x',
    '--comment',
    'edited',
    '--created-by',
    'Torrent Lens',
    '--creation-date',
    'now',
  );
  assert.equal(run.status, 0, run.stderr);
  const after = parse(file);
  assert.equal(after.infoHash.v1, old.infoHash.v1);
  assert.equal(after.infoCanonical, false);
  assert.deepEqual(after.trackers, [['http://tracker.example:16969/announce'], [NEW]]);
  assert.ok(Math.abs((after.creationDate ?? 0) - Date.now() / 1000) < 60);
});

test('--private, --public and --source change the info hash only with --new-hash, and say so', () => {
  using w = workspace(NONCANONICAL);
  const [file] = w.files;
  const before = readFileSync(file);
  const refused = cli('edit', file, '--in-place', '--private', '--comment', 'x');
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    /^error: --private edits the info dictionary: the torrent gets a new info hash.*Give --new-hash to do it\n$/,
  );
  assert.deepEqual(readFileSync(file), before, 'nothing written');
  const old = parse(file);
  const run = cli('edit', file, '--in-place', '--private', '--source', 'CROSS', '--new-hash', '--json');
  assert.equal(run.status, 0, run.stderr);
  const report = (
    JSON.parse(run.stdout) as { files: { infoHashChanged: boolean; infoHash: { before: { v1: string }; after: { v1: string } } }[] }
  ).files[0];
  const after = parse(file);
  assert.equal(after.private, true);
  assert.equal(after.source?.text, 'CROSS');
  assert.equal(report.infoHashChanged, true);
  assert.equal(report.infoHash.before.v1, old.infoHash.v1);
  assert.equal(report.infoHash.after.v1, after.infoHash.v1);
  assert.notEqual(after.infoHash.v1, old.infoHash.v1);
  // Public again, but with the source kept: a third hash, the one the written file has.
  const out = path.join(w.dir, 'public.torrent');
  const text = cli('edit', file, '-o', out, '--public', '--new-hash');
  assert.match(
    text.stdout,
    new RegExp(`removed info.private: '1'\\n  info hash: v1 ${after.infoHash.v1} → v1 ${parse(out).infoHash.v1} \\(a new swarm\\)`),
  );
});

test('a passkey swapped by --replace-tracker is never printed, unless --show-secrets', () => {
  using w = workspace();
  const oldKey = '0123456789abcdef0123456789abcdef';
  const newKey = 'fedcba9876543210fedcba9876543210';
  const file = path.join(w.dir, 'private.torrent');
  const url = (key: string) => `https://tracker.example/${key}/announce`;
  writeFileSync(
    file,
    encode({
      announce: url(oldKey),
      info: { length: 1, name: 'x', 'piece length': 16384, pieces: new Uint8Array(20), private: 1 },
    }),
  );
  for (const json of [false, true]) {
    const run = cli(
      'edit',
      file,
      '--dry-run',
      '--replace-tracker',
      oldKey,
      newKey,
      '--add-tracker',
      url('aaaabbbbccccddddeeeeffff00001111'),
      ...(json ? ['--json'] : []),
    );
    assert.equal(run.status, 0, run.stderr);
    for (const secret of [oldKey, newKey, 'aaaabbbbccccddddeeeeffff00001111'])
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} printed`);
    assert.match(run.stdout, /\[redacted\]/);
    // Redacted, the swapped URL looks as it did: the change says that its hidden part changed.
    if (json) {
      const changes = JSON.parse(run.stdout).files[0].changes;
      assert.deepEqual(
        changes.filter((c: { hiddenPartOnly?: boolean }) => c.hiddenPartOnly).map((c: { location: string }) => c.location),
        ['announce'],
      );
    } else {
      assert.match(
        run.stdout,
        /changed announce: 'https:\/\/tracker\.example\/\[redacted\]\/announce' → 'https:\/\/tracker\.example\/\[redacted\]\/announce' \(only its hidden part changed\)/,
      );
    }
  }
  const shown = cli('edit', file, '--dry-run', '--replace-tracker', oldKey, newKey, '--show-secrets');
  assert.ok(shown.stdout.includes(url(newKey)));
  assert.ok(!shown.stdout.includes('hidden part'), 'with secrets shown, the change itself is plain to see');
  const refused = cli('edit', file, '--dry-run', '--add-tracker', `ftp://tracker.example/${newKey}/announce`);
  assert.equal(refused.status, 2);
  assert.ok(!refused.stderr.includes(newKey), refused.stderr);
});

test('bad input: a clear message, and the file as it was', () => {
  using w = workspace(TIERS, NONCANONICAL);
  const [tiers, other] = w.files;
  const before = readFileSync(tiers);
  const usage: [string[], RegExp][] = [
    [['--in-place', '--add-tracker', 'not a url'], /^error: --add-tracker 'not a url': not a URL \(no scheme\)\n$/],
    [['--in-place', '--add-tracker', 'udp://x.example/announce'], /needs a port/],
    [['--in-place', '--add-web-seed', 'udp://x.example:1/'], /--add-web-seed .*http or https/],
    [['--in-place'], /^error: nothing to do/],
    [['--add-tracker', NEW], /^error: say where to write/],
    [['--in-place', '-o', 'x', '--comment', 'x'], /contradict/],
    [['--in-place', '--tier', '1', '--comment', 'x'], /--tier says where --add-tracker/],
    [['--in-place', '--comment', 'a', '--no-comment'], /contradict/],
    [['--in-place', '--creation-date', '2024-02-30'], /is not a date/],
    [['--in-place', '--replace-tracker', 'only-one'], /needs two values \(OLD NEW\)/],
    [['--in-place', '--replace-tracker', '', 'x'], /OLD\) is empty/],
  ];
  for (const [args, message] of usage) {
    const run = cli('edit', tiers, ...args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
  assert.equal(cli('edit', '-', '--dry-run', '--comment', 'x').status, 2);
  assert.equal(cli('edit', tiers, other, '-o', path.join(w.dir, 'nowhere'), '--comment', 'x').status, 2);

  const noTier = cli('edit', tiers, '--in-place', '--add-tracker', NEW, '--tier', '9');
  assert.equal(noTier.status, 1);
  assert.equal(noTier.stderr, `error: ${tiers}: the torrent has no tier 9: it has 3 tiers\n`);

  chmodSync(tiers, 0o444);
  const readOnly = cli('edit', tiers, '--in-place', '--comment', 'x');
  assert.equal(readOnly.status, 1);
  assert.equal(readOnly.stderr, `error: ${tiers}: cannot write it: the file is read-only; nothing was changed\n`);
  chmodSync(tiers, 0o644);
  assert.deepEqual(readFileSync(tiers), before);

  const notTorrent = path.join(w.dir, 'notes.txt');
  writeFileSync(notTorrent, 'just some text\n');
  const missing = path.join(w.dir, 'missing.torrent');
  // One bad file among good ones: the good one is written, the exit status says some were not.
  const mixed = cli('edit', notTorrent, missing, other, '--in-place', '--comment', 'edited');
  assert.equal(mixed.status, 1);
  assert.equal(
    mixed.stderr,
    `error: ${notTorrent}: not a torrent: unexpected byte 'j' (0x6A) at byte 0: expected a value (i, l, d or a string length) (at byte 0)\nerror: ${missing}: no such file\n`,
  );
  assert.equal(readFileSync(notTorrent, 'utf8'), 'just some text\n');
  assert.equal(parse(other).comment?.text, 'edited');
  assert.deepEqual(readdirSync(w.dir).sort(), [NONCANONICAL, 'notes.txt', TIERS].sort());
});

test('many files are edited at once and reported in the order given', () => {
  using w = workspace();
  const names = ['lt-v1-single.torrent', NONCANONICAL, TIERS, 'lt-v2-only-single.torrent', 'mktorrent-tiers-webseeds.torrent'];
  const files: string[] = [];
  for (let i = 0; i < 40; i++) {
    const file = path.join(w.dir, `${String(i).padStart(2, '0')}-${names[i % names.length]}`);
    copyFileSync(path.join(corpusRoot, 'gen', names[i % names.length]), file);
    chmodSync(file, 0o644);
    files.push(file);
  }
  const hashes = files.map((file) => parse(file).infoHash);
  const run = cli('edit', ...files, '--in-place', '--comment', 'bulk', '--json');
  assert.equal(run.status, 0, run.stderr);
  const reports = (JSON.parse(run.stdout) as { files: { file: string; status: string }[] }).files;
  assert.deepEqual(
    reports.map((r) => [r.file, r.status]),
    files.map((file) => [file, 'written']),
  );
  for (const [i, file] of files.entries()) {
    const m = parse(file);
    assert.equal(m.comment?.text, 'bulk');
    assert.deepEqual(m.infoHash, hashes[i]);
  }
  const text = cli('edit', ...files, '--dry-run', '--no-comment');
  assert.deepEqual(
    text.stdout.split('\n').filter((line) => !line.startsWith(' ') && line !== ''),
    files,
  );
});

test('--tier adds to a tier as show numbers them; a tracker already listed is a note, not an error', () => {
  using w = workspace(TIERS);
  const [file] = w.files;
  const run = cli('edit', file, '--in-place', '--add-tracker', NEW, '--add-tracker', 'http://127.0.0.1:18000/announce', '--tier', '2');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /note: tracker 'http:\/\/127\.0\.0\.1:18000\/announce' is already listed in tier 3: not added again/);
  assert.deepEqual(parse(file).trackers, [
    ['http://127.0.0.1:16969/announce'],
    ['udp://127.0.0.1:16969/announce', NEW],
    ['http://127.0.0.1:18000/announce'],
  ]);
  const again = cli('edit', file, '--in-place', '--add-tracker', NEW);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /nothing to change: not written\n$/);
});

test('remove and replace trackers as transmission-edit does', () => {
  using w = workspace(TIERS);
  const [file] = w.files;
  const run = cli(
    'edit',
    file,
    '--in-place',
    '--remove-tracker',
    'http://127.0.0.1:16969/announce',
    '--replace-tracker',
    'udp://',
    'wss://',
  );
  assert.equal(run.status, 0, run.stderr);
  const m = parse(file);
  assert.deepEqual(m.trackers, [['wss://127.0.0.1:16969/announce'], ['http://127.0.0.1:18000/announce']]);
  const doc = m.document;
  assert.equal(
    Buffer.from(doc.bytes(doc.get(0, 'announce'))).toString(),
    'wss://127.0.0.1:16969/announce',
    'announce follows the first tracker',
  );
});
