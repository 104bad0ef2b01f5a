// Messages between the probe panel and the extension host. The panel shows one run over a swarm: either the
// metadata fetch of a magnet link (what the link says, then peers tried, connected and blocks received, then the
// torrent made) or a probe of a torrent's peers (the swarm's availability per piece and per file, and each peer).
//
// The host keeps every peer and file; the webview shows a window of each list and asks for the rows in view, so
// nothing here grows with the size of the swarm or of the torrent. Every string that comes from a torrent, a
// link, a tracker or a peer is already safe to show as text (made printable, secrets redacted unless shown) and
// must reach the DOM as text.

export type ProbeKind = 'magnet' | 'probe';

/** The lists the panel shows. */
export type ProbeListId = 'peers' | 'files';

/** Rows of a list have a fixed height, in CSS pixels. */
export const PROBE_ROW_HEIGHT = 22;

/** How the peers list is ordered. */
export type PeerSort = 'found' | 'address' | 'status' | 'client' | 'have' | 'time';

export const PEER_SORTS: readonly PeerSort[] = ['found', 'address', 'status', 'client', 'have', 'time'];

/** A peer's state in the panel: connecting and connected while the run talks to it, then how it ended. */
export type PeerRowStatus =
  | 'connected'
  | 'answered'
  | 'refused'
  | 'unreachable'
  | 'timed-out'
  | 'wrong-info-hash'
  | 'protocol-error'
  | 'closed'
  | 'no-metadata'
  | 'bad-metadata'
  | 'not-needed'
  | 'cancelled';

/** What a virtualised list needs of every row (media/common/tree-view.ts): all rows are top-level leaves. */
interface ListRow {
  id: string;
  level: 1;
  pos: number;
  setSize: number;
  expandable: false;
  expanded: false;
}

export interface PeerRow extends ListRow {
  /** `host:port`, `[IPv6]:port`. */
  address: string;
  /** Where its address came from. */
  source: 'tracker' | 'magnet' | 'user';
  status: PeerRowStatus;
  ok: boolean;
  client?: string;
  /** What it has (probe). */
  have?: { percent: number; pieces: number; of: number; seed: boolean };
  /** Extensions its handshakes advertise: `ext` (BEP 10), `fast` (BEP 6), `dht`, `v2`, `enc` (prefers encryption). */
  flags: string[];
  /** Milliseconds until it answered (or until it ended, when it did not). */
  timeMs?: number;
  /** Metadata blocks it sent (magnet). */
  blocks?: number;
  /** Why it failed, in words. */
  error?: string;
}

export interface FileRow extends ListRow {
  path: string;
  length: number;
  /** Pieces held by at least one peer, 0–1. */
  availableFraction: number;
  distributedCopies: number;
  /** Peers that hold every piece of the file. */
  peersWithAll: number;
  pieces: number;
}

export type ProbeRow = PeerRow | FileRow;

export interface RowPage<R> {
  version: number;
  total: number;
  start: number;
  rows: R[];
}

/** A list's size and version: the webview drops its rows and asks again when the version moves. */
export interface ListState {
  version: number;
  total: number;
}

/** Everything about one peer, for the details under the list. Strings are safe to show. */
export interface PeerDetails {
  id: string;
  /** `label: value` lines, in order. */
  facts: [string, string][];
  notes: string[];
}

export interface HashLine {
  label: string;
  value: string;
}

/** What a magnet link says. */
export interface LinkFacts {
  name?: string;
  trackers: string[];
  webSeeds: string[];
  peers: string[];
  /** Other things it says (length, file selection, parameters not interpreted), one line each. */
  more: string[];
}

export interface TrackerLine {
  url: string;
  hashKind: 'v1' | 'v2';
  /** `pending` until it answers. */
  status: 'pending' | 'working' | 'tracker-error' | 'unreachable' | 'timed-out' | 'not-contacted' | 'cancelled';
  peers?: number;
  error?: string;
}

/** The swarm's availability (probe). */
export interface SwarmState {
  pieceCount: number;
  /** Peers whose pieces are known. */
  peers: number;
  seeds: number;
  distributedCopies: number;
  minCopies: number;
  /** Pieces held by at least one peer, 0–1. */
  availableFraction: number;
  /**
   * Copies of the pieces, `bucketPieces` pieces to a bucket (at most PIECE_PICTURE_BUCKETS buckets): the copies
   * of each bucket's rarest piece, and the average.
   */
  picture: { bucketPieces: number; least: number[]; average: number[]; mostCopies: number };
}

export const PIECE_PICTURE_BUCKETS = 2048;

/** Trackers listed in the panel's state; the rest are counted. */
export const MAX_TRACKER_LINES = 100;

/** The torrent a magnet link gave. */
export interface MagnetResult {
  name: string;
  detail: string;
  notes: string[];
  /** Set when the metadata hashes right but is not a torrent we can read. */
  problem?: string;
}

export interface ProbePanelState {
  /** Increases with every run this panel starts; the webview drops rows of older runs. */
  runId: number;
  kind: ProbeKind;
  title: string;
  subtitle: string;
  hashes: HashLine[];
  link?: LinkFacts;
  running: boolean;
  /** How it went, in one sentence (live while running). */
  summary: string;
  /** `running`, or how it ended: `ok`, `no-peers`, `failed`, `no-answers`, `timed-out`, `cancelled`. */
  status: string;
  /** `skipped`: addresses found after the limit of peers a run asks. */
  counts: { found: number; tried: number; connected: number; failed: number; blocks: number; skipped: number; blocksTotal?: number };
  /** The first MAX_TRACKER_LINES trackers asked (each under each hash), and how all of them did. */
  trackers: TrackerLine[];
  trackerCounts: { total: number; answered: number; waiting: number };
  /** Whether trackers were asked (the user may have declined to announce). */
  announced: boolean;
  swarm?: SwarmState;
  result?: MagnetResult;
  peers: ListState;
  files?: ListState;
  sort: PeerSort;
  durationMs: number;
}

/** Events the host sends. */
export type ProbeHostEvent = { type: 'state'; state: ProbePanelState };

/** Requests the webview sends, with their replies. */
export type ProbeRequests = {
  /** The state to show, when the webview (re)loads. */
  ready: { request: { type: 'ready' }; reply: ProbePanelState | null };
  rows: { request: { type: 'rows'; list: ProbeListId; runId: number; start: number; count: number }; reply: RowPage<ProbeRow> };
  details: { request: { type: 'details'; runId: number; id: string }; reply: PeerDetails | null };
  setSort: { request: { type: 'setSort'; sort: PeerSort }; reply: void };
  /** Peers typed by the user (`host:port`, `[IPv6]:port`, separated by spaces or commas). */
  addPeers: { request: { type: 'addPeers'; text: string }; reply: { added: number; errors: string[] } };
  cancel: { request: { type: 'cancel' }; reply: void };
  rerun: { request: { type: 'rerun' }; reply: void };
  copyJson: { request: { type: 'copyJson' }; reply: void };
  /** Magnet: opens the torrent made in the Torrent Lens editor. */
  openTorrent: { request: { type: 'openTorrent' }; reply: void };
  /** Magnet: asks where to save the torrent made, and saves it. */
  saveTorrent: { request: { type: 'saveTorrent' }; reply: void };
  showLog: { request: { type: 'showLog' }; reply: void };
};

/** The host sends no requests to the webview. */
export type ProbeHostRequests = Record<never, never>;
