// Editing in the webview: the edits a row offers (edit in place, remove, move, add to a tier), the fields of the
// overview, and the bars that add to a list, all made by the host through one request. The webview keeps no
// history of its own: every edit is one step of VS Code's undo history, and the next snapshot shows it (with the
// row the edit added or moved focused). An edit that changes the info hash is asked about first (ConfirmHash).
// One edit at a time: keys that ask for another while one is on its way are dropped, as the row they were
// pressed on may be elsewhere once it is made.

import { errorText } from '../../src/shared/format';
import {
  type EditAction,
  type EditRowAction,
  type EditableField,
  type EditValueReply,
  type EditValueTarget,
  type TreeId,
  type TreeRow,
} from '../../src/shared/protocol/editor';
import { type ConfirmHash } from './confirm-hash';
import { type EditorHost } from './editor-host';
import { InlineInput, type CommitResult } from './inline-input';
import { type Toast } from '../common/toast';
import { type Trees } from './trees';

/** What the overview does while one of its fields is edited. */
export interface FieldEditor {
  /** Shows the field's editor in place of its value. */
  showEditor(field: EditableField, input: InlineInput): void;
  /** Shows the field's value again; focus goes to its edit button when asked. */
  hideEditor(focusButton: boolean): void;
}

export interface EditingDeps {
  host: EditorHost;
  trees: Trees;
  toast: Toast;
  confirm: ConfirmHash;
  fields: FieldEditor;
  /** Opens the trackers bar to add a tracker to tier `tier`. */
  addTracker(tier: number): void;
  /**
   * Tells the host the view as it is now (tab, scroll, focus) before an edit: the snapshot the edit sends back is
   * drawn from what the host last heard, and must not take the user to another tab or place.
   */
  beforeEdit(): void;
}

const FIELD_LABELS: Record<EditableField, string> = {
  name: 'Name',
  source: 'Source',
  comment: 'Comment',
  createdBy: 'Created by',
  creationDate: 'Creation date (UTC)',
  encoding: 'Encoding',
};

const FIELD_PLACEHOLDERS: Partial<Record<EditableField, string>> = {
  creationDate: '2024-01-31 12:00:00 UTC, 2024-01-31, or seconds since 1970',
  source: 'Empty: no source',
  comment: 'Empty: no comment',
  createdBy: 'Empty: no creator',
  encoding: 'Empty: no encoding',
};

export class Editing {
  private running = false;

  constructor(private readonly deps: EditingDeps) {}

  /** Does an edit a row offers. */
  rowAction(tree: TreeId, row: TreeRow, action: EditRowAction): void {
    if (this.running) return;
    const tier = tree === 'trackers' && row.expandable;
    switch (action) {
      case 'edit':
        void this.editRow(tree, row);
        return;
      case 'addTracker':
        this.deps.addTracker(Number(row.id));
        return;
      case 'remove': {
        const remove: Partial<Record<TreeId, EditAction>> = {
          trackers: tier ? { kind: 'removeTier', row: row.id } : { kind: 'removeTracker', row: row.id },
          webseeds: { kind: 'removeWebSeed', row: row.id },
          nodes: { kind: 'removeNode', row: row.id },
          keys: { kind: 'removeKey', row: row.id },
        };
        if (remove[tree]) void this.run(remove[tree]);
        return;
      }
      case 'moveUp':
      case 'moveDown': {
        const direction = action === 'moveUp' ? 'up' : 'down';
        if (tree === 'trackers')
          void this.run(tier ? { kind: 'moveTier', row: row.id, direction } : { kind: 'moveTracker', row: row.id, direction });
        return;
      }
      case 'moveToNewTier':
        void this.run({ kind: 'moveToNewTier', row: row.id });
        return;
    }
  }

  /** Edits a row's URL in place: the field starts from the URL as stored (once its secrets are revealed). */
  private async editRow(tree: TreeId, row: TreeRow): Promise<void> {
    const { host, trees } = this.deps;
    const stored = await this.storedValue({ kind: 'row', tree, id: row.id });
    if (stored === undefined) return;
    const action = (url: string): EditAction =>
      tree === 'trackers' ? { kind: 'setTracker', row: row.id, url } : { kind: 'setWebSeed', row: row.id, url };
    const input = new InlineInput({
      label: tree === 'trackers' ? 'Tracker URL' : 'Web seed URL',
      value: stored,
      field: 'row-edit',
      check: (url) => host.checkEdit(action(url)),
      commit: async (url) => {
        if (url === stored) {
          trees.endEdit(tree);
          return 'done';
        }
        return this.run(action(url), () => trees.endEdit(tree, false));
      },
      cancel: () => trees.endEdit(tree),
    });
    if (!trees.editRow(tree, row.id, input.element)) return;
    input.focus();
  }

  /** The value an in-place edit starts from, as stored; undefined (and a toast saying why) when it cannot be edited. */
  private async storedValue(target: EditValueTarget): Promise<string | undefined> {
    let reply: EditValueReply;
    try {
      reply = await this.deps.host.editValue(target);
    } catch (error) {
      this.deps.toast.show(errorText(error), 'error');
      return undefined;
    }
    if ('value' in reply) return reply.value;
    this.deps.toast.show(reply.refused, 'error');
    return undefined;
  }

  /** Edits a field of the overview in place. */
  async editField(field: EditableField): Promise<void> {
    const { host, fields } = this.deps;
    const stored = await this.storedValue({ kind: 'field', field });
    if (stored === undefined) return;
    // An empty field removes it (the name cannot go: the host says so).
    const action = (value: string): EditAction => ({ kind: 'setField', field, value: value === '' && field !== 'name' ? null : value });
    const input = new InlineInput({
      label: FIELD_LABELS[field],
      value: stored,
      placeholder: FIELD_PLACEHOLDERS[field],
      multiline: field === 'comment',
      field: `edit-${field}`,
      check: (value) => host.checkEdit(action(value)),
      commit: async (value) => {
        if (value === stored) {
          fields.hideEditor(true);
          return 'done';
        }
        return this.run(action(value), () => fields.hideEditor(true));
      },
      cancel: () => fields.hideEditor(true),
    });
    fields.showEditor(field, input);
    input.focus();
  }

  /**
   * Makes an edit: asks first when it changes the info hash, then says what was done and goes to its row. Resolves
   * with `done` when it was made (or nothing was left to do: `made` has run then), `kept` when the user went back on
   * it, or why it was not made (which a field shows; without `made`, the toast says it).
   */
  async run(action: EditAction, made?: () => void): Promise<CommitResult> {
    if (this.running) return 'kept';
    this.running = true;
    try {
      return await this.make(action, made);
    } finally {
      this.running = false;
    }
  }

  private async make(action: EditAction, made: (() => void) | undefined): Promise<CommitResult> {
    const { host, toast, confirm } = this.deps;
    try {
      this.deps.beforeEdit();
      let reply = await host.edit(action);
      if (reply.status === 'confirm') {
        const yes = await confirm.ask({
          title: CONFIRM_TITLES[action.kind] ?? 'Change the info hash?',
          message: reply.message,
          before: reply.before,
          after: reply.after,
        });
        if (!yes) {
          toast.show('Nothing changed: the info hash is as it was.');
          return 'kept';
        }
        reply = await host.edit(action, reply.after);
      }
      switch (reply.status) {
        case 'applied':
          made?.();
          toast.show(reply.message);
          return 'done';
        case 'unchanged':
          made?.();
          toast.show(reply.message);
          return 'done';
        case 'confirm':
          // The torrent changed between the two questions: its new hash was not the one confirmed.
          toast.show('The torrent changed meanwhile; nothing was changed. Try again.', 'error');
          return 'kept';
        case 'refused':
          if (!made) toast.show(reply.message, 'error');
          return { problem: reply.message };
      }
    } catch (error) {
      if (!made) toast.show(errorText(error), 'error');
      return { problem: errorText(error) };
    }
  }
}

const CONFIRM_TITLES: Partial<Record<EditAction['kind'], string>> = {
  setField: 'Change the info hash?',
  setPrivate: 'Change the private flag and the info hash?',
};
