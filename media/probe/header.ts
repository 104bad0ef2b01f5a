// The panel's header: what it is about (a magnet link's name, or a torrent and its file), the info hashes, and
// the toolbar: Cancel while it runs, Rerun after, Copy as JSON, the log; for a magnet link whose torrent is made,
// Open in the Editor and Save As…. Hashes are selectable text, so they can be copied.

import { type ProbePanelState } from '../../src/shared/protocol/probe';
import { button, h, replace } from '../common/dom';

export interface HeaderActions {
  cancel(): void;
  rerun(): void;
  copyJson(): Promise<void>;
  showLog(): void;
  openTorrent(): void;
  saveTorrent(): void;
}

export class PanelHeader {
  readonly element: HTMLElement;
  private readonly title = h('h1', { attrs: { id: 'title' } });
  private readonly subtitle = h('div', { class: 'subtitle', attrs: { id: 'subtitle' } });
  private readonly hashes = h('dl', { class: 'hashes', attrs: { id: 'hashes' } });
  private readonly cancelButton: HTMLButtonElement;
  private readonly rerunButton: HTMLButtonElement;
  private readonly openButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly copyButton: HTMLButtonElement;

  constructor(actions: HeaderActions, flash: (text: string) => void) {
    this.openButton = button({
      label: 'Open in the Torrent Lens editor',
      icon: 'go-to-file',
      text: 'Open',
      class: 'button',
      onClick: () => actions.openTorrent(),
    });
    this.saveButton = button({
      label: 'Save the torrent as a file',
      icon: 'save-as',
      text: 'Save As…',
      class: 'button',
      onClick: () => actions.saveTorrent(),
    });
    this.cancelButton = button({ label: 'Cancel', icon: 'debug-stop', text: 'Cancel', onClick: () => actions.cancel() });
    this.rerunButton = button({ label: 'Run again', icon: 'refresh', text: 'Rerun', onClick: () => actions.rerun() });
    this.copyButton = button({
      label: 'Copy the results as JSON',
      icon: 'copy',
      text: 'Copy as JSON',
      onClick: () => void actions.copyJson().then(() => flash('Copied the results as JSON.')),
    });
    const log = button({ label: 'Show the log', icon: 'output', text: 'Log', onClick: () => actions.showLog() });
    this.openButton.id = 'open-torrent';
    this.saveButton.id = 'save-torrent';
    this.cancelButton.id = 'cancel';
    this.rerunButton.id = 'rerun';
    this.copyButton.id = 'copy-json';
    log.id = 'show-log';
    const toolbar = h(
      'div',
      { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Probe actions' } },
      this.openButton,
      this.saveButton,
      this.cancelButton,
      this.rerunButton,
      this.copyButton,
      log,
    );
    this.element = h('header', { class: 'header' }, h('div', { class: 'heading' }, this.title, this.subtitle, this.hashes), toolbar);
  }

  render(state: ProbePanelState | null): void {
    if (!state) {
      this.title.textContent = 'Peers';
      this.subtitle.textContent = '';
      replace(this.hashes);
      for (const b of [this.openButton, this.saveButton, this.cancelButton, this.rerunButton, this.copyButton]) b.hidden = true;
      return;
    }
    this.title.textContent = state.title;
    this.subtitle.textContent = state.subtitle;
    replace(this.hashes, ...state.hashes.flatMap((line) => [h('dt', { text: line.label }), h('dd', { class: 'mono', text: line.value })]));
    const made = state.kind === 'magnet' && state.result !== undefined && state.result.problem === undefined;
    this.openButton.hidden = !made;
    this.saveButton.hidden = !made;
    this.cancelButton.hidden = false;
    this.rerunButton.hidden = false;
    this.copyButton.hidden = false;
    this.cancelButton.disabled = !state.running;
    this.rerunButton.disabled = state.running;
  }
}
