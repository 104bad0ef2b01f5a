// Request/reply and event envelopes between the extension host and a webview, used by both sides.
// Each webview's message types live in src/shared/protocol/; this module only moves them.
//
// A request carries an id and gets exactly one reply with the same id (a value or an error text).
// An event is one-way. The peer's messages are not trusted: anything that is not an envelope is dropped.

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

export interface Transport {
  post(message: Envelope): void;
  /** Subscribes to incoming messages; returns an unsubscribe function. */
  listen(handler: (message: unknown) => void): () => void;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as Envelope).kind;
  if (kind === 'event') return true;
  return (kind === 'request' || kind === 'reply') && typeof (value as RequestEnvelope).id === 'number';
}

/**
 * One side of a typed conversation.
 * `Out`: requests this side sends; `In`: requests it answers; `OutEvent`/`InEvent`: one-way messages.
 */
export class Messenger<Out extends RequestMap, In extends RequestMap, OutEvent, InEvent> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private requestHandler?: (request: RequestOf<In>) => unknown;
  private readonly eventHandlers = new Set<(event: InEvent) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly transport: Transport) {
    this.unsubscribe = transport.listen((message) => this.receive(message));
  }

  /** Sends a request and resolves with the peer's reply. */
  request<R extends RequestOf<Out>>(body: R): Promise<ReplyOf<Out, R>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.transport.post({ kind: 'request', id, body });
    });
  }

  /** Answers the peer's requests; a thrown error or rejected promise becomes an error reply. */
  onRequest(handler: (request: RequestOf<In>) => unknown): void {
    this.requestHandler = handler;
  }

  emit(body: OutEvent): void {
    this.transport.post({ kind: 'event', body });
  }

  onEvent(handler: (event: InEvent) => void): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  dispose(): void {
    this.unsubscribe();
    for (const { reject } of this.pending.values()) reject(new Error('the webview was closed'));
    this.pending.clear();
  }

  private receive(message: unknown): void {
    if (!isEnvelope(message)) return;
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
    const { id } = message;
    try {
      if (!this.requestHandler) throw new Error('no handler for requests');
      const body = await this.requestHandler(message.body as RequestOf<In>);
      this.transport.post({ kind: 'reply', id, body });
    } catch (error) {
      this.transport.post({ kind: 'reply', id, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
