// A text field that edits one value in place (a tracker URL in its row, a field of the overview, a new web seed in
// a bar): the value as stored to start from, a check by the host as the user types (a pause in typing, then one
// request), its verdict under the field (a problem that stops Enter, or a warning), Enter to save and Escape to
// cancel. The host makes the edit; the field only asks, so there is one history of edits: VS Code's.

import { type EditCheck } from '../../src/shared/protocol/editor';
import { button, h, icon } from '../common/dom';

/** Typing pauses this long before the host checks the value. */
const CHECK_DELAY_MS = 120;

/** What became of a value the field saved: `done` (the field goes), `kept` (the user went back on it), or a problem. */
export type CommitResult = 'done' | 'kept' | { problem: string };

export interface InlineInputOptions {
  /** The field's accessible name ("Tracker URL"). */
  label: string;
  value: string;
  placeholder?: string;
  /** A text area (Ctrl+Enter saves) instead of a one-line field. */
  multiline?: boolean;
  /** Names the field for tests and styles (`data-field`). */
  field?: string;
  /** Asks the host what it thinks of the value. */
  check(value: string): Promise<EditCheck>;
  /** Saves the value; the field stays unless it is done. */
  commit(value: string): Promise<CommitResult>;
  /** The user gave up (Escape, or the Cancel button). */
  cancel(): void;
}

export class InlineInput {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement | HTMLTextAreaElement;
  private readonly message = h('div', { class: 'inline-message', attrs: { role: 'status', 'aria-live': 'polite' } });
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The verdict on the value as it is now; undefined while a check is on its way. */
  private verdict: EditCheck | undefined = {};
  private asked = 0;
  private busy = false;
  private finished = false;

  constructor(private readonly options: InlineInputOptions) {
    const attrs = {
      'aria-label': options.label,
      placeholder: options.placeholder,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-invalid': 'false',
    };
    this.input = options.multiline
      ? h('textarea', { class: 'inline-field', attrs: { ...attrs, rows: 3 }, data: { field: options.field } })
      : h('input', { class: 'inline-field', attrs: { ...attrs, type: 'text' }, data: { field: options.field } });
    this.input.value = options.value;
    const id = `inline-message-${Math.random().toString(36).slice(2)}`;
    this.message.id = id;
    this.input.setAttribute('aria-describedby', id);
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('keydown', (event) => this.onKeydown(event as KeyboardEvent));
    const save = button({
      label: options.multiline ? 'Save (Ctrl+Enter)' : 'Save (Enter)',
      icon: 'check',
      class: 'icon-button',
      data: { action: 'inline-save' },
      onClick: () => void this.commit(),
    });
    const cancel = button({
      label: 'Cancel (Escape)',
      icon: 'close',
      class: 'icon-button',
      data: { action: 'inline-cancel' },
      onClick: () => this.cancel(),
    });
    this.element = h(
      'div',
      { class: options.multiline ? 'inline-input multiline' : 'inline-input' },
      h('div', { class: 'inline-row' }, this.input, save, cancel),
      this.message,
    );
    // Clicks in the field stay in the field: the row or the overview around it must not act on them.
    this.element.addEventListener('click', (event) => event.stopPropagation());
    this.element.addEventListener('dblclick', (event) => event.stopPropagation());
    this.element.addEventListener('contextmenu', (event) => event.stopPropagation());
    this.message.hidden = true;
  }

  get value(): string {
    return this.input.value;
  }

  /** Puts the cursor in the field, the whole value selected. */
  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /** Shows a message under the field (a problem, or a note). */
  show(text: string, tone: 'problem' | 'warning'): void {
    this.message.replaceChildren(icon(tone === 'problem' ? 'error' : 'warning'), h('span', { text }));
    this.message.dataset.tone = tone;
    this.message.hidden = false;
    this.element.dataset.tone = tone;
    this.input.setAttribute('aria-invalid', String(tone === 'problem'));
  }

  private clearMessage(): void {
    this.message.replaceChildren();
    this.message.hidden = true;
    delete this.element.dataset.tone;
    this.input.setAttribute('aria-invalid', 'false');
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.verdict = undefined;
    this.timer = setTimeout(() => void this.runCheck(), CHECK_DELAY_MS);
  }

  /** Asks the host about the value now; answers to older values are dropped. */
  private async runCheck(): Promise<EditCheck> {
    clearTimeout(this.timer);
    const asked = ++this.asked;
    const value = this.input.value;
    let verdict: EditCheck;
    try {
      verdict = await this.options.check(value);
    } catch {
      verdict = {};
    }
    if (asked !== this.asked || this.finished) return verdict;
    this.verdict = verdict;
    if (verdict.problem !== undefined) this.show(verdict.problem, 'problem');
    else if (verdict.warning !== undefined) this.show(verdict.warning, 'warning');
    else this.clearMessage();
    return verdict;
  }

  private async commit(): Promise<void> {
    if (this.busy || this.finished) return;
    this.busy = true;
    try {
      const verdict = this.verdict ?? (await this.runCheck());
      if (verdict.problem !== undefined) {
        this.input.focus();
        return;
      }
      const result = await this.options.commit(this.input.value);
      if (result === 'done') {
        this.finished = true;
      } else {
        if (result !== 'kept') this.show(result.problem, 'problem');
        if (this.input.isConnected) this.input.focus();
      }
    } finally {
      this.busy = false;
    }
  }

  private cancel(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.options.cancel();
  }

  private onKeydown(event: KeyboardEvent): void {
    const multiline = this.options.multiline === true;
    let handled = true;
    if (event.key === 'Escape') this.cancel();
    else if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) void this.commit();
    else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }
}
