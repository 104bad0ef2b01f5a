// The results table: one row per tracker and info hash, grouped by tier, filled in live as trackers answer.
// Each row opens to its details; its button is a disclosure (aria-expanded), and Up/Down move between the
// rows' buttons as in a list. Before any run, a note says how to start one.

import { type TrackerRow } from '../../src/shared/protocol/trackers';
import { h, icon, replace } from '../common/dom';
import { columnsFor, type Column } from './columns';
import { type CurrentRun } from './current-run';
import { type TrackerDetails } from './details';

export class ResultsTable {
  /** Shown instead of the table until there is a run. */
  readonly empty = h('div', {
    class: 'empty',
    attrs: { id: 'empty' },
    text: 'Run Announce to Tracker or Scrape Trackers on a torrent to see what its trackers say.',
  });
  private readonly table = h('table', { class: 'results', attrs: { id: 'results', 'aria-label': 'Tracker results' } });
  readonly scroller = h('div', { class: 'scroller' }, this.table);
  private columns: Column[] = [];
  /** Each tracker row and the row under it that holds its details, by row id. */
  private readonly rowElements = new Map<string, { row: HTMLTableRowElement; details: HTMLTableRowElement }>();

  constructor(
    private readonly current: CurrentRun,
    private readonly details: TrackerDetails,
  ) {
    this.table.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  /** Builds the table for the run shown (its columns, tiers and rows), or the note when there is none. */
  render(): void {
    const { table, rowElements } = this;
    const run = this.current.run;
    rowElements.clear();
    replace(table);
    this.empty.hidden = run !== null;
    this.scroller.hidden = run === null;
    if (!run) return;
    const columns = (this.columns = columnsFor(run));
    table.dataset.kind = run.kind;
    const headRow = h(
      'tr',
      {},
      h('th', { class: 'expander-col', attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden', text: 'Details' })),
    );
    for (const column of columns)
      headRow.append(
        h('th', {
          text: column.title,
          class: column.numeric ? 'numeric' : undefined,
          attrs: { scope: 'col' },
          data: { column: column.id },
        }),
      );
    const body = h('tbody');
    let tier = -1;
    for (const row of run.rows) {
      if (row.tier !== tier) {
        tier = row.tier;
        body.append(
          h(
            'tr',
            { class: 'tier-row', data: { tier } },
            h('th', { attrs: { colspan: columns.length + 1, scope: 'rowgroup' }, text: `Tier ${tier + 1}` }),
          ),
        );
      }
      const tr = h('tr', { class: 'tracker-row' });
      const details = h('tr', { class: 'details-row', data: { detailsFor: row.id } });
      details.hidden = true;
      rowElements.set(row.id, { row: tr, details });
      body.append(tr, details);
      this.renderRow(row);
    }
    table.append(h('thead', {}, headRow), body);
  }

  /** Draws one tracker's row (and its details, when open) from its latest answer. */
  renderRow(row: TrackerRow): void {
    const elements = this.rowElements.get(row.id);
    if (!elements || !this.current.run) return;
    const { row: tr, details } = elements;
    tr.dataset.tracker = row.id;
    tr.dataset.status = row.found === false && row.status === 'working' ? 'unknown-torrent' : row.status;
    tr.dataset.protocol = row.protocol;
    tr.dataset.hashKind = row.hashKind;
    tr.dataset.tier = String(row.tier);
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
    replace(tr, h('td', { class: 'expander-col' }, toggle));
    for (const column of this.columns)
      tr.append(h('td', { class: column.numeric ? 'numeric' : undefined, data: { field: column.id } }, column.cell(row)));
    details.hidden = !isOpen;
    details.id = `details-${row.id}`;
    if (isOpen) replace(details, h('td', { attrs: { colspan: this.columns.length + 1 } }, this.details.render(row)));
    else replace(details);
  }

  /** Draws a row again from the run's latest copy of it. */
  rerender(rowId: string): void {
    const row = this.current.row(rowId);
    if (row) this.renderRow(row);
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
