// Peers typed by hand: `host:port` or `[IPv6]:port`, several separated by spaces or commas. The host asks them in
// a run of their own and adds them to the list; what it could not read is said under the field.

import { button, h } from '../common/dom';

export class AddPeers {
  readonly element: HTMLFormElement;
  private readonly input = h('input', {
    class: 'input mono',
    attrs: {
      id: 'add-peers-input',
      type: 'text',
      spellcheck: 'false',
      placeholder: '127.0.0.1:6881 [::1]:51413',
      'aria-label': 'Peers to add (host:port)',
    },
  });
  private readonly message = h('div', {
    class: 'add-message muted',
    attrs: { id: 'add-peers-message', role: 'status', 'aria-live': 'polite' },
  });

  constructor(add: (text: string) => Promise<{ added: number; errors: string[] }>) {
    const submit = button({ label: 'Ask these peers', icon: 'add', text: 'Add Peers', class: 'button', onClick: () => undefined });
    submit.type = 'submit';
    submit.id = 'add-peers';
    this.element = h(
      'form',
      { class: 'add-peers', attrs: { 'aria-label': 'Add peers by hand' } },
      h('label', { text: 'Add peers:', attrs: { for: 'add-peers-input' } }),
      this.input,
      submit,
      this.message,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value;
      if (text.trim() === '') {
        this.say('Type host:port (or [IPv6]:port), several separated by spaces.', true);
        return;
      }
      void add(text).then(
        ({ added, errors }) => {
          if (added > 0) this.input.value = '';
          const parts = [added > 0 ? `Asking ${added} peer${added === 1 ? '' : 's'}.` : '', ...errors];
          this.say(parts.filter(Boolean).join(' '), errors.length > 0);
        },
        () => this.say('The peers could not be added.', true),
      );
    });
  }

  private say(text: string, problem: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('problem', problem);
  }
}
