// The Messenger between the extension host and a webview: typed replies, one handler per request type,
// and a peer that sends what it likes (unknown types, prototype names, non-envelopes) gets error replies,
// never a crash. Two messengers talk through a channel that copies each message and delivers it later,
// as postMessage does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Messenger, type Envelope, type RequestHandlers, type Transport } from '../../src/shared/messaging';

type HostAsks = Record<never, never>;
type ViewAsks = {
  add: { request: { type: 'add'; a: number; b: number }; reply: number };
  greet: { request: { type: 'greet'; name: string }; reply: { text: string } };
  fail: { request: { type: 'fail' }; reply: void };
};

/** Both ends of a channel; `raw` posts anything to the host end, as a hostile webview could. */
function channel() {
  const listeners = { host: new Set<(m: unknown) => void>(), view: new Set<(m: unknown) => void>() };
  const posted = { host: [] as Envelope[], view: [] as Envelope[] };
  const end = (self: 'host' | 'view', peer: 'host' | 'view'): Transport => ({
    post: (message) => {
      posted[self].push(message);
      const copy = structuredClone(message);
      setImmediate(() => listeners[peer].forEach((listener) => listener(copy)));
    },
    listen: (listener) => {
      listeners[self].add(listener);
      return { dispose: () => listeners[self].delete(listener) };
    },
  });
  return {
    host: end('host', 'view'),
    view: end('view', 'host'),
    posted,
    listeners,
    /** Sends `message` to the host as the webview would, and resolves with the host's next message. */
    raw: (message: unknown) =>
      new Promise<unknown>((resolve) => {
        const once = (reply: unknown) => {
          listeners.view.delete(once);
          resolve(reply);
        };
        listeners.view.add(once);
        setImmediate(() => listeners.host.forEach((listener) => listener(message)));
      }),
  };
}

const handlers: RequestHandlers<ViewAsks> = {
  add: (request) => request.a + request.b,
  greet: async (request) => ({ text: `hello ${request.name}` }),
  fail: () => {
    throw new Error('it went wrong');
  },
};

test('each request gets the reply its handler returns, typed by the protocol', async () => {
  const pipe = channel();
  const host = new Messenger<HostAsks, ViewAsks, never, never>(pipe.host);
  const view = new Messenger<ViewAsks, HostAsks, never, never>(pipe.view);
  host.onRequest(handlers);
  const sum: number = await view.request({ type: 'add', a: 2, b: 3 });
  const greeting: { text: string } = await view.request({ type: 'greet', name: 'tracker' });
  assert.equal(sum, 5);
  assert.deepEqual(greeting, { text: 'hello tracker' });
  await assert.rejects(view.request({ type: 'fail' }), { message: 'it went wrong' });
  host.dispose();
  view.dispose();
});

test('a handler must return its own request reply type, and every request type needs a handler', () => {
  const wrongReply: RequestHandlers<ViewAsks> = {
    ...handlers,
    // @ts-expect-error -- `add` answers a number, not a string
    add: () => 'five',
  };
  // @ts-expect-error -- no handler for `fail`
  const missing: RequestHandlers<ViewAsks> = { add: handlers.add, greet: handlers.greet };
  assert.ok(wrongReply && missing);
});

test('requests of unknown types, prototype names or no type get an error reply, and the listener hears of each', async () => {
  const pipe = channel();
  const host = new Messenger<HostAsks, ViewAsks, never, never>(pipe.host);
  const failures: string[] = [];
  host.onRequest(handlers, (type, error) => failures.push(`${type}: ${error.message}`));
  const bodies: unknown[] = [
    { type: 'nope' },
    { type: 'constructor' },
    { type: '__proto__' },
    { type: 'toString' },
    { type: 'hasOwnProperty' },
    { type: 42 },
    {},
    null,
    'add',
    [1, 2],
    { type: 'x'.repeat(100_000) },
  ];
  for (const [i, body] of bodies.entries()) {
    const reply = (await pipe.raw({ kind: 'request', id: 100 + i, body })) as Envelope;
    assert.equal(reply.kind, 'reply', JSON.stringify(body)?.slice(0, 40));
    assert.equal((reply as { id: number }).id, 100 + i);
    assert.equal((reply as { body?: unknown }).body, undefined);
    assert.match((reply as { error?: string }).error ?? '', /^(unknown request|a request without a type)/);
    assert.ok(((reply as { error?: string }).error ?? '').length < 200, 'the error does not echo a long type back');
  }
  assert.equal(failures.length, bodies.length);
  assert.deepEqual(failures.slice(0, 2), ['nope: unknown request "nope"', 'constructor: unknown request "constructor"']);
  // A known request with a missing field still reaches its handler, which answers for itself.
  assert.deepEqual(await pipe.raw({ kind: 'request', id: 1, body: { type: 'add', a: 1, b: 1 } }), { kind: 'reply', id: 1, body: 2 });
  host.dispose();
});

test('anything that is not an envelope is dropped without a reply', async () => {
  const pipe = channel();
  const host = new Messenger<HostAsks, ViewAsks, never, never>(pipe.host);
  const events: unknown[] = [];
  host.onRequest(handlers);
  host.onEvent((event) => events.push(event));
  for (const message of [
    null,
    7,
    'request',
    { kind: 'request' },
    { kind: 'request', id: '1', body: { type: 'add' } },
    { kind: 'other', id: 1 },
  ]) {
    pipe.listeners.host.forEach((listener) => listener(message));
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(pipe.posted.host, []);
  assert.deepEqual(events, []);
  host.dispose();
});

test('once disposed: waiting requests are rejected, nothing more is sent, late replies are dropped', async () => {
  const pipe = channel();
  const host = new Messenger<HostAsks, ViewAsks, string, never>(pipe.host);
  const view = new Messenger<ViewAsks, HostAsks, never, string>(pipe.view);
  let finish = () => {};
  host.onRequest({ ...handlers, add: () => new Promise<number>((resolve) => (finish = () => resolve(1))) });
  const events: string[] = [];
  const subscription = view.onEvent((event) => events.push(event));

  const waiting = view.request({ type: 'add', a: 0, b: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  view.dispose();
  view.dispose();
  await assert.rejects(waiting, { message: 'the webview was closed' });
  await assert.rejects(view.request({ type: 'greet', name: 'late' }), { message: 'the webview was closed' });
  assert.equal(pipe.listeners.view.size, 0, 'the view stopped listening');

  host.emit('after the view closed');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, [], 'a disposed messenger hears no events');
  subscription.dispose();

  const sentBefore = pipe.posted.host.length;
  host.dispose();
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  host.emit('after the host closed');
  assert.equal(pipe.posted.host.length, sentBefore, 'no reply and no event after dispose');
});
