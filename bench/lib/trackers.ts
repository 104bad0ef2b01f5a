// Trackers for the announce benchmark, each on its own port on 127.0.0.1: HTTP (BEP 3, 23, 48) or UDP
// (BEP 15), answering after a set delay, or never (a tracker that accepts and then says nothing).
// UDP trackers answer `connect` at once and delay the announce or scrape answer.
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encode } from '../../src/core/bencode/decode';

export interface TrackerSpec {
  protocol: 'http' | 'udp';
  /** Milliseconds before the answer, or `never`. */
  delay: number | 'never';
}

export interface BenchTracker extends TrackerSpec {
  url: string;
}

export interface BenchTrackers {
  trackers: BenchTracker[];
  /** Requests received, by URL (announce and scrape). */
  received: Map<string, number>;
  stop(): Promise<void>;
}

const PEER_COUNT = 50;
/** 50 compact IPv4 peers (192.0.2.x, TEST-NET-1: never contacted). */
const COMPACT_PEERS = Buffer.alloc(PEER_COUNT * 6);
for (let i = 0; i < PEER_COUNT; i++) {
  COMPACT_PEERS.set([192, 0, 2, i + 1], i * 6);
  COMPACT_PEERS.writeUInt16BE(6881 + i, i * 6 + 4);
}

/** Query parameters with their values percent-decoded to raw bytes (info_hash is binary). */
function queryBytes(query: string, name: string): Buffer[] {
  const out: Buffer[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    const value = pair.slice(eq + 1);
    const bytes: number[] = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '%') {
        bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(value.charCodeAt(i) & 0xff);
    }
    out.push(Buffer.from(bytes));
  }
  return out;
}

function httpAnswer(path: string, query: string): Uint8Array {
  if (path.endsWith('/scrape')) {
    const files = new Map<Uint8Array, { complete: number; downloaded: number; incomplete: number }>();
    for (const hash of queryBytes(query, 'info_hash')) files.set(hash, { complete: 12, downloaded: 345, incomplete: 6 });
    return encode({ files });
  }
  return encode({ complete: 12, incomplete: 6, interval: 1800, 'min interval': 900, peers: COMPACT_PEERS });
}

async function startHttp(spec: TrackerSpec, count: (url: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let url = '';
  const server = http.createServer((request, response) => {
    count(url);
    if (spec.delay === 'never') return; // holds the connection open; the client's deadline must end it
    const [path, query = ''] = (request.url ?? '/').split('?');
    const body = httpAnswer(path, query);
    const timer = setTimeout(() => {
      timers.delete(timer);
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
      response.end(body);
    }, spec.delay);
    timers.add(timer);
  });
  server.keepAliveTimeout = 1;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/announce`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function startUdp(spec: TrackerSpec, count: (url: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  const timers = new Set<NodeJS.Timeout>();
  let url = '';
  socket.on('message', (packet, from) => {
    if (packet.length < 16) return;
    const action = packet.readUInt32BE(8);
    const transaction = packet.readUInt32BE(12);
    if (action !== 0) count(url);
    if (spec.delay === 'never') return;
    let reply: Buffer;
    if (action === 0) {
      reply = Buffer.alloc(16);
      reply.writeUInt32BE(0, 0);
      reply.writeUInt32BE(transaction, 4);
      reply.writeBigUInt64BE(0x0123456789abcdefn, 8);
      socket.send(reply, from.port, from.address);
      return;
    }
    if (action === 1) {
      reply = Buffer.alloc(20 + COMPACT_PEERS.length);
      reply.writeUInt32BE(1, 0);
      reply.writeUInt32BE(transaction, 4);
      reply.writeUInt32BE(1800, 8);
      reply.writeUInt32BE(6, 12);
      reply.writeUInt32BE(12, 16);
      COMPACT_PEERS.copy(reply, 20);
    } else if (action === 2) {
      const hashes = Math.floor((packet.length - 16) / 20);
      reply = Buffer.alloc(8 + hashes * 12);
      reply.writeUInt32BE(2, 0);
      reply.writeUInt32BE(transaction, 4);
      for (let i = 0; i < hashes; i++) {
        reply.writeUInt32BE(12, 8 + i * 12);
        reply.writeUInt32BE(345, 12 + i * 12);
        reply.writeUInt32BE(6, 16 + i * 12);
      }
    } else return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      socket.send(reply, from.port, from.address);
    }, spec.delay);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  url = `udp://127.0.0.1:${socket.address().port}/announce`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        socket.close(() => resolve());
      }),
  };
}

export async function startBenchTrackers(specs: TrackerSpec[]): Promise<BenchTrackers> {
  const received = new Map<string, number>();
  const count = (url: string) => received.set(url, (received.get(url) ?? 0) + 1);
  const started = await Promise.all(specs.map((spec) => (spec.protocol === 'http' ? startHttp(spec, count) : startUdp(spec, count))));
  return {
    trackers: specs.map((spec, i) => ({ ...spec, url: started[i].url })),
    received,
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}
