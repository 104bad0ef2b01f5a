// WebSocket trackers (`ws://`, `wss://`), as WebTorrent torrents list them. The protocol is JSON messages
// over one WebSocket: `{action: 'announce', info_hash, peer_id, numwant, uploaded, downloaded, left, event,
// offers}` and `{action: 'scrape', info_hash: [...]}`, with binary values as strings of latin-1 characters.
// Peers there are WebRTC peers, reached by exchanging offers through the tracker; an inspection needs no
// WebRTC: it announces with numwant 0 and no offers, and shows the counts.
//
// The client is npm `ws`, bounded as the HTTP client is: one deadline for the whole exchange (connect,
// handshake, answer), every message at most `maxBytes` (ws's maxPayload, fragments included) and all of
// them together too, no compression offered (nothing to inflate), no redirects, and cancellation.
import WebSocket from 'ws';
import { formatCount } from '../../shared/format';
import { toHex } from '../text/bytes';
import { TrackerFailure, cancelled, describeNetworkError } from './errors';
import { clampInterval, clampMinInterval, bodySnippet, trackerString, type AnnounceFields, type ScrapeFields } from './http-response';
import { Ignored } from './ignored';
import { timerDelay } from './options';
import type { Attempt, HashKind, RawValue, ScrapeEntry, WireEvent } from './types';

export interface WsExchange {
  /** Absolute time (Date.now()) by which the whole exchange must be done. */
  deadline: number;
  /** The deadline as the user set it, for messages. */
  timeoutMs: number;
  startedAt: number;
  attempts: Attempt[];
  maxBytes: number;
  userAgent: string;
  signal?: AbortSignal;
  log?: (level: 'info' | 'debug' | 'warn', message: string) => void;
}

export interface WsAnnounceRequest {
  url: string;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  uploaded: number;
  downloaded: number;
  left: number;
  event: WireEvent;
}

export const WEBRTC_PEERS_NOTE =
  'peers behind a WebSocket tracker are WebRTC peers (WebTorrent), which Torrent Lens does not contact: it asks for none (numwant 0, no offers)';

/** Messages that are not the answer (other peers' offers) tolerated before giving up on a tracker. */
const MAX_IGNORED_MESSAGES = 1000;
/** How long a polite close waits for the tracker's close frame before dropping the connection. */
const CLOSE_TIMEOUT_MS = 1000;
const RAW_NODE_BUDGET = 2_000;
const RAW_TEXT_MAX = 300;
const RAW_HEX_MAX = 64;

type JsonObject = Record<string, unknown>;

/** Bytes as WebTorrent sends binary values: one character per byte. */
function binaryString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/** 40 hex digits of a 20-character binary string, or undefined when it is not one. */
function hexOfBinary(text: string): string | undefined {
  if (text.length !== 20 || /[\u0100-\uffff]/.test(text)) return undefined;
  return Buffer.from(text, 'latin1').toString('hex');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** An ws error as a failure: its own size limit, broken frames, a refused handshake, or the network's. */
function describeWsError(error: Error & { code?: string }, host: string, maxBytes: number): TrackerFailure {
  const code = error.code ?? '';
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
    return new TrackerFailure('tracker-error', `the answer is too large: a WebSocket message over the ${formatCount(maxBytes)}-byte limit`);
  if (code.startsWith('WS_ERR_')) return new TrackerFailure('tracker-error', `invalid WebSocket data from ${host}: ${error.message}`);
  // ws's own handshake checks throw plain errors (a wrong Sec-WebSocket-Accept, say); Node's carry a code.
  if (code === '') return new TrackerFailure('tracker-error', `WebSocket handshake with ${host} failed: ${trackerString(error.message)}`);
  return describeNetworkError(error, host);
}

/**
 * Connects, sends `request` and waits for the message that answers it: `isAnswer` returns undefined for the
 * answer and a description for anything else, which is ignored. Records a `connect` and a `step` attempt.
 */
function exchange(
  url: string,
  step: 'announce' | 'scrape',
  request: JsonObject,
  isAnswer: (message: JsonObject) => string | undefined,
  ex: WsExchange,
): Promise<JsonObject> {
  return new Promise<JsonObject>((resolve, reject) => {
    let sentAt = Date.now();
    let attempt: Attempt = { step: 'connect', target: url, atMs: sentAt - ex.startedAt, waitedMs: 0, outcome: 'sent' };
    ex.attempts.push(attempt);
    if (ex.signal?.aborted) {
      attempt.outcome = 'cancelled before sending';
      reject(cancelled());
      return;
    }
    const remaining = ex.deadline - sentAt;
    if (remaining <= 0) {
      attempt.outcome = 'not sent: no time left';
      reject(new TrackerFailure('timed-out', `timed out after ${formatCount(ex.timeoutMs)} ms`));
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
      // A fragment never goes to the server (and ws refuses a URL with one).
      target.hash = '';
    } catch {
      attempt.outcome = 'not sent';
      reject(new TrackerFailure('not-contacted', 'not a valid URL'));
      return;
    }
    const host = target.host;
    let socket: WebSocket;
    try {
      socket = new WebSocket(target.href, {
        maxPayload: ex.maxBytes,
        perMessageDeflate: false,
        followRedirects: false,
        closeTimeout: CLOSE_TIMEOUT_MS,
        headers: { 'User-Agent': ex.userAgent },
      });
    } catch (error) {
      attempt.outcome = 'not sent';
      reject(new TrackerFailure('not-contacted', `the request could not be made: ${trackerString((error as Error).message)}`));
      return;
    }
    ex.log?.('debug', `WebSocket ${step} to ${url}`);

    let phase: 'connecting' | 'waiting for the answer' = 'connecting';
    let received = 0;
    let settled = false;
    const ignored = new Ignored('message');
    const finish = (outcome: string, result: JsonObject | TrackerFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ex.signal?.removeEventListener('abort', onAbort);
      attempt.waitedMs = Date.now() - sentAt;
      attempt.outcome = outcome;
      if (result instanceof TrackerFailure) {
        socket.terminate();
        reject(result);
      } else {
        socket.close(1000);
        resolve(result);
      }
    };
    const fail = (failure: TrackerFailure) => finish(failure.message, failure);

    // Always listened to: ws emits an error for a connection ended while connecting, also after we settled.
    socket.on('error', (error) => fail(describeWsError(error, host, ex.maxBytes)));
    socket.on('unexpected-response', (httpRequest, response) => {
      const status = `HTTP ${response.statusCode ?? 0}${response.statusMessage ? ` ${trackerString(response.statusMessage)}` : ''}`;
      const location = response.headers.location;
      response.resume();
      httpRequest.destroy();
      finish(
        location ? `${status} → ${trackerString(location)}` : status,
        new TrackerFailure(
          'tracker-error',
          `${status}: the server did not switch to the WebSocket protocol${location ? ` (it points to ${trackerString(location)}; WebSocket trackers are not followed across redirects)` : ''}`,
        ),
      );
    });
    socket.on('open', () => {
      phase = 'waiting for the answer';
      attempt.waitedMs = Date.now() - sentAt;
      attempt.outcome = 'HTTP 101 Switching Protocols';
      sentAt = Date.now();
      attempt = { step, target: url, atMs: sentAt - ex.startedAt, waitedMs: 0, outcome: 'sent' };
      ex.attempts.push(attempt);
      socket.send(JSON.stringify(request), (error) => {
        if (error) fail(describeWsError(error, host, ex.maxBytes));
      });
    });
    socket.on('message', (data) => {
      if (settled) return;
      received += data.length;
      if (received > ex.maxBytes) {
        fail(
          new TrackerFailure(
            'tracker-error',
            `the answer is too large: more than the ${formatCount(ex.maxBytes)}-byte limit in ${formatCount(ignored.count + 1)} messages`,
          ),
        );
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(data.toString('utf8'));
      } catch {
        // V8's message quotes the input unescaped; our snippet is escaped and short.
        fail(new TrackerFailure('tracker-error', `the answer is not JSON. It begins "${bodySnippet(data, 60)}".`));
        return;
      }
      if (!isObject(message)) {
        fail(new TrackerFailure('tracker-error', `the answer is a JSON ${jsonKind(message)}, not an object: "${bodySnippet(data, 60)}"`));
        return;
      }
      const other = isAnswer(message);
      if (other === undefined) {
        finish(ignored.count ? `answered (after ${ignored.describe('ignoring')})` : 'answered', message);
        return;
      }
      if (ignored.add(other)) ex.log?.('debug', `WebSocket ignored a message from ${host}: ${other}`);
      if (ignored.count >= MAX_IGNORED_MESSAGES)
        fail(new TrackerFailure('tracker-error', `no answer among ${ignored.count} messages from the tracker (${ignored.describe()})`));
    });
    socket.on('close', (code, reason) => {
      const why = `${code}${reason.length ? ` ${trackerString(reason.toString('utf8'))}` : ''}`;
      fail(new TrackerFailure('tracker-error', `the tracker closed the connection before answering (${why})`));
    });
    const timer = setTimeout(
      () => fail(new TrackerFailure('timed-out', `timed out after ${formatCount(ex.timeoutMs)} ms while ${phase}`)),
      timerDelay(remaining),
    );
    const onAbort = () => finish('cancelled', cancelled());
    ex.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Messages a WebSocket tracker relays from other peers (WebRTC signalling): never the answer. */
function relayed(message: JsonObject): string | undefined {
  if ('offer' in message) return 'a WebRTC offer from another peer';
  if ('answer' in message) return 'a WebRTC answer from another peer';
  return undefined;
}

/** A count the tracker sent: a whole number from 0 to 2^53, or a string of digits (noted); else noted and ignored. */
function countField(message: JsonObject, key: string, notes: string[]): number | undefined {
  const value = message[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    notes.push(`"${key}" is ${JSON.stringify(value) ?? String(value)}, not a whole number from 0 to 2^53; ignored`);
    return undefined;
  }
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) {
    notes.push(`"${key}" is a string, not a number; read as ${value}`);
    return Number(value);
  }
  notes.push(`"${key}" is a ${jsonKind(value)}, not a number; ignored`);
  return undefined;
}

function textField(message: JsonObject, key: string): string | undefined {
  const value = message[key];
  if (typeof value === 'string') return trackerString(value);
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Keys whose strings are binary by the protocol (20 bytes as latin-1 characters): shown as hex. */
const BINARY_KEYS = new Set(['info_hash', 'peer_id', 'to_peer_id']);

/** The answer as a bounded tree for "show raw response": binary strings as hex, long text cut. */
function rawJson(value: unknown): RawValue {
  let budget = RAW_NODE_BUDGET;
  const text = (s: string, binary: boolean): RawValue => {
    // eslint-disable-next-line no-control-regex
    if ((binary || /[\u0000-\u001f\u007f-\u009f]/.test(s)) && !/[\u0100-\uffff]/.test(s)) {
      const bytes = Buffer.from(s, 'latin1');
      const shown = toHex(bytes.subarray(0, RAW_HEX_MAX));
      return bytes.length > RAW_HEX_MAX ? { hex: shown, length: bytes.length, truncated: true } : { hex: shown, length: bytes.length };
    }
    const shown = trackerString(s);
    return shown.length > RAW_TEXT_MAX ? `${shown.slice(0, RAW_TEXT_MAX)}…` : shown;
  };
  const visit = (v: unknown, binary: boolean): RawValue => {
    if (--budget < 0) return { omitted: 'more values not shown' };
    if (typeof v === 'string') return text(v, binary);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean' || v === null) return String(v);
    if (Array.isArray(v)) {
      const out: RawValue[] = [];
      for (const item of v) {
        if (budget <= 0) {
          out.push({ omitted: `${formatCount(v.length - out.length)} more items` });
          break;
        }
        out.push(visit(item, binary));
      }
      return out;
    }
    if (isObject(v)) {
      const entries: [string, RawValue][] = [];
      const all = Object.entries(v);
      for (const [key, inner] of all) {
        if (budget <= 0) {
          entries.push(['…', { omitted: `${formatCount(all.length - entries.length)} more entries` }]);
          break;
        }
        const binaryKey = hexOfBinary(key);
        entries.push([
          binaryKey !== undefined && /[^\x20-\x7e]/.test(key) ? `<${binaryKey}>` : trackerString(key),
          visit(inner, BINARY_KEYS.has(key)),
        ]);
      }
      return { entries };
    }
    return String(v);
  };
  return visit(value, false);
}

/** Announces with numwant 0 and no offers: the counts, without WebRTC. */
export async function wsAnnounce(request: WsAnnounceRequest, ex: WsExchange): Promise<AnnounceFields> {
  const infoHash = binaryString(request.infoHash);
  const message: JsonObject = {
    action: 'announce',
    info_hash: infoHash,
    peer_id: binaryString(request.peerId),
    numwant: 0,
    uploaded: Math.max(0, Math.floor(request.uploaded)),
    downloaded: Math.max(0, Math.floor(request.downloaded)),
    left: Math.max(0, Math.floor(request.left)),
    ...(request.event === 'none' ? {} : { event: request.event }),
    offers: [],
  };
  const answer = await exchange(
    request.url,
    'announce',
    message,
    (m) =>
      relayed(m) ??
      (m.action !== undefined && m.action !== 'announce' ? `an answer to "${String(m.action)}"` : undefined) ??
      (typeof m.info_hash === 'string' && m.info_hash !== infoHash ? 'an answer for another torrent' : undefined),
    ex,
  );
  const notes: string[] = [];
  const out: AnnounceFields = { peers: [], notes, raw: rawJson(answer) };
  out.failure = textField(answer, 'failure reason');
  out.warning = textField(answer, 'warning message');
  if (out.failure !== undefined) return out;
  notes.push(WEBRTC_PEERS_NOTE);
  out.interval = clampInterval(countField(answer, 'interval', notes), notes);
  out.minInterval = clampMinInterval(countField(answer, 'min interval', notes), notes);
  out.complete = countField(answer, 'complete', notes);
  out.incomplete = countField(answer, 'incomplete', notes);
  out.downloaded = countField(answer, 'downloaded', notes);
  return out;
}

/** Scrapes every hash in one message: `files` keyed by binary info hash (or, noted, by hex). */
export async function wsScrape(
  request: { url: string; hashes: { hex: string; kind: HashKind; bytes: Uint8Array }[] },
  ex: WsExchange,
): Promise<ScrapeFields> {
  const message: JsonObject = { action: 'scrape', info_hash: request.hashes.map((h) => binaryString(h.bytes)) };
  const answer = await exchange(
    request.url,
    'scrape',
    message,
    (m) => relayed(m) ?? (m.action !== undefined && m.action !== 'scrape' ? `an answer to "${String(m.action)}"` : undefined),
    ex,
  );
  const notes: string[] = [];
  const out: ScrapeFields = { entries: [], notes, raw: rawJson(answer) };
  out.failure = textField(answer, 'failure reason');
  if (out.failure !== undefined) return out;
  const files = answer.files;
  if (!isObject(files))
    throw new TrackerFailure(
      'tracker-error',
      files === undefined
        ? 'the scrape answer has no "files" dictionary'
        : `the scrape answer's "files" is a ${jsonKind(files)}, not a dictionary`,
    );
  const byHash = new Map<string, unknown>();
  let hexKeys = 0;
  for (const [key, value] of Object.entries(files)) {
    let hex = hexOfBinary(key);
    if (hex === undefined && /^[0-9a-fA-F]{40}$/.test(key)) {
      hex = key.toLowerCase();
      hexKeys++;
    }
    if (hex !== undefined && !byHash.has(hex)) byHash.set(hex, value);
  }
  if (hexKeys > 0) notes.push(`the tracker keyed ${hexKeys} scrape entries by hex text instead of 20 binary characters; matched anyway`);
  if (isObject(answer.flags)) {
    const interval = countField(answer.flags, 'min_request_interval', notes);
    if (interval !== undefined) out.minRequestInterval = interval;
  }
  for (const hash of request.hashes) {
    const value = byHash.get(hash.hex);
    if (!isObject(value)) {
      out.entries.push({ hash: hash.hex, hashKind: hash.kind, found: false });
      continue;
    }
    const entry: ScrapeEntry = { hash: hash.hex, hashKind: hash.kind, found: true };
    entry.complete = countField(value, 'complete', notes);
    entry.incomplete = countField(value, 'incomplete', notes);
    entry.downloaded = countField(value, 'downloaded', notes);
    const downloaders = countField(value, 'downloaders', notes);
    if (downloaders !== undefined) entry.downloaders = downloaders;
    out.entries.push(entry);
  }
  return out;
}
