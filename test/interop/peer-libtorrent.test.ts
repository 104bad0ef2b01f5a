// The peer side against real libtorrent 2.0 peers on the loopback interface: metadata fetched from a seeder of
// v1, v2 and hybrid torrents (a hybrid reached under either hash) is byte for byte the info dictionary, and a
// probe of a seeder and a peer holding part of the data finds exactly what each holds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import {
  fetchMetadata,
  probePeers,
  probeTargetOf,
  torrentFromMetadata,
  type MetadataResult,
  type PeerCandidate,
  type PeerProgress,
} from '../../src/core/peer';
import { makeTorrent, startPartialPeer, startSeeder, type MadeTorrent, type RunningPeer, type TorrentKind } from '../support/libtorrent';
import { parseMagnet } from '../../src/core/magnet/parse';
import { torrentFromMagnet } from '../../src/core/peer/from-magnet';
import { pieceLayersOf } from '../support/piece-layers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libtorrentLoad, libtorrentRecheck } from '../support/reference-tools';

function parse(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

/** The info dictionary's bytes as in the file (a plain Uint8Array, to compare with what peers sent). */
function infoBytes(m: Metainfo): Uint8Array {
  return new Uint8Array(m.document.data.subarray(m.infoSpan.start, m.infoSpan.end));
}

/** The metadata of `m` from one peer, with the progress events of the fetch. */
async function fetchWithEvents(m: Metainfo, from: PeerCandidate): Promise<{ result: MetadataResult; events: PeerProgress[] }> {
  const events: PeerProgress[] = [];
  const result = await fetchMetadata({
    infoHash: { v1: m.infoHash.v1, v2: m.infoHash.v2 },
    peers: [from],
    timeoutMs: 20_000,
    onProgress: (e) => events.push(e),
  });
  return { result, events };
}

const peer = (p: RunningPeer, hashKind: 'v1' | 'v2' = 'v1'): PeerCandidate => ({ host: p.host, port: p.port, source: 'user', hashKind });

// Several files, an empty one among them (libtorrent pads v1 and hybrid files to piece boundaries).
const SIZES = [100_000, 0, 40_000, 300_000, 16_384];

for (const kind of ['v1', 'v2', 'hybrid'] as TorrentKind[]) {
  describe(`libtorrent seeding a ${kind} torrent`, () => {
    let made: MadeTorrent;
    let seeder: RunningPeer;
    let metainfo: Metainfo;
    before(async () => {
      // Info dictionaries over one 16 KiB block, so that metadata comes in several blocks.
      made = await makeTorrent(`lens-${kind}`, kind, [...SIZES, ...Array<number>(600).fill(1000)], 16384, 11);
      metainfo = parse(made.bytes);
      seeder = await startSeeder(made);
    });
    after(async () => {
      await seeder?.stop();
      made?.remove();
    });

    const kinds: ('v1' | 'v2')[] = kind === 'hybrid' ? ['v1', 'v2'] : [kind];
    for (const hashKind of kinds) {
      test(`metadata greeted with the ${hashKind} hash is the torrent's info dictionary, byte for byte`, async () => {
        assert.ok(infoBytes(metainfo).length > 16384, 'the info dictionary takes several blocks');
        const { result, events } = await fetchWithEvents(metainfo, peer(seeder, hashKind));
        assert.equal(result.status, 'ok', `${result.error} ${JSON.stringify(result.peers)}`);
        assert.deepEqual(result.info, infoBytes(metainfo));
        assert.deepEqual(result.suppliers, [`127.0.0.1:${seeder.port}`]);
        const report = result.peers[0];
        assert.equal(report.status, 'answered');
        assert.match(report.client ?? '', /^libtorrent/);
        assert.equal(report.extension?.metadataSize, infoBytes(metainfo).length);
        assert.ok((report.extension?.extensions.ut_metadata ?? 0) > 0);
        assert.equal(report.blocks, Math.ceil(infoBytes(metainfo).length / 16384));
        assert.equal(report.flags?.extensionProtocol, true);
        assert.equal(report.flags?.fast, true);
        const blocks = events.filter((e) => e.type === 'block');
        assert.equal(blocks.length, report.blocks);
        assert.ok(events.some((e) => e.type === 'peer-connected'));
        // The metadata's events end with the peer's report; the piece layers' follow (for v2 and hybrid).
        assert.equal(events.filter((e) => e.type !== 'layers').at(-1)?.type, 'peer-done');
        // The .torrent made around it names the same swarm.
        const torrent = parse(torrentFromMetadata(result.info!, { trackers: [['http://127.0.0.1:1/announce']] }));
        assert.deepEqual(torrent.infoHash, metainfo.infoHash);
        assert.deepEqual(torrent.trackers, [['http://127.0.0.1:1/announce']]);
      });
    }

    test('a probe finds a seed: every piece, the client and its flags', async () => {
      const result = await probePeers({
        target: probeTargetOf(metainfo),
        peers: [peer(seeder, kind === 'v2' ? 'v2' : 'v1')],
        timeoutMs: 20_000,
      });
      assert.equal(result.status, 'ok', result.error);
      const [report] = result.peers;
      assert.equal(report.status, 'answered', report.error);
      assert.equal(report.have?.seed, true);
      assert.equal(report.have?.pieces, metainfo.pieceCount);
      assert.equal(report.have?.percent, 100);
      assert.equal(report.have?.bitfield, seeder.pieces);
      assert.match(report.client ?? '', /^libtorrent/);
      assert.equal(typeof report.extension?.client, 'string');
      assert.ok(report.answerMs !== undefined && report.handshakeMs !== undefined && report.connectMs !== undefined);
      assert.equal(result.availability.seeds, 1);
      assert.equal(result.availability.distributedCopies, 1);
      assert.ok(result.availability.files.every((f) => f.availableFraction === 1 && f.peersWithAll === 1));
    });
  });
}

describe('a libtorrent seeder and a libtorrent peer holding part of the data', () => {
  let made: MadeTorrent;
  let seeder: RunningPeer;
  let partial: RunningPeer;
  let metainfo: Metainfo;
  before(async () => {
    made = await makeTorrent('lens-partial', 'hybrid', [200_000, 50_000, 120_000, 70_000], 16384, 5);
    metainfo = parse(made.bytes);
    seeder = await startSeeder(made);
    // Without its first and third files.
    partial = await startPartialPeer(made, [0, 2]);
  });
  after(async () => {
    await partial?.stop();
    await seeder?.stop();
    made?.remove();
  });

  test('the probe finds what each holds, and availability per piece and per file follows', async () => {
    assert.equal(partial.seed, false);
    assert.notEqual(partial.pieces, seeder.pieces);
    const result = await probePeers({ target: probeTargetOf(metainfo), peers: [peer(seeder), peer(partial)], timeoutMs: 20_000 });
    assert.equal(result.status, 'ok', result.error);
    const byPort = new Map(result.peers.map((r) => [r.port, r]));
    assert.equal(byPort.get(seeder.port)?.have?.bitfield, seeder.pieces);
    assert.equal(byPort.get(partial.port)?.have?.bitfield, partial.pieces);
    assert.equal(byPort.get(partial.port)?.have?.seed, false);
    const partialHas = (i: number) => (parseInt(partial.pieces.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) & (0x80 >> (i & 7))) !== 0;
    const expectedCopies = Array.from({ length: metainfo.pieceCount }, (_, i) => 1 + (partialHas(i) ? 1 : 0));
    assert.deepEqual(result.availability.pieceCopies, expectedCopies);
    assert.equal(result.availability.peers, 2);
    assert.equal(result.availability.seeds, 1);
    assert.equal(result.availability.minCopies, 1);
    // Each file: both peers have it exactly when the partial peer has all its pieces.
    for (const file of result.availability.files) {
      const pieces = Array.from({ length: file.pieces }, (_, k) => file.firstPiece + k);
      const partialHasAll = pieces.every(partialHas);
      assert.equal(file.peersWithAll, partialHasAll ? 2 : 1, file.path);
      assert.equal(file.availableFraction, 1, file.path);
    }
    const dropped = result.availability.files.filter((f) => !f.padding && f.peersWithAll === 1);
    assert.equal(dropped.length, 2, 'the two files it lacks');
  });

  test('the partial peer alone: files it lacks are unavailable, the others whole', async () => {
    const result = await probePeers({ target: probeTargetOf(metainfo), peers: [peer(partial)], timeoutMs: 20_000 });
    const data = result.availability.files.filter((f) => !f.padding);
    assert.deepEqual(
      data.map((f) => f.peersWithAll),
      [0, 1, 0, 1],
    );
    assert.ok(data[0].availableFraction < 1 && data[2].availableFraction < 1);
    assert.ok(result.availability.distributedCopies < 1);
  });

  test('metadata from both at once: the partial peer has the whole metadata too', async () => {
    for (const peers of [[peer(seeder), peer(partial)], [peer(partial)]]) {
      const result = await fetchMetadata({ infoHash: metainfo.infoHash, peers, timeoutMs: 20_000 });
      assert.equal(result.status, 'ok', result.error);
      assert.deepEqual(result.info, infoBytes(metainfo));
      for (const report of result.peers) assert.ok(report.status === 'answered' || report.status === 'not-needed', JSON.stringify(report));
    }
  });
});

describe('a libtorrent seeder on ::1', () => {
  let made: MadeTorrent;
  let seeder: RunningPeer;
  before(async () => {
    made = await makeTorrent('lens-ipv6', 'hybrid', [70_000, 30_000], 16384, 8);
    seeder = await startSeeder(made, '::1');
  });
  after(async () => {
    await seeder?.stop();
    made?.remove();
  });

  test('metadata and pieces over IPv6', async () => {
    const m = parse(made.bytes);
    const address = { host: '::1', port: seeder.port, source: 'user' as const, hashKind: 'v2' as const };
    const fetched = await fetchMetadata({ infoHash: m.infoHash, peers: [address], timeoutMs: 20_000 });
    assert.equal(fetched.status, 'ok', fetched.error);
    assert.deepEqual(fetched.info, infoBytes(m));
    assert.deepEqual(fetched.suppliers, [`[::1]:${seeder.port}`]);
    const probed = await probePeers({ target: probeTargetOf(m), peers: [address], timeoutMs: 20_000 });
    assert.equal(probed.peers[0].have?.seed, true, probed.error);
  });
});

/** `bytes` written to a temporary file for `use`, removed afterwards. */
function withFile<T>(bytes: Uint8Array, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'torrent-lens-layers-'));
  try {
    const file = join(dir, 'made.torrent');
    writeFileSync(file, bytes);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const kind of ['v2', 'hybrid'] as TorrentKind[]) {
  describe(`piece layers of a ${kind} torrent from a libtorrent seeder (BEP 52)`, () => {
    let made: MadeTorrent;
    let seeder: RunningPeer;
    let metainfo: Metainfo;
    before(async () => {
      // 32 KiB pieces: a file of 611 pieces (two requests: 512 hashes, then 128 with 29 of padding and the proof
      // hashes up to the root), files of 3 and 13 pieces, one smaller than a piece and one the size of a piece, in
      // nested folders.
      made = await makeTorrent(`lens-layers-${kind}`, kind, [20_000_000, 10_000, 65_537, 32_768, 400_000], 32_768, 21);
      metainfo = parse(made.bytes);
      seeder = await startSeeder(made);
    });
    after(async () => {
      await seeder?.stop();
      made?.remove();
    });

    const kinds: ('v1' | 'v2')[] = kind === 'hybrid' ? ['v1', 'v2'] : ['v2'];
    for (const hashKind of kinds) {
      test(`a magnet fetch (peer found under the ${hashKind} hash) writes the seeder's piece layers, byte for byte`, async () => {
        const original = pieceLayersOf(metainfo);
        assert.equal(original.size, 3, 'three files larger than a piece');
        const { result, events } = await fetchWithEvents(metainfo, peer(seeder, hashKind));
        assert.equal(result.status, 'ok', result.error);
        const layers = result.pieceLayers!;
        assert.equal(layers.status, 'ok', JSON.stringify(layers.peers));
        assert.deepEqual(layers.missing, []);
        assert.equal(layers.total, 3);
        assert.deepEqual(
          layers.peers.map((p) => p.status),
          ['answered'],
        );
        assert.deepEqual(
          events.filter((e) => e.type === 'layers').map((e) => (e.type === 'layers' ? `${e.done}/${e.total}` : '')),
          ['0/3', '1/3', '2/3', '3/3'],
        );
        const link =
          metainfo.infoHash.v1 && hashKind === 'v1'
            ? `magnet:?xt=urn:btih:${metainfo.infoHash.v1}`
            : `magnet:?xt=urn:btmh:1220${metainfo.infoHash.v2}`;
        const magnet = parseMagnet(link);
        assert.ok(magnet.ok);
        const torrent = torrentFromMagnet(magnet.magnet, result.info!, 1_760_000_000, layers);
        assert.deepEqual(torrent.notes, []);
        const m = torrent.metainfo!;
        assert.deepEqual(m.infoHash, metainfo.infoHash);
        assert.deepEqual(pieceLayersOf(m), original);
        assert.deepEqual(
          m.diagnostics.filter((d) => d.code.startsWith('piece-layer')),
          [],
        );
        // libtorrent loads it (it checks each layer against its root), names the same swarm, and with these layers
        // finds every piece of the seeder's data good.
        withFile(torrent.bytes, (file) => {
          const loaded = libtorrentLoad(file);
          assert.deepEqual({ v1: loaded.v1, v2: loaded.v2 }, { v1: metainfo.infoHash.v1 ?? null, v2: metainfo.infoHash.v2 });
          const recheck = libtorrentRecheck(file, made.dataParent);
          assert.equal(recheck.pieceCount, metainfo.pieceCount);
          assert.deepEqual(recheck.badPieces, []);
        });
      });
    }
  });
}
