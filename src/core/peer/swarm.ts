// What the metadata fetch and the probe share: peers gathered from every source (trackers as they answer, the
// magnet's x.pe, the user), each address tried once, a bounded number of connections at a time, counts and
// progress events, and the report of each peer when its connection ends.

import { setMaxListeners } from 'node:events';
import { announceAll } from '../tracker/run';
import type { AnnounceOptions, AnnounceResult, InfoHashTarget, TrackerTarget } from '../tracker/types';
import { peerIdText } from '../tracker/peer-id';
import type { PeerConnection, PeerEnd } from './connection';
import { toHex } from '../text/bytes';
import type { PeerCandidate, PeerCounts, PeerReport, ProgressListener } from './types';

/** Trackers to ask for peers, and how to announce to them (the tracker client's options). */
export interface TrackerSource {
  trackers: TrackerTarget[];
  /** Defaults: `started-then-stopped` (the tracker forgets us again), `numwant` 200, `left` 16 KiB. */
  announce?: AnnounceOptions;
}

/** Options both the metadata fetch and the probe take. */
export interface SwarmOptions {
  /** Peers known at the start (the magnet's x.pe, typed by the user). */
  peers?: PeerCandidate[];
  /** Trackers to announce to for more peers; their peers are tried as each answers. */
  trackers?: TrackerSource;
  /** Connections open at once. */
  maxConnections?: number;
  /** Milliseconds for the TCP connection. */
  connectTimeoutMs?: number;
  /** Milliseconds a peer gets to answer (the metadata fetch restarts it on every block). */
  peerTimeoutMs?: number;
  /** Milliseconds for the whole run, trackers included. */
  timeoutMs?: number;
  /** Our peer id; defaults to the process's (`-TL0100-…`). */
  peerId?: Uint8Array;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** `host:port`, with IPv6 addresses in brackets. */
export function addressText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Runs `visit` for each candidate, at most `maxConnections` at once, each address once. Candidates may be added
 * until `noMoreCandidates()`; `finished` resolves when every visit has ended after that, or after `stop()`.
 */
export class PeerPool {
  readonly counts: PeerCounts = { found: 0, tried: 0, connected: 0, failed: 0, blocks: 0 };
  readonly reports: PeerReport[] = [];
  readonly finished: Promise<void>;

  private readonly seen = new Set<string>();
  private readonly queue: PeerCandidate[] = [];
  private running = 0;
  private closed = false;
  private stopped = false;
  private resolveFinished!: () => void;

  constructor(
    private readonly maxConnections: number,
    private readonly visit: (candidate: PeerCandidate) => Promise<PeerReport>,
    private readonly onProgress?: ProgressListener,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  add(candidate: PeerCandidate): void {
    const key = addressText(candidate.host, candidate.port);
    if (this.stopped || this.seen.has(key)) return;
    this.seen.add(key);
    this.counts.found++;
    this.queue.push(candidate);
    this.pump();
  }

  noMoreCandidates(): void {
    this.closed = true;
    this.settleIfDone();
  }

  /** No new connections; the visits running end through their own signal. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.settleIfDone();
  }

  get idle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  private pump(): void {
    while (!this.stopped && this.running < this.maxConnections && this.queue.length > 0) {
      const candidate = this.queue.shift()!;
      this.running++;
      this.counts.tried++;
      void this.visit(candidate).then((report) => {
        this.running--;
        this.reports.push(report);
        if (!report.ok && report.status !== 'not-needed' && report.status !== 'cancelled') this.counts.failed++;
        this.onProgress?.({ type: 'peer-done', report, counts: { ...this.counts } });
        this.pump();
        this.settleIfDone();
      });
    }
  }

  private settleIfDone(): void {
    if (this.running === 0 && (this.stopped || (this.closed && this.queue.length === 0))) this.resolveFinished();
  }
}

/**
 * Announces to the trackers and adds the peers of each answer to the pool as it arrives. Resolves with every
 * result when all trackers have answered or failed (or the signal cancelled them).
 */
export async function peersFromTrackers(
  source: TrackerSource,
  hashes: InfoHashTarget[],
  pool: PeerPool,
  signal: AbortSignal,
  onResult: (result: AnnounceResult) => void,
): Promise<AnnounceResult[]> {
  const options: AnnounceOptions = { event: 'started-then-stopped', numwant: 200, left: 16 * 1024, ...source.announce, signal };
  return announceAll(source.trackers, hashes, options, (result) => {
    // announceAll reports a result again when its `stopped` follow-up completes; its peers are the same.
    if (result.stopped === undefined) {
      for (const peer of result.peers)
        pool.add({ host: peer.ip, port: peer.port, source: 'tracker', hashKind: result.hashKind, tracker: result.tracker });
    }
    onResult(result);
  });
}

/** The report of a peer whose connection ended; `extra` adds what the fetch or the probe learnt. */
export function peerReport(
  candidate: PeerCandidate,
  connection: PeerConnection,
  end: PeerEnd,
  extra: Partial<PeerReport> = {},
): PeerReport {
  const ok = end.status === 'answered';
  const report: PeerReport = {
    address: addressText(candidate.host, candidate.port),
    host: candidate.host,
    port: candidate.port,
    source: candidate.source,
    hashKind: candidate.hashKind,
    status: end.status,
    ok,
    notes: [],
    durationMs: Date.now() - connection.startedAt,
    ...extra,
  };
  if (!ok) report.error = end.message;
  if (connection.handshake) {
    report.peerId = toHex(connection.handshake.peerId);
    report.peerIdText = peerIdText(connection.handshake.peerId);
  }
  if (connection.client !== undefined) report.client = connection.client;
  if (connection.flags) report.flags = connection.flags;
  if (connection.extension) report.extension = connection.extension;
  if (connection.connectMs !== undefined) report.connectMs = connection.connectMs;
  if (connection.handshakeMs !== undefined) report.handshakeMs = connection.handshakeMs;
  return report;
}

/** An AbortController that also aborts when `parent` does, and a cleanup that unhooks it. */
export function childController(parent: AbortSignal | undefined): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  // Every open connection listens to it: as many listeners as connections, by design.
  setMaxListeners(0, controller.signal);
  if (!parent) return { controller, release: () => {} };
  const abort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', abort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', abort) };
}
