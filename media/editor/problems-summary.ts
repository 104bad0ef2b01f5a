// The problems block at the foot of the overview: how many errors, warnings and notes the file has, the
// first few of them with a link to the byte each one is about, and a way to the Problems tab for the rest.

import { formatCount, plural } from '../../src/shared/format';
import { type DiagnosticView, type RevealTarget, type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, icon } from '../common/dom';
import { shownText } from './shown-text';

export interface ProblemLinks {
  /** Shows a byte of the file in the raw tree. */
  reveal(target: RevealTarget): void;
  /** Opens the Problems tab. */
  showAll(): void;
}

export function problemsSummary(diagnostics: Snapshot['diagnostics'], links: ProblemLinks): HTMLElement {
  const d = diagnostics;
  const parts: string[] = [];
  if (d.errors) parts.push(plural(d.errors, 'error'));
  if (d.warnings) parts.push(plural(d.warnings, 'warning'));
  if (d.infos) parts.push(plural(d.infos, 'note'));
  const list = h('ul', { class: 'diagnostics' });
  for (const item of d.first) list.append(problemItem(item, links));
  const section = h(
    'div',
    { class: 'diagnostics-block', attrs: { id: 'diagnostics' } },
    h('h3', { text: `Problems: ${parts.join(', ')}` }),
    list,
  );
  if (d.total > d.first.length) {
    section.append(
      button({
        label: 'Show every problem',
        text: `Show all ${formatCount(d.total)}`,
        class: 'link-button',
        onClick: () => links.showAll(),
      }),
    );
  }
  return section;
}

function problemItem(d: DiagnosticView, links: ProblemLinks): HTMLElement {
  const item = h(
    'li',
    { class: `diagnostic severity-${d.severity}`, data: { code: d.code } },
    icon(d.severity, d.severity),
    shownText({ text: d.message, utf8: true }, 'message'),
  );
  if (d.location) item.append(h('span', { class: 'muted', text: ` ${d.location}` }));
  if (d.offset !== undefined) {
    const offset = d.offset;
    item.append(
      ' ',
      button({
        label: `Show byte ${offset} in the raw tree`,
        text: `byte ${formatCount(offset)}`,
        class: 'link-button',
        data: { offset: String(offset) },
        onClick: () => links.reveal({ kind: 'offset', offset }),
      }),
    );
  }
  return item;
}
