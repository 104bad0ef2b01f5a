// The error view: shown instead of the overview when the file is not a valid torrent. It names the problem,
// its byte offset (a link into the raw tree when something decoded) and the bytes around it, so the user
// sees exactly where the file breaks. Also where a failure to load the page at all is reported.

import { errorText, formatCount } from '../../src/shared/format';
import { type FailureView } from '../../src/shared/protocol/editor';
import { button, h, icon, replace } from '../common/dom';
import { shownText } from './shown-text';

export class ErrorView {
  readonly element = h('section', { class: 'error-view', attrs: { id: 'error', role: 'alert' } });

  /** `revealOffset` shows a byte of the file in the raw tree. */
  constructor(private readonly revealOffset: (offset: number) => void) {
    this.element.hidden = true;
  }

  /** Shows why the file did not parse, or hides the view when it did. */
  render(failure: FailureView | undefined): void {
    const view = this.element;
    view.hidden = !failure;
    if (!failure) {
      view.replaceChildren();
      delete view.dataset.code;
      return;
    }
    const heading = h('h2', {}, icon('error'), h('span', { text: 'This file is not a valid torrent' }));
    const message = h('p', { class: 'error-message', data: { field: 'error-message' } }, shownText({ text: failure.message, utf8: true }));
    const parts: HTMLElement[] = [heading, message];
    if (failure.offset !== undefined) parts.push(...this.location(failure, failure.offset));
    // The failure's code is for tools (the Problems view shows it); its message says it in words.
    view.dataset.code = failure.code;
    parts.push(
      h('p', {
        class: 'note',
        text: failure.partial
          ? 'The Raw tab shows everything that decoded before the problem.'
          : 'Nothing before the problem could be decoded.',
      }),
    );
    replace(view, ...parts);
  }

  /** The page could not get the file from the host at all. */
  showLoadFailure(error: unknown): void {
    this.element.hidden = false;
    replace(this.element, h('h2', { text: 'Torrent Lens could not show this file' }), h('p', { text: errorText(error) }));
  }

  /** The byte offset of the failure, and the bytes around it with the failing one marked. */
  private location(failure: FailureView, offset: number): HTMLElement[] {
    const at = h('p', { class: 'error-offset' }, h('span', { text: 'At ' }));
    const offsetButton = button({
      label: failure.partial ? 'Show this byte in the raw tree' : `byte ${formatCount(offset)}`,
      text: `byte ${formatCount(offset)}`,
      class: 'link-button',
      data: { offset: String(offset) },
      onClick: () => this.revealOffset(offset),
    });
    offsetButton.disabled = !failure.partial;
    at.append(offsetButton);
    const context = failure.context;
    if (!context) return [at];
    const hex = h('div', { class: 'hex-context', data: { field: 'error-context' }, attrs: { 'aria-label': 'Bytes around the error' } });
    context.hex.forEach((pair, i) => {
      const byteOffset = context.start + i;
      hex.append(
        h('span', { class: byteOffset === offset ? 'byte at-error' : 'byte', text: pair, title: `byte ${formatCount(byteOffset)}` }),
      );
    });
    if (offset >= context.start + context.hex.length) {
      hex.append(h('span', { class: 'byte at-error end', text: 'EOF', title: `byte ${formatCount(offset)}: the end of the file` }));
    }
    return [
      at,
      h(
        'div',
        { class: 'context' },
        h('span', { class: 'context-label', text: `bytes from ${formatCount(context.start)}:` }),
        hex,
        h('code', { class: 'context-text', text: context.text }),
      ),
    ];
  }
}
