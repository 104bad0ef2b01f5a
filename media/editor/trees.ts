// The editor's trees, one per section: virtualised TreeViews whose rows come from the host as the user
// scrolls and expands. They keep the user's place (first row in view, focused row, expanded rows) in the
// view memory, and hand row actions, row menus and reveals to the editor. The files tree also hands typing
// to its filter.

import {
  TREE_IDS,
  ROW_HEIGHT,
  type FilesViewReply,
  type RevealReply,
  type RowAction,
  type Snapshot,
  type TreeChange,
  type TreeId,
  type TreeRow,
} from '../../src/shared/protocol/editor';
import { TreeView } from '../common/tree-view';
import { type EditorHost } from './editor-host';
import { SECTIONS } from './sections';
import { renderTreeRow } from './tree-row';
import { type ViewMemory } from './view-memory';

export interface TreeEvents {
  /** A row's button, its menu's item, or its key (Ctrl+C). */
  action(tree: TreeId, row: TreeRow, action: RowAction): void;
  /** The row's menu, at the pointer or under the row. */
  menu(tree: TreeId, row: TreeRow, anchor: { x: number; y: number } | HTMLElement): void;
  /** A printable key typed in the files tree: it goes to the filter. */
  typeInFiles(text: string): void;
  /** Escape in the files tree: clears the filter; false when there was none. */
  clearFilesFilter(): boolean;
}

const NOT_PARSED = 'Not available: the file did not parse as a torrent.';
const NO_MATCH = 'No file name or path contains the filter.';

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
          render: (content, row) => renderTreeRow(content, id, row, (action) => events.action(id, row, action)),
          // Enter does what the row's one action does, or offers its actions when it has several.
          activate: (row, element) => {
            const actions = row.actions ?? [];
            if (actions.length === 1) events.action(id, row, actions[0]);
            else if (actions.length > 1) events.menu(id, row, element);
          },
          contextMenu: (row, anchor) => {
            if (row.actions?.length) events.menu(id, row, anchor);
          },
          keydown: (row, event) => {
            const key = event.key;
            if ((event.ctrlKey || event.metaKey) && !event.altKey && key.toLowerCase() === 'c' && row.actions?.includes('copy')) {
              events.action(id, row, 'copy');
              return true;
            }
            const edit = editKey(event);
            if (edit && row.actions?.includes(edit)) {
              events.action(id, row, edit);
              return true;
            }
            if (event.altKey) return false;
            if (id !== 'files') return false;
            if (key === 'Escape') return events.clearFilesFilter();
            // Type-ahead: a letter typed in the tree starts (or goes on with) the filter.
            if (key.length === 1 && key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
              events.typeInFiles(key);
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
    this.trees.files.element.id = 'files-tree';
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
      tree.setEmptyMessage(
        snapshot.failure && id !== 'raw' && id !== 'problems'
          ? NOT_PARSED
          : id === 'files' && snapshot.filesView.query
            ? NO_MATCH
            : SECTIONS[id].empty,
      );
      // The row the tree has focused now, if any: what the view memory holds may be older (it is saved after a pause).
      tree.setData({
        version: snapshot.version,
        total: info.rows,
        page: selected ? snapshot.rows : undefined,
        focusId: tree.focusedId ?? view.focus[id],
      });
    }
  }

  /** The files tree in a new order or filter: its first rows, from the top. */
  applyFilesView(reply: FilesViewReply): void {
    const view = this.memory.view;
    view.expanded.files = reply.expanded;
    view.top.files = 0;
    delete view.focus.files;
    const tree = this.trees.files;
    tree.setEmptyMessage(reply.filesView.query ? NO_MATCH : SECTIONS.files.empty);
    tree.setData({ version: reply.version, total: reply.total, page: reply.rows, top: 0 });
    tree.focusRow(0);
  }

  /** A tree whose rows all changed (Expand All, Collapse All): its rows again, from where it was. */
  applyChange(change: TreeChange): void {
    this.memory.view.expanded[change.tree] = change.expanded;
    this.trees[change.tree].setData({ version: change.version, total: change.total });
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

  /** Moves to the row the host found for a reveal, its ancestors now expanded, and focuses it (in the middle, unless `align` is undefined: just in view). */
  showRevealed(reply: RevealReply, align: 'center' | undefined = 'center'): void {
    this.memory.view.expanded[reply.tree] = reply.expanded;
    const tree = this.trees[reply.tree];
    tree.setData({ version: reply.version, total: reply.total, focusId: reply.id });
    tree.focusRow(reply.index, { takeFocus: true, align });
  }

  focus(id: TreeId): void {
    this.trees[id].focus();
  }

  /** Shows `element` in place of a row's content (an in-place edit), the row focused; false when the row is not loaded. */
  editRow(id: TreeId, rowId: string, element: HTMLElement): boolean {
    const tree = this.trees[id];
    const index = tree.indexOfLoaded(rowId);
    if (index < 0) return false;
    tree.editRow(index, element);
    return true;
  }

  /** Ends an in-place edit in a tree; its row takes focus again when asked. */
  endEdit(id: TreeId, focusRow = true): void {
    this.trees[id].endEdit(focusRow);
  }

  /** Lays a tree out again (the window changed size). */
  refresh(id: TreeId): void {
    this.trees[id].refresh();
  }
}

/** The edit a key asks for on a row: F2 edits in place, Delete removes, Alt+↑ and Alt+↓ move. */
function editKey(event: KeyboardEvent): RowAction | undefined {
  if (event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  if (event.altKey) return event.key === 'ArrowUp' ? 'moveUp' : event.key === 'ArrowDown' ? 'moveDown' : undefined;
  return event.key === 'F2' ? 'edit' : event.key === 'Delete' ? 'remove' : undefined;
}
