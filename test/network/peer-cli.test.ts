// `torrent-lens magnet` and `peers` in-process against the tests' own peers and tracker on 127.0.0.1: progress
// only on a terminal, the torrent to standard output, passkeys hidden in every report unless --show-secrets, and
// exit code 1 when nobody answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type * as net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { magnetCommand } from '../../src/cli/commands/magnet';
import { peersCommand } from '../../src/cli/commands/peers';
import { runCommand } from '../support/cli-command';
import { encodeMessage, MESSAGE, servingMetadata, sha1Bytes, startFakePeer, type FakePeer } from '../support/fake-peer';

/** A valid single-file info dictionary of 900 pieces: two metadata blocks. */
const info = (() => {
  const bytes = encode({ length: 900 * 16384 - 5, name: 'cli-fake', 'piece length': 16384, pieces: new Uint8Array(900 * 20).fill(9) });
  return { info: bytes, v1: createHash('sha1').update(bytes).digest('hex') };
})();
const PASSKEY = '7a6b5c4d3e2f1a0b9c8d7e6f';
let seeder: FakePeer;
let refusedPort: number;
let tracker: http.Server;
let trackerUrl: string;
let dir: string;

before(async () => {
  // A peer that serves the metadata and then says it has every piece.
  seeder = await startFakePeer(async (c) => {
    await servingMetadata({ infoHash: sha1Bytes(info.v1), info: info.info })(c);
  });
  const closed = await startFakePeer(() => {});
  refusedPort = closed.port;
  await closed.stop();
  // A tracker whose URL holds a passkey and that lists nobody.
  tracker = http.createServer((_request, response) => response.end(encode({ interval: 1800, peers: new Uint8Array(0) })));
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  trackerUrl = `http://127.0.0.1:${(tracker.address() as net.AddressInfo).port}/${PASSKEY}/announce`;
  dir = mkdtempSync(join(tmpdir(), 'cli-peers-network-'));
});
after(async () => {
  await seeder?.stop();
  await new Promise<void>((resolve) => tracker.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const link = (...params: string[]) => [`magnet:?xt=urn:btih:${info.v1}`, ...params].join('&');

test('cli magnet: progress on a terminal only, the torrent on standard output with -o -, the report on standard error', async () => {
  const args = [link(`x.pe=127.0.0.1:${seeder.port}`), '-o', '-'];
  const quiet = await runCommand(magnetCommand, args);
  assert.equal(quiet.code, 0, quiet.err);
  assert.equal(quiet.out, '');
  assert.match(quiet.err, /^Magnet link: \(no name\)\n/);
  assert.match(quiet.err, /Wrote the torrent to standard output: cli-fake, 1 file/);
  assert.doesNotMatch(quiet.err, /\r/);
  const written = Buffer.concat(quiet.outBytes);
  const parsed = parseMetainfo(written);
  assert.ok(parsed.ok && parsed.metainfo.infoHash.v1 === info.v1);

  const live = await runCommand(magnetCommand, args, { errIsTerminal: true });
  assert.equal(live.code, 0);
  assert.match(live.err, /^\rmetadata: 1 found, 1 tried, (0|1) connected, 0 failed/);
  // The line is cleared before the report.
  assert.match(live.err, /\r\x1b\[KMagnet link: /);
});

test('cli magnet and peers: a tracker passkey is hidden in text and JSON unless --show-secrets', async () => {
  const withTracker = link(`tr=${encodeURIComponent(trackerUrl)}`, `x.pe=127.0.0.1:${seeder.port}`);
  const out = join(dir, 'secret.torrent');
  const text = await runCommand(magnetCommand, [withTracker, '-o', out]);
  assert.equal(text.code, 0, text.err);
  assert.ok(!text.out.includes(PASSKEY), text.out);
  assert.match(text.out, /tracker http:\/\/127\.0\.0\.1:\d+\/\[redacted\]\/announce/);
  const json = await runCommand(magnetCommand, [withTracker, '-o', out, '--force', '--json']);
  assert.equal(json.code, 0, json.err);
  assert.ok(!json.out.includes(PASSKEY), json.out);
  const report = JSON.parse(json.out);
  assert.equal(report.metadata.trackers[0].tracker, report.link.trackers[0]);
  const shown = await runCommand(magnetCommand, [withTracker, '-o', out, '--force', '--json', '--show-secrets']);
  assert.ok(shown.out.includes(PASSKEY));
  // The torrent written keeps the real URL: it is the user's file.
  const parsed = parseMetainfo(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(out))));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.metainfo.trackers, [[trackerUrl]]);

  const peers = await runCommand(peersCommand, [out, '--peer', `127.0.0.1:${seeder.port}`]);
  assert.ok(!peers.out.includes(PASSKEY), peers.out);
  assert.match(peers.out, /\[redacted\]/);
  const peersJson = await runCommand(peersCommand, [out, '--json']);
  assert.ok(!peersJson.out.includes(PASSKEY), peersJson.out);
});

test('cli magnet and peers: exit code 1 when no peer answers, with each peer’s reason', async () => {
  const magnet = await runCommand(magnetCommand, [link(), '--peer', `127.0.0.1:${refusedPort}`, '-o', join(dir, 'none.torrent')]);
  assert.equal(magnet.code, 1);
  assert.match(magnet.out, /No metadata: no peer could be reached \(1 peer tried\)/);
  assert.match(magnet.out, new RegExp(`127\\.0\\.0\\.1:${refusedPort} +refused .*connection refused`));
  const torrent = join(dir, 'plain.torrent');
  writeFileSync(torrent, encode({ info: { length: 1, name: 'x', 'piece length': 16384, pieces: new Uint8Array(20) } }));
  const peers = await runCommand(peersCommand, [torrent, '--peer', `127.0.0.1:${refusedPort}`, '--json']);
  assert.equal(peers.code, 1);
  const report = JSON.parse(peers.out);
  assert.equal(report.status, 'no-answers');
  assert.equal(report.peers[0].status, 'refused');
});

test('cli peers: a peer that has everything is a seed in the table', async () => {
  const seed = await startFakePeer(async (c) => {
    await c.until(() => c.handshake !== undefined);
    c.sendHandshake(sha1Bytes(info.v1), ['fast', 'extensionProtocol']);
    c.send(encodeMessage(MESSAGE.haveAll));
    c.sendExtensionHandshake({ m: {}, v: 'Fake Seed 2.0', e: 1 });
  });
  try {
    const torrent = join(dir, 'seeded.torrent');
    writeFileSync(torrent, new Uint8Array(Buffer.concat([Buffer.from('d4:info'), Buffer.from(info.info), Buffer.from('e')])));
    const run = await runCommand(peersCommand, [torrent, '--peer', `127.0.0.1:${seed.port}`]);
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      new RegExp(`127\\.0\\.0\\.1:${seed.port} +answered +100% seed +(unknown client -FK- 0\\.1|Fake Seed 2\\.0) +ext fast( enc)?`),
    );
    assert.match(run.out, /Swarm: 1 peer said what it has, 1 seed; distributed copies 1\.000; every piece is available/);
  } finally {
    await seed.stop();
  }
});
