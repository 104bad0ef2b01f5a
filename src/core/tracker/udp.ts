// UDP tracker protocol (BEP 15) with URL data (BEP 41).
//
// Each request gets its own connected socket (so the kernel drops packets from other addresses and an
// ICMP "port unreachable" surfaces as ECONNREFUSED instead of a silent timeout). Packets whose
// transaction id is not ours are ignored and recorded, as BEP 15 asks. BEP 15's retransmission schedule
// (15 s doubling to an hour) is for background clients; an inspection waits `udpRetryTimeoutMs` first,
// doubles it on each retry, and gives up at the request's deadline, saying what it tried.
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { formatCount } from '../../shared/format';
import { toHex } from '../text/bytes';
import { parseCompactPeers } from './compact';
import { TrackerFailure, cancelled, describeNetworkError } from './errors';
import type { AnnounceFields, ScrapeFields } from './http-response';
import { clampInterval, MAX_PEERS_KEPT, trackerText } from './http-response';
import { Ignored } from './ignored';
import { timerDelay } from './options';
import type { Attempt, HashKind, Peer, RawValue, ScrapeEntry, UdpConnectionStore, WireEvent } from './types';
import { parseUdpUrl } from './url';

const PROTOCOL_ID = 0x41727101980n;
const ACTION_CONNECT = 0;
const ACTION_ANNOUNCE = 1;
const ACTION_SCRAPE = 2;
const ACTION_ERROR = 3;
const ACTION_NAMES = ['connect', 'announce', 'scrape', 'error'];
/** BEP 15: a connection id is good for one minute; we stop using it a little earlier. */
export const CONNECTION_ID_LIFETIME_MS = 60_000;
const CONNECTION_ID_MARGIN_MS = 5_000;
/** BEP 15: a scrape packet carries at most 74 info hashes (so the answer fits 900 bytes). */
export const UDP_SCRAPE_MAX_HASHES = 74;
/** Largest datagram we read; anything longer is not a tracker answer. */
const MAX_DATAGRAM = 65_536;

/** Connection ids by tracker endpoint (`address:port`), valid for BEP 15's minute. */
export class UdpConnectionCache implements UdpConnectionStore {
  private readonly ids = new Map<string, { id: bigint; at: number }>();
  get(endpoint: string, now: number): bigint | undefined {
    const entry = this.ids.get(endpoint);
    if (!entry) return undefined;
    if (now - entry.at >= CONNECTION_ID_LIFETIME_MS - CONNECTION_ID_MARGIN_MS) {
      this.ids.delete(endpoint);
      return undefined;
    }
    return entry.id;
  }
  set(endpoint: string, id: bigint, now: number): void {
    this.ids.set(endpoint, { id, at: now });
  }
  delete(endpoint: string): void {
    this.ids.delete(endpoint);
  }
}

/** The process-wide cache: a rerun within the minute skips the connect round trip. */
export const sharedUdpConnections = new UdpConnectionCache();

/** Connects in flight per store and endpoint, so concurrent requests to one tracker share one connect. */
const connectsInFlight = new WeakMap<UdpConnectionStore, Map<string, Promise<bigint>>>();

export interface UdpExchange {
  deadline: number;
  timeoutMs: number;
  retryTimeoutMs: number;
  startedAt: number;
  attempts: Attempt[];
  signal?: AbortSignal;
  connections: UdpConnectionStore;
  log?: (level: 'info' | 'debug' | 'warn', message: string) => void;
}

export interface UdpAnnounceRequest {
  url: string;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  downloaded: number;
  left: number;
  uploaded: number;
  event: WireEvent;
  key: number;
  numwant: number;
  port: number;
}

const EVENT_IDS: Record<WireEvent, number> = { none: 0, completed: 1, started: 2, stopped: 3 };

/** BEP 41 options: the URL's path and query as URLData (type 2) options of at most 255 bytes each. */
export function urlDataOptions(pathAndQuery: string): Uint8Array {
  if (!pathAndQuery) return new Uint8Array(0);
  const data = Buffer.from(pathAndQuery, 'utf8');
  const chunks = Math.ceil(data.length / 255);
  const out = Buffer.alloc(data.length + chunks * 2);
  let p = 0;
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.subarray(i, Math.min(data.length, i + 255));
    out[p++] = 2;
    out[p++] = chunk.length;
    chunk.copy(out, p);
    p += chunk.length;
  }
  return out;
}

export function buildAnnouncePacket(connectionId: bigint, transactionId: number, request: UdpAnnounceRequest, urlData: Uint8Array): Buffer {
  const packet = Buffer.alloc(98 + urlData.length);
  packet.writeBigUInt64BE(connectionId, 0);
  packet.writeUInt32BE(ACTION_ANNOUNCE, 8);
  packet.writeUInt32BE(transactionId, 12);
  Buffer.from(request.infoHash).copy(packet, 16);
  Buffer.from(request.peerId).copy(packet, 36);
  packet.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(request.downloaded))), 56);
  packet.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(request.left))), 64);
  packet.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(request.uploaded))), 72);
  packet.writeUInt32BE(EVENT_IDS[request.event], 80);
  packet.writeUInt32BE(0, 84); // IP address: 0 = the sender's
  packet.writeUInt32BE(request.key >>> 0, 88);
  packet.writeInt32BE(request.numwant, 92); // -1 would mean "tracker's default"
  packet.writeUInt16BE(request.port, 96);
  Buffer.from(urlData).copy(packet, 98);
  return packet;
}

function transactionId(): number {
  return randomBytes(4).readUInt32BE(0);
}

/** One socket to one tracker, with request/answer matching by transaction id. */
class UdpSession {
  private readonly waiters = new Set<(packet: Buffer) => void>();
  private socketError?: Error;
  private readonly errorWaiters = new Set<(error: Error) => void>();

  private constructor(
    private readonly socket: dgram.Socket,
    readonly endpoint: string,
    readonly family: 4 | 6,
    private readonly exchange: UdpExchange,
  ) {
    socket.on('message', (packet: Buffer) => {
      for (const waiter of [...this.waiters]) waiter(packet);
    });
    socket.on('error', (error) => {
      this.socketError = error;
      for (const waiter of [...this.errorWaiters]) waiter(error);
    });
  }

  static async open(host: string, port: number, exchange: UdpExchange): Promise<UdpSession> {
    let address = host;
    let family = isIP(host) as 0 | 4 | 6;
    if (family === 0) {
      try {
        const found = await withDeadline(lookup(host), exchange, `resolving ${host}`);
        address = found.address;
        family = found.family as 4 | 6;
      } catch (error) {
        throw describeNetworkError(error, host);
      }
    }
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: MAX_DATAGRAM });
    const endpoint = family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
    const session = new UdpSession(socket, endpoint, family as 4 | 6, exchange);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(port, address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      session.close();
      throw describeNetworkError(error, endpoint);
    }
    return session;
  }

  /** Drops a connection id the tracker no longer accepts. */
  forgetConnection(): void {
    this.exchange.connections.delete(this.endpoint);
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  /**
   * Sends `build(tid)` and waits for the answer with our transaction id, retransmitting with a doubling
   * timeout until the deadline. Returns a packet whose action is `expected` and length at least `minLength`.
   */
  async transact(step: string, build: (tid: number) => Buffer, expected: number, minLength: number): Promise<Buffer> {
    const ex = this.exchange;
    const tid = transactionId();
    const packet = build(tid);
    let wait = ex.retryTimeoutMs;
    const ignored = new Ignored('packet');
    for (let round = 0; ; round++) {
      const now = Date.now();
      const remaining = ex.deadline - now;
      if (remaining <= 0) {
        const sent = ex.attempts.filter((a) => a.step === step && a.target === this.endpoint).length;
        const also = ignored.count ? `; ${ignored.describe()}` : '';
        throw new TrackerFailure(
          'timed-out',
          `timed out after ${formatCount(ex.timeoutMs)} ms: ${sent} ${step} request${sent === 1 ? '' : 's'} sent to ${this.endpoint}, no answer${also}`,
        );
      }
      const thisWait = Math.min(wait, remaining);
      const attempt: Attempt = { step, target: this.endpoint, atMs: now - ex.startedAt, waitedMs: 0, outcome: 'sent' };
      ex.attempts.push(attempt);
      ex.log?.(
        'debug',
        `UDP ${step} to ${this.endpoint} (transaction ${tid.toString(16).padStart(8, '0')}, ${round === 0 ? 'first try' : `retry ${round}`}, waiting ${formatCount(thisWait)} ms)`,
      );
      try {
        await this.send(packet);
      } catch (error) {
        attempt.waitedMs = Date.now() - now;
        const failure = describeNetworkError(error, this.endpoint);
        attempt.outcome = failure.message;
        throw failure;
      }
      const answer = await this.receive(tid, thisWait, ignored, attempt, now);
      if (answer === undefined) {
        attempt.outcome = `no answer within ${formatCount(thisWait)} ms`;
        wait *= 2;
        continue;
      }
      const action = answer.readUInt32BE(0);
      if (action === ACTION_ERROR) {
        const message = trackerText(answer.subarray(8)) || '(no message)';
        attempt.outcome = `error action: ${message}`;
        throw new TrackerFailure('tracker-error', message);
      }
      if (action !== expected) {
        const name = ACTION_NAMES[action];
        const text = name ? `unexpected action ${action} (${name}) in answer to ${step}` : `unknown action ${action} in answer to ${step}`;
        attempt.outcome = text;
        throw new TrackerFailure(
          'tracker-error',
          `${text}: the tracker does not speak BEP 15 as expected (${formatCount(answer.length)} bytes: ${toHex(answer.subarray(0, 32))}${answer.length > 32 ? '…' : ''})`,
        );
      }
      if (answer.length < minLength) {
        attempt.outcome = `truncated answer: ${formatCount(answer.length)} bytes`;
        // opentracker answers an announce for a torrent it does not serve with the bare 8-byte header.
        const hint =
          step === 'announce' && answer.length === 8
            ? '; trackers such as opentracker answer this way for a torrent they do not serve'
            : '';
        throw new TrackerFailure(
          'tracker-error',
          `truncated ${step} answer: ${formatCount(answer.length)} bytes, at least ${minLength} expected (${toHex(answer)})${hint}`,
        );
      }
      attempt.outcome = ignored.count ? `answered (after ${ignored.describe('ignoring')})` : 'answered';
      return answer;
    }
  }

  private send(packet: Buffer): Promise<void> {
    if (this.socketError) return Promise.reject(this.socketError);
    return new Promise((resolve, reject) => this.socket.send(packet, (error) => (error ? reject(error) : resolve())));
  }

  /** Waits up to `ms` for a packet carrying transaction `tid`; other packets are recorded in `ignored`. */
  private receive(tid: number, ms: number, ignored: Ignored, attempt: Attempt, sentAt: number): Promise<Buffer | undefined> {
    const signal = this.exchange.signal;
    return new Promise<Buffer | undefined>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(onPacket);
        this.errorWaiters.delete(onError);
        signal?.removeEventListener('abort', onAbort);
        attempt.waitedMs = Date.now() - sentAt;
      };
      const onPacket = (packet: Buffer) => {
        if (packet.length < 8) {
          if (ignored.add(`${packet.length}-byte packet, too short for a transaction id`))
            this.exchange.log?.('debug', `UDP ignored a ${packet.length}-byte packet from ${this.endpoint}`);
          return;
        }
        const got = packet.readUInt32BE(4);
        if (got !== tid) {
          if (ignored.add(`transaction id ${got.toString(16).padStart(8, '0')}, expected ${tid.toString(16).padStart(8, '0')}`)) {
            this.exchange.log?.(
              'debug',
              `UDP ignored a packet from ${this.endpoint} with transaction id ${got.toString(16)} (expected ${tid.toString(16)})`,
            );
          }
          return;
        }
        done();
        resolve(packet);
      };
      const onError = (error: Error) => {
        done();
        attempt.outcome = describeNetworkError(error, this.endpoint).message;
        reject(describeNetworkError(error, this.endpoint));
      };
      const onAbort = () => {
        done();
        attempt.outcome = 'cancelled';
        reject(cancelled());
      };
      if (signal?.aborted) return onAbort();
      if (this.socketError) return onError(this.socketError);
      this.waiters.add(onPacket);
      this.errorWaiters.add(onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => {
        done();
        resolve(undefined);
      }, timerDelay(ms));
    });
  }

  /** A connection id: from the store if still fresh, from a connect in flight, or by connecting. */
  async connectionId(): Promise<{ id: bigint; reused: boolean }> {
    const store = this.exchange.connections;
    const cached = store.get(this.endpoint, Date.now());
    if (cached !== undefined) return { id: cached, reused: true };
    let inFlight = connectsInFlight.get(store);
    if (!inFlight) connectsInFlight.set(store, (inFlight = new Map()));
    const pending = inFlight.get(this.endpoint);
    if (pending) {
      try {
        return { id: await pending, reused: true };
      } catch {
        // The other request's connect failed (or was cancelled); try our own.
      }
    }
    const connect = this.connect();
    inFlight.set(this.endpoint, connect);
    try {
      const id = await connect;
      store.set(this.endpoint, id, Date.now());
      return { id, reused: false };
    } finally {
      if (inFlight.get(this.endpoint) === connect) inFlight.delete(this.endpoint);
    }
  }

  private async connect(): Promise<bigint> {
    const answer = await this.transact(
      'connect',
      (tid) => {
        const packet = Buffer.alloc(16);
        packet.writeBigUInt64BE(PROTOCOL_ID, 0);
        packet.writeUInt32BE(ACTION_CONNECT, 8);
        packet.writeUInt32BE(tid, 12);
        return packet;
      },
      ACTION_CONNECT,
      16,
    );
    return answer.readBigUInt64BE(8);
  }
}

function withDeadline<T>(promise: Promise<T>, exchange: UdpExchange, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const remaining = exchange.deadline - Date.now();
    const timer = setTimeout(
      () => reject(new TrackerFailure('timed-out', `timed out after ${formatCount(exchange.timeoutMs)} ms while ${what}`)),
      timerDelay(remaining),
    );
    const onAbort = () => reject(cancelled());
    if (exchange.signal?.aborted) onAbort();
    exchange.signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      exchange.signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** Runs `work` with a connection id; when a reused id is refused as stale, reconnects once. */
async function withConnection<T>(session: UdpSession, work: (id: bigint) => Promise<T>, notes: string[]): Promise<T> {
  const { id, reused } = await session.connectionId();
  try {
    return await work(id);
  } catch (error) {
    if (reused && error instanceof TrackerFailure && error.status === 'tracker-error' && /connection/i.test(error.message)) {
      notes.push(`the tracker refused a connection id from less than a minute ago ("${error.message}"); connected again`);
      session.forgetConnection();
      const fresh = await session.connectionId();
      return work(fresh.id);
    }
    throw error;
  }
}

export async function udpAnnounce(request: UdpAnnounceRequest, exchange: UdpExchange): Promise<AnnounceFields> {
  const { host, port, pathAndQuery } = parseUdpUrl(request.url);
  const session = await UdpSession.open(host, port, exchange);
  const notes: string[] = [];
  try {
    const urlData = urlDataOptions(pathAndQuery);
    const answer = await withConnection(
      session,
      (id) => session.transact('announce', (tid) => buildAnnouncePacket(id, tid, request, urlData), ACTION_ANNOUNCE, 20),
      notes,
    );
    return readUdpAnnounce(answer, session.family, notes);
  } finally {
    session.close();
  }
}

/** An announce answer: interval, leechers, seeders, then 6-byte (IPv4) or 18-byte (IPv6) peers. */
export function readUdpAnnounce(answer: Buffer, family: 4 | 6, notes: string[] = []): AnnounceFields {
  const interval = clampInterval(answer.readUInt32BE(8), notes);
  const incomplete = answer.readUInt32BE(12);
  const complete = answer.readUInt32BE(16);
  const peerBytes = answer.length - 20;
  let entry: 6 | 18 = family === 6 ? 18 : 6;
  if (family === 6 && peerBytes % 6 === 0 && (peerBytes % 18 !== 0 || !allPlausibleIpv6(answer, 20))) {
    // BEP 15 asks for 18-byte entries over IPv6; some trackers (bittorrent-tracker) send IPv4 entries anyway.
    entry = 6;
    notes.push('the tracker answered over IPv6 with 6-byte IPv4 peer entries instead of 18-byte IPv6 ones (BEP 15); read as IPv4');
  } else if (peerBytes % entry !== 0) {
    notes.push(
      `the peer list is ${formatCount(peerBytes)} bytes, not a multiple of ${entry}; the last ${peerBytes % entry} bytes were ignored`,
    );
  }
  let peers: Peer[] = parseCompactPeers(answer, entry, 20);
  if (peers.length > MAX_PEERS_KEPT) {
    notes.push(`${formatCount(peers.length - MAX_PEERS_KEPT)} more peers than the ${formatCount(MAX_PEERS_KEPT)} kept`);
    peers = peers.slice(0, MAX_PEERS_KEPT);
  }
  const raw: RawValue = {
    entries: [
      ['action', 'announce (1)'],
      ['transaction id', answer.readUInt32BE(4).toString(16).padStart(8, '0')],
      ['interval', answer.readUInt32BE(8)],
      ['leechers', incomplete],
      ['seeders', complete],
      ['peers', `${peers.length} entries of ${entry} bytes`],
      ['packet', { hex: toHex(answer.subarray(0, 64)), length: answer.length, ...(answer.length > 64 ? { truncated: true } : {}) }],
    ],
  };
  return { interval, complete, incomplete, peers, notes, raw };
}

/**
 * Whether every 18-byte entry holds an address a peer could have: global unicast (2000::/3), unique local
 * (fc00::/7), link-local (fe80::/10), or loopback/IPv4-compatible/IPv4-mapped (::/96, ::ffff:0:0/96). IPv4 entries misread as IPv6 begin
 * with the first octets of an IPv4 address and almost never pass.
 */
function allPlausibleIpv6(packet: Buffer, offset: number): boolean {
  for (let p = offset; p + 18 <= packet.length; p += 18) {
    const first = packet.readUInt16BE(p);
    const global = first >= 0x2000 && first <= 0x3fff;
    const uniqueLocal = first >= 0xfc00 && first <= 0xfdff;
    const linkLocal = first >= 0xfe80 && first <= 0xfebf;
    const group5 = packet.readUInt16BE(p + 10);
    const zeroPrefix =
      first === 0 && packet.readUInt32BE(p + 2) === 0 && packet.readUInt32BE(p + 6) === 0 && (group5 === 0 || group5 === 0xffff);
    if (!global && !uniqueLocal && !linkLocal && !zeroPrefix) return false;
  }
  return true;
}

export interface UdpScrapeRequest {
  url: string;
  hashes: { hex: string; kind: HashKind; bytes: Uint8Array }[];
}

export async function udpScrape(request: UdpScrapeRequest, exchange: UdpExchange): Promise<ScrapeFields> {
  const { host, port } = parseUdpUrl(request.url);
  const session = await UdpSession.open(host, port, exchange);
  const notes: string[] = [];
  const entries: ScrapeEntry[] = [];
  const packets: RawValue[] = [];
  try {
    for (let i = 0; i < request.hashes.length; i += UDP_SCRAPE_MAX_HASHES) {
      const batch = request.hashes.slice(i, i + UDP_SCRAPE_MAX_HASHES);
      const answer = await withConnection(
        session,
        (id) =>
          session.transact(
            'scrape',
            (tid) => {
              const packet = Buffer.alloc(16 + 20 * batch.length);
              packet.writeBigUInt64BE(id, 0);
              packet.writeUInt32BE(ACTION_SCRAPE, 8);
              packet.writeUInt32BE(tid, 12);
              batch.forEach((hash, n) => Buffer.from(hash.bytes).copy(packet, 16 + 20 * n));
              return packet;
            },
            ACTION_SCRAPE,
            8,
          ),
        notes,
      );
      // BEP 15 answers with counts for every hash asked, in order: fewer is a cut packet, not unknown torrents.
      const expected = 8 + 12 * batch.length;
      if (answer.length < expected)
        throw new TrackerFailure(
          'tracker-error',
          `truncated scrape answer: ${formatCount(answer.length)} bytes, ${formatCount(expected)} expected for ${batch.length} hash${batch.length === 1 ? '' : 'es'} (${toHex(answer.subarray(0, 64))}${answer.length > 64 ? '…' : ''})`,
        );
      if (answer.length > expected)
        notes.push(
          `the scrape answer is ${formatCount(answer.length)} bytes, not 8 + 12 per hash; the last ${formatCount(answer.length - expected)} bytes were ignored`,
        );
      batch.forEach((hash, n) => {
        const at = 8 + 12 * n;
        entries.push({
          hash: hash.hex,
          hashKind: hash.kind,
          found: true,
          complete: answer.readUInt32BE(at),
          downloaded: answer.readUInt32BE(at + 4),
          incomplete: answer.readUInt32BE(at + 8),
        });
      });
      packets.push({ hex: toHex(answer.subarray(0, 64)), length: answer.length, ...(answer.length > 64 ? { truncated: true } : {}) });
    }
  } finally {
    session.close();
  }
  const raw: RawValue = {
    entries: [
      ['action', 'scrape (2)'],
      ...entries.map((e): [string, RawValue] => [
        e.hash,
        {
          entries: [
            ['seeders', e.complete ?? 0],
            ['completed', e.downloaded ?? 0],
            ['leechers', e.incomplete ?? 0],
          ],
        },
      ]),
      ['packets', packets],
    ],
  };
  return { entries, notes, raw };
}
