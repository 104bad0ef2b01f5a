// How a string from the torrent looks in the editor: its text, a marker when its bytes were not UTF-8,
// and a note when the host cut it. Shared by the overview, the trees and the error view, so that a torrent
// string reads the same everywhere; it only ever becomes a text node.

import { formatCount } from '../../src/shared/format';
import { type ShownText } from '../../src/shared/protocol/editor';
import { h } from '../common/dom';

const NOT_UTF8_TITLE = 'These bytes are not valid UTF-8; they are shown as latin-1 (one character per byte).';

/** A torrent string as DOM: the text, a marker when it is not UTF-8, and a note when it was cut. */
export function shownText(shown: ShownText, className = 'text'): HTMLSpanElement {
  const span = h('span', { class: className, text: shown.text });
  const wrapper = h('span', { class: 'shown' }, span);
  if (!shown.utf8) {
    wrapper.append(h('span', { class: 'marker not-utf8', text: 'latin-1', title: NOT_UTF8_TITLE, data: { marker: 'not-utf8' } }));
  }
  if (shown.omitted) wrapper.append(h('span', { class: 'omitted', text: `… ${formatCount(shown.omitted)} more` }));
  return wrapper;
}
