// The part of npm `bittorrent-tracker` (which ships no types) that the tests use.
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events';
  import type * as dgram from 'node:dgram';
  import type * as http from 'node:http';

  export class Server extends EventEmitter {
    constructor(options?: { http?: boolean; udp?: boolean; ws?: boolean; stats?: boolean; trustProxy?: boolean; interval?: number });
    http: http.Server | null;
    udp4: dgram.Socket | null;
    udp6: dgram.Socket | null;
    listen(
      port: number | { http?: number; udp?: number },
      hostname: string | { http?: string; udp?: string; udp6?: string },
      onListening?: () => void,
    ): void;
    close(callback?: () => void): void;
  }

  export class Client extends EventEmitter {
    constructor(options: {
      infoHash: string | Uint8Array;
      peerId: string | Uint8Array;
      announce: string[];
      port: number;
      getAnnounceOpts?: () => Record<string, unknown>;
    });
    start(options?: Record<string, unknown>): void;
    stop(options?: Record<string, unknown>): void;
    scrape(options?: Record<string, unknown>): void;
    destroy(callback?: () => void): void;
  }
  export default Client;
}
