// Request/reply and event envelopes between the extension host and a webview, used by both sides.
// Each webview's message types live in src/shared/protocol/; this module only moves them.
//
// A request carries an id and gets exactly one reply with the same id (a value or an error text). Each
// side answers with a map of handlers, one per request type of its protocol, each typed to return that
// request's reply. An event is one-way. The peer's messages are not trusted: anything that is not an
// envelope is dropped, and a request of a type nobody handles gets an error reply.
import type { IDisposable } from './disposable';

export interface RequestEnvelope<T = unknown> {
  kind: 'request';
  id: number;
  body: T;
}

export interface ReplyEnvelope<T = unknown> {
  kind: 'reply';
  id: number;
  body?: T;
  error?: string;
}

export interface EventEnvelope<T = unknown> {
  kind: 'event';
  body: T;
}

export type Envelope = RequestEnvelope | ReplyEnvelope | EventEnvelope;

/**
 * A map from request type to its reply type, e.g. `{ getChildren: { request: GetChildren; reply: Node[] } }`.
 * Requests are objects with a `type` field naming their entry.
 */
export type RequestMap = Record<string, { request: { type: string }; reply: unknown }>;

export type RequestOf<M extends RequestMap> = M[keyof M]['request'];
export type ReplyOf<M extends RequestMap, R extends { type: string }> = M[R['type'] & keyof M]['reply'];

/** One handler per request type, each returning (or resolving to) that request's reply. */
export type RequestHandlers<M extends RequestMap> = {
  [K in keyof M]: (request: M[K]['request']) => M[K]['reply'] | Promise<M[K]['reply']>;
};

export interface Transport {
  post(message: Envelope): void;
  /** Subscribes to incoming messages until the returned disposable is disposed. */
  listen(handler: (message: unknown) => void): IDisposable;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as Envelope).kind;
  if (kind === 'event') return true;
  return (kind === 'request' || kind === 'reply') && typeof (value as RequestEnvelope).id === 'number';
}

/**
 * The handler for a request body from the peer, or an error naming what is wrong with it. Only the map's
 * own entries count: a type such as `constructor` or `__proto__` is as unknown as any other.
 */
function handlerFor<M extends RequestMap>(handlers: RequestHandlers<M>, body: unknown): (request: unknown) => unknown {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') throw new Error('a request without a type');
  if (!Object.hasOwn(handlers, type)) throw new Error(`unknown request ${JSON.stringify(type.slice(0, 64))}`);
  return (handlers as Record<string, (request: unknown) => unknown>)[type];
}

/** Told of every request that was answered with an error (a handler threw, or the request was not understood). */
export type RequestFailureListener = (type: string, error: Error) => void;

/**
 * One side of a typed conversation.
 * `Out`: requests this side sends; `In`: requests it answers; `OutEvent`/`InEvent`: one-way messages.
 * Once disposed it sends nothing more, and requests still waiting for a reply are rejected.
 */
export class Messenger<Out extends RequestMap, In extends RequestMap, OutEvent, InEvent> implements IDisposable {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private requestHandlers?: RequestHandlers<In>;
  private requestFailed?: RequestFailureListener;
  private readonly eventHandlers = new Set<(event: InEvent) => void>();
  private readonly subscription: IDisposable;
  private disposed = false;

  constructor(private readonly transport: Transport) {
    this.subscription = transport.listen((message) => this.receive(message));
  }

  /** Sends a request and resolves with the peer's reply. */
  request<R extends RequestOf<Out>>(body: R): Promise<ReplyOf<Out, R>> {
    if (this.disposed) return Promise.reject(new Error('the webview was closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.transport.post({ kind: 'request', id, body });
    });
  }

  /**
   * Answers the peer's requests, each with the handler of its type. A thrown error or rejected promise
   * becomes an error reply, and so does a request of a type the map does not have; `failed` hears of each.
   */
  onRequest(handlers: RequestHandlers<In>, failed?: RequestFailureListener): void {
    this.requestHandlers = handlers;
    this.requestFailed = failed;
  }

  emit(body: OutEvent): void {
    if (!this.disposed) this.transport.post({ kind: 'event', body });
  }

  onEvent(handler: (event: InEvent) => void): IDisposable {
    this.eventHandlers.add(handler);
    return { dispose: () => this.eventHandlers.delete(handler) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.eventHandlers.clear();
    for (const { reject } of this.pending.values()) reject(new Error('the webview was closed'));
    this.pending.clear();
  }

  private receive(message: unknown): void {
    if (this.disposed || !isEnvelope(message)) return;
    switch (message.kind) {
      case 'event':
        for (const handler of this.eventHandlers) handler(message.body as InEvent);
        break;
      case 'reply': {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) waiting.reject(new Error(message.error));
        else waiting.resolve(message.body);
        break;
      }
      case 'request':
        void this.answer(message);
        break;
    }
  }

  private async answer(message: RequestEnvelope): Promise<void> {
    const { id, body } = message;
    let reply: ReplyEnvelope;
    try {
      if (!this.requestHandlers) throw new Error('no handler for requests');
      reply = { kind: 'reply', id, body: await handlerFor(this.requestHandlers, body)(body) };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const type = (body as { type?: unknown } | null)?.type;
      this.requestFailed?.(typeof type === 'string' ? type.slice(0, 64) : '(no type)', error);
      reply = { kind: 'reply', id, error: error.message };
    }
    // Closed while the handler worked: nobody is left to read the reply.
    if (!this.disposed) this.transport.post(reply);
  }
}
