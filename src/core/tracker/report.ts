// Results as the user sees them: secrets redacted, and the JSON shape the CLI prints and the panel copies.
import { Secrets } from '../privacy/secrets';
import type { AnnounceResult, RawValue, ScrapeResult, TrackerResult, TrackerStatus } from './types';

/**
 * A copy of a result with the torrent's secrets hidden in every URL and text: the tracker URL, the scrape
 * URL, what was tried, error, warning, notes, the tracker id, peers' addresses, the raw answer. Pass the
 * torrent's `Secrets` (a run given `secrets` delivers results redacted this way already). Given a
 * boolean instead, `true` shows everything and `false` hides what any torrent's rule finds in the
 * result's own URLs (deprecated: it cannot know that the torrent is private).
 */
export function redactResult<T extends TrackerResult>(result: T, secretsOrShow: Secrets | boolean = false): T {
  if (secretsOrShow === true) return result;
  const secrets = secretsOrShow === false ? Secrets.forTorrent({ trackers: [[result.tracker]] }) : secretsOrShow;
  if (secrets.shown) return result;
  // URLs first: redacting them learns their secret values, which the texts may quote (a request line, a Location).
  const copy: T = {
    ...result,
    tracker: secrets.redactUrl(result.tracker),
    attempts: result.attempts.map((a) => ({ ...a, target: secrets.redactUrl(a.target) })),
  };
  if (copy.kind === 'scrape' && copy.scrapeUrl !== undefined) (copy as ScrapeResult).scrapeUrl = secrets.redactUrl(copy.scrapeUrl);
  copy.attempts = copy.attempts.map((a) => ({ ...a, outcome: secrets.redact(a.outcome) }));
  copy.notes = result.notes.map((note) => secrets.redact(note));
  if (copy.error !== undefined) copy.error = secrets.redact(copy.error);
  if (copy.warning !== undefined) copy.warning = secrets.redact(copy.warning);
  if (copy.raw !== undefined) copy.raw = secrets.redactJson<RawValue>(copy.raw);
  if (copy.kind === 'announce') {
    const announce = copy as AnnounceResult;
    if (announce.trackerId !== undefined) announce.trackerId = secrets.redact(announce.trackerId);
    announce.peers = announce.peers.map((peer) => {
      const ip = secrets.redact(peer.ip);
      return ip === peer.ip ? peer : { ...peer, ip };
    });
    if (announce.stopped?.error !== undefined) announce.stopped = { ...announce.stopped, error: secrets.redact(announce.stopped.error) };
  } else {
    const scrape = copy as ScrapeResult;
    scrape.entries = scrape.entries.map((entry) => (entry.name === undefined ? entry : { ...entry, name: secrets.redact(entry.name) }));
  }
  return copy;
}

export const STATUS_LABELS: Record<TrackerStatus, string> = {
  working: 'working',
  'tracker-error': 'tracker error',
  unreachable: 'unreachable',
  'timed-out': 'timed out',
  'not-contacted': 'not contacted',
  cancelled: 'cancelled',
};

/** The tracker's words and ours in one line: failure or error, warning, retry-in, notes. */
export function resultMessage(result: TrackerResult): string {
  const parts: string[] = [];
  if (result.error) parts.push(result.error);
  if (result.warning) parts.push(`warning: ${result.warning}`);
  if (result.retryIn !== undefined) parts.push(result.retryIn === 'never' ? 'retry: never' : `retry in ${result.retryIn} min`);
  for (const note of result.notes) parts.push(`note: ${note}`);
  if (result.kind === 'announce' && result.stopped && !result.stopped.ok) parts.push(`stopped announce failed: ${result.stopped.error}`);
  return parts.join('; ');
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** One announce result in the CLI's JSON shape (already redacted by the caller when needed). */
export function announceResultJson(result: AnnounceResult): Record<string, unknown> {
  return {
    tracker: result.tracker,
    tier: result.tier,
    protocol: result.protocol,
    hash: result.hash,
    hashKind: result.hashKind,
    status: result.status,
    ok: result.ok,
    error: orNull(result.error),
    warning: orNull(result.warning),
    notes: result.notes,
    interval: orNull(result.interval),
    minInterval: orNull(result.minInterval),
    complete: orNull(result.complete),
    incomplete: orNull(result.incomplete),
    downloaded: orNull(result.downloaded),
    peers: result.peers.map((p) => ({ ip: p.ip, port: p.port, peerId: orNull(p.peerId), client: orNull(p.client) })),
    externalIp: orNull(result.externalIp),
    trackerId: orNull(result.trackerId),
    retryIn: orNull(result.retryIn),
    durationMs: result.durationMs,
    stopped: orNull(result.stopped),
    attempts: result.attempts,
  };
}

/** A scrape result as one JSON row per info hash, in the same shape as announce rows. */
export function scrapeResultJson(result: ScrapeResult): Record<string, unknown>[] {
  return result.entries.map((entry) => ({
    tracker: result.tracker,
    tier: result.tier,
    protocol: result.protocol,
    scrapeUrl: orNull(result.scrapeUrl),
    hash: entry.hash,
    hashKind: entry.hashKind,
    status: result.status,
    ok: result.ok && entry.found,
    found: entry.found,
    error: orNull(
      result.error ?? (result.ok && !entry.found ? 'the tracker does not know this torrent (not in its scrape answer)' : undefined),
    ),
    warning: orNull(result.warning),
    notes: result.notes,
    complete: orNull(entry.complete),
    incomplete: orNull(entry.incomplete),
    downloaded: orNull(entry.downloaded),
    downloaders: orNull(entry.downloaders),
    name: orNull(entry.name),
    minRequestInterval: orNull(result.minRequestInterval),
    retryIn: orNull(result.retryIn),
    durationMs: result.durationMs,
    attempts: result.attempts,
  }));
}

export interface ReportHashes {
  v1?: string;
  v2?: string;
  v2Truncated?: string;
}

/** `{infoHash, results}` for `torrent-lens announce --json` and the panel's Copy as JSON. */
export function announceReportJson(infoHash: ReportHashes, results: AnnounceResult[]): Record<string, unknown> {
  return { infoHash: reportHash(infoHash), infoHashes: infoHash, results: results.map(announceResultJson) };
}

export function scrapeReportJson(infoHash: ReportHashes, results: ScrapeResult[]): Record<string, unknown> {
  return { infoHash: reportHash(infoHash), infoHashes: infoHash, results: results.flatMap(scrapeResultJson) };
}

/** The torrent's main hash: v1 where there is one, else v2. */
function reportHash(infoHash: ReportHashes): string | null {
  return infoHash.v1 ?? infoHash.v2 ?? null;
}
