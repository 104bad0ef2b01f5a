// What one row of an editor tree looks like: icon, label and value (torrent text), badges, a right-aligned
// detail, the byte span, and the row's action buttons. The host decides what a row says; this maps its
// icon and action ids to codicons and labels.

import { type IconId, type RowAction, type TreeRow } from '../../src/shared/protocol/editor';
import { button, h, icon } from '../common/dom';
import { shownText } from './shown-text';

const ICONS: Record<IconId, string> = {
  folder: 'folder',
  file: 'file',
  pad: 'symbol-null',
  symlink: 'file-symlink-file',
  tier: 'layers',
  tracker: 'radio-tower',
  seed: 'globe',
  node: 'server',
  key: 'symbol-key',
  dict: 'symbol-namespace',
  list: 'symbol-array',
  int: 'symbol-number',
  bytes: 'symbol-string',
  chunk: 'list-flat',
  hash: 'symbol-constant',
  error: 'error',
  warning: 'warning',
  info: 'info',
};

const ACTIONS: Record<RowAction, { icon: string; label: (row: TreeRow) => string }> = {
  announce: {
    icon: 'megaphone',
    label: (row) => (row.expandable ? 'Announce to every tracker of this tier' : 'Announce to this tracker'),
  },
  scrape: { icon: 'pulse', label: (row) => (row.expandable ? 'Scrape every tracker of this tier' : 'Scrape this tracker') },
  reveal: { icon: 'target', label: () => 'Show in the raw tree' },
  copy: { icon: 'copy', label: () => 'Copy' },
};

/** Fills a row's content element; `runAction` runs one of the row's action buttons. */
export function renderTreeRow(content: HTMLElement, row: TreeRow, runAction: (action: RowAction) => void): void {
  const iconName = row.icon === 'folder' && row.expanded ? 'folder-opened' : ICONS[row.icon];
  content.append(icon(iconName));
  content.append(shownText(row.label, 'label'));
  if (row.tone) content.parentElement?.setAttribute('data-tone', row.tone);
  else content.parentElement?.removeAttribute('data-tone');
  if (row.value) content.append(shownText(row.value, 'value'));
  for (const badge of row.badges ?? [])
    content.append(h('span', { class: `badge tone-${badge.tone}`, text: badge.text, title: badge.title }));
  content.append(h('span', { class: 'fill' }));
  if (row.detail) content.append(h('span', { class: 'detail', text: row.detail, title: row.detailTitle }));
  if (row.span)
    content.append(
      h('span', { class: 'span', text: `[${row.span[0]}, ${row.span[1]})`, title: row.detailTitle ?? 'byte span [start, end)' }),
    );
  if (row.actions?.length) {
    const actions = h('span', { class: 'actions' });
    for (const action of row.actions) {
      actions.append(
        button({
          label: ACTIONS[action].label(row),
          icon: ACTIONS[action].icon,
          class: 'icon-button',
          data: { action },
          onClick: (event) => {
            event.stopPropagation();
            runAction(action);
          },
        }),
      );
    }
    // The tree is one Tab stop: → moves from a row into its buttons (TreeView), so they stay out of the Tab order.
    for (const b of actions.querySelectorAll('button')) b.tabIndex = -1;
    content.append(actions);
  }
}
