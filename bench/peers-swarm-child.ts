// A swarm of local peers for the probe benchmark, in a process of its own so that serving them costs the
// measured process nothing: `alive` peers that answer (half seeds with have all, half with a random bitfield),
// `silent` ones that accept and never answer, and `refused` ports where nothing listens.
//   node peers-swarm-child.mjs INFOHASH PIECES ALIVE SILENT REFUSED
// Prints one JSON line {peers: [{port, kind}]} when listening; ends when its standard input closes.
import * as net from 'node:net';
import { encode } from '../src/core/bencode/decode';
import { encodeExtended, encodeHandshake, encodeMessage, HANDSHAKE_BYTES, MESSAGE, reservedBytes } from '../src/core/peer/wire';

const [infoHashHex, piecesText, aliveText, silentText, refusedText] = process.argv.slice(2);
const infoHash = Uint8Array.from(Buffer.from(infoHashHex, 'hex'));
const pieceCount = Number(piecesText);
const sockets = new Set<net.Socket>();
const servers: net.Server[] = [];

function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function alive(index: number): (socket: net.Socket) => void {
  const seed = index % 2 === 0;
  const bits = new Uint8Array(Math.ceil(pieceCount / 8));
  for (let i = 0; i < pieceCount; i++) if ((i * 7919 + index * 104729) % 3 !== 0) bits[i >> 3] |= 0x80 >> (i & 7);
  return (socket) => {
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      const before = received;
      received += chunk.length;
      if (before >= HANDSHAKE_BYTES || received < HANDSHAKE_BYTES) return;
      const peerId = new TextEncoder().encode(`-BS0100-${String(index).padStart(12, '0')}`);
      socket.write(encodeHandshake({ reserved: reservedBytes(['extensionProtocol', 'fast']), infoHash, peerId }));
      socket.write(seed ? encodeMessage(MESSAGE.haveAll) : encodeMessage(MESSAGE.bitfield, bits));
      socket.write(encodeExtended(0, encode({ m: { ut_pex: 1 }, v: `BenchPeer ${index}`, e: index % 3 === 0 ? 1 : 0 })));
    });
  };
}

const peers: { port: number; kind: string }[] = [];
for (let i = 0; i < Number(aliveText); i++) peers.push({ port: await listen(alive(i)), kind: 'alive' });
for (let i = 0; i < Number(silentText); i++) peers.push({ port: await listen(() => {}), kind: 'silent' });
for (let i = 0; i < Number(refusedText); i++) {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
  peers.push({ port, kind: 'refused' });
}
// Alive, silent and refused peers mixed, as a tracker would list them.
peers.sort((a, b) => ((a.port * 2654435761) % 997) - ((b.port * 2654435761) % 997));
process.stdout.write(`${JSON.stringify({ peers })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  for (const s of sockets) s.destroy();
  for (const server of servers) server.close();
  process.exit(0);
});
