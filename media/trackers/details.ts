// A tracker's details, opened under its row: every fact of the answer, the notes, what was tried (each
// name lookup, connection and retry, with timings), the peers with their clients, and the raw answer,
// decoded and fetched from the host only when asked for. All of it is tracker text, set as text.

import { formatCount, formatDuration } from '../../src/shared/format';
import { type RawView, type TrackerRow } from '../../src/shared/protocol/trackers';
import { button, h } from '../common/dom';
import { retryWords } from './columns';
import { type CurrentRun } from './current-run';

/** Peers listed in the panel; Copy as JSON has them all. */
const MAX_PEER_ROWS = 500;

export interface DetailsLinks {
  /** The decoded answer of a row, kept by the host for the run (null when it has none). */
  getRaw(runId: number, rowId: string): Promise<RawView | null>;
  /** Draws a row again, its details included. */
  rerender(rowId: string): void;
}

export class TrackerDetails {
  /** Rows whose raw answer is open, for the run `openRunId`: a new run starts with them closed. */
  private rawOpen = new Set<string>();
  private openRunId: number | undefined;
  /** Raw answers fetched, by whether secrets were shown and row id: the host redacts them as it sends them. */
  private rawAnswers = new Map<string, RawView | null>();
  private rawRequested = new Set<string>();

  constructor(
    private readonly current: CurrentRun,
    private readonly links: DetailsLinks,
  ) {}

  render(row: TrackerRow): HTMLElement {
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
    fact('Retry in', row.retryIn === undefined ? undefined : row.retryIn === 'never' ? 'never' : retryWords(row.retryIn), 'retryIn');
    fact('Interval', seconds(row.interval), 'interval');
    fact('Min interval', seconds(row.minInterval), 'minInterval');
    fact('Min request interval', seconds(row.minRequestInterval), 'minRequestInterval');
    fact('Downloaders', row.downloaders === undefined ? undefined : formatCount(row.downloaders), 'downloaders');
    fact('External IP', row.externalIp, 'externalIp');
    fact('Tracker ID', row.trackerId, 'trackerId');
    fact(
      'Stopped',
      row.stopped ? (row.stopped.ok ? 'sent; the tracker forgot this announce' : `failed: ${row.stopped.error ?? ''}`) : undefined,
      'stopped',
    );
    box.append(facts);

    if (row.notes.length) box.append(section('notes', 'Notes', h('ul', {}, ...row.notes.map((n) => h('li', { text: n })))));
    if (row.attempts.length) box.append(attempts(row));
    if (row.peers.length) box.append(peers(row));
    if (row.hasRaw) box.append(this.rawAnswer(row));
    return box;
  }

  /** The raw answer: a button that fetches it from the host and shows it, or hides it again. */
  private rawAnswer(row: TrackerRow): HTMLElement {
    if (this.current.restored) {
      return section(
        'raw',
        'Raw answer',
        h('p', { class: 'muted', text: 'Raw answers are not kept when VS Code reloads; Rerun to see them.' }),
      );
    }
    const run = this.current.run;
    const runId = run?.runId ?? 0;
    if (runId !== this.openRunId) {
      this.rawOpen = new Set();
      this.rawAnswers = new Map();
      this.rawRequested = new Set();
      this.openRunId = runId;
    }
    const key = `${run?.secretsShown ? 'shown' : 'hidden'} ${row.id}`;
    const open = this.rawOpen.has(row.id);
    const fetch = () => {
      if (this.rawRequested.has(key)) return;
      this.rawRequested.add(key);
      void this.links.getRaw(runId, row.id).then((raw) => {
        // A rerun while the answer was on its way: it belongs to a run no longer shown.
        if (this.current.run?.runId !== runId) return;
        this.rawAnswers.set(key, raw);
        this.links.rerender(row.id);
      });
    };
    const load = button({
      label: 'Show the decoded answer',
      icon: 'json',
      text: open ? 'Hide raw answer' : 'Show raw answer',
      class: 'button secondary',
      data: { action: 'raw' },
      onClick: () => {
        if (open) this.rawOpen.delete(row.id);
        else this.rawOpen.add(row.id);
        this.links.rerender(row.id);
      },
    });
    const content: Node[] = [load];
    if (open) {
      // Open when secrets were shown or hidden since: the host sends it again as it is shown now.
      if (!this.rawAnswers.has(key)) fetch();
      const raw = this.rawAnswers.get(key);
      content.push(
        this.rawAnswers.has(key)
          ? h('pre', {
              class: 'raw mono',
              data: { field: 'raw' },
              text: raw === null || raw === undefined ? '(not available)' : rawText(raw, ''),
            })
          : h('p', { class: 'muted', text: 'Loading…' }),
      );
    }
    return section('raw', 'Raw answer', ...content);
  }
}

/** Seconds as given, and in larger units when there are many: `1,800 s (30 min)`. */
function seconds(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const exact = `${formatCount(value)} s`;
  const rounded = formatDuration(value);
  return rounded === exact ? exact : `${exact} (${rounded})`;
}

function section(name: string, heading: string, ...content: (Node | string)[]): HTMLElement {
  return h('section', { class: `detail ${name}`, data: { section: name } }, h('h2', { text: heading }), ...content);
}

function attempts(row: TrackerRow): HTMLElement {
  const list = h('ol', { class: 'attempts' });
  for (const a of row.attempts) {
    list.append(
      h(
        'li',
        { data: { attempt: a.step } },
        h('span', { class: 'mono', text: `+${formatCount(a.atMs)} ms` }),
        ' ',
        h('strong', { text: a.step }),
        ' ',
        h('span', { class: 'target', text: a.target }),
        ' → ',
        h('span', { class: 'outcome', text: `${a.outcome} (${formatCount(a.waitedMs)} ms)` }),
      ),
    );
  }
  return section('attempts', 'What was tried', list);
}

function peers(row: TrackerRow): HTMLElement {
  const table = h('table', { class: 'peers', attrs: { 'aria-label': 'Peers' } });
  table.append(
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
  table.append(body);
  const total = row.peersReceived ?? row.peers.length;
  const more =
    total > MAX_PEER_ROWS
      ? h('p', { class: 'muted', text: `${formatCount(total - MAX_PEER_ROWS)} more peers not shown; Copy as JSON has them all.` })
      : null;
  return section('peers', `Peers (${formatCount(total)})`, table, ...(more ? [more] : []));
}

/**
 * The decoded answer as indented text: dictionaries and lists nested, binary as hex; an answer that is not
 * bencode as its text, after a line that says what it is.
 */
function rawText(value: RawView, indent: string): string {
  if (typeof value === 'object' && 'text' in value) {
    const what = `${value.contentType ?? 'not bencode'}, ${formatCount(value.length)} bytes${value.truncated ? ', cut short' : ''}`;
    return `(${what})\n${value.text}`;
  }
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
  return `<${formatCount(value.length)} bytes: ${value.hex}${value.truncated ? '…' : ''}>`;
}
