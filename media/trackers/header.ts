// The panel's header: the torrent and what was asked (announce with its event, or scrape; which trackers;
// the hashes), a live summary of how many trackers answered, and the toolbar (Rerun, Cancel, Copy as
// JSON, Log). The summary is a polite live region; it briefly says when something was copied.

import { formatCount } from '../../src/shared/format';
import { button, h, replace } from '../common/dom';
import { type CurrentRun } from './current-run';

const FLASH_MS = 2500;

export interface HeaderActions {
  rerun(): void;
  cancel(): void;
  /** Resolves once the results are on the clipboard. */
  copyJson(): Promise<void>;
  showLog(): void;
}

export class PanelHeader {
  readonly element: HTMLElement;
  private readonly title = h('h1', { attrs: { id: 'title' } });
  private readonly subtitle = h('div', { class: 'subtitle', attrs: { id: 'subtitle' } });
  private readonly summary = h('div', { class: 'summary', attrs: { id: 'summary', role: 'status', 'aria-live': 'polite' } });
  private readonly rerunButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;
  private flashTimer: number | undefined;

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
        void actions.copyJson().then(() => this.flash('Copied the results as JSON.'));
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
    this.element = h('header', { class: 'header' }, h('div', { class: 'heading' }, this.title, this.subtitle, this.summary), toolbar);
  }

  /** The title and what was asked, then the summary. */
  render(): void {
    this.renderHeading();
    this.renderSummary();
  }

  /** How many trackers answered, and which actions make sense now. */
  renderSummary(): void {
    const summary = this.summary;
    if (summary.dataset.flash) {
      summary.textContent = summary.dataset.flash;
      return;
    }
    const { run, restored } = this.current;
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
        : `${working} of ${total} answered${run.durationMs !== undefined ? ` in ${formatCount(run.durationMs)} ms` : ''}${run.cancelled ? ' (cancelled)' : ''}.`;
    summary.dataset.state = run.running ? 'running' : 'finished';
    this.cancelButton.disabled = !run.running;
    this.rerunButton.disabled = run.running;
    // A restored run's answers stay in the webview only; the host makes the JSON from the answers themselves.
    this.copyButton.disabled = done === 0 || restored;
  }

  /** Says `text` in the summary for a moment, then the summary again. */
  private flash(text: string): void {
    this.summary.dataset.flash = text;
    this.renderSummary();
    window.clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => {
      delete this.summary.dataset.flash;
      this.renderSummary();
    }, FLASH_MS);
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
