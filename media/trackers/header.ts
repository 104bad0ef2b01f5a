// The panel's header: the torrent and what was asked (announce with its event, or scrape; which trackers;
// the hashes), a live summary of how the trackers did (how many worked, answered with an error, timed
// out, were unreachable, are still being asked or wait for a slot), and the toolbar (Rerun, Cancel, Copy
// as JSON, Log). The summary is a polite live region.

import { formatCount, formatSize, plural } from '../../src/shared/format';
import { type CopiedJson } from '../../src/shared/protocol/trackers';
import { countOutcomes, outcomeParts } from '../../src/shared/tracker-outcomes';
import { button, h, replace } from '../common/dom';
import { type CurrentRun } from './current-run';

export interface HeaderActions {
  rerun(): void;
  cancel(): void;
  /** Resolves once the results are on the clipboard, with what was copied. */
  copyJson(): Promise<CopiedJson>;
  showLog(): void;
  /** Says briefly what an action did. */
  confirm(message: string): void;
}

export class PanelHeader {
  readonly element: HTMLElement;
  private readonly title = h('h1', { attrs: { id: 'title' } });
  private readonly subtitle = h('div', { class: 'subtitle', attrs: { id: 'subtitle' } });
  private readonly summary = h('div', { class: 'summary', attrs: { id: 'summary', role: 'status', 'aria-live': 'polite' } });
  private readonly secretsNote = h('div', {
    class: 'secrets-note muted',
    attrs: { id: 'secrets-note' },
    text: 'Passkeys and other secrets are [redacted]; the setting torrentLens.privacy.showSecrets shows them.',
  });
  private readonly rerunButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;

  constructor(
    private readonly current: CurrentRun,
    actions: HeaderActions,
  ) {
    this.rerunButton = button({
      label: 'Rerun',
      icon: 'refresh',
      text: 'Rerun',
      class: 'button',
      data: { action: 'rerun' },
      onClick: () => actions.rerun(),
    });
    this.cancelButton = button({
      label: 'Cancel',
      icon: 'debug-stop',
      text: 'Cancel',
      class: 'button secondary',
      data: { action: 'cancel' },
      onClick: () => actions.cancel(),
    });
    this.copyButton = button({
      label: 'Copy as JSON',
      icon: 'copy',
      text: 'Copy as JSON',
      class: 'button secondary',
      data: { action: 'copy-json' },
      onClick: () => {
        void actions.copyJson().then((copied) => actions.confirm(copiedWords(copied)));
      },
    });
    const logButton = button({
      label: 'Show Log',
      icon: 'output',
      text: 'Log',
      class: 'button secondary',
      data: { action: 'show-log' },
      onClick: () => actions.showLog(),
    });
    this.rerunButton.id = 'rerun';
    this.cancelButton.id = 'cancel';
    this.copyButton.id = 'copy-json';
    logButton.id = 'show-log';
    const toolbar = h(
      'div',
      { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Tracker results actions' } },
      this.rerunButton,
      this.cancelButton,
      this.copyButton,
      logButton,
    );
    this.element = h(
      'header',
      { class: 'header' },
      h('div', { class: 'heading' }, this.title, this.subtitle, this.summary, this.secretsNote),
      toolbar,
    );
  }

  /** The title and what was asked, then the summary. */
  render(): void {
    this.renderHeading();
    this.renderSummary();
  }

  /** How the trackers did, and which actions make sense now. */
  renderSummary(): void {
    const summary = this.summary;
    const { run, restored } = this.current;
    this.secretsNote.hidden = !run?.secretsHidden;
    if (!run) {
      summary.textContent = '';
      return;
    }
    const counts = countOutcomes(run.rows);
    const total = run.rows.length;
    const hashes = new Set(run.rows.map((r) => r.hashKind)).size;
    // A hybrid torrent is asked about under two hashes: a row for each tracker and hash.
    const what = hashes > 1 ? `${plural(total / hashes, 'tracker')} × ${hashes} info hashes` : plural(total, 'tracker');
    const took = !run.running && run.durationMs !== undefined ? ` in ${formatCount(run.durationMs)} ms` : '';
    const parts = outcomeParts(counts).map((part) => h('span', { class: 'count', data: { count: part.status }, text: part.text }));
    replace(
      summary,
      restored ? 'From before VS Code reloaded: ' : '',
      `${what}${took}${run.cancelled ? ' (cancelled)' : ''}: `,
      ...parts.flatMap((part, i) => [i > 0 ? ', ' : '', part]),
      parts.length === 0 ? 'nothing yet' : '',
      '.',
      restored ? ' Rerun asks the trackers again.' : '',
    );
    summary.dataset.restored = String(restored);
    summary.dataset.state = run.running ? 'running' : 'finished';
    this.cancelButton.disabled = !run.running;
    this.rerunButton.disabled = run.running;
    // A restored run's answers stay in the webview only; the host makes the JSON from the answers themselves.
    this.copyButton.disabled = total === counts.waiting + counts.pending || restored;
  }

  private renderHeading(): void {
    const run = this.current.run;
    if (!run) {
      this.title.textContent = 'Tracker results';
      this.subtitle.textContent = '';
      return;
    }
    this.title.textContent = run.torrentName || run.fileName;
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
    replace(
      this.subtitle,
      h('span', { text: `${what} · ${run.scope} · ${run.fileName}` }),
      h('span', { class: 'hashes mono', text: hashes }),
    );
  }
}

/** What Copy as JSON says it copied. */
function copiedWords(copied: CopiedJson): string {
  return `Copied ${plural(copied.results, 'result')} as JSON (${formatSize(copied.bytes)})${copied.redacted ? ', secrets [redacted]' : ''}.`;
}
