// The editor's trees, one per section: virtualised TreeViews whose rows come from the host as the user
// scrolls and expands. They keep the user's place (first row in view, focused row, expanded rows) in the
// view memory, and hand row actions and reveals to the editor.

import {
  TREE_IDS,
  ROW_HEIGHT,
  type RevealReply,
  type RowAction,
  type Snapshot,
  type TreeId,
  type TreeRow,
} from '../../src/shared/protocol/editor';
import { TreeView } from '../common/tree-view';
import { type EditorHost } from './editor-host';
import { SECTIONS } from './sections';
import { renderTreeRow } from './tree-row';
import { type ViewMemory } from './view-memory';

export interface TreeEvents {
  /** A row's action button, or Ctrl+C on a row that can be copied. */
  action(tree: TreeId, row: TreeRow, action: RowAction): void;
  /** Enter or double-click on a row that has a place in the raw tree. */
  revealSource(tree: TreeId, row: TreeRow): void;
}

const NOT_PARSED = 'Not available: the file did not parse as a torrent.';

export class Trees {
  private readonly trees = {} as Record<TreeId, TreeView<TreeRow>>;

  constructor(
    host: Pick<EditorHost, 'rows' | 'setExpanded' | 'reveal'>,
    private readonly memory: ViewMemory,
    events: TreeEvents,
  ) {
    const view = memory.view;
    for (const id of TREE_IDS) {
      const tree = new TreeView<TreeRow>({
        label: SECTIONS[id].label,
        rowHeight: ROW_HEIGHT,
        overscan: 10,
        source: {
          fetch: (start, count) => host.rows(id, start, count),
          setExpanded: async (row, expanded) => {
            const change = await host.setExpanded(id, row.id, expanded);
            view.expanded[id] = change.expanded;
            return change;
          },
          locate: async (rowId) => {
            const reply = await host.reveal({ kind: 'row', tree: id, id: rowId });
            if (reply) view.expanded[id] = reply.expanded;
            return reply;
          },
          render: (content, row) => renderTreeRow(content, row, (action) => events.action(id, row, action)),
          activate: (row) => {
            if (row.actions?.includes('reveal')) events.revealSource(id, row);
          },
          keydown: (row, event) => {
            if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c' && row.actions?.includes('copy')) {
              events.action(id, row, 'copy');
              return true;
            }
            return false;
          },
          changed: () => memory.saveSoon(),
        },
      });
      tree.setEmptyMessage(SECTIONS[id].empty);
      this.trees[id] = tree;
    }
  }

  /** A tree's scroll container, to be placed in its section. */
  element(id: TreeId): HTMLElement {
    return this.trees[id].element;
  }

  /** Takes a new snapshot: every tree's size and expansion, and the first rows of the selected one. */
  applySnapshot(snapshot: Snapshot): void {
    const view = this.memory.view;
    for (const id of TREE_IDS) {
      const info = snapshot.trees[id];
      view.expanded[id] = info.expanded;
      const selected = id === snapshot.tab;
      if (selected) view.top[id] = snapshot.rows.start;
      const tree = this.trees[id];
      tree.setEmptyMessage(snapshot.failure && id !== 'raw' && id !== 'problems' ? NOT_PARSED : SECTIONS[id].empty);
      tree.setData({ version: snapshot.version, total: info.rows, page: selected ? snapshot.rows : undefined, focusId: view.focus[id] });
    }
  }

  /** Notes where a tree is scrolled to and which row has focus, while it is on screen (hidden, it has no size). */
  rememberPlace(id: TreeId): void {
    const tree = this.trees[id];
    if (!tree.element.isConnected || tree.element.clientHeight === 0) return;
    this.memory.view.top[id] = tree.topIndex;
    const focus = tree.focusedId;
    if (focus !== undefined) this.memory.view.focus[id] = focus;
  }

  /** Scrolls a tree that just came on screen back to where it was, and focuses it if asked. */
  restorePlace(id: TreeId, focus: boolean): void {
    const tree = this.trees[id];
    tree.scrollTo(this.memory.view.top[id] ?? 0);
    if (focus) tree.focus();
  }

  /** Moves to the row the host found for a reveal, its ancestors now expanded, and focuses it. */
  showRevealed(reply: RevealReply): void {
    this.memory.view.expanded[reply.tree] = reply.expanded;
    const tree = this.trees[reply.tree];
    tree.setData({ version: reply.version, total: reply.total, focusId: reply.id });
    tree.focusRow(reply.index, { takeFocus: true, align: 'center' });
  }

  /** Lays a tree out again (the window changed size). */
  refresh(id: TreeId): void {
    this.trees[id].refresh();
  }
}
