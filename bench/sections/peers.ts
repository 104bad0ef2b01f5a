// Section 5: the peer side. Time from a magnet link to a verified info dictionary, from one libtorrent seeder and
// from ten peers of which five are dead (they accept and never answer), ours (parseMagnet + fetchMetadata, in
// process) side by side with libtorrent's Python bindings doing the same fetch in a fresh torrent of one session;
// a probe of 200 local peers, alive, silent and refused, mixed; and how fast the editor finds magnet links and info
// hashes in a text file (the document links of an 8 MiB log, and hostile text that would make a backtracking
// pattern take minutes).
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseMagnet } from '../../src/core/magnet/parse';
import { findMentions } from '../../src/core/magnet/scan';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { candidatesFromMagnet, fetchMetadata, probePeers, type PeerCandidate, type ProbeTarget } from '../../src/core/peer/index';
import { makeTorrent, startHelper, startSeeder, type RunningPeer } from '../../test/support/libtorrent';
import { ms, msSummary, summarise, table, type Summary, type Target } from '../lib/stats';

/** The probe's deadline per peer in the benchmark (the product's default is 10 s). */
export const PROBE_PEER_TIMEOUT_MS = 2000;
const PROBE_MAX_CONNECTIONS = 32;
const SWARM = { alive: 100, silent: 50, refused: 50, pieces: 4000 };

export interface MetadataFigures {
  scenario: string;
  infoBytes: number;
  ours: Summary;
  libtorrent: Summary;
  /** Runs in which libtorrent had no metadata after 30 s. */
  libtorrentFailures: number;
}

export interface ProbeFigures {
  peers: number;
  alive: number;
  silent: number;
  refused: number;
  wallMs: Summary;
  answered: number;
  seeds: number;
  /** Growth of the heap during one probe (after a collection, when exposed). */
  heapGrowthBytes: number;
}

export interface ScanFigures {
  text: string;
  chars: number;
  mentions: number;
  ms: Summary;
}

export interface PeerFigures {
  metadata: MetadataFigures[];
  probe: ProbeFigures;
  scan: ScanFigures[];
}

/** The document links of an 8 MiB text (what the editor scans at most) must come within this. */
const SCAN_TARGET_MS = 250;
const SCAN_CHARS = 8 * 1024 * 1024;

/** Texts to scan: a log with a magnet link or a hash every few lines, and runs that a backtracking scan chokes on. */
function scanTexts(): [string, string][] {
  const v1 = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
  const lines = [
    `12:00:01 added magnet:?xt=urn:btih:${v1}&dn=Some+Name&tr=udp%3A%2F%2Ftracker.example%3A6969 to the queue`,
    `12:00:02 commit ${v1} merged`,
    '12:00:03 nothing to see on this line but words, numbers 1234567890 and a path /var/log/x.log',
    '12:00:04 another plain line of a log, long enough to look like one, with an address 127.0.0.1:6881',
  ];
  let log = '';
  for (let i = 0; log.length < SCAN_CHARS; i++) log += `${lines[i % lines.length]}\n`;
  return [
    ['a log: a magnet link or a hash every other line', log.slice(0, SCAN_CHARS)],
    ['hostile: hex digits without end', 'a'.repeat(SCAN_CHARS)],
    ['hostile: one magnet link without end', `magnet:?${'x'.repeat(SCAN_CHARS - 8)}`],
    ['hostile: urn:btih: over and over', 'urn:btih:'.repeat(Math.floor(SCAN_CHARS / 9))],
  ];
}

function runScan(runs: number): ScanFigures[] {
  return scanTexts().map(([text, input]) => {
    findMentions(input, 5_000); // warm-up
    const times: number[] = [];
    let mentions = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      mentions = findMentions(input, 5_000).length;
      times.push(performance.now() - started);
    }
    return { text, chars: input.length, mentions, ms: summarise(times) };
  });
}

/** Servers that accept connections and never say a word: dead peers that cost a deadline, not a refusal. */
async function silentPeers(count: number): Promise<{ ports: number[]; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve) => {
          const server = net.createServer((s) => {
            sockets.add(s);
            s.on('error', () => {});
            s.on('close', () => sockets.delete(s));
          });
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  return {
    ports: servers.map((s) => (s.address() as net.AddressInfo).port),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

async function oursOnce(link: string, expectedBytes: number): Promise<number> {
  const started = performance.now();
  const parsed = parseMagnet(link);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { peers } = candidatesFromMagnet(parsed.magnet);
  const result = await fetchMetadata({ infoHash: parsed.magnet.infoHash, peers, timeoutMs: 30_000 });
  const took = performance.now() - started;
  if (!result.ok || result.info?.length !== expectedBytes) throw new Error(`our fetch failed: ${result.error}`);
  return took;
}

export async function runPeers(childDir: string, runs: number, log: (line: string) => void): Promise<PeerFigures> {
  log('peers: making a torrent with libtorrent');
  // About 37 KB of metadata (three blocks): several hundred files.
  const made = await makeTorrent(
    'bench-peers',
    'v1',
    Array.from({ length: 800 }, (_, i) => 2000 + i),
    16384,
    9,
  );
  const seeders: RunningPeer[] = [];
  const dead = await silentPeers(5);
  const fetcher = startHelper(['fetch', '127.0.0.1']);
  const metadata: MetadataFigures[] = [];
  try {
    const parsed = parseMetainfo(made.bytes);
    if (!parsed.ok) throw new Error(parsed.failure.message);
    const m = parsed.metainfo;
    const infoBytes = m.infoSpan.end - m.infoSpan.start;
    for (let i = 0; i < 5; i++) seeders.push(await startSeeder(made));
    const xpe = (ports: number[]) => ports.map((p) => `&x.pe=127.0.0.1:${p}`).join('');
    const scenarios: [string, string][] = [
      ['one seeder', `magnet:?xt=urn:btih:${m.infoHash.v1}${xpe([seeders[0].port])}`],
      [
        'ten peers, five dead',
        `magnet:?xt=urn:btih:${m.infoHash.v1}${xpe([dead.ports[0], seeders[0].port, dead.ports[1], seeders[1].port, dead.ports[2], seeders[2].port, dead.ports[3], seeders[3].port, dead.ports[4], seeders[4].port])}`,
      ],
    ];
    for (const [scenario, link] of scenarios) {
      log(`peers: metadata, ${scenario}`);
      const ours: number[] = [];
      const theirs: number[] = [];
      let failures = 0;
      await oursOnce(link, infoBytes); // warm-up: the first call loads code
      for (let i = 0; i < runs; i++) {
        ours.push(await oursOnce(link, infoBytes));
        fetcher.send(link);
        const answer = await fetcher.nextLine(60_000);
        if ((answer.ms as number) < 0) failures++;
        else theirs.push(answer.ms as number);
      }
      metadata.push({ scenario, infoBytes, ours: summarise(ours), libtorrent: summarise(theirs), libtorrentFailures: failures });
    }
  } finally {
    await fetcher.stop();
    await Promise.all(seeders.map((s) => s.stop()));
    await dead.stop();
    made.remove();
  }

  log('peers: probe of 200 local peers');
  const infoHash = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
  const swarm = spawn(
    process.execPath,
    [
      join(childDir, 'peers-swarm-child.mjs'),
      infoHash,
      String(SWARM.pieces),
      String(SWARM.alive),
      String(SWARM.silent),
      String(SWARM.refused),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: swarm.stdout! }).once('line', resolve);
      swarm.once('close', () => reject(new Error('the bench swarm ended')));
    });
    const listed = (JSON.parse(line) as { peers: { port: number; kind: string }[] }).peers;
    const peers: PeerCandidate[] = listed.map((p) => ({ host: '127.0.0.1', port: p.port, source: 'tracker', hashKind: 'v1' }));
    const target: ProbeTarget = {
      infoHash: { v1: infoHash },
      pieceCount: SWARM.pieces,
      pieceLength: 262144,
      v2Only: false,
      files: Array.from({ length: 100 }, (_, i) => ({ path: `file${i}`, length: 40 * 262144, offset: i * 40 * 262144, padding: false })),
    };
    const walls: number[] = [];
    let answered = 0;
    let seeds = 0;
    let heapGrowthBytes = 0;
    for (let i = 0; i < runs; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const result = await probePeers({
        target,
        peers,
        peerTimeoutMs: PROBE_PEER_TIMEOUT_MS,
        maxConnections: PROBE_MAX_CONNECTIONS,
        timeoutMs: 120_000,
      });
      walls.push(performance.now() - started);
      heapGrowthBytes = Math.max(heapGrowthBytes, process.memoryUsage().heapUsed - heapBefore);
      answered = result.availability.peers;
      seeds = result.availability.seeds;
      // A later run must not find the swarm still busy with this one's connections.
      await new Promise((r) => setTimeout(r, 200));
    }
    log('peers: magnet links and info hashes in text');
    return {
      metadata,
      probe: { peers: listed.length, ...SWARM, wallMs: summarise(walls), answered, seeds, heapGrowthBytes },
      scan: runScan(runs),
    };
  } finally {
    swarm.stdin!.end();
    swarm.kill();
  }
}

export function peerTables(f: PeerFigures): string {
  const metadataTable = table(
    ['magnet link to metadata', 'info dictionary', 'ours (parseMagnet + fetchMetadata)', 'libtorrent 2.0 (Python bindings)', 'ratio'],
    f.metadata.map((m) => [
      m.scenario,
      `${m.infoBytes.toLocaleString('en-US')} bytes`,
      msSummary(m.ours),
      msSummary(m.libtorrent) + (m.libtorrentFailures ? ` (${m.libtorrentFailures} runs failed)` : ''),
      `${(m.libtorrent.median / m.ours.median).toFixed(1)}× faster`,
    ]),
  );
  const p = f.probe;
  const probeTable = table(
    ['probe', 'peers', 'whole run', 'answered', 'seeds', 'heap growth'],
    [
      [
        `${p.alive} alive, ${p.silent} silent, ${p.refused} refused; ${PROBE_MAX_CONNECTIONS} at once, ${PROBE_PEER_TIMEOUT_MS} ms per peer`,
        String(p.peers),
        msSummary(p.wallMs),
        String(p.answered),
        String(p.seeds),
        `${(p.heapGrowthBytes / 1024 / 1024).toFixed(1)} MiB`,
      ],
    ],
  );
  const scanTable = table(
    ['magnet links and info hashes in text (findMentions, at most 5,000)', 'characters', 'found', 'time'],
    f.scan.map((s) => [s.text, s.chars.toLocaleString('en-US'), s.mentions.toLocaleString('en-US'), msSummary(s.ms)]),
  );
  return `${metadataTable}\n\n${probeTable}\n\n${scanTable}`;
}

export function peerTargets(f: PeerFigures): Target[] {
  const targets: Target[] = f.metadata.map((m) => ({
    section: 'peers',
    what: `metadata from a magnet link (${m.scenario}): no slower than libtorrent`,
    measured: `${ms(m.ours.median)} ms against ${ms(m.libtorrent.median)} ms`,
    met: m.ours.median <= m.libtorrent.median,
  }));
  const p = f.probe;
  // Silent peers hold a connection for a whole deadline; the rest answer at once.
  const allowance = (Math.ceil(p.silent / PROBE_MAX_CONNECTIONS) + 1) * PROBE_PEER_TIMEOUT_MS;
  targets.push({
    section: 'peers',
    what: `probe of ${p.peers} peers: every alive peer answers, whole run ≤ ${ms(allowance)} ms`,
    measured: `${p.answered} of ${p.alive} answered in ${ms(p.wallMs.median)} ms`,
    met: p.answered === p.alive && p.wallMs.median <= allowance,
  });
  for (const scan of f.scan)
    targets.push({
      section: 'peers',
      what: `links in ${(scan.chars / 1024 / 1024).toFixed(0)} MiB of text (${scan.text}) ≤ ${SCAN_TARGET_MS} ms`,
      measured: `${ms(scan.ms.median)} ms`,
      met: scan.ms.median <= SCAN_TARGET_MS,
    });
  return targets;
}
