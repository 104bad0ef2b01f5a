// The columns of the results table: what each says about a tracker's answer, and which runs show it
// (peers, external IP and tracker id only come with an announce; the hash column only when a hybrid
// torrent was asked about under both of its hashes).

import { formatCount } from '../../src/shared/format';
import { type RowStatus, type RunView, type TrackerRow } from '../../src/shared/protocol/trackers';
import { h, icon } from '../common/dom';

export interface Column {
  id: string;
  title: string;
  numeric?: boolean;
  /** Only for announce or scrape runs. */
  only?: 'announce' | 'scrape';
  /** Only when the run has two info hashes (hybrid torrents). */
  hybrid?: boolean;
  cell(row: TrackerRow): string | Node;
}

const STATUS: Record<RowStatus, { label: string; icon: string }> = {
  pending: { label: 'waiting', icon: 'loading codicon-modifier-spin' },
  working: { label: 'working', icon: 'pass' },
  'tracker-error': { label: 'tracker error', icon: 'error' },
  unreachable: { label: 'unreachable', icon: 'debug-disconnect' },
  'timed-out': { label: 'timed out', icon: 'watch' },
  'not-contacted': { label: 'not contacted', icon: 'circle-slash' },
  cancelled: { label: 'cancelled', icon: 'stop-circle' },
};

const count = (n: number | undefined) => (n === undefined ? '–' : formatCount(n));

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
    cell: (r) => (r.durationMs === undefined ? '–' : `${formatCount(r.durationMs)} ms`),
  },
];

/** The columns a run shows. */
export function columnsFor(run: RunView): Column[] {
  const hybrid = new Set(run.rows.map((r) => r.hashKind)).size > 1;
  return COLUMNS.filter((c) => (!c.only || c.only === run.kind) && (!c.hybrid || hybrid));
}
