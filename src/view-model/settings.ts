// The `torrentLens.*` settings as the extension uses them: each value checked and bounded, so that a
// hand-edited settings.json (a string for a number, a huge timeout, a control character in a header)
// cannot make a request unbounded or malformed. The numeric ones are bounded by the tracker core's own
// limits (TRACKER_OPTION_LIMITS), which package.json declares too; a value outside them is clamped and
// reported, never handed to a timer. Reading them from VS Code is src/extension/settings.ts.
import { TRACKER_OPTION_LIMITS } from '../core/tracker/options';
import { formatCount } from '../shared/format';

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

type NumericSetting = 'timeoutMs' | 'udpRetryTimeoutMs' | 'maxResponseBytes' | 'numwant' | 'port';

/** Each numeric setting: its key under `torrentLens.`, its default, and the core's option it feeds. */
export const NUMERIC_SETTINGS: readonly { key: string; option: NumericSetting; fallback: number }[] = [
  { key: 'tracker.timeout', option: 'timeoutMs', fallback: 10_000 },
  { key: 'tracker.udpRetryTimeout', option: 'udpRetryTimeoutMs', fallback: 1_000 },
  { key: 'tracker.maxResponseSize', option: 'maxResponseBytes', fallback: 4 * 1024 * 1024 },
  { key: 'announce.numwant', option: 'numwant', fallback: 50 },
  { key: 'announce.port', option: 'port', fallback: 6881 },
];

/** Says why a setting is not used as set (for the log). */
export type SettingsReport = (message: string) => void;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return Number.isFinite(value) && Number.isInteger(value) ? formatCount(value) : String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}

function boundedInteger(
  key: string,
  value: unknown,
  fallback: number,
  limit: { min: number; max: number },
  report: SettingsReport,
): number {
  if (value === undefined) return fallback;
  const name = `torrentLens.${key}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report(`${name} is ${describe(value)}, not a number; using the default, ${formatCount(fallback)}`);
    return fallback;
  }
  const bounded = Math.min(limit.max, Math.max(limit.min, Math.round(value)));
  if (bounded !== value) {
    const why = value < limit.min ? 'the least allowed' : value > limit.max ? 'the most allowed' : 'a whole number';
    report(
      `${name} is ${describe(value)}; using ${formatCount(bounded)}, ${why} (from ${formatCount(limit.min)} to ${formatCount(limit.max)})`,
    );
  }
  return bounded;
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T, report: SettingsReport): T {
  if (value === undefined || allowed.includes(value as T)) return (value as T | undefined) ?? fallback;
  report(`torrentLens.${key} is ${describe(value)}, not one of ${allowed.join(', ')}; using ${fallback}`);
  return fallback;
}

/**
 * The tracker settings from `read` (a key under `torrentLens.`, e.g. `tracker.timeout`, to its value as
 * set); `report` hears of every value not used as it is set.
 */
export function trackerSettingsFrom(read: (key: string) => unknown, report: SettingsReport = () => {}): TrackerSettings {
  const numbers = Object.fromEntries(
    NUMERIC_SETTINGS.map(({ key, option, fallback }) => [
      option,
      boundedInteger(key, read(key), fallback, TRACKER_OPTION_LIMITS[option], report),
    ]),
  ) as Record<NumericSetting, number>;
  const userAgentSetting = read('http.userAgent');
  // Header values may not carry control characters; an invalid one falls back to ours.
  let userAgent = DEFAULT_USER_AGENT;
  if (typeof userAgentSetting === 'string' && userAgentSetting.trim() && /^[\x20-\x7e]{1,512}$/.test(userAgentSetting))
    userAgent = userAgentSetting.trim();
  else if (userAgentSetting !== undefined)
    report(`torrentLens.http.userAgent is not 1 to 512 printable ASCII characters; using ${DEFAULT_USER_AGENT}`);
  return {
    ...numbers,
    userAgent,
    event: oneOf(
      'announce.event',
      read('announce.event'),
      ['started-then-stopped', 'started', 'none'] as const,
      'started-then-stopped',
      report,
    ),
    left: oneOf('announce.left', read('announce.left'), ['total', 'zero'] as const, 'total', report),
    confirmAnnounce: read('announce.confirm') !== false,
  };
}
