// The probe panel, put together: it connects to the host and shows a run over a swarm (a magnet link's metadata
// fetch, or a probe of a torrent's peers): the header and its actions, the overview (summary, counts, trackers,
// what the link says, the torrent made, availability and the piece picture), the files, the peers with the
// focused one's details, and a field to add peers by hand. Every string here came from a torrent, a link, a
// tracker or a peer: it reaches the DOM only through textContent.

import { type ProbeHostEvent, type ProbeHostRequests, type ProbePanelState, type ProbeRequests } from '../../src/shared/protocol/probe';
import { formatCount } from '../../src/shared/format';
import { h } from '../common/dom';
import { connectToHost } from '../common/host';
import { AddPeers } from './add-peers';
import { PanelHeader } from './header';
import { FileList, PeerList } from './lists';
import { Overview } from './overview';
import { PeerDetailsView } from './peer-details';

const host = connectToHost<ProbeRequests, ProbeHostRequests, never, ProbeHostEvent>();

let state: ProbePanelState | null = null;
const runId = () => state?.runId ?? -1;

const overview = new Overview();
const header = new PanelHeader(
  {
    cancel: () => void host.request({ type: 'cancel' }),
    rerun: () => void host.request({ type: 'rerun' }),
    copyJson: () => host.request({ type: 'copyJson' }),
    showLog: () => void host.request({ type: 'showLog' }),
    openTorrent: () => void host.request({ type: 'openTorrent' }),
    saveTorrent: () => void host.request({ type: 'saveTorrent' }),
  },
  (text) => overview.flash(text),
);
const listHost = {
  rows: async (list: 'peers' | 'files', start: number, count: number) => host.request({ type: 'rows', list, runId: runId(), start, count }),
};
const details = new PeerDetailsView((id) => host.request({ type: 'details', runId: runId(), id }));
const peers = new PeerList(listHost, {
  sort: (sort) => void host.request({ type: 'setSort', sort }),
  focused: (id) => details.show(id),
});
const files = new FileList(listHost);
const addPeers = new AddPeers((text) => host.request({ type: 'addPeers', text }));

const filesSection = h(
  'section',
  { class: 'files-section', attrs: { 'aria-label': 'Files' } },
  h('h2', { attrs: { id: 'files-title' } }),
  files.element,
);
const peersTitle = h('h2', { attrs: { id: 'peers-title' } });
const peersSection = h(
  'section',
  { class: 'peers-section', attrs: { 'aria-label': 'Peers' } },
  peersTitle,
  addPeers.element,
  peers.element,
  details.element,
);

document.getElementById('app')!.append(header.element, h('main', { class: 'body' }, overview.element, filesSection, peersSection));

let shownRun = -1;
let peersVersion = -1;
let filesVersion = -1;

function render(next: ProbePanelState | null): void {
  state = next;
  header.render(next);
  overview.render(next);
  filesSection.hidden = !next?.files;
  if (!next) return;
  const newRun = next.runId !== shownRun;
  shownRun = next.runId;
  peersTitle.textContent = `Peers (${formatCount(next.peers.total)})`;
  if (newRun || next.peers.version !== peersVersion) {
    peersVersion = next.peers.version;
    peers.update(next.peers.version, next.peers.total, next.sort);
    // The focused peer may have answered since: show what it says now.
    details.show(newRun ? undefined : details.focusedId, true);
  }
  if (next.files && (newRun || next.files.version !== filesVersion)) {
    filesVersion = next.files.version;
    document.getElementById('files-title')!.textContent = `Files (${formatCount(next.files.total)})`;
    files.update(next.files.version, next.files.total);
  }
}

host.onEvent((event) => {
  if (event.type === 'state') render(event.state);
});

render(null);
void host.request({ type: 'ready' }).then((initial) => {
  if (initial) render(initial);
});
