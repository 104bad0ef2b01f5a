// The built CLI (`node dist/cli.js`), run as a child process over the whole corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { Secrets } from '../../src/core/privacy/secrets';
import {
  cliPath,
  corpusRoot,
  corpusTorrents,
  EXPECTED_CODES,
  isInvalidUtf8,
  loadDefects,
  loadTruth,
  repoRoot,
  textOf,
} from '../support/corpus';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: Uint8Array): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read field by field in asserts
function showJson(file: string, ...flags: string[]): Record<string, unknown> & { [key: string]: any } {
  const run = cli(['show', '--json', ...flags, file]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout);
}

/** One line on stderr, `error: FILE: MESSAGE (at byte N)`, nothing on stdout, exit 2. */
function assertOneLineError(run: Run, file: string, offset?: number): string {
  assert.equal(run.status, 2, `exit status (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^error: [^\n]+\n$/, 'exactly one line');
  assert.ok(run.stderr.startsWith(`error: ${file}: `), run.stderr);
  if (offset !== undefined) assert.ok(run.stderr.endsWith(` (at byte ${offset})\n`), run.stderr);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  return run.stderr;
}

test('cli: the bundle exists (run the build first)', () => {
  assert.ok(readFileSync(cliPath).length > 0);
  assert.ok(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node'));
});

for (const [file, truth] of loadTruth()) {
  test(`cli show --json: ${file}`, () => {
    const full = path.join(corpusRoot, file);
    const json = showJson(full, '--show-secrets');
    assert.deepEqual(json.infoHash, { v1: truth.infoHashV1, v2: truth.infoHashV2, v2Truncated: truth.infoHashV2Truncated });
    assert.equal(json.name, textOf(truth.name));
    if (isInvalidUtf8(truth.name)) assert.ok(json.nameUtf8 === false || json.rawName === textOf(truth.name));
    for (const key of ['totalLength', 'pieceLength', 'pieceCount', 'fileCount', 'padFileCount', 'private', 'creationDate'] as const) {
      assert.equal(json[key], truth[key], key);
    }
    assert.equal(json.comment, truth.comment === null ? null : textOf(truth.comment));
    assert.equal(json.createdBy, truth.createdBy === null ? null : textOf(truth.createdBy));
    assert.deepEqual(
      json.files.map((f: { path: string[]; length: number; padding: boolean }) => [f.path, f.length, f.padding]),
      truth.files.map((f) => [f.path.map(textOf), f.length, f.pad === true]),
    );
    assert.deepEqual(json.trackers, truth.trackerTiers);
    assert.deepEqual(json.webSeeds, truth.urlList);
    assert.deepEqual(json.httpSeeds, truth.httpSeeds);
    assert.deepEqual(
      json.nodes.map((n: { host: string; port: number }) => [n.host, n.port]),
      truth.nodes,
    );
    assert.deepEqual([json.infoSpan.start, json.infoSpan.end], truth.infoOffset);
    assert.equal(json.infoCanonical, truth.infoIsCanonical);
    assert.ok(json.magnet.startsWith('magnet:?'));
    assert.ok(Array.isArray(json.warnings) && json.warnings.every((w: unknown) => typeof w === 'string'));
    // Without --show-secrets every URL goes through the torrent's secrets (a private torrent's rule included).
    const redacted = showJson(full);
    const secrets = Secrets.forTorrent({
      trackers: truth.trackerTiers,
      webSeeds: truth.urlList,
      httpSeeds: truth.httpSeeds,
      private: truth.private,
    });
    assert.deepEqual(
      redacted.trackers,
      truth.trackerTiers.map((tier) => tier.map((url) => secrets.redactUrl(url))),
    );
    assert.deepEqual(
      redacted.webSeeds,
      truth.urlList.map((url) => secrets.redactUrl(url)),
    );
  });
}

for (const defect of loadDefects()) {
  const expected = EXPECTED_CODES[defect.file];
  test(`cli show: bad/${defect.file}`, () => {
    const file = path.join(corpusRoot, 'bad', defect.file);
    const core = parseMetainfo(new Uint8Array(readFileSync(file)));
    if (expected.reject) {
      assert.equal(core.ok, false);
      if (core.ok) return;
      for (const args of [
        ['show', file],
        ['show', '--json', file],
      ]) {
        const stderr = assertOneLineError(cli(args), file, core.failure.offset);
        assert.ok(stderr.includes(core.failure.message.split('\n')[0].slice(0, 40)), 'the core message, not a generic one');
      }
    } else {
      const json = showJson(file);
      assert.ok(
        json.diagnostics.some((d: { code: string }) => d.code === expected.warn),
        `diagnostic ${expected.warn}`,
      );
      assert.ok(json.warnings.length > 0, 'warnings listed');
      const human = cli(['show', file]);
      assert.equal(human.status, 0);
      assert.match(human.stdout, /\nWARNINGS\n\n {2}warning: /);
    }
  });
}

const INJECTION_FILES = [
  ...corpusTorrents('gen').filter((f) => f.includes('injection')),
  'bad/name-control-chars.torrent',
  'gen/hand-odd-metadata.torrent',
];

for (const file of INJECTION_FILES) {
  test(`cli show: strings from ${file} cannot act on the terminal`, () => {
    const run = cli(['show', path.join(corpusRoot, file)]);
    assert.equal(run.status, 0, run.stderr);

    assert.doesNotMatch(run.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no raw control characters (ESC, CR, BEL …)');
    assert.doesNotMatch(run.stdout, /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/, 'no raw bidirectional controls');
    const json = cli(['show', '--json', path.join(corpusRoot, file)]);
    assert.doesNotMatch(json.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/, 'JSON escapes them too');
    const m = parseMetainfo(new Uint8Array(readFileSync(path.join(corpusRoot, file))));
    assert.ok(m.ok);
    if (m.ok) assert.equal(JSON.parse(json.stdout).name, m.metainfo.name.text, 'the JSON still holds the exact text');
  });
}

test('cli show: escapes are visible, and HTML in names is printed literally', () => {
  const control = cli(['show', path.join(corpusRoot, 'bad/name-control-chars.torrent')]).stdout;
  assert.ok(control.includes('Name: \\x1b[31mred\\x1b[0m\\r\\n\\x07bell.txt'), control.split('\n')[0]);
  const injection = cli(['show', path.join(corpusRoot, 'gen/lt-v1-injection.torrent')]).stdout;
  assert.ok(injection.includes('\\u{202e}exe.txt'), 'the direction override is shown as an escape');
  assert.ok(injection.includes('Name: <img src=x onerror=alert(1)>'));
});

test('cli show: text layout like transmission-show, pad files marked', () => {
  const run = cli(['show', path.join(corpusRoot, 'gen/lt-v1-padded.torrent')]);
  assert.equal(run.status, 0);
  for (const heading of ['GENERAL', 'TRACKERS', 'FILES']) assert.match(run.stdout, new RegExp(`\\n${heading}\\n\\n  `));
  assert.match(run.stdout, /\n {2}Hash v1: [0-9a-f]{40}\n/);
  assert.match(run.stdout, /\n {2}padded-files\/\.pad\/9152 \(8\.94 KiB\) \[padding\]\n/);
  assert.match(run.stdout, /\n {2}Tier #1\n {2}http:\/\/127\.0\.0\.1:16969\/announce\n/);
  const single = cli(['show', path.join(corpusRoot, 'gen/lt-v2-only-single.torrent')]).stdout;
  assert.match(single, /\nFILES\n\n {2}lab-single\.bin \(977 KiB\)\n$/, 'a single-file torrent lists just its name');
});

test('cli: files that cannot be read are one-line errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-cli-'));
  try {
    const missing = path.join(dir, 'missing.torrent');
    assert.match(assertOneLineError(cli(['show', missing]), missing), /no such file\n$/);
    assert.match(assertOneLineError(cli(['show', dir]), dir), /is a directory/);
    const text = path.join(dir, 'page.torrent');
    writeFileSync(text, '<!DOCTYPE html><html>Not found</html>');
    assert.match(assertOneLineError(cli(['show', text]), text, 0), /HTML/);
    const evil = path.join(dir, 'a\x1b[31mb.torrent');
    const stderr = cli(['show', evil]).stderr;
    assert.ok(!stderr.includes('\x1b'), 'a hostile file name is escaped in the message too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: usage errors exit 2 with one line; help and version exit 0', () => {
  for (const args of [
    ['show'],
    ['show', '--jsn', 'x'],
    ['show', 'a', 'b'],
    ['frobnicate'],
    ['--frobnicate'],
    ['show', '--json=yes', 'x'],
  ]) {
    const run = cli(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^error: [^\n]+\n$/, args.join(' '));
  }
  const none = cli([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /Usage: torrent-lens COMMAND/);
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /\n {2}show FILE/);
  const showHelp = cli(['show', '--help']);
  assert.equal(showHelp.status, 0);
  assert.match(showHelp.stdout, /--show-secrets/);
  const version = cli(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
});

test('cli show: reads standard input with -', () => {
  const bytes = readFileSync(path.join(corpusRoot, 'gen/lt-v1-single.torrent'));
  const run = cli(['show', '--json', '-'], bytes);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).name, 'lab-single.bin');
  assertOneLineError(cli(['show', '-'], new TextEncoder().encode('i42e')), '<stdin>', 0);
});

test('cli show: tracker secrets are redacted unless --show-secrets', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'torrent-lens-cli-'));
  try {
    const secret = '0123456789abcdef0123456789abcdef';
    const file = path.join(dir, 'private.torrent');
    writeFileSync(
      file,
      encode({
        announce: `http://127.0.0.1:6969/${secret}/announce`,
        'url-list': [`http://127.0.0.1:8080/seed?token=${secret}`],
        info: { name: 'p', 'piece length': 16384, pieces: new Uint8Array(20), length: 5, private: 1 },
      }),
    );
    for (const args of [
      ['show', file],
      ['show', '--json', file],
    ]) {
      const hidden = cli(args);
      assert.equal(hidden.status, 0);
      assert.ok(!hidden.stdout.includes(secret), `${args.join(' ')} hides the passkey`);
      assert.ok(hidden.stdout.includes('[redacted]'));
      const shown = cli([...args.slice(0, -1), '--show-secrets', file]);
      assert.ok(shown.stdout.includes(secret), `${args.join(' ')} --show-secrets shows it`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
