// The `torrentLens.*` settings as the extension uses them: each value checked and bounded, so that a
// hand-edited settings.json (a string for a number, a huge timeout, a control character in a header)
// cannot make a request unbounded or malformed. Reading them from VS Code is src/extension/settings.ts.

/** How an inspection announce behaves: the `torrentLens.announce.event` setting. */
export type AnnounceEventSetting = 'started-then-stopped' | 'started' | 'none';

export interface TrackerSettings {
  /** `torrentLens.tracker.timeout`: ms each tracker gets, connect to last byte, UDP retries included. */
  timeoutMs: number;
  /** `torrentLens.tracker.udpRetryTimeout`: first UDP retransmission timeout in ms, doubled per retry. */
  udpRetryTimeoutMs: number;
  /** `torrentLens.tracker.maxResponseSize`: answers larger than this many bytes are refused. */
  maxResponseBytes: number;
  /** `torrentLens.http.userAgent`. */
  userAgent: string;
  /** `torrentLens.announce.numwant`. */
  numwant: number;
  /** `torrentLens.announce.port`. */
  port: number;
  /** `torrentLens.announce.event`. */
  event: AnnounceEventSetting;
  /** `torrentLens.announce.left`: report the torrent's total size as left (`total`) or 0 (`zero`, a seeder). */
  left: 'total' | 'zero';
  /** `torrentLens.announce.confirm`: ask before the first announce discloses the IP address to trackers. */
  confirmAnnounce: boolean;
}

export const DEFAULT_USER_AGENT = 'TorrentLens/0.1.0';

function clampedInteger(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** The tracker settings from `read` (a key under `torrentLens.`, e.g. `tracker.timeout`, to its value as set). */
export function trackerSettingsFrom(read: (key: string) => unknown): TrackerSettings {
  const userAgent = read('http.userAgent');
  return {
    timeoutMs: clampedInteger(read('tracker.timeout'), 10_000, 500, 120_000),
    udpRetryTimeoutMs: clampedInteger(read('tracker.udpRetryTimeout'), 1_000, 100, 15_000),
    maxResponseBytes: clampedInteger(read('tracker.maxResponseSize'), 4 * 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
    // Header values may not carry control characters; an invalid one falls back to ours.
    userAgent:
      typeof userAgent === 'string' && userAgent.trim() && /^[\x20-\x7e]+$/.test(userAgent) ? userAgent.trim() : DEFAULT_USER_AGENT,
    numwant: clampedInteger(read('announce.numwant'), 50, 0, 1000),
    port: clampedInteger(read('announce.port'), 6881, 1, 65535),
    event: oneOf(read('announce.event'), ['started-then-stopped', 'started', 'none'] as const, 'started-then-stopped'),
    left: oneOf(read('announce.left'), ['total', 'zero'] as const, 'total'),
    confirmAnnounce: read('announce.confirm') !== false,
  };
}
