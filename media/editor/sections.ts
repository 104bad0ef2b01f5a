// The sections of the editor: a tab per tree (files, trackers, web seeds, DHT nodes, other keys, raw,
// problems) with its count, over one panel per tab. WAI-ARIA tabs: one tab in the Tab order, the arrow
// keys and Home/End move between tabs. What a panel holds is the caller's; the sections only say which
// one is on screen.

import { TREE_IDS, type TreeId } from '../../src/shared/protocol/editor';
import { formatCount } from '../../src/shared/format';
import { h } from '../common/dom';

/** Each section's tab label (also its tree's accessible name) and what its tree says when it is empty. */
export const SECTIONS: Record<TreeId, { label: string; empty: string }> = {
  files: { label: 'Files', empty: 'No files.' },
  trackers: { label: 'Trackers', empty: 'No trackers: clients find peers for this torrent through the DHT, peer exchange or web seeds.' },
  webseeds: { label: 'Web seeds', empty: 'No web seeds (url-list, httpseeds).' },
  nodes: { label: 'DHT nodes', empty: 'No DHT bootstrap nodes.' },
  keys: { label: 'Other keys', empty: 'No keys beyond the ones Torrent Lens reads.' },
  raw: { label: 'Raw', empty: 'Nothing could be decoded.' },
  problems: { label: 'Problems', empty: 'No problems found.' },
};

export interface SectionEvents {
  /** The section `id` is about to be hidden (while its panel still has its size). */
  leaving(id: TreeId): void;
  /** The section `id` is now on screen; `focusContent` when the user asked to go into it. */
  entered(id: TreeId, focusContent: boolean): void;
}

interface Section {
  tab: HTMLButtonElement;
  count: HTMLSpanElement;
  panel: HTMLDivElement;
}

export class Sections {
  readonly tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Torrent contents' } });
  readonly panels = h('div', { class: 'panels' });
  private readonly sections = {} as Record<TreeId, Section>;
  private current: TreeId;

  /** Builds a tab and a hidden panel around each section's content; nothing is shown until `select`. */
  constructor(
    content: (id: TreeId) => HTMLElement,
    initial: TreeId,
    private readonly events: SectionEvents,
  ) {
    this.current = initial;
    for (const id of TREE_IDS) {
      const count = h('span', { class: 'count', text: '' });
      const tab = h(
        'button',
        {
          class: 'tab',
          attrs: { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': id, 'aria-selected': 'false', tabindex: -1 },
          data: { tree: id },
          on: { click: () => this.select(id, true) },
        },
        h('span', { text: SECTIONS[id].label }),
        count,
      );
      this.tablist.append(tab);
      const panel = h(
        'div',
        { class: 'panel', attrs: { id, role: 'tabpanel', 'aria-labelledby': `tab-${id}` }, data: { tree: id } },
        content(id),
      );
      panel.hidden = true;
      this.panels.append(panel);
      this.sections[id] = { tab, count, panel };
    }
    this.tablist.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  /** The section on screen (or to be shown first). */
  get selected(): TreeId {
    return this.current;
  }

  select(id: TreeId, focusContent: boolean): void {
    if (this.current !== id) this.events.leaving(this.current);
    this.current = id;
    for (const other of TREE_IDS) {
      const selected = other === id;
      const { tab, panel } = this.sections[other];
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      panel.hidden = !selected;
    }
    // The tabs are one row that scrolls sideways in a narrow editor: keep the selected one in view.
    this.sections[id].tab.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    this.events.entered(id, focusContent);
  }

  /** The number on a section's tab; a tab with nothing in it is dimmed. */
  setCount(id: TreeId, count: number): void {
    const section = this.sections[id];
    section.count.textContent = formatCount(count);
    section.tab.classList.toggle('empty', count === 0);
  }

  private onKeydown(event: KeyboardEvent): void {
    const order = TREE_IDS;
    const at = order.indexOf(this.current);
    let next: TreeId | undefined;
    if (event.key === 'ArrowRight') next = order[(at + 1) % order.length];
    else if (event.key === 'ArrowLeft') next = order[(at - 1 + order.length) % order.length];
    else if (event.key === 'Home') next = order[0];
    else if (event.key === 'End') next = order[order.length - 1];
    if (!next) return;
    event.preventDefault();
    this.select(next, false);
    this.sections[next].tab.focus();
  }
}
