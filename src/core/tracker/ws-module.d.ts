// The part of npm `ws` (which ships no types) that the WebSocket tracker client and the tests' trackers use.
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
  import type { Duplex } from 'node:stream';

  export interface ClientOptions {
    /** Largest message accepted, in bytes (a fragmented message counts whole); a larger one fails the connection. */
    maxPayload?: number;
    /** Offer permessage-deflate (compression); off, no message is inflated. */
    perMessageDeflate?: boolean;
    followRedirects?: boolean;
    /** How long to wait for the server's close frame before destroying the socket (ms). */
    closeTimeout?: number;
    headers?: OutgoingHttpHeaders;
  }

  export class WebSocket extends EventEmitter {
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    static readonly CLOSING: 2;
    static readonly CLOSED: 3;
    constructor(address: string, options?: ClientOptions);
    readonly readyState: 0 | 1 | 2 | 3;
    send(data: string, callback?: (error?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    on(event: 'open', listener: () => void): this;
    on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
    on(event: 'unexpected-response', listener: (request: ClientRequest, response: IncomingMessage) => void): this;
    once(event: 'open', listener: () => void): this;
    once(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
    once(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    once(event: 'error', listener: (error: Error & { code?: string }) => void): this;
  }

  export class WebSocketServer extends EventEmitter {
    constructor(options: { noServer: true; perMessageDeflate?: boolean });
    readonly clients: Set<WebSocket>;
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, callback: (socket: WebSocket) => void): void;
    close(callback?: () => void): void;
  }

  export default WebSocket;
}
