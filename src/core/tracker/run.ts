// Talking to all of a torrent's trackers at once: every tracker and every info hash concurrently, each
// result delivered the moment it is known, so a run takes as long as the slowest tracker, not the sum.
import { randomBytes } from 'node:crypto';
import { formatCount } from '../../shared/format';
import { fromHex } from '../text/bytes';
import { TrackerFailure } from './errors';
import type { HttpGetOptions } from './http-get';
import { httpAnnounce, httpScrape } from './http-tracker';
import { checkTrackerOptions } from './options';
import { defaultPeerId } from './peer-id';
import { redactResult } from './report';
import {
  DEFAULTS,
  type AnnounceOptions,
  type AnnouncePlace,
  type AnnounceResult,
  type Attempt,
  type InfoHashTarget,
  type RawValue,
  type RequestOptions,
  type ScrapeOptions,
  type ScrapeResult,
  type TrackerPlace,
  type TrackerResult,
  type TrackerTarget,
  type WireEvent,
} from './types';
import { sharedUdpConnections, udpAnnounce, udpScrape, type UdpExchange } from './udp';
import { isWebSocket, NO_SCRAPE_URL, scrapeUrlOf, trackerProtocol, unsupportedReason } from './url';
import { wsAnnounce, wsScrape, type WsExchange } from './websocket';
import { errorText } from '../../shared/format';

interface Exchange {
  deadline: number;
  timeoutMs: number;
  startedAt: number;
  attempts: Attempt[];
}

function exchangeFor(options: RequestOptions): Exchange {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const startedAt = Date.now();
  return { deadline: startedAt + timeoutMs, timeoutMs, startedAt, attempts: [] };
}

function httpOptions(options: RequestOptions, ex: Exchange): HttpGetOptions {
  return {
    ...ex,
    maxBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    signal: options.signal,
    log: options.log,
  };
}

function udpOptions(options: RequestOptions, ex: Exchange): UdpExchange {
  return {
    ...ex,
    retryTimeoutMs: options.udpRetryTimeoutMs ?? DEFAULTS.udpRetryTimeoutMs,
    connections: options.udpConnections ?? sharedUdpConnections,
    signal: options.signal,
    log: options.log,
  };
}

/** A tracker the run was cancelled before contacting (it was waiting for a slot): nothing was sent. */
function cancelledBeforeContact<R extends TrackerResult>(result: R): R {
  result.status = 'cancelled';
  result.error = 'cancelled';
  return result;
}

function wsOptions(options: RequestOptions, ex: Exchange): WsExchange {
  return {
    ...ex,
    maxBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    signal: options.signal,
    log: options.log,
  };
}

/** A count for a log line, `?` when the tracker did not say. */
const countOrUnknown = (n: number | undefined) => (n === undefined ? '?' : formatCount(n));

function failureOf(error: unknown): TrackerFailure {
  if (error instanceof TrackerFailure) return error;
  return new TrackerFailure('tracker-error', `unexpected error: ${errorText(error)}`);
}

/** What every tracker answer can carry, announce or scrape. */
interface AnswerCommon {
  failure?: string;
  warning?: string;
  retryIn?: number | 'never';
  notes: string[];
  raw: RawValue;
}

/**
 * Runs one exchange and records what announce and scrape share on `result`: duration, notes, the raw
 * answer, warning, retry-in, and the error when it failed. Returns the answer only when it is usable.
 */
async function exchange<F extends AnswerCommon>(
  result: AnnounceResult | ScrapeResult,
  ex: Exchange,
  label: string,
  options: RequestOptions,
  send: () => Promise<F>,
): Promise<F | undefined> {
  let fields: F;
  try {
    fields = await send();
  } catch (error) {
    const failure = failureOf(error);
    result.durationMs = Date.now() - ex.startedAt;
    result.status = failure.status;
    result.error = failure.message;
    if (failure.retryIn !== undefined) result.retryIn = failure.retryIn;
    if (failure.raw !== undefined) result.raw = failure.raw;
    options.log?.('warn', `${label}: ${failure.status}: ${failure.message}`);
    return undefined;
  }
  result.durationMs = Date.now() - ex.startedAt;
  result.notes = fields.notes;
  result.raw = fields.raw;
  if (fields.warning !== undefined) result.warning = fields.warning;
  if (fields.retryIn !== undefined) result.retryIn = fields.retryIn;
  if (fields.failure !== undefined) {
    result.status = 'tracker-error';
    result.error = fields.failure;
    options.log?.(
      'warn',
      `${label}: failure reason: ${fields.failure}${fields.retryIn !== undefined ? ` (retry in ${fields.retryIn})` : ''}`,
    );
    return undefined;
  }
  result.status = 'working';
  result.ok = true;
  return fields;
}

/** One announce of one info hash to one tracker, with the given event; no follow-up. */
async function announceOnce(
  tracker: TrackerTarget,
  hash: InfoHashTarget,
  event: WireEvent,
  options: AnnounceOptions,
  peerId: Uint8Array,
  key: number,
  trackerIdBytes?: Uint8Array,
): Promise<{ result: AnnounceResult; trackerIdBytes?: Uint8Array }> {
  const url = tracker.url.trim();
  const protocol = trackerProtocol(url);
  const result: AnnounceResult = {
    kind: 'announce',
    tracker: url,
    tier: tracker.tier,
    protocol,
    hash: hash.hex,
    hashKind: hash.kind,
    event,
    status: 'not-contacted',
    ok: false,
    notes: [],
    peers: [],
    durationMs: 0,
    attempts: [],
  };
  const unsupported = unsupportedReason(url);
  if (unsupported) {
    result.error = unsupported;
    return { result };
  }
  if (options.signal?.aborted) return { result: cancelledBeforeContact(result) };
  const ex = exchangeFor(options);
  result.attempts = ex.attempts;
  const request = {
    url,
    infoHash: fromHex(hash.hex),
    peerId,
    port: options.port ?? DEFAULTS.port,
    uploaded: options.uploaded ?? 0,
    downloaded: options.downloaded ?? 0,
    left: options.left ?? 0,
    event,
    // A WebSocket tracker's peers are WebRTC peers, which we would have to send offers to: ask for none.
    numwant: isWebSocket(protocol) ? 0 : (options.numwant ?? DEFAULTS.numwant),
    key,
    trackerId: trackerIdBytes,
  };
  options.log?.('info', `announce ${hash.kind} ${hash.hex} to ${url} (event ${event}, numwant ${request.numwant}, port ${request.port})`);
  const fields = await exchange(result, ex, `announce to ${url}`, options, () =>
    protocol === 'udp'
      ? udpAnnounce(request, udpOptions(options, ex))
      : isWebSocket(protocol)
        ? wsAnnounce(request, wsOptions(options, ex))
        : httpAnnounce(request, httpOptions(options, ex)),
  );
  if (!fields) return { result };
  for (const key of ['interval', 'minInterval', 'complete', 'incomplete', 'downloaded', 'externalIp', 'trackerId'] as const) {
    if (fields[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = fields[key];
  }
  result.peers = fields.peers;
  options.log?.(
    'info',
    `announce to ${url}: ${countOrUnknown(result.complete)} seeders, ${countOrUnknown(result.incomplete)} leechers, ${formatCount(result.peers.length)} peers, interval ${countOrUnknown(result.interval)} s in ${formatCount(result.durationMs)} ms` +
      (result.warning ? `; warning: ${result.warning}` : '') +
      (result.notes.length ? `; notes: ${result.notes.join('; ')}` : ''),
  );
  return { result, trackerIdBytes: fields.trackerIdBytes ?? trackerIdBytes };
}

export type AnnounceListener = (result: AnnounceResult, place: AnnouncePlace) => void;
export type ScrapeListener = (result: ScrapeResult, place: TrackerPlace) => void;

/** How a run shows what it has: results and log lines through the torrent's secrets, when it has them. */
interface Presenter {
  deliver<T extends TrackerResult>(result: T): T;
  /** The options for the requests themselves: the same, with the log redacted. */
  options<O extends RequestOptions>(options: O): O;
}

function presenterFor(options: RequestOptions): Presenter {
  const { secrets, log } = options;
  if (!secrets || secrets.shown) return { deliver: (result) => result, options: (o) => o };
  const redactedLog = log && ((level: 'info' | 'debug' | 'warn', message: string) => log(level, secrets.redact(message)));
  return { deliver: (result) => redactResult(result, secrets), options: (o) => ({ ...o, log: redactedLog }) };
}

/**
 * Announces one info hash to one tracker as the options ask (results as given, not yet redacted). With
 * `started-then-stopped` (the default) `onAnswer` is called when the `started` answer arrives, then a
 * `stopped` announce tells the tracker to forget us and its outcome is recorded in `result.stopped`.
 */
async function announceSequence(
  tracker: TrackerTarget,
  hash: InfoHashTarget,
  options: AnnounceOptions,
  onAnswer?: (result: AnnounceResult) => void,
): Promise<AnnounceResult> {
  const mode = options.event ?? 'started-then-stopped';
  const peerId = options.peerId ?? defaultPeerId();
  const key = options.key ?? randomBytes(4).readUInt32BE(0);
  const trackerId = options.trackerId === undefined ? undefined : Buffer.from(options.trackerId, 'latin1');
  const firstEvent: WireEvent = mode === 'started-then-stopped' ? 'started' : mode;
  const { result, trackerIdBytes } = await announceOnce(tracker, hash, firstEvent, options, peerId, key, trackerId);
  onAnswer?.(result);
  if (mode !== 'started-then-stopped' || !result.ok || options.signal?.aborted) return result;
  const stop = await announceOnce(tracker, hash, 'stopped', { ...options, numwant: 0 }, peerId, key, trackerIdBytes);
  result.stopped = { ok: stop.result.ok, durationMs: stop.result.durationMs };
  if (!stop.result.ok) result.stopped.error = stop.result.error ?? stop.result.status;
  for (const attempt of stop.result.attempts)
    result.attempts.push({ ...attempt, step: `${attempt.step} (stopped)`, atMs: attempt.atMs + result.durationMs });
  return result;
}

/**
 * Announces one info hash to one tracker as the options ask (refusing options out of range with a
 * TrackerOptionsError). With `started-then-stopped` (the default) the result is reported when the
 * `started` answer arrives (`onAnswer`), then a `stopped` announce tells the tracker to forget us and its
 * outcome is recorded in `result.stopped`. Given `secrets`, what is reported and returned is redacted.
 */
export async function announceToTracker(
  tracker: TrackerTarget,
  hash: InfoHashTarget,
  options: AnnounceOptions = {},
  onAnswer?: (result: AnnounceResult) => void,
): Promise<AnnounceResult> {
  checkTrackerOptions(options);
  const presenter = presenterFor(options);
  const result = await announceSequence(tracker, hash, presenter.options(options), (r) => onAnswer?.(presenter.deliver(r)));
  return presenter.deliver(result);
}

/** Drops repeated tracker URLs (the first tier that lists one keeps it). */
export function uniqueTrackers(trackers: TrackerTarget[]): TrackerTarget[] {
  const seen = new Set<string>();
  return trackers.filter((t) => {
    const key = t.url.trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Trackers of a torrent (tiers of URLs, as in `Metainfo.trackers`) as targets. */
export function trackerTargets(tiers: string[][]): TrackerTarget[] {
  return uniqueTrackers(tiers.flatMap((urls, tier) => urls.map((url) => ({ url, tier }))));
}

/**
 * The caller's cancellation, fanned out: one listener on the caller's signal, and a signal of its own for
 * each request, aborted with it. Every pending request listens to its signal; had they all listened to
 * the caller's, more than ten trackers would trip Node's MaxListenersExceededWarning.
 */
class Cancellation {
  private readonly requests = new Set<AbortController>();
  private readonly onAbort = () => {
    for (const request of this.requests) request.abort();
  };

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Runs `work` with a signal of its own that the caller's cancellation aborts. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const request = new AbortController();
    if (this.signal?.aborted) request.abort();
    this.requests.add(request);
    try {
      return await work(request.signal);
    } finally {
      this.requests.delete(request);
    }
  }

  /** Stops listening to the caller's signal: the run is over. */
  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * Runs `work` on every item with at most `limit` at once, in order; the results in the items' order. A
 * waiting item starts as soon as one in progress ends.
 */
async function mapWithLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The trackers to contact, each once, with its index in the list given. */
function placesOf(trackers: TrackerTarget[]): TrackerPlace[] {
  const seen = new Set<string>();
  const places: TrackerPlace[] = [];
  trackers.forEach((tracker, trackerIndex) => {
    const key = tracker.url.trim();
    if (seen.has(key)) return;
    seen.add(key);
    places.push({ tracker, trackerIndex });
  });
  return places;
}

/**
 * Announces every hash to every tracker, all at once. `onResult` is called as each tracker answers (and
 * again when its `stopped` follow-up completes), with where the result belongs; the returned list is in
 * tracker order, then hash order. Given `secrets`, every result and log line is redacted.
 */
export async function announceAll(
  trackers: TrackerTarget[],
  hashes: InfoHashTarget[],
  options: AnnounceOptions = {},
  onResult?: AnnounceListener,
): Promise<AnnounceResult[]> {
  checkTrackerOptions(options);
  const presenter = presenterFor(options);
  const key = options.key ?? randomBytes(4).readUInt32BE(0);
  const shared = presenter.options({ ...options, key, peerId: options.peerId ?? defaultPeerId() });
  const cancellation = new Cancellation(options.signal);
  try {
    const byTracker = await mapWithLimit(placesOf(trackers), options.concurrency ?? DEFAULTS.concurrency, (place) => {
      options.onTrackerStart?.(place);
      return Promise.all(
        hashes.map((hash, hashIndex) =>
          cancellation.run(async (signal) => {
            const at: AnnouncePlace = { ...place, hash, hashIndex };
            const result = await announceSequence(place.tracker, hash, { ...shared, signal }, (r) => onResult?.(presenter.deliver(r), at));
            if (result.stopped) onResult?.(presenter.deliver(result), at);
            return presenter.deliver(result);
          }),
        ),
      );
    });
    return byTracker.flat();
  } finally {
    cancellation.dispose();
  }
}

/** Scrapes all `hashes` at one tracker in one request (UDP: 74 a packet); the result as given, not yet redacted. */
async function scrapeOnce(tracker: TrackerTarget, hashes: InfoHashTarget[], options: ScrapeOptions): Promise<ScrapeResult> {
  const url = tracker.url.trim();
  const protocol = trackerProtocol(url);
  const result: ScrapeResult = {
    kind: 'scrape',
    tracker: url,
    tier: tracker.tier,
    protocol,
    status: 'not-contacted',
    ok: false,
    notes: [],
    entries: hashes.map((h) => ({ hash: h.hex, hashKind: h.kind, found: false })),
    durationMs: 0,
    attempts: [],
  };
  const unsupported = unsupportedReason(url);
  if (unsupported) {
    result.error = unsupported;
    return result;
  }
  // UDP and WebSocket trackers scrape at their own URL; HTTP ones by BEP 48's convention.
  let scrapeUrl = url;
  if (protocol === 'http' || protocol === 'https') {
    const derived = scrapeUrlOf(url);
    if (derived === undefined) {
      result.error = NO_SCRAPE_URL;
      return result;
    }
    scrapeUrl = derived;
  }
  result.scrapeUrl = scrapeUrl;
  if (options.signal?.aborted) return cancelledBeforeContact(result);
  const ex = exchangeFor(options);
  result.attempts = ex.attempts;
  const withBytes = hashes.map((h) => ({ ...h, bytes: fromHex(h.hex) }));
  options.log?.('info', `scrape ${hashes.length} hash${hashes.length === 1 ? '' : 'es'} at ${scrapeUrl}`);
  const fields = await exchange(result, ex, `scrape at ${scrapeUrl}`, options, () =>
    protocol === 'udp'
      ? udpScrape({ url, hashes: withBytes }, udpOptions(options, ex))
      : isWebSocket(protocol)
        ? wsScrape({ url, hashes: withBytes }, wsOptions(options, ex))
        : httpScrape(scrapeUrl, withBytes, httpOptions(options, ex)),
  );
  if (!fields) return result;
  if (fields.minRequestInterval !== undefined) result.minRequestInterval = fields.minRequestInterval;
  result.entries = fields.entries;
  options.log?.(
    'info',
    `scrape at ${scrapeUrl} in ${formatCount(result.durationMs)} ms: ` +
      result.entries
        .map((e) =>
          e.found
            ? `${e.hash}: ${countOrUnknown(e.complete)} seeders, ${countOrUnknown(e.incomplete)} leechers, ${countOrUnknown(e.downloaded)} downloaded`
            : `${e.hash}: not known`,
        )
        .join('; ') +
      (result.notes.length ? `; notes: ${result.notes.join('; ')}` : ''),
  );
  return result;
}

/** Scrapes all `hashes` at one tracker in one request (UDP: 74 a packet); redacted when given `secrets`. */
export async function scrapeTracker(tracker: TrackerTarget, hashes: InfoHashTarget[], options: ScrapeOptions = {}): Promise<ScrapeResult> {
  checkTrackerOptions(options);
  const presenter = presenterFor(options);
  return presenter.deliver(await scrapeOnce(tracker, hashes, presenter.options(options)));
}

/** Scrapes every tracker at once; `onResult` is called as each answers, with where it belongs. Redacted when given `secrets`. */
export async function scrapeAll(
  trackers: TrackerTarget[],
  hashes: InfoHashTarget[],
  options: ScrapeOptions = {},
  onResult?: ScrapeListener,
): Promise<ScrapeResult[]> {
  checkTrackerOptions(options);
  const presenter = presenterFor(options);
  const shared = presenter.options(options);
  const cancellation = new Cancellation(options.signal);
  try {
    return await mapWithLimit(placesOf(trackers), options.concurrency ?? DEFAULTS.concurrency, (place) => {
      options.onTrackerStart?.(place);
      return cancellation.run(async (signal) => {
        const result = presenter.deliver(await scrapeOnce(place.tracker, hashes, { ...shared, signal }));
        onResult?.(result, place);
        return result;
      });
    });
  } finally {
    cancellation.dispose();
  }
}

/** The hashes a torrent announces under: v1, and the truncated v2 for v2 and hybrid torrents. */
export function announceHashes(infoHash: { v1?: string; v2Truncated?: string }): InfoHashTarget[] {
  const out: InfoHashTarget[] = [];
  if (infoHash.v1) out.push({ hex: infoHash.v1, kind: 'v1' });
  if (infoHash.v2Truncated) out.push({ hex: infoHash.v2Truncated, kind: 'v2' });
  return out;
}
