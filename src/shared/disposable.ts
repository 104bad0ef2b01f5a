// Owning and releasing resources: listeners, watchers, timers, webview connections. The pattern of VS Code's
// own code (vs/base/common/lifecycle): an owner registers what it creates and releases it all with one
// `dispose()`, once, however often it is called. `vscode.Disposable` fits `IDisposable`, so VS Code's
// subscriptions go into the same stores as ours. No `vscode` and no Node here: webviews may use it too.

/** Something that holds a resource until `dispose()` releases it. */
export interface IDisposable {
  dispose(): void;
}

/** A disposable that runs `release` on its first `dispose()` and does nothing after. */
export function toDisposable(release: () => void): IDisposable {
  let released = false;
  return {
    dispose: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/** Disposes every item, all of them even when some throw; then throws the first error, if any. */
function disposeAll(items: Iterable<IDisposable>): void {
  let failure: { error: unknown } | undefined;
  for (const item of items) {
    try {
      item.dispose();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/**
 * A set of disposables released together, in the order they were added. Disposing it twice does nothing;
 * what is added after it was disposed is disposed at once, so a late listener cannot outlive its owner.
 */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items];
    this.items.clear();
    disposeAll(items);
  }
}

/**
 * Base of objects that own resources: `register` ties a child's life to this object's, and `dispose`
 * releases every child once. What else an owner must do when it goes, it registers with `toDisposable`.
 */
export abstract class Disposable implements IDisposable {
  private readonly owned = new DisposableStore();

  get isDisposed(): boolean {
    return this.owned.isDisposed;
  }

  protected register<T extends IDisposable>(child: T): T {
    return this.owned.add(child);
  }

  dispose(): void {
    this.owned.dispose();
  }
}
