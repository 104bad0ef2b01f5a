// The bar above a list the user can add to (trackers, web seeds, DHT nodes): an "Add" button that opens a field
// for the new entry, with a choice of where it goes when there is one (which tier, which web seed list). The
// field is an InlineInput: checked as it is typed, Enter adds, Escape closes.

import { type EditAction, type EditCheck } from '../../src/shared/protocol/editor';
import { button, h } from '../common/dom';
import { InlineInput, type CommitResult } from './inline-input';

export interface AddChoice {
  value: string;
  label: string;
}

export interface AddBarOptions {
  /** Names the bar for tests and styles (`data-bar`). */
  name: string;
  /** The button's text ("Add Tracker"). */
  text: string;
  /** The field's accessible name and placeholder. */
  inputLabel: string;
  placeholder: string;
  /** Where the entry can go, the first being the default; none when there is one place. */
  choices?(): AddChoice[];
  choiceLabel?: string;
  /** The edit that adds `value` at `choice`. */
  action(value: string, choice: string | undefined): EditAction;
  check(action: EditAction): Promise<EditCheck>;
  /** Makes the edit (see Editing.run). */
  run(action: EditAction): Promise<CommitResult>;
  /** The field closed: focus goes to the list. */
  closed(): void;
}

/** More places than anyone picks from a list; the rest stay reachable from the rows' menus. */
const MAX_CHOICES = 500;

export class AddBar {
  readonly element: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private readonly form = h('div', { class: 'add-form' });
  private input: InlineInput | undefined;

  constructor(private readonly options: AddBarOptions) {
    this.addButton = button({
      label: options.text,
      icon: 'add',
      text: options.text,
      data: { action: `add-${options.name}` },
      onClick: () => this.open(),
    });
    this.form.hidden = true;
    this.element = h(
      'div',
      { class: 'add-bar', attrs: { role: 'toolbar', 'aria-label': options.text }, data: { bar: options.name } },
      this.addButton,
      this.form,
    );
  }

  /** Shown only while the torrent can be edited. */
  setEnabled(enabled: boolean): void {
    this.element.hidden = !enabled;
    if (!enabled) this.close(false);
  }

  get isOpen(): boolean {
    return this.input !== undefined;
  }

  /** Opens the field, its place set to `choice` when given. */
  open(choice?: string): void {
    if (this.element.hidden) return;
    const options = this.options;
    const choices = (options.choices?.() ?? []).slice(0, MAX_CHOICES);
    const select =
      choices.length > 0
        ? h('select', {
            class: 'add-choice',
            attrs: { 'aria-label': options.choiceLabel ?? 'Where' },
            data: { field: `add-${options.name}-where` },
          })
        : undefined;
    for (const c of choices) select!.append(h('option', { text: c.label, attrs: { value: c.value } }));
    if (select && choice !== undefined && choices.some((c) => c.value === choice)) select.value = choice;
    const input = new InlineInput({
      label: options.inputLabel,
      placeholder: options.placeholder,
      value: this.input?.value ?? '',
      field: `add-${options.name}`,
      check: (value) => (value.trim() === '' ? Promise.resolve({}) : options.check(options.action(value, select?.value))),
      commit: async (value) => {
        if (value.trim() === '') return { problem: 'Type the new entry first.' };
        const result = await options.run(options.action(value, select?.value));
        if (result === 'done') this.close(true);
        return result;
      },
      cancel: () => this.close(true),
    });
    this.input = input;
    // A new place is a new question: check again.
    select?.addEventListener('change', () => input.element.querySelector('input')?.dispatchEvent(new Event('input')));
    this.form.replaceChildren(
      ...(select ? [h('label', { class: 'add-where', text: options.choiceLabel ?? 'Where' }, select)] : []),
      input.element,
    );
    this.form.hidden = false;
    this.addButton.hidden = true;
    input.focus();
  }

  /** Closes the field; `toList` moves focus to the list. */
  close(toList: boolean): void {
    if (!this.input) return;
    this.input = undefined;
    this.form.replaceChildren();
    this.form.hidden = true;
    this.addButton.hidden = false;
    if (toList) this.options.closed();
  }
}
