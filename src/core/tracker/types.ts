// The shapes of tracker requests and results, shared by the HTTP and UDP clients, the CLI and the panel.
// Results keep tracker URLs as given unless the run is given the torrent's `secrets` (see `redactResult`).
import type { Secrets } from '../privacy/secrets';

/** The tracker protocols we speak: HTTP(S) (BEP 3), UDP (BEP 15) and WebSocket (WebTorrent, without WebRTC). */
export type TrackerProtocol = 'http' | 'https' | 'udp' | 'ws' | 'wss' | 'unsupported';

/**
 * How a tracker did, as a client's tracker tab shows it:
 * - `working`: it answered, without a failure reason;
 * - `tracker-error`: it answered, but with a failure reason, an error action, an HTTP error or a broken answer;
 * - `unreachable`: no answer could be had (name not resolved, connection refused, TLS failure, …);
 * - `timed-out`: nothing usable arrived before the deadline;
 * - `not-contacted`: we did not send anything (unsupported scheme, no scrape URL, invalid URL);
 * - `cancelled`: the user cancelled the run before it answered.
 */
export type TrackerStatus = 'working' | 'tracker-error' | 'unreachable' | 'timed-out' | 'not-contacted' | 'cancelled';

/** Which of a torrent's info hashes a request carried: v1 (SHA-1), or the 20-byte truncation of v2 (SHA-256). */
export type HashKind = 'v1' | 'v2';

export interface InfoHashTarget {
  /** 20 bytes as 40 lower-case hex digits, exactly what goes on the wire. */
  hex: string;
  kind: HashKind;
}

export interface TrackerTarget {
  url: string;
  /** Index of the tier in the torrent's announce-list (0 = first tier), as libtorrent numbers them. */
  tier: number;
}

/** `started-then-stopped` announces, then tells the tracker to forget us (polite inspection, the default). */
export type AnnounceEventMode = 'started-then-stopped' | 'started' | 'stopped' | 'completed' | 'none';

export type WireEvent = 'started' | 'stopped' | 'completed' | 'none';

export interface Peer {
  ip: string;
  port: number;
  /** The peer id as 40 hex digits, when the tracker sent one (dictionary peers). */
  peerId?: string;
  /** The client the peer id names, e.g. `Transmission 2.94`, when we know it. */
  client?: string;
}

/** One step of talking to a tracker, shown to the user as "what was tried". */
export interface Attempt {
  /** `connect`/`announce`/`scrape` for UDP and WebSocket, `GET` for HTTP. */
  step: string;
  /** Where it went: the URL for HTTP and WebSocket, `address:port` for UDP. */
  target: string;
  /** Milliseconds from the start of this tracker's request. */
  atMs: number;
  /** Milliseconds waited for this step (until its answer, error or timeout). */
  waitedMs: number;
  /** What happened, in words, e.g. `HTTP 302 → http://…`, `no answer within 1000 ms`, `answered`. */
  outcome: string;
}

/**
 * A decoded tracker answer for the "raw response" view: a JSON-able tree, byte strings as text or hex; or,
 * for an answer that is not bencode (an HTML page, say), its text (`length` is the whole answer's, in bytes).
 */
export type RawValue =
  | number
  | string
  | { hex: string; length: number; truncated?: boolean }
  | { text: string; length: number; contentType?: string; truncated?: boolean }
  | RawValue[]
  | { entries: [string, RawValue][] }
  | { omitted: string };

interface ResultBase {
  tracker: string;
  tier: number;
  protocol: TrackerProtocol;
  status: TrackerStatus;
  /** True when the tracker gave a usable answer (status `working`). */
  ok: boolean;
  /** Why it did not work: the failure reason, error action text, or our description of the problem. */
  error?: string;
  /** The tracker's own `warning message`. */
  warning?: string;
  /** Where the tracker bends the protocol (non-canonical bencode, mis-encoded keys, odd packet sizes …). */
  notes: string[];
  /** BEP 31 `retry in`: minutes, or `never`. */
  retryIn?: number | 'never';
  durationMs: number;
  attempts: Attempt[];
  /** The answer as decoded, for "show raw response". */
  raw?: RawValue;
}

export interface AnnounceResult extends ResultBase {
  kind: 'announce';
  hash: string;
  hashKind: HashKind;
  /** The event this announce carried. */
  event: WireEvent;
  interval?: number;
  minInterval?: number;
  /** Seeders. */
  complete?: number;
  /** Leechers. */
  incomplete?: number;
  /** Completed downloads, when the tracker says (HTTP `downloaded`, a common extension). */
  downloaded?: number;
  peers: Peer[];
  /** BEP 24: our address as the tracker saw it. */
  externalIp?: string;
  trackerId?: string;
  /** The follow-up `stopped` announce, when one was sent: `sent` or the error text. */
  stopped?: { ok: boolean; error?: string; durationMs: number };
}

export interface ScrapeEntry {
  hash: string;
  hashKind: HashKind;
  /** False when the tracker's answer did not mention this hash (it does not know the torrent). */
  found: boolean;
  complete?: number;
  incomplete?: number;
  downloaded?: number;
  /** BEP 48 `downloaders` (peers still downloading, a subset of incomplete), when given. */
  downloaders?: number;
  /** BEP 48 `name`, when given. */
  name?: string;
}

export interface ScrapeResult extends ResultBase {
  kind: 'scrape';
  /** The scrape URL actually used (HTTP), or the tracker URL (UDP, WebSocket). */
  scrapeUrl?: string;
  entries: ScrapeEntry[];
  /** BEP 48 `flags.min_request_interval`, seconds. */
  minRequestInterval?: number;
}

export type TrackerResult = AnnounceResult | ScrapeResult;

/** Options shared by every request. */
export interface RequestOptions {
  /** Whole-request deadline per tracker in ms: DNS, connect, redirects, UDP retries, reading. */
  timeoutMs?: number;
  /** UDP: first retransmission timeout in ms; doubles on each retry until `timeoutMs` is spent. */
  udpRetryTimeoutMs?: number;
  /** Answers larger than this many bytes are refused (and the download aborted). */
  maxResponseBytes?: number;
  /** HTTP redirects followed at most. */
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
  /**
   * The torrent's secrets. Given, every result delivered (to listeners and as the return value) and every
   * log line is redacted through them (`redactResult`); not given, results and log lines are as the
   * trackers' URLs and answers have them.
   */
  secrets?: Secrets;
  /** Called with a line for each request and answer (redacted through `secrets` when given). */
  log?: (level: 'info' | 'debug' | 'warn', message: string) => void;
  /** UDP connection ids to reuse; defaults to one cache per process. */
  udpConnections?: UdpConnectionStore;
  /**
   * `announceAll`/`scrapeAll`: how many trackers are contacted at once (default 64). The others wait for a
   * slot; each tracker's timeout starts when it gets one.
   */
  concurrency?: number;
  /** `announceAll`/`scrapeAll`: a tracker got a slot and is being contacted; until then it is waiting. */
  onTrackerStart?: (place: TrackerPlace) => void;
}

/** Where a result belongs in the lists a run was given. */
export interface TrackerPlace {
  tracker: TrackerTarget;
  /** Index in the `trackers` given (the first, when a URL is listed twice). */
  trackerIndex: number;
}

export interface AnnouncePlace extends TrackerPlace {
  hash: InfoHashTarget;
  /** Index in the `hashes` given. */
  hashIndex: number;
}

export interface AnnounceOptions extends RequestOptions {
  /** 20 bytes; defaults to `-TL0100-` and 12 random characters, one per process. */
  peerId?: Uint8Array;
  port?: number;
  uploaded?: number;
  downloaded?: number;
  /** Bytes left to download; an inspection announce sends the total size (we have nothing). */
  left?: number;
  event?: AnnounceEventMode;
  numwant?: number;
  /** 32-bit key that lets the tracker recognise us across IP changes; random per run by default. */
  key?: number;
  /** A tracker id from an earlier answer of the same tracker, sent back on later announces. */
  trackerId?: string;
}

export type ScrapeOptions = RequestOptions;

/** Where UDP connection ids live between requests (BEP 15: valid for one minute). */
export interface UdpConnectionStore {
  get(endpoint: string, now: number): bigint | undefined;
  set(endpoint: string, id: bigint, now: number): void;
  delete(endpoint: string): void;
}

export const DEFAULTS = {
  timeoutMs: 10_000,
  udpRetryTimeoutMs: 1_000,
  maxResponseBytes: 4 * 1024 * 1024,
  maxRedirects: 5,
  numwant: 50,
  port: 6881,
  userAgent: 'TorrentLens/0.1.0',
  /** Enough for nearly every torrent's trackers in one round; a list of thousands does not open thousands of sockets. */
  concurrency: 64,
} as const;
