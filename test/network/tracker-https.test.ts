// HTTPS trackers end to end: `torrent-lens announce` and `scrape` (the shipped CLI, in its own process)
// against Debian's opentracker behind TLS on 127.0.0.1. The certificate is self-signed, so it is trusted
// only where the process is told to trust it (NODE_EXTRA_CA_CERTS), as a user would for a private CA;
// without that, the TLS failure is named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { startOpentracker, type OpenTracker } from '../support/opentracker';
import { fakePeers, rawHttpAnnounce } from '../support/raw-client';
import { startTlsFront, type TlsFront } from '../support/tls-front';
import { cliPath } from '../support/corpus';

const PASSKEY = '5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b';

let open: OpenTracker;
let front: TlsFront;
let dir = '';
let torrent = '';
let infoHash = '';
let announceUrl = '';
const peers = fakePeers(4, 1, 47_000);

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { timeout: 30_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: '', ...env } },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

before(async () => {
  const info = { length: 54_321, name: 'https payload.bin', 'piece length': 16_384, pieces: new Uint8Array(4 * 20).fill(3) };
  const probe = parseMetainfo(encode({ info }));
  assert.ok(probe.ok);
  infoHash = probe.metainfo.infoHash.v1!;
  open = await startOpentracker([infoHash]);
  for (const peer of peers) await rawHttpAnnounce(open.httpAnnounce, infoHash, peer);
  front = await startTlsFront(open.port);
  announceUrl = `https://127.0.0.1:${front.port}/announce?passkey=${PASSKEY}`;
  dir = mkdtempSync(join(tmpdir(), 'tracker-https-'));
  torrent = join(dir, 'https.torrent');
  writeFileSync(torrent, encode({ announce: announceUrl, info }));
});

after(async () => {
  await front?.stop();
  await open?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('announce over HTTPS: the tracker answers through TLS with its peers and counts, the passkey redacted', async () => {
  const { code, out, err } = await cli(['announce', torrent, '--json', '--port', '7011'], { NODE_EXTRA_CA_CERTS: front.certificatePath });
  assert.equal(code, 0, err);
  const [result] = JSON.parse(out).results;
  assert.equal(result.protocol, 'https');
  assert.equal(result.status, 'working', result.error);
  assert.equal(result.tracker, `https://127.0.0.1:${front.port}/announce?passkey=[redacted]`);
  assert.ok(!out.includes(PASSKEY));
  assert.equal(result.complete, 1);
  assert.equal(result.incomplete, 4, 'three fake leechers and us');
  assert.deepEqual(result.peers.map((p: { port: number }) => p.port).sort(), [...peers.map((p) => p.port), 7011].sort());
});

test('scrape over HTTPS: the scrape URL keeps the scheme, the port and the passkey', async () => {
  const { code, out, err } = await cli(['scrape', torrent, '--json'], { NODE_EXTRA_CA_CERTS: front.certificatePath });
  assert.equal(code, 0, err);
  const [result] = JSON.parse(out).results;
  assert.equal(result.status, 'working', result.error);
  // The announce of the test before has stopped again: only the fake peers are left.
  assert.deepEqual([result.complete, result.incomplete], [1, 3]);
});

test('a certificate the system does not trust: unreachable, and the reason named', async () => {
  const { code, out } = await cli(['announce', torrent, '--json']);
  assert.equal(code, 1, 'no tracker answered');
  const [result] = JSON.parse(out).results;
  assert.equal(result.status, 'unreachable');
  assert.match(
    result.error,
    /^TLS certificate of 127\.0\.0\.1:\d+ not accepted: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
  );
});
