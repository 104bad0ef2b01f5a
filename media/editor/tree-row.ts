// What one row of an editor tree looks like: icon, label and value (torrent text), badges, figures in
// columns (a file's pieces and share), a right-aligned detail, the byte span (raw tree), and the row's
// buttons. The host decides what a row says; this maps its icon and action ids to codicons and words, and
// lists the row's actions for its menu.

import { formatSpan } from '../../src/shared/format';
import { type IconId, type RowAction, type TreeId, type TreeRow } from '../../src/shared/protocol/editor';
import { button, h, icon } from '../common/dom';
import { type MenuItem } from '../common/menu';
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

/** A warning that goes with every copy of a secret. */
export const SECRET_NOTE = 'Anyone who has it can announce as you.';

interface ActionLook {
  icon: string;
  label(tree: TreeId, row: TreeRow): string;
  /** The key that does it without the menu. */
  shortcut?: string;
  note?: string;
  /** Whether the row shows it as a button too (the rest are in its menu only). */
  button: boolean;
}

const ACTIONS: Record<RowAction, ActionLook> = {
  announce: {
    icon: 'megaphone',
    label: (_tree, row) => (row.expandable ? 'Announce to Every Tracker of This Tier' : 'Announce to This Tracker'),
    button: true,
  },
  scrape: {
    icon: 'pulse',
    label: (_tree, row) => (row.expandable ? 'Scrape Every Tracker of This Tier' : 'Scrape This Tracker'),
    button: true,
  },
  open: { icon: 'link-external', label: () => 'Open Link', note: 'VS Code asks before it opens it.', button: true },
  copy: { icon: 'copy', label: (tree) => COPY_LABELS[tree], shortcut: 'Ctrl+C', button: true },
  copyName: { icon: 'copy', label: () => 'Copy Name', button: false },
  copyWithSecrets: { icon: 'key', label: () => 'Copy URL with Its Secrets', note: SECRET_NOTE, button: false },
  reveal: { icon: 'target', label: () => 'Show in Raw Tree', button: true },
  edit: { icon: 'edit', label: () => 'Edit URL', shortcut: 'F2', button: true },
  addTracker: { icon: 'add', label: () => 'Add Tracker to This Tier', button: false },
  moveUp: { icon: 'arrow-up', label: (_tree, row) => (row.expandable ? 'Move Tier Up' : 'Move Up'), shortcut: 'Alt+↑', button: false },
  moveDown: {
    icon: 'arrow-down',
    label: (_tree, row) => (row.expandable ? 'Move Tier Down' : 'Move Down'),
    shortcut: 'Alt+↓',
    button: false,
  },
  moveToNewTier: { icon: 'layers', label: () => 'Move to a Tier of Its Own', button: false },
  remove: { icon: 'trash', label: (tree, row) => REMOVE_LABELS[tree](row), shortcut: 'Delete', button: false },
};

const REMOVE_LABELS: Record<TreeId, (row: TreeRow) => string> = {
  files: () => 'Remove',
  trackers: (row) => (row.expandable ? 'Remove Tier' : 'Remove Tracker'),
  webseeds: () => 'Remove Web Seed',
  nodes: () => 'Remove DHT Node',
  keys: () => 'Remove Key',
  raw: () => 'Remove',
  problems: () => 'Remove',
};

const COPY_LABELS: Record<TreeId, string> = {
  files: 'Copy Path',
  trackers: 'Copy URL',
  webseeds: 'Copy URL',
  nodes: 'Copy Address',
  keys: 'Copy Value',
  raw: 'Copy Value',
  problems: 'Copy',
};

/** The label of a row action, as its button and its menu item say it. */
export function actionLabel(tree: TreeId, row: TreeRow, action: RowAction): string {
  return ACTIONS[action].label(tree, row);
}

/** The items of a row's menu: every action of the row. */
export function rowMenu(tree: TreeId, row: TreeRow, runAction: (action: RowAction) => void): MenuItem[] {
  return (row.actions ?? []).map((action) => {
    const look = ACTIONS[action];
    return { id: action, label: look.label(tree, row), shortcut: look.shortcut, note: look.note, run: () => runAction(action) };
  });
}

/** Fills a row's content element; `runAction` runs one of the row's action buttons. */
export function renderTreeRow(content: HTMLElement, tree: TreeId, row: TreeRow, runAction: (action: RowAction) => void): void {
  const iconName = row.icon === 'folder' && row.expanded ? 'folder-opened' : ICONS[row.icon];
  content.append(icon(iconName));
  content.append(labelText(row));
  if (row.title) content.title = row.title;
  else content.removeAttribute('title');
  if (row.tone) content.parentElement?.setAttribute('data-tone', row.tone);
  else content.parentElement?.removeAttribute('data-tone');
  if (row.value) {
    const value = shownText(row.value, 'value');
    value.classList.add('value-wrap');
    content.append(value);
  }
  for (const badge of row.badges ?? [])
    content.append(h('span', { class: `badge tone-${badge.tone}`, text: badge.text, title: badge.title }));
  content.append(h('span', { class: 'fill' }));
  for (const column of row.columns ?? [])
    content.append(
      h('span', { class: `column column-${column.name}`, text: column.text, title: column.title, data: { column: column.name } }),
    );
  if (row.detail) content.append(h('span', { class: 'detail', text: row.detail, title: row.detailTitle }));
  if (row.span)
    content.append(
      h('span', { class: 'span', text: formatSpan(row.span[0], row.span[1]), title: row.detailTitle ?? 'byte span [start, end)' }),
    );
  const buttons = (row.actions ?? []).filter((action) => ACTIONS[action].button);
  if (buttons.length > 0) {
    const actions = h('span', { class: 'actions' });
    for (const action of buttons) {
      actions.append(
        button({
          label: actionLabel(tree, row, action),
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

/** The label, with the part the files filter matched marked. */
function labelText(row: TreeRow): HTMLElement {
  const shown = shownText(row.label, 'label');
  shown.classList.add('label-wrap');
  const match = row.match;
  const label = shown.firstElementChild;
  if (match && label && match[0] >= 0 && match[1] <= row.label.text.length && match[0] < match[1]) {
    const text = row.label.text;
    label.replaceChildren(
      text.slice(0, match[0]),
      h('span', { class: 'match', text: text.slice(match[0], match[1]) }),
      text.slice(match[1]),
    );
  }
  return shown;
}
