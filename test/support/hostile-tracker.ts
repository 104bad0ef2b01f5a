// A misbehaving tracker on 127.0.0.1 for tests: each way a tracker can go wrong, over HTTP, UDP and
// WebSocket. HTTP and WebSocket pick the behaviour from the first path segment (`/slow/announce`,
// `/ws-silent/announce`); UDP gets one socket per behaviour (`await tracker.udpUrl('silent')`). Everything
// it receives is recorded for the tests to check.
import bencode from 'bencode';
import { WebSocketServer, type WebSocket } from 'ws';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as zlib from 'node:zlib';

export interface RecordedHttpRequest {
  behaviour: string;
  path: string;
  /** Query parameters, percent-decoded to raw bytes (binary values stay exact). */
  params: [string, Buffer][];
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
}

export interface RecordedUdpPacket {
  behaviour: string;
  action: number;
  connectionId: bigint;
  transactionId: number;
  infoHashes: string[];
  /** BEP 41 URL data, joined. */
  urlData?: string;
  event?: number;
  numwant?: number;
  port?: number;
  left?: bigint;
}

export interface RecordedWsMessage {
  behaviour: string;
  /** The request as parsed JSON. */
  message: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

export const HOSTILE_PEERS = Buffer.from([127, 0, 0, 1, 0x1a, 0xe1, 10, 9, 8, 7, 0xc8, 0xd5]); // 127.0.0.1:6881, 10.9.8.7:51413
export const HOSTILE_TRACKER_ID = 'hostile-42';

/** Dictionary peers with the peer ids of well-known clients, and one with a hostile ip string. */
export const DICT_PEERS = [
  { ip: '192.0.2.1', port: 6881, 'peer id': Buffer.from('-TR2940-k8hj0wgej6ch', 'latin1') },
  { ip: '192.0.2.2', port: 6882, 'peer id': Buffer.from('-qB4520-abcdefghijkl', 'latin1') },
  { ip: '2001:db8::7', port: 6883, 'peer id': Buffer.from('M4-4-0--9aa757efd5bc', 'latin1') },
  { ip: '192.0.2.4', port: 6884, 'peer id': Buffer.from('S58B-----abcdefghijk', 'latin1') },
  { ip: '192.0.2.5', port: 6885, 'peer id': Buffer.from('-ZZ0001-\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b', 'latin1') },
  { ip: '<img src=x onerror=alert(1)>', port: 6886, 'peer id': Buffer.from('-UT355W-abcdefghijkl', 'latin1') },
];

function decodeQuery(rawQuery: string): [string, Buffer][] {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      const bytes: number[] = [];
      for (let i = 0; i < value.length; i++) {
        if (value[i] === '%' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
          bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(value.charCodeAt(i) & 0xff);
      }
      return [decodeURIComponent(name), Buffer.from(bytes)];
    });
}

const announceOk = (extra: Record<string, unknown> = {}) =>
  Buffer.from(
    bencode.encode({
      interval: 1800,
      'min interval': 900,
      complete: 3,
      incomplete: 2,
      peers: HOSTILE_PEERS,
      'tracker id': HOSTILE_TRACKER_ID,
      ...extra,
    }),
  );

export interface HostileTracker {
  /** `http://127.0.0.1:PORT/<behaviour>/<last>` (last: `announce` unless given). */
  httpUrl(behaviour: string, last?: string): string;
  /** A `udp://` URL whose socket behaves as named; `pathAndQuery` travels as BEP 41 URL data. */
  udpUrl(behaviour: string, pathAndQuery?: string): Promise<string>;
  /** `ws://127.0.0.1:PORT/<behaviour>/announce`: a WebSocket (WebTorrent) tracker behaving as named. */
  wsUrl(behaviour: string): string;
  httpRequests: RecordedHttpRequest[];
  udpPackets: RecordedUdpPacket[];
  wsMessages: RecordedWsMessage[];
  /** Bytes the `huge` behaviour managed to send before the client hung up. */
  hugeBytesSent(): number;
  stop(): Promise<void>;
}

export async function startHostileTracker(): Promise<HostileTracker> {
  const httpRequests: RecordedHttpRequest[] = [];
  const udpPackets: RecordedUdpPacket[] = [];
  const wsMessages: RecordedWsMessage[] = [];
  const sockets = new Set<Socket>();
  let hugeSent = 0;

  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
    const rawQuery = queryAt >= 0 ? url.slice(queryAt + 1) : '';
    const behaviour = path.split('/')[1] ?? '';
    const params = decodeQuery(rawQuery);
    httpRequests.push({ behaviour, path, params, rawQuery, headers: request.headers });
    const isScrape = path.endsWith('/scrape') || path.includes('/scrape.');
    const send = (status: number, body: Uint8Array | string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
      response.end(typeof body === 'string' ? body : Buffer.from(body));
    };
    const hashes = params.filter(([name]) => name === 'info_hash').map(([, value]) => value);

    if (isScrape) {
      const files = new Map<Buffer, Record<string, number>>();
      hashes.forEach((hash, i) => files.set(hash, { complete: 10 + i, incomplete: 20 + i, downloaded: 30 + i, downloaders: 5 }));
      switch (behaviour) {
        case 'failure':
          return send(200, bencode.encode({ 'failure reason': 'scrape is disabled here' }));
        case 'echo-request':
          return send(200, bencode.encode({ 'failure reason': `unknown passkey in "GET ${url} HTTP/1.1"` }));
        case 'redirect-relative':
          return send(307, '', { Location: `/ok/${path.split('/').slice(2).join('/')}?${rawQuery}` });
        case 'html':
          return send(200, '<html><body><h1>Scrape is down for maintenance</h1></body></html>', { 'Content-Type': 'text/html' });
        case 'no-files':
          return send(200, bencode.encode({ flags: { min_request_interval: 600 } }));
        case 'files-not-dict':
          return send(200, bencode.encode({ files: [1, 2] }));
        case 'utf8-keys': {
          // bittorrent-tracker's bug: the 20 key bytes taken as latin-1 characters and written as UTF-8.
          const entries = hashes.map((hash, i) => {
            const key = Buffer.from(hash.toString('latin1'), 'utf8');
            const value = Buffer.from(bencode.encode({ complete: 10 + i, downloaded: 30 + i, incomplete: 20 + i }));
            return Buffer.concat([Buffer.from(`${key.length}:`), key, value]);
          });
          return send(200, Buffer.concat([Buffer.from('d5:filesd'), ...entries, Buffer.from('ee')]));
        }
        default: {
          // Raw bytes as keys; bencode sorts them.
          const parts = [...files]
            .sort(([a], [b]) => Buffer.compare(a, b))
            .map(([key, value]) => Buffer.concat([Buffer.from(`${key.length}:`), key, Buffer.from(bencode.encode(value))]));
          return send(200, Buffer.concat([Buffer.from('d5:filesd'), ...parts, Buffer.from('e5:flagsd20:min_request_intervali600eee')]));
        }
      }
    }

    switch (behaviour) {
      case 'ok':
      case 'tracker':
        return send(200, announceOk());
      case 'slow':
        return; // never answers
      case 'delayed':
        setTimeout(() => send(200, announceOk()), 100);
        return;
      case 'slow-body':
        response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
        response.write('d8:intervali1800e');
        return; // and stalls
      case 'huge': {
        // Streams without end (no Content-Length) until the client hangs up.
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (!response.destroyed && hugeSent < 512 * 1024 * 1024) {
            hugeSent += chunk.length;
            if (!response.write(chunk)) return response.once('drain', pump);
          }
        };
        response.write('d8:intervali1800e5:peers999999999:');
        pump();
        return;
      }
      case 'huge-declared':
        response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(50 * 1024 * 1024) });
        response.write('d8:intervali1800e');
        return;
      case 'gzip':
        return send(200, zlib.gzipSync(announceOk()), { 'Content-Encoding': 'gzip' });
      case 'gzip-bomb':
        return send(200, zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'Content-Encoding': 'gzip' });
      case 'malformed':
        return send(200, 'd8:intervali1800e5:peers20:abc');
      case 'not-a-dict':
        return send(200, 'l8:intervali1800ee');
      case 'empty':
        return send(200, '');
      case 'html':
        return send(200, '<html><body><h1>Tracker is down for maintenance</h1></body></html>', { 'Content-Type': 'text/html' });
      case 'not-found':
        return send(404, 'No such tracker here');
      case 'server-error':
        return send(500, 'Internal explosion\n');
      case 'busy-429':
        return send(429, 'slow down', { 'Retry-After': '120' });
      case 'busy-503':
        return send(503, 'back soon', { 'Retry-After': new Date(Date.now() + 90_000).toUTCString() });
      case 'busy-503-absurd':
        return send(503, 'back much later', { 'Retry-After': '99999999999999999999' });
      case 'absurd-min-interval':
        return send(200, announceOk({ 'min interval': 1_000_000_000_000 }));
      case 'absurd-interval':
        // 2^40 seconds: about 35,000 years.
        return send(200, announceOk({ interval: 1_099_511_627_776, 'min interval': 1_099_511_627_776 }));
      case 'big-counts':
        // Big counts, to see them worded with thousands separators.
        return send(200, announceOk({ complete: 1_234_567, incomplete: 89_012, downloaded: 3_456_789 }));
      case 'failure-400':
        return send(400, bencode.encode({ 'failure reason': 'passkey not found' }));
      case 'loop':
        return send(302, '', { Location: url });
      case 'loop-a':
        return send(302, '', { Location: url.replace('/loop-a/', '/loop-b/') });
      case 'loop-b':
        return send(302, '', { Location: url.replace('/loop-b/', '/loop-a/') });
      case 'chain': {
        const n = Number(path.split('/')[2]) || 0;
        return send(302, '', { Location: `/chain/${n + 1}/announce?${rawQuery}` });
      }
      case 'ftp':
        return send(302, '', { Location: 'ftp://127.0.0.1/announce' });
      case 'file':
        return send(301, '', { Location: 'file:///etc/passwd' });
      case 'redirect-ok':
        return send(307, '', { Location: `/ok/announce?${rawQuery}` });
      case 'redirect-relative':
        // Keeps the rest of the path (a passkey, say) and the query: `/redirect-relative/KEY/announce` → `/ok/KEY/announce`.
        return send(307, '', { Location: `/ok/${path.split('/').slice(2).join('/')}?${rawQuery}` });
      case 'echo-request':
        // Private trackers quote the request line back when they refuse it, passkey and all.
        return send(200, bencode.encode({ 'failure reason': `unknown passkey in "GET ${url} HTTP/1.1"` }));
      case 'reset':
        request.socket.destroy();
        return;
      case 'failure':
        return send(200, bencode.encode({ 'failure reason': 'torrent not registered with this tracker' }));
      case 'retry':
        return send(200, bencode.encode({ 'failure reason': 'tracker overloaded', 'retry in': 30 }));
      case 'retry-never':
        return send(200, bencode.encode({ 'failure reason': 'banned client', 'retry in': 'never' }));
      case 'warning':
        return send(200, announceOk({ 'warning message': 'your client is outdated' }));
      case 'dict-peers':
        return send(200, bencode.encode({ interval: 1800, complete: 1, incomplete: 5, peers: DICT_PEERS }));
      case 'peers6':
        return send(
          200,
          bencode.encode({
            interval: 1800,
            complete: 1,
            incomplete: 1,
            peers: HOSTILE_PEERS,
            peers6: Buffer.from([
              ...Buffer.from('00000000000000000000000000000001', 'hex'),
              0x1a,
              0xe1,
              ...Buffer.from('20010db8000000000000000000000042', 'hex'),
              0x00,
              0x50,
            ]),
          }),
        );
      case 'external-ip':
        return send(200, announceOk({ 'external ip': Buffer.from([203, 0, 113, 7]) }));
      case 'external-ip6':
        return send(200, announceOk({ 'external ip': Buffer.from('20010db8000000000000000000000099', 'hex') }));
      case 'noncanonical':
        return send(200, 'd8:intervali1800e8:completei4e10:incompletei1e5:peers0:e');
      case 'hostile-text':
        return send(200, bencode.encode({ 'failure reason': 'bad \x1b[31mred\x07 <script>alert(1)</script>\r\nline' }));
      default:
        return send(404, `unknown behaviour ${behaviour}`);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // WebSocket behaviours answer WebTorrent's JSON messages; any other upgrade is refused with a 404.
  const wsServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (request, socket, head) => {
    const behaviour = (request.url ?? '/').split(/[/?]/)[1] ?? '';
    if (!behaviour.startsWith('ws-')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.on('message', (data: Buffer) => {
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
        } catch {
          return;
        }
        wsMessages.push({ behaviour, message, headers: request.headers });
        answerWs(behaviour, ws, message);
      });
    });
  });

  function answerWs(behaviour: string, ws: WebSocket, message: Record<string, unknown>): void {
    const send = (answer: unknown) => ws.send(typeof answer === 'string' ? answer : JSON.stringify(answer));
    const infoHash = message.info_hash;
    if (message.action === 'scrape') {
      const hashes = Array.isArray(infoHash) ? (infoHash as string[]) : [String(infoHash)];
      const files = Object.fromEntries(hashes.map((hash, i) => [hash, { complete: 7 + i, incomplete: 8 + i, downloaded: 9 + i }]));
      switch (behaviour) {
        case 'ws-no-files':
          return send({ action: 'scrape', flags: { min_request_interval: 60 } });
        default:
          return send({ action: 'scrape', files, flags: { min_request_interval: 60 } });
      }
    }
    const ok = { action: 'announce', interval: 120, complete: 4, incomplete: 1, info_hash: infoHash };
    switch (behaviour) {
      case 'ws-ok':
        return send(ok);
      case 'ws-offers-first':
        // Another peer's WebRTC offer, relayed before our answer: not the answer.
        send({
          action: 'announce',
          offer: { type: 'offer', sdp: 'v=0' },
          offer_id: 'x1',
          peer_id: '-WW0100-000000000001',
          info_hash: infoHash,
        });
        return send(ok);
      case 'ws-failure':
        return send({ action: 'announce', 'failure reason': 'torrent not registered here', info_hash: infoHash });
      case 'ws-warning':
        return send({ ...ok, 'warning message': 'your client is outdated' });
      case 'ws-hostile-text':
        return send({ 'failure reason': 'bad \x1b[31mred\x07 <script>alert(1)</script>\r\nline' });
      case 'ws-bad-numbers':
        return send({ action: 'announce', interval: 1e20, complete: -1, incomplete: '5', info_hash: infoHash });
      case 'ws-silent':
        return;
      case 'ws-huge':
        return send(JSON.stringify({ action: 'announce', padding: 'x'.repeat(2 * 1024 * 1024) }));
      case 'ws-garbage':
        return send('this is not JSON {');
      case 'ws-not-object':
        return send('[1, 2, 3]');
      case 'ws-close':
        return ws.close(1011, 'overloaded');
      default:
        return send({ 'failure reason': `unknown behaviour ${behaviour}` });
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const httpPort = (server.address() as AddressInfo).port;

  const udpSockets = new Map<string, dgram.Socket>();
  const udpPorts = new Map<string, number>();
  const issuedIds = new Set<bigint>();
  let dropFirstConnect = true;

  function handleUdp(behaviour: string, socket: dgram.Socket, packet: Buffer, rinfo: dgram.RemoteInfo): void {
    if (packet.length < 16) return;
    const connectionId = packet.readBigUInt64BE(0);
    const action = packet.readUInt32BE(8);
    const tid = packet.readUInt32BE(12);
    const record: RecordedUdpPacket = { behaviour, action, connectionId, transactionId: tid, infoHashes: [] };
    if (action === 1 && packet.length >= 98) {
      record.infoHashes.push(packet.subarray(16, 36).toString('hex'));
      record.left = packet.readBigUInt64BE(64);
      record.event = packet.readUInt32BE(80);
      record.numwant = packet.readInt32BE(92);
      record.port = packet.readUInt16BE(96);
      // BEP 41 options
      let urlData = '';
      let hasUrlData = false;
      for (let p = 98; p < packet.length;) {
        const type = packet[p];
        if (type === 0) break;
        if (type === 1) {
          p++;
          continue;
        }
        const length = packet[p + 1];
        if (type === 2) {
          hasUrlData = true;
          urlData += packet.subarray(p + 2, p + 2 + length).toString('latin1');
        }
        p += 2 + length;
      }
      if (hasUrlData) record.urlData = urlData;
    }
    if (action === 2) for (let p = 16; p + 20 <= packet.length; p += 20) record.infoHashes.push(packet.subarray(p, p + 20).toString('hex'));
    udpPackets.push(record);

    const send = (buffer: Uint8Array) => {
      try {
        socket.send(Buffer.from(buffer), rinfo.port, rinfo.address);
      } catch {
        // stopped meanwhile
      }
    };
    const reply = (buffer: Uint8Array) => (behaviour === 'delayed' ? void setTimeout(() => send(buffer), 100) : send(buffer));
    const header = (act: number, transaction = tid) => {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(act, 0);
      b.writeUInt32BE(transaction, 4);
      return b;
    };
    const error = (message: string) => reply(Buffer.concat([header(3), Buffer.from(message)]));
    if (behaviour === 'silent') return;
    if (behaviour === 'short-garbage') return reply(Buffer.from([1, 2, 3]));

    if (action === 0) {
      if (connectionId !== 0x41727101980n) return error('bad protocol id');
      if (behaviour === 'drop-first-connect' && dropFirstConnect) {
        dropFirstConnect = false;
        return;
      }
      const id = BigInt.asUintN(64, BigInt(Date.now()) * 7919n + BigInt(issuedIds.size));
      issuedIds.add(id);
      const answer = Buffer.alloc(16);
      header(0).copy(answer);
      answer.writeBigUInt64BE(id, 8);
      if (behaviour === 'wrong-transaction-id') {
        // A stray answer with someone else's transaction id first; the client must ignore it.
        const stray = Buffer.from(answer);
        stray.writeUInt32BE((tid ^ 0xffffffff) >>> 0, 4);
        reply(stray);
      }
      return reply(answer);
    }
    if (!issuedIds.has(connectionId)) return error('Connection ID missmatch.');
    switch (behaviour) {
      case 'truncated':
        return reply(Buffer.concat([header(action), Buffer.from([0, 0, 7, 8])]));
      case 'short-scrape':
        // Counts for the first hash only, however many were asked for.
        if (action === 2) return reply(Buffer.concat([header(2), Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])]));
        break;
      case 'error':
        return error('torrent not registered here');
      case 'echo-url-data':
        return error(`unknown passkey in ${record.urlData ?? '(no URL data)'}`);
      case 'unknown-action':
        return reply(Buffer.concat([header(7), Buffer.alloc(12)]));
      case 'wrong-action':
        return reply(Buffer.concat([header(action === 1 ? 2 : 1), Buffer.alloc(12)]));
    }
    if (action === 1) {
      const counts = Buffer.alloc(12);
      counts.writeUInt32BE(1800, 0);
      counts.writeUInt32BE(2, 4); // leechers
      counts.writeUInt32BE(3, 8); // seeders
      const peers =
        behaviour === 'ipv6'
          ? Buffer.from([
              ...Buffer.from('20010db8000000000000000000000001', 'hex'),
              0x1a,
              0xe1,
              ...Buffer.from('00000000000000000000ffffc0000201', 'hex'),
              0x1a,
              0xe2,
            ])
          : HOSTILE_PEERS;
      const answer = Buffer.concat([header(1), counts, peers]);
      if (behaviour === 'wrong-transaction-id') {
        const stray = Buffer.from(answer);
        stray.writeUInt32BE((tid + 1) >>> 0, 4);
        reply(stray);
      }
      return reply(answer);
    }
    if (action === 2) {
      const counts = record.infoHashes.map((_, i) => {
        const b = Buffer.alloc(12);
        b.writeUInt32BE(10 + i, 0); // seeders
        b.writeUInt32BE(30 + i, 4); // completed
        b.writeUInt32BE(20 + i, 8); // leechers
        return b;
      });
      return reply(Buffer.concat([header(2), ...counts]));
    }
    return error(`unknown action ${action}`);
  }

  return {
    httpUrl: (behaviour, last = 'announce') => `http://127.0.0.1:${httpPort}/${behaviour}/${last}`,
    async udpUrl(behaviour, pathAndQuery = '') {
      let port = udpPorts.get(behaviour);
      if (port === undefined) {
        const ipv6 = behaviour === 'ipv6';
        const socket = dgram.createSocket(ipv6 ? 'udp6' : 'udp4');
        socket.on('message', (packet, rinfo) => handleUdp(behaviour, socket, packet, rinfo));
        await new Promise<void>((resolve) => socket.bind(0, ipv6 ? '::1' : '127.0.0.1', resolve));
        port = socket.address().port;
        udpSockets.set(behaviour, socket);
        udpPorts.set(behaviour, port);
      }
      return behaviour === 'ipv6' ? `udp://[::1]:${port}${pathAndQuery}` : `udp://127.0.0.1:${port}${pathAndQuery}`;
    },
    wsUrl: (behaviour) => `ws://127.0.0.1:${httpPort}/${behaviour}/announce`,
    httpRequests,
    udpPackets,
    wsMessages,
    hugeBytesSent: () => hugeSent,
    async stop() {
      for (const socket of udpSockets.values()) socket.close();
      for (const client of wsServer.clients) client.terminate();
      wsServer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
