// What the probe panel shows of a swarm, kept up to date from the core's progress events: every peer (connected,
// then how it ended), the counts of every run over the swarm (a panel may start more than one: peers added by
// hand get a run of their own), the trackers' answers, and for a probe the availability of every piece and file,
// updated as each peer says what it has. Rows are made on demand, a window at a time, so nothing sent to the
// webview grows with the swarm or the torrent. No `vscode`: the panel only connects it to a webview.

import { filePieceRanges, PieceSet, SwarmAvailability, type PieceRange } from '../../core/peer/pieces';
import { advertisedFlags } from '../../core/peer/swarm';
import type { ProbeTarget } from '../../core/peer/probe';
import type { PeerCounts, PeerProgress, PeerReport, PeerSource } from '../../core/peer/types';
import type { Secrets } from '../../core/privacy/secrets';
import { redactResult } from '../../core/tracker/report';
import type { AnnounceResult, InfoHashTarget, TrackerTarget } from '../../core/tracker/types';
import { visibleText } from '../../core/text/display';
import { formatCount } from '../../shared/format';
import {
  PIECE_PICTURE_BUCKETS,
  type FileRow,
  type PeerDetails,
  type PeerRow,
  type PeerRowStatus,
  type PeerSort,
  type SwarmState,
  type TrackerLine,
} from '../../shared/protocol/probe';

/** One peer as the panel knows it: connected (its run still talks to it), or ended with a report. */
interface PeerEntry {
  address: string;
  source: PeerSource;
  /** The order it was first seen in. */
  order: number;
  client?: string;
  report?: PeerReport;
}

/** Pieces of a probe target: the file ranges of the files the panel lists (pad files left out). */
interface Layout {
  target: ProbeTarget;
  ranges: PieceRange[];
  /** Indices into `target.files` of the files listed. */
  listed: number[];
}

const STATUS_ORDER: Record<PeerRowStatus, number> = {
  answered: 0,
  connected: 1,
  'not-needed': 2,
  'no-metadata': 3,
  'bad-metadata': 4,
  'wrong-info-hash': 5,
  'protocol-error': 6,
  closed: 7,
  'timed-out': 8,
  refused: 9,
  unreachable: 10,
  cancelled: 11,
};

export class SwarmModel {
  private readonly entries = new Map<string, PeerEntry>();
  private sorted: PeerEntry[] | undefined;
  private nextOrder = 0;
  private sortKey: PeerSort = 'found';
  /** Bumped whenever the peers list changes (a peer, its state, the order): the webview asks for its rows again. */
  peersVersion = 1;
  filesVersion = 1;
  /** Each run's latest counts, by run. */
  private readonly runCounts = new Map<number, PeerCounts>();
  private blocksTotal: number | undefined;
  /** The piece layers being fetched once the metadata is in (BEP 52): layers done of those wanted. */
  layers: { done: number; total: number } | undefined;
  /** Each tracker and hash's answer, by `url|hashKind`, in the order asked. */
  private readonly trackers = new Map<string, { url: string; hashKind: 'v1' | 'v2'; result?: AnnounceResult }>();
  private readonly layout: Layout | undefined;
  private readonly availability: SwarmAvailability | undefined;
  /** The pieces of each peer that said what it has, by address. */
  private readonly held = new Map<string, PieceSet>();

  constructor(
    /** The secrets of the torrent (a link's grow once its metadata says whether the torrent is private). */
    private readonly secrets: () => Secrets,
    /** What a probe asks about; none for a metadata fetch, which knows no pieces. */
    target?: ProbeTarget,
  ) {
    if (target) {
      const listed: number[] = [];
      target.files.forEach((file, index) => {
        if (!file.padding) listed.push(index);
      });
      this.layout = { target, ranges: filePieceRanges(target.files, target.pieceLength, target.v2Only), listed };
      this.availability = new SwarmAvailability(target.pieceCount);
    }
  }

  /** The trackers a run asks, each under each hash: shown as waiting until they answer. */
  expectTrackers(trackers: TrackerTarget[], hashes: InfoHashTarget[]): void {
    for (const tracker of trackers)
      for (const hash of hashes) {
        const key = `${tracker.url.trim()}|${hash.kind}`;
        if (!this.trackers.has(key)) this.trackers.set(key, { url: tracker.url.trim(), hashKind: hash.kind });
      }
  }

  /** A progress event of run `run`. */
  update(run: number, event: PeerProgress): void {
    this.runCounts.set(run, event.counts);
    switch (event.type) {
      case 'tracker': {
        const key = `${event.result.tracker}|${event.result.hashKind}`;
        this.trackers.set(key, { url: event.result.tracker, hashKind: event.result.hashKind, result: event.result });
        return;
      }
      case 'block':
        this.blocksTotal = event.blocksTotal;
        return;
      case 'layers':
        this.layers = { done: event.done, total: event.total };
        return;
      case 'peer-connected': {
        const entry = this.entries.get(event.address);
        if (entry) {
          // Tried again (peers added by hand): connected anew, its earlier answer replaced when this one ends.
          entry.client = event.client ?? entry.client;
          entry.report = undefined;
        } else {
          this.entries.set(event.address, { address: event.address, source: event.source, order: this.nextOrder++, client: event.client });
        }
        this.changedPeers();
        return;
      }
      case 'peer-done':
        this.peerDone(event.report);
        return;
    }
  }

  private peerDone(report: PeerReport): void {
    const known = this.entries.get(report.address);
    const entry: PeerEntry = known ?? { address: report.address, source: report.source, order: this.nextOrder++ };
    entry.source = report.source;
    entry.report = report;
    if (report.client !== undefined) entry.client = report.client;
    this.entries.set(report.address, entry);
    this.changedPeers();
    if (!this.availability || !this.layout) return;
    const before = this.held.get(report.address);
    const pieces = report.ok && report.have ? PieceSet.fromHex(report.have.bitfield, this.layout.target.pieceCount) : undefined;
    if (before) {
      this.availability.remove(before);
      this.held.delete(report.address);
    }
    if (pieces) {
      this.availability.add(pieces);
      this.held.set(report.address, pieces);
    }
    if (before || pieces) this.filesVersion++;
  }

  private changedPeers(): void {
    this.sorted = undefined;
    this.peersVersion++;
  }

  /** The counts of every run added up, and the blocks of the metadata being fetched. */
  counts(): PeerCounts & { blocksTotal?: number } {
    const sum: PeerCounts & { blocksTotal?: number } = { found: 0, tried: 0, connected: 0, failed: 0, blocks: 0, skipped: 0 };
    for (const c of this.runCounts.values()) {
      sum.found += c.found;
      sum.tried += c.tried;
      sum.connected += c.connected;
      sum.failed += c.failed;
      sum.blocks += c.blocks;
      sum.skipped += c.skipped;
    }
    if (this.blocksTotal !== undefined) sum.blocksTotal = this.blocksTotal;
    return sum;
  }

  get sort(): PeerSort {
    return this.sortKey;
  }

  setSort(sort: PeerSort): void {
    if (sort === this.sortKey) return;
    this.sortKey = sort;
    this.changedPeers();
  }

  get peerCount(): number {
    return this.entries.size;
  }

  /** Every peer's report so far (peers still connected have none yet), in the order first seen. */
  reports(): PeerReport[] {
    return [...this.entries.values()].flatMap((e) => (e.report ? [e.report] : []));
  }

  trackerResults(): AnnounceResult[] {
    return [...this.trackers.values()].flatMap((t) => (t.result ? [t.result] : []));
  }

  trackerLines(): TrackerLine[] {
    const secrets = this.secrets();
    return [...this.trackers.values()].map(({ url, hashKind, result }) => {
      if (!result) return { url: visibleText(secrets.redactUrl(url)), hashKind, status: 'pending' };
      const shown = redactResult(result, secrets);
      const line: TrackerLine = { url: visibleText(shown.tracker), hashKind, status: shown.status };
      if (shown.ok) line.peers = shown.peers.length;
      if (shown.error !== undefined) line.error = visibleText(shown.error);
      return line;
    });
  }

  /** Peer rows `[start, start + count)` in the order chosen. */
  peerRows(start: number, count: number): PeerRow[] {
    const sorted = this.sortedPeers();
    const end = Math.min(sorted.length, Math.max(0, start) + count);
    const rows: PeerRow[] = [];
    for (let i = Math.max(0, start); i < end; i++) rows.push(this.peerRow(sorted[i], i, sorted.length));
    return rows;
  }

  private peerRow(entry: PeerEntry, index: number, total: number): PeerRow {
    const report = entry.report;
    const row: PeerRow = {
      id: entry.address,
      level: 1,
      pos: index + 1,
      setSize: total,
      expandable: false,
      expanded: false,
      address: visibleText(entry.address),
      source: entry.source,
      status: report ? report.status : 'connected',
      ok: report?.ok ?? false,
      flags: report ? advertisedFlags(report) : [],
    };
    if (entry.client !== undefined) row.client = visibleText(entry.client);
    if (report?.have) row.have = { percent: report.have.percent, pieces: report.have.pieces, of: report.have.of, seed: report.have.seed };
    if (report) row.timeMs = report.answerMs ?? (report.ok ? report.handshakeMs : undefined) ?? report.durationMs;
    if (report?.blocks !== undefined) row.blocks = report.blocks;
    if (report?.error) row.error = visibleText(report.error);
    return row;
  }

  private sortedPeers(): PeerEntry[] {
    if (this.sorted) return this.sorted;
    const list = [...this.entries.values()];
    const status = (e: PeerEntry) => STATUS_ORDER[e.report ? e.report.status : 'connected'];
    const time = (e: PeerEntry) => (e.report ? (e.report.answerMs ?? e.report.handshakeMs ?? e.report.durationMs) : Infinity);
    const compare: Record<PeerSort, (a: PeerEntry, b: PeerEntry) => number> = {
      found: () => 0,
      address: (a, b) => compareAddresses(a.address, b.address),
      status: (a, b) => status(a) - status(b),
      client: (a, b) =>
        (a.client === undefined ? 1 : 0) - (b.client === undefined ? 1 : 0) || (a.client ?? '').localeCompare(b.client ?? ''),
      have: (a, b) => (b.report?.have?.percent ?? -1) - (a.report?.have?.percent ?? -1),
      time: (a, b) => time(a) - time(b),
    };
    const by = compare[this.sortKey];
    this.sorted = list.sort((a, b) => by(a, b) || a.order - b.order);
    return this.sorted;
  }

  /** Everything known of one peer, for the details under the list. */
  details(address: string): PeerDetails | null {
    const entry = this.entries.get(address);
    if (!entry) return null;
    const report = entry.report;
    const facts: [string, string][] = [['Address', entry.address]];
    facts.push(['Found', SOURCE_WORDS[entry.source]]);
    if (!report) {
      facts.push(['Status', 'connected, waiting for its answer']);
      if (entry.client) facts.push(['Client', entry.client]);
      return { id: address, facts: facts.map(([k, v]) => [k, visibleText(v)]), notes: [] };
    }
    facts.push(['Status', report.ok ? 'answered' : `${report.status}: ${report.error ?? ''}`]);
    facts.push(['Greeted with', `the ${report.hashKind} info hash`]);
    if (report.client) facts.push(['Client', report.client]);
    if (report.extension?.client) facts.push(['Client (extension handshake v)', report.extension.client]);
    if (report.peerId) facts.push(['Peer id', `${report.peerIdText ?? ''} (${report.peerId})`]);
    if (report.have) {
      const via = HAVE_WORDS[report.have.via];
      facts.push([
        'Has',
        `${formatCount(report.have.pieces)} of ${formatCount(report.have.of)} pieces (${report.have.percent}%)${report.have.seed ? ', a seed' : ''}, ${via}`,
      ]);
    }
    if (report.blocks !== undefined) facts.push(['Metadata blocks sent', formatCount(report.blocks)]);
    const flags = advertisedFlags(report);
    if (flags.length > 0) facts.push(['Advertises', flags.map((f) => FLAG_WORDS[f] ?? f).join(', ')]);
    const extension = report.extension;
    if (extension) {
      const names = Object.entries(extension.extensions).map(([name, id]) => `${name} (${id})`);
      if (names.length > 0) facts.push(['Extensions', names.join(', ')]);
      if (extension.metadataSize !== undefined) facts.push(['Metadata size', `${formatCount(extension.metadataSize)} bytes`]);
      if (extension.requestQueue !== undefined) facts.push(['Request queue (reqq)', formatCount(extension.requestQueue)]);
      if (extension.listenPort !== undefined) facts.push(['Listen port (p)', String(extension.listenPort)]);
      if (extension.yourIp !== undefined) facts.push(['Sees us as (yourip)', extension.yourIp]);
      if (extension.uploadOnly) facts.push(['Upload only', 'yes (BEP 21)']);
    }
    const times: string[] = [];
    if (report.connectMs !== undefined) times.push(`connected ${formatCount(report.connectMs)} ms`);
    if (report.handshakeMs !== undefined) times.push(`handshake ${formatCount(report.handshakeMs)} ms`);
    if (report.answerMs !== undefined) times.push(`answered ${formatCount(report.answerMs)} ms`);
    times.push(`done ${formatCount(report.durationMs)} ms`);
    facts.push(['Times', times.join(', ')]);
    return { id: address, facts: facts.map(([k, v]) => [k, visibleText(v)]), notes: report.notes.map((n) => visibleText(n)) };
  }

  /** The files a probe lists (pad files left out). */
  get fileCount(): number {
    return this.layout?.listed.length ?? 0;
  }

  fileRows(start: number, count: number): FileRow[] {
    const layout = this.layout;
    if (!layout || !this.availability) return [];
    const total = layout.listed.length;
    const end = Math.min(total, Math.max(0, start) + count);
    const rows: FileRow[] = [];
    for (let i = Math.max(0, start); i < end; i++) {
      const index = layout.listed[i];
      const file = layout.target.files[index];
      const { first, end: last } = layout.ranges[index];
      const copies = this.availability.summary(first, last);
      let peersWithAll = 0;
      for (const pieces of this.held.values()) if (pieces.hasAll(first, last)) peersWithAll++;
      rows.push({
        id: String(index),
        level: 1,
        pos: i + 1,
        setSize: total,
        expandable: false,
        expanded: false,
        path: visibleText(file.path),
        length: file.length,
        // With no peer known, nothing is known to be available.
        availableFraction: this.held.size === 0 ? 0 : copies.availableFraction,
        distributedCopies: copies.distributedCopies,
        peersWithAll,
        pieces: last - first,
      });
    }
    return rows;
  }

  /** The swarm's availability (probe), with the piece picture. */
  swarmState(): SwarmState | undefined {
    const availability = this.availability;
    if (!availability || !this.layout) return undefined;
    const pieceCount = this.layout.target.pieceCount;
    const summary = availability.summary();
    const bucketPieces = Math.max(1, Math.ceil(pieceCount / PIECE_PICTURE_BUCKETS));
    const least: number[] = [];
    const average: number[] = [];
    let mostCopies = 0;
    const copies = availability.copies;
    for (let start = 0; start < pieceCount; start += bucketPieces) {
      const end = Math.min(pieceCount, start + bucketPieces);
      let min = Infinity;
      let sum = 0;
      for (let i = start; i < end; i++) {
        const c = copies[i];
        if (c < min) min = c;
        if (c > mostCopies) mostCopies = c;
        sum += c;
      }
      least.push(min);
      average.push(Math.round((sum / (end - start)) * 100) / 100);
    }
    let seeds = 0;
    for (const pieces of this.held.values()) if (pieces.complete) seeds++;
    return {
      pieceCount,
      peers: this.held.size,
      seeds,
      distributedCopies: this.held.size === 0 ? 0 : summary.distributedCopies,
      minCopies: summary.minCopies,
      availableFraction: this.held.size === 0 ? 0 : summary.availableFraction,
      picture: { bucketPieces, least, average, mostCopies },
    };
  }

  /** Availability per file as the core's probe result has it, for the JSON report. */
  filesJson(): Record<string, unknown>[] {
    return this.fileRows(0, this.fileCount).map((row) => ({
      path: row.path,
      length: row.length,
      availableFraction: row.availableFraction,
      distributedCopies: row.distributedCopies,
      peersWithAll: row.peersWithAll,
      pieces: row.pieces,
    }));
  }
}

const SOURCE_WORDS: Record<PeerSource, string> = {
  tracker: 'from a tracker',
  magnet: 'in the magnet link (x.pe)',
  user: 'added by hand',
};

const HAVE_WORDS: Record<NonNullable<PeerReport['have']>['via'], string> = {
  bitfield: 'from its bitfield',
  'have-all': 'from its have all (BEP 6)',
  'have-none': 'from its have none (BEP 6)',
  have: 'from its have messages',
  nothing: 'it said nothing, which BEP 3 allows a peer with no pieces',
};

const FLAG_WORDS: Record<string, string> = {
  ext: 'extension protocol (BEP 10)',
  fast: 'fast extension (BEP 6)',
  dht: 'DHT (BEP 5)',
  v2: 'v2 upgrade (BEP 52)',
  enc: 'prefers encryption (MSE)',
  'upload-only': 'upload only (BEP 21)',
};

/** IPv4 before IPv6, numerically; host names after, alphabetically; then by port. */
function compareAddresses(a: string, b: string): number {
  const key = (address: string): [number, string, number] => {
    const match = /^(?:\[(.+)\]|(.+)):(\d+)$/.exec(address);
    const host = match?.[1] ?? match?.[2] ?? address;
    const port = Number(match?.[3] ?? 0);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
      return [
        0,
        host
          .split('.')
          .map((n) => n.padStart(3, '0'))
          .join('.'),
        port,
      ];
    if (match?.[1] !== undefined) return [1, host, port];
    return [2, host, port];
  };
  const [ka, ha, pa] = key(a);
  const [kb, hb, pb] = key(b);
  return ka - kb || (ha < hb ? -1 : ha > hb ? 1 : 0) || pa - pb;
}
