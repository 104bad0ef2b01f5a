// The Create Torrent form: every choice of the issue in four groups (the torrent; trackers and web
// seeds; what goes in; details), checked by the host as the user types, with a preview of the files and
// the pieces each piece length gives, and Create / Cancel. Native controls with labels throughout, so
// the form works from the keyboard and with a screen reader; problems are tied to their fields
// (aria-invalid, aria-describedby). Names and paths from the file system reach the DOM only as text.

import type {
  ContentPreview,
  CreateCheck,
  CreateField,
  CreateFormInit,
  CreateFormState,
  CreateProgress,
  SymlinkChoice,
  TorrentVersionChoice,
} from '../../src/shared/protocol/create';
import { exactBytes, formatCount, formatSize, plural } from '../../src/shared/format';
import { button, h, replace } from '../common/dom';

export interface FormActions {
  check(state: CreateFormState): Promise<CreateCheck>;
  create(state: CreateFormState): Promise<void>;
  close(): void;
}

/** How long typing pauses before the host checks the form. */
const CHECK_DELAY_MS = 120;

const VERSIONS: { value: TorrentVersionChoice; label: string; hint: string }[] = [
  { value: 'hybrid', label: 'Hybrid (v1 and v2)', hint: 'every client can use it' },
  { value: 'v1', label: 'v1', hint: 'BEP 3: what every client reads' },
  { value: 'v2', label: 'v2', hint: 'BEP 52: newer clients only' },
];

const SYMLINKS: { value: SymlinkChoice; label: string }[] = [
  { value: 'skip', label: 'Leave them out' },
  { value: 'follow-inside', label: 'Follow links that stay inside' },
  { value: 'follow', label: 'Follow every link' },
  { value: 'error', label: 'Stop at the first link' },
];

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export class CreateForm {
  readonly element: HTMLElement;
  private readonly controls = new Map<CreateField, Control>();
  private readonly problems = new Map<CreateField, HTMLElement>();
  private readonly versionRadios = new Map<TorrentVersionChoice, HTMLInputElement>();
  private readonly pieceLength: HTMLSelectElement;
  private readonly preview = h('div', { class: 'preview', attrs: { id: 'preview', role: 'status', 'aria-live': 'polite' } });
  private readonly status = h('div', { class: 'status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
  private readonly meter = h('progress', { attrs: { id: 'meter', max: 1, value: 0, 'aria-label': 'Hashing' } });
  private readonly createButton: HTMLButtonElement;
  private lastCheck: CreateCheck | undefined;
  private timer: number | undefined;
  /** The check that answers the latest state; older answers are dropped. */
  private checkSerial = 0;
  private busy = false;

  constructor(
    private readonly init: CreateFormInit,
    private readonly actions: FormActions,
  ) {
    const source = init.source;
    this.pieceLength = h('select', { attrs: { id: 'pieceLength', 'aria-describedby': 'pieceLength-hint pieceLength-problem' } });
    this.createButton = button({
      label: 'Create Torrent…',
      text: 'Create Torrent…',
      icon: 'save',
      class: 'button',
      onClick: () => void this.submit(),
    });
    this.createButton.id = 'create';
    const cancel = button({ label: 'Cancel', text: 'Cancel', class: 'button secondary', onClick: () => actions.close() });
    cancel.id = 'cancel';
    this.meter.hidden = true;

    const form = h(
      'form',
      { attrs: { id: 'create-form', novalidate: true, 'aria-labelledby': 'title' } },
      h(
        'header',
        { class: 'header' },
        h('h1', { attrs: { id: 'title' }, text: 'Create Torrent' }),
        h(
          'div',
          { class: 'subject', attrs: { id: 'subject' } },
          h('span', { text: `A torrent of the ${source.kind} ` }),
          h('span', { class: 'mono path', text: source.path }),
        ),
        this.preview,
      ),
      h(
        'div',
        { class: 'groups' },
        this.group(
          'The torrent',
          this.versionField(),
          this.field(
            'pieceLength',
            'Piece size',
            this.pieceLength,
            'More pieces mean smaller ones to fetch again; fewer, a smaller .torrent.',
          ),
          this.field('name', 'Name', this.input('name'), 'The top folder (or the file) in clients.'),
        ),
        this.group(
          'Trackers and web seeds',
          this.field(
            'trackers',
            'Trackers',
            this.textarea('trackers', 5),
            'One URL per line: http, https, udp, ws or wss. An empty line starts the next tier.',
          ),
          this.field('webSeeds', 'Web seeds', this.textarea('webSeeds', 3), 'One http or https URL per line (BEP 19).'),
        ),
        this.group(
          'What goes in',
          this.checkbox('includeHidden', 'Include hidden files and folders (names starting with a dot)'),
          this.field(
            'exclude',
            'Leave out',
            this.textarea('exclude', 3),
            'One pattern per line: *.nfo (a name anywhere), sub/*.tmp (a path from the top).',
          ),
          this.field('symlinks', 'Symbolic links', this.select('symlinks', SYMLINKS)),
        ),
        this.group(
          'Details',
          this.checkbox('private', 'Private torrent: peers only from its trackers (BEP 27)'),
          this.field('source', 'Source', this.input('source'), 'Some private trackers ask for their name here.'),
          this.field('comment', 'Comment', this.textarea('comment', 2)),
          this.checkbox('createdBy', 'Write “created by Torrent Lens”'),
          this.checkbox('creationDate', 'Write the creation date'),
          h('p', { class: 'hint', text: 'With both off, the same files and choices give the same .torrent, byte for byte.' }),
        ),
      ),
      h(
        'footer',
        { class: 'footer' },
        h('div', { class: 'progress' }, this.meter, this.status),
        h('div', { class: 'actions' }, cancel, this.createButton),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    form.addEventListener('input', () => this.scheduleCheck());
    form.addEventListener('change', () => this.scheduleCheck());
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.submit();
      } else if (event.key === 'Escape' && !this.busy) actions.close();
    });
    this.element = form;
    this.setState(init.state);
    this.renderPieceLengths(undefined);
  }

  /** Asks the host at once (the first check, and after a reload). */
  checkNow(): void {
    window.clearTimeout(this.timer);
    void this.runCheck();
  }

  /** A check the host sends by itself: the listing behind the preview is done. */
  showCheck(check: CreateCheck): void {
    this.lastCheck = check;
    this.renderCheck(check);
  }

  showProgress(progress: CreateProgress): void {
    this.busy = progress.state === 'choosing' || progress.state === 'working';
    this.meter.hidden = progress.state !== 'working';
    this.element.dataset.progress = progress.state;
    switch (progress.state) {
      case 'idle':
        this.status.textContent = '';
        break;
      case 'choosing':
        this.status.textContent = 'Choose where to save the torrent…';
        break;
      case 'working': {
        const share = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 1;
        this.meter.value = share;
        this.status.textContent = `Hashing: ${Math.floor(share * 100)}% of ${formatSize(progress.bytesTotal)}`;
        break;
      }
      case 'failed':
        this.status.textContent = `Not created: ${progress.message}`;
        break;
      case 'done':
        this.status.textContent = `Created ${progress.file}`;
        break;
    }
    this.status.classList.toggle('error', progress.state === 'failed');
    this.updateCreateButton();
  }

  /** The form as the user has it now. */
  state(): CreateFormState {
    const value = (field: CreateField) => (this.controls.get(field) as HTMLInputElement).value;
    const checked = (field: CreateField) => (this.controls.get(field) as HTMLInputElement).checked;
    let version: TorrentVersionChoice = 'hybrid';
    for (const [v, radio] of this.versionRadios) if (radio.checked) version = v;
    return {
      version,
      pieceLength: this.pieceLength.value === 'auto' ? 'auto' : Number(this.pieceLength.value),
      trackers: value('trackers'),
      webSeeds: value('webSeeds'),
      private: checked('private'),
      source: value('source'),
      comment: value('comment'),
      name: value('name'),
      includeHidden: checked('includeHidden'),
      exclude: value('exclude'),
      symlinks: value('symlinks') as SymlinkChoice,
      createdBy: checked('createdBy'),
      creationDate: checked('creationDate'),
    };
  }

  private setState(state: CreateFormState): void {
    for (const [field, control] of this.controls) {
      const value = state[field];
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else control.value = String(value);
    }
    this.versionRadios.get(state.version)!.checked = true;
    this.pieceLength.dataset.chosen = String(state.pieceLength);
  }

  private scheduleCheck(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.runCheck(), CHECK_DELAY_MS);
  }

  private async runCheck(): Promise<void> {
    const serial = ++this.checkSerial;
    const check = await this.actions.check(this.state());
    if (serial !== this.checkSerial) return;
    this.lastCheck = check;
    this.renderCheck(check);
  }

  private async submit(): Promise<void> {
    if (this.createButton.disabled) return;
    window.clearTimeout(this.timer);
    const state = this.state();
    const check = await this.actions.check(state);
    this.lastCheck = check;
    this.renderCheck(check);
    const first = Object.keys(check.problems)[0] as CreateField | undefined;
    if (first) {
      (first === 'version' ? this.versionRadios.get('hybrid') : (this.controls.get(first) ?? this.pieceLength))?.focus();
      return;
    }
    await this.actions.create(state);
  }

  private renderCheck(check: CreateCheck): void {
    for (const [field, element] of this.problems) {
      const problem = check.problems[field];
      element.textContent = problem?.message ?? '';
      element.hidden = !problem;
      const control = field === 'pieceLength' ? this.pieceLength : this.controls.get(field);
      control?.setAttribute('aria-invalid', String(problem !== undefined));
    }
    this.renderPreview(check.preview);
    this.renderPieceLengths(check.preview);
    this.updateCreateButton();
  }

  private updateCreateButton(): void {
    const check = this.lastCheck;
    const blocked = !check || Object.keys(check.problems).length > 0 || check.preview.state === 'failed';
    this.createButton.disabled = this.busy || blocked;
  }

  private renderPreview(preview: ContentPreview): void {
    this.preview.dataset.state = preview.state;
    if (preview.state === 'listing') this.preview.textContent = 'Looking at the files…';
    else if (preview.state === 'failed') this.preview.textContent = preview.message;
    else
      replace(
        this.preview,
        h('span', { text: `${plural(preview.fileCount, 'file')}, ` }),
        h('span', { text: formatSize(preview.totalLength), title: exactBytes(preview.totalLength) }),
        preview.skippedCount > 0 ? h('span', { text: ` (${formatCount(preview.skippedCount)} left out)` }) : null,
      );
    this.preview.classList.toggle('error', preview.state === 'failed');
  }

  /** The piece sizes, each with the number of pieces it gives; the choice kept across redraws. */
  private renderPieceLengths(preview: ContentPreview | undefined): void {
    const chosen = this.pieceLength.dataset.chosen ?? this.pieceLength.value ?? 'auto';
    const ready = preview?.state === 'ready' ? preview : undefined;
    const count = (length: number) => (ready ? ` — ${plural(ready.pieceCounts[length] ?? 0, 'piece')}` : '');
    const options = [
      h('option', {
        attrs: { value: 'auto' },
        text: ready ? `Automatic: ${formatSize(ready.autoPieceLength)}${count(ready.autoPieceLength)}` : 'Automatic',
      }),
      ...this.init.pieceLengths.map((length) => h('option', { attrs: { value: length }, text: `${formatSize(length)}${count(length)}` })),
    ];
    replace(this.pieceLength, ...options);
    this.pieceLength.value = chosen;
    delete this.pieceLength.dataset.chosen;
  }

  private group(title: string, ...fields: HTMLElement[]): HTMLElement {
    return h('fieldset', { class: 'group' }, h('legend', { text: title }), ...fields);
  }

  private field(field: CreateField, label: string, control: Control, hint?: string): HTMLElement {
    const problem = h('div', { class: 'problem', attrs: { id: `${field}-problem` } });
    problem.hidden = true;
    this.problems.set(field, problem);
    const describedBy = [hint ? `${field}-hint` : '', `${field}-problem`].filter(Boolean).join(' ');
    control.setAttribute('aria-describedby', describedBy);
    return h(
      'div',
      { class: 'field', data: { field } },
      h('label', { attrs: { for: control.id }, text: label }),
      control,
      hint ? h('div', { class: 'hint', attrs: { id: `${field}-hint` }, text: hint }) : null,
      problem,
    );
  }

  private input(field: CreateField): HTMLInputElement {
    const input = h('input', { attrs: { id: field, type: 'text', spellcheck: false, autocomplete: 'off' } });
    this.controls.set(field, input);
    return input;
  }

  private textarea(field: CreateField, rows: number): HTMLTextAreaElement {
    const area = h('textarea', { attrs: { id: field, rows, spellcheck: false, wrap: 'off' } });
    this.controls.set(field, area);
    return area;
  }

  private select(field: CreateField, choices: { value: string; label: string }[]): HTMLSelectElement {
    const select = h('select', { attrs: { id: field } }, ...choices.map((c) => h('option', { attrs: { value: c.value }, text: c.label })));
    this.controls.set(field, select);
    return select;
  }

  private checkbox(field: CreateField, label: string): HTMLElement {
    const box = h('input', { attrs: { id: field, type: 'checkbox' } });
    this.controls.set(field, box);
    return h('div', { class: 'field check', data: { field } }, box, h('label', { attrs: { for: field }, text: label }));
  }

  private versionField(): HTMLElement {
    const problem = h('div', { class: 'problem', attrs: { id: 'version-problem' } });
    problem.hidden = true;
    this.problems.set('version', problem);
    return h(
      'fieldset',
      { class: 'field radios', data: { field: 'version' }, attrs: { 'aria-describedby': 'version-problem' } },
      h('legend', { text: 'Version' }),
      ...VERSIONS.map((v) => {
        const radio = h('input', { attrs: { id: `version-${v.value}`, type: 'radio', name: 'version', value: v.value } });
        this.versionRadios.set(v.value, radio);
        return h(
          'div',
          { class: 'radio' },
          radio,
          h(
            'label',
            { attrs: { for: `version-${v.value}` } },
            h('span', { text: v.label }),
            h('span', { class: 'hint', text: ` — ${v.hint}` }),
          ),
        );
      }),
      problem,
    );
  }
}
