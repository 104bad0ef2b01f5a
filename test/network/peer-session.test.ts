// The probe panel's sessions against the tests' own peers on 127.0.0.1: a magnet link's metadata fetch makes its
// torrent once and says so, peers added by hand get a run of their own that feeds the same lists, a probe adds up
// what each peer has, Cancel ends every run, and the JSON copied keeps secrets hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encode } from '../../src/core/bencode/decode';
import { parseMagnet, type MagnetLink } from '../../src/core/magnet/parse';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import type { MagnetTorrent } from '../../src/core/peer/from-magnet';
import { torrentFromMetadata } from '../../src/core/peer/metadata';
import { trackerSettingsFrom } from '../../src/view-model/settings';
import { MagnetSession, ProbeSession, type SessionOptions, type SwarmSession } from '../../src/view-model/peers/session';
import type { PeerRow } from '../../src/shared/protocol/probe';
import { encodeMessage, MESSAGE, servingMetadata, sha1Bytes, startFakePeer, type FakePeer } from '../support/fake-peer';

const PIECES = 10;
const info = encode({
  length: PIECES * 16384 - 7,
  name: 'session-fake',
  'piece length': 16384,
  pieces: new Uint8Array(PIECES * 20).fill(3),
});
const v1 = createHash('sha1').update(info).digest('hex');
const PASSKEY = '5f4e3d2c1b0a99887766554433';

function options(extra: Partial<SessionOptions> = {}): SessionOptions {
  return {
    runId: 1,
    peers: { maxConnections: 8, timeoutMs: 8000 },
    trackers: trackerSettingsFrom(() => undefined),
    showSecrets: false,
    announce: false,
    log: () => {},
    ...extra,
  };
}

function magnet(link: string): MagnetLink {
  const parsed = parseMagnet(link);
  if (!parsed.ok) assert.fail(parsed.error.message);
  return parsed.magnet;
}

/** Resolves once the session has no run going. */
async function settled(session: SwarmSession): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (session.running) {
    if (Date.now() > deadline) assert.fail('the session did not settle');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const running: FakePeer[] = [];
async function fake(script: Parameters<typeof startFakePeer>[0]): Promise<FakePeer> {
  const peer = await startFakePeer(script);
  running.push(peer);
  return peer;
}
test.after(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

const serving = () => fake(servingMetadata({ infoHash: sha1Bytes(v1), info }));

test('magnet session: the link’s peer gives the metadata; the torrent is made once, and the state and JSON say so', async () => {
  const peer = await serving();
  const link = `magnet:?xt=urn:btih:${v1}&dn=From+the+link&x.pe=127.0.0.1:${peer.port}&tr=${encodeURIComponent(`http://127.0.0.1:1/${PASSKEY}/announce`)}`;
  const session = new MagnetSession(options(), magnet(link));
  const made: MagnetTorrent[] = [];
  session.onTorrent((torrent) => made.push(torrent));
  let changes = 0;
  session.onChange(() => changes++);
  assert.equal(session.state().running, false, 'nothing runs before start');
  await session.start();
  assert.equal(made.length, 1);
  const parsed = parseMetainfo(made[0].bytes);
  assert.ok(parsed.ok && parsed.metainfo.infoHash.v1 === v1);
  assert.equal(session.fileName, 'session-fake.torrent');
  assert.ok(changes > 2, 'the panel hears of each step');
  const state = session.state();
  assert.equal(state.status, 'ok');
  assert.match(state.summary, new RegExp(`^Metadata verified: [\\d,]+ bytes from 127\\.0\\.0\\.1:${peer.port} in`));
  assert.equal(state.result?.name, 'session-fake');
  assert.match(state.result?.notes.join('\n') ?? '', /calls it "From the link"/);
  assert.deepEqual(state.link?.trackers, ['http://127.0.0.1:1/[redacted]/announce']);
  assert.equal(state.announced, false, 'the user did not allow announcing: the tracker was not asked');
  assert.deepEqual(state.trackers, []);
  const [row] = session.rows('peers', 0, 10).rows as PeerRow[];
  assert.deepEqual([row.address, row.status, row.source, row.blocks], [`127.0.0.1:${peer.port}`, 'answered', 'magnet', 1]);
  const json = session.json();
  assert.ok(!json.includes(PASSKEY));
  assert.equal(JSON.parse(json).torrent.name, 'session-fake');
  assert.deepEqual(session.addPeers(`127.0.0.1:${peer.port}`), { added: 0, errors: ['the metadata is already here'] });
});

test('magnet session: with nobody to ask it ends at once; peers added by hand then give the metadata', async () => {
  const session = new MagnetSession(options(), magnet(`magnet:?xt=urn:btih:${v1}`));
  await session.start();
  assert.equal(session.state().status, 'no-peers');
  assert.match(session.state().summary, /^No metadata: no peers to ask\.$/);
  assert.deepEqual(session.addPeers('nonsense'), {
    added: 0,
    errors: ['"nonsense" is not an address and port (host:port, or [IPv6]:port)'],
  });
  const peer = await serving();
  const answer = session.addPeers(`127.0.0.1:${peer.port}, what`);
  assert.equal(answer.added, 1);
  assert.equal(answer.errors.length, 1);
  await settled(session);
  assert.equal(session.state().status, 'ok');
  assert.equal(session.rows('peers', 0, 10).rows[0].id, `127.0.0.1:${peer.port}`);
  assert.equal((session.rows('peers', 0, 10).rows[0] as PeerRow).source, 'user');
});

function probeTorrent(): Metainfo {
  const parsed = parseMetainfo(torrentFromMetadata(info, { trackers: [[`http://127.0.0.1:1/${PASSKEY}/announce`]] }));
  if (!parsed.ok) assert.fail(parsed.failure.message);
  return parsed.metainfo;
}

const answering = (message: Uint8Array) =>
  fake(async (c) => {
    await c.until(() => c.handshake !== undefined);
    c.sendHandshake(sha1Bytes(v1), ['fast', 'extensionProtocol']);
    c.send(message);
    c.sendExtensionHandshake({ m: {}, v: 'Session Fake 1.0' });
  });

test('probe session: peers added by hand, each in a run of its own, add up in one swarm; the files follow', async () => {
  const session = new ProbeSession(options(), probeTorrent(), 'probe.torrent');
  await session.start();
  assert.equal(session.state().status, 'no-peers');
  const seed = await answering(encodeMessage(MESSAGE.haveAll));
  const half = await answering(encodeMessage(MESSAGE.bitfield, Uint8Array.of(0b11111000, 0)));
  assert.equal(session.addPeers(`127.0.0.1:${seed.port}`).added, 1);
  assert.equal(session.addPeers(`127.0.0.1:${half.port}`).added, 1);
  await settled(session);
  const state = session.state();
  assert.equal(state.status, 'ok');
  assert.match(state.summary, /^2 peers said what they have \(1 seed\), in [\d,]+ ms\.$/);
  assert.deepEqual([state.swarm?.peers, state.swarm?.seeds, state.swarm?.minCopies], [2, 1, 1]);
  assert.deepEqual(state.swarm?.picture.least, [2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
  assert.equal(state.counts.tried, 2);
  assert.equal(state.files?.total, 1);
  session.setSort('have');
  const rows = session.rows('peers', 0, 10).rows as PeerRow[];
  assert.deepEqual(
    rows.map((r) => [r.address, r.have?.percent, r.client]),
    [
      [`127.0.0.1:${seed.port}`, 100, 'unknown client -FK- 0.1'],
      [`127.0.0.1:${half.port}`, 50, 'unknown client -FK- 0.1'],
    ],
  );
  // The extension handshake's v, in the details.
  assert.deepEqual(
    session.details(`127.0.0.1:${seed.port}`)?.facts.find(([label]) => label === 'Client (extension handshake v)'),
    ['Client (extension handshake v)', 'Session Fake 1.0'],
  );
  const json = JSON.parse(session.json());
  assert.equal(json.availability.peers, 2);
  assert.equal(json.availability.files[0].peersWithAll, 1);
  assert.ok(!session.json().includes(PASSKEY));
});

test('probe session: Cancel ends every run, and what was learnt stays', async () => {
  const silent = await fake(() => {});
  const session = new ProbeSession(options({ peers: { maxConnections: 8, timeoutMs: 60_000 } }), probeTorrent(), 'probe.torrent');
  session.addPeers(`127.0.0.1:${silent.port}`);
  assert.equal(session.running, true);
  setTimeout(() => session.cancel(), 100);
  await settled(session);
  assert.equal(session.state().status, 'cancelled');
  assert.equal((session.rows('peers', 0, 10).rows[0] as PeerRow).status, 'cancelled');
});
