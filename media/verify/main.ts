// The Verify panel, put together: it connects to the host and mounts the verify component (verify-view.ts),
// feeding it the host's events. Embedding the component elsewhere (the torrent editor) takes the same few
// lines over another messenger.

import type { VerifyHostEvent, VerifyHostRequests, VerifyRequests } from '../../src/shared/protocol/verify';
import { connectToHost } from '../common/host';
import { VerifyView } from './verify-view';

const host = connectToHost<VerifyRequests, VerifyHostRequests, never, VerifyHostEvent>();

const view = new VerifyView({
  rows: (runId, filter, start, count) => host.request({ type: 'rows', runId, filter, start, count }),
  pieceMap: (runId, cells) => host.request({ type: 'pieceMap', runId, cells }),
  pieceCell: (runId, cells, cell) => host.request({ type: 'pieceCell', runId, cells, cell }),
  rerun: () => void host.request({ type: 'rerun' }),
  cancel: () => void host.request({ type: 'cancel' }),
  chooseFolder: () => void host.request({ type: 'chooseFolder' }),
  copyJson: () => host.request({ type: 'copyJson' }),
});
document.getElementById('app')!.append(view.element);

host.onEvent((event) => {
  switch (event.type) {
    case 'run':
      view.show(event.run);
      break;
    case 'progress':
      view.progress(event.runId, event.progress);
      break;
    case 'finished':
      view.finished(event.run);
      break;
  }
});

void host.request({ type: 'ready' }).then((run) => view.show(run));
