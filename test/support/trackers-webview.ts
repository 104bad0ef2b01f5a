// The tracker panel's real webview bundle (dist/webview/trackers.js + trackers-style.css) in Debian's
// Chromium, through the shared harness (webview-harness.ts): the test plays the host with the real
// protocol and answers the webview's requests with a handler per request type.
import type { RequestHandlers } from '../../src/shared/messaging';
import type { TrackersHostEvent, TrackersRequests } from '../../src/shared/protocol/trackers';
import { openWebview, type WebviewPage } from './webview-harness';

export { closeBrowser, type Page } from './webview-harness';

export type Handlers = RequestHandlers<TrackersRequests>;
export type TrackersPage = WebviewPage<TrackersHostEvent>;

export function openTrackersPage(handlers: Handlers, viewport = { width: 1400, height: 900 }): Promise<TrackersPage> {
  return openWebview<TrackersRequests, TrackersHostEvent>({
    bundle: 'trackers',
    title: 'Tracker results',
    handlers,
    readySelector: '#empty',
    viewport,
  });
}
