// Our own misbehaving peers on 127.0.0.1 and ::1: each connection runs a script that can answer as a good
// BitTorrent peer (handshake, extension handshake, metadata blocks, bitfield) or break the protocol in one
// chosen way. What the client sent is recorded, so tests can check it never asked for piece data.
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { decode, encode, type Encodable } from '../../src/core/bencode/decode';
import {
  bencodeValueEnd,
  encodeExtended,
  encodeHandshake,
  encodeMessage,
  MESSAGE,
  reservedBytes,
  WireReader,
  type Handshake,
  type HashRequest,
  type ReservedFlag,
  type WireMessage,
} from '../../src/core/peer/wire';

export const FAKE_PEER_ID = new TextEncoder().encode('-FK0100-fakepeer0001');
/** Our ut_metadata id in the fake's extension handshake. */
export const FAKE_UT_METADATA = 7;

/** One accepted connection, as the script sees it. */
export class FakeConnection {
  readonly received: WireMessage[] = [];
  handshake?: Handshake;
  private readonly reader = new WireReader({ bitfieldBytes: { max: 1 << 20 }, maxExtendedBytes: 1 << 20, maxOtherBytes: 1 << 20 });
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      try {
        if (!this.handshake) this.handshake = this.reader.handshake();
        if (this.handshake) for (let m = this.reader.next(); m; m = this.reader.next()) this.received.push(m);
      } catch {
        socket.destroy();
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `ready()` holds or the connection closes; resolves with whether it held. */
  async until(ready: () => boolean): Promise<boolean> {
    while (!ready()) {
      if (this.closed) return false;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return true;
  }

  send(bytes: Uint8Array): void {
    if (!this.closed) this.socket.write(bytes);
  }

  sendHandshake(infoHash: Uint8Array, flags: ReservedFlag[] = ['extensionProtocol', 'fast']): void {
    this.send(encodeHandshake({ reserved: reservedBytes(flags), infoHash, peerId: FAKE_PEER_ID }));
  }

  sendExtensionHandshake(fields: Record<string, Encodable>): void {
    this.send(encodeExtended(0, encode(fields)));
  }

  /** The ut_metadata messages the client sent, decoded: `[msg_type, piece]`. */
  metadataRequests(): [number, number][] {
    const out: [number, number][] = [];
    for (const m of this.received) {
      if (m.type !== 'extended' || m.extensionId !== FAKE_UT_METADATA) continue;
      const header = decode(m.payload.subarray(0, bencodeValueEnd(m.payload, 0)));
      const get = (key: string) => Number(header.int(header.get(header.root, key)));
      out.push([get('msg_type'), get('piece')]);
    }
    return out;
  }
}

export type FakeScript = (connection: FakeConnection) => Promise<void> | void;

export interface FakePeer {
  host: string;
  port: number;
  connections: FakeConnection[];
  stop(): Promise<void>;
}

export async function startFakePeer(script: FakeScript, host = '127.0.0.1'): Promise<FakePeer> {
  const connections: FakeConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = new FakeConnection(socket);
    connections.push(connection);
    void Promise.resolve(script(connection)).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A random info dictionary of about `bytes` bytes, and its hashes. */
export function fakeInfo(bytes: number, seed = 1): { info: Uint8Array; v1: string; v2: string } {
  let state = seed;
  const pieces = new Uint8Array(Math.ceil(bytes / 20) * 20).map(() => (state = (state * 1103515245 + 12345) & 0x7fffffff) & 0xff);
  const info = encode({ length: pieces.length * 16, name: `fake-${seed}`, 'piece length': 16384, pieces });
  return { info, v1: createHash('sha1').update(info).digest('hex'), v2: createHash('sha256').update(info).digest('hex') };
}

export function sha1Bytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export interface MetadataServing {
  infoHash: Uint8Array;
  info: Uint8Array;
  /** Changes a block before it is sent (a lying peer). */
  alter?: (piece: number, block: Uint8Array) => Uint8Array;
  /** Rejects every request instead. */
  reject?: boolean;
  /** The metadata_size to announce, if not the true one. */
  metadataSize?: number;
  /** More extension handshake fields. */
  extra?: Record<string, Encodable>;
  /** Sent after the handshake. */
  have?: Uint8Array;
  /** The message to send for a BEP 52 hash request (`hashes`, `hash reject`, anything), or nothing. */
  hashes?: (request: HashRequest) => Uint8Array | undefined;
}

/**
 * A good peer: handshake, extension handshake, then a metadata block for every request (and what `hashes` says for
 * every hash request), until the client leaves.
 */
export function servingMetadata(serving: MetadataServing): FakeScript {
  return async (c) => {
    if (!(await c.until(() => c.handshake !== undefined))) return;
    c.sendHandshake(serving.infoHash);
    if (serving.have) c.send(serving.have);
    c.sendExtensionHandshake({
      m: { ut_metadata: FAKE_UT_METADATA, ut_pex: 1 },
      v: 'FakePeer 1.0',
      metadata_size: serving.metadataSize ?? serving.info.length,
      reqq: 100,
      ...serving.extra,
    });
    let answered = 0;
    let seen = 0;
    for (;;) {
      if (!(await c.until(() => c.received.length > seen))) return;
      for (const m of c.received.slice(seen)) {
        const answer = m.type === 'hash-request' ? serving.hashes?.(m.request) : undefined;
        if (answer !== undefined) c.send(answer);
      }
      seen = c.received.length;
      const requests = c.metadataRequests();
      for (; answered < requests.length; answered++) {
        const [type, piece] = requests[answered];
        if (type !== 0) continue;
        const theirId = extensionIdOf(c, 'ut_metadata');
        if (serving.reject) {
          c.send(encodeExtended(theirId, encode({ msg_type: 2, piece })));
          continue;
        }
        let block = serving.info.subarray(piece * 16384, (piece + 1) * 16384);
        if (serving.alter) block = serving.alter(piece, block);
        const header = encode({ msg_type: 1, piece, total_size: serving.info.length });
        const body = new Uint8Array(header.length + block.length);
        body.set(header);
        body.set(block, header.length);
        c.send(encodeExtended(theirId, body));
      }
    }
  };
}

/** The id the client gave an extension in its extension handshake. */
export function extensionIdOf(c: FakeConnection, name: string): number {
  for (const m of c.received) {
    if (m.type === 'extended' && m.extensionId === 0) {
      const doc = decode(m.payload);
      const id = doc.get(doc.get(doc.root, 'm'), name);
      if (id >= 0) return Number(doc.int(id));
    }
  }
  throw new Error(`the client did not offer ${name}`);
}

export { encodeMessage, MESSAGE };
