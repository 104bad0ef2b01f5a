// Starts the npm `bittorrent-tracker` server on 127.0.0.1 (HTTP and UDP, and WebSocket on the HTTP port when
// asked) and ::1 (UDP) for a test file. It trusts X-Forwarded-For so that tests can place fake peers at chosen
// addresses, IPv6 included.
import { Server } from 'bittorrent-tracker';
import type { AddressInfo } from 'node:net';

export interface BittorrentTracker {
  httpAnnounce: string;
  udpAnnounce: string;
  udp6Announce: string;
  /** `ws://127.0.0.1:PORT` when started with `ws: true`, on the HTTP port (WebTorrent's WebSocket protocol). */
  wsAnnounce: string;
  /** Warnings the server emitted (bad requests it refused). */
  warnings: string[];
  stop(): Promise<void>;
}

export async function startBittorrentTracker(options: { interval?: number; ws?: boolean } = {}): Promise<BittorrentTracker> {
  const server = new Server({
    http: true,
    udp: true,
    ws: options.ws === true,
    stats: false,
    trustProxy: true,
    interval: options.interval ?? 1_800_000,
  });
  const warnings: string[] = [];
  server.on('warning', (error: Error) => warnings.push(error.message));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A hostname object: its udp6 socket cannot bind to an IPv4 address.
    server.listen({ http: 0, udp: 0 }, { http: '127.0.0.1', udp: '127.0.0.1', udp6: '::1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const httpPort = (server.http!.address() as AddressInfo).port;
  const udpPort = (server.udp4!.address() as AddressInfo).port;
  const udp6Port = (server.udp6!.address() as AddressInfo).port;
  return {
    httpAnnounce: `http://127.0.0.1:${httpPort}/announce`,
    udpAnnounce: `udp://127.0.0.1:${udpPort}`,
    udp6Announce: `udp://[::1]:${udp6Port}`,
    wsAnnounce: `ws://127.0.0.1:${httpPort}`,
    warnings,
    stop: () =>
      new Promise<void>((resolve) => {
        server.http?.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
