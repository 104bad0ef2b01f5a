// One TCP connection to a peer: the handshake (BEP 3) with the extension protocol (BEP 10) and the fast
// extension (BEP 6) offered, the peer's extension handshake read, then its messages handed to the owner.
//
// Every connection ends exactly once, with a status and a sentence (`PeerEnd`): refused, timed out (saying
// what it was waiting for, a drip-fed message included), the wrong torrent, a protocol error, closed, or
// cancelled. It has a connect deadline and an overall deadline (which the owner may push back when the peer
// makes progress) and holds at most one message under the limits of `WireLimits`.

import * as net from 'node:net';
import { decode, type BencodeDocument, type Token } from '../bencode/decode';
import { bytesEqual, toHex } from '../text/bytes';
import { visibleText } from '../text/display';
import { ipv4Text, ipv6Text } from '../tracker/compact';
import { clientFromPeerId } from '../tracker/peer-id';
import type { ExtensionInfo, PeerFlags, PeerStatus } from './types';
import {
  encodeExtended,
  encodeHandshake,
  encodeMessage,
  hasReservedBit,
  MESSAGE,
  reservedBytes,
  WireError,
  WireReader,
  type Handshake,
  type WireLimits,
  type WireMessage,
} from './wire';
import { errorText } from '../../shared/format';

export interface PeerEnd {
  status: PeerStatus;
  message: string;
}

/** Ends a connection from inside a message handler with a status of the owner's choosing. */
export class PeerFailure extends Error {
  override readonly name = 'PeerFailure';
  constructor(
    readonly status: PeerStatus,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectionOptions {
  host: string;
  port: number;
  /** The 20 bytes to greet the peer with: the v1 hash or the truncated v2 hash. */
  infoHash: Uint8Array;
  peerId: Uint8Array;
  limits: WireLimits;
  connectTimeoutMs: number;
  /** When the connection is given up, in `Date.now()` milliseconds; `extendDeadline` moves it. */
  deadline: number;
  signal?: AbortSignal;
  /** Our BEP 10 handshake (a bencoded dictionary), sent when the peer supports the extension protocol. */
  extensionHandshake?: Uint8Array;
  /**
   * Sets the BEP 52 upgrade bit: only for a torrent known to be v2 or hybrid (libtorrent drops a peer that sets it
   * for a v1 torrent whose metadata it has).
   */
  v2?: boolean;
  onHandshake?: (connection: PeerConnection) => void;
  onExtensionHandshake?: (connection: PeerConnection, info: ExtensionInfo, document: BencodeDocument) => void;
  onMessage?: (connection: PeerConnection, message: WireMessage) => void;
}

/** Our client name in extension handshakes (`v`). */
export const CLIENT_NAME = 'Torrent Lens 0.1.0';

export class PeerConnection {
  readonly startedAt = Date.now();
  connectMs?: number;
  handshakeMs?: number;
  handshake?: Handshake;
  flags?: PeerFlags;
  extension?: ExtensionInfo;
  /** The peer's client: from its peer id, else from `v`. */
  client?: string;
  readonly done: Promise<PeerEnd>;

  private readonly socket: net.Socket;
  private readonly reader: WireReader;
  private ended = false;
  private settle!: (end: PeerEnd) => void;
  private connectTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;
  private deadline: number;
  private readonly onAbort = () => this.end('cancelled', 'cancelled');

  constructor(private readonly options: ConnectionOptions) {
    this.done = new Promise((resolve) => (this.settle = resolve));
    this.reader = new WireReader(options.limits);
    this.deadline = options.deadline;
    this.socket = new net.Socket();
    if (options.signal?.aborted) {
      queueMicrotask(() => this.end('cancelled', 'cancelled'));
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.armDeadline();
    this.connectTimer = setTimeout(
      () => this.end('timed-out', `no connection within ${options.connectTimeoutMs} ms`),
      Math.min(options.connectTimeoutMs, Math.max(0, this.deadline - Date.now())),
    );
    this.socket.on('error', (error) => this.onSocketError(error));
    this.socket.on('close', () => this.onClose());
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.connect({ host: options.host, port: options.port, noDelay: true }, () => this.onConnect());
  }

  get ok(): boolean {
    return this.handshake !== undefined;
  }

  /** Sends bytes unless the connection has ended. */
  send(bytes: Uint8Array): void {
    if (!this.ended) this.socket.write(bytes);
  }

  /** Gives the connection until `deadline` (Date.now() ms), as a reward for progress. */
  extendDeadline(deadline: number): void {
    if (this.ended || deadline <= this.deadline) return;
    this.deadline = deadline;
    this.armDeadline();
  }

  /** Gives the connection until `deadline` (Date.now() ms), sooner or later than before: a new request's own time. */
  setDeadline(deadline: number): void {
    if (this.ended) return;
    this.deadline = deadline;
    this.armDeadline();
  }

  /** Ends the connection (once; later calls are ignored). */
  end(status: PeerStatus, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.deadlineTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    this.settle({ status, message });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => this.end('timed-out', this.waitingFor()), Math.max(0, this.deadline - Date.now()));
  }

  /** What we were waiting for when the deadline came, in words. */
  private waitingFor(): string {
    const waited = Date.now() - this.startedAt;
    if (this.connectMs === undefined) return `no connection within ${waited} ms`;
    const pending = this.reader.pendingMessageBytes;
    if (this.handshake === undefined) {
      return this.reader.buffered > 0
        ? `the handshake was still arriving after ${waited} ms (${this.reader.buffered} of 68 bytes)`
        : `no handshake within ${waited} ms`;
    }
    if (pending !== undefined && this.reader.buffered > 0)
      return `a ${pending}-byte message was still arriving after ${waited} ms (${this.reader.buffered} bytes in): drip-fed or stalled`;
    return `no answer within ${waited} ms`;
  }

  private onConnect(): void {
    clearTimeout(this.connectTimer);
    this.connectMs = Date.now() - this.startedAt;
    this.socket.write(
      encodeHandshake({
        reserved: reservedBytes(this.options.v2 ? ['extensionProtocol', 'fast', 'v2'] : ['extensionProtocol', 'fast']),
        infoHash: this.options.infoHash,
        peerId: this.options.peerId,
      }),
    );
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    try {
      this.reader.push(chunk);
      if (this.handshake === undefined) {
        const handshake = this.reader.handshake();
        if (handshake === undefined) return;
        this.acceptHandshake(handshake);
      }
      for (let message = this.reader.next(); message !== undefined && !this.ended; message = this.reader.next()) this.dispatch(message);
    } catch (error) {
      if (error instanceof PeerFailure) this.end(error.status, error.message);
      else if (error instanceof WireError) this.end('protocol-error', error.message);
      else this.end('protocol-error', `unexpected error: ${errorText(error)}`);
    }
  }

  private acceptHandshake(handshake: Handshake): void {
    if (!bytesEqual(handshake.infoHash, this.options.infoHash)) {
      throw new PeerFailure('wrong-info-hash', `its handshake names another torrent (${toHex(handshake.infoHash)})`);
    }
    this.handshake = handshake;
    this.handshakeMs = Date.now() - this.startedAt;
    this.flags = {
      extensionProtocol: hasReservedBit(handshake.reserved, 'extensionProtocol'),
      fast: hasReservedBit(handshake.reserved, 'fast'),
      dht: hasReservedBit(handshake.reserved, 'dht'),
      v2: hasReservedBit(handshake.reserved, 'v2'),
    };
    this.client = clientFromPeerId(handshake.peerId);
    // BEP 6: with the fast extension on both sides, the first message must say what we have: nothing.
    if (this.flags.fast) this.socket.write(encodeMessage(MESSAGE.haveNone));
    if (this.flags.extensionProtocol && this.options.extensionHandshake)
      this.socket.write(encodeExtended(0, this.options.extensionHandshake));
    this.options.onHandshake?.(this);
  }

  private dispatch(message: WireMessage): void {
    if (message.type === 'extended' && message.extensionId === 0) {
      if (this.extension !== undefined) return; // a repeated handshake only updates; the first one tells us enough
      let document: BencodeDocument;
      try {
        document = decode(message.payload, { maxDepth: 8 });
      } catch (error) {
        throw new PeerFailure('protocol-error', `its extension handshake is not bencode (${errorText(error)})`);
      }
      if (!document.isDict(document.root)) throw new PeerFailure('protocol-error', 'its extension handshake is not a dictionary');
      this.extension = readExtensionHandshake(document);
      if (this.client === undefined && this.extension.client !== undefined) this.client = this.extension.client;
      this.options.onExtensionHandshake?.(this, this.extension, document);
      return;
    }
    this.options.onMessage?.(this, message);
  }

  private onSocketError(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const where = `${this.options.host}:${this.options.port}`;
    if (code === 'ECONNREFUSED') this.end('refused', `connection refused (nothing listens on ${where})`);
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
      this.end('unreachable', `could not resolve the host name "${this.options.host}" (${code})`);
    else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')
      this.end('unreachable', `no route to ${where} (${code})`);
    else if (code === 'ECONNRESET' || code === 'EPIPE') this.end('closed', this.closedWords('reset the connection'));
    else this.end('unreachable', `${error.message.split('\n')[0]}${code ? ` (${code})` : ''}`);
  }

  private onClose(): void {
    this.end('closed', this.closedWords('closed the connection'));
  }

  private closedWords(what: string): string {
    if (this.handshake === undefined)
      return `the peer ${what} before its handshake${this.reader.buffered ? ` (${this.reader.buffered} bytes in)` : ''}`;
    return `the peer ${what} after ${Date.now() - this.startedAt} ms`;
  }
}

/** Text from a peer: printable, at most 100 characters. */
function peerText(bytes: Uint8Array): string {
  const text = visibleText(new TextDecoder().decode(bytes));
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function intOf(doc: BencodeDocument, t: Token): number | undefined {
  if (t < 0 || !doc.isInt(t)) return undefined;
  const value = doc.int(t);
  return typeof value === 'number' ? value : undefined;
}

/** The parts of a BEP 10 handshake we show or use; values of the wrong type are left out. */
export function readExtensionHandshake(doc: BencodeDocument): ExtensionInfo {
  const root = doc.root;
  const info: ExtensionInfo = { extensions: {} };
  const m = doc.get(root, 'm');
  if (m >= 0 && doc.isDict(m)) {
    for (const [key, value] of doc.entries(m)) {
      const id = intOf(doc, value);
      // Id 0 switches an extension off (BEP 10); ids travel in one byte.
      if (id !== undefined && id > 0 && id < 256) info.extensions[peerText(doc.bytes(key))] = id;
    }
  }
  const v = doc.get(root, 'v');
  if (v >= 0 && doc.isBytes(v)) info.client = peerText(doc.bytes(v));
  const size = intOf(doc, doc.get(root, 'metadata_size'));
  if (size !== undefined) info.metadataSize = size;
  const yourIp = doc.get(root, 'yourip');
  if (yourIp >= 0 && doc.isBytes(yourIp)) {
    const bytes = doc.bytes(yourIp);
    if (bytes.length === 4) info.yourIp = ipv4Text(bytes);
    else if (bytes.length === 16) info.yourIp = ipv6Text(bytes);
  }
  const reqq = intOf(doc, doc.get(root, 'reqq'));
  if (reqq !== undefined && reqq > 0) info.requestQueue = reqq;
  const p = intOf(doc, doc.get(root, 'p'));
  if (p !== undefined && p > 0 && p < 65536) info.listenPort = p;
  const e = intOf(doc, doc.get(root, 'e'));
  if (e !== undefined) info.encryption = e !== 0;
  const uploadOnly = intOf(doc, doc.get(root, 'upload_only'));
  if (uploadOnly !== undefined) info.uploadOnly = uploadOnly !== 0;
  return info;
}

/** Our address as `yourip` carries it: 4 or 16 raw bytes. */
export function addressBytes(host: string): Uint8Array | undefined {
  const family = net.isIP(host);
  if (family === 4) return Uint8Array.from(host.split('.').map(Number));
  if (family !== 6) return undefined;
  const [head, tail = ''] = host.split('::');
  const parts = (text: string) => (text === '' ? [] : text.split(':'));
  let groups = [...parts(head)];
  let tailGroups = parts(tail);
  // An embedded IPv4 address (::ffff:1.2.3.4) is two groups.
  const last = tailGroups.length ? tailGroups[tailGroups.length - 1] : groups[groups.length - 1];
  if (last?.includes('.')) {
    const v4 = last.split('.').map(Number);
    const pair = [((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16)];
    if (tailGroups.length) tailGroups = [...tailGroups.slice(0, -1), ...pair];
    else groups = [...groups.slice(0, -1), ...pair];
  }
  const zeros = host.includes('::') ? 8 - groups.length - tailGroups.length : 0;
  const all = [...groups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = parseInt(g.split('%')[0], 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}
