// Messages between the tracker results panel and the extension host.
//
// The host runs announces and scrapes and sends one row per tracker and info hash: first `waiting` (for
// one of the run's connection slots), then `pending` when its tracker is asked, then again as the tracker
// answers. Every string in a row comes from a tracker or a torrent (redacted through the torrent's secrets
// unless the user shows them) and must reach the DOM as text.

/**
 * A tracker's answer as `TrackerStatus` in the core says, or where it is before one: `waiting` for a
 * connection slot (a run contacts at most so many trackers at once; nothing was sent yet), `pending` while
 * it is asked.
 */
export type RowStatus = 'waiting' | 'pending' | 'working' | 'tracker-error' | 'unreachable' | 'timed-out' | 'not-contacted' | 'cancelled';

export type RunKind = 'announce' | 'scrape';

export interface AttemptView {
  step: string;
  target: string;
  atMs: number;
  waitedMs: number;
  outcome: string;
}

export interface PeerView {
  ip: string;
  port: number;
  /** 40 hex digits, when the tracker sent peer ids. */
  peerId?: string;
  /** The peer id with printable ASCII as is and other bytes as %XX. */
  peerIdText?: string;
  client?: string;
}

/**
 * A decoded answer: numbers, text, binary as hex, lists, dictionaries as ordered entries; or the text of an
 * answer that is not bencode (an HTML page), with its length in bytes.
 */
export type RawView =
  | number
  | string
  | { hex: string; length: number; truncated?: boolean }
  | { text: string; length: number; contentType?: string; truncated?: boolean }
  | RawView[]
  | { entries: [string, RawView][] }
  | { omitted: string };

export interface TrackerRow {
  /** Stable within a run: `r0`, `r1`, … in tracker order. */
  id: string;
  /** 0-based tier index (shown as Tier 1, 2, …). */
  tier: number;
  /** The tracker URL, redacted unless the user shows secrets. */
  url: string;
  protocol: 'http' | 'https' | 'udp' | 'ws' | 'wss' | 'unsupported';
  hash: string;
  hashKind: 'v1' | 'v2';
  status: RowStatus;
  /**
   * `waiting` and `pending` rows: when that began, in milliseconds on the host's clock (the event that
   * carried the row says what the host's clock read when it was sent).
   */
  since?: number;
  /** Failure reason, error action text or our description of what went wrong. */
  error?: string;
  /** The tracker's warning message. */
  warning?: string;
  /** Where the tracker bends the protocol. */
  notes: string[];
  retryIn?: number | 'never';
  seeders?: number;
  leechers?: number;
  downloaded?: number;
  /** Scrape: BEP 48 downloaders. */
  downloaders?: number;
  /** Scrape: false when the tracker does not know the torrent. */
  found?: boolean;
  /** Announce: how many peers the tracker returned. */
  peersReceived?: number;
  /** Announce: the peers (at most MAX_PEERS_SENT; `peersReceived` has the full count). */
  peers: PeerView[];
  interval?: number;
  minInterval?: number;
  /** Scrape: BEP 48 flags.min_request_interval. */
  minRequestInterval?: number;
  externalIp?: string;
  trackerId?: string;
  durationMs?: number;
  attempts: AttemptView[];
  /** The follow-up `stopped` announce, when one was sent. */
  stopped?: { ok: boolean; error?: string };
  /** Whether a decoded answer can be asked for with `getRaw`. */
  hasRaw: boolean;
}

export const MAX_PEERS_SENT = 2_000;

/** Which trackers a run asks: all of the torrent's, one tier (0-based), or one tracker by its (redacted) URL. */
export type RunTarget = { all: true } | { tier: number } | { url: string };

export interface RunView {
  /** Increases with every run in this panel; events of older runs are ignored. */
  runId: number;
  kind: RunKind;
  /** The torrent file and the trackers asked: enough to run again after VS Code reloads the panel. */
  source: { torrentUri: string; target: RunTarget };
  /** The torrent's file name and name, as text. */
  fileName: string;
  torrentName: string;
  infoHash: { v1?: string; v2?: string; v2Truncated?: string };
  /** What was asked: e.g. `all trackers`, `tier 2`, or the single (redacted) URL. */
  scope: string;
  /** Announce: the event mode, e.g. `started-then-stopped`. */
  event?: string;
  rows: TrackerRow[];
  /** Whether the torrent's secrets are shown in this view (the setting, which may change during a run). */
  secretsShown: boolean;
  /** Whether the torrent's tracker URLs hold secrets that this view hides: the panel says how to show them. */
  secretsHidden: boolean;
  running: boolean;
  /** Wall time of the whole run, when finished. */
  durationMs?: number;
  cancelled?: boolean;
}

/** What Copy as JSON put on the clipboard, for the panel to confirm. */
export interface CopiedJson {
  /** Results copied (one per tracker and info hash). */
  results: number;
  bytes: number;
  /** Whether secrets were left `[redacted]` in it. */
  redacted: boolean;
}

/**
 * Events the host sends. `run` starts a run, or shows the same run again (the same `runId`: after the
 * secrets setting changed, say); `sentAt` is the host's clock when it was sent, to time waiting rows by.
 */
export type TrackersHostEvent =
  | { type: 'run'; run: RunView; sentAt: number }
  | { type: 'rows'; runId: number; rows: TrackerRow[]; sentAt: number }
  | { type: 'finished'; runId: number; durationMs: number; cancelled: boolean };

/** Requests the webview sends, with their replies. */
export type TrackersRequests = {
  /** The current run (or none yet), when the webview (re)loads. */
  ready: { request: { type: 'ready' }; reply: RunView | null };
  rerun: { request: { type: 'rerun' }; reply: void };
  cancel: { request: { type: 'cancel' }; reply: void };
  /** Copies the run's results as the CLI's JSON to the clipboard; the reply says what was copied. */
  copyJson: { request: { type: 'copyJson' }; reply: CopiedJson };
  /** The decoded answer of one row. */
  getRaw: { request: { type: 'getRaw'; runId: number; rowId: string }; reply: RawView | null };
  showLog: { request: { type: 'showLog' }; reply: void };
};

/** The host sends no requests to the webview. */
export type TrackersHostRequests = Record<never, never>;
