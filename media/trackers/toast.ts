// The toast: a short-lived line at the bottom of the panel that answers an action (what Copy as JSON
// copied), as the editor's does. A polite live region, so screen readers read it without moving focus.

import { h } from '../common/dom';

const TOAST_MS = 3500;

export class Toast {
  readonly element = h('div', { class: 'toast', attrs: { id: 'toast', role: 'status', 'aria-live': 'polite' } });
  private hideTimer: number | undefined;

  /** Shows `message` for a few seconds, replacing whatever the toast said before. */
  show(message: string): void {
    this.element.textContent = message;
    this.element.classList.add('visible');
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => this.element.classList.remove('visible'), TOAST_MS);
  }
}
