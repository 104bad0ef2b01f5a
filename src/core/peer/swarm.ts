// What the metadata fetch and the probe share: one run over a swarm. Peers gathered from every source (trackers as
// they answer, the magnet's x.pe, the user), each address tried once and never our own announce, a bounded number
// of connections at a time, the run's deadline and cancellation, counts and progress events, the trackers'
// results, and the report of each peer when its connection ends. The fetch and the probe only say what to do with
// a connected peer (`visit`) and, for the fetch, when the work is done early.

import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { announceAll } from '../tracker/run';
import {
  DEFAULTS as TRACKER_DEFAULTS,
  type AnnounceOptions,
  type AnnounceResult,
  type InfoHashTarget,
  type TrackerTarget,
} from '../tracker/types';
import { peerIdText, defaultPeerId } from '../tracker/peer-id';
import type { ConnectionOptions, PeerConnection, PeerEnd } from './connection';
import { fromHex, toHex } from '../text/bytes';
import type { PeerCandidate, PeerCounts, PeerProgress, PeerReport, ProgressListener } from './types';

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
  /** Peers asked in all; addresses found after that are counted as skipped (each report is kept to the end). */
  maxPeers?: number;
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
  readonly counts: PeerCounts = { found: 0, tried: 0, connected: 0, failed: 0, blocks: 0, skipped: 0 };
  readonly reports: PeerReport[] = [];
  /** Every address found, in the order found, tried or not. */
  readonly candidates: PeerCandidate[] = [];
  readonly finished: Promise<void>;

  private readonly seen = new Set<string>();
  private readonly queue: PeerCandidate[] = [];
  private running = 0;
  private closed = false;
  private stopped = false;
  private resolveFinished!: () => void;

  constructor(
    private readonly maxConnections: number,
    private readonly maxPeers: number,
    private readonly visit: (candidate: PeerCandidate) => Promise<PeerReport>,
    private readonly onProgress?: ProgressListener,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  add(candidate: PeerCandidate): void {
    const key = addressText(candidate.host, candidate.port);
    if (this.stopped || this.seen.has(key)) return;
    if (this.seen.size >= this.maxPeers) {
      this.counts.skipped++;
      return;
    }
    this.seen.add(key);
    this.candidates.push(candidate);
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

/** What a run starts with when its options say nothing. */
export interface SwarmDefaults {
  maxConnections: number;
  maxPeers: number;
  connectTimeoutMs: number;
  peerTimeoutMs: number;
  timeoutMs: number;
}

/** Why a run ended before its work was done, in the order they are checked: cancelled, out of time, nobody to ask. */
export type SwarmInterruption = 'cancelled' | 'timed-out' | 'no-peers';

/** The 20 bytes a peer of each swarm is greeted with: v1, and v2 truncated (BEP 52). */
export interface Greetings {
  v1?: Uint8Array;
  v2?: Uint8Array;
}

/** A progress event before the counts are put in. */
type WithoutCounts<E> = E extends unknown ? Omit<E, 'counts'> : never;
type ProgressEvent = WithoutCounts<PeerProgress>;

/** The hashes a torrent's peers are found under at trackers: v1, and the truncated v2 (BEP 52). */
export function trackerHashes(infoHash: { v1?: string; v2?: string }): InfoHashTarget[] {
  const out: InfoHashTarget[] = [];
  if (infoHash.v1) out.push({ hex: infoHash.v1.toLowerCase(), kind: 'v1' });
  if (infoHash.v2) out.push({ hex: infoHash.v2.toLowerCase().slice(0, 40), kind: 'v2' });
  return out;
}

/** Hashes as the handshake carries them; a hash that is not hex of the right length is refused. */
export function greetingsOf(infoHash: { v1?: string; v2?: string }): Greetings {
  const out: Greetings = {};
  if (infoHash.v1 !== undefined) {
    if (!/^[0-9a-f]{40}$/i.test(infoHash.v1)) throw new TypeError(`infoHash.v1 must be 40 hex digits, not "${infoHash.v1}"`);
    out.v1 = fromHex(infoHash.v1);
  }
  if (infoHash.v2 !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(infoHash.v2)) throw new TypeError(`infoHash.v2 must be 64 hex digits, not "${infoHash.v2}"`);
    out.v2 = fromHex(infoHash.v2).slice(0, 20);
  }
  if (!out.v1 && !out.v2) throw new TypeError('an info hash (v1 or v2) is needed');
  return out;
}

/** The hash to greet a candidate with: the one of the swarm it was found in, else the other. */
function greetingFor(greetings: Greetings, candidate: PeerCandidate): Uint8Array {
  if (candidate.hashKind === 'v2') return greetings.v2 ?? greetings.v1!;
  return greetings.v1 ?? greetings.v2!;
}

/**
 * One run over a swarm. Construct it, let the connections use its deadline and signal, and `run` it with what to
 * do with each candidate; afterwards it holds the reports, the trackers' results, the counts and how it ended.
 */
export class Swarm {
  readonly started = Date.now();
  readonly timeoutMs: number;
  /** When the whole run ends, in `Date.now()` milliseconds. */
  readonly deadline: number;
  readonly peerTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly peerId: Uint8Array;
  /** The trackers' answers, in tracker order, once the run is over. */
  readonly trackerResults: AnnounceResult[] = [];

  private readonly pool: PeerPool;
  private readonly controller = new AbortController();
  /** Stops the announces without ending the connections (the work is done, or time is up). */
  private readonly trackerRun = new AbortController();
  private readonly unhookParent: () => void;
  private timedOut = false;
  /** Where our own announce would show up in a tracker's peer list (see `isUs`). */
  private readonly announcedPort: number;
  private readonly ourAddresses: Set<string>;

  constructor(
    private readonly options: SwarmOptions,
    defaults: SwarmDefaults,
    /** The hashes to announce to trackers. */
    private readonly hashes: InfoHashTarget[],
    visit: (candidate: PeerCandidate) => Promise<PeerReport>,
  ) {
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.deadline = this.started + this.timeoutMs;
    this.peerTimeoutMs = options.peerTimeoutMs ?? defaults.peerTimeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? defaults.connectTimeoutMs;
    this.peerId = options.peerId ?? defaultPeerId();
    this.announcedPort = options.trackers?.announce?.port ?? TRACKER_DEFAULTS.port;
    this.ourAddresses = localAddresses();
    // Every open connection listens to the signal: as many listeners as connections, by design.
    setMaxListeners(0, this.controller.signal);
    this.unhookParent = follow(options.signal, this.controller);
    this.controller.signal.addEventListener('abort', () => this.trackerRun.abort(), { once: true });
    this.pool = new PeerPool(
      options.maxConnections ?? defaults.maxConnections,
      options.maxPeers ?? defaults.maxPeers,
      visit,
      options.onProgress,
    );
  }

  /** Aborted when the caller cancels: every connection of the run listens to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The counts so far (live; the fetch adds its blocks). */
  get counts(): PeerCounts {
    return this.pool.counts;
  }

  /** A report per peer tried, in the order their connections ended. */
  get reports(): PeerReport[] {
    return this.pool.reports;
  }

  /** Every address found, tried or not (a run that stopped early leaves some untried). */
  get candidates(): PeerCandidate[] {
    return this.pool.candidates;
  }

  get durationMs(): number {
    return Date.now() - this.started;
  }

  /** When a connection opened now must end: the peer's own time, within the run's. */
  connectionDeadline(): number {
    return Math.min(Date.now() + this.peerTimeoutMs, this.deadline);
  }

  /**
   * What every connection of the run opens with: the candidate's address, the hash of the swarm it was found in,
   * our peer id, and the run's connect timeout, deadline and cancellation.
   */
  connectionTo(
    candidate: PeerCandidate,
    greetings: Greetings,
  ): Pick<ConnectionOptions, 'host' | 'port' | 'infoHash' | 'peerId' | 'connectTimeoutMs' | 'deadline' | 'signal'> {
    return {
      host: candidate.host,
      port: candidate.port,
      infoHash: greetingFor(greetings, candidate),
      peerId: this.peerId,
      connectTimeoutMs: this.connectTimeoutMs,
      deadline: this.connectionDeadline(),
      signal: this.signal,
    };
  }

  /** Tells the listener of a progress event, with the counts as they are now. */
  emit(event: ProgressEvent): void {
    this.options.onProgress?.({ ...event, counts: { ...this.pool.counts } } as PeerProgress);
  }

  /** Counts a peer that completed its handshake and tells the listener. */
  peerConnected(candidate: PeerCandidate, client: string | undefined): void {
    this.pool.counts.connected++;
    this.emit({ type: 'peer-connected', address: addressText(candidate.host, candidate.port), source: candidate.source, client });
  }

  /**
   * Tries the peers given and those the trackers return until every one has been visited, the deadline passes,
   * the caller cancels, or `goal.reached` resolves: then `goal.onReached` runs first (to end the connections
   * still waiting), no new connection is opened and the announces stop (their answers so far stay). Resolves
   * once every connection and announce has ended, with the goal's value if it was reached.
   */
  async run<T>(goal?: { reached: Promise<T>; onReached?: (value: T) => void }): Promise<T | undefined> {
    const { pool } = this;
    for (const candidate of this.options.peers ?? []) pool.add(candidate);
    const trackersDone = this.options.trackers ? this.askTrackers(this.options.trackers) : Promise.resolve();
    void trackersDone.then(() => pool.noMoreCandidates());
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.stopConnecting();
    }, this.timeoutMs);
    this.controller.signal.addEventListener('abort', () => pool.stop(), { once: true });
    const finished = pool.finished.then(() => ({ reached: false as const }));
    const outcome = goal
      ? await Promise.race([goal.reached.then((value) => ({ reached: true as const, value })), finished])
      : await finished;
    clearTimeout(timer);
    if (outcome.reached) {
      goal?.onReached?.(outcome.value);
      this.stopConnecting();
    }
    await Promise.all([pool.finished, trackersDone]);
    this.unhookParent();
    return outcome.reached ? outcome.value : undefined;
  }

  /** Why the run ended before its work was done, if it did; checked after `run`. */
  interruption(): SwarmInterruption | undefined {
    if (this.options.signal?.aborted) return 'cancelled';
    if (this.timedOut || Date.now() >= this.deadline) return 'timed-out';
    if (this.pool.counts.found === 0) return 'no-peers';
    return undefined;
  }

  /** Why nobody was asked, in words. */
  noPeersText(): string {
    return this.options.trackers ? 'no peers: the trackers returned none, and none were given' : 'no peers to ask';
  }

  /** No new connections, no more announces; connections open end by their own rules. */
  private stopConnecting(): void {
    this.pool.stop();
    this.trackerRun.abort();
  }

  /**
   * Announces to the trackers and adds the peers of each answer to the pool as it arrives. Resolves when all
   * trackers have answered or failed (or the announces were stopped).
   */
  private async askTrackers(source: TrackerSource): Promise<void> {
    const options: AnnounceOptions = {
      event: 'started-then-stopped',
      numwant: 200,
      left: 16 * 1024,
      ...source.announce,
      signal: this.trackerRun.signal,
    };
    const results = await announceAll(source.trackers, this.hashes, options, (result) => {
      // announceAll reports a result again when its `stopped` follow-up completes; its peers are the same.
      if (result.stopped === undefined) {
        if (result.externalIp) this.ourAddresses.add(normalAddress(result.externalIp));
        for (const peer of result.peers) {
          if (this.isUs(peer.ip, peer.port)) continue;
          this.pool.add({ host: peer.ip, port: peer.port, source: 'tracker', hashKind: result.hashKind, tracker: result.tracker });
        }
      }
      this.emit({ type: 'tracker', result });
    });
    this.trackerResults.push(...results);
  }

  /**
   * Whether a tracker's peer is our own announce: trackers list everyone who announced, us included, at the port
   * we announced (where nothing listens) and the address they saw, which is this machine's: a loopback or local
   * interface address, or the external address a tracker told us (BEP 24).
   */
  private isUs(host: string, port: number): boolean {
    if (port !== this.announcedPort) return false;
    const address = normalAddress(host);
    return isLoopback(address) || this.ourAddresses.has(address);
  }
}

/** An address as compared: lower case, without an IPv6 zone, an IPv4-mapped IPv6 address as IPv4. */
function normalAddress(host: string): string {
  const plain = host.toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  return mapped ? mapped[1] : plain;
}

function isLoopback(address: string): boolean {
  return (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
}

/** This machine's interface addresses (where a tracker on the local network sees us). */
function localAddresses(): Set<string> {
  const out = new Set<string>();
  try {
    for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) out.add(normalAddress(entry.address));
  } catch {
    // No interface list (a sandbox without it): loopback and the trackers' word are still checked.
  }
  return out;
}

/** Makes `child` abort when `parent` does; returns what unhooks it. */
function follow(parent: AbortSignal | undefined, child: AbortController): () => void {
  if (!parent) return () => {};
  const abort = () => child.abort(parent.reason);
  if (parent.aborted) {
    child.abort(parent.reason);
    return () => {};
  }
  parent.addEventListener('abort', abort, { once: true });
  return () => parent.removeEventListener('abort', abort);
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

/**
 * The extensions a peer advertises, in short words: `ext` (BEP 10), `fast` (BEP 6), `dht` (BEP 5), `v2` (BEP 52)
 * from its handshake; `enc` (prefers encryption) and `upload-only` (BEP 21) from its extension handshake.
 */
export function advertisedFlags(report: PeerReport): string[] {
  const flags: string[] = [];
  if (report.flags?.extensionProtocol) flags.push('ext');
  if (report.flags?.fast) flags.push('fast');
  if (report.flags?.dht) flags.push('dht');
  if (report.flags?.v2) flags.push('v2');
  if (report.extension?.encryption) flags.push('enc');
  if (report.extension?.uploadOnly) flags.push('upload-only');
  return flags;
}
