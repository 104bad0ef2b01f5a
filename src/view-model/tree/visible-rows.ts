// The rows a tree shows, given which of its nodes are expanded, answered by row number.
//
// A webview that virtualises its list asks for "rows 40 000 to 40 060"; this class answers without
// walking the 40 000 rows before them. Only expanded nodes are recorded (an `Entry` each, with its
// expanded children sorted by position and the visible size of every subtree), so a lookup descends
// one level per step with a binary search, and toggling a node updates the sizes on its ancestor path.
// Collapsed rows cost nothing: a folder of 100 000 files is one number (its child count).
//
// A row's id is the path of child positions from the root (`"0.12.3"`): stable while the file's shape
// stays the same, so expansion and focus survive a reload from disk.

import type { TreeRow } from '../../shared/protocol/editor';

export type RowContent = Omit<TreeRow, 'id' | 'level' | 'pos' | 'setSize' | 'expandable' | 'expanded'>;

export interface TreeModel<N> {
  /** The invisible root; its children are the top-level rows. */
  readonly root: N;
  childCount(node: N): number;
  child(node: N, position: number): N;
  /** Whether the node can be expanded. Called for every row shown, so it must be cheap. */
  expandable(node: N): boolean;
  content(node: N): RowContent;
}

class Entry<N> {
  open = true;
  /** Recorded (expanded, or once expanded) children, sorted by position. */
  children: Entry<N>[] = [];
  /** `before[m]`: visible rows in the subtrees of children[0..m-1]; one longer than `children`. */
  before: number[] = [0];
  /** Rows visible below this node when it is open: its children plus their visible subtrees. */
  size: number;

  constructor(
    readonly node: N,
    readonly id: string,
    readonly parent: Entry<N> | undefined,
    readonly position: number,
    readonly childCount: number,
  ) {
    this.size = childCount;
  }

  get visible(): number {
    return this.open ? this.size : 0;
  }

  recompute(): void {
    const before = new Array<number>(this.children.length + 1);
    let sum = 0;
    before[0] = 0;
    for (let m = 0; m < this.children.length; m++) {
      sum += this.children[m].visible;
      before[m + 1] = sum;
    }
    this.before = before;
    this.size = this.childCount + sum;
  }

  /** Index in `children` of the first recorded child at `position` or after it. */
  lowerBound(position: number): number {
    let lo = 0;
    let hi = this.children.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.children[mid].position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface Located<N> {
  parent: Entry<N>;
  position: number;
  depth: number;
}

export class VisibleRows<N> {
  private readonly top: Entry<N>;
  private readonly entries = new Map<string, Entry<N>>();

  constructor(readonly model: TreeModel<N>) {
    this.top = new Entry(model.root, '', undefined, -1, model.childCount(model.root));
  }

  /** Number of visible rows. */
  get rowCount(): number {
    return this.top.size;
  }

  /** Rows `[start, start + count)`, clipped to the tree. */
  rows(start: number, count: number): TreeRow[] {
    const out: TreeRow[] = [];
    const end = Math.min(this.rowCount, start + count);
    for (let index = Math.max(0, start); index < end; index++) out.push(this.row(index));
    return out;
  }

  row(index: number): TreeRow {
    const { parent, position, depth } = this.locate(index);
    const id = parent.id === '' ? String(position) : `${parent.id}.${position}`;
    const entry = this.entries.get(id);
    const node = entry ? entry.node : this.model.child(parent.node, position);
    const expandable = this.model.expandable(node);
    return {
      ...this.model.content(node),
      id,
      level: depth + 1,
      pos: position + 1,
      setSize: parent.childCount,
      expandable,
      expanded: expandable && entry !== undefined && entry.open,
    };
  }

  /** Expands or collapses the row with this id. Returns false when no such row can be expanded. */
  setExpanded(id: string, expanded: boolean): boolean {
    if (!expanded) {
      const entry = this.entries.get(id);
      if (!entry || !entry.open) return entry !== undefined;
      entry.open = false;
      this.propagate(entry.parent);
      return true;
    }
    const positions = parseId(id);
    if (!positions || !this.canExpandPath(positions)) return false;
    let parent = this.top;
    for (let level = 0; level < positions.length; level++) {
      const entry = this.openChild(parent, positions[level]);
      if (!entry) return false;
      parent = entry;
    }
    return true;
  }

  /** The row number of the node with this id, expanding its ancestors; -1 when there is no such node. */
  reveal(id: string): number {
    const positions = parseId(id);
    if (!positions || positions.length === 0) return -1;
    if (positions.length > 1 && !this.canExpandPath(positions.slice(0, -1))) return -1;
    let parent = this.top;
    for (let level = 0; level < positions.length - 1; level++) {
      const entry = this.openChild(parent, positions[level]);
      if (!entry) return -1;
      parent = entry;
    }
    const last = positions[positions.length - 1];
    if (last >= parent.childCount) return -1;
    return this.indexOf(parent, last);
  }

  /** Row number of the row with this id if it is visible now, else -1 (nothing is expanded). */
  indexOfId(id: string): number {
    const positions = parseId(id);
    if (!positions || positions.length === 0) return -1;
    let parent = this.top;
    for (let level = 0; level < positions.length - 1; level++) {
      const child = parent.children[parent.lowerBound(positions[level])];
      if (!child || child.position !== positions[level] || !child.open) return -1;
      parent = child;
    }
    const last = positions[positions.length - 1];
    return last < parent.childCount ? this.indexOf(parent, last) : -1;
  }

  /** The node behind a row id, whether or not it is visible; undefined when the id leads nowhere. */
  nodeAt(id: string): N | undefined {
    const positions = parseId(id);
    if (!positions) return undefined;
    let node = this.model.root;
    let parentId = '';
    for (const position of positions) {
      const entry = this.entries.get(parentId === '' ? String(position) : `${parentId}.${position}`);
      const parentEntry = parentId === '' ? this.top : this.entries.get(parentId);
      const count = parentEntry ? parentEntry.childCount : this.model.expandable(node) ? this.model.childCount(node) : 0;
      if (position >= count) return undefined;
      node = entry ? entry.node : this.model.child(node, position);
      parentId = parentId === '' ? String(position) : `${parentId}.${position}`;
    }
    return node;
  }

  /** Ids of the open rows whose ancestors are all open, in row order. */
  expandedIds(): string[] {
    const out: string[] = [];
    const walk = (entry: Entry<N>) => {
      for (const child of entry.children) {
        if (!child.open) continue;
        out.push(child.id);
        walk(child);
      }
    };
    walk(this.top);
    return out;
  }

  /** Re-applies expansions (e.g. remembered ids, or the ids of the previous version of the file). */
  restore(ids: readonly string[]): void {
    for (const id of ids) this.setExpanded(id, true);
  }

  /**
   * Expands every node that `wanted` picks and whose ancestors end up expanded (Expand All, or the folders
   * that a new order of the same tree had open), in one pass: each open node's children are walked once
   * and the row counts are summed once at the end, so that opening a folder of 100,000 folders costs as
   * much as showing them. Returns how many nodes it opened.
   */
  expandWhere(wanted: (node: N) => boolean): number {
    let opened = 0;
    // Depth first without recursion (a hostile torrent nests folders thousands deep); an entry's sizes are
    // summed once all of its children are done.
    const stack: { entry: Entry<N>; position: number; kept: number; children: Entry<N>[] }[] = [
      { entry: this.top, position: 0, kept: 0, children: [] },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const entry = frame.entry;
      if (frame.position === entry.childCount) {
        entry.children = frame.children;
        entry.recompute();
        stack.pop();
        continue;
      }
      const position = frame.position++;
      let child = entry.children[frame.kept]?.position === position ? entry.children[frame.kept++] : undefined;
      const node = child ? child.node : this.model.child(entry.node, position);
      if (wanted(node) && this.model.expandable(node) && !child?.open) {
        opened++;
        if (child) child.open = true;
        else {
          child = new Entry(node, childId(entry, position), entry, position, this.model.childCount(node));
          this.entries.set(child.id, child);
        }
      }
      if (child) frame.children.push(child);
      // Into every open child: what it picks may lie below a node that was open already.
      if (child?.open) stack.push({ entry: child, position: 0, kept: 0, children: [] });
    }
    return opened;
  }

  /** Collapses every row: the tree shows its top level only. */
  collapseAll(): void {
    this.entries.clear();
    this.top.children = [];
    this.top.recompute();
  }

  /** Whether every node on the path exists and can be expanded (so that expanding is all or nothing). */
  private canExpandPath(positions: readonly number[]): boolean {
    let node = this.model.root;
    let count = this.top.childCount;
    for (const position of positions) {
      if (!Number.isInteger(position) || position < 0 || position >= count) return false;
      node = this.model.child(node, position);
      if (!this.model.expandable(node)) return false;
      count = this.model.childCount(node);
    }
    return true;
  }

  private indexOf(parent: Entry<N>, position: number): number {
    const m = parent.lowerBound(position);
    let index = position + parent.before[m];
    for (let entry = parent; entry.parent; entry = entry.parent) {
      const up = entry.parent;
      const k = up.lowerBound(entry.position);
      index += entry.position + up.before[k] + 1;
    }
    return index;
  }

  /** Finds the parent and position of row `index` (0 <= index < rowCount). */
  private locate(index: number): Located<N> {
    let entry = this.top;
    let k = index;
    let depth = 0;
    for (;;) {
      // The last recorded child whose row is at or before k.
      const children = entry.children;
      let lo = 0;
      let hi = children.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (children[mid].position + entry.before[mid] <= k) lo = mid + 1;
        else hi = mid;
      }
      const m = lo - 1;
      if (m < 0) return { parent: entry, position: k, depth };
      const child = children[m];
      const row = child.position + entry.before[m];
      if (row === k) return { parent: entry, position: child.position, depth };
      const inside = child.visible;
      if (k <= row + inside) {
        entry = child;
        k = k - row - 1;
        depth++;
        continue;
      }
      return { parent: entry, position: child.position + (k - row - inside), depth };
    }
  }

  /** Opens (recording if needed) the child at `position` of an open entry. */
  private openChild(parent: Entry<N>, position: number): Entry<N> | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= parent.childCount) return undefined;
    const m = parent.lowerBound(position);
    let entry = parent.children[m];
    if (entry && entry.position === position) {
      if (!entry.open) {
        entry.open = true;
        this.propagate(parent);
      }
      return entry;
    }
    const node = this.model.child(parent.node, position);
    if (!this.model.expandable(node)) return undefined;
    entry = new Entry(node, childId(parent, position), parent, position, this.model.childCount(node));
    parent.children.splice(m, 0, entry);
    this.entries.set(entry.id, entry);
    this.propagate(parent);
    return entry;
  }

  private propagate(from: Entry<N> | undefined): void {
    for (let entry = from; entry; entry = entry.parent) entry.recompute();
  }
}

function childId<N>(parent: Entry<N>, position: number): string {
  return parent.id === '' ? String(position) : `${parent.id}.${position}`;
}

function parseId(id: string): number[] | undefined {
  if (!/^\d+(\.\d+)*$/.test(id) || id.length > 4096) return undefined;
  return id.split('.').map(Number);
}
