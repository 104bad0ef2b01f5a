import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, DisposableStore, toDisposable, type IDisposable } from '../../src/shared/disposable';

function recorder() {
  const released: string[] = [];
  return { released, item: (name: string): IDisposable => toDisposable(() => released.push(name)) };
}

test('toDisposable releases once, however often it is disposed', () => {
  let count = 0;
  const d = toDisposable(() => count++);
  d.dispose();
  d.dispose();
  assert.equal(count, 1);
});

test('a store releases its items in the order they were added, once', () => {
  const { released, item } = recorder();
  const store = new DisposableStore();
  store.add(item('a'));
  store.add(item('b'));
  store.add(item('c'));
  assert.equal(store.isDisposed, false);
  store.dispose();
  store.dispose();
  assert.deepEqual(released, ['a', 'b', 'c']);
  assert.equal(store.isDisposed, true);
});

test('what is added to a disposed store is released at once', () => {
  const { released, item } = recorder();
  const store = new DisposableStore();
  store.dispose();
  const late = store.add(item('late'));
  assert.deepEqual(released, ['late']);
  late.dispose();
  assert.deepEqual(released, ['late']);
});

test('an item that throws does not keep the others from being released; the first error comes out after', () => {
  const { released, item } = recorder();
  const store = new DisposableStore();
  store.add(item('a'));
  store.add(
    toDisposable(() => {
      throw new Error('first');
    }),
  );
  store.add(
    toDisposable(() => {
      throw new Error('second');
    }),
  );
  store.add(item('b'));
  assert.throws(() => store.dispose(), { message: 'first' });
  assert.deepEqual(released, ['a', 'b']);
  store.dispose();
});

test('a Disposable releases what it registered, once, and what it registers after that at once', () => {
  const { released, item } = recorder();
  class Owner extends Disposable {
    readonly child = this.register(item('child'));
    constructor() {
      super();
      this.register(item('listener'));
    }
    adopt(name: string): void {
      this.register(item(name));
    }
  }
  const owner = new Owner();
  assert.equal(owner.isDisposed, false);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(released, ['child', 'listener']);
  assert.equal(owner.isDisposed, true);
  owner.adopt('late');
  assert.deepEqual(released, ['child', 'listener', 'late']);
});
