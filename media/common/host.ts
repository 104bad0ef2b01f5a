// The webview's end of the conversation with the extension host: VS Code's webview API, once per page.
import { Messenger, type Envelope, type RequestMap, type Transport } from '../../src/shared/messaging';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called only once per page.
const vscode = acquireVsCodeApi();

/** A typed messenger to the host. `Out`: requests we send; `In`: requests the host sends us. */
export function connectToHost<Out extends RequestMap, In extends RequestMap, OutEvent, InEvent>(): Messenger<Out, In, OutEvent, InEvent> {
  const transport: Transport = {
    post: (message: Envelope) => vscode.postMessage(message),
    listen: (handler) => {
      const listener = (event: MessageEvent) => handler(event.data);
      window.addEventListener('message', listener);
      return { dispose: () => window.removeEventListener('message', listener) };
    },
  };
  return new Messenger<Out, In, OutEvent, InEvent>(transport);
}

/** State VS Code keeps for this webview while it is hidden or after a reload. */
export function restoreViewState<T>(): T | undefined {
  return (vscode.getState() ?? undefined) as T | undefined;
}

export function storeViewState<T>(state: T): void {
  vscode.setState(state);
}
