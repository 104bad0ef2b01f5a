// The probe panel's model of a swarm, fed the core's progress events by hand: peers appear as they connect and
// end, lists sort and page, availability per piece and per file follows each answer (a peer probed again replaces
// its first answer), counts of several runs add up, and tracker URLs are shown through the torrent's secrets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerCounts, PeerProgress, PeerReport } from '../../src/core/peer/types';
import type { ProbeTarget } from '../../src/core/peer/probe';
import { Secrets } from '../../src/core/privacy/secrets';
import type { AnnounceResult } from '../../src/core/tracker/types';
import { peerSettingsFrom } from '../../src/view-model/peers/settings';
import { SwarmModel } from '../../src/view-model/peers/swarm-model';

const target: ProbeTarget = {
  infoHash: { v1: 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a' },
  pieceCount: 10,
  pieceLength: 16384,
  v2Only: false,
  files: [
    { path: 'a', length: 16384 * 4, offset: 0, padding: false },
    { path: '.pad/1', length: 100, offset: 16384 * 4, padding: true },
    { path: 'b', length: 16384 * 6 - 100, offset: 16384 * 4 + 100, padding: false },
  ],
};

const counts = (n: Partial<PeerCounts> = {}): PeerCounts => ({ found: 0, tried: 0, connected: 0, failed: 0, blocks: 0, skipped: 0, ...n });

function report(address: string, extra: Partial<PeerReport> = {}): PeerReport {
  const [host, port] = address.split(':');
  return {
    address,
    host,
    port: Number(port),
    source: 'tracker',
    hashKind: 'v1',
    status: 'answered',
    ok: true,
    notes: [],
    durationMs: 50,
    ...extra,
  };
}

const have = (bitfield: string, pieces: number): PeerReport['have'] => ({
  via: 'bitfield',
  pieces,
  of: 10,
  percent: pieces * 10,
  seed: pieces === 10,
  bitfield,
});

const done = (r: PeerReport, c = counts()): PeerProgress => ({ type: 'peer-done', report: r, counts: c });

test('swarm model: peers appear when they connect, and show how they ended', () => {
  const model = new SwarmModel(() => Secrets.forTorrent({}), target);
  model.update(0, {
    type: 'peer-connected',
    address: '10.0.0.2:1',
    source: 'user',
    client: 'Early 1.0',
    counts: counts({ found: 2, tried: 2, connected: 1 }),
  });
  const [row] = model.peerRows(0, 10);
  assert.deepEqual([row.address, row.status, row.source, row.client], ['10.0.0.2:1', 'connected', 'user', 'Early 1.0']);
  const before = model.peersVersion;
  model.update(
    0,
    done(
      report('10.0.0.2:1', {
        source: 'user',
        client: 'Peer 2.0',
        have: have('ffc0', 10),
        answerMs: 12,
        flags: { extensionProtocol: true, fast: true, dht: false, v2: false },
      }),
    ),
  );
  model.update(0, done(report('10.0.0.1:9', { status: 'refused', ok: false, error: 'connection refused' })));
  assert.ok(model.peersVersion > before, 'a change moves the version: the webview asks again');
  const rows = model.peerRows(0, 10);
  assert.deepEqual(
    rows.map((r) => [r.address, r.status, r.have?.percent, r.flags.join(' '), r.timeMs, r.error]),
    [
      ['10.0.0.2:1', 'answered', 100, 'ext fast', 12, undefined],
      ['10.0.0.1:9', 'refused', undefined, '', 50, 'connection refused'],
    ],
  );
  assert.deepEqual(
    rows.map((r) => [r.pos, r.setSize]),
    [
      [1, 2],
      [2, 2],
    ],
  );
  model.setSort('address');
  assert.deepEqual(
    model.peerRows(0, 10).map((r) => r.address),
    ['10.0.0.1:9', '10.0.0.2:1'],
  );
  model.setSort('status');
  assert.deepEqual(
    model.peerRows(1, 10).map((r) => r.address),
    ['10.0.0.1:9'],
    'a page from the middle',
  );
  const details = model.details('10.0.0.2:1')!;
  assert.deepEqual(
    details.facts.find(([k]) => k === 'Has'),
    ['Has', '10 of 10 pieces (100%), a seed, from its bitfield'],
  );
  assert.deepEqual(
    details.facts.find(([k]) => k === 'Found'),
    ['Found', 'added by hand'],
  );
  assert.equal(model.details('10.9.9.9:1'), null);
});

test('swarm model: availability per piece and per file follows each answer; a peer probed again replaces its first answer', () => {
  const model = new SwarmModel(() => Secrets.forTorrent({}), target);
  assert.equal(model.swarmState()!.peers, 0);
  assert.deepEqual(
    model.fileRows(0, 10).map((f) => f.availableFraction),
    [0, 0],
    'nothing is known yet',
  );
  // Pieces 0–3 (file a) and all ten.
  model.update(0, done(report('10.0.0.1:1', { have: have('f000', 4) })));
  model.update(0, done(report('10.0.0.2:1', { have: have('ffc0', 10) })));
  let swarm = model.swarmState()!;
  assert.deepEqual([swarm.peers, swarm.seeds, swarm.minCopies, swarm.distributedCopies], [2, 1, 1, 1.4]);
  assert.deepEqual(swarm.picture, {
    bucketPieces: 1,
    least: [2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
    average: [2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
    mostCopies: 2,
  });
  const files = model.fileRows(0, 10);
  assert.deepEqual(
    files.map((f) => [f.path, f.peersWithAll, f.distributedCopies, f.pieces]),
    [
      ['a', 2, 2, 4],
      ['b', 1, 1, 6],
    ],
    'pad files are not listed; b starts inside piece 4 and ends in piece 9',
  );
  // Probed again by hand: it now has nothing.
  const filesVersion = model.filesVersion;
  model.update(1, done(report('10.0.0.2:1', { have: have('0000', 0) })));
  swarm = model.swarmState()!;
  assert.deepEqual([swarm.peers, swarm.seeds, swarm.availableFraction], [2, 0, 0.4]);
  assert.ok(model.filesVersion > filesVersion);
  assert.equal(model.peerCount, 2);
  // A failed second try takes its pieces out.
  model.update(1, done(report('10.0.0.1:1', { status: 'closed', ok: false, error: 'closed' })));
  assert.equal(model.swarmState()!.peers, 1);
});

test('swarm model: the piece picture of a large torrent has at most 2,048 buckets, each its least and average copies', () => {
  const big: ProbeTarget = { ...target, pieceCount: 100_000, files: [{ path: 'x', length: 100_000 * 16384, offset: 0, padding: false }] };
  const model = new SwarmModel(() => Secrets.forTorrent({}), big);
  const bits = 'ff'.repeat(12_500);
  model.update(
    0,
    done(report('10.0.0.1:1', { have: { via: 'have-all', pieces: 100_000, of: 100_000, percent: 100, seed: true, bitfield: bits } })),
  );
  const picture = model.swarmState()!.picture;
  assert.equal(picture.bucketPieces, 49);
  assert.equal(picture.least.length, Math.ceil(100_000 / 49));
  assert.ok(picture.least.every((c) => c === 1));
});

test('swarm model: counts of several runs add up; trackers wait, then answer, through the secrets', () => {
  const model = new SwarmModel(() => Secrets.forTorrent({ trackers: [['http://t.example/announce?passkey=0123456789abcdef0123']] }));
  model.expectTrackers(
    [{ url: 'http://t.example/announce?passkey=0123456789abcdef0123', tier: 0 }],
    [{ hex: 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a', kind: 'v1' }],
  );
  assert.deepEqual(model.trackerLines(), [{ url: 'http://t.example/announce?passkey=[redacted]', hashKind: 'v1', status: 'pending' }]);
  const result = {
    kind: 'announce',
    tracker: 'http://t.example/announce?passkey=0123456789abcdef0123',
    tier: 0,
    protocol: 'http',
    status: 'tracker-error',
    ok: false,
    error: 'unknown passkey 0123456789abcdef0123',
    notes: [],
    durationMs: 5,
    attempts: [],
    hash: 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a',
    hashKind: 'v1',
    event: 'started',
    peers: [],
  } as AnnounceResult;
  model.update(0, { type: 'tracker', result, counts: counts({ found: 3, tried: 1 }) });
  model.update(1, {
    type: 'block',
    address: '10.0.0.1:1',
    block: 0,
    blocksTotal: 4,
    counts: counts({ found: 1, tried: 1, connected: 1, blocks: 1 }),
  });
  assert.deepEqual(model.trackerLines(), [
    { url: 'http://t.example/announce?passkey=[redacted]', hashKind: 'v1', status: 'tracker-error', error: 'unknown passkey [redacted]' },
  ]);
  assert.deepEqual(model.counts(), { found: 4, tried: 2, connected: 1, failed: 0, blocks: 1, skipped: 0, blocksTotal: 4 });
  assert.equal(model.swarmState(), undefined, 'a metadata fetch knows no pieces');
  assert.deepEqual(model.fileRows(0, 10), []);
});

test('peer settings: bounded, and the defaults for what is not a number', () => {
  const read = (values: Record<string, unknown>) => peerSettingsFrom((key) => values[key]);
  assert.deepEqual(read({}), { maxConnections: 32, timeoutMs: 60_000 });
  assert.deepEqual(read({ 'peers.maxConnections': 1e9, 'peers.timeout': -5 }), { maxConnections: 200, timeoutMs: 5_000 });
  assert.deepEqual(read({ 'peers.maxConnections': '8', 'peers.timeout': Infinity }), { maxConnections: 32, timeoutMs: 60_000 });
  assert.deepEqual(read({ 'peers.maxConnections': 7.6, 'peers.timeout': 12_345 }), { maxConnections: 8, timeoutMs: 12_345 });
});
