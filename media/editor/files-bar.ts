// The bar above the files tree: a filter that finds files by name or path (the host does the matching, over
// every file, and answers with the first rows), how many match, the order of the tree, and Expand All /
// Collapse All. Typing waits for a pause before it asks; Enter or ↓ goes to the matches, Escape clears.

import { formatCount } from '../../src/shared/format';
import { FILE_SORTS, type FileSort, type FilesView, type FilesViewInfo } from '../../src/shared/protocol/editor';
import { button, h } from '../common/dom';

/** Typing pauses this long before the host is asked. */
const DEBOUNCE_MS = 150;

const SORT_LABELS: Record<FileSort, { text: string; title: string }> = {
  torrent: { text: 'Torrent order', title: 'As the torrent lists them: the order of the data, which the pieces follow' },
  name: { text: 'Name', title: 'By name, folders first' },
  size: { text: 'Size', title: 'Largest first' },
};

export interface FilesBarEvents {
  /** The query or the order changed: show the tree that way. */
  changed(view: FilesView): void;
  expandAll(expanded: boolean): void;
  /** Move to the tree (↓, Enter, or Escape in an empty filter). */
  toTree(): void;
}

export class FilesBar {
  readonly element = h('div', { class: 'files-bar', attrs: { role: 'toolbar', 'aria-label': 'Files' } });
  private readonly input = h('input', {
    class: 'filter-input',
    attrs: {
      type: 'text',
      role: 'searchbox',
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: 'Filter by name or path',
      'aria-label': 'Filter files by name or path (Ctrl+F)',
      'aria-controls': 'files-tree',
    },
    data: { field: 'files-filter' },
  });
  private readonly matches = h('span', {
    class: 'filter-count',
    attrs: { role: 'status', 'aria-live': 'polite' },
    data: { field: 'files-matches' },
  });
  private readonly sort = h('select', {
    class: 'sort-select',
    attrs: { 'aria-label': 'Order of the files' },
    data: { field: 'files-sort' },
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What the host shows now (or was last asked to). */
  private shown: FilesView = { query: '', sort: 'torrent' };

  constructor(private readonly events: FilesBarEvents) {
    for (const sort of FILE_SORTS)
      this.sort.append(h('option', { text: SORT_LABELS[sort].text, title: SORT_LABELS[sort].title, attrs: { value: sort } }));
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('keydown', (event) => this.onKeydown(event));
    this.sort.addEventListener('change', () => this.flush());
    const field = h(
      'div',
      { class: 'filter-field' },
      h('span', { class: 'codicon codicon-filter', attrs: { 'aria-hidden': 'true' } }),
      this.input,
    );
    this.element.append(
      field,
      this.matches,
      h('span', { class: 'fill' }),
      h('label', { class: 'sort-label', text: 'Sort' }, this.sort),
      button({
        label: 'Expand All',
        icon: 'expand-all',
        class: 'icon-button',
        data: { action: 'expand-all' },
        onClick: () => events.expandAll(true),
      }),
      button({
        label: 'Collapse All',
        icon: 'collapse-all',
        class: 'icon-button',
        data: { action: 'collapse-all' },
        onClick: () => events.expandAll(false),
      }),
    );
  }

  /** The view as the user has set it (the filter as typed, even while the host has not been asked yet). */
  get view(): FilesView {
    return { query: this.input.value, sort: this.sort.value as FileSort };
  }

  /** Shows what the host shows: the query and order (unless the user is typing a newer query), and the match count. */
  render(info: FilesViewInfo, enabled: boolean): void {
    this.shown = { query: info.query, sort: info.sort };
    if (document.activeElement !== this.input && this.timer === undefined) this.input.value = info.query;
    this.sort.value = info.sort;
    this.input.disabled = !enabled;
    this.sort.disabled = !enabled;
    for (const b of this.element.querySelectorAll('button')) b.disabled = !enabled;
    this.matches.textContent =
      info.matches === undefined
        ? ''
        : info.matches === 0
          ? 'No matches'
          : `${formatCount(info.matches)} ${info.matches === 1 ? 'match' : 'matches'}`;
    this.element.classList.toggle('no-matches', info.matches === 0);
  }

  /** Puts focus in the filter (Ctrl+F), or types `text` into it (typing in the tree). */
  focusFilter(text?: string): void {
    if (this.input.disabled) return;
    this.input.focus();
    if (text === undefined) {
      this.input.select();
      return;
    }
    this.input.value += text;
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
    this.schedule();
  }

  /** Clears the filter at once (Escape). Returns false when there was nothing to clear. */
  clear(): boolean {
    if (this.input.value === '' && this.shown.query === '') return false;
    this.input.value = '';
    this.flush();
    return true;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** Asks the host now, if the view differs from what it shows. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const view = this.view;
    if (view.query === this.shown.query && view.sort === this.shown.sort) return;
    this.shown = view;
    this.events.changed(view);
  }

  private onKeydown(event: KeyboardEvent): void {
    let handled = true;
    if (event.key === 'Escape') {
      if (!this.clear()) this.events.toTree();
    } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
      this.flush();
      this.events.toTree();
    } else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }
}
