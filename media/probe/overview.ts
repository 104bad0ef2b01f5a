// What the run is doing and what it found, above the lists: a one-sentence summary (a polite live region), the
// counts, the trackers asked with each one's answer, what a magnet link says, and the torrent it gave with the
// notes that go with it. For a probe, the swarm's figures and the piece picture.

import { formatCount } from '../../src/shared/format';
import { type ProbePanelState, type TrackerLine } from '../../src/shared/protocol/probe';
import { h, icon, replace } from '../common/dom';
import { PiecePicture } from './piece-picture';

const TRACKER_STATUS: Record<TrackerLine['status'], { label: string; icon: string }> = {
  pending: { label: 'waiting', icon: 'loading codicon-modifier-spin' },
  working: { label: 'answered', icon: 'pass' },
  'tracker-error': { label: 'tracker error', icon: 'error' },
  unreachable: { label: 'unreachable', icon: 'debug-disconnect' },
  'timed-out': { label: 'timed out', icon: 'watch' },
  'not-contacted': { label: 'not contacted', icon: 'circle-slash' },
  cancelled: { label: 'cancelled', icon: 'stop-circle' },
};

export class Overview {
  readonly element: HTMLElement;
  private readonly summary = h('p', { class: 'summary', attrs: { id: 'summary', role: 'status', 'aria-live': 'polite' } });
  private readonly counts = h('dl', { class: 'counts', attrs: { id: 'counts' } });
  private readonly result = h('section', { class: 'result', attrs: { id: 'result', 'aria-label': 'The torrent' } });
  private readonly link = h('details', { class: 'link', attrs: { id: 'link' } });
  private readonly trackers = h('details', { class: 'trackers', attrs: { id: 'trackers' } });
  private readonly swarm = h('section', { class: 'swarm', attrs: { id: 'swarm', 'aria-label': 'Availability' } });
  private readonly swarmFigures = h('dl', { class: 'counts', attrs: { id: 'swarm-figures' } });
  private readonly picture = new PiecePicture();
  private flashText: string | undefined;
  private flashTimer: number | undefined;
  private last: ProbePanelState | null = null;

  constructor() {
    this.link.open = true;
    this.swarm.append(h('h2', { text: 'Availability' }), this.swarmFigures, this.picture.element);
    this.element = h('div', { class: 'overview' }, this.summary, this.counts, this.result, this.link, this.trackers, this.swarm);
  }

  /** Says `text` in the summary for a moment. */
  flash(text: string): void {
    this.flashText = text;
    window.clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => {
      this.flashText = undefined;
      this.render(this.last);
    }, 2500);
    this.render(this.last);
  }

  render(state: ProbePanelState | null): void {
    this.last = state;
    if (!state) {
      this.summary.textContent = this.flashText ?? 'Starting…';
      for (const part of [this.counts, this.result, this.link, this.trackers, this.swarm]) part.hidden = true;
      return;
    }
    this.summary.textContent = this.flashText ?? state.summary;
    this.summary.dataset.state = state.running ? 'running' : 'finished';
    this.summary.dataset.status = state.status;
    this.renderCounts(state);
    this.renderResult(state);
    this.renderLink(state);
    this.renderTrackers(state);
    this.renderSwarm(state);
  }

  private renderCounts(state: ProbePanelState): void {
    const c = state.counts;
    const figures: [string, string, string][] = [
      ['found', 'Peers found', formatCount(c.found)],
      ['tried', 'Tried', formatCount(c.tried)],
      ['connected', 'Connected', formatCount(c.connected)],
      ['failed', 'Failed', formatCount(c.failed)],
    ];
    if (c.skipped > 0) figures.push(['skipped', 'Not asked (over the limit of peers)', formatCount(c.skipped)]);
    if (state.kind === 'magnet')
      figures.push([
        'blocks',
        'Metadata blocks',
        c.blocksTotal !== undefined ? `${formatCount(c.blocks)} of ${formatCount(c.blocksTotal)}` : formatCount(c.blocks),
      ]);
    this.counts.hidden = false;
    replace(this.counts, ...figures.map(([id, label, value]) => figure(label, value, { count: id })));
  }

  private renderResult(state: ProbePanelState): void {
    const result = state.result;
    this.result.hidden = result === undefined;
    if (!result) return;
    const parts: Node[] = [h('h2', { text: result.problem ? 'The metadata is not a torrent we can read' : 'The torrent' })];
    if (result.problem) parts.push(h('p', { class: 'problem', text: result.problem }));
    else {
      parts.push(
        h(
          'p',
          {},
          h('strong', { text: result.name, attrs: { id: 'result-name' } }),
          ' ',
          h('span', { class: 'muted', text: result.detail }),
        ),
        h('p', { class: 'muted', text: 'Opened in the Torrent Lens editor as an unsaved file: Save As… keeps it.' }),
      );
    }
    if (result.notes.length > 0)
      parts.push(h('ul', { class: 'notes', attrs: { id: 'result-notes' } }, ...result.notes.map((note) => h('li', { text: note }))));
    replace(this.result, ...parts);
  }

  private renderLink(state: ProbePanelState): void {
    const link = state.link;
    this.link.hidden = link === undefined;
    if (!link) return;
    const rows: Node[] = [];
    const list = (label: string, items: string[], id: string) => {
      if (items.length === 0) return;
      rows.push(
        h('dt', { text: `${label} (${formatCount(items.length)})` }),
        h('dd', {}, h('ul', { attrs: { id } }, ...items.map((item) => h('li', { class: 'mono', text: item })))),
      );
    };
    if (link.name !== undefined) rows.push(h('dt', { text: 'Name (dn)' }), h('dd', { text: link.name, attrs: { id: 'link-name' } }));
    list('Trackers (tr)', link.trackers, 'link-trackers');
    list('Web seeds (ws)', link.webSeeds, 'link-webseeds');
    list('Peers (x.pe)', link.peers, 'link-peers');
    list('More', link.more, 'link-more');
    if (link.trackers.length === 0 && link.peers.length === 0)
      rows.push(h('dt', { text: 'Sources' }), h('dd', { text: 'The link names no trackers and no peers: add peers below.' }));
    replace(this.link, h('summary', { text: 'What the magnet link says' }), h('dl', { class: 'facts' }, ...rows));
  }

  private renderTrackers(state: ProbePanelState): void {
    const lines = state.trackers;
    this.trackers.hidden = lines.length === 0 && state.announced;
    if (lines.length === 0) {
      replace(
        this.trackers,
        h('summary', { text: state.announced ? 'Trackers' : 'Trackers: not asked' }),
        h('p', {
          class: 'muted',
          text: 'No tracker was asked for peers (there are none, or announcing was declined). Add peers by hand below.',
        }),
      );
      this.trackers.hidden = false;
      return;
    }
    const { total, answered, waiting } = state.trackerCounts;
    const items = lines.map((line) => {
      const status = TRACKER_STATUS[line.status];
      const what = line.status === 'working' ? `${formatCount(line.peers ?? 0)} peers` : (line.error ?? status.label);
      return h(
        'li',
        { data: { status: line.status } },
        h('span', { class: `status status-${line.status}` }, icon(status.icon), h('span', { text: status.label })),
        ' ',
        h('span', { class: 'mono url', text: line.url }),
        line.hashKind === 'v2' ? h('span', { class: 'muted', text: ' (v2 hash)' }) : null,
        h('span', { class: 'muted', text: ` — ${what}` }),
      );
    });
    if (total > lines.length) items.push(h('li', { class: 'muted', text: `… and ${formatCount(total - lines.length)} more` }));
    replace(
      this.trackers,
      h('summary', {
        text: `Trackers: ${formatCount(answered)} of ${formatCount(total)} answered${waiting > 0 ? `, ${formatCount(waiting)} waiting` : ''}`,
      }),
      h('ul', { class: 'tracker-lines' }, ...items),
    );
  }

  private renderSwarm(state: ProbePanelState): void {
    const swarm = state.swarm;
    this.swarm.hidden = swarm === undefined;
    this.picture.render(swarm);
    if (!swarm) return;
    const figures: [string, string, string][] = [
      ['peers', 'Peers that said what they have', formatCount(swarm.peers)],
      ['seeds', 'Seeds', formatCount(swarm.seeds)],
      ['distributed-copies', 'Distributed copies', swarm.peers === 0 ? '–' : swarm.distributedCopies.toFixed(3)],
      ['available', 'Pieces available', swarm.peers === 0 ? '–' : `${(Math.round(swarm.availableFraction * 1000) / 10).toFixed(1)}%`],
    ];
    replace(this.swarmFigures, ...figures.map(([id, label, value]) => figure(label, value, { figure: id })));
  }
}

/** One figure of a `dl.counts`: its label and value kept together when the line wraps. */
function figure(label: string, value: string, data: Record<string, string>): HTMLElement {
  return h('div', { class: 'figure' }, h('dt', { text: label }), h('dd', { text: value, data }));
}
