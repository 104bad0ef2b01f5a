// The tracker results panel, put together: it connects to the host, builds the header (what was asked, a
// live summary, the actions) and the results table with each tracker's details, and keeps them in step
// with the run as trackers answer. Every string here came from a tracker or a torrent: it reaches the DOM
// only through textContent.

import { type TrackersHostEvent, type TrackersHostRequests, type TrackersRequests } from '../../src/shared/protocol/trackers';
import { connectToHost, restoreViewState, storeViewState } from '../common/host';
import { CurrentRun, type SavedPanel } from './current-run';
import { TrackerDetails } from './details';
import { PanelHeader } from './header';
import { ResultsTable } from './results-table';
import { Toast } from '../common/toast';

const host = connectToHost<TrackersRequests, TrackersHostRequests, never, TrackersHostEvent>();

const current = new CurrentRun(restoreViewState<SavedPanel>(), (state) => storeViewState(state));
const toast = new Toast();
const header = new PanelHeader(current, {
  rerun: () => void host.request({ type: 'rerun' }),
  cancel: () => void host.request({ type: 'cancel' }),
  copyJson: () => host.request({ type: 'copyJson' }),
  showLog: () => void host.request({ type: 'showLog' }),
  confirm: (message) => toast.show(message),
});
const details = new TrackerDetails(current, {
  getRaw: (runId, rowId) => host.request({ type: 'getRaw', runId, rowId }),
  rerender: (rowId) => table.rerender(rowId),
});
const table = new ResultsTable(current, details);

document.getElementById('app')!.append(header.element, table.empty, table.scroller, toast.element);

/** Draws the whole panel for the run shown. */
function render(): void {
  header.render();
  table.render();
}

host.onEvent((event) => {
  switch (event.type) {
    case 'run':
      current.begin(event.run, event.sentAt);
      render();
      break;
    case 'rows':
      if (!current.updateRows(event.runId, event.rows, event.sentAt)) return;
      table.update(event.rows);
      header.renderSummary();
      break;
    case 'finished':
      if (!current.finish(event.runId, event.durationMs, event.cancelled)) return;
      header.renderSummary();
      break;
  }
});

current.show(null);
render();
void host.request({ type: 'ready' }).then((running) => {
  if (running) current.show(running);
  // Otherwise VS Code restored this panel after a reload and the host ran nothing yet: show the last run as it was, if any.
  else if (!current.showSaved()) return;
  render();
});
