// What the editor remembers of the user's place: the tab, and per tree the first row in view, the focused
// row and the expanded rows. VS Code keeps it while the editor is hidden and across a window reload, and
// the host uses it to keep the place when the file changes on disk. Scrolling changes it every frame, so
// saving waits for a pause.

import { type ViewState } from '../../src/shared/protocol/editor';

/** The view state with the per-tree records always present, so components can write into them. */
export type RememberedView = ViewState & Required<Pick<ViewState, 'expanded' | 'top' | 'focus'>>;

const SAVE_DELAY_MS = 150;

export class ViewMemory {
  readonly view: RememberedView;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `collect` brings `view` up to date from the components just before it is saved; `persist` stores it
   * (in VS Code's webview state, and tells the host).
   */
  constructor(
    saved: ViewState | undefined,
    private readonly options: { collect(view: RememberedView): void; persist(view: RememberedView): void },
  ) {
    const start = saved ?? {};
    this.view = { ...start, expanded: { ...(start.expanded ?? {}) }, top: { ...(start.top ?? {}) }, focus: { ...(start.focus ?? {}) } };
  }

  /** Saves soon: repeated calls within a short pause save once. */
  saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  saveNow(): void {
    clearTimeout(this.saveTimer);
    this.options.collect(this.view);
    this.options.persist(this.view);
  }
}
