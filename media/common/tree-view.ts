// A virtualised, keyboard-navigable tree (WAI-ARIA tree pattern) whose rows come from the host.
//
// The DOM holds only the rows in view plus a small overscan, recycled as the user scrolls; the tree
// knows the total row count and asks its source for the rows it is about to show. Rows have a fixed
// height. Very tall trees are scaled (the scrollbar maps proportionally onto the rows), so any number
// of rows fits under the browser's limit on element height.
//
// Focus is a roving tabindex: the focused row has tabindex 0. When it scrolls out of the DOM, the tree
// container takes focus and keeps handling keys, and gives focus back to the row when it returns.
//
// A row can be edited in place: `editRow` shows an element of the caller's (a text field) instead of the row's
// content until `endEdit`. The element survives the row scrolling away and coming back, and new data, as long
// as a row with that id is there. Keys typed into a field are the field's: the tree does not act on them.

import { h } from './dom';

export interface VirtualRow {
  id: string;
  level: number;
  pos: number;
  setSize: number;
  expandable: boolean;
  expanded: boolean;
}

export interface RowPage<R> {
  version: number;
  total: number;
  start: number;
  rows: R[];
}

export interface VirtualTreeSource<R extends VirtualRow> {
  fetch(start: number, count: number): Promise<RowPage<R>>;
  setExpanded(row: R, expanded: boolean): Promise<{ version: number; total: number }>;
  /** The row number of a row by id, its ancestors expanded (to reach a parent that is not loaded). */
  locate(id: string): Promise<{ version: number; index: number; total: number } | null>;
  /** Fills a row's content element; called whenever the row element shows a different row. */
  render(content: HTMLElement, row: R): void;
  /** Enter on a row that does not expand. */
  activate?(row: R, element: HTMLElement): void;
  /** The row's context menu: right-click (at the pointer), Shift+F10 or the context-menu key (under the row). */
  contextMenu?(row: R, anchor: { x: number; y: number } | HTMLElement): void;
  /** Extra shortcuts on the focused row (Alt+key ones too); return true when handled. */
  keydown?(row: R, event: KeyboardEvent): boolean;
  /** Scroll position, focus or expansion changed (to remember the view state). */
  changed?(): void;
}

export interface VirtualTreeOptions<R extends VirtualRow> {
  label: string;
  rowHeight: number;
  source: VirtualTreeSource<R>;
  /** Rows above and below the viewport kept in the DOM. */
  overscan?: number;
  indent?: number;
  /** Most rows one fetch asks for. */
  maxFetch?: number;
}

/** Safely below every browser's maximum element height. */
const MAX_SCROLL_HEIGHT = 4_000_000;
/** Rows kept in the cache beyond the rendered window. */
const CACHE_MARGIN = 200;

interface RowElement {
  element: HTMLDivElement;
  twistie: HTMLSpanElement;
  content: HTMLDivElement;
  index: number;
  id: string | undefined;
  /** The row it shows; a row fetched again (a new version, order, filter or expansion) is a new object. */
  row: unknown;
}

export class TreeView<R extends VirtualRow> {
  /** The scroll container; role=tree. */
  readonly element: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly emptyNote: HTMLDivElement;
  private readonly pool: RowElement[] = [];
  private readonly cache = new Map<number, R>();
  /** A key that acts on a row (→, ←, Enter, Space) pressed while that row was still loading: done when it arrives. */
  private pendingKey?: { index: number; generation: number; key: string };
  private readonly rowHeight: number;
  private readonly overscan: number;
  private readonly indent: number;
  private readonly maxFetch: number;

  private version = 0;
  private total = 0;
  /** Bumped whenever cached rows may be stale (expansion changes, new data). */
  private generation = 0;
  private fetching: { start: number; end: number; generation: number } | undefined;
  private frame = 0;
  private focusIndex = 0;
  private focusId: string | undefined;
  private window = { from: 0, to: 0, first: 0 };
  /** The row being edited in place, and the element that edits it. */
  private editing: { id: string; element: HTMLElement } | undefined;

  constructor(private readonly options: VirtualTreeOptions<R>) {
    this.rowHeight = options.rowHeight;
    this.overscan = options.overscan ?? 10;
    this.indent = options.indent ?? 16;
    this.maxFetch = options.maxFetch ?? 500;
    this.spacer = h('div', { class: 'vt-spacer' });
    this.layer = h('div', { class: 'vt-layer', attrs: { role: 'presentation' } });
    this.emptyNote = h('div', { class: 'vt-empty', attrs: { role: 'note' } });
    this.emptyNote.hidden = true;
    this.element = h(
      'div',
      { class: 'vt', attrs: { role: 'tree', 'aria-label': options.label, tabindex: 0 } },
      this.spacer,
      this.layer,
      this.emptyNote,
    );
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (event) => this.onKeydown(event));
    this.element.addEventListener('focus', () => this.onContainerFocus());
    this.layer.addEventListener('click', (event) => this.onClick(event));
    this.layer.addEventListener('dblclick', (event) => this.onDoubleClick(event));
    this.layer.addEventListener('contextmenu', (event) => this.onContextMenu(event));
    // Focus put on a row from outside (a test, a screen reader's focus) makes it the focused row.
    this.layer.addEventListener('focusin', (event) => {
      const target = event.target as HTMLElement;
      if (!target.classList.contains('vt-row')) return;
      const index = this.indexOfEvent(event);
      if (index >= 0 && index !== this.focusIndex) this.focusRow(index);
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  get rowCount(): number {
    return this.total;
  }

  /** The first row in view. */
  get topIndex(): number {
    return this.window.first;
  }

  get focusedId(): string | undefined {
    return this.focusId;
  }

  get focusedIndex(): number {
    return this.focusIndex;
  }

  /** The rows that fit in the viewport. */
  get viewportRows(): number {
    return Math.max(1, Math.ceil((this.element.clientHeight || 600) / this.rowHeight));
  }

  setEmptyMessage(text: string): void {
    this.emptyNote.textContent = text;
  }

  /** New data: a new version of the file, or a new total. Cached rows are dropped; `page` seeds the cache. */
  setData(data: { version: number; total: number; page?: RowPage<R>; top?: number; focusId?: string }): void {
    this.version = data.version;
    this.total = data.total;
    this.generation++;
    this.cache.clear();
    if (data.page && data.page.version === data.version) this.store(data.page);
    if (data.focusId !== undefined) this.focusId = data.focusId;
    // Keep the focused row by id when the new rows have it; otherwise keep the index.
    const byId = this.focusId !== undefined ? this.findCached(this.focusId) : -1;
    this.focusIndex = clamp(byId >= 0 ? byId : this.focusIndex, 0, this.total - 1);
    this.updateSpacer();
    if (data.top !== undefined) this.scrollToTop(data.top);
    this.render();
  }

  /** Scrolls so that the row is in view, and focuses it (moving DOM focus only if the tree has it). */
  focusRow(index: number, options: { takeFocus?: boolean; align?: 'top' | 'center' } = {}): void {
    if (this.total === 0) return;
    this.focusIndex = clamp(index, 0, this.total - 1);
    this.focusId = this.cache.get(this.focusIndex)?.id;
    this.ensureVisible(this.focusIndex, options.align);
    this.render();
    if (options.takeFocus || this.hasFocus()) this.applyFocus(true);
    this.options.source.changed?.();
  }

  /** The row number of a loaded row, or -1 when it is not loaded. */
  indexOfLoaded(id: string): number {
    return this.findCached(id);
  }

  /** The id of the row being edited in place, if any. */
  get editingId(): string | undefined {
    return this.editing?.id;
  }

  /** Shows `element` in place of the content of row `index` (which gets focus), until `endEdit`. */
  editRow(index: number, element: HTMLElement): void {
    const row = this.cache.get(index);
    if (!row) return;
    this.endEdit(false);
    this.editing = { id: row.id, element };
    this.focusRow(index);
    this.redraw(row.id);
  }

  /** Ends an in-place edit; the row shows its content again and, if `focusRow`, takes focus. */
  endEdit(focusRow = true): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = undefined;
    editing.element.remove();
    this.redraw(editing.id);
    if (focusRow) this.applyFocus(true);
  }

  /** Draws the row with this id again, if it is on screen. */
  private redraw(id: string): void {
    for (const slot of this.pool) if (slot.id === id) slot.row = undefined;
    this.render();
  }

  /** Re-renders (e.g. after the tree became visible and has a size). */
  refresh(): void {
    this.updateSpacer();
    this.render();
  }

  focus(): void {
    this.applyFocus(true);
  }

  /** Scrolls so that this row is the first in view. */
  scrollTo(index: number): void {
    this.updateSpacer();
    this.scrollToTop(index);
    this.render();
  }

  // ---------------------------------------------------------------------------------------------------
  // Geometry

  private get scaled(): boolean {
    return this.total * this.rowHeight > MAX_SCROLL_HEIGHT;
  }

  private updateSpacer(): void {
    this.spacer.style.height = `${Math.min(this.total * this.rowHeight, MAX_SCROLL_HEIGHT)}px`;
    this.emptyNote.hidden = this.total > 0;
  }

  /** Rows that fit wholly in the viewport. */
  private get fullRows(): number {
    return Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight));
  }

  private firstVisible(): number {
    const top = this.element.scrollTop;
    if (!this.scaled) return clamp(Math.floor(top / this.rowHeight), 0, Math.max(0, this.total - 1));
    const maxTop = Math.max(1, this.element.scrollHeight - this.element.clientHeight);
    const maxFirst = Math.max(0, this.total - this.fullRows);
    return clamp(Math.round((top / maxTop) * maxFirst), 0, maxFirst);
  }

  private scrollToTop(index: number): void {
    if (!this.scaled) {
      this.element.scrollTop = index * this.rowHeight;
      return;
    }
    const maxTop = Math.max(0, this.element.scrollHeight - this.element.clientHeight);
    const maxFirst = Math.max(1, this.total - this.fullRows);
    this.element.scrollTop = (clamp(index, 0, maxFirst) / maxFirst) * maxTop;
  }

  private ensureVisible(index: number, align?: 'top' | 'center'): void {
    const first = this.firstVisible();
    const full = this.fullRows;
    if (align === 'center') this.scrollToTop(Math.max(0, index - Math.floor(full / 2)));
    else if (align === 'top') this.scrollToTop(index);
    else if (index < first) this.scrollToTop(index);
    else if (index >= first + full) {
      if (this.scaled) this.scrollToTop(index - full + 1);
      else this.element.scrollTop = (index + 1) * this.rowHeight - this.element.clientHeight;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Rendering

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      this.options.source.changed?.();
    });
  }

  private render(): void {
    // A hidden tree (an inactive tab) has no size: render when it is shown.
    if (this.element.clientHeight === 0) return;
    const first = this.firstVisible();
    const visible = this.viewportRows + 1;
    const from = Math.max(0, first - this.overscan);
    const to = Math.min(this.total, first + visible + this.overscan);
    this.window = { from, to, first };
    const needed = to - from;
    // Before rows go: the focused one may be among them (a row removed by an edit), and focus must stay in the tree.
    const focusedElementWasOurs = this.rowHasFocus();
    while (this.pool.length < needed) this.pool.push(this.createRow());
    while (this.pool.length > needed) this.pool.pop()!.element.remove();

    // Rows are laid out from `from`; in a scaled tree the first visible row sits at the viewport's top.
    const layerTop = this.scaled ? this.element.scrollTop - (first - from) * this.rowHeight : from * this.rowHeight;
    this.layer.style.transform = `translateY(${Math.max(0, layerTop)}px)`;

    let focusRendered = false;
    for (let i = 0; i < needed; i++) {
      const index = from + i;
      const slot = this.pool[i];
      slot.element.style.top = `${i * this.rowHeight}px`;
      this.fill(slot, index, this.cache.get(index));
      if (index === this.focusIndex) focusRendered = true;
    }
    this.element.tabIndex = focusRendered ? -1 : 0;
    if (focusedElementWasOurs) this.applyFocus(false);
    this.fetchMissing(from, to);
  }

  private createRow(): RowElement {
    const twistie = h('span', { class: 'vt-twistie codicon', attrs: { 'aria-hidden': 'true' } });
    const content = h('div', { class: 'vt-content' });
    const element = h('div', { class: 'vt-row', attrs: { role: 'treeitem', tabindex: -1 } }, twistie, content);
    this.layer.append(element);
    return { element, twistie, content, index: -1, id: undefined, row: undefined };
  }

  private fill(slot: RowElement, index: number, row: R | undefined): void {
    const e = slot.element;
    const focused = index === this.focusIndex;
    e.dataset.index = String(index);
    e.tabIndex = focused ? 0 : -1;
    e.classList.toggle('focused', focused);
    if (!row) {
      if (slot.id !== undefined || slot.index !== index) {
        slot.content.replaceChildren();
        slot.twistie.className = 'vt-twistie codicon';
        e.removeAttribute('aria-expanded');
        e.removeAttribute('data-id');
        e.setAttribute('aria-busy', 'true');
        e.style.paddingLeft = '0px';
      }
      slot.index = index;
      slot.id = undefined;
      slot.row = undefined;
      return;
    }
    e.removeAttribute('aria-busy');
    if (focused) this.focusId = row.id;
    // The same row object in the same place: nothing to draw again (scrolling re-fills every slot).
    const same = slot.row === row && slot.index === index;
    slot.index = index;
    slot.id = row.id;
    slot.row = row;
    if (same) return;
    const editor = this.editing?.id === row.id ? this.editing.element : undefined;
    e.dataset.id = row.id;
    e.setAttribute('aria-level', String(row.level));
    e.setAttribute('aria-setsize', String(row.setSize));
    e.setAttribute('aria-posinset', String(row.pos));
    if (row.expandable) e.setAttribute('aria-expanded', String(row.expanded));
    else e.removeAttribute('aria-expanded');
    e.style.paddingLeft = `${(row.level - 1) * this.indent}px`;
    slot.twistie.className = `vt-twistie codicon${row.expandable ? (row.expanded ? ' codicon-chevron-down' : ' codicon-chevron-right') : ''}`;
    e.classList.toggle('editing', editor !== undefined);
    if (editor) {
      // Moving the field keeps what was typed in it; it only loses focus, so give it back.
      const hadFocus = editor.contains(document.activeElement);
      if (editor.parentElement !== slot.content) slot.content.replaceChildren(editor);
      if (!hadFocus && focused) editor.querySelector<HTMLElement>('input, textarea')?.focus({ preventScroll: true });
      return;
    }
    slot.content.replaceChildren();
    this.options.source.render(slot.content, row);
  }

  // ---------------------------------------------------------------------------------------------------
  // Data

  private store(page: RowPage<R>): void {
    page.rows.forEach((row, i) => this.cache.set(page.start + i, row));
    // Keep the cache near the window.
    if (this.cache.size > 4 * CACHE_MARGIN + (this.window.to - this.window.from)) {
      for (const index of this.cache.keys()) {
        if (index < this.window.from - CACHE_MARGIN || index >= this.window.to + CACHE_MARGIN) this.cache.delete(index);
      }
    }
  }

  private findCached(id: string): number {
    for (const [index, row] of this.cache) if (row.id === id) return index;
    return -1;
  }

  private fetchMissing(from: number, to: number): void {
    if (this.fetching && this.fetching.generation === this.generation) return;
    let start = -1;
    let end = -1;
    for (let i = from; i < to; i++) {
      if (this.cache.has(i)) continue;
      if (start < 0) start = i;
      end = i + 1;
    }
    if (start < 0) return;
    const count = Math.min(this.maxFetch, end - start);
    const generation = this.generation;
    const request = { start, end: start + count, generation };
    this.fetching = request;
    this.options.source
      .fetch(start, count)
      .then((page) => {
        if (generation !== this.generation || page.version !== this.version) return;
        if (page.total !== this.total) {
          this.total = page.total;
          this.updateSpacer();
        }
        this.store(page);
        this.runPendingKey();
      })
      .catch(() => {
        // The host went away or the version moved on; the next render asks again.
      })
      .finally(() => {
        if (this.fetching === request) this.fetching = undefined;
        this.render();
      });
  }

  private async toggle(index: number, expanded: boolean): Promise<void> {
    const row = this.cache.get(index);
    if (!row || !row.expandable || row.expanded === expanded) return;
    // Rows up to this one stay valid; everything after it moves.
    const change = await this.options.source.setExpanded(row, expanded);
    if (change.version !== this.version) return;
    this.generation++;
    for (const key of [...this.cache.keys()]) if (key > index) this.cache.delete(key);
    this.cache.set(index, { ...row, expanded });
    this.total = change.total;
    this.updateSpacer();
    this.render();
    this.options.source.changed?.();
  }

  // ---------------------------------------------------------------------------------------------------
  // Focus and input

  private hasFocus(): boolean {
    const active = document.activeElement;
    return active !== null && this.element.contains(active);
  }

  private rowHasFocus(): boolean {
    const active = document.activeElement;
    return active !== null && active !== this.element && this.layer.contains(active);
  }

  private slotFor(index: number): RowElement | undefined {
    const i = index - this.window.from;
    return i >= 0 && i < this.pool.length ? this.pool[i] : undefined;
  }

  /** Puts DOM focus on the focused row if it is rendered, else on the container. */
  private applyFocus(force: boolean): void {
    const slot = this.slotFor(this.focusIndex);
    const active = document.activeElement;
    if (slot) {
      // Keep focus on an action button inside the focused row.
      if (!force && active && slot.element.contains(active)) return;
      if (active !== slot.element) slot.element.focus({ preventScroll: true });
    } else if (active !== this.element) {
      this.element.focus({ preventScroll: true });
    }
  }

  private onContainerFocus(): void {
    if (this.slotFor(this.focusIndex)) this.applyFocus(true);
  }

  private indexOfEvent(event: Event): number {
    const rowElement = (event.target as Element | null)?.closest?.('.vt-row') as HTMLElement | null;
    if (!rowElement || rowElement.dataset.index === undefined) return -1;
    return Number(rowElement.dataset.index);
  }

  private onClick(event: MouseEvent): void {
    const index = this.indexOfEvent(event);
    if (index < 0) return;
    const target = event.target as Element;
    if (target.closest('button, input, textarea, select')) return;
    this.focusRow(index, { takeFocus: true });
    if (target.classList.contains('vt-twistie')) {
      const row = this.cache.get(index);
      if (row?.expandable) void this.toggle(index, !row.expanded);
    }
  }

  private onDoubleClick(event: MouseEvent): void {
    const index = this.indexOfEvent(event);
    const row = this.cache.get(index);
    if (!row || (event.target as Element).closest('button') || (event.target as Element).classList.contains('vt-twistie')) return;
    if (row.expandable) void this.toggle(index, !row.expanded);
  }

  private onContextMenu(event: MouseEvent): void {
    const index = this.indexOfEvent(event);
    const row = this.cache.get(index);
    if (!row || !this.options.source.contextMenu) return;
    // Ours instead of the webview's default one (Cut, Copy, Paste), which has nothing for a row.
    event.preventDefault();
    this.focusRow(index, { takeFocus: true });
    this.options.source.contextMenu(row, { x: event.clientX, y: event.clientY });
  }

  /** The focused row's element, when it is rendered. */
  private focusedElement(): HTMLElement | undefined {
    return this.slotFor(this.focusIndex)?.element;
  }

  private onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    // Keys typed into a field in a row (an in-place edit) are the field's.
    if (target.closest('input, textarea, select')) return;
    if (target.tagName === 'BUTTON') {
      this.onButtonKeydown(event, target as HTMLButtonElement);
      return;
    }
    if (this.total === 0) return;
    const index = this.focusIndex;
    const row = this.cache.get(index);
    if (event.altKey) {
      if (row && this.options.source.keydown?.(row, event)) {
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    const page = Math.max(1, this.fullRows - 1);
    this.pendingKey = undefined;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        this.focusRow(index + 1, { takeFocus: true });
        break;
      case 'ArrowUp':
        this.focusRow(index - 1, { takeFocus: true });
        break;
      case 'Home':
        this.focusRow(0, { takeFocus: true });
        break;
      case 'End':
        this.focusRow(this.total - 1, { takeFocus: true });
        break;
      case 'PageDown':
        this.focusRow(index + page, { takeFocus: true });
        break;
      case 'PageUp':
        this.focusRow(index - page, { takeFocus: true });
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
      case 'Enter':
      case ' ':
        if (row) this.rowKey(index, row, event.key);
        // End then → in quick succession: the row End reached is still on its way from the host.
        else this.pendingKey = { index, generation: this.generation, key: event.key };
        break;
      case 'ContextMenu':
      case 'F10': {
        const element = this.focusedElement();
        if (event.key === 'F10' && !event.shiftKey) handled = false;
        else if (row && element && this.options.source.contextMenu) this.options.source.contextMenu(row, element);
        else handled = false;
        break;
      }
      default:
        handled = row !== undefined && (this.options.source.keydown?.(row, event) ?? false);
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  /** What →, ←, Enter and Space do to a row. */
  private rowKey(index: number, row: R, key: string): void {
    switch (key) {
      case 'ArrowRight':
        if (row.expandable && !row.expanded) void this.toggle(index, true);
        else if (row.expandable) this.focusRow(index + 1, { takeFocus: true });
        else this.slotFor(index)?.element.querySelector('button')?.focus();
        break;
      case 'ArrowLeft':
        if (row.expandable && row.expanded) void this.toggle(index, false);
        else void this.focusParent(row);
        break;
      default: {
        const element = this.slotFor(index)?.element;
        if (row.expandable) void this.toggle(index, !row.expanded);
        else if (element) this.options.source.activate?.(row, element);
      }
    }
  }

  /** Does the kept row key once its row has loaded, if focus is still on that row and the rows are the same version. */
  private runPendingKey(): void {
    const pending = this.pendingKey;
    const row = pending && this.cache.get(pending.index);
    if (!pending || !row || pending.generation !== this.generation || pending.index !== this.focusIndex) return;
    this.pendingKey = undefined;
    this.rowKey(pending.index, row, pending.key);
  }

  private onButtonKeydown(event: KeyboardEvent, target: HTMLButtonElement): void {
    const rowElement = target.closest('.vt-row') as HTMLElement | null;
    if (!rowElement) return;
    const buttons = [...rowElement.querySelectorAll('button')];
    const at = buttons.indexOf(target);
    let handled = true;
    if (event.key === 'ArrowRight' && at < buttons.length - 1) buttons[at + 1].focus();
    else if (event.key === 'ArrowLeft' && at > 0) buttons[at - 1].focus();
    else if (event.key === 'ArrowLeft' || event.key === 'Escape') rowElement.focus();
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      this.focusRow(this.focusIndex + (event.key === 'ArrowDown' ? 1 : -1), { takeFocus: true });
    } else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  private async focusParent(row: R): Promise<void> {
    const dot = row.id.lastIndexOf('.');
    if (dot < 0) return;
    const parentId = row.id.slice(0, dot);
    const cached = this.findCached(parentId);
    if (cached >= 0) {
      this.focusRow(cached, { takeFocus: true });
      return;
    }
    const found = await this.options.source.locate(parentId);
    if (!found || found.version !== this.version) return;
    if (found.total !== this.total) this.setData({ version: this.version, total: found.total });
    this.focusRow(found.index, { takeFocus: true });
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
