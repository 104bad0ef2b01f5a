// Tracker results as the panel's rows: one per tracker and info hash. The rows are made from results as
// they are to be shown (the caller redacts them first, through the torrent's secrets, unless the user
// shows secrets). No `vscode` here: the panel's data is built and tested like the core.
import { fromHex } from '../../core/text/bytes';
import { peerIdText } from '../../core/tracker/peer-id';
import type { AnnounceResult, InfoHashTarget, ScrapeResult, TrackerResult, TrackerTarget } from '../../core/tracker/types';
import { trackerProtocol } from '../../core/tracker/url';
import { MAX_PEERS_SENT, type TrackerRow } from '../../shared/protocol/trackers';

/** Row id of tracker `t` and hash `h`: rows are laid out tracker by tracker, hash by hash. */
export function rowId(trackerIndex: number, hashIndex: number, hashCount: number): string {
  return `r${trackerIndex * hashCount + hashIndex}`;
}

/**
 * Every row of a run before anything is known: each tracker waits for a connection slot from `since`.
 * `shownUrl` is the URL as it is to be shown (redacted unless the user shows secrets).
 */
export function waitingRows(
  trackers: readonly TrackerTarget[],
  hashes: readonly InfoHashTarget[],
  since: number,
  shownUrl: (url: string) => string = (url) => url,
): TrackerRow[] {
  return trackers.flatMap((tracker, t) => hashes.map((hash, h) => waitingRow(tracker, t, hash, h, hashes.length, since, shownUrl)));
}

/** One row before its tracker answered (see `waitingRows`). */
export function waitingRow(
  tracker: TrackerTarget,
  trackerIndex: number,
  hash: InfoHashTarget,
  hashIndex: number,
  hashCount: number,
  since: number,
  shownUrl: (url: string) => string = (url) => url,
): TrackerRow {
  return {
    id: rowId(trackerIndex, hashIndex, hashCount),
    tier: tracker.tier,
    url: shownUrl(tracker.url.trim()),
    protocol: trackerProtocol(tracker.url),
    hash: hash.hex,
    hashKind: hash.kind,
    status: 'waiting',
    since,
    notes: [],
    peers: [],
    attempts: [],
    hasRaw: false,
  };
}

function common(row: TrackerRow, r: TrackerResult): TrackerRow {
  const { since: _since, ...rest } = row;
  const out: TrackerRow = {
    ...rest,
    url: r.tracker,
    protocol: r.protocol,
    status: r.status,
    notes: r.notes,
    attempts: r.attempts,
    hasRaw: r.raw !== undefined,
  };
  if (r.status !== 'not-contacted') out.durationMs = r.durationMs;
  if (r.error !== undefined) out.error = r.error;
  if (r.warning !== undefined) out.warning = r.warning;
  if (r.retryIn !== undefined) out.retryIn = r.retryIn;
  return out;
}

/** The row of an announce result, as shown. */
export function announceRow(row: TrackerRow, result: AnnounceResult): TrackerRow {
  const out = common(row, result);
  out.seeders = result.complete;
  out.leechers = result.incomplete;
  out.downloaded = result.downloaded;
  out.interval = result.interval;
  out.minInterval = result.minInterval;
  out.externalIp = result.externalIp;
  out.trackerId = result.trackerId;
  if (result.ok) out.peersReceived = result.peers.length;
  out.peers = result.peers.slice(0, MAX_PEERS_SENT).map((p) => ({
    ip: p.ip,
    port: p.port,
    ...(p.peerId ? { peerId: p.peerId, peerIdText: peerIdText(fromHex(p.peerId)) } : {}),
    ...(p.client ? { client: p.client } : {}),
  }));
  if (result.stopped)
    out.stopped = result.stopped.error === undefined ? { ok: result.stopped.ok } : { ok: result.stopped.ok, error: result.stopped.error };
  return out;
}

/** The row of one info hash of a scrape result, as shown (a scrape answers for every hash at once). */
export function scrapeRow(row: TrackerRow, result: ScrapeResult): TrackerRow {
  const out = common(row, result);
  const entry = result.entries.find((e) => e.hash === row.hash && e.hashKind === row.hashKind);
  if (entry && result.ok) {
    out.found = entry.found;
    out.seeders = entry.complete;
    out.leechers = entry.incomplete;
    out.downloaded = entry.downloaded;
    out.downloaders = entry.downloaders;
  }
  out.minRequestInterval = result.minRequestInterval;
  return out;
}
