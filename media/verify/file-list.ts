// The files of a check, as a virtualised list box: a fixed number of row elements, whatever the number of
// files, filled with the rows the host sends for what is in view. Rows show a status, the path, the size
// and what is wrong; the focused row's full story is under the list. Up, Down, Page Up, Page Down, Home
// and End move through the files; the filter shows the files with problems or all of them.

import type { VerifyFileFilter, VerifyFileRow, VerifyRows } from '../../src/shared/protocol/verify';
import { exactBytes, formatCount, formatSize, plural } from '../../src/shared/format';
import { h, icon, replace } from '../common/dom';

export interface FileRowSource {
  rows(filter: VerifyFileFilter, start: number, count: number): Promise<VerifyRows>;
}

/** Row height in CSS pixels: the CSS gives rows the same. */
export const ROW_HEIGHT = 24;
/** Rows fetched beyond those in view, above and below, so that scrolling shows filled rows at once. */
const OVERSCAN = 20;
/** Safely below every browser's maximum element height; longer lists map the scrollbar proportionally. */
const MAX_SCROLL_HEIGHT = 10_000_000;

const STATUS: Record<VerifyFileRow['status'], { icon: string; word: string }> = {
  complete: { icon: 'pass', word: 'complete' },
  damaged: { icon: 'error', word: 'damaged' },
  'wrong-size': { icon: 'warning', word: 'wrong size' },
  missing: { icon: 'circle-slash', word: 'missing' },
  unreadable: { icon: 'lock', word: 'unreadable' },
};

/** What is wrong with a file, in a few words (the list) or in full (the details). */
export function fileProblem(row: VerifyFileRow, version: 'v1' | 'v2' | 'hybrid', full: boolean): string {
  const parts: string[] = [];
  if (row.badPieces > 0 && row.status !== 'complete') {
    // v1 and hybrid: the torrent's v1 piece numbers; v2: the file's own.
    const list = row.firstBadPieces.map(formatCount).join(', ') + (row.badPieces > row.firstBadPieces.length ? ', …' : '');
    const what = plural(row.badPieces, version === 'hybrid' ? 'v1 piece' : 'piece');
    const fate = row.status === 'missing' || row.status === 'unreadable' ? 'not read' : 'bad';
    parts.push(`${what} ${fate}${full ? `: ${list}${version === 'v2' ? " (the file's own numbers)" : ''}` : ''}`);
  }
  if (row.v2BadPieces && row.status !== 'complete' && row.status !== 'missing' && row.status !== 'unreadable')
    parts.push(`${plural(row.v2BadPieces, 'v2 piece')} bad`);
  if (row.actualLength !== undefined) parts.push(`${formatSize(row.actualLength)} on disk, ${formatSize(row.length)} in the torrent`);
  if (row.failsOnly)
    parts.push(`passes ${row.failsOnly === 'v1' ? 'v2' : 'v1'}, fails ${row.failsOnly}: the torrent's v1 and v2 hashes disagree`);
  if (row.error) parts.push(row.error);
  if (full && row.note) parts.push(row.note);
  return parts.join('; ');
}

export class FileList {
  readonly element: HTMLElement;
  private readonly list = h('div', {
    class: 'file-list',
    attrs: { id: 'file-list', role: 'listbox', tabindex: 0, 'aria-label': 'Files' },
  });
  private readonly spacer = h('div', { class: 'spacer', attrs: { 'aria-hidden': 'true' } });
  /** Holds the pooled rows; moved with the scroll position. */
  private readonly layer = h('div', { class: 'layer' });
  private readonly details = h('div', { class: 'file-details', attrs: { id: 'file-details', 'aria-live': 'polite' } });
  private readonly count = h('span', { class: 'file-count', attrs: { id: 'file-count' } });
  private readonly filters = new Map<VerifyFileFilter, HTMLInputElement>();
  private readonly pool: HTMLElement[] = [];
  private source: FileRowSource | undefined;
  private version: 'v1' | 'v2' | 'hybrid' = 'v1';
  private filter: VerifyFileFilter = 'problems';
  private total = 0;
  /** Rows fetched so far, by position among the filtered files. */
  private rows = new Map<number, VerifyFileRow>();
  private active = 0;
  private serial = 0;
  private readonly resize = new ResizeObserver(() => this.render());

  constructor() {
    const choice = (value: VerifyFileFilter, label: string) => {
      const radio = h('input', { attrs: { type: 'radio', name: 'file-filter', id: `filter-${value}`, value } });
      radio.addEventListener('change', () => radio.checked && this.setFilter(value));
      this.filters.set(value, radio);
      return h('label', { class: 'filter', attrs: { for: `filter-${value}` } }, radio, h('span', { text: label }));
    };
    const toolbar = h(
      'div',
      { class: 'list-toolbar' },
      h('h2', { attrs: { id: 'files-title' }, text: 'Files' }),
      h(
        'div',
        { class: 'filters', attrs: { role: 'radiogroup', 'aria-label': 'Show' } },
        choice('problems', 'With problems'),
        choice('all', 'All'),
      ),
      this.count,
    );
    this.list.append(this.spacer, this.layer);
    this.element = h('section', { class: 'files-section', attrs: { 'aria-labelledby': 'files-title' } }, toolbar, this.list, this.details);
    this.list.addEventListener('scroll', () => this.render());
    this.list.addEventListener('keydown', (event) => this.onKeydown(event));
    this.list.addEventListener('focus', () => this.setActive(this.active));
    this.resize.observe(this.list);
  }

  /** Shows the files of a finished check (`source` answers for it): the problems first, or all when there are none. */
  show(source: FileRowSource | undefined, version: 'v1' | 'v2' | 'hybrid', problems: number, files: number): void {
    this.source = source;
    this.version = version;
    this.element.hidden = !source;
    this.filter = problems > 0 ? 'problems' : 'all';
    for (const [value, radio] of this.filters) radio.checked = value === this.filter;
    this.counts = { problems, all: files };
    this.reset();
  }

  private counts: Record<VerifyFileFilter, number> = { problems: 0, all: 0 };

  private setFilter(filter: VerifyFileFilter): void {
    this.filter = filter;
    this.reset();
  }

  private reset(): void {
    this.rows = new Map();
    this.total = this.counts[this.filter];
    this.active = 0;
    this.list.scrollTop = 0;
    this.count.textContent = this.filter === 'problems' ? `${plural(this.total, 'file')} with problems` : plural(this.total, 'file');
    this.details.textContent = '';
    this.render();
  }

  /** Lays the pooled rows over the files in view, fetching those not yet here. */
  private render(): void {
    if (!this.source || this.element.hidden) return;
    const height = this.list.clientHeight || ROW_HEIGHT * 10;
    const visible = Math.ceil(height / ROW_HEIGHT) + 1;
    while (this.pool.length < visible) this.pool.push(this.layer.appendChild(h('div', { class: 'file-row', attrs: { role: 'option' } })));
    const first = this.firstInView(visible);
    let missing = -1;
    this.pool.forEach((element, k) => {
      const position = first + k;
      element.hidden = position >= this.total;
      if (element.hidden) return;
      element.dataset.position = String(position);
      element.id = `file-${position}`;
      element.style.top = `${k * ROW_HEIGHT}px`;
      const row = this.rows.get(position);
      this.fill(element, row, position);
      if (!row && missing < 0) missing = position;
    });
    if (missing >= 0) void this.fetch(Math.max(0, missing - OVERSCAN), visible + 2 * OVERSCAN);
  }

  /**
   * The first file in view, and the layer moved to it. Up to MAX_SCROLL_HEIGHT the list is as tall as
   * its rows; beyond, the scroll position maps proportionally onto the files (as in the editor's trees).
   */
  private firstInView(visible: number): number {
    const full = this.total * ROW_HEIGHT;
    const scrollHeight = Math.min(full, MAX_SCROLL_HEIGHT);
    this.spacer.style.height = `${scrollHeight}px`;
    const top = this.list.scrollTop;
    let first: number;
    let layerTop: number;
    if (full <= MAX_SCROLL_HEIGHT) {
      first = Math.floor(top / ROW_HEIGHT);
      layerTop = first * ROW_HEIGHT;
    } else {
      const room = Math.max(1, scrollHeight - this.list.clientHeight);
      first = Math.round((top / room) * Math.max(0, this.total - visible + 1));
      layerTop = top;
    }
    first = Math.max(0, Math.min(first, Math.max(0, this.total - 1)));
    this.layer.style.transform = `translateY(${layerTop}px)`;
    this.list.dataset.first = String(first);
    return first;
  }

  private async fetch(start: number, count: number): Promise<void> {
    const source = this.source;
    if (!source) return;
    const serial = ++this.serial;
    const filter = this.filter;
    const answer = await source.rows(filter, start, count);
    if (source !== this.source || filter !== this.filter) return;
    answer.rows.forEach((row, k) => this.rows.set(answer.start + k, row));
    if (serial === this.serial || this.rows.size < 5000) this.render();
    if (this.rows.size > 5000) {
      // Keep what is near the view; rows far away are fetched again if the user comes back.
      const first = Math.floor(this.list.scrollTop / ROW_HEIGHT);
      for (const position of this.rows.keys()) if (Math.abs(position - first) > 1000) this.rows.delete(position);
    }
    if (document.activeElement === this.list) this.setActive(this.active);
  }

  private fill(element: HTMLElement, row: VerifyFileRow | undefined, position: number): void {
    element.setAttribute('aria-setsize', String(this.total));
    element.setAttribute('aria-posinset', String(position + 1));
    element.setAttribute('aria-selected', String(position === this.active));
    element.classList.toggle('active', position === this.active);
    if (!row) {
      element.dataset.status = 'loading';
      replace(element, h('span', { class: 'muted', text: '…' }));
      return;
    }
    const status = STATUS[row.status];
    element.dataset.status = row.status;
    element.dataset.index = String(row.index);
    const problem = fileProblem(row, this.version, false);
    replace(
      element,
      h('span', { class: `status-icon status-${row.status}` }, icon(status.icon, status.word)),
      h('span', { class: 'path', text: row.path, title: row.path }),
      h('span', { class: 'size', text: formatSize(row.length), title: exactBytes(row.length) }),
      h('span', { class: 'problem', text: problem, title: problem }),
    );
    element.setAttribute('aria-label', `${row.path}: ${status.word}${problem ? `; ${problem}` : ''}`);
  }

  private onKeydown(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.list.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + page,
      PageUp: this.active - page,
      Home: 0,
      End: this.total - 1,
    };
    if (!(event.key in moves) || this.total === 0) return;
    event.preventDefault();
    this.setActive(Math.max(0, Math.min(this.total - 1, moves[event.key])));
  }

  /** Scrolls so that row `position` is in view (proportionally, in a list taller than MAX_SCROLL_HEIGHT). */
  private scrollIntoView(position: number): void {
    const full = this.total * ROW_HEIGHT;
    const height = this.list.clientHeight;
    if (full > MAX_SCROLL_HEIGHT) {
      const visible = Math.ceil(height / ROW_HEIGHT) + 1;
      const first = Number(this.list.dataset.first ?? 0);
      if (position >= first && position < first + visible - 1) return;
      const room = Math.max(1, MAX_SCROLL_HEIGHT - height);
      this.list.scrollTop = (Math.max(0, position - (position < first ? 0 : visible - 2)) / Math.max(1, this.total - visible + 1)) * room;
      return;
    }
    const top = position * ROW_HEIGHT;
    if (top < this.list.scrollTop) this.list.scrollTop = top;
    else if (top + ROW_HEIGHT > this.list.scrollTop + height) this.list.scrollTop = top + ROW_HEIGHT - height;
  }

  /** Makes row `position` the active one: in view, announced, and told in full under the list. */
  private setActive(position: number): void {
    if (this.total === 0) {
      this.list.removeAttribute('aria-activedescendant');
      return;
    }
    this.active = position;
    this.scrollIntoView(position);
    this.render();
    this.list.setAttribute('aria-activedescendant', `file-${position}`);
    const row = this.rows.get(position);
    if (!row) return;
    const problem = fileProblem(row, this.version, true);
    replace(
      this.details,
      h('span', { class: 'detail-path', text: row.path }),
      h('span', { text: ` — ${STATUS[row.status].word}, ${exactBytes(row.length)}${problem ? `. ${problem}` : ''}` }),
    );
  }
}
