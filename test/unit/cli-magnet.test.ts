// `torrent-lens magnet`: bad input and usage end with exit code 2 and one line naming the problem, before any
// peer or tracker is contacted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { magnetCommand } from '../../src/cli/commands/magnet';
import { runCommand } from '../support/cli-command';

const V1 = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';

test('cli magnet: a link that is not one, or is broken, is named in one line with exit code 2', async () => {
  for (const [link, words] of [
    ['http://example.com/x', /^error: not a magnet link: it must start with "magnet:\?"\n$/],
    ['magnet:?dn=only+a+name', /^error: the magnet link has no info hash/],
    ['magnet:?xt=urn:btih:1234', /^error: xt: the v1 info hash "1234" must be 40 hex digits or 32 base32 characters/],
    [`magnet:?xt=urn:btih:${V1}&x.pe=\u001b[31m`, /^error: x\.pe: "\\x1b\[31m" is not an address and port/],
  ] as const) {
    const run = await runCommand(magnetCommand, [link]);
    assert.equal(run.code, 2, link);
    assert.match(run.err, words, link);
    assert.equal(run.out, '');
  }
});

test('cli magnet: options out of range and nobody to ask are usage errors', async () => {
  const link = `magnet:?xt=urn:btih:${V1}`;
  for (const [argv, words] of [
    [[link], /the link names no trackers and no peers \(x\.pe\): give peers with --peer HOST:PORT/],
    [[`${link}&tr=http://127.0.0.1:1/announce`, '--no-trackers'], /with --no-trackers there is nobody to ask/],
    [[link, '--peer', 'nowhere'], /^error: option '--peer': "nowhere" is not an address and port/],
    [[link, '--peer', '::1:80'], /IPv6 address without a port: write it as \[address\]:port/],
    [[link, '--peer', '127.0.0.1:70000'], /port 70000 in "127\.0\.0\.1:70000" is not between 1 and 65535/],
    [[link, '--port', '0', '--peer', '127.0.0.1:1'], /option '--port' must be between 1 and 65535, not 0/],
    [[link, '--connections', '0', '--peer', '127.0.0.1:1'], /option '--connections' must be between 1 and 1000/],
    [[link, '--timeout', '0', '--peer', '127.0.0.1:1'], /option '--timeout' must be between 1 and 3600000 ms/],
    [[link, '-o', '-', '--json', '--peer', '127.0.0.1:1'], /-o - writes the torrent to standard output, where --json would go/],
  ] as const) {
    const run = await runCommand(magnetCommand, [...argv]);
    assert.equal(run.code, 2, argv.join(' '));
    assert.match(run.err, words, argv.join(' '));
  }
});

test('cli magnet: an output file that exists is kept unless --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-magnet-'));
  try {
    const existing = join(dir, 'there.torrent');
    writeFileSync(existing, 'mine');
    const run = await runCommand(magnetCommand, [`magnet:?xt=urn:btih:${V1}`, '--peer', '127.0.0.1:1', '-o', existing]);
    assert.equal(run.code, 2);
    assert.match(run.err, /there\.torrent exists: choose another file with -o, or overwrite it with --force/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
