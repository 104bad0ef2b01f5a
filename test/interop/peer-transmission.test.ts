// The peer side against a second implementation: Transmission 3.00 (transmission-daemon) on 127.0.0.1, seeding
// one torrent and holding part of another. Transmission 3.00 knows v1 torrents only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { fetchMetadata, probePeers, probeTargetOf, type PeerCandidate, type ProbeResult } from '../../src/core/peer';
import { makeTorrent, type MadeTorrent } from '../support/libtorrent';
import { startTransmission, type TorrentState, type Transmission } from '../support/transmission';

/**
 * Transmission turns away a new connection from an address it still counts as connected (for a moment after the
 * last one closed), with a close before its handshake: ask again until it lets the new one in.
 */
async function probeOnce(m: Metainfo, peer: PeerCandidate): Promise<ProbeResult> {
  for (let attempt = 0; ; attempt++) {
    const result = await probePeers({ target: probeTargetOf(m), peers: [peer], timeoutMs: 20_000 });
    if (result.peers[0]?.status !== 'closed' || attempt === 20) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function parse(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

describe('transmission-daemon seeding one torrent and holding part of another', () => {
  let transmission: Transmission;
  let whole: MadeTorrent;
  let part: MadeTorrent;
  let partCopy: string;
  let wholeState: TorrentState;
  let partState: TorrentState;
  let peer: PeerCandidate;
  before(async () => {
    // Over one 16 KiB block of metadata: several hundred files.
    whole = await makeTorrent('lens-transmission', 'v1', [120_000, ...Array<number>(600).fill(700)], 16384, 21);
    part = await makeTorrent('lens-transmission-part', 'v1', [100_000, 60_000, 90_000, 30_000], 16384, 22);
    // The partial copy lacks its second and fourth files (as libtorrent lists them).
    partCopy = mkdtempSync(join(tmpdir(), 'torrent-lens-transmission-part-'));
    cpSync(part.dataParent, partCopy, { recursive: true });
    for (const index of [1, 3]) rmSync(join(partCopy, part.files[index]));
    transmission = await startTransmission();
    wholeState = await transmission.add(whole.bytes, whole.dataParent);
    partState = await transmission.add(part.bytes, partCopy);
    peer = { host: '127.0.0.1', port: transmission.peerPort, source: 'user', hashKind: 'v1' };
  });
  after(async () => {
    await transmission?.stop();
    whole?.remove();
    part?.remove();
    if (partCopy) rmSync(partCopy, { recursive: true, force: true });
  });

  test('metadata from Transmission is the info dictionary, byte for byte', async () => {
    const m = parse(whole.bytes);
    const info = new Uint8Array(m.document.data.subarray(m.infoSpan.start, m.infoSpan.end));
    assert.ok(info.length > 16384);
    const result = await fetchMetadata({ infoHash: { v1: m.infoHash.v1 }, peers: [peer], timeoutMs: 20_000 });
    assert.equal(result.status, 'ok', `${result.error} ${JSON.stringify(result.peers)} ${transmission.output()}`);
    assert.deepEqual(result.info, info);
    const [report] = result.peers;
    assert.match(report.client ?? '', /^Transmission 3\.00/);
    assert.match(report.extension?.client ?? '', /^Transmission 3\.00/);
    assert.equal(report.blocks, Math.ceil(info.length / 16384));
  });

  test('a probe of the seeded torrent: every piece, as Transmission says', async () => {
    assert.equal(wholeState.status, 6, wholeState.errorString);
    const m = parse(whole.bytes);
    const result = await probeOnce(m, peer);
    assert.equal(result.status, 'ok', result.error);
    const [report] = result.peers;
    assert.equal(report.have?.seed, true);
    assert.equal(report.have?.bitfield, wholeState.pieces);
    assert.equal(report.flags?.fast, true);
    assert.equal(report.flags?.extensionProtocol, true);
    assert.equal(typeof report.extension?.encryption, 'boolean');
  });

  test('a probe of the partial torrent: the pieces Transmission holds, file by file', async () => {
    assert.equal(partState.percentDone < 1, true);
    const m = parse(part.bytes);
    const result = await probeOnce(m, peer);
    assert.equal(result.status, 'ok', result.error);
    const [report] = result.peers;
    assert.equal(report.have?.bitfield, partState.pieces);
    assert.equal(report.have?.seed, false);
    // A file is whole where Transmission holds every piece its bytes touch (pieces shared with a missing file fail).
    const holds = (i: number) => (parseInt(partState.pieces.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) & (0x80 >> (i & 7))) !== 0;
    const expected = [...m.files].map((file) => {
      const first = Math.floor(file.offset / m.pieceLength);
      const last = Math.floor((file.offset + file.length - 1) / m.pieceLength);
      let all = true;
      for (let p = first; p <= last; p++) all &&= holds(p);
      return all ? 1 : 0;
    });
    assert.deepEqual(
      result.availability.files.map((f) => f.peersWithAll),
      expected,
    );
    assert.equal(expected[1] + expected[3], 0, 'the removed files are not whole');
    assert.ok(result.availability.files[1].availableFraction < 1 && result.availability.files[3].availableFraction < 1);
  });
});
