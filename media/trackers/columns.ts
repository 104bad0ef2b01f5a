// The columns of the results table: what each says about a tracker's answer, which runs show it (peers,
// external IP and tracker id only come with an announce; the hash column only when a hybrid torrent was
// asked about under both of its hashes), how it sorts, how wide it starts, and how it reads when the
// panel is too narrow for it and it folds into the line under the row. Every number is worded by
// src/shared/format.ts.

import { formatCount, formatDuration } from '../../src/shared/format';
import { type RowStatus, type RunView, type TrackerRow } from '../../src/shared/protocol/trackers';
import { h, icon } from '../common/dom';

export type ColumnId =
  | 'url'
  | 'protocol'
  | 'hash'
  | 'status'
  | 'seeders'
  | 'leechers'
  | 'downloaded'
  | 'peers'
  | 'interval'
  | 'externalIp'
  | 'trackerId'
  | 'time'
  | 'message';

export type SortDirection = 'ascending' | 'descending';

export interface Column {
  id: ColumnId;
  title: string;
  /** Said to screen readers and shown as a tooltip when the title is a shortening. */
  description?: string;
  numeric?: boolean;
  /** Only for announce or scrape runs. */
  only?: 'announce' | 'scrape';
  /** Only when the run has two info hashes (hybrid torrents). */
  hybrid?: boolean;
  /** Starting width in CSS pixels; none for the message, which takes what is left. */
  width?: number;
  /** Narrowest it may be made or laid out. */
  minWidth?: number;
  /**
   * When the panel is too narrow for every column, the optional ones fold into the line under each row,
   * lowest first. Columns without it never fold: the tracker, its status and the counts always show.
   */
  foldOrder?: number;
  /** How the column sorts: the value of a row (undefined sorts last either way) and the first direction. */
  sort?: { key(row: TrackerRow): number | string | undefined; first: SortDirection };
  cell(row: TrackerRow): string | Node;
  /**
   * The cell's text, to size the column to the widest one (extra: room for what is not text, such as an
   * icon). Columns without it (the tracker, the message) take the width they are given.
   */
  text?(row: TrackerRow): string;
  extra?: number;
  /** The column's words in the line under the row when it is folded; empty for nothing to say. */
  folded?(row: TrackerRow): string;
}

const STATUS: Record<RowStatus, { label: string; icon: string; title: string }> = {
  waiting: {
    label: 'waiting',
    icon: 'clock',
    title: 'Waiting for one of the run’s connection slots: nothing was sent to this tracker yet',
  },
  pending: { label: 'asking', icon: 'loading codicon-modifier-spin', title: 'Asked; waiting for the answer' },
  working: { label: 'working', icon: 'pass', title: 'The tracker answered' },
  'tracker-error': { label: 'tracker error', icon: 'error', title: 'The tracker answered with an error' },
  unreachable: { label: 'unreachable', icon: 'debug-disconnect', title: 'No answer could be had from the tracker' },
  'timed-out': { label: 'timed out', icon: 'watch', title: 'Nothing usable arrived before the timeout' },
  'not-contacted': { label: 'not contacted', icon: 'circle-slash', title: 'Nothing was sent to this tracker' },
  cancelled: { label: 'cancelled', icon: 'stop-circle', title: 'The run was cancelled before this tracker answered' },
};

/** How statuses sort: answers first, the best first. */
const STATUS_RANK: Record<RowStatus, number> = {
  working: 0,
  'tracker-error': 1,
  'timed-out': 2,
  unreachable: 3,
  'not-contacted': 4,
  cancelled: 5,
  pending: 6,
  waiting: 7,
};

const count = (n: number | undefined) => (n === undefined ? '–' : formatCount(n));

/** A scrape that worked but does not mention this hash: the tracker does not know the torrent. */
function unknownTorrent(row: TrackerRow): boolean {
  return row.status === 'working' && row.found === false;
}

export function statusLabel(row: TrackerRow): string {
  return unknownTorrent(row) ? 'unknown torrent' : STATUS[row.status].label;
}

/** Whether the row is still to be answered: it shows how long it has been so. */
export function isWaiting(row: TrackerRow): boolean {
  return row.status === 'waiting' || row.status === 'pending';
}

function statusCell(row: TrackerRow): Node {
  const status = unknownTorrent(row)
    ? { label: 'unknown torrent', icon: 'question', title: 'The tracker answered, but does not know this torrent' }
    : STATUS[row.status];
  // A waiting row's label also says for how long: the table fills that in and keeps it up to date (it
  // knows the host's clock).
  const waitingSince = isWaiting(row) ? row.since : undefined;
  return h(
    'span',
    { class: `status status-${row.status}`, title: status.title },
    icon(status.icon),
    h('span', { class: 'status-label', text: status.label, data: { since: waitingSince, label: status.label } }),
  );
}

/** The tracker's words and ours, in one text: the error, the warning, when to retry, the notes. */
export function messageParts(row: TrackerRow): string[] {
  const parts: string[] = [];
  if (row.error) parts.push(row.error);
  if (row.warning) parts.push(`Warning: ${row.warning}`);
  if (row.retryIn !== undefined)
    parts.push(row.retryIn === 'never' ? 'The tracker asks not to retry.' : `Retry in ${retryWords(row.retryIn)}.`);
  if (row.found === false) parts.push('The tracker does not know this torrent.');
  if (row.stopped && !row.stopped.ok) parts.push(`The stopped announce failed: ${row.stopped.error ?? ''}`);
  for (const note of row.notes.slice(0, 2)) parts.push(`Note: ${note}`);
  if (row.notes.length > 2) parts.push(`${formatCount(row.notes.length - 2)} more notes in the details.`);
  return parts;
}

/** BEP 31's `retry in` (minutes), as Retry-After's wait is kept too. */
export function retryWords(minutes: number): string {
  return formatDuration(minutes * 60);
}

function messageCell(row: TrackerRow): Node {
  const parts = messageParts(row);
  return h('span', { class: 'message' }, ...parts.flatMap((part, i) => [i > 0 ? ' · ' : '', part]));
}

/** An announce's interval and min interval (`30 min / 15 min`), or a scrape's BEP 48 min request interval. */
export function intervalText(row: TrackerRow): string {
  if (row.interval === undefined && row.minInterval === undefined)
    return row.minRequestInterval !== undefined ? formatDuration(row.minRequestInterval) : '–';
  const main = row.interval === undefined ? '–' : formatDuration(row.interval);
  return row.minInterval === undefined ? main : `${main} / ${formatDuration(row.minInterval)}`;
}

/** The interval in words, for the line under a row: `announce every 30 min (at least 15 min apart)`. */
function intervalWords(row: TrackerRow): string {
  if (row.interval === undefined && row.minInterval === undefined)
    return row.minRequestInterval !== undefined ? `scrape at most every ${formatDuration(row.minRequestInterval)}` : '';
  const every = row.interval === undefined ? 'announce' : `announce every ${formatDuration(row.interval)}`;
  return row.minInterval === undefined ? every : `${every} (at least ${formatDuration(row.minInterval)} apart)`;
}

/**
 * A URL as text with places to wrap after each `/`, `?` and `&`, so that a narrow column breaks it between
 * its parts rather than anywhere (a part longer than the column still breaks where it must).
 */
function urlWithBreaks(url: string): Node[] {
  const nodes: Node[] = [];
  for (const part of url.match(/[^/?&]*[/?&]*/g) ?? [url]) {
    if (part === '') continue;
    if (nodes.length) nodes.push(h('wbr'));
    nodes.push(document.createTextNode(part));
  }
  return nodes;
}

function protocolText(row: TrackerRow): string {
  return row.protocol === 'unsupported' ? '–' : row.protocol.toUpperCase();
}

function timeText(row: TrackerRow): string {
  return row.durationMs === undefined ? '–' : `${formatCount(row.durationMs)} ms`;
}

/** A WebSocket tracker's peers are WebRTC peers: it is asked for none and Torrent Lens contacts none. */
function isWebSocket(row: TrackerRow): boolean {
  return row.protocol === 'ws' || row.protocol === 'wss';
}

function peersCell(row: TrackerRow): string | Node {
  if (isWebSocket(row) && row.status === 'working')
    return h('span', {
      class: 'muted',
      text: 'WebRTC',
      title: 'A WebSocket tracker’s peers are WebRTC peers, which Torrent Lens does not contact: it asks for none',
    });
  return count(row.peersReceived);
}

const byNumber = (value: (row: TrackerRow) => number | undefined) => ({ key: value, first: 'descending' as const });

const COLUMNS: Column[] = [
  {
    id: 'url',
    title: 'Tracker',
    width: 260,
    minWidth: 110,
    sort: { key: (r) => r.url.toLowerCase(), first: 'ascending' },
    cell: (r) =>
      h(
        'span',
        { class: 'url-cell' },
        h('span', { class: 'tier-badge', text: `T${r.tier + 1}`, title: `Tier ${r.tier + 1}` }),
        h('span', { class: 'url', title: r.url }, ...urlWithBreaks(r.url)),
      ),
  },
  {
    id: 'protocol',
    title: 'Protocol',
    width: 72,
    minWidth: 48,
    foldOrder: 3,
    // Folded, it says nothing: the URL's scheme says it.
    cell: (r) => protocolText(r),
    text: protocolText,
  },
  {
    id: 'hash',
    title: 'Hash',
    width: 48,
    minWidth: 40,
    hybrid: true,
    cell: (r) => h('span', { text: r.hashKind, title: r.hash }),
    text: (r) => r.hashKind,
  },
  {
    id: 'status',
    title: 'Status',
    width: 150,
    minWidth: 96,
    sort: { key: (r) => (unknownTorrent(r) ? 0.5 : STATUS_RANK[r.status]), first: 'ascending' },
    cell: statusCell,
    // A waiting row's label grows by how long it waits: room for `59 s`.
    text: (r) => (isWaiting(r) ? `${statusLabel(r)} 59 s` : statusLabel(r)),
    extra: 20,
  },
  {
    id: 'seeders',
    title: 'Seeds',
    description: 'Seeders: peers that have the whole torrent',
    numeric: true,
    width: 72,
    minWidth: 48,
    sort: byNumber((r) => r.seeders),
    cell: (r) => count(r.seeders),
    text: (r) => count(r.seeders),
  },
  {
    id: 'leechers',
    title: 'Leeches',
    description: 'Leechers: peers still downloading',
    numeric: true,
    width: 80,
    minWidth: 48,
    sort: byNumber((r) => r.leechers),
    cell: (r) => count(r.leechers),
    text: (r) => count(r.leechers),
  },
  {
    id: 'downloaded',
    title: 'Downloads',
    description: 'Completed downloads, when the tracker counts them',
    numeric: true,
    width: 92,
    minWidth: 48,
    sort: byNumber((r) => r.downloaded),
    cell: (r) => count(r.downloaded),
    text: (r) => count(r.downloaded),
  },
  {
    id: 'peers',
    title: 'Peers',
    description: 'Peers the tracker returned',
    numeric: true,
    only: 'announce',
    width: 68,
    minWidth: 44,
    sort: byNumber((r) => r.peersReceived),
    cell: peersCell,
    text: (r) => (isWebSocket(r) && r.status === 'working' ? 'WebRTC' : count(r.peersReceived)),
  },
  {
    id: 'interval',
    title: 'Interval',
    description: 'How often the tracker wants to be announced to, and at least how far apart (for a scrape: at most how often)',
    width: 124,
    minWidth: 64,
    foldOrder: 5,
    sort: { key: (r) => r.interval ?? r.minRequestInterval, first: 'ascending' },
    cell: intervalText,
    text: intervalText,
    folded: intervalWords,
  },
  {
    id: 'externalIp',
    title: 'External IP',
    only: 'announce',
    width: 124,
    minWidth: 64,
    foldOrder: 2,
    cell: (r) => r.externalIp ?? '–',
    text: (r) => r.externalIp ?? '–',
    folded: (r) => (r.externalIp ? `external IP ${r.externalIp}` : ''),
  },
  {
    id: 'trackerId',
    title: 'Tracker ID',
    only: 'announce',
    width: 104,
    minWidth: 64,
    foldOrder: 1,
    // Folded, it is left to the details.
    cell: (r) => (r.trackerId === undefined ? '–' : h('span', { class: 'mono', text: r.trackerId })),
    text: (r) => r.trackerId ?? '–',
  },
  {
    id: 'time',
    title: 'Time',
    description: 'How long the tracker took',
    numeric: true,
    width: 84,
    minWidth: 56,
    foldOrder: 6,
    sort: { key: (r) => r.durationMs, first: 'ascending' },
    cell: timeText,
    text: timeText,
    folded: (r) => (r.durationMs === undefined ? '' : timeText(r)),
  },
  {
    id: 'message',
    title: 'Message',
    minWidth: 220,
    foldOrder: 4,
    cell: messageCell,
    folded: (r) => messageParts(r).join(' · '),
  },
];

/** The columns a run shows, in order. */
export function columnsFor(run: RunView): Column[] {
  const hybrid = new Set(run.rows.map((r) => r.hashKind)).size > 1;
  return COLUMNS.filter((c) => (!c.only || c.only === run.kind) && (!c.hybrid || hybrid));
}
