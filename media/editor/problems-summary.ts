// The problems block at the foot of the overview: how many errors, warnings and notes the file has, the
// first few of them (one line each, the whole text on hover) with a link to the byte each one is about,
// and a way to the Problems tab for all of them.

import { formatCount, plural } from '../../src/shared/format';
import { type DiagnosticView, type RevealTarget, type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, icon } from '../common/dom';

export interface ProblemLinks {
  /** Shows a byte of the file in the raw tree. */
  reveal(target: RevealTarget): void;
  /** Opens the Problems tab. */
  showAll(): void;
}

/** `1 error, 2 warnings`. */
export function severityCounts(d: Snapshot['diagnostics']): string {
  const parts: string[] = [];
  if (d.errors) parts.push(plural(d.errors, 'error'));
  if (d.warnings) parts.push(plural(d.warnings, 'warning'));
  if (d.infos) parts.push(plural(d.infos, 'note'));
  return parts.join(', ');
}

export function problemsSummary(diagnostics: Snapshot['diagnostics'], links: ProblemLinks): HTMLElement {
  const d = diagnostics;
  const list = h('ul', { class: 'diagnostics' });
  for (const item of d.first) list.append(problemItem(item, links));
  const heading = h(
    'h3',
    {},
    h('span', { text: `Problems: ${severityCounts(d)}` }),
    ' ',
    button({
      label: 'Show every problem in the Problems tab',
      text: d.total > d.first.length ? `Show all ${formatCount(d.total)}` : 'Open the Problems tab',
      class: 'link-button',
      data: { action: 'show-problems' },
      onClick: () => links.showAll(),
    }),
  );
  return h('div', { class: 'diagnostics-block', attrs: { id: 'diagnostics' } }, heading, list);
}

function problemItem(d: DiagnosticView, links: ProblemLinks): HTMLElement {
  const whole = d.location ? `${d.message} (${d.location})` : d.message;
  const item = h(
    'li',
    { class: `diagnostic severity-${d.severity}`, data: { code: d.code } },
    icon(d.severity, d.severity),
    h(
      'span',
      { class: 'message', text: d.message, title: whole },
      d.location ? h('span', { class: 'muted', text: ` ${d.location}` }) : null,
    ),
  );
  if (d.offset !== undefined) {
    const offset = d.offset;
    item.append(
      button({
        label: `Show byte ${formatCount(offset)} in the raw tree`,
        text: `byte ${formatCount(offset)}`,
        class: 'link-button',
        data: { offset: String(offset) },
        onClick: () => links.reveal({ kind: 'offset', offset }),
      }),
    );
  }
  return item;
}
