// The verify results as one component: a header (what was checked, the verdict, the actions), progress
// while the check runs, then the piece map and the file list. It talks to its host only through the
// VerifyViewHost it is given, so the same component can sit in this panel today and in the torrent editor
// later (as a section, with requests carried by the editor's own messenger).

import type { PieceCellDetail, VerifyFileFilter, VerifyProgressView, VerifyRows, VerifyRunView } from '../../src/shared/protocol/verify';
import { exactBytes, formatCount, formatSize, formatTimeLeft, plural } from '../../src/shared/format';
import { button, h, replace } from '../common/dom';
import { FileList } from './file-list';
import { PieceMap } from './piece-map';

/** What the component asks of whoever hosts it. */
export interface VerifyViewHost {
  rows(runId: number, filter: VerifyFileFilter, start: number, count: number): Promise<VerifyRows>;
  pieceMap(runId: number, cells: number): Promise<string>;
  pieceCell(runId: number, cells: number, cell: number): Promise<PieceCellDetail>;
  rerun(): void;
  cancel(): void;
  chooseFolder(): void;
  /** Resolves once the result is on the clipboard. */
  copyJson(): Promise<void>;
}

const VERSION_WORDS = { v1: 'v1', v2: 'v2', hybrid: 'hybrid (v1 and v2)' };

export class VerifyView {
  readonly element: HTMLElement;
  private readonly title = h('h1', { attrs: { id: 'title' }, text: 'Verify' });
  private readonly subtitle = h('div', { class: 'subtitle', attrs: { id: 'subtitle' } });
  private readonly verdict = h('div', { class: 'verdict', attrs: { id: 'verdict', role: 'status', 'aria-live': 'polite' } });
  private readonly meter = h('progress', { attrs: { id: 'meter', max: 1, value: 0, 'aria-label': 'Checked so far' } });
  private readonly empty = h('div', {
    class: 'empty',
    attrs: { id: 'empty' },
    text: 'Run Verify Local Data on a torrent to check the files on disk against it.',
  });
  private readonly rerunButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly folderButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly map = new PieceMap();
  private readonly files = new FileList();
  private run: VerifyRunView | null = null;
  private flashTimer: number | undefined;

  constructor(private readonly host: VerifyViewHost) {
    const action = (id: string, label: string, iconName: string, primary: boolean, onClick: () => void) => {
      const b = button({ label, text: label, icon: iconName, class: primary ? 'button' : 'button secondary', onClick });
      b.id = id;
      return b;
    };
    this.rerunButton = action('rerun', 'Verify Again', 'refresh', true, () => host.rerun());
    this.cancelButton = action('cancel', 'Cancel', 'debug-stop', false, () => host.cancel());
    this.folderButton = action('choose-folder', 'Choose Folder…', 'folder-opened', false, () => host.chooseFolder());
    this.copyButton = action('copy-json', 'Copy as JSON', 'copy', false, () => {
      void host.copyJson().then(() => this.flash('Copied the result as JSON.'));
    });
    const toolbar = h(
      'div',
      { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Verify actions' } },
      this.rerunButton,
      this.cancelButton,
      this.folderButton,
      this.copyButton,
    );
    this.meter.hidden = true;
    this.element = h(
      'div',
      { class: 'verify-view', attrs: { id: 'verify' } },
      h('header', { class: 'header' }, h('div', { class: 'heading' }, this.title, this.subtitle, this.verdict, this.meter), toolbar),
      this.empty,
      this.map.element,
      this.files.element,
    );
    this.show(null);
  }

  /** Shows a run (a new one, or the current one after the view reloads), or the empty note. */
  show(run: VerifyRunView | null): void {
    this.run = run;
    this.empty.hidden = run !== null;
    this.element.dataset.state = run?.state ?? 'none';
    if (!run) {
      this.title.textContent = 'Verify';
      this.subtitle.textContent = '';
      this.verdict.textContent = '';
      for (const b of [this.rerunButton, this.cancelButton, this.folderButton, this.copyButton]) b.disabled = true;
      this.map.show(undefined, 0);
      this.files.show(undefined, 'v1', 0, 0);
      return;
    }
    this.title.textContent = run.torrentName || run.fileName;
    replace(
      this.subtitle,
      h('span', {
        text: `${run.fileName} · ${VERSION_WORDS[run.version]} · ${plural(run.fileCount, 'file')} · ${plural(run.pieceCount, 'piece')} of ${formatSize(run.pieceLength)}`,
      }),
      h('span', { class: 'data-path' }, h('span', { text: 'Data: ' }), h('span', { class: 'mono', text: run.dataPath })),
    );
    this.renderState();
  }

  progress(runId: number, progress: VerifyProgressView): void {
    if (!this.run || this.run.runId !== runId || this.run.state !== 'running') return;
    this.run.progress = progress;
    this.renderState();
  }

  /** The run is over: done (with its verdict), cancelled or failed. */
  finished(run: VerifyRunView): void {
    if (this.run && this.run.runId !== run.runId) return;
    this.show(run);
  }

  private renderState(): void {
    const run = this.run;
    if (!run) return;
    const running = run.state === 'running';
    this.element.dataset.state = run.state;
    this.cancelButton.disabled = !running;
    this.rerunButton.disabled = running;
    this.folderButton.disabled = running;
    this.copyButton.disabled = run.state !== 'done';
    this.meter.hidden = !running;
    this.verdict.classList.remove('good', 'bad');
    if (running) {
      const p = run.progress;
      if (!p || p.phase === 'listing') this.verdict.textContent = 'Looking at the files…';
      else {
        const share = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 1;
        this.meter.value = share;
        this.verdict.textContent = `Checking: ${Math.floor(share * 100)}% of ${formatSize(p.bytesTotal)}${p.bytesPerSecond > 0 ? `, ${formatSize(p.bytesPerSecond)}/s` : ''}${p.etaSeconds !== undefined && share < 1 ? `, ${formatTimeLeft(p.etaSeconds)} left` : ''}`;
      }
      this.map.show(undefined, 0);
      this.files.show(undefined, run.version, 0, 0);
      return;
    }
    if (run.state === 'cancelled') this.verdict.textContent = 'Cancelled: nothing was decided.';
    else if (run.state === 'failed') this.verdict.textContent = `Could not verify: ${run.error ?? 'unknown error'}`;
    const s = run.summary;
    if (run.state !== 'done' || !s) {
      this.map.show(undefined, 0);
      this.files.show(undefined, run.version, 0, 0);
      return;
    }
    // A file that passes one version's hashes and fails the other's is damaged: not complete either.
    const problems = run.fileCount - s.files.complete;
    const wrong = [
      s.files.damaged ? `${formatCount(s.files.damaged)} damaged` : '',
      s.files['wrong-size'] ? `${formatCount(s.files['wrong-size'])} of the wrong size` : '',
      s.files.missing ? `${formatCount(s.files.missing)} missing` : '',
      s.files.unreadable ? `${formatCount(s.files.unreadable)} unreadable` : '',
      s.disagreeing ? `${formatCount(s.disagreeing)} passing one version's hashes and failing the other's` : '',
    ].filter(Boolean);
    this.verdict.classList.add(s.complete ? 'good' : 'bad');
    this.verdict.textContent = s.complete
      ? `Complete: every file and all ${formatCount(run.pieceCount)} pieces are good (${formatSize(s.bytesRead)} read in ${formatSeconds(s.elapsedMs)}).`
      : `${formatCount(s.files.complete)} of ${plural(run.fileCount, 'file')} complete; ${wrong.join(', ')}. ${formatCount(s.goodPieces)} of ${formatCount(run.pieceCount)} pieces good.`;
    this.verdict.title = `${exactBytes(s.bytesRead)} read`;
    const runId = run.runId;
    this.map.show(
      { pieceMap: (cells) => this.host.pieceMap(runId, cells), pieceCell: (cells, cell) => this.host.pieceCell(runId, cells, cell) },
      run.pieceCount,
      { good: s.goodPieces, bad: s.badPieces, missing: s.missingPieces },
    );
    this.files.show({ rows: (filter, start, count) => this.host.rows(runId, filter, start, count) }, run.version, problems, run.fileCount);
  }

  /** Says `text` in the verdict line for a moment. */
  private flash(text: string): void {
    const previous = this.verdict.textContent;
    this.verdict.textContent = text;
    window.clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => {
      if (this.verdict.textContent === text) this.verdict.textContent = previous;
    }, 2500);
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${formatCount(Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`;
}
