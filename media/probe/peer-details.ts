// Everything known of the peer focused in the list, under it: its client and peer id, what it has and how it
// said so, the extensions it offers, what its extension handshake says, its times, and notes on how it bent
// the protocol. Asked from the host when the focus moves or the peer's state changes.

import { type PeerDetails } from '../../src/shared/protocol/probe';
import { h, replace } from '../common/dom';

export class PeerDetailsView {
  readonly element = h('section', {
    class: 'peer-details',
    attrs: { id: 'peer-details', 'aria-label': 'The focused peer', 'aria-live': 'polite' },
  });
  private shownId: string | undefined;
  private asked = 0;

  constructor(private readonly fetch: (id: string) => Promise<PeerDetails | null>) {
    this.clear();
  }

  /** Shows the peer with this id (again, when `refresh`), or the hint when there is none. */
  show(id: string | undefined, refresh = false): void {
    if (id === undefined) {
      this.clear();
      return;
    }
    if (id === this.shownId && !refresh) return;
    this.shownId = id;
    const ask = ++this.asked;
    void this.fetch(id)
      .then((details) => {
        if (ask !== this.asked) return;
        if (details) this.render(details);
        else this.clear();
      })
      .catch(() => {
        // The panel moved on to another run: the next focus asks again.
      });
  }

  get focusedId(): string | undefined {
    return this.shownId;
  }

  private clear(): void {
    this.shownId = undefined;
    replace(this.element, h('p', { class: 'muted', text: 'Focus a peer in the list (↑ ↓) to see everything it said.' }));
  }

  private render(details: PeerDetails): void {
    const facts = h(
      'dl',
      { class: 'facts' },
      ...details.facts.flatMap(([label, value]) => [h('dt', { text: label }), h('dd', { text: value })]),
    );
    replace(
      this.element,
      h('h2', { text: details.id }),
      facts,
      details.notes.length > 0
        ? h('div', { class: 'notes' }, h('h3', { text: 'Notes' }), h('ul', {}, ...details.notes.map((n) => h('li', { text: n }))))
        : null,
    );
  }
}
