// The toast: a short-lived line at the bottom of a webview (the editor, the tracker panel) that answers
// an action (copied, announcing, an error). A polite live region, so screen readers read it without moving focus.

import { h } from './dom';

const TOAST_MS = 3500;

export type ToastTone = 'info' | 'error';

export class Toast {
  readonly element = h('div', { class: 'toast', attrs: { id: 'toast', role: 'status', 'aria-live': 'polite' } });
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  /** Shows `message` for a few seconds, replacing whatever the toast said before. */
  show(message: string, tone: ToastTone = 'info'): void {
    this.element.textContent = message;
    this.element.className = `toast visible tone-${tone}`;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => (this.element.className = 'toast'), TOAST_MS);
  }
}
