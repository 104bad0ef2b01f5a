// The overview at the top of the editor: what the torrent is (name, info hashes, version, sizes, pieces,
// files, privacy, dates, creator, comment, the info dictionary's byte span and whether it is canonical),
// then a summary of its problems. The fields flow into as many columns as the editor is wide; each info
// hash stays on one line (cut with an ellipsis when narrow) and opens the hash card. Collapsed, it is one
// line that says what the torrent is.
//
// In a torrent that can be edited, the name, source, comment, creator, date and encoding have an edit button that
// puts a field in place of the value (see Editing), the private flag a button that flips it, and "Add field" offers
// the fields the torrent does not have.

import { exactBytes, formatCount, formatSpan, plural } from '../../src/shared/format';
import { EDITABLE_FIELDS, type CopyTarget, type EditableField, type Overview, type Snapshot } from '../../src/shared/protocol/editor';
import { button, h, icon, replace } from '../common/dom';
import { type MenuAnchor, type MenuItem } from '../common/menu';
import { type FieldEditor } from './editing';
import { type HashCard } from './hash-card';
import { type InlineInput } from './inline-input';
import { problemsSummary, severityCounts, type ProblemLinks } from './problems-summary';
import { shownText } from './shown-text';

export interface OverviewLinks extends ProblemLinks {
  /** Opens the `index`th web link of the comment (the host asks VS Code, which asks the user). */
  openCommentLink(index: number): void;
  copy(what: CopyTarget): void;
  /** Starts editing a field in place. */
  editField(field: EditableField): void;
  /** Makes the torrent private or public (the info hash changes: the user is asked first). */
  setPrivate(value: boolean): void;
  menu(items: MenuItem[], anchor: MenuAnchor, label: string): void;
}

/** How the overview names each editable field, and the data-field of its value. */
const FIELD_NAMES: Record<EditableField, { label: string; data: string }> = {
  name: { label: 'Name', data: 'name' },
  source: { label: 'Source', data: 'source' },
  comment: { label: 'Comment', data: 'comment' },
  createdBy: { label: 'Created by', data: 'created-by' },
  creationDate: { label: 'Created', data: 'creation-date' },
  encoding: { label: 'Encoding', data: 'encoding' },
};

/** Fields whose edit changes the info hash: their buttons say so. */
const HASHED: ReadonlySet<EditableField> = new Set(['name', 'source']);

/** A term and its value; `name` is the value's data-field, by which tests and the UI find it. */
function field(label: string, name: string | undefined, options: { wide?: boolean }, ...value: (Node | string)[]): HTMLElement {
  return h(
    'div',
    { class: options.wide ? 'field wide' : 'field' },
    h('dt', { text: label }),
    h('dd', { data: name ? { field: name } : undefined }, ...value),
  );
}

export class OverviewView implements FieldEditor {
  readonly element = h('section', { class: 'overview', attrs: { id: 'overview', 'aria-label': 'Overview' } });
  private snapshot: Snapshot | undefined;
  /** The field being edited and its editor, kept across new snapshots. */
  private editing: { field: EditableField; input: InlineInput } | undefined;

  constructor(
    private readonly hashCard: HashCard,
    private readonly links: OverviewLinks,
    private collapsed: boolean,
  ) {}

  get isCollapsed(): boolean {
    return this.collapsed;
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    if (this.snapshot) this.render(this.snapshot);
  }

  render(s: Snapshot): void {
    this.snapshot = s;
    const o = s.overview;
    // A file that is no torrent has the error view instead, and its problems are in the Problems tab.
    this.element.hidden = !o;
    this.element.classList.toggle('collapsed', this.collapsed);
    this.hashCard.update(this.collapsed ? undefined : o);
    if (!o) {
      this.element.replaceChildren();
      return;
    }
    if (this.collapsed) {
      replace(this.element, this.summaryLine(s, o));
      return;
    }
    const parts: HTMLElement[] = [h('div', { class: 'overview-fields' }, this.fields(o))];
    if (s.diagnostics.total > 0) parts.push(problemsSummary(s.diagnostics, this.links));
    replace(this.element, ...parts);
    this.clampComment();
  }

  showEditor(field: EditableField, input: InlineInput): void {
    this.editing = { field, input };
    if (this.collapsed) this.collapsed = false;
    if (this.snapshot) this.render(this.snapshot);
  }

  hideEditor(focusButton: boolean): void {
    const field = this.editing?.field;
    this.editing = undefined;
    if (this.snapshot) this.render(this.snapshot);
    if (focusButton && field) {
      (
        this.element.querySelector<HTMLElement>(`[data-action=edit-${field}]`) ??
        this.element.querySelector<HTMLElement>('[data-action=add-field]')
      )?.focus();
    }
  }

  /** Whether the torrent on screen can be edited. */
  private get editable(): boolean {
    return this.snapshot !== undefined && this.snapshot.readOnly === undefined && this.snapshot.overview !== undefined;
  }

  /** A field's value, or its editor while it is edited; an edit button after the value when the torrent can be edited. */
  private editableValue(field: EditableField, ...value: (Node | string)[]): (Node | string)[] {
    if (this.editing?.field === field) return [this.editing.input.element];
    if (!this.editable) return value;
    const { label } = FIELD_NAMES[field];
    const edit = button({
      label: HASHED.has(field) ? `Edit the ${label.toLowerCase()} (changes the info hash)` : `Edit the ${label.toLowerCase()}`,
      icon: 'edit',
      class: 'icon-button edit-field',
      data: { action: `edit-${field}` },
      onClick: () => this.links.editField(field),
    });
    return [...value, edit];
  }

  /** The fields this torrent does not have, offered by "Add field". */
  private addFieldButton(o: Overview): HTMLElement | undefined {
    if (!this.editable) return undefined;
    const present: Record<EditableField, boolean> = {
      name: true,
      source: o.source !== undefined,
      comment: o.comment !== undefined,
      createdBy: o.createdBy !== undefined,
      creationDate: o.creationDate !== undefined,
      encoding: o.encoding !== undefined,
    };
    const absent = EDITABLE_FIELDS.filter((field) => !present[field] && this.editing?.field !== field);
    if (absent.length === 0) return undefined;
    const add: HTMLButtonElement = button({
      label: 'Add a field this torrent does not have',
      icon: 'add',
      text: 'Add field',
      class: 'link-button add-field',
      data: { action: 'add-field' },
      onClick: () =>
        this.links.menu(
          absent.map((field) => ({
            id: `add-${field}`,
            label: FIELD_NAMES[field].label,
            note: HASHED.has(field) ? 'Changes the info hash.' : undefined,
            run: () => this.links.editField(field),
          })),
          add,
          'Add field',
        ),
    });
    add.setAttribute('aria-haspopup', 'menu');
    return h('div', { class: 'field wide add-field-line' }, add);
  }

  /** Moves focus to the first info hash, which opens its card (the host's Show Info Hash Details). */
  focusHash(): void {
    if (this.collapsed) this.setCollapsed(false);
    this.element.querySelector<HTMLElement>('.hash-trigger')?.focus();
  }

  private fields(o: Overview): HTMLElement {
    const list = h('dl', { class: 'fields' });
    const versionText = o.version === 'hybrid' ? 'hybrid (v1 + v2)' : o.version === 'v2' ? 'v2 only (BEP 52)' : 'v1';
    list.append(field('Name', 'name', { wide: true }, ...this.editableValue('name', shownText(o.name))));
    if (o.storedName) {
      list.append(
        field(
          'Stored name',
          'stored-name',
          { wide: true },
          shownText(o.storedName),
          h('span', { class: 'muted', text: ' (the name above comes from name.utf-8, as libtorrent reads it)' }),
        ),
      );
    }
    const hashes: HTMLElement[] = [];
    if (o.infoHash.v1) hashes.push(this.hashField('Info hash v1', o.infoHash.v1, 'infohash-v1', 'infoHashV1'));
    if (o.infoHash.v2) hashes.push(this.hashField('Info hash v2', o.infoHash.v2, 'infohash-v2', 'infoHashV2'));
    list.append(...hashes);
    // The card opens below the last hash, so that it covers none of them.
    const lastHash = hashes[hashes.length - 1];
    for (const line of hashes) this.hashCard.attach(line.querySelector<HTMLElement>('.hash-trigger')!, lastHash);

    list.append(field('Version', 'version', {}, versionText + (o.metaVersion !== undefined ? ` · meta version ${o.metaVersion}` : '')));
    list.append(
      field(
        'Total size',
        'total-size',
        {},
        h('span', {
          class: 'exact-hover',
          text: o.totalLengthText,
          title: exactBytes(o.totalLength),
          attrs: { tabindex: 0 },
          data: { bytes: String(o.totalLength) },
        }),
        o.totalLength >= 1024 ? h('span', { class: 'muted exact', text: ` ${exactBytes(o.totalLength)}` }) : '',
      ),
    );
    list.append(
      field(
        'Pieces',
        'pieces',
        {},
        h('span', { data: { field: 'piece-count' }, text: formatCount(o.pieceCount) }),
        ' × ',
        h('span', { data: { field: 'piece-length' }, text: o.pieceLengthText, title: exactBytes(o.pieceLength) }),
        o.pieceLayerCount !== undefined
          ? h('span', { class: 'muted', data: { field: 'piece-layers' }, text: ` · ${plural(o.pieceLayerCount, 'piece layer')}` })
          : '',
      ),
    );
    const realFiles = o.fileCount - o.padCount;
    list.append(
      field(
        'Files',
        'file-count',
        {},
        plural(realFiles, 'file'),
        o.padCount ? h('span', { class: 'muted', text: ` + ${formatCount(o.padCount)} pad` }) : '',
      ),
    );
    const flip = this.editable
      ? button({
          label: o.private
            ? 'Make the torrent public: clients may use the DHT, peer exchange and local discovery (changes the info hash)'
            : 'Make the torrent private: clients use only its trackers (changes the info hash)',
          text: o.private ? 'Make public' : 'Make private',
          class: 'link-button flip-private',
          data: { action: 'toggle-private' },
          onClick: () => this.links.setPrivate(!o.private),
        })
      : undefined;
    list.append(
      field(
        'Private',
        'private',
        {},
        o.private
          ? h('span', {
              text: 'yes',
              title: 'BEP 27: clients use only the trackers listed; DHT, peer exchange and local discovery are off.',
            })
          : 'no',
        ...(flip ? [' · ', flip] : []),
      ),
    );
    const editing = this.editing?.field;
    if (o.creationDate || editing === 'creationDate')
      list.append(
        field(
          'Created',
          'creation-date',
          { wide: editing === 'creationDate' },
          ...this.editableValue(
            'creationDate',
            o.creationDate
              ? h('span', { text: o.creationDate.text, title: `${formatCount(o.creationDate.seconds)} seconds since 1970-01-01 UTC` })
              : '',
          ),
        ),
      );
    if (o.createdBy || editing === 'createdBy')
      list.append(
        field(
          'Created by',
          'created-by',
          { wide: editing === 'createdBy' },
          ...this.editableValue('createdBy', o.createdBy ? shownText(o.createdBy) : ''),
        ),
      );
    if (o.source || editing === 'source')
      list.append(
        field('Source', 'source', { wide: editing === 'source' }, ...this.editableValue('source', o.source ? shownText(o.source) : '')),
      );
    if (o.encoding || editing === 'encoding')
      list.append(
        field(
          'Encoding',
          'encoding',
          { wide: editing === 'encoding' },
          ...this.editableValue('encoding', o.encoding ? shownText(o.encoding) : ''),
        ),
      );
    list.append(
      field(
        'Info dictionary',
        'info-span',
        {},
        button({
          label: 'Show the info dictionary in the raw tree',
          text: formatSpan(o.infoSpan[0], o.infoSpan[1]),
          class: 'link-button',
          data: { action: 'reveal-info' },
          onClick: () => this.links.reveal({ kind: 'infoDict' }),
        }),
        h('span', { class: 'muted', text: ` ${exactBytes(o.infoSpan[1] - o.infoSpan[0])} hashed` }),
      ),
    );
    if (!o.infoCanonical) {
      list.append(
        field(
          'Canonical',
          'noncanonical',
          { wide: true },
          h(
            'span',
            { class: 'warning-text' },
            icon('warning'),
            h('span', { text: ' no: other tools that re-encode the info dictionary compute a different hash' }),
          ),
        ),
      );
    }
    if (o.comment || editing === 'comment')
      list.append(field('Comment', undefined, { wide: true }, ...this.editableValue('comment', o.comment ? this.comment(o) : '')));
    const add = this.addFieldButton(o);
    if (add) list.append(add);
    return list;
  }

  /** An info hash on one line, cut when narrow (the card shows it whole), with its copy button. */
  private hashField(label: string, hash: string, name: string, copy: CopyTarget): HTMLElement {
    const trigger = h('code', {
      class: 'hash hash-trigger',
      text: hash,
      attrs: {
        tabindex: 0,
        role: 'button',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false',
        'aria-label': `${label} ${hash}; details and copy actions`,
      },
      data: { field: name },
    });
    const copyButton = button({
      label: `Copy ${label}`,
      icon: 'copy',
      class: 'icon-button',
      data: { action: `copy-${name}` },
      onClick: () => this.links.copy(copy),
    });
    const line = field(label, undefined, { wide: true }, trigger, copyButton);
    line.querySelector('dd')!.classList.add('hash-line');
    return line;
  }

  /** The comment as text, its http(s) links as buttons that ask the host to open them. */
  private comment(o: Overview): HTMLElement {
    const comment = o.comment!;
    const wrapper = shownText(comment, 'text multiline comment-text');
    wrapper.dataset.field = 'comment';
    const text = wrapper.firstElementChild as HTMLElement;
    const links = o.commentLinks ?? [];
    if (links.length > 0) {
      const parts: (Node | string)[] = [];
      let at = 0;
      links.forEach(([start, end], index) => {
        if (start < at || end > comment.text.length) return;
        parts.push(comment.text.slice(at, start));
        const url = comment.text.slice(start, end);
        parts.push(
          button({
            label: `Open ${url} (VS Code asks first)`,
            text: url,
            class: 'link-button web-link',
            data: { link: String(index) },
            onClick: () => this.links.openCommentLink(index),
          }),
        );
        at = end;
      });
      parts.push(comment.text.slice(at));
      text.replaceChildren(...parts);
    }
    return wrapper;
  }

  /** A long comment shows its first lines (editor.css says how many), and a button for the rest. */
  private clampComment(): void {
    const text = this.element.querySelector<HTMLElement>('.comment-text');
    if (!text) return;
    text.classList.add('clamped');
    requestAnimationFrame(() => {
      if (!text.isConnected || text.scrollHeight <= text.clientHeight + 1) {
        text.classList.remove('clamped');
        return;
      }
      const more = button({
        label: 'Show the whole comment',
        text: 'Show more',
        class: 'link-button',
        data: { action: 'comment-more' },
        onClick: () => {
          const clamped = text.classList.toggle('clamped');
          more.querySelector('span')!.textContent = clamped ? 'Show more' : 'Show less';
          more.title = clamped ? 'Show the whole comment' : 'Show the first lines of the comment';
        },
      });
      text.parentElement?.after(more);
    });
  }

  /** The collapsed overview: one line that says what the torrent is, and its problems. */
  private summaryLine(s: Snapshot, o: Overview): HTMLElement {
    const version = o.version === 'hybrid' ? 'hybrid' : o.version;
    const facts = [
      version,
      `${o.totalLengthText} in ${plural(o.fileCount - o.padCount, 'file')}`,
      `${plural(o.pieceCount, 'piece')} of ${o.pieceLengthText}`,
      ...(o.private ? ['private'] : []),
    ];
    const line = h(
      'div',
      { class: 'overview-summary', data: { field: 'overview-summary' } },
      shownText(o.name, 'summary-name'),
      h('span', { class: 'muted', text: ` · ${facts.join(' · ')}` }),
    );
    if (s.diagnostics.total > 0) {
      line.append(
        ' ',
        button({
          label: 'Show the problems',
          text: severityCounts(s.diagnostics),
          class: 'link-button',
          data: { action: 'show-problems' },
          onClick: () => this.links.showAll(),
        }),
      );
    }
    return line;
  }
}
