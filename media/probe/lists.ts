// The two lists: the peers (address, status, what it has, client, flags, time, why it failed) and, for a probe,
// the files with their availability. Both are virtualised TreeViews (media/common/tree-view.ts) of fixed-height
// rows fetched from the host a window at a time, so a swarm of thousands of peers or a torrent of 100,000 files
// keeps a fixed number of DOM nodes. Column headers of the peers list sort it (the host sorts).

import { formatCount, formatSize } from '../../src/shared/format';
import {
  PROBE_ROW_HEIGHT,
  type FileRow,
  type PeerRow,
  type PeerRowStatus,
  type PeerSort,
  type ProbeListId,
  type ProbeRow,
  type RowPage,
} from '../../src/shared/protocol/probe';
import { h, icon } from '../common/dom';
import { TreeView } from '../common/tree-view';

export interface ListHost {
  rows(list: ProbeListId, start: number, count: number): Promise<RowPage<ProbeRow>>;
}

const STATUS: Record<PeerRowStatus, { label: string; icon: string; tone: 'ok' | 'busy' | 'muted' | 'warning' | 'error' }> = {
  connected: { label: 'connected', icon: 'loading codicon-modifier-spin', tone: 'busy' },
  answered: { label: 'answered', icon: 'pass', tone: 'ok' },
  'not-needed': { label: 'not needed', icon: 'circle-slash', tone: 'muted' },
  cancelled: { label: 'cancelled', icon: 'stop-circle', tone: 'muted' },
  refused: { label: 'refused', icon: 'debug-disconnect', tone: 'warning' },
  unreachable: { label: 'unreachable', icon: 'debug-disconnect', tone: 'warning' },
  'timed-out': { label: 'timed out', icon: 'watch', tone: 'warning' },
  closed: { label: 'closed', icon: 'close', tone: 'warning' },
  'no-metadata': { label: 'no metadata', icon: 'question', tone: 'warning' },
  'wrong-info-hash': { label: 'other torrent', icon: 'error', tone: 'error' },
  'protocol-error': { label: 'protocol error', icon: 'error', tone: 'error' },
  'bad-metadata': { label: 'bad metadata', icon: 'error', tone: 'error' },
};

const SOURCE: Record<PeerRow['source'], string> = { tracker: 'from a tracker', magnet: 'from the magnet link', user: 'added by hand' };

interface Column {
  id: string;
  title: string;
  sort?: PeerSort;
  numeric?: boolean;
}

const PEER_COLUMNS: Column[] = [
  { id: 'address', title: 'Address', sort: 'address' },
  { id: 'status', title: 'Status', sort: 'status' },
  { id: 'have', title: 'Has', sort: 'have', numeric: true },
  { id: 'client', title: 'Client', sort: 'client' },
  { id: 'flags', title: 'Flags' },
  { id: 'time', title: 'Time', sort: 'time', numeric: true },
  { id: 'detail', title: 'Detail' },
];

/** One of the host's lists as a flat virtualised list, fetched a window at a time: no row expands or is looked up. */
function flatList<R extends ProbeRow>(
  host: ListHost,
  list: ProbeListId,
  label: string,
  render: (content: HTMLElement, row: R) => void,
  changed?: () => void,
): TreeView<R> {
  return new TreeView<R>({
    label,
    rowHeight: PROBE_ROW_HEIGHT,
    overscan: 10,
    source: {
      fetch: (start, count) => host.rows(list, start, count) as Promise<RowPage<R>>,
      setExpanded: async () => ({ version: -1, total: 0 }),
      locate: async () => null,
      render,
      changed,
    },
  });
}

export class PeerList {
  readonly element: HTMLElement;
  readonly tree: TreeView<PeerRow>;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly sortButtons = new Map<PeerSort, HTMLButtonElement>();

  constructor(host: ListHost, events: { sort(sort: PeerSort): void; focused(id: string | undefined): void }) {
    this.tree = flatList<PeerRow>(host, 'peers', 'Peers', renderPeer, () => events.focused(this.tree.focusedId));
    this.tree.setEmptyMessage('No peer connected yet.');
    this.header = h('div', { class: 'list-header peer-grid', attrs: { role: 'presentation' } });
    for (const column of PEER_COLUMNS) {
      if (!column.sort) {
        this.header.append(h('span', { class: `cell col-${column.id}`, text: column.title }));
        continue;
      }
      const sort = column.sort;
      const b = h('button', {
        class: `cell col-${column.id} sort${column.numeric ? ' numeric' : ''}`,
        title: `Sort by ${column.title.toLowerCase()}`,
        attrs: { type: 'button' },
        data: { sort },
        on: { click: () => events.sort(this.sortButtons.get(sort)?.getAttribute('aria-pressed') === 'true' ? 'found' : sort) },
        text: column.title,
      });
      this.sortButtons.set(sort, b);
      this.header.append(b);
    }
    this.body = h('div', { class: 'list-body' }, this.tree.element);
    this.element = h('div', { class: 'list peers-list', attrs: { id: 'peers' } }, this.header, this.body);
  }

  /** The rows of a new version (or a new total). */
  update(version: number, total: number, sort: PeerSort): void {
    fitRows(this.body, total, 4, 16);
    this.tree.setData({ version, total });
    for (const [key, b] of this.sortButtons) b.setAttribute('aria-pressed', String(key === sort));
  }
}

export class FileList {
  readonly element: HTMLElement;
  readonly tree: TreeView<FileRow>;
  private readonly body: HTMLElement;

  constructor(host: ListHost) {
    this.tree = flatList<FileRow>(host, 'files', 'Files', renderFile);
    this.tree.setEmptyMessage('No files.');
    const header = h(
      'div',
      { class: 'list-header file-grid', attrs: { role: 'presentation' } },
      h('span', { class: 'cell col-path', text: 'File' }),
      h('span', { class: 'cell col-size numeric', text: 'Size' }),
      h('span', { class: 'cell col-availability', text: 'Available' }),
      h('span', { class: 'cell col-copies numeric', text: 'Copies', title: 'Distributed copies of the file' }),
      h('span', { class: 'cell col-whole numeric', text: 'Whole at', title: 'Peers that have every piece of the file' }),
    );
    this.body = h('div', { class: 'list-body' }, this.tree.element);
    this.element = h('div', { class: 'list files-list', attrs: { id: 'files' } }, header, this.body);
  }

  update(version: number, total: number): void {
    fitRows(this.body, total, 2, 8);
    this.tree.setData({ version, total });
  }
}

/** A list as tall as its rows, between `least` and `most` rows: no empty box under five files, no endless page. */
function fitRows(body: HTMLElement, total: number, least: number, most: number): void {
  // Through the CSSOM, which the page's policy allows (it refuses style attributes in markup).
  body.style.height = `${Math.min(most, Math.max(least, total)) * PROBE_ROW_HEIGHT + 2}px`;
}

function renderPeer(content: HTMLElement, row: PeerRow): void {
  const status = STATUS[row.status];
  content.className = 'vt-content peer-grid';
  content.dataset.status = row.status;
  content.append(
    h('span', {
      class: 'cell col-address mono',
      text: row.address,
      title: `${row.address}, ${SOURCE[row.source]}`,
      data: { field: 'address' },
    }),
    h(
      'span',
      { class: `cell col-status status tone-${status.tone}`, title: status.label, data: { field: 'status' } },
      icon(status.icon),
      h('span', { class: 'status-label', text: status.label }),
    ),
    h(
      'span',
      { class: 'cell col-have numeric', data: { field: 'have' } },
      row.have ? haveCell(row.have) : row.blocks !== undefined ? `${formatCount(row.blocks)} blocks` : '–',
    ),
    h('span', { class: 'cell col-client', text: row.client ?? '–', title: row.client ?? '', data: { field: 'client' } }),
    h('span', { class: 'cell col-flags', text: row.flags.join(' ') || '–', data: { field: 'flags' } }),
    h('span', {
      class: 'cell col-time numeric',
      text: row.timeMs === undefined ? '–' : `${formatCount(row.timeMs)} ms`,
      data: { field: 'time' },
    }),
    h('span', { class: 'cell col-detail muted', text: row.error ?? '', title: row.error ?? '', data: { field: 'detail' } }),
  );
}

/** A small bar; its fill's width is a class per 5 % (the page's policy refuses style attributes). */
function meter(percent: number, partial: boolean): HTMLElement {
  return h(
    'span',
    { class: 'meter', attrs: { 'aria-hidden': 'true' } },
    h('span', { class: `meter-fill w${Math.round(percent / 5) * 5}${partial ? ' partial' : ''}` }),
  );
}

function haveCell(have: NonNullable<PeerRow['have']>): Node {
  return h(
    'span',
    { class: 'have', title: `${formatCount(have.pieces)} of ${formatCount(have.of)} pieces` },
    meter(have.percent, false),
    h('span', { text: have.seed ? 'seed' : `${have.percent}%` }),
  );
}

function renderFile(content: HTMLElement, row: FileRow): void {
  content.className = 'vt-content file-grid';
  const percent = Math.round(row.availableFraction * 1000) / 10;
  content.append(
    h('span', { class: 'cell col-path', text: row.path, title: row.path, data: { field: 'path' } }),
    h('span', {
      class: 'cell col-size numeric',
      text: formatSize(row.length),
      title: `${formatCount(row.length)} bytes`,
      data: { field: 'size' },
    }),
    h(
      'span',
      { class: 'cell col-availability', data: { field: 'available' } },
      meter(percent, percent < 100),
      h('span', { text: `${percent.toFixed(1)}%` }),
    ),
    h('span', { class: 'cell col-copies numeric', text: row.distributedCopies.toFixed(2), data: { field: 'copies' } }),
    h('span', {
      class: 'cell col-whole numeric',
      text: formatCount(row.peersWithAll),
      title: 'Peers that have every piece of the file',
      data: { field: 'whole' },
    }),
  );
}
