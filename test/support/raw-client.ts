// A deliberately minimal tracker client for tests, written apart from src/core so that the peers a test
// puts into a real tracker do not depend on the code under test.
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import WebSocket from 'ws';

export interface FakePeer {
  /** 20-character ASCII peer id. */
  peerId: string;
  port: number;
  /** Bytes left: 0 makes the peer a seeder. */
  left: number;
  /** Where the tracker should think the peer is (HTTP to a tracker that trusts X-Forwarded-For). */
  ip?: string;
}

function encodeAll(bytes: Uint8Array): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** One raw HTTP announce; resolves with the raw body. */
export function rawHttpAnnounce(
  announceUrl: string,
  infoHashHex: string,
  peer: FakePeer,
  event = 'started',
  extraHeaders: Record<string, string> = {},
): Promise<Buffer> {
  const query = [
    `info_hash=${encodeAll(Buffer.from(infoHashHex, 'hex'))}`,
    `peer_id=${encodeAll(Buffer.from(peer.peerId, 'latin1'))}`,
    `port=${peer.port}`,
    'uploaded=0',
    'downloaded=0',
    `left=${peer.left}`,
    `event=${event}`,
    'compact=1',
    'numwant=0',
  ].join('&');
  const headers = { ...extraHeaders, ...(peer.ip ? { 'X-Forwarded-For': peer.ip } : {}) };
  return new Promise((resolve, reject) => {
    const request = http.get(`${announceUrl}?${query}`, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode !== 200 || body.includes('failure reason'))
          reject(new Error(`fake peer announce failed: HTTP ${response.statusCode} ${body.toString('latin1')}`));
        else resolve(body);
      });
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error('fake peer announce timed out')));
  });
}

/** One raw UDP connect + announce (BEP 15); resolves with the raw announce answer. */
export async function rawUdpAnnounce(host: string, port: number, infoHashHex: string, peer: FakePeer, event = 2): Promise<Buffer> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    const ask = (packet: Buffer) =>
      new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('fake peer UDP announce timed out')), 5000);
        socket.once('message', (message) => {
          clearTimeout(timer);
          resolve(message);
        });
        socket.send(packet, port, host);
      });
    const connect = Buffer.alloc(16);
    connect.writeBigUInt64BE(0x41727101980n, 0);
    connect.writeUInt32BE(0, 8);
    randomBytes(4).copy(connect, 12);
    const connected = await ask(connect);
    const announce = Buffer.alloc(98);
    connected.copy(announce, 0, 8, 16);
    announce.writeUInt32BE(1, 8);
    randomBytes(4).copy(announce, 12);
    Buffer.from(infoHashHex, 'hex').copy(announce, 16);
    Buffer.from(peer.peerId, 'latin1').copy(announce, 36);
    announce.writeBigUInt64BE(BigInt(peer.left), 64);
    announce.writeUInt32BE(event, 80);
    announce.writeInt32BE(0, 92);
    announce.writeUInt16BE(peer.port, 96);
    const answer = await ask(announce);
    if (answer.readUInt32BE(0) !== 1) throw new Error(`fake peer UDP announce failed: ${answer.subarray(8).toString('latin1')}`);
    return answer;
  } finally {
    socket.close();
  }
}

/** A fake WebTorrent peer in a WebSocket tracker's swarm: it stays there while its socket is open. */
export interface WsPeerConnection {
  /** The tracker's answer to the peer's announce. */
  answer: Record<string, unknown>;
  /** Leaves the swarm (the tracker takes a closed socket as a `stopped`). */
  close(): Promise<void>;
}

/** One raw WebSocket announce (WebTorrent's JSON, no WebRTC offers); the socket stays open. */
export function rawWsAnnounce(url: string, infoHashHex: string, peer: FakePeer): Promise<WsPeerConnection> {
  const socket = new WebSocket(url);
  const close = () =>
    new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once('close', () => resolve());
      socket.close();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake peer WebSocket announce timed out')), 5000);
    socket.once('error', reject);
    socket.once('open', () =>
      socket.send(
        JSON.stringify({
          action: 'announce',
          info_hash: Buffer.from(infoHashHex, 'hex').toString('latin1'),
          peer_id: peer.peerId,
          numwant: 0,
          uploaded: 0,
          downloaded: 0,
          left: peer.left,
          event: 'started',
          offers: [],
        }),
      ),
    );
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer);
      const answer = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if ('failure reason' in answer) reject(new Error(`fake peer WebSocket announce failed: ${String(answer['failure reason'])}`));
      else resolve({ answer, close });
    });
  });
}

/** `count` fake peers with distinct ports and peer ids, the first `seeders` of them complete. */
export function fakePeers(count: number, seeders: number, basePort: number, ip?: (i: number) => string): FakePeer[] {
  return Array.from({ length: count }, (_, i) => ({
    peerId: `-TR2940-${String(i).padStart(12, '0')}`,
    port: basePort + i,
    left: i < seeders ? 0 : 1000,
    ...(ip ? { ip: ip(i) } : {}),
  }));
}
