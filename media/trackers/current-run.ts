// The run the panel shows and what it remembers of it: which rows are open, how the table is sorted and
// how wide the user made its columns, and the last finished run, which VS Code gives back after a window
// reload so the panel can show it again (marked as such: the host no longer has its answers). The host
// sends the run and its rows as they change; this is the one copy.

import { type RunView, type TrackerRow } from '../../src/shared/protocol/trackers';
import { type ColumnId, type SortDirection } from './columns';

export interface SortOrder {
  column: ColumnId;
  direction: SortDirection;
}

/** What the panel keeps in VS Code's webview state. */
export interface SavedPanel {
  expanded: string[];
  runId?: number;
  /** The last finished run, shown again (marked as such) when VS Code restores the panel after a reload. */
  run?: RunView;
  /** How the table is sorted; none keeps the torrent's order, by tier. */
  sort?: SortOrder;
  /** Column widths the user set, in CSS pixels. */
  widths?: Partial<Record<ColumnId, number>>;
}

export class CurrentRun {
  private shown: RunView | null = null;
  /** Whether the run shown is the saved one from before a reload: the host no longer has its answers. */
  private fromBeforeReload = false;
  /** Rows whose details are open, by row id. */
  private readonly expanded: Set<string>;
  private readonly saved: SavedPanel;
  private sortOrder: SortOrder | undefined;
  private readonly columnWidths: Partial<Record<ColumnId, number>>;
  /** Our clock minus the host's, from the last event that said what the host's clock read. */
  private clockOffset = 0;

  constructor(
    saved: SavedPanel | undefined,
    private readonly persist: (state: SavedPanel) => void,
  ) {
    this.saved = saved ?? { expanded: [] };
    this.expanded = new Set(this.saved.expanded);
    this.sortOrder = this.saved.sort;
    this.columnWidths = { ...this.saved.widths };
  }

  get run(): RunView | null {
    return this.shown;
  }

  get restored(): boolean {
    return this.fromBeforeReload;
  }

  /** A run the host started (a new one, or a rerun), or the same run shown again: rows of an earlier run close. */
  begin(next: RunView, sentAt: number): void {
    if (this.shown && this.shown.runId !== next.runId) this.expanded.clear();
    this.fromBeforeReload = false;
    this.heard(sentAt);
    this.show(next);
  }

  /** Shows a run, or none; `begin` for runs that just started. */
  show(next: RunView | null): void {
    // Rows saved open belong to the saved run; a different first run starts with all rows closed.
    if (next && this.saved.runId !== undefined && this.saved.runId !== next.runId && this.shown === null) this.expanded.clear();
    this.shown = next;
    this.save();
  }

  /** After a reload, with nothing running in the host: shows the last finished run as it was. False when there is none. */
  showSaved(): boolean {
    if (!this.saved.run) return false;
    this.fromBeforeReload = true;
    this.show(this.saved.run);
    return true;
  }

  /** New answers for rows of a run; false when they are for a run no longer shown. */
  updateRows(runId: number, rows: TrackerRow[], sentAt: number): boolean {
    const run = this.shown;
    if (!run || runId !== run.runId) return false;
    this.heard(sentAt);
    for (const row of rows) {
      const index = run.rows.findIndex((r) => r.id === row.id);
      if (index >= 0) run.rows[index] = row;
    }
    return true;
  }

  /** The run is over; false when it is a run no longer shown. */
  finish(runId: number, durationMs: number, cancelled: boolean): boolean {
    const run = this.shown;
    if (!run || runId !== run.runId) return false;
    run.running = false;
    run.durationMs = durationMs;
    run.cancelled = cancelled;
    this.save();
    return true;
  }

  /** The row of the run shown with this id, as last answered. */
  row(id: string): TrackerRow | undefined {
    return this.shown?.rows.find((r) => r.id === id);
  }

  /** The host's clock now, as far as we can tell: waiting rows say since when on that clock. */
  hostNow(): number {
    return Date.now() - this.clockOffset;
  }

  private heard(sentAt: number): void {
    if (Number.isFinite(sentAt)) this.clockOffset = Date.now() - sentAt;
  }

  isExpanded(rowId: string): boolean {
    return this.expanded.has(rowId);
  }

  toggleExpanded(rowId: string): void {
    if (this.expanded.has(rowId)) this.expanded.delete(rowId);
    else this.expanded.add(rowId);
    this.save();
  }

  get sort(): SortOrder | undefined {
    return this.sortOrder;
  }

  set sort(order: SortOrder | undefined) {
    this.sortOrder = order;
    this.save();
  }

  width(column: ColumnId): number | undefined {
    return this.columnWidths[column];
  }

  setWidth(column: ColumnId, width: number): void {
    this.columnWidths[column] = width;
    this.save();
  }

  /** A run still going is not saved as finished: after a reload it would look complete. */
  private save(): void {
    const run = this.shown;
    this.persist({
      expanded: [...this.expanded],
      runId: run?.runId,
      run: run && !run.running ? run : undefined,
      sort: this.sortOrder,
      widths: this.columnWidths,
    });
  }
}
