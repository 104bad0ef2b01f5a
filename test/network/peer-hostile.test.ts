// Every way a peer can misbehave, against our own fake peers on 127.0.0.1 and ::1: each ends in a clear per-peer
// status, the others carry on, and the client never asks for piece data. No timing asserts: deadlines are
// short, so a peer that hung the client would show as a test that never ends.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import {
  fetchMetadata,
  layerRequests,
  layersNeeded,
  probePeers,
  type PeerCandidate,
  type PeerReport,
  type ProbeTarget,
} from '../../src/core/peer';
import { torrentFromMagnet } from '../../src/core/peer/from-magnet';
import { hashRequestHeader, type HashRequest } from '../../src/core/peer/wire';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { parseMagnet, type MagnetLink } from '../../src/core/magnet/parse';
import { toHex } from '../../src/core/text/bytes';
import { log2 } from '../../src/core/hashing/merkle';
import { readCorpus } from '../support/corpus';
import { hashesAnswer, layerTree, pieceLayersOf } from '../support/piece-layers';
import { bitfieldBytes } from '../../src/core/peer/pieces';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { startBittorrentTracker } from '../support/bittorrent-tracker';
import {
  encodeMessage,
  fakeInfo,
  MESSAGE,
  servingMetadata,
  sha1Bytes,
  startFakePeer,
  type FakePeer,
  type FakeScript,
} from '../support/fake-peer';

const running: FakePeer[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

async function fake(script: FakeScript, host = '127.0.0.1'): Promise<FakePeer> {
  const peer = await startFakePeer(script, host);
  running.push(peer);
  return peer;
}

const candidate = (p: { host: string; port: number }): PeerCandidate => ({ host: p.host, port: p.port, source: 'user', hashKind: 'v1' });
const quick = { connectTimeoutMs: 1000, peerTimeoutMs: 1500, timeoutMs: 5000 };

/** The client never sent `interested` or a block `request` to any connection of these peers. */
function assertNoDownload(...peers: FakePeer[]): void {
  for (const p of peers)
    for (const c of p.connections)
      for (const m of c.received)
        assert.ok(!(m.type === 'other' && m.id === MESSAGE.request) && m.type !== 'interested', JSON.stringify(m));
}

const big = fakeInfo(40_000, 2); // three blocks
const small = fakeInfo(3_000, 3); // one block

function magnetOf(link: string): MagnetLink {
  const parsed = parseMagnet(link);
  if (!parsed.ok) assert.fail(parsed.error.message);
  return parsed.magnet;
}

function only(reports: PeerReport[], port: number): PeerReport {
  const found = reports.find((r) => r.port === port);
  assert.ok(found, `a report for port ${port}`);
  return found;
}

describe('metadata from fake peers', () => {
  test('a good peer: three blocks, verified, and no piece data asked for', async () => {
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(big.v1), info: big.info }));
    const result = await fetchMetadata({ infoHash: { v1: big.v1 }, peers: [candidate(good)], ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(result.info, big.info);
    const [report] = result.peers;
    assert.equal(report.status, 'answered');
    assert.equal(report.blocks, 3);
    assert.equal(report.client, 'unknown client -FK- 0.1', 'from the peer id');
    assert.equal(report.extension?.client, 'FakePeer 1.0');
    assert.deepEqual(report.extension?.extensions, { ut_metadata: 7, ut_pex: 1 });
    assert.deepEqual(
      good.connections[0].metadataRequests().map(([, piece]) => piece),
      [0, 1, 2],
    );
    assertNoDownload(good);
  });

  test('several good peers share the blocks', async () => {
    const info = fakeInfo(200_000, 4); // 13 blocks
    const peers = await Promise.all([1, 2, 3].map(() => fake(servingMetadata({ infoHash: sha1Bytes(info.v1), info: info.info }))));
    const result = await fetchMetadata({ infoHash: { v1: info.v1 }, peers: peers.map(candidate), requestsPerPeer: 2, ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(result.info, info.info);
    assert.ok(result.suppliers.length >= 2, `blocks from several peers: ${result.suppliers.join(', ')}`);
    assert.equal(
      result.peers.reduce((n, r) => n + (r.blocks ?? 0), 0),
      13,
    );
    assert.equal(result.counts.blocks, 13);
  });

  test('a peer that lies about one block is found and dropped; the good peer finishes the job', async () => {
    const liar = await fake(
      servingMetadata({
        infoHash: sha1Bytes(big.v1),
        info: big.info,
        alter: (_piece, block) => block.map((b) => b ^ 0xff),
      }),
    );
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(big.v1), info: big.info }));
    const result = await fetchMetadata({
      infoHash: { v1: big.v1 },
      peers: [candidate(liar), candidate(good)],
      requestsPerPeer: 1,
      ...quick,
    });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(result.info, big.info);
    assert.equal(only(result.peers, liar.port).status, 'bad-metadata', JSON.stringify(result.peers));
    assert.equal(only(result.peers, good.port).status, 'answered');
  });

  test('metadata that does not hash right, from the only peer: a failure that says so', async () => {
    const liar = await fake(
      servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info, alter: (_p, block) => block.map((b) => b ^ 1) }),
    );
    const result = await fetchMetadata({ infoHash: { v1: small.v1 }, peers: [candidate(liar)], ...quick });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /^no peer gave metadata that hashes to the info hash \(1 peer tried, 1 connected\)$/);
    const [report] = result.peers;
    assert.equal(report.status, 'bad-metadata');
    assert.match(report.error ?? '', new RegExp(`hash to SHA-1 [0-9a-f]{40}, not the info hash ${small.v1}`));
  });

  test('a v2 hash: the handshake carries its first 20 bytes, the metadata is checked with SHA-256', async () => {
    const v2 = sha1Bytes(small.v2.slice(0, 40));
    const good = await fake(servingMetadata({ infoHash: v2, info: small.info }));
    const result = await fetchMetadata({ infoHash: { v2: small.v2 }, peers: [{ ...candidate(good), hashKind: 'v2' }], ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(result.info, small.info);
    const wrong = await fake(servingMetadata({ infoHash: v2, info: big.info, metadataSize: big.info.length }));
    const bad = await fetchMetadata({ infoHash: { v2: small.v2 }, peers: [{ ...candidate(wrong), hashKind: 'v2' }], ...quick });
    assert.match(bad.peers[0].error ?? '', /SHA-256 [0-9a-f]{64}, not the v2 info hash/);
  });

  test('an IPv6 peer on ::1', async () => {
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info }), '::1');
    const result = await fetchMetadata({ infoHash: { v1: small.v1 }, peers: [candidate(good)], ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.deepEqual(result.suppliers, [`[::1]:${good.port}`]);
  });

  test('peers found through a tracker', async () => {
    const tracker = await startBittorrentTracker();
    try {
      const good = await fake(servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info }));
      // The fake peer announces itself, as a seeder would.
      const hash = [...sha1Bytes(small.v1)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
      await new Promise<void>((resolve, reject) =>
        http
          .get(
            `${tracker.httpAnnounce}?info_hash=${hash}&peer_id=-FK0100-fakepeer0001&port=${good.port}&left=0&compact=1&event=started`,
            (r) => {
              r.resume();
              r.on('end', resolve);
            },
          )
          .on('error', reject),
      );
      const events: string[] = [];
      const result = await fetchMetadata({
        infoHash: { v1: small.v1 },
        trackers: { trackers: [{ url: tracker.httpAnnounce, tier: 0 }], announce: { timeoutMs: 2000 } },
        onProgress: (e) => events.push(e.type),
        ...quick,
      });
      assert.equal(result.status, 'ok', result.error);
      // The tracker also lists our own announce (127.0.0.1, port 6881, where nothing listens): never tried.
      assert.ok(
        result.trackers[0].peers.some((p) => p.port === 6881),
        'the tracker lists us',
      );
      assert.deepEqual(
        result.peers.map((r) => r.port),
        [good.port],
      );
      assert.equal(result.counts.found, 1);
      assert.equal(only(result.peers, good.port).source, 'tracker');
      assert.equal(only(result.peers, good.port).status, 'answered');
      assert.ok(result.trackers.length >= 1 && result.trackers[0].ok);
      assert.ok(events.includes('tracker') && events.includes('block'));
    } finally {
      await tracker.stop();
    }
  });
});

describe('hostile peers end in a clear status', () => {
  const cases: [string, FakeScript, RegExp, RegExp][] = [
    [
      'wrong info hash in the handshake',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(new Uint8Array(20).fill(7));
      },
      /^wrong-info-hash$/,
      /another torrent \(0707/,
    ],
    [
      'garbage instead of a handshake',
      (c) => c.send(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n')),
      /^protocol-error$/,
      /not a BitTorrent handshake/,
    ],
    [
      'a 4 GB length prefix',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        c.send(Uint8Array.of(0xff, 0xff, 0xff, 0xfe, MESSAGE.extended));
      },
      /^protocol-error$/,
      /4294967294 bytes, more than the \d+ accepted/,
    ],
    [
      'an endless bitfield',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        c.send(Uint8Array.of(0x7f, 0xff, 0xff, 0xff, MESSAGE.bitfield));
        for (let i = 0; i < 50 && !c.closed; i++) c.send(new Uint8Array(65536));
      },
      /^protocol-error$/,
      /a bitfield of 2147483646 bytes, more than the 1048576 accepted/,
    ],
    [
      'a drip-fed message',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        const message = encodeMessage(MESSAGE.extended, new Uint8Array(1000));
        for (let i = 0; i < message.length && !c.closed; i++) {
          c.send(message.subarray(i, i + 1));
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      /^timed-out$/,
      /a 1005-byte message was still arriving after \d+ ms \(\d+ bytes in\): drip-fed or stalled/,
    ],
    ['a peer that never answers', () => {}, /^timed-out$/, /no handshake within \d+ ms/],
    [
      'a peer that answers the handshake, then nothing',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
      },
      /^timed-out$/,
      /no answer within \d+ ms/,
    ],
    ['a peer that hangs up', (c) => c.socket.end(), /^closed$/, /closed the connection before its handshake/],
    [
      'no extension protocol',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1), ['fast']);
      },
      /^no-metadata$/,
      /does not support the extension protocol/,
    ],
    [
      'no ut_metadata',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        c.sendExtensionHandshake({ m: { ut_pex: 1 }, v: 'x' });
      },
      /^no-metadata$/,
      /does not offer ut_metadata/,
    ],
    [
      'no metadata_size',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        c.sendExtensionHandshake({ m: { ut_metadata: 2 } });
      },
      /^no-metadata$/,
      /no metadata_size/,
    ],
    [
      'an extension handshake that is not bencode',
      async (c) => {
        await c.until(() => c.handshake !== undefined);
        c.sendHandshake(sha1Bytes(small.v1));
        c.send(encodeMessage(MESSAGE.extended, Uint8Array.of(0, 0x64, 0x78)));
      },
      /^protocol-error$/,
      /extension handshake is not bencode/,
    ],
    [
      'a peer that rejects every request',
      servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info, reject: true }),
      /^no-metadata$/,
      /refused our request for metadata block 0/,
    ],
    [
      'a metadata_size over the limit',
      servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info, metadataSize: 64 * 1024 * 1024 }),
      /^protocol-error$/,
      /metadata_size of 67108864 bytes is more than the 33554432 accepted/,
    ],
    [
      'a block of the wrong size',
      servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info, alter: (_p, block) => block.subarray(1) }),
      /^bad-metadata$/,
      new RegExp(`block 0 has ${small.info.length - 1} bytes, not ${small.info.length}`),
    ],
    [
      'a total_size that disagrees with its metadata_size',
      servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info, metadataSize: small.info.length + 1 }),
      /^bad-metadata$/,
      /gives total_size \d+, but its handshake said metadata_size \d+/,
    ],
  ];
  for (const [name, script, status, words] of cases) {
    test(name, async () => {
      const peer = await fake(script);
      const result = await fetchMetadata({ infoHash: { v1: small.v1 }, peers: [candidate(peer)], ...quick });
      assert.equal(result.ok, false);
      const [report] = result.peers;
      assert.match(report.status, status, report.error);
      assert.match(report.error ?? '', words);
      assertNoDownload(peer);
    });
  }

  test('nothing listening: refused', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await fetchMetadata({
      infoHash: { v1: small.v1 },
      peers: [{ host: '127.0.0.1', port, source: 'user', hashKind: 'v1' }],
      ...quick,
    });
    assert.equal(result.peers[0].status, 'refused');
    assert.match(result.peers[0].error ?? '', /connection refused/);
    assert.equal(result.status, 'failed');
  });

  test('hostile peers alongside a good one: the good one still gives the metadata, each hostile one has its status', async () => {
    const silent = await fake(() => {});
    const garbage = await fake((c) => c.send(new Uint8Array(100).fill(0x41)));
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(big.v1), info: big.info }));
    const result = await fetchMetadata({ infoHash: { v1: big.v1 }, peers: [silent, garbage, good].map(candidate), ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.equal(only(result.peers, garbage.port).status, 'protocol-error');
    assert.equal(only(result.peers, silent.port).status, 'not-needed');
    assert.equal(result.counts.tried, 3);
  });

  test('cancelling ends every connection at once', async () => {
    const silent = await Promise.all([1, 2, 3].map(() => fake(() => {})));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await fetchMetadata({
      infoHash: { v1: small.v1 },
      peers: silent.map(candidate),
      signal: controller.signal,
      ...quick,
      peerTimeoutMs: 60_000,
    });
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(
      result.peers.map((r) => r.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });

  test('the whole run has a deadline', async () => {
    const silent = await fake(() => {});
    const result = await fetchMetadata({
      infoHash: { v1: small.v1 },
      peers: [candidate(silent)],
      connectTimeoutMs: 1000,
      peerTimeoutMs: 60_000,
      timeoutMs: 500,
    });
    assert.equal(result.status, 'timed-out');
    assert.match(result.error ?? '', /within 500 ms/);
    assert.equal(result.peers[0].status, 'timed-out');
  });

  test('no peers at all', async () => {
    const result = await fetchMetadata({ infoHash: { v1: small.v1 }, ...quick });
    assert.equal(result.status, 'no-peers');
  });
});

describe('probing fake peers', () => {
  const target: ProbeTarget = {
    infoHash: { v1: small.v1 },
    pieceCount: 10,
    pieceLength: 16384,
    v2Only: false,
    files: [
      { path: 'a', length: 16384 * 4, offset: 0, padding: false },
      { path: 'b', length: 16384 * 6 - 100, offset: 16384 * 4, padding: false },
    ],
  };
  const greeting =
    (after: (c: Parameters<FakeScript>[0]) => void, flags: ('fast' | 'extensionProtocol')[] = ['fast', 'extensionProtocol']): FakeScript =>
    async (c) => {
      await c.until(() => c.handshake !== undefined);
      c.sendHandshake(sha1Bytes(small.v1), flags);
      after(c);
    };

  test('have all, a bitfield, have none, haves only, and a quiet peer; availability adds up', async () => {
    const seed = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.haveAll))));
    const half = await fake(
      greeting((c) => {
        c.send(encodeMessage(MESSAGE.bitfield, Uint8Array.of(0b11110000, 0b00000000)));
        c.sendExtensionHandshake({ m: {}, v: 'Half 1.0', e: 1, reqq: 50, yourip: Uint8Array.of(127, 0, 0, 1), p: 6881 });
      }),
    );
    const none = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.haveNone))));
    const haves = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.have, Uint8Array.of(0, 0, 0, 9))), ['extensionProtocol']));
    const quiet = await fake(greeting(() => {}, []));
    const all = [seed, half, none, haves, quiet];
    const result = await probePeers({ target, peers: all.map(candidate), quietPeerMs: 300, ...quick });
    assert.equal(result.status, 'ok', result.error);
    const have = (p: FakePeer) => only(result.peers, p.port).have;
    assert.deepEqual(have(seed), { via: 'have-all', pieces: 10, of: 10, percent: 100, seed: true, bitfield: 'ffc0' });
    assert.deepEqual(have(half), { via: 'bitfield', pieces: 4, of: 10, percent: 40, seed: false, bitfield: 'f000' });
    assert.equal(have(none)?.via, 'have-none');
    assert.deepEqual(have(haves), { via: 'have', pieces: 1, of: 10, percent: 10, seed: false, bitfield: '0040' });
    assert.equal(have(quiet)?.via, 'nothing');
    assert.match(only(result.peers, quiet.port).notes.join(), /sent no bitfield within 300 ms/);
    const halfReport = only(result.peers, half.port);
    assert.deepEqual(halfReport.extension, {
      extensions: {},
      client: 'Half 1.0',
      encryption: true,
      requestQueue: 50,
      yourIp: '127.0.0.1',
      listenPort: 6881,
    });
    assert.deepEqual(halfReport.flags, { extensionProtocol: true, fast: true, dht: false, v2: false });
    assert.ok(result.peers.every((r) => r.status === 'answered'));
    assert.deepEqual(result.availability.pieceCopies, [2, 2, 2, 2, 1, 1, 1, 1, 1, 2]);
    assert.equal(result.availability.peers, 5);
    assert.equal(result.availability.seeds, 1);
    assert.equal(result.availability.distributedCopies, 1.5);
    assert.deepEqual(
      result.availability.files.map((f) => [f.path, f.firstPiece, f.pieces, f.peersWithAll, f.distributedCopies]),
      [
        ['a', 0, 4, 2, 2],
        ['b', 4, 6, 1, 1 + 1 / 6],
      ],
    );
    assertNoDownload(...all);
  });

  test('broken answers: a bitfield of the wrong length, have all without the fast extension, a have out of range', async () => {
    const wrongLength = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.bitfield, new Uint8Array(bitfieldBytes(10) + 1)))));
    const noFast = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.haveAll)), ['extensionProtocol']));
    const outOfRange = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.have, Uint8Array.of(0, 0, 0, 10)))));
    const spare = await fake(greeting((c) => c.send(encodeMessage(MESSAGE.bitfield, Uint8Array.of(0xff, 0xff)))));
    const result = await probePeers({ target, peers: [wrongLength, noFast, outOfRange, spare].map(candidate), ...quick });
    assert.match(only(result.peers, wrongLength.port).error ?? '', /bitfield of 3 bytes where the torrent's pieces need 2/);
    assert.match(only(result.peers, noFast.port).error ?? '', /have-all without the fast extension/);
    assert.match(only(result.peers, outOfRange.port).error ?? '', /has piece 10, but the torrent has 10/);
    const spareReport = only(result.peers, spare.port);
    assert.equal(spareReport.status, 'answered');
    assert.equal(spareReport.have?.seed, true);
    assert.match(spareReport.notes.join(), /spare bits/);
    assert.equal(result.availability.peers, 1);
  });

  test('a bounded number of connections at once, and progress for each peer', async () => {
    const peers = await Promise.all(
      Array.from({ length: 12 }, () =>
        fake(async (c) => {
          await c.until(() => c.handshake !== undefined);
          await new Promise((r) => setTimeout(r, 50));
          c.sendHandshake(sha1Bytes(small.v1));
          c.send(encodeMessage(MESSAGE.haveAll));
        }),
      ),
    );
    // Connections in flight as the client reports them (a fake server learns of a close a little later).
    let inFlight = 0;
    let most = 0;
    const done: string[] = [];
    const result = await probePeers({
      target,
      peers: peers.map(candidate),
      maxConnections: 4,
      onProgress: (e) => {
        if (e.type === 'peer-connected') most = Math.max(most, ++inFlight);
        if (e.type === 'peer-done') {
          inFlight--;
          done.push(e.report.address);
        }
      },
      ...quick,
    });
    assert.equal(result.availability.seeds, 12);
    assert.ok(most <= 4, `at most 4 at once (${most})`);
    assert.equal(done.length, 12);
    assert.equal(result.counts.connected, 12);
    assert.equal(result.counts.tried, 12);
  });
});

describe("our own announce in a tracker's answer", () => {
  /** An HTTP tracker on 127.0.0.1 that answers every announce with these peers (and fields). */
  async function trackerAnswering(answer: Record<string, Encodable>): Promise<{ url: string; stop(): Promise<void> }> {
    const server = http.createServer((_request, response) => response.end(encode({ interval: 1800, ...answer })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    return {
      url: `http://127.0.0.1:${port}/announce`,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  const compact = (...peers: [number[], number][]) => Uint8Array.from(peers.flatMap(([ip, port]) => [...ip, port >> 8, port & 0xff]));
  /** A tracker answering with `count` loopback addresses (127.0.1.0 onwards) at a port where nothing listens. */
  async function trackerOfClosedPeers(count: number): Promise<{ url: string; stop(): Promise<void> }> {
    const closed = await fake(() => {});
    await closed.stop();
    const peers = Array.from({ length: count }, (_, i): [number[], number] => [[127, 0, 1 + (i >> 8), i & 255], closed.port]);
    return trackerAnswering({ peers: compact(...peers) });
  }

  test('is not tried: our announced port on loopback, or on the external address a tracker reports (BEP 24)', async () => {
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info }));
    // 203.0.113.7 (TEST-NET-3) is what this tracker says our address is; at our port it is us, and never contacted.
    const tracker = await trackerAnswering({
      'external ip': Uint8Array.of(203, 0, 113, 7),
      peers: compact([[127, 0, 0, 1], 7001], [[203, 0, 113, 7], 7001], [[127, 0, 0, 1], good.port]),
    });
    try {
      const result = await fetchMetadata({
        infoHash: { v1: small.v1 },
        trackers: { trackers: [{ url: tracker.url, tier: 0 }], announce: { port: 7001, timeoutMs: 2000 } },
        ...quick,
      });
      assert.equal(result.status, 'ok', result.error);
      assert.equal(result.trackers[0].externalIp, '203.0.113.7');
      assert.deepEqual(
        result.peers.map((r) => r.address),
        [`127.0.0.1:${good.port}`],
      );
      assert.equal(result.counts.found, 1);
    } finally {
      await tracker.stop();
    }
  });

  test('a peer at another port of this machine is a peer like any other', async () => {
    const good = await fake(servingMetadata({ infoHash: sha1Bytes(small.v1), info: small.info }));
    // Announced at 7002: the loopback peer at 7002 is us; the ones at other ports of this machine are tried.
    const refused = await fake(() => {});
    await refused.stop();
    const tracker = await trackerAnswering({
      peers: compact([[127, 0, 0, 1], 7002], [[127, 0, 0, 1], refused.port], [[127, 0, 0, 1], good.port]),
    });
    try {
      const result = await probePeers({
        target: {
          infoHash: { v1: small.v1 },
          pieceCount: 1,
          pieceLength: 16384,
          v2Only: false,
          files: [{ path: 'a', length: 3000, offset: 0, padding: false }],
        },
        trackers: { trackers: [{ url: tracker.url, tier: 0 }], announce: { port: 7002, timeoutMs: 2000 } },
        quietPeerMs: 300,
        ...quick,
      });
      assert.deepEqual(
        result.peers.map((r) => r.port).sort((a, b) => a - b),
        [refused.port, good.port].sort((a, b) => a - b),
      );
      assert.equal(only(result.peers, refused.port).status, 'refused');
    } finally {
      await tracker.stop();
    }
  });

  test('a tracker that returns thousands of peers: the run asks at most maxPeers, and counts the rest', async () => {
    // Only the first 20 of the 300 are asked.
    const tracker = await trackerOfClosedPeers(300);
    try {
      const result = await fetchMetadata({
        infoHash: { v1: small.v1 },
        trackers: { trackers: [{ url: tracker.url, tier: 0 }], announce: { timeoutMs: 2000 } },
        maxPeers: 20,
        ...quick,
      });
      assert.equal(result.counts.found, 20);
      assert.equal(result.counts.skipped, 280);
      assert.equal(result.peers.length, 20);
      assert.equal(result.status, 'failed');
    } finally {
      await tracker.stop();
    }
  });

  test('a probe of a torrent of 8 million pieces asks no more peers than their bitfields fit in 256 MiB', async () => {
    const tracker = await trackerOfClosedPeers(300);
    try {
      const pieceCount = 8_000_000;
      const result = await probePeers({
        target: {
          infoHash: { v1: small.v1 },
          pieceCount,
          pieceLength: 16384,
          v2Only: false,
          files: [{ path: 'a', length: pieceCount * 16384, offset: 0, padding: false }],
        },
        trackers: { trackers: [{ url: tracker.url, tier: 0 }], announce: { timeoutMs: 2000 } },
        ...quick,
      });
      // Three bytes of memory per byte of bitfield (the pieces and their hex in the report): 256 MiB / 3 MB.
      assert.equal(result.counts.found, Math.floor((256 * 1024 * 1024) / (3 * bitfieldBytes(pieceCount))));
      assert.equal(result.counts.found + result.counts.skipped, 300);
    } finally {
      await tracker.stop();
    }
  });
});

describe('piece layers from fake peers (BEP 52)', () => {
  // A v2 torrent whose files larger than a piece need their layers; the fakes serve its metadata and hashes.
  const source = parseMetainfo(readCorpus('gen/lt-v2-only-multi.torrent'));
  if (!source.ok) throw new Error(source.failure.message);
  const m = source.metainfo;
  const info = new Uint8Array(m.document.data.subarray(m.infoSpan.start, m.infoSpan.end));
  const v2 = m.infoHash.v2!;
  const original = pieceLayersOf(m);
  const { needs } = layersNeeded(m);
  const layerRequestCount = needs.reduce((n, need) => n + layerRequests(log2(m.pieceLength / 16384), need).length, 0);
  const v2Candidate = (p: FakePeer): PeerCandidate => ({ ...candidate(p), hashKind: 'v2' });

  /** An honest answer to `request`, or what `change` makes of it. */
  const honest =
    (change: (hashes: Uint8Array) => Uint8Array = (h) => h) =>
    (request: HashRequest): Uint8Array => {
      const root = toHex(request.piecesRoot);
      const need = needs.find((n) => toHex(n.root) === root)!;
      const levels = layerTree(original.get(root)!, need.pieces, request.baseLayer);
      const hashes = change(hashesAnswer(levels, request));
      return encodeMessage(MESSAGE.hashes, Uint8Array.from([...hashRequestHeader(request), ...hashes]));
    };
  const serving = (hashes: (request: HashRequest) => Uint8Array | undefined) =>
    servingMetadata({ infoHash: sha1Bytes(v2.slice(0, 40)), info, hashes });
  const hashRequestsTo = (p: FakePeer) => p.connections.flatMap((c) => c.received.filter((r) => r.type === 'hash-request'));

  test('an honest peer: every layer, as the torrent has them, asked for with the v2 upgrade bit', async () => {
    const good = await fake(serving(honest()));
    const result = await fetchMetadata({ infoHash: { v2 }, peers: [v2Candidate(good)], ...quick });
    assert.equal(result.status, 'ok', result.error);
    assert.equal(result.pieceLayers?.status, 'ok', JSON.stringify(result.pieceLayers?.peers));
    assert.deepEqual(new Map([...result.pieceLayers!.layers].sort()), new Map([...original].sort()));
    const asked = good.connections.filter((c) => c.received.some((r) => r.type === 'hash-request'));
    assert.equal(asked.length, 1);
    assert.notEqual(asked[0].handshake!.reserved[7] & 0x10, 0, 'the v2 upgrade bit');
    assert.equal(hashRequestsTo(good).length, layerRequestCount);
    assertNoDownload(good);
  });

  test('a peer whose hashes are wrong is dropped, and another peer’s good answer is used', async () => {
    const liar = await fake(serving(honest((h) => h.map((b, i) => (i === 5 ? b ^ 1 : b)))));
    // The honest peer answers late, so that the liar is asked first.
    const good = await fake(
      serving((request) => {
        const answer = honest()(request);
        setTimeout(() => good.connections.forEach((c) => c.send(answer)), 200);
        return undefined;
      }),
    );
    const result = await fetchMetadata({ infoHash: { v2 }, peers: [liar, good].map(v2Candidate), ...quick });
    const layers = result.pieceLayers!;
    assert.equal(layers.status, 'ok', JSON.stringify(layers.peers));
    assert.deepEqual(new Map([...layers.layers].sort()), new Map([...original].sort()));
    const dropped = only(layers.peers, liar.port);
    assert.equal(dropped.status, 'bad-metadata');
    assert.match(
      dropped.error ?? '',
      /its hashes for pieces \d+–\d+ of .* are wrong: the hashes and their proof do not hash to the pieces root/,
    );
    assert.equal(only(layers.peers, good.port).status, 'answered');
  });

  test('a hashes message longer than asked is cut off at its length prefix; a peer that never answers does not stall the fetch', async () => {
    const oversized = await fake(serving(honest((h) => Uint8Array.from([...h, ...new Uint8Array(32)]))));
    const silent = await fake(serving(() => undefined));
    const started = Date.now();
    const result = await fetchMetadata({
      infoHash: { v2 },
      peers: [oversized, silent].map(v2Candidate),
      ...quick,
      peerTimeoutMs: 800,
      pieceLayersTimeoutMs: 3000,
    });
    assert.equal(result.status, 'ok', result.error);
    const layers = result.pieceLayers!;
    assert.equal(layers.status, 'failed');
    assert.deepEqual(new Set(layers.missing), new Set(needs.flatMap((n) => n.files)));
    const cut = only(layers.peers, oversized.port);
    assert.equal(cut.status, 'protocol-error');
    assert.match(cut.error ?? '', /a hashes message of \d+ bytes, more than the \d+ our request allows/);
    const waited = only(layers.peers, silent.port);
    assert.equal(waited.status, 'timed-out');
    assert.ok(hashRequestsTo(silent).length > 0, 'the silent peer was asked');
    // Within the layers' deadline (not the whole run's 5 s on top of it).
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    // The torrent is still made, and its note names the files without a layer.
    const made = torrentFromMagnet(magnetOf(`magnet:?xt=urn:btmh:1220${v2}`), result.info!, undefined, layers);
    assert.deepEqual(made.metainfo?.infoHash, m.infoHash);
    assert.equal(made.notes.length, 1);
    assert.match(made.notes[0], /^The torrent has no piece layers: no peer gave them in time/);
  });

  test('a peer that rejects the hash requests leaves them to another', async () => {
    const refusing = await fake(serving((request) => encodeMessage(MESSAGE.hashReject, hashRequestHeader(request))));
    const good = await fake(serving(honest()));
    const result = await fetchMetadata({ infoHash: { v2 }, peers: [refusing, good].map(v2Candidate), ...quick });
    const layers = result.pieceLayers!;
    assert.equal(layers.status, 'ok', JSON.stringify(layers.peers));
    assert.deepEqual(new Map([...layers.layers].sort()), new Map([...original].sort()));
  });
});
