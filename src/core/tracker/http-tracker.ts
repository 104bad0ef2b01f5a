// HTTP(S) announce (BEP 3) and scrape (BEP 48).
import { formatCount } from '../../shared/format';
import { TrackerFailure } from './errors';
import { httpGet, type HttpAnswer, type HttpGetOptions } from './http-get';
import {
  bodySnippet,
  decodeAnswer,
  readAnnounceAnswer,
  readScrapeAnswer,
  type AnnounceFields,
  type DecodedAnswer,
  rawBody,
  type ScrapeFields,
} from './http-response';
import type { HashKind, RawValue, WireEvent } from './types';
import { appendQuery, percentEncodeBytes } from './url';

export interface HttpAnnounceRequest {
  url: string;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  port: number;
  uploaded: number;
  downloaded: number;
  left: number;
  event: WireEvent;
  numwant: number;
  key: number;
  /** Sent back as `trackerid` when an earlier answer carried a `tracker id`. */
  trackerId?: Uint8Array;
}

/** The announce URL: the tracker's own URL (its query kept) plus the BEP 3 parameters. */
export function announceUrl(request: HttpAnnounceRequest): string {
  const pairs = [
    `info_hash=${percentEncodeBytes(request.infoHash)}`,
    `peer_id=${percentEncodeBytes(request.peerId)}`,
    `port=${request.port}`,
    `uploaded=${Math.max(0, Math.floor(request.uploaded))}`,
    `downloaded=${Math.max(0, Math.floor(request.downloaded))}`,
    `left=${Math.max(0, Math.floor(request.left))}`,
    `key=${(request.key >>> 0).toString(16).toUpperCase().padStart(8, '0')}`,
  ];
  if (request.event !== 'none') pairs.push(`event=${request.event}`);
  pairs.push(`numwant=${request.numwant}`, 'compact=1', 'no_peer_id=1');
  if (request.trackerId) pairs.push(`trackerid=${percentEncodeBytes(request.trackerId)}`);
  return appendQuery(request.url, pairs);
}

export function scrapeRequestUrl(scrapeUrl: string, hashes: Uint8Array[]): string {
  return appendQuery(
    scrapeUrl,
    hashes.map((hash) => `info_hash=${percentEncodeBytes(hash)}`),
  );
}

/** The longest wait a `Retry-After` is taken at: longer ones are a server's mistake, not a plan. */
const MAX_RETRY_MINUTES = 7 * 24 * 60;

/**
 * RFC 9110 `Retry-After` of a 429 or 503 answer (seconds, or an HTTP date) as BEP 31's `retry in`, in
 * whole minutes (rounded up), with words for the message; undefined when absent or unreadable.
 */
function retryAfterOf(answer: HttpAnswer): { minutes: number; words: string } | undefined {
  if ((answer.status !== 429 && answer.status !== 503) || answer.retryAfter === undefined) return undefined;
  const value = answer.retryAfter.trim();
  // Seconds as written (a huge number stays exact in words), or from now until the date.
  let seconds = value;
  if (!/^\d+$/.test(value)) {
    const at = Date.parse(value);
    if (!Number.isFinite(at)) return undefined;
    seconds = String(Math.max(0, Math.round((at - Date.now()) / 1000)));
  }
  const words = `the tracker asks to retry after ${formatCount(BigInt(seconds))} s (Retry-After)`;
  const minutes = Math.ceil(Number(seconds) / 60);
  return minutes > MAX_RETRY_MINUTES ? { minutes: MAX_RETRY_MINUTES, words: `${words}, taken as one week` } : { minutes, words };
}

/**
 * An answer with an HTTP error status is an error; when its body is a bencoded failure reason (some
 * trackers send 400 with one), that reason is the message. A 429 or 503 with `Retry-After` says when to
 * try again, which is kept as BEP 31's `retry in`.
 */
function decodeOk(answer: HttpAnswer): DecodedAnswer {
  if (answer.status !== 200) {
    let reason: string | undefined;
    let retryIn: number | 'never' | undefined;
    let raw: RawValue | undefined;
    try {
      ({ failure: reason, retryIn, raw } = readAnnounceAnswer(decodeAnswer(answer.body)));
    } catch {
      // not bencode: describe the body instead
      if (answer.body.length) raw = rawBody(answer.body, answer.contentType);
    }
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    const retryAfter = retryAfterOf(answer);
    const wait = retryAfter ? `; ${retryAfter.words}` : '';
    retryIn = retryAfter?.minutes ?? (reason !== undefined ? retryIn : undefined);
    if (reason !== undefined) throw new TrackerFailure('tracker-error', `${reason} (${status})${wait}`, retryIn, raw);
    const body = answer.body.length ? `: "${bodySnippet(answer.body)}"` : ' (empty body)';
    throw new TrackerFailure('tracker-error', `${status}${body}${wait}`, retryIn, raw);
  }
  return decodeAnswer(answer.body, answer.contentType);
}

export async function httpAnnounce(request: HttpAnnounceRequest, options: HttpGetOptions): Promise<AnnounceFields> {
  const answer = await httpGet(announceUrl(request), options);
  return readAnnounceAnswer(decodeOk(answer));
}

export async function httpScrape(
  scrapeUrl: string,
  hashes: { hex: string; kind: HashKind; bytes: Uint8Array }[],
  options: HttpGetOptions,
): Promise<ScrapeFields> {
  const answer = await httpGet(
    scrapeRequestUrl(
      scrapeUrl,
      hashes.map((h) => h.bytes),
    ),
    options,
  );
  return readScrapeAnswer(decodeOk(answer), hashes);
}
