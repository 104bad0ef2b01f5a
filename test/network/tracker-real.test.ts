// Announce and scrape against real trackers started on 127.0.0.1: Debian's opentracker and npm's
// bittorrent-tracker. Fake peers are put in with an independent raw client; our client must get back
// exactly those peers and counts, over HTTP and UDP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { corpusRoot } from '../support/corpus';
import {
  announceAll,
  announceHashes,
  announceToTracker,
  scrapeAll,
  scrapeTracker,
  UdpConnectionCache,
  type AnnounceResult,
  type InfoHashTarget,
  type Peer,
} from '../../src/core/tracker';
import { startBittorrentTracker, type BittorrentTracker } from '../support/bittorrent-tracker';
import { startOpentracker, type OpenTracker } from '../support/opentracker';
import { fakePeers, rawHttpAnnounce, rawUdpAnnounce, rawWsAnnounce, type FakePeer, type WsPeerConnection } from '../support/raw-client';

// Hashes with bytes >= 0x80, so bittorrent-tracker's UTF-8 scrape keys differ from the raw bytes.
const HTTP_HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const UDP_HASH = 'f0e1d2c3b4a5968778695a4b3c2d1e0f00112233';
const EMPTY_HASH = '9988776655443322110099887766554433221100';
const NOT_LISTED = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const OUR_PORT = 51413;

const v1 = (hex: string): InfoHashTarget => ({ hex, kind: 'v1' });
const addresses = (peers: Peer[]) => peers.map((p) => (p.ip.includes(':') ? `[${p.ip}]:${p.port}` : `${p.ip}:${p.port}`)).sort();
const fakeAddresses = (peers: FakePeer[], ip: (p: FakePeer) => string) =>
  peers.map((p) => (ip(p).includes(':') ? `[${ip(p)}]:${p.port}` : `${ip(p)}:${p.port}`));
const counts = (peers: FakePeer[]) => ({
  seeders: peers.filter((p) => p.left === 0).length,
  leechers: peers.filter((p) => p.left !== 0).length,
});

function assertWorking(result: AnnounceResult): void {
  assert.equal(result.status, 'working', `${result.tracker}: ${result.error}`);
  assert.equal(result.ok, true);
  assert.ok(result.interval !== undefined && result.interval > 0, 'interval');
}

describe('opentracker (Debian), HTTP and UDP', () => {
  let tracker: OpenTracker;
  // opentracker takes the source address, so fake peers differ by port only.
  const httpPeers = fakePeers(5, 2, 40000);
  const udpPeers = fakePeers(4, 1, 41000);

  before(async () => {
    tracker = await startOpentracker([HTTP_HASH, UDP_HASH, EMPTY_HASH]);
    for (const peer of httpPeers) await rawHttpAnnounce(tracker.httpAnnounce, HTTP_HASH, peer);
    for (const peer of udpPeers) await rawUdpAnnounce('127.0.0.1', tracker.port, UDP_HASH, peer);
  });
  after(() => tracker?.stop());

  for (const protocol of ['http', 'udp'] as const) {
    test(`announce over ${protocol} returns exactly the fake peers (and us), then stopped removes us`, async () => {
      const url = protocol === 'http' ? tracker.httpAnnounce : tracker.udpAnnounce;
      const hash = protocol === 'http' ? HTTP_HASH : UDP_HASH;
      const peers = protocol === 'http' ? httpPeers : udpPeers;
      const result = await announceToTracker({ url, tier: 0 }, v1(hash), {
        port: OUR_PORT,
        left: 1000,
        numwant: 200,
        udpConnections: new UdpConnectionCache(),
      });
      assertWorking(result);
      assert.equal(result.protocol, protocol);
      assert.equal(result.event, 'started');
      const { seeders, leechers } = counts(peers);
      // The tracker counts us among the leechers while our `started` is in; opentracker also lists us.
      assert.equal(result.complete, seeders);
      assert.equal(result.incomplete, leechers + 1);
      assert.deepEqual(addresses(result.peers), [...fakeAddresses(peers, () => '127.0.0.1'), `127.0.0.1:${OUR_PORT}`].sort());
      assert.deepEqual(result.stopped, { ok: true, durationMs: result.stopped!.durationMs });
      // After `stopped`, the tracker has forgotten us: the counts are the fake peers' alone.
      const scrape = await scrapeTracker({ url, tier: 0 }, [v1(hash)]);
      assert.equal(scrape.status, 'working', scrape.error);
      assert.deepEqual(
        scrape.entries.map((e) => [e.hash, e.found, e.complete, e.incomplete]),
        [[hash, true, seeders, leechers]],
      );
    });

    test(`scrape over ${protocol}: several hashes in one request, exact counts`, async () => {
      const url = protocol === 'http' ? tracker.httpAnnounce : tracker.udpAnnounce;
      const result = await scrapeTracker({ url, tier: 2 }, [v1(HTTP_HASH), v1(UDP_HASH), v1(EMPTY_HASH)]);
      assert.equal(result.status, 'working', result.error);
      assert.equal(result.tier, 2);
      assert.equal(result.attempts.filter((a) => a.step !== 'connect').length, 1, 'one request for all hashes');
      const http = counts(httpPeers);
      const udp = counts(udpPeers);
      const byHash = Object.fromEntries(result.entries.map((e) => [e.hash, [e.complete ?? 0, e.incomplete ?? 0]]));
      assert.deepEqual(byHash[HTTP_HASH], [http.seeders, http.leechers]);
      assert.deepEqual(byHash[UDP_HASH], [udp.seeders, udp.leechers]);
      assert.deepEqual(byHash[EMPTY_HASH], [0, 0]);
      if (protocol === 'http') {
        assert.equal(result.scrapeUrl, tracker.httpAnnounce.replace(/announce$/, 'scrape'));
        // opentracker leaves hashes without peers out of its answer: the tracker does not know them.
        assert.equal(result.entries.find((e) => e.hash === EMPTY_HASH)?.found, false);
      }
      assert.deepEqual(result.notes, []);
    });

    test(`a hash not on the whitelist gets opentracker's refusal over ${protocol}`, async () => {
      const url = protocol === 'http' ? tracker.httpAnnounce : tracker.udpAnnounce;
      const result = await announceToTracker({ url, tier: 0 }, v1(NOT_LISTED), { port: OUR_PORT, left: 1 });
      assert.equal(result.status, 'tracker-error');
      assert.equal(result.ok, false);
      // Over UDP, opentracker answers a refused announce with a bare 8-byte header instead of an error action.
      assert.match(result.error ?? '', protocol === 'http' ? /not authorized/i : /8 bytes.*not serve/);
      assert.equal(result.stopped, undefined, 'no stopped announce after a refused started');
    });
  }

  test('UDP connection id is reused within its minute', async () => {
    const cache = new UdpConnectionCache();
    const first = await announceToTracker({ url: tracker.udpAnnounce, tier: 0 }, v1(UDP_HASH), {
      port: OUR_PORT,
      left: 1,
      event: 'none',
      udpConnections: cache,
    });
    const second = await announceToTracker({ url: tracker.udpAnnounce, tier: 0 }, v1(UDP_HASH), {
      port: OUR_PORT,
      left: 1,
      event: 'stopped',
      udpConnections: cache,
    });
    assertWorking(first);
    assertWorking(second);
    assert.deepEqual(
      first.attempts.map((a) => a.step),
      ['connect', 'announce'],
    );
    assert.deepEqual(
      second.attempts.map((a) => a.step),
      ['announce'],
      'the second announce used the cached connection id and opentracker accepted it',
    );
  });
});

describe('bittorrent-tracker (npm), HTTP, UDP and UDP over IPv6', () => {
  let tracker: BittorrentTracker;
  // bittorrent-tracker trusts X-Forwarded-For here: peers at chosen addresses.
  const httpPeers = fakePeers(4, 1, 42000, (i) => `10.1.0.${i + 1}`);
  const httpPeers6 = fakePeers(2, 1, 42100, (i) => `2001:db8::${i + 1}`);
  const udpPeers = fakePeers(5, 3, 43000, (i) => `10.2.0.${i + 1}`);

  before(async () => {
    tracker = await startBittorrentTracker();
    for (const peer of [...httpPeers, ...httpPeers6]) await rawHttpAnnounce(tracker.httpAnnounce, HTTP_HASH, peer);
    // Its UDP server mangles the request's IP field, so these peers come in over HTTP too; the swarm is shared.
    for (const peer of udpPeers) await rawHttpAnnounce(tracker.httpAnnounce, UDP_HASH, peer);
  });
  after(() => tracker?.stop());

  test('HTTP announce: IPv4 peers and BEP 7 peers6, exact counts', async () => {
    const result = await announceToTracker({ url: tracker.httpAnnounce, tier: 0 }, v1(HTTP_HASH), { port: OUR_PORT, left: 1000 });
    assertWorking(result);
    const all = [...httpPeers, ...httpPeers6];
    const { seeders, leechers } = counts(all);
    assert.equal(result.complete, seeders);
    assert.equal(result.incomplete, leechers + 1);
    assert.deepEqual(addresses(result.peers), [...fakeAddresses(all, (p) => p.ip!), `127.0.0.1:${OUR_PORT}`].sort());
    assert.ok(
      result.peers.some((p) => p.ip === '2001:db8::1'),
      'peers6 parsed',
    );
    assert.equal(result.stopped?.ok, true);
  });

  test('UDP announce: peers at the addresses the fake peers gave', async () => {
    const result = await announceToTracker({ url: tracker.udpAnnounce, tier: 0 }, v1(UDP_HASH), {
      port: OUR_PORT,
      left: 1000,
      udpConnections: new UdpConnectionCache(),
    });
    assertWorking(result);
    const { seeders, leechers } = counts(udpPeers);
    assert.equal(result.complete, seeders);
    assert.equal(result.incomplete, leechers + 1);
    assert.deepEqual(addresses(result.peers), [...fakeAddresses(udpPeers, (p) => p.ip!), `127.0.0.1:${OUR_PORT}`].sort());
  });

  test('UDP over IPv6: IPv4 entries where BEP 15 wants IPv6 ones are read as IPv4 and noted', async () => {
    const result = await announceToTracker({ url: tracker.udp6Announce, tier: 0 }, v1(UDP_HASH), {
      port: OUR_PORT,
      left: 1000,
      udpConnections: new UdpConnectionCache(),
    });
    assertWorking(result);
    assert.equal(result.complete, counts(udpPeers).seeders);
    // Its IPv6 answer carries only IPv4 peers (we, at ::1, are left out), in 6-byte entries.
    assert.deepEqual(addresses(result.peers), fakeAddresses(udpPeers, (p) => p.ip!).sort());
    assert.ok(
      result.notes.some((n) => /6-byte IPv4 peer entries/.test(n)),
      result.notes.join('\n'),
    );
  });

  test('HTTP scrape: the UTF-8 key bug is detected, named, and the counts still match', async () => {
    const result = await scrapeTracker({ url: tracker.httpAnnounce, tier: 0 }, [v1(HTTP_HASH), v1(UDP_HASH)]);
    assert.equal(result.status, 'working', result.error);
    const http = counts([...httpPeers, ...httpPeers6]);
    const udp = counts(udpPeers);
    assert.deepEqual(
      result.entries.map((e) => [e.hash, e.found, e.complete, e.incomplete]),
      [
        [HTTP_HASH, true, http.seeders, http.leechers],
        [UDP_HASH, true, udp.seeders, udp.leechers],
      ],
    );
    const note = result.notes.find((n) => /UTF-8/.test(n));
    assert.ok(note, 'the bug is reported');
    assert.match(note, /bittorrent-tracker bug/);
    assert.match(note, /2 info hash keys/);
  });

  test('UDP scrape: exact counts for several hashes', async () => {
    const result = await scrapeTracker({ url: tracker.udpAnnounce, tier: 0 }, [v1(UDP_HASH), v1(HTTP_HASH), v1(EMPTY_HASH)], {
      udpConnections: new UdpConnectionCache(),
    });
    assert.equal(result.status, 'working', result.error);
    const http = counts([...httpPeers, ...httpPeers6]);
    const udp = counts(udpPeers);
    assert.deepEqual(
      result.entries.map((e) => [e.hash, e.complete, e.incomplete]),
      [
        [UDP_HASH, udp.seeders, udp.leechers],
        [HTTP_HASH, http.seeders, http.leechers],
        [EMPTY_HASH, 0, 0],
      ],
    );
    assert.deepEqual(result.notes, []);
  });
});

describe('bittorrent-tracker (npm), WebSocket (WebTorrent)', () => {
  let tracker: BittorrentTracker;
  const WS_HASH = 'c1d2e3f4a5b60718293a4b5c6d7e8f9012345678';
  // WebTorrent peers stay in the swarm while their sockets are open: two seeders, three leechers.
  const peers = fakePeers(5, 2, 44000);
  const connections: WsPeerConnection[] = [];

  before(async () => {
    tracker = await startBittorrentTracker({ ws: true });
    for (const peer of peers) connections.push(await rawWsAnnounce(tracker.wsAnnounce, WS_HASH, peer));
  });
  after(async () => {
    for (const connection of connections) await connection.close();
    await tracker?.stop();
  });

  test('announce: exact counts, no peers asked for; the stopped announce takes us out again', async () => {
    const result = await announceToTracker({ url: tracker.wsAnnounce, tier: 0 }, v1(WS_HASH), { left: 1000 });
    assertWorking(result);
    assert.equal(result.protocol, 'ws');
    const { seeders, leechers } = counts(peers);
    assert.deepEqual([result.complete, result.incomplete, result.peers.length], [seeders, leechers + 1, 0]);
    assert.equal(result.interval, 360, 'bittorrent-tracker tells WebSocket clients a fifth of its interval');
    assert.match(result.notes.join('\n'), /WebRTC peers/);
    assert.deepEqual(result.stopped, { ok: true, durationMs: result.stopped!.durationMs });
    const scrape = await scrapeTracker({ url: tracker.wsAnnounce, tier: 0 }, [v1(WS_HASH)]);
    assert.equal(scrape.status, 'working', scrape.error);
    assert.deepEqual(
      scrape.entries.map((e) => [e.hash, e.found, e.complete, e.incomplete]),
      [[WS_HASH, true, seeders, leechers]],
    );
  });

  test('scrape: several hashes in one message, a torrent it has no swarm for counted as empty', async () => {
    const result = await scrapeTracker({ url: tracker.wsAnnounce, tier: 1 }, [v1(WS_HASH), v1(EMPTY_HASH)]);
    assert.equal(result.status, 'working', result.error);
    const { seeders, leechers } = counts(peers);
    assert.deepEqual(
      result.entries.map((e) => [e.hash, e.complete, e.incomplete]),
      [
        [WS_HASH, seeders, leechers],
        [EMPTY_HASH, 0, 0],
      ],
    );
    assert.deepEqual(result.notes, []);
    assert.deepEqual(tracker.warnings, [], 'the tracker took our messages as valid');
  });
});

describe('all trackers at once', () => {
  let open: OpenTracker;
  let npm: BittorrentTracker;
  // The corpus's hybrid torrent: a v1 hash and a truncated v2 hash, each its own swarm on a tracker.
  const parsed = parseMetainfo(new Uint8Array(readFileSync(path.join(corpusRoot, 'gen', 'lab-hybrid.torrent'))));
  assert.ok(parsed.ok);
  const [v1Target, v2Target] = announceHashes(parsed.metainfo.infoHash);
  const v1Hash = v1Target.hex;
  const v2Hash = v2Target.hex;
  before(async () => {
    open = await startOpentracker([v1Hash, v2Hash]);
    npm = await startBittorrentTracker();
    await rawHttpAnnounce(open.httpAnnounce, v1Hash, { peerId: '-qB4520-aaaaaaaaaaaa', port: 45001, left: 0 });
    await rawHttpAnnounce(open.httpAnnounce, v2Hash, { peerId: '-qB4520-bbbbbbbbbbbb', port: 45002, left: 0 });
    await rawHttpAnnounce(open.httpAnnounce, v2Hash, { peerId: '-qB4520-cccccccccccc', port: 45003, left: 5 });
  });
  after(async () => {
    await open?.stop();
    await npm?.stop();
  });

  test('a hybrid torrent announces v1 and truncated v2 hashes separately to every tracker, live', async () => {
    const trackers = [
      { url: open.httpAnnounce, tier: 0 },
      { url: open.udpAnnounce, tier: 0 },
      { url: npm.httpAnnounce, tier: 1 },
      { url: npm.udpAnnounce, tier: 1 },
      { url: open.httpAnnounce, tier: 2 }, // listed twice: contacted once
    ];
    const live: string[] = [];
    const results = await announceAll(
      trackers,
      [v1Target, v2Target],
      { port: OUR_PORT, left: 50006, udpConnections: new UdpConnectionCache() },
      (r) => live.push(`${r.tracker} ${r.hashKind}`),
    );
    assert.equal(results.length, 8);
    assert.deepEqual(
      results.map((r) => [r.tracker, r.tier, r.hashKind]),
      trackers.slice(0, 4).flatMap((t) => [
        [t.url, t.tier, 'v1'],
        [t.url, t.tier, 'v2'],
      ]),
    );
    for (const r of results) assertWorking(r);
    // Every result was delivered as it came (answer, then again after its `stopped`).
    assert.equal(live.length, 16);
    const open1 = results.find((r) => r.tracker === open.httpAnnounce && r.hashKind === 'v1')!;
    const open2 = results.find((r) => r.tracker === open.httpAnnounce && r.hashKind === 'v2')!;
    assert.equal(open1.complete, 1);
    assert.equal(open2.complete, 1);
    assert.equal(open2.incomplete, 2);
    assert.deepEqual(addresses(open2.peers), ['127.0.0.1:45002', '127.0.0.1:45003', `127.0.0.1:${OUR_PORT}`]);

    const scrapes = await scrapeAll(trackers, [v1Target, v2Target], { udpConnections: new UdpConnectionCache() });
    assert.equal(scrapes.length, 4);
    const openScrape = scrapes.find((s) => s.tracker === open.udpAnnounce)!;
    assert.deepEqual(
      openScrape.entries.map((e) => [e.hashKind, e.complete, e.incomplete]),
      [
        ['v1', 1, 0],
        ['v2', 1, 1],
      ],
    );
  });
});
