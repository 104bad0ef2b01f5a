// The tracker results panel: a table of trackers by tier that fills in live as trackers answer.
// Every string here came from a tracker or a torrent: it reaches the DOM only through textContent.
import type {
  RawView,
  RowStatus,
  RunView,
  TrackerRow,
  TrackersHostEvent,
  TrackersHostRequests,
  TrackersRequests,
} from '../../src/shared/protocol/trackers';
import { button, h, icon, replace } from '../common/dom';
import { connectToHost, restoreViewState, storeViewState } from '../common/host';

const host = connectToHost<TrackersRequests, TrackersHostRequests, never, TrackersHostEvent>();

const STATUS: Record<RowStatus, { label: string; icon: string }> = {
  pending: { label: 'waiting', icon: 'loading codicon-modifier-spin' },
  working: { label: 'working', icon: 'pass' },
  'tracker-error': { label: 'tracker error', icon: 'error' },
  unreachable: { label: 'unreachable', icon: 'debug-disconnect' },
  'timed-out': { label: 'timed out', icon: 'watch' },
  'not-contacted': { label: 'not contacted', icon: 'circle-slash' },
  cancelled: { label: 'cancelled', icon: 'stop-circle' },
};

interface Column {
  id: string;
  title: string;
  numeric?: boolean;
  /** Only for announce or scrape runs. */
  only?: 'announce' | 'scrape';
  /** Only when the run has two info hashes (hybrid torrents). */
  hybrid?: boolean;
  cell(row: TrackerRow): string | Node;
}

const count = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));

function statusCell(row: TrackerRow): Node {
  // A scrape that worked but does not mention this hash: the tracker does not know the torrent.
  const status = row.status === 'working' && row.found === false ? { label: 'unknown torrent', icon: 'question' } : STATUS[row.status];
  return h('span', { class: `status status-${row.status}` }, icon(status.icon), h('span', { text: status.label }));
}

function message(row: TrackerRow): string {
  const parts: string[] = [];
  if (row.error) parts.push(row.error);
  if (row.warning) parts.push(`Warning: ${row.warning}`);
  if (row.retryIn !== undefined) parts.push(row.retryIn === 'never' ? 'The tracker asks not to retry.' : `Retry in ${row.retryIn} min.`);
  if (row.found === false) parts.push('The tracker does not know this torrent.');
  if (row.stopped && !row.stopped.ok) parts.push(`The stopped announce failed: ${row.stopped.error ?? ''}`);
  if (row.notes.length)
    parts.push(`${row.notes.length} note${row.notes.length > 1 ? 's' : ''}: ${row.notes[0]}${row.notes.length > 1 ? ' …' : ''}`);
  return parts.join(' ');
}

function interval(row: TrackerRow): string {
  if (row.interval === undefined && row.minInterval === undefined)
    return row.minRequestInterval !== undefined ? `min ${duration(row.minRequestInterval)}` : '–';
  const main = row.interval === undefined ? '–' : duration(row.interval);
  return row.minInterval === undefined ? main : `${main} / ${duration(row.minInterval)}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const COLUMNS: Column[] = [
  { id: 'url', title: 'Tracker', cell: (r) => h('span', { class: 'url', text: r.url, title: r.url }) },
  { id: 'protocol', title: 'Protocol', cell: (r) => (r.protocol === 'unsupported' ? '–' : r.protocol.toUpperCase()) },
  { id: 'hash', title: 'Hash', hybrid: true, cell: (r) => h('span', { text: r.hashKind, title: r.hash }) },
  { id: 'status', title: 'Status', cell: statusCell },
  { id: 'message', title: 'Message', cell: (r) => h('span', { class: 'message', text: message(r), title: message(r) }) },
  { id: 'seeders', title: 'Seeders', numeric: true, cell: (r) => count(r.seeders) },
  { id: 'leechers', title: 'Leechers', numeric: true, cell: (r) => count(r.leechers) },
  { id: 'downloaded', title: 'Downloaded', numeric: true, cell: (r) => count(r.downloaded) },
  { id: 'peers', title: 'Peers', numeric: true, only: 'announce', cell: (r) => count(r.peersReceived) },
  { id: 'interval', title: 'Interval', cell: interval },
  { id: 'externalIp', title: 'External IP', only: 'announce', cell: (r) => r.externalIp ?? '–' },
  {
    id: 'trackerId',
    title: 'Tracker ID',
    only: 'announce',
    cell: (r) => (r.trackerId === undefined ? '–' : h('span', { class: 'mono', text: r.trackerId })),
  },
  {
    id: 'time',
    title: 'Time',
    numeric: true,
    cell: (r) => (r.durationMs === undefined ? '–' : `${r.durationMs.toLocaleString('en-US')} ms`),
  },
];

// -------------------------------------------------------------------------------------------------------
// State

let run: RunView | null = null;
let columns: Column[] = [];
const rowElements = new Map<string, { row: HTMLTableRowElement; details: HTMLTableRowElement }>();
interface SavedState {
  expanded: string[];
  runId?: number;
  /** The last finished run, shown again (marked as such) when VS Code restores the panel after a reload. */
  run?: RunView;
}
const saved = restoreViewState<SavedState>() ?? { expanded: [] };
const expanded = new Set<string>(saved.expanded);
const rawShown = new Map<string, RawView | null>();
/** Whether the run shown is the saved one from before a reload: the host no longer has its answers. */
let restored = false;

function saveState(): void {
  storeViewState<SavedState>({ expanded: [...expanded], runId: run?.runId, run: run && !run.running ? run : undefined });
}

// -------------------------------------------------------------------------------------------------------
// Layout

const app = document.getElementById('app')!;
const title = h('h1', { attrs: { id: 'title' } });
const subtitle = h('div', { class: 'subtitle', attrs: { id: 'subtitle' } });
const summary = h('div', { class: 'summary', attrs: { id: 'summary', role: 'status', 'aria-live': 'polite' } });
const rerunButton = button({
  label: 'Rerun',
  icon: 'refresh',
  text: 'Rerun',
  class: 'button',
  data: { action: 'rerun' },
  onClick: () => void host.request({ type: 'rerun' }),
});
const cancelButton = button({
  label: 'Cancel',
  icon: 'debug-stop',
  text: 'Cancel',
  class: 'button secondary',
  data: { action: 'cancel' },
  onClick: () => void host.request({ type: 'cancel' }),
});
const copyButton = button({
  label: 'Copy as JSON',
  icon: 'copy',
  text: 'Copy as JSON',
  class: 'button secondary',
  data: { action: 'copy-json' },
  onClick: () => {
    void host.request({ type: 'copyJson' }).then(() => flash('Copied the results as JSON.'));
  },
});
const logButton = button({
  label: 'Show Log',
  icon: 'output',
  text: 'Log',
  class: 'button secondary',
  data: { action: 'show-log' },
  onClick: () => void host.request({ type: 'showLog' }),
});
rerunButton.id = 'rerun';
cancelButton.id = 'cancel';
copyButton.id = 'copy-json';
logButton.id = 'show-log';
const toolbar = h(
  'div',
  { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Tracker results actions' } },
  rerunButton,
  cancelButton,
  copyButton,
  logButton,
);
const header = h('header', { class: 'header' }, h('div', { class: 'heading' }, title, subtitle, summary), toolbar);
const empty = h('div', {
  class: 'empty',
  attrs: { id: 'empty' },
  text: 'Run Announce to Tracker or Scrape Trackers on a torrent to see what its trackers say.',
});
const table = h('table', { class: 'results', attrs: { id: 'results', 'aria-label': 'Tracker results' } });
const scroller = h('div', { class: 'scroller' }, table);
app.append(header, empty, scroller);

let flashTimer: number | undefined;
function flash(text: string): void {
  summary.dataset.flash = text;
  renderSummary();
  window.clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => {
    delete summary.dataset.flash;
    renderSummary();
  }, 2500);
}

function renderHeader(): void {
  if (!run) {
    title.textContent = 'Tracker results';
    subtitle.textContent = '';
    return;
  }
  title.textContent = run.torrentName || run.fileName;
  const hashes = [
    run.infoHash.v1 ? `v1 ${run.infoHash.v1}` : '',
    run.infoHash.v2Truncated ? `v2 ${run.infoHash.v2Truncated} (truncated)` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const what =
    run.kind === 'announce'
      ? `Announce (${run.event === 'started-then-stopped' ? 'started, then stopped' : `event ${run.event}`})`
      : 'Scrape';
  replace(subtitle, h('span', { text: `${what} · ${run.scope} · ${run.fileName}` }), h('span', { class: 'hashes mono', text: hashes }));
}

function renderSummary(): void {
  if (summary.dataset.flash) {
    summary.textContent = summary.dataset.flash;
    return;
  }
  if (!run) {
    summary.textContent = '';
    return;
  }
  const done = run.rows.filter((r) => r.status !== 'pending').length;
  const working = run.rows.filter((r) => r.status === 'working').length;
  const total = run.rows.length;
  summary.dataset.restored = String(restored);
  summary.textContent = restored
    ? `From before VS Code reloaded: ${working} of ${total} answered. Rerun asks the trackers again.`
    : run.running
      ? `Waiting for ${total - done} of ${total}… ${working} answered so far.`
      : `${working} of ${total} answered${run.durationMs !== undefined ? ` in ${run.durationMs.toLocaleString('en-US')} ms` : ''}${run.cancelled ? ' (cancelled)' : ''}.`;
  summary.dataset.state = run.running ? 'running' : 'finished';
  cancelButton.disabled = !run.running;
  rerunButton.disabled = run.running;
  // A restored run's answers stay in the webview only; the host makes the JSON from the answers themselves.
  copyButton.disabled = done === 0 || restored;
}

function renderTable(): void {
  rowElements.clear();
  replace(table);
  empty.hidden = run !== null;
  scroller.hidden = run === null;
  if (!run) return;
  const hybrid = new Set(run.rows.map((r) => r.hashKind)).size > 1;
  const kind = run.kind;
  columns = COLUMNS.filter((c) => (!c.only || c.only === kind) && (!c.hybrid || hybrid));
  table.dataset.kind = kind;
  const headRow = h(
    'tr',
    {},
    h('th', { class: 'expander-col', attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden', text: 'Details' })),
  );
  for (const column of columns)
    headRow.append(
      h('th', { text: column.title, class: column.numeric ? 'numeric' : undefined, attrs: { scope: 'col' }, data: { column: column.id } }),
    );
  const body = h('tbody');
  let tier = -1;
  for (const row of run.rows) {
    if (row.tier !== tier) {
      tier = row.tier;
      body.append(
        h(
          'tr',
          { class: 'tier-row', data: { tier } },
          h('th', { attrs: { colspan: columns.length + 1, scope: 'rowgroup' }, text: `Tier ${tier + 1}` }),
        ),
      );
    }
    const tr = h('tr', { class: 'tracker-row' });
    const details = h('tr', { class: 'details-row', data: { detailsFor: row.id } });
    details.hidden = true;
    rowElements.set(row.id, { row: tr, details });
    body.append(tr, details);
    renderRow(row);
  }
  table.append(h('thead', {}, headRow), body);
}

function renderRow(row: TrackerRow): void {
  const elements = rowElements.get(row.id);
  if (!elements || !run) return;
  const { row: tr, details } = elements;
  tr.dataset.tracker = row.id;
  tr.dataset.status = row.found === false && row.status === 'working' ? 'unknown-torrent' : row.status;
  tr.dataset.protocol = row.protocol;
  tr.dataset.hashKind = row.hashKind;
  tr.dataset.tier = String(row.tier);
  const isOpen = expanded.has(row.id);
  const toggle = h('button', {
    class: 'expander',
    title: isOpen ? 'Hide details' : 'Show details: what was tried, notes, peers, raw answer',
    attrs: {
      type: 'button',
      'aria-expanded': isOpen ? 'true' : 'false',
      'aria-controls': `details-${row.id}`,
      'aria-label': `Details for ${row.url} (${row.hashKind})`,
    },
    data: { action: 'toggle' },
  });
  toggle.append(icon(isOpen ? 'chevron-down' : 'chevron-right'));
  toggle.addEventListener('click', () => {
    if (expanded.has(row.id)) expanded.delete(row.id);
    else expanded.add(row.id);
    saveState();
    const current = run?.rows.find((r) => r.id === row.id);
    if (current) renderRow(current);
    rowElements.get(row.id)?.row.querySelector<HTMLButtonElement>('button.expander')?.focus();
  });
  replace(tr, h('td', { class: 'expander-col' }, toggle));
  for (const column of columns)
    tr.append(h('td', { class: column.numeric ? 'numeric' : undefined, data: { field: column.id } }, column.cell(row)));
  details.hidden = !isOpen;
  details.id = `details-${row.id}`;
  if (isOpen) replace(details, h('td', { attrs: { colspan: columns.length + 1 } }, renderDetails(row)));
  else replace(details);
}

function section(name: string, heading: string, ...content: (Node | string)[]): HTMLElement {
  return h('section', { class: `detail ${name}`, data: { section: name } }, h('h2', { text: heading }), ...content);
}

const MAX_PEER_ROWS = 500;

function renderDetails(row: TrackerRow): HTMLElement {
  const box = h('div', { class: 'details' });
  const facts = h('dl', { class: 'facts' });
  const fact = (term: string, value: string | undefined, field: string) => {
    if (value === undefined || value === '') return;
    facts.append(h('dt', { text: term }), h('dd', { text: value, data: { field } }));
  };
  fact('Tracker', row.url, 'url');
  fact('Info hash', `${row.hash} (${row.hashKind === 'v1' ? 'v1' : 'v2, truncated'})`, 'hash');
  fact('Error', row.error, 'error');
  fact('Warning', row.warning, 'warning');
  fact('Retry in', row.retryIn === undefined ? undefined : row.retryIn === 'never' ? 'never' : `${row.retryIn} minutes`, 'retryIn');
  fact('Interval', row.interval === undefined ? undefined : `${row.interval} s`, 'interval');
  fact('Min interval', row.minInterval === undefined ? undefined : `${row.minInterval} s`, 'minInterval');
  fact('Min request interval', row.minRequestInterval === undefined ? undefined : `${row.minRequestInterval} s`, 'minRequestInterval');
  fact('Downloaders', row.downloaders === undefined ? undefined : String(row.downloaders), 'downloaders');
  fact('External IP', row.externalIp, 'externalIp');
  fact('Tracker ID', row.trackerId, 'trackerId');
  fact(
    'Stopped',
    row.stopped ? (row.stopped.ok ? 'sent; the tracker forgot this announce' : `failed: ${row.stopped.error ?? ''}`) : undefined,
    'stopped',
  );
  box.append(facts);

  if (row.notes.length) box.append(section('notes', 'Notes', h('ul', {}, ...row.notes.map((n) => h('li', { text: n })))));

  if (row.attempts.length) {
    const list = h('ol', { class: 'attempts' });
    for (const a of row.attempts) {
      list.append(
        h(
          'li',
          { data: { attempt: a.step } },
          h('span', { class: 'mono', text: `+${a.atMs} ms` }),
          ' ',
          h('strong', { text: a.step }),
          ' ',
          h('span', { class: 'target', text: a.target }),
          ' → ',
          h('span', { text: `${a.outcome} (${a.waitedMs} ms)` }),
        ),
      );
    }
    box.append(section('attempts', 'What was tried', list));
  }

  if (row.peers.length) {
    const peers = h('table', { class: 'peers', attrs: { 'aria-label': 'Peers' } });
    peers.append(
      h('thead', {}, h('tr', {}, ...['IP', 'Port', 'Peer ID', 'Client'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    );
    const body = h('tbody');
    for (const peer of row.peers.slice(0, MAX_PEER_ROWS)) {
      body.append(
        h(
          'tr',
          { data: { peer: `${peer.ip}|${peer.port}` } },
          h('td', { class: 'mono', text: peer.ip, data: { field: 'ip' } }),
          h('td', { class: 'numeric', text: String(peer.port), data: { field: 'port' } }),
          h('td', { class: 'mono', text: peer.peerIdText ?? '–', title: peer.peerId, data: { field: 'peerId' } }),
          h('td', { text: peer.client ?? '–', data: { field: 'client' } }),
        ),
      );
    }
    peers.append(body);
    const total = row.peersReceived ?? row.peers.length;
    const more =
      total > MAX_PEER_ROWS
        ? h('p', {
            class: 'muted',
            text: `${(total - MAX_PEER_ROWS).toLocaleString('en-US')} more peers not shown; Copy as JSON has them all.`,
          })
        : null;
    box.append(section('peers', `Peers (${total.toLocaleString('en-US')})`, peers, ...(more ? [more] : [])));
  }

  if (row.hasRaw && restored) {
    box.append(
      section('raw', 'Raw answer', h('p', { class: 'muted', text: 'Raw answers are not kept when VS Code reloads; Rerun to see them.' })),
    );
  } else if (row.hasRaw) {
    const output = h('pre', { class: 'raw mono', data: { field: 'raw' } });
    const runId = run?.runId ?? 0;
    const load = button({
      label: 'Show the decoded answer',
      icon: 'json',
      text: rawShown.has(row.id) ? 'Hide raw answer' : 'Show raw answer',
      class: 'button secondary',
      data: { action: 'raw' },
      onClick: () => {
        if (rawShown.has(row.id)) {
          rawShown.delete(row.id);
          const current = run?.rows.find((r) => r.id === row.id);
          if (current) renderRow(current);
          return;
        }
        void host.request({ type: 'getRaw', runId, rowId: row.id }).then((raw) => {
          if (run?.runId !== runId) return;
          rawShown.set(row.id, raw);
          const current = run.rows.find((r) => r.id === row.id);
          if (current) renderRow(current);
        });
      },
    });
    const content: Node[] = [load];
    if (rawShown.has(row.id)) {
      const raw = rawShown.get(row.id);
      output.textContent = raw === null || raw === undefined ? '(not available)' : rawText(raw, '');
      content.push(output);
    }
    box.append(section('raw', 'Raw answer', ...content));
  }
  return box;
}

/** The decoded answer as indented text: dictionaries and lists nested, binary as hex. */
function rawText(value: RawView, indent: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${indent}  ${rawText(v, `${indent}  `)}`).join('\n')}\n${indent}]`;
  }
  if ('entries' in value) {
    if (value.entries.length === 0) return '{}';
    return `{\n${value.entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${rawText(v, `${indent}  `)}`).join('\n')}\n${indent}}`;
  }
  if ('omitted' in value) return `… ${value.omitted}`;
  return `<${value.length} bytes: ${value.hex}${value.truncated ? '…' : ''}>`;
}

// Up/Down move between rows' detail buttons, as in a list.
table.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const target = event.target as HTMLElement;
  if (!target.classList.contains('expander')) return;
  const all = [...table.querySelectorAll<HTMLButtonElement>('button.expander')];
  const next = all[all.indexOf(target as HTMLButtonElement) + (event.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
});

// -------------------------------------------------------------------------------------------------------
// Events

function showRun(next: RunView | null): void {
  if (next && run && next.runId !== run.runId) rawShown.clear();
  if (next && saved.runId !== undefined && saved.runId !== next.runId && run === null) expanded.clear();
  run = next;
  saveState();
  renderHeader();
  renderTable();
  renderSummary();
}

host.onEvent((event) => {
  switch (event.type) {
    case 'run':
      if (run && run.runId !== event.run.runId) expanded.clear();
      restored = false;
      showRun(event.run);
      break;
    case 'rows':
      if (!run || event.runId !== run.runId) return;
      for (const row of event.rows) {
        const index = run.rows.findIndex((r) => r.id === row.id);
        if (index >= 0) run.rows[index] = row;
        renderRow(row);
      }
      renderSummary();
      break;
    case 'finished':
      if (!run || event.runId !== run.runId) return;
      run.running = false;
      run.durationMs = event.durationMs;
      run.cancelled = event.cancelled;
      saveState();
      renderSummary();
      break;
  }
});

showRun(null);
void host.request({ type: 'ready' }).then((current) => {
  if (current) showRun(current);
  else if (saved.run) {
    // VS Code restored this panel after a reload: the host ran nothing yet, so show the last run as it was.
    restored = true;
    showRun(saved.run);
  }
});
