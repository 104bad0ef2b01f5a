// The results table: one row per tracker and info hash, grouped by tier, filled in live as trackers answer.
//
// It fits the space it is given. The tracker, its status and the counts (seeds, leeches, downloads, peers)
// always show; the other columns fold, one by one as the panel narrows, into a line under each row, the
// message first among the wide ones, so it wraps across the whole width instead of pushing the numbers
// off-screen. Narrower still, the status shows as its icon, and at last each row becomes a small card.
// The tracker column stays in place when the table scrolls sideways.
//
// Headers are buttons that sort (numbers most first, text A to Z, a third click back to the torrent's
// order); a sorted table lists rows without their tier headings, each row naming its tier. Column edges
// are separators that resize by dragging or, focused, with ← and →. Each row opens to its details; its
// button is a disclosure (aria-expanded), and ↑/↓ move between the rows' buttons as in a list.

import { formatDuration } from '../../src/shared/format';
import { type RunView, type TrackerRow } from '../../src/shared/protocol/trackers';
import { h, icon, replace } from '../common/dom';
import { columnsFor, isWaiting, statusLabel, type Column, type ColumnId, type SortDirection } from './columns';
import { type CurrentRun } from './current-run';
import { type TrackerDetails } from './details';

const EXPANDER_WIDTH = 24;
/** The status column when it shows only its icon. */
const COMPACT_STATUS_WIDTH = 34;
/** The tracker column is made no narrower than this while optional columns can fold instead. */
const COMFORTABLE_URL_WIDTH = 200;
/** How far ← and → move a column edge (with Shift: five times as far). */
const RESIZE_STEP = 10;
const MAX_COLUMN_WIDTH = 1200;
/** A column sized to its content is at most this wide (a tracker id may be a kilobyte long). */
const MAX_CONTENT_WIDTH = 240;
/** A cell's padding, left and right, and the header's sort arrow. */
const CELL_PADDING = 16;
const SORT_ARROW = 18;

export type TableLayout = 'table' | 'cards';

interface RowElements {
  group: HTMLTableSectionElement;
  row: HTMLTableRowElement;
  fold: HTMLTableRowElement;
  details: HTMLTableRowElement;
}

export class ResultsTable {
  /** Shown instead of the table until there is a run. */
  readonly empty = h('div', {
    class: 'empty',
    attrs: { id: 'empty' },
    text: 'Run Announce to Tracker or Scrape Trackers on a torrent to see what its trackers say.',
  });
  private readonly table = h('table', { class: 'results', attrs: { id: 'results', 'aria-label': 'Tracker results' } });
  readonly scroller = h('div', { class: 'scroller', attrs: { id: 'scroller' } }, this.table);
  private columns: Column[] = [];
  private readonly colgroup = h('colgroup');
  private readonly headRow = h('tr');
  /** Each tracker's group of rows (its row, the folded line under it, its details), by row id. */
  private readonly rowElements = new Map<string, RowElements>();
  /** The tier headings, by tier. */
  private readonly tierGroups = new Map<number, HTMLTableSectionElement>();
  /** Columns folded into the line under each row, and whether the status shows as its icon only. */
  private folded = new Set<ColumnId>();
  private compactStatus = false;
  private layoutKind: TableLayout = 'table';
  /**
   * How many columns the table shows, for the cells that span them all (tier headings, the line under a
   * row, details). Exactly that many: a fixed layout gives every column spanned a share of the width.
   */
  private span = 1;
  private ticker: number | undefined;
  /** The widest text of each column sized to its content (its header's too), in CSS pixels, for the run shown. */
  private contentWidths = new Map<ColumnId, number>();
  private measure: CanvasRenderingContext2D | null = null;

  constructor(
    private readonly current: CurrentRun,
    private readonly details: TrackerDetails,
  ) {
    this.table.addEventListener('keydown', (event) => this.onKeydown(event));
    new ResizeObserver(() => this.layout()).observe(this.scroller);
  }

  /** Builds the table for the run shown (its columns, tiers and rows), or the note when there is none. */
  render(): void {
    const { table, rowElements } = this;
    const run = this.current.run;
    rowElements.clear();
    this.tierGroups.clear();
    replace(table);
    this.empty.hidden = run !== null;
    this.scroller.hidden = run === null;
    this.tick();
    if (!run) return;
    this.columns = columnsFor(run);
    this.contentWidths = new Map();
    this.measureRows(run.rows);
    table.dataset.kind = run.kind;
    this.renderHead();
    table.append(this.colgroup, h('thead', { attrs: { role: 'rowgroup' } }, this.headRow));
    for (const row of run.rows) {
      if (!this.tierGroups.has(row.tier)) {
        const heading = h(
          'tbody',
          { class: 'tier-group', data: { tier: row.tier }, attrs: { role: 'rowgroup' } },
          h(
            'tr',
            { class: 'tier-row', attrs: { role: 'row' } },
            h('th', {
              class: 'span-all',
              attrs: { colspan: this.span, scope: 'rowgroup', role: 'rowheader' },
              text: `Tier ${row.tier + 1}`,
            }),
          ),
        );
        this.tierGroups.set(row.tier, heading);
      }
      const elements: RowElements = {
        group: h('tbody', { class: 'tracker', data: { row: row.id }, attrs: { role: 'rowgroup' } }),
        row: h('tr', { class: 'tracker-row', attrs: { role: 'row' } }),
        fold: h('tr', { class: 'fold-row', attrs: { role: 'row' } }),
        details: h('tr', { class: 'details-row', data: { detailsFor: row.id }, attrs: { role: 'row' } }),
      };
      elements.details.hidden = true;
      elements.group.append(elements.row, elements.fold, elements.details);
      rowElements.set(row.id, elements);
      this.renderRow(row, false);
    }
    this.arrange();
    this.layout();
    this.tick();
  }

  /** The header: a sort button for each sortable column, a separator to resize each fixed-width one. */
  private renderHead(): void {
    const sort = this.current.sort;
    replace(
      this.headRow,
      h(
        'th',
        { class: 'expander-col', attrs: { scope: 'col', role: 'columnheader' } },
        h('span', { class: 'visually-hidden', text: 'Details' }),
      ),
    );
    for (const column of this.columns) {
      const th = h('th', {
        class: column.numeric ? 'numeric' : undefined,
        attrs: { scope: 'col', role: 'columnheader' },
        data: { column: column.id },
      });
      if (column.sort) {
        const direction = sort?.column === column.id ? sort.direction : undefined;
        th.setAttribute('aria-sort', direction ?? 'none');
        const button = h(
          'button',
          {
            class: 'sort',
            title: `${column.description ?? column.title}: sort by ${column.title.toLowerCase()}`,
            attrs: { type: 'button' },
            data: { sort: column.id },
          },
          // Where the status column shows only icons, so does its header.
          column.id === 'status' ? h('span', { class: 'compact-title codicon codicon-pulse', attrs: { 'aria-hidden': 'true' } }) : null,
          h('span', { class: 'title', text: column.title }),
          h('span', {
            class: `arrow codicon codicon-${direction === 'ascending' ? 'arrow-up' : direction === 'descending' ? 'arrow-down' : 'blank'}`,
            attrs: { 'aria-hidden': 'true' },
          }),
        );
        button.addEventListener('click', () => this.sortBy(column));
        th.append(button);
      } else {
        th.append(h('span', { class: 'title', text: column.title, title: column.description }));
      }
      if (column.width !== undefined) th.append(this.resizer(column));
      this.headRow.append(th);
    }
  }

  /** Click on a header: the column's first direction, then the other, then the torrent's order again. */
  private sortBy(column: Column): void {
    const sort = this.current.sort;
    const first = column.sort!.first;
    const other: SortDirection = first === 'ascending' ? 'descending' : 'ascending';
    if (sort?.column !== column.id) this.current.sort = { column: column.id, direction: first };
    else if (sort.direction === first) this.current.sort = { column: column.id, direction: other };
    else this.current.sort = undefined;
    this.renderHead();
    this.arrange();
    this.layout();
    this.headRow.querySelector<HTMLButtonElement>(`button[data-sort="${column.id}"]`)?.focus();
  }

  /** Puts the rows in the order chosen: by tier as the torrent lists them, or by the sorted column. */
  private arrange(): void {
    const run = this.current.run;
    if (!run) return;
    const sort = this.current.sort;
    const column = sort && this.columns.find((c) => c.id === sort.column);
    const table = this.table;
    if (sort && column?.sort) {
      table.dataset.sorted = column.id;
      const key = column.sort.key;
      const sign = sort.direction === 'ascending' ? 1 : -1;
      const order = run.rows.map((row, index) => ({ row, index, value: key(row) }));
      order.sort((a, b) => {
        if (a.value === undefined || b.value === undefined) {
          if (a.value === b.value) return a.index - b.index;
          return a.value === undefined ? 1 : -1;
        }
        const by =
          typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value));
        return by === 0 ? a.index - b.index : sign * by;
      });
      for (const { row } of order) table.append(this.rowElements.get(row.id)!.group);
    } else {
      delete table.dataset.sorted;
      let tier = -1;
      for (const row of run.rows) {
        if (row.tier !== tier) {
          tier = row.tier;
          table.append(this.tierGroups.get(tier)!);
        }
        table.append(this.rowElements.get(row.id)!.group);
      }
    }
  }

  /** A column edge: drag it, or focus it and press ← or →. */
  private resizer(column: Column): HTMLElement {
    const handle = h('div', {
      class: 'resizer',
      attrs: {
        role: 'separator',
        tabindex: 0,
        'aria-orientation': 'vertical',
        'aria-label': `Resize the ${column.title} column`,
        'aria-valuemin': column.minWidth ?? 40,
        'aria-valuemax': MAX_COLUMN_WIDTH,
        'aria-valuenow': this.widthOf(column),
      },
      data: { resize: column.id },
    });
    const set = (width: number) => {
      const bounded = Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(column.minWidth ?? 40, width)));
      this.current.setWidth(column.id, bounded);
      handle.setAttribute('aria-valuenow', String(bounded));
      this.layout();
    };
    handle.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? RESIZE_STEP * 5 : RESIZE_STEP;
      if (event.key === 'ArrowLeft') set(this.widthOf(column) - step);
      else if (event.key === 'ArrowRight') set(this.widthOf(column) + step);
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    handle.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      const startX = event.clientX;
      const startWidth = this.widthOf(column);
      handle.setPointerCapture(event.pointerId);
      handle.classList.add('dragging');
      const move = (e: PointerEvent) => set(startWidth + e.clientX - startX);
      const stop = () => {
        handle.classList.remove('dragging');
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', stop);
        handle.removeEventListener('pointercancel', stop);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', stop);
      handle.addEventListener('pointercancel', stop);
    });
    // A click on the edge must not sort the column.
    handle.addEventListener('click', (event) => event.stopPropagation());
    return handle;
  }

  /**
   * A column's width: the user's, else what its widest text needs; the tracker column's own grows with
   * the panel.
   */
  private widthOf(column: Column): number {
    const chosen = this.current.width(column.id);
    if (chosen !== undefined) return chosen;
    if (column.id === 'url') return Math.round(Math.min(360, Math.max(COMFORTABLE_URL_WIDTH, this.scroller.clientWidth * 0.25)));
    const content = this.contentWidths.get(column.id);
    if (content === undefined) return column.width ?? column.minWidth ?? 0;
    // The sorted column's header shows an arrow too.
    const arrow = this.current.sort?.column === column.id ? SORT_ARROW : 0;
    return Math.max(column.minWidth ?? 0, Math.min(MAX_CONTENT_WIDTH, Math.ceil(content + CELL_PADDING + 2) + arrow));
  }

  /**
   * Fits the table to the panel's width: folds optional columns (in their order) until the rest fit,
   * then shows the status as its icon, then lays rows out as cards. The message, while it shows as a
   * column, takes the width left; once it folds, the tracker column does.
   */
  private layout(): void {
    const available = this.scroller.clientWidth;
    if (!this.current.run || available === 0) return;
    const columns = this.columns;
    const folded = new Set<ColumnId>();
    let compact = false;
    const url = columns.find((c) => c.id === 'url')!;
    const width = (c: Column) => (c.id === 'status' && compact ? COMPACT_STATUS_WIDTH : this.widthOf(c));
    const needed = (urlAtLeast: number) => {
      const shown = columns.filter((c) => !folded.has(c.id));
      const flexible = shown.some((c) => c.id === 'message') ? 'message' : 'url';
      let sum = EXPANDER_WIDTH;
      for (const c of shown) {
        if (c.id === flexible) sum += c.id === 'message' ? (c.minWidth ?? 0) : urlAtLeast;
        else sum += width(c);
      }
      return sum;
    };
    const comfortable = Math.min(this.widthOf(url), COMFORTABLE_URL_WIDTH);
    for (const column of columns.filter((c) => c.foldOrder !== undefined).sort((a, b) => a.foldOrder! - b.foldOrder!)) {
      if (needed(comfortable) <= available) break;
      folded.add(column.id);
    }
    let kind: TableLayout = 'table';
    if (needed(comfortable) > available && needed(url.minWidth ?? 0) > available) {
      compact = true;
      if (needed(url.minWidth ?? 0) > available) {
        kind = 'cards';
        compact = false;
      }
    }
    const changed =
      kind !== this.layoutKind ||
      compact !== this.compactStatus ||
      folded.size !== this.folded.size ||
      [...folded].some((id) => !this.folded.has(id));
    this.folded = folded;
    this.compactStatus = compact;
    this.layoutKind = kind;
    const table = this.table;
    table.dataset.layout = kind;
    table.dataset.fold = [...folded].join(' ');
    table.toggleAttribute('data-compact-status', compact);

    // Widths: every shown column but the flexible one, whose width is what is left.
    const shown = columns.filter((c) => !folded.has(c.id));
    const flexible = shown.some((c) => c.id === 'message') ? 'message' : 'url';
    replace(this.colgroup, h('col', { class: 'expander-col' }));
    let sum = EXPANDER_WIDTH;
    for (const c of shown) {
      const col = h('col', { data: { column: c.id } });
      if (c.id !== flexible) {
        col.style.width = `${width(c)}px`;
        sum += width(c);
      } else sum += c.id === 'message' ? (c.minWidth ?? 0) : (url.minWidth ?? 0);
      this.colgroup.append(col);
    }
    table.style.minWidth = kind === 'table' ? `${sum}px` : '';
    this.span = shown.length + 1;
    for (const cell of table.querySelectorAll<HTMLTableCellElement>('.span-all')) cell.colSpan = this.span;
    for (const cell of table.querySelectorAll<HTMLTableCellElement>('td.fold')) cell.colSpan = this.span - 1;
    for (const th of this.headRow.querySelectorAll<HTMLElement>('th[data-column]')) {
      const flex = th.dataset.column === flexible;
      th.classList.toggle('flexible', flex);
      const handle = th.querySelector<HTMLElement>('.resizer');
      // The column that takes the width left has no edge to move.
      if (handle) handle.hidden = flex || kind === 'cards';
    }
    if (changed) {
      for (const row of this.current.run.rows) this.renderFold(row);
      this.tick();
    }
  }

  /** Draws one tracker's row (and its details, when open) from its latest answer. */
  renderRow(row: TrackerRow, rearrange = true): void {
    const elements = this.rowElements.get(row.id);
    if (!elements || !this.current.run) return;
    const { row: tr, details, group } = elements;
    const status = row.found === false && row.status === 'working' ? 'unknown-torrent' : row.status;
    tr.dataset.tracker = row.id;
    tr.dataset.status = status;
    tr.dataset.protocol = row.protocol;
    tr.dataset.hashKind = row.hashKind;
    tr.dataset.tier = String(row.tier);
    group.dataset.status = status;
    const isOpen = this.current.isExpanded(row.id);
    const toggle = h('button', {
      class: 'expander',
      title: isOpen ? 'Hide details' : 'Show details: what was tried, notes, peers, raw answer',
      attrs: {
        type: 'button',
        'aria-expanded': isOpen ? 'true' : 'false',
        'aria-controls': `details-${row.id}`,
        'aria-label': `Details for ${row.url} (${row.hashKind})`,
      },
      data: { action: 'toggle' },
    });
    toggle.append(icon(isOpen ? 'chevron-down' : 'chevron-right'));
    toggle.addEventListener('click', () => {
      this.current.toggleExpanded(row.id);
      this.rerender(row.id);
      // The row was drawn again: focus its new button.
      this.rowElements.get(row.id)?.row.querySelector<HTMLButtonElement>('button.expander')?.focus();
    });
    replace(tr, h('td', { class: 'expander-col', attrs: { role: 'cell' } }, toggle));
    for (const column of this.columns) {
      tr.append(
        h(
          'td',
          {
            class: column.numeric ? 'numeric' : undefined,
            attrs: { role: 'cell' },
            data: { field: column.id, label: column.title },
          },
          column.cell(row),
        ),
      );
    }
    // In cards, the counts start a line of their own.
    tr.querySelector('td[data-field="status"]')?.after(h('td', { class: 'card-break', attrs: { 'aria-hidden': 'true' } }));
    details.hidden = !isOpen;
    details.id = `details-${row.id}`;
    if (isOpen) replace(details, h('td', { class: 'span-all', attrs: { colspan: this.span, role: 'cell' } }, this.details.render(row)));
    else replace(details);
    this.renderFold(row);
    this.tick();
    if (rearrange && this.current.sort) this.arrange();
  }

  /** The line under a row: what its folded columns say, the message last. */
  private renderFold(row: TrackerRow): void {
    const elements = this.rowElements.get(row.id);
    if (!elements) return;
    const parts: Node[] = [];
    if (this.compactStatus) {
      // The status in words, and for a waiting row how long it has waited (kept up to date as in the cell).
      const label = statusLabel(row);
      const since = isWaiting(row) ? row.since : undefined;
      parts.push(h('span', { class: 'fold-part', data: { part: 'status', since, label }, text: label }));
    }
    for (const column of this.columns) {
      if (!this.folded.has(column.id) || !column.folded) continue;
      const text = column.folded(row);
      if (text === '') continue;
      parts.push(h('span', { class: `fold-part${column.id === 'message' ? ' message' : ''}`, data: { part: column.id }, text }));
    }
    const fold = elements.fold;
    fold.hidden = parts.length === 0;
    replace(
      fold,
      h('td', { class: 'expander-col', attrs: { role: 'cell' } }),
      h('td', { class: 'fold', attrs: { colspan: this.span - 1, role: 'cell' } }, ...parts),
    );
  }

  /** Draws rows that changed, and puts them in their places when the table is sorted. */
  update(rows: TrackerRow[]): void {
    for (const row of rows) this.renderRow(row, false);
    if (this.current.sort) this.arrange();
    if (this.measureRows(rows)) this.layout();
    this.tick();
  }

  /**
   * Widens the columns sized to their content to fit these rows' text (and their headers); true when one
   * grew. Measured with a canvas in the table's font: no layout of the page is needed.
   */
  private measureRows(rows: readonly TrackerRow[]): boolean {
    this.measure ??= document.createElement('canvas').getContext('2d');
    const measure = this.measure;
    if (!measure) return false;
    const font = getComputedStyle(this.table).font || '13px sans-serif';
    let grew = false;
    for (const column of this.columns) {
      if (!column.text) continue;
      const before = this.contentWidths.get(column.id);
      let widest = before;
      if (widest === undefined) {
        // Headers are bold.
        measure.font = `600 ${font}`;
        widest = measure.measureText(column.title).width;
      }
      measure.font = font;
      for (const row of rows) widest = Math.max(widest, measure.measureText(column.text(row)).width + (column.extra ?? 0));
      if (widest !== before) {
        this.contentWidths.set(column.id, widest);
        grew = true;
      }
    }
    return grew;
  }

  /** Draws a row again from the run's latest copy of it. */
  rerender(rowId: string): void {
    const row = this.current.row(rowId);
    if (row) this.renderRow(row);
  }

  /** How the table is laid out now, for the tests that check it fits. */
  get layoutState(): { layout: TableLayout; folded: ColumnId[]; compactStatus: boolean } {
    return { layout: this.layoutKind, folded: [...this.folded], compactStatus: this.compactStatus };
  }

  /**
   * Says how long each waiting row has been waiting, and keeps saying it every second while any does.
   */
  private tick(): void {
    const run: RunView | null = this.current.run;
    const waiting = run?.rows.some(isWaiting) ?? false;
    if (waiting && this.ticker === undefined) this.ticker = window.setInterval(() => this.tick(), 1000);
    if (!waiting && this.ticker !== undefined) {
      window.clearInterval(this.ticker);
      this.ticker = undefined;
    }
    if (!waiting) return;
    const now = this.current.hostNow();
    for (const label of this.table.querySelectorAll<HTMLElement>('[data-since][data-label]')) {
      const since = Number(label.dataset.since);
      if (Number.isFinite(since))
        label.textContent = `${label.dataset.label} ${formatDuration(Math.max(0, Math.floor((now - since) / 1000)))}`;
    }
  }

  // Up/Down move between rows' detail buttons, as in a list.
  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    if (!target.classList.contains('expander')) return;
    const all = [...this.table.querySelectorAll<HTMLButtonElement>('button.expander')];
    const next = all[all.indexOf(target as HTMLButtonElement) + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}
