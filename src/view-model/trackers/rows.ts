// Tracker results as the panel's rows: one per tracker and info hash, redacted as the user chose.
// No `vscode` here: the panel's data is built and tested like the core.
import { peerIdText } from '../../core/tracker/peer-id';
import { fromHex } from '../../core/text/bytes';
import { redactResult } from '../../core/tracker/report';
import { trackerProtocol } from '../../core/tracker/url';
import type { AnnounceResult, InfoHashTarget, ScrapeResult, TrackerTarget } from '../../core/tracker/types';
import { redactUrl } from '../../core/privacy/redact';
import { MAX_PEERS_SENT, type TrackerRow } from '../../shared/protocol/trackers';

/** Row id of tracker `t` and hash `h`: rows are laid out tracker by tracker, hash by hash. */
export function rowId(trackerIndex: number, hashIndex: number, hashCount: number): string {
  return `r${trackerIndex * hashCount + hashIndex}`;
}

/** Every row of a run, before anything is known. */
export function pendingRows(trackers: TrackerTarget[], hashes: InfoHashTarget[], showSecrets: boolean): TrackerRow[] {
  return trackers.flatMap((tracker, t) =>
    hashes.map((hash, h) => ({
      id: rowId(t, h, hashes.length),
      tier: tracker.tier,
      url: showSecrets ? tracker.url : redactUrl(tracker.url),
      protocol: trackerProtocol(tracker.url),
      hash: hash.hex,
      hashKind: hash.kind,
      status: 'pending' as const,
      notes: [],
      peers: [],
      attempts: [],
      hasRaw: false,
    })),
  );
}

function common(row: TrackerRow, r: AnnounceResult | ScrapeResult): TrackerRow {
  const out: TrackerRow = {
    ...row,
    url: r.tracker,
    protocol: r.protocol,
    status: r.status,
    notes: r.notes,
    attempts: r.attempts,
    durationMs: r.status === 'not-contacted' ? undefined : r.durationMs,
    hasRaw: r.raw !== undefined,
  };
  if (r.error !== undefined) out.error = r.error;
  if (r.warning !== undefined) out.warning = r.warning;
  if (r.retryIn !== undefined) out.retryIn = r.retryIn;
  return out;
}

/** The row of an announce result (redacted unless `showSecrets`). */
export function announceRow(row: TrackerRow, result: AnnounceResult, showSecrets: boolean): TrackerRow {
  const r = redactResult(result, showSecrets);
  const out = common(row, r);
  out.seeders = r.complete;
  out.leechers = r.incomplete;
  out.downloaded = r.downloaded;
  out.interval = r.interval;
  out.minInterval = r.minInterval;
  out.externalIp = r.externalIp;
  out.trackerId = r.trackerId;
  if (r.ok) out.peersReceived = r.peers.length;
  out.peers = r.peers.slice(0, MAX_PEERS_SENT).map((p) => ({
    ip: p.ip,
    port: p.port,
    ...(p.peerId ? { peerId: p.peerId, peerIdText: peerIdText(fromHex(p.peerId)) } : {}),
    ...(p.client ? { client: p.client } : {}),
  }));
  if (r.stopped) out.stopped = r.stopped.error === undefined ? { ok: r.stopped.ok } : { ok: r.stopped.ok, error: r.stopped.error };
  return out;
}

/** The rows (one per hash, in `rows` order) of a scrape result. */
export function scrapeRows(rows: TrackerRow[], result: ScrapeResult, showSecrets: boolean): TrackerRow[] {
  const r = redactResult(result, showSecrets);
  return rows.map((row) => {
    const out = common(row, r);
    const entry = r.entries.find((e) => e.hash === row.hash && e.hashKind === row.hashKind);
    if (entry && r.ok) {
      out.found = entry.found;
      out.seeders = entry.complete;
      out.leechers = entry.incomplete;
      out.downloaded = entry.downloaded;
      out.downloaders = entry.downloaders;
    }
    out.minRequestInterval = r.minRequestInterval;
    return out;
  });
}
