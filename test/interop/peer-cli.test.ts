// `torrent-lens magnet` and `torrent-lens peers` (the built CLI, as a user runs it) against real peers on
// 127.0.0.1: libtorrent seeding v1, v2 and hybrid torrents, a libtorrent peer holding part of the data, and
// transmission-daemon; peers found directly (x.pe, --peer) and through Debian's opentracker. The torrents written
// are read back by libtorrent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { cliPath } from '../support/corpus';
import { makeTorrent, startPartialPeer, startSeeder, type MadeTorrent, type RunningPeer, type TorrentKind } from '../support/libtorrent';
import { startOpentracker, type OpenTracker } from '../support/opentracker';
import { rawHttpAnnounce } from '../support/raw-client';
import { libtorrentLoad } from '../support/reference-tools';
import { pieceLayersOf } from '../support/piece-layers';
import { startTransmission, type Transmission } from '../support/transmission';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'torrent-lens-cli-peers-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The built CLI in the test's folder. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: work, timeout: 60_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read field by field in asserts
function json(run: Run): any {
  assert.equal(run.stderr, '', 'nothing on standard error when it is not a terminal');
  return JSON.parse(run.stdout);
}

function parse(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

function linkOf(m: Metainfo, ...params: string[]): string {
  const xt = [m.infoHash.v1 ? `xt=urn:btih:${m.infoHash.v1}` : '', m.infoHash.v2 ? `xt=urn:btmh:1220${m.infoHash.v2}` : ''].filter(Boolean);
  return `magnet:?${[...xt, ...params].join('&')}`;
}

const SIZES = [100_000, 0, 40_000, 300_000, 16_384, ...Array<number>(300).fill(900)];

for (const kind of ['v1', 'v2', 'hybrid'] as TorrentKind[]) {
  describe(`torrent-lens magnet from libtorrent seeding a ${kind} torrent`, () => {
    let made: MadeTorrent;
    let seeder: RunningPeer;
    let metainfo: Metainfo;
    before(async () => {
      made = await makeTorrent(`cli-${kind}`, kind, SIZES, 16384, 31);
      metainfo = parse(made.bytes);
      seeder = await startSeeder(made);
    });
    after(async () => {
      await seeder?.stop();
      made?.remove();
    });

    test('the link’s x.pe peer gives the metadata; the .torrent written has its hashes and libtorrent loads it', async () => {
      const out = `${kind}.torrent`;
      const run = await cli('magnet', linkOf(metainfo, 'dn=from+the+link', `x.pe=127.0.0.1:${seeder.port}`), '-o', out, '--json');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const report = json(run);
      assert.equal(report.ok, true);
      assert.equal(report.output, out);
      assert.deepEqual(report.metadata.suppliers, [`127.0.0.1:${seeder.port}`]);
      assert.match(report.metadata.peers[0].client, /^libtorrent/);
      const written = parse(readFileSync(join(work, out)));
      assert.deepEqual(written.infoHash, metainfo.infoHash);
      assert.equal(report.torrent.name, metainfo.name.text);
      assert.equal(report.torrent.fileCount, metainfo.files.count - metainfo.files.padCount);
      const notes: string[] = report.notes;
      assert.ok(notes.some((n) => /calls it "from the link"/.test(n)));
      // The piece layers of a v2 or hybrid torrent came from the seeder (BEP 52): as the original has them, no note.
      assert.ok(!notes.some((n) => /piece layers/.test(n)), notes.join('\n'));
      if (kind === 'v1') assert.equal(report.metadata.pieceLayers, null);
      else {
        assert.equal(report.metadata.pieceLayers.status, 'ok');
        assert.equal(report.metadata.pieceLayers.total, 3);
        assert.deepEqual(report.metadata.pieceLayers.missing, []);
        assert.deepEqual(pieceLayersOf(written), pieceLayersOf(metainfo));
        assert.equal(written.pieceLayerCount, 3);
      }
      const loaded = libtorrentLoad(join(work, out));
      assert.deepEqual({ v1: loaded.v1, v2: loaded.v2 }, { v1: metainfo.infoHash.v1 ?? null, v2: metainfo.infoHash.v2 ?? null });
      assert.equal(loaded.pieceCount, metainfo.pieceCount);
    });
  });
}

describe('torrent-lens magnet and peers through opentracker, from a libtorrent seeder and a partial peer', () => {
  let made: MadeTorrent;
  let metainfo: Metainfo;
  let seeder: RunningPeer;
  let partial: RunningPeer;
  let tracker: OpenTracker;
  before(async () => {
    made = await makeTorrent('cli-swarm', 'hybrid', [200_000, 50_000, 120_000, 70_000], 16384, 32);
    metainfo = parse(made.bytes);
    seeder = await startSeeder(made);
    partial = await startPartialPeer(made, [1]);
    tracker = await startOpentracker([metainfo.infoHash.v1!, metainfo.infoHash.v2Truncated!]);
    // The two announce themselves to the tracker (which takes their address from the connection: 127.0.0.1).
    await rawHttpAnnounce(tracker.httpAnnounce, metainfo.infoHash.v1!, { peerId: '-LT2080-seeder000001', port: seeder.port, left: 0 });
    await rawHttpAnnounce(tracker.httpAnnounce, metainfo.infoHash.v2Truncated!, {
      peerId: '-LT2080-partial00001',
      port: partial.port,
      left: 10,
    });
  });
  after(async () => {
    await partial?.stop();
    await seeder?.stop();
    await tracker?.stop();
    made?.remove();
  });

  test('magnet: peers from the tracker (under both hashes), our own announce not among them', async () => {
    const run = await cli('magnet', linkOf(metainfo, `tr=${encodeURIComponent(tracker.httpAnnounce)}`), '-o', 'swarm.torrent', '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = json(run);
    assert.equal(report.metadata.trackers.length, 2, 'the tracker, asked under the v1 and the v2 hash');
    assert.ok(report.metadata.trackers.every((t: { ok: boolean }) => t.ok));
    // The tracker lists our announce too (127.0.0.1:6881, where nothing listens); it is never tried.
    const listed = report.metadata.trackers.flatMap((t: { peers: { port: number }[] }) => t.peers.map((p) => p.port));
    assert.ok(listed.includes(6881), `the tracker lists our announce: ${listed}`);
    assert.ok(!report.metadata.peers.some((p: { port: number }) => p.port === 6881));
    assert.deepEqual(parse(readFileSync(join(work, 'swarm.torrent'))).infoHash, metainfo.infoHash);
    assert.deepEqual(parse(readFileSync(join(work, 'swarm.torrent'))).trackers, [[tracker.httpAnnounce]]);
  });

  test('peers FILE: the torrent’s tracker, each peer’s pieces and the availability of every file', async () => {
    const file = join(work, 'swarm.torrent');
    const run = await cli('peers', file, '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = json(run);
    const byPort = new Map(report.peers.map((p: { port: number }) => [p.port, p]));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one report, read field by field
    const seen = (port: number): any => byPort.get(port);
    assert.equal(seen(seeder.port).have.bitfield, seeder.pieces);
    assert.equal(seen(partial.port).have.bitfield, partial.pieces);
    assert.equal(seen(seeder.port).have.seed, true);
    assert.equal(seen(partial.port).have.seed, false);
    assert.ok(!byPort.has(6881));
    assert.equal(report.availability.peers, 2);
    assert.equal(report.availability.seeds, 1);
    const lacking = report.availability.files.filter((f: { padding: boolean; peersWithAll: number }) => !f.padding && f.peersWithAll === 1);
    assert.equal(lacking.length, 1, 'the file the partial peer lacks is whole at the seeder alone');

    const text = await cli('peers', file);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Swarm: 2 peers said what they have, 1 seed; distributed copies 1\.\d{3}; every piece is available/);
    assert.match(text.stdout, new RegExp(`127\\.0\\.0\\.1:${seeder.port} +answered +100% seed +libtorrent`));
    assert.match(text.stdout, /Pieces \(one column/);
    assert.match(text.stdout, /\[[12]+\]/);
  });

  test('peers URI: the metadata first, then every peer found is probed', async () => {
    const run = await cli('peers', linkOf(metainfo, `tr=${encodeURIComponent(tracker.httpAnnounce)}`), '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = json(run);
    assert.equal(report.source, 'magnet link');
    assert.equal(report.metadata.status, 'ok');
    assert.equal(report.trackers.length, 0, 'the trackers were asked once, for the metadata');
    assert.deepEqual(report.peers.map((p: { port: number }) => p.port).sort(), [seeder.port, partial.port].sort());
    assert.equal(report.availability.peers, 2);
  });
});

describe('torrent-lens against transmission-daemon', () => {
  let transmission: Transmission;
  let made: MadeTorrent;
  let file: string;
  before(async () => {
    made = await makeTorrent('cli-transmission', 'v1', [120_000, ...Array<number>(400).fill(700)], 16384, 33);
    transmission = await startTransmission();
    await transmission.add(made.bytes, made.dataParent);
    file = join(work, 'transmission.torrent');
    writeFileSync(file, made.bytes);
  });
  after(async () => {
    await transmission?.stop();
    made?.remove();
  });

  /** Transmission turns away a new connection from an address it still counts as connected: run again until it lets one in. */
  async function patiently(...args: string[]): Promise<Run> {
    for (let attempt = 0; ; attempt++) {
      const run = await cli(...args);
      if (run.code === 0 || attempt === 20) return run;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  test('magnet with --peer: Transmission’s metadata, written as a torrent with the same hash', async () => {
    const m = parse(made.bytes);
    const run = await patiently(
      'magnet',
      linkOf(m),
      '--peer',
      `127.0.0.1:${transmission.peerPort}`,
      '-o',
      'from-transmission.torrent',
      '--force',
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`Metadata: [\\d,]+ bytes from 127\\.0\\.0\\.1:${transmission.peerPort}`));
    assert.match(run.stdout, /Transmission 3\.00/);
    assert.match(run.stdout, /Wrote from-transmission\.torrent: cli-transmission, 401 files/);
    assert.deepEqual(parse(readFileSync(join(work, 'from-transmission.torrent'))).infoHash, m.infoHash);
  });

  test('peers with --peer and --no-trackers: a seed, its client and flags', async () => {
    const run = await patiently('peers', file, '--no-trackers', '--peer', `127.0.0.1:${transmission.peerPort}`, '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = json(run);
    assert.equal(report.trackers.length, 0);
    const [peer] = report.peers;
    assert.equal(peer.have.seed, true);
    assert.match(peer.client, /^Transmission 3\.00/);
    assert.equal(peer.flags.fast, true);
    assert.equal(peer.flags.extensionProtocol, true);
  });
});
