// A menu that pops up over a webview (WAI-ARIA menu pattern), looking like VS Code's own: a row's context
// menu (right-click, Shift+F10, the context-menu key, or Enter on a row whose actions are all in it) and a
// button's drop-down. ↑ ↓ Home End move, Enter or Space runs an item, a letter jumps to the next item that
// starts with it, Escape or Tab closes it; focus goes back where it was. One menu is open at a time.

import { h } from './dom';

export interface MenuItem {
  label: string;
  /** The key that does the same without the menu, shown on the right (e.g. `Ctrl+C`). */
  shortcut?: string;
  /** A line under the label: a warning that belongs with the item. */
  note?: string;
  /** Names the item for tests and styles (`data-item`). */
  id: string;
  run(): void;
}

/** Where the menu opens: at a point (a right-click), or under an element (a key press, a drop-down button). */
export type MenuAnchor = { x: number; y: number } | HTMLElement;

const EDGE = 4;

export class PopupMenu {
  readonly element = h('div', { class: 'popup-menu', attrs: { role: 'menu', tabindex: -1 } });
  private items: { item: MenuItem; element: HTMLElement }[] = [];
  private returnFocus: HTMLElement | undefined;

  constructor() {
    this.element.hidden = true;
    this.element.addEventListener('keydown', (event) => this.onKeydown(event));
    this.element.addEventListener('click', (event) => {
      const element = (event.target as Element).closest<HTMLElement>('[role=menuitem]');
      const found = this.items.find((entry) => entry.element === element);
      if (found) this.run(found.item);
    });
    this.element.addEventListener('mousemove', (event) => {
      const element = (event.target as Element).closest<HTMLElement>('[role=menuitem]');
      if (element && document.activeElement !== element) element.focus({ preventScroll: true });
    });
    // A click anywhere else, or focus moving elsewhere, closes it.
    document.addEventListener('mousedown', (event) => {
      if (!this.element.hidden && !this.element.contains(event.target as Node)) this.close(false);
    });
    this.element.addEventListener('focusout', (event) => {
      if (!this.element.hidden && !this.element.contains(event.relatedTarget as Node | null)) this.close(false);
    });
    window.addEventListener('blur', () => this.close(false));
    window.addEventListener('resize', () => this.close(false));
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Opens the menu with these items and focuses the first; `label` names it for screen readers. */
  open(items: MenuItem[], anchor: MenuAnchor, label: string): void {
    if (items.length === 0) return;
    const active = document.activeElement;
    this.returnFocus = active instanceof HTMLElement && !this.element.contains(active) ? active : this.returnFocus;
    this.element.setAttribute('aria-label', label);
    this.items = items.map((item) => {
      const element = h(
        'div',
        { class: 'menu-item', attrs: { role: 'menuitem', tabindex: -1 }, data: { item: item.id } },
        h('span', { class: 'menu-label', text: item.label }),
        item.shortcut ? h('span', { class: 'menu-shortcut', text: item.shortcut }) : null,
        item.note ? h('span', { class: 'menu-note', text: item.note }) : null,
      );
      return { item, element };
    });
    this.element.replaceChildren(...this.items.map((entry) => entry.element));
    if (!this.element.isConnected) document.body.append(this.element);
    this.element.hidden = false;
    this.place(anchor);
    this.items[0].element.focus({ preventScroll: true });
  }

  /** Closes the menu; `restoreFocus` puts focus back where it was when the menu opened. */
  close(restoreFocus = true): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    const back = this.returnFocus;
    this.returnFocus = undefined;
    if (restoreFocus && back?.isConnected) back.focus({ preventScroll: true });
  }

  private run(item: MenuItem): void {
    this.close(true);
    item.run();
  }

  /** Fixed to the viewport, kept inside it: below and right of the anchor, flipped when there is no room. */
  private place(anchor: MenuAnchor): void {
    const menu = this.element;
    const box =
      anchor instanceof HTMLElement ? anchor.getBoundingClientRect() : { left: anchor.x, right: anchor.x, top: anchor.y, bottom: anchor.y };
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    let left = box.left;
    if (left + width > window.innerWidth - EDGE) left = Math.max(EDGE, window.innerWidth - width - EDGE);
    let top = box.bottom;
    if (top + height > window.innerHeight - EDGE) top = Math.max(EDGE, box.top - height);
    menu.style.left = `${left}px`;
    menu.style.top = `${top}px`;
  }

  private onKeydown(event: KeyboardEvent): void {
    const elements = this.items.map((entry) => entry.element);
    const at = elements.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => elements[(to + elements.length) % elements.length].focus({ preventScroll: true });
    switch (event.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at < 0 ? -1 : at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(-1);
        break;
      case 'Enter':
      case ' ':
        if (at >= 0) this.run(this.items[at].item);
        break;
      case 'Escape':
        this.close(true);
        break;
      case 'Tab':
        this.close(true);
        break;
      default: {
        if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
        const letter = event.key.toLowerCase();
        for (let step = 1; step <= elements.length; step++) {
          const next = (Math.max(at, 0) + step) % elements.length;
          if (this.items[next].item.label.toLowerCase().startsWith(letter)) {
            move(next);
            break;
          }
        }
      }
    }
    // Keys stay in the menu: the tree or the webview's host must not act on them too.
    event.preventDefault();
    event.stopPropagation();
  }
}
