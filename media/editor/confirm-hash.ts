// The question an edit of the info dictionary asks before it is made (a new name, source or private flag): it says
// that the info hash changes, shows the old and the new hashes, and makes the edit only when the user says so. A
// modal dialog over the editor (WAI-ARIA alertdialog): focus starts on Cancel, Tab stays inside, Escape cancels, and
// focus goes back where it was.

import { type HashView } from '../../src/shared/protocol/editor';
import { button, h } from '../common/dom';

export interface HashQuestion {
  /** What the edit does, in a few words ("Set the source to …"). */
  title: string;
  message: string;
  before: HashView;
  after: HashView;
}

export class ConfirmHash {
  readonly element = h('div', { class: 'modal-backdrop' });
  private readonly dialog = h('div', {
    class: 'confirm-dialog',
    attrs: { role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
    data: { field: 'confirm-hash' },
  });
  private answer: ((confirmed: boolean) => void) | undefined;
  private returnFocus: HTMLElement | undefined;

  constructor() {
    this.element.hidden = true;
    this.element.append(this.dialog);
    this.dialog.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  /** Asks; resolves true when the user confirmed the new info hash. */
  ask(question: HashQuestion): Promise<boolean> {
    this.answer?.(false);
    const active = document.activeElement;
    this.returnFocus = active instanceof HTMLElement ? active : undefined;
    const cancel = button({
      label: 'Cancel: keep the info hash',
      text: 'Cancel',
      data: { action: 'confirm-cancel' },
      onClick: () => this.close(false),
    });
    const confirm = button({
      label: 'Change the info hash',
      text: 'Change Info Hash',
      class: 'button',
      data: { action: 'confirm-hash' },
      onClick: () => this.close(true),
    });
    this.dialog.replaceChildren(
      h('h2', { text: question.title, attrs: { id: 'confirm-title' } }),
      h('p', { text: question.message, attrs: { id: 'confirm-message' } }),
      h('dl', { class: 'hash-change' }, ...hashLines('Now', question.before, 'before'), ...hashLines('After', question.after, 'after')),
      h('div', { class: 'confirm-actions' }, confirm, cancel),
    );
    this.element.hidden = false;
    cancel.focus();
    return new Promise((resolve) => (this.answer = resolve));
  }

  private close(confirmed: boolean): void {
    const answer = this.answer;
    this.answer = undefined;
    this.element.hidden = true;
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
    answer?.(confirmed);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      this.close(false);
    } else if (event.key === 'Tab') {
      // Focus stays in the dialog.
      const buttons = [...this.dialog.querySelectorAll('button')];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      buttons[(at + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length]?.focus();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }
}

function hashLines(when: string, hashes: HashView, name: string): HTMLElement[] {
  const lines: HTMLElement[] = [];
  if (hashes.v1)
    lines.push(
      h('dt', { text: `${when}, v1` }),
      h('dd', {}, h('code', { class: 'hash', text: hashes.v1, data: { field: `hash-${name}-v1` } })),
    );
  if (hashes.v2)
    lines.push(
      h('dt', { text: `${when}, v2` }),
      h('dd', {}, h('code', { class: 'hash', text: hashes.v2, data: { field: `hash-${name}-v2` } })),
    );
  return lines;
}
