// The torrent editor's webview, put together: it connects to the host, builds the components (toolbar,
// banner, error view, overview with its hash card, the sections with their trees and the files bar, the
// menu, toast), wires them to each other and to the host, and restores the user's place. The host owns the
// data; the page shows what it is sent and asks for rows as the user scrolls. Every torrent string is set
// as text.
//
// Each component owns its DOM and state in its own file; what crosses between them (reveal a byte, copy,
// run a row's action, filter the files, take a new snapshot) is wired here.

import { errorText } from '../../src/shared/format';
import {
  ROW_HEIGHT,
  TREE_IDS,
  type CopyTarget,
  type EditAction,
  type EditRowAction,
  type EditorRequests,
  type FilesView,
  type HostEvent,
  type HostRequests,
  type RevealReply,
  type RevealTarget,
  type RowAction,
  type Snapshot,
  type TreeId,
  type TreeRow,
  type ViewState,
  type WebviewEvent,
} from '../../src/shared/protocol/editor';
import { h } from '../common/dom';
import { connectToHost, restoreViewState, storeViewState } from '../common/host';
import { PopupMenu } from '../common/menu';
import { AddBar } from './add-bar';
import { Banner } from './banner';
import { ConfirmHash } from './confirm-hash';
import { Editing } from './editing';
import { EditorHost } from './editor-host';
import { ErrorView } from './error-view';
import { FilesBar } from './files-bar';
import { HashCard } from './hash-card';
import { OverviewView } from './overview';
import { Sections } from './sections';
import { Toast } from '../common/toast';
import { Toolbar } from './toolbar';
import { rowMenu } from './tree-row';
import { Trees } from './trees';
import { ViewMemory } from './view-memory';

const host = new EditorHost(connectToHost<EditorRequests, HostRequests, WebviewEvent, HostEvent>());

const memory = new ViewMemory(restoreViewState<ViewState>(), {
  collect: (view) => {
    for (const id of TREE_IDS) trees.rememberPlace(id);
    view.tab = sections.selected;
    view.overviewCollapsed = overview.isCollapsed;
  },
  persist: (view) => {
    storeViewState(view);
    host.rememberView({ tab: view.tab, top: view.top, focus: view.focus });
  },
});

/** The snapshot on screen. */
let shown: Snapshot | undefined;
const toast = new Toast();
const menu = new PopupMenu();
const banner = new Banner();
const errorView = new ErrorView((offset) => void reveal({ kind: 'offset', offset }));
const hashCard = new HashCard(copy);
const overview = new OverviewView(
  hashCard,
  {
    reveal: (target) => void reveal(target),
    showAll: () => sections.select('problems', true),
    openCommentLink: (index) => void host.openLink({ kind: 'comment', index }).catch((error) => toast.show(errorText(error), 'error')),
    copy: (what) => void copy(what),
    editField: (field) => void editing.editField(field),
    setPrivate: (value) => void editing.run({ kind: 'setPrivate', private: value }),
    menu: (items, anchor, label) => menu.open(items, anchor, label),
  },
  memory.view.overviewCollapsed === true,
);
const toolbar = new Toolbar({
  setRevealSecrets: (reveal) => void setRevealSecrets(reveal),
  copy: (what) => void copy(what),
  openAsText: () => void host.openAsText().catch((error) => toast.show(errorText(error), 'error')),
  toggleOverview: () => {
    overview.setCollapsed(!overview.isCollapsed);
    if (shown) toolbar.render(shown, overview.isCollapsed);
    toolbar.element.querySelector<HTMLElement>('[data-action=toggle-overview]')?.focus();
    trees.refresh(sections.selected);
    memory.saveSoon();
  },
  menu: (items, anchor, label) => menu.open(items, anchor, label),
});
const trees = new Trees(host, memory, {
  action: (tree, row, action) => void runAction(tree, row, action),
  // From the keyboard the menu opens under the row's name (where the eye is), from the mouse at the pointer.
  menu: (tree, row, anchor) =>
    menu.open(
      rowMenu(tree, row, (action) => void runAction(tree, row, action)),
      anchor instanceof HTMLElement ? (anchor.querySelector<HTMLElement>('.label') ?? anchor) : anchor,
      row.label.text,
    ),
  typeInFiles: (text) => filesBar.focusFilter(text),
  clearFilesFilter: () => filesBar.clear(),
});
const filesBar = new FilesBar({
  changed: (view) => void setFilesView(view),
  expandAll: (expanded) => void expandAll('files', expanded),
  toTree: () => trees.focus('files'),
});
const filesPanel = h('div', { class: 'files-panel' }, filesBar.element, trees.element('files'));
const confirmHash = new ConfirmHash();
const editing = new Editing({
  host,
  trees,
  toast,
  confirm: confirmHash,
  fields: overview,
  addTracker: (tier) => {
    sections.select('trackers', false);
    addBars.trackers.open(String(tier));
  },
  beforeEdit: () => memory.saveNow(),
});
/** The bars that add to a list; each edit is the host's (Editing.run), so a refusal shows in the bar's field. */
const addBar = (
  tree: 'trackers' | 'webseeds' | 'nodes',
  options: Omit<ConstructorParameters<typeof AddBar>[0], 'check' | 'run' | 'closed'>,
): AddBar =>
  new AddBar({
    ...options,
    check: (action: EditAction) => host.checkEdit(action),
    run: (action: EditAction) => editing.run(action, () => {}),
    closed: () => trees.focus(tree),
  });
const addBars = {
  trackers: addBar('trackers', {
    name: 'tracker',
    text: 'Add Tracker',
    inputLabel: 'URL of the new tracker',
    placeholder: 'udp://tracker.example:6969/announce',
    choiceLabel: 'In',
    choices: () => [
      { value: '', label: 'a new tier' },
      ...Array.from({ length: shown?.overview?.tierCount ?? 0 }, (_, i) => ({ value: String(i), label: `tier ${i + 1}` })),
    ],
    action: (url, choice) => (choice ? { kind: 'addTracker', url, tier: Number(choice) } : { kind: 'addTracker', url }),
  }),
  webseeds: addBar('webseeds', {
    name: 'webseed',
    text: 'Add Web Seed',
    inputLabel: 'URL of the new web seed',
    placeholder: 'https://seed.example/files/',
    choiceLabel: 'In',
    choices: () => [
      { value: 'url-list', label: 'url-list (BEP 19)' },
      { value: 'httpseeds', label: 'httpseeds (BEP 17)' },
    ],
    action: (url, choice) => ({ kind: 'addWebSeed', url, field: choice === 'httpseeds' ? 'httpseeds' : 'url-list' }),
  }),
  nodes: addBar('nodes', {
    name: 'node',
    text: 'Add DHT Node',
    inputLabel: 'The new DHT node, as host:port',
    placeholder: 'router.example:6881',
    action: (address) => ({ kind: 'addNode', address }),
  }),
};
const listPanel = (id: keyof typeof addBars) => h('div', { class: 'list-panel' }, addBars[id].element, trees.element(id));
const panels: Partial<Record<TreeId, HTMLElement>> = {
  files: filesPanel,
  trackers: listPanel('trackers'),
  webseeds: listPanel('webseeds'),
  nodes: listPanel('nodes'),
};
const sections = new Sections((id) => panels[id] ?? trees.element(id), memory.view.tab ?? 'files', {
  // Where the tab being left was scrolled to, noted before it is hidden and loses its size.
  leaving: (id) => trees.rememberPlace(id),
  entered: (id, focusTree) => {
    trees.restorePlace(id, focusTree);
    memory.saveSoon();
  },
});

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { attrs: { id: 'app' } }));
app.removeAttribute('role');
app.append(
  toolbar.element,
  banner.element,
  errorView.element,
  overview.element,
  sections.tablist,
  sections.panels,
  toast.element,
  confirmHash.element,
);

/** Rows that fit in the window: the host sends that many with a snapshot. */
function viewportRows(): number {
  return Math.max(10, Math.ceil(window.innerHeight / ROW_HEIGHT));
}

/** Copies through the host and says so; resolves with what was said, or nothing when it failed. */
async function copy(what: CopyTarget): Promise<string | undefined> {
  try {
    const reply = await host.copy(what);
    toast.show(reply.message);
    return reply.message;
  } catch (error) {
    toast.show(errorText(error), 'error');
    return undefined;
  }
}

const EDIT_ROW_ACTIONS: ReadonlySet<RowAction> = new Set<EditRowAction>([
  'edit',
  'remove',
  'moveUp',
  'moveDown',
  'moveToNewTier',
  'addTracker',
]);

async function runAction(tree: TreeId, row: TreeRow, action: RowAction): Promise<void> {
  if (EDIT_ROW_ACTIONS.has(action)) {
    editing.rowAction(tree, row, action as EditRowAction);
    return;
  }
  try {
    if (action === 'reveal') {
      await reveal({ kind: 'source', tree, id: row.id });
      return;
    }
    if (action === 'announce' || action === 'scrape') toast.show(action === 'announce' ? 'Announcing…' : 'Scraping…');
    const reply = await host.rowAction(tree, row.id, action);
    if (reply.message) toast.show(reply.message);
  } catch (error) {
    toast.show(errorText(error), 'error');
  }
}

/** Shows a place of the file in its tree: switches to the tree's tab and focuses the row. */
async function reveal(target: RevealTarget): Promise<void> {
  let reply: RevealReply | null;
  try {
    reply = await host.reveal(target);
  } catch (error) {
    toast.show(errorText(error), 'error');
    return;
  }
  if (!reply) {
    toast.show('That place is not in the decoded data.', 'error');
    return;
  }
  if (sections.selected !== reply.tree) sections.select(reply.tree, false);
  trees.showRevealed(reply);
}

/** The newest files view asked for: replies to older ones (typing is faster than the host) are dropped. */
let filesViewAsked = 0;

async function setFilesView(view: FilesView): Promise<void> {
  const asked = ++filesViewAsked;
  try {
    const reply = await host.setFilesView(view, viewportRows());
    if (asked !== filesViewAsked) return;
    memory.view.filesView = { query: reply.filesView.query, sort: reply.filesView.sort };
    filesBar.render(reply.filesView, true);
    sections.setCount('files', shown?.trees.files.count ?? 0);
    trees.applyFilesView(reply);
    memory.saveSoon();
  } catch (error) {
    if (asked === filesViewAsked) toast.show(errorText(error), 'error');
  }
}

async function expandAll(tree: TreeId, expanded: boolean): Promise<void> {
  try {
    trees.applyChange(await host.expandAll(tree, expanded));
    memory.saveSoon();
  } catch (error) {
    toast.show(errorText(error), 'error');
  }
}

async function setRevealSecrets(reveal: boolean): Promise<void> {
  memory.saveNow();
  memory.view.revealSecrets = reveal;
  try {
    const { view } = memory;
    const next = await host.setRevealSecrets(reveal, viewportRows(), { tab: sections.selected, top: view.top, focus: view.focus });
    applySnapshot(next);
  } catch (error) {
    toast.show(errorText(error), 'error');
  }
}

function applySnapshot(s: Snapshot): void {
  shown = s;
  host.showing(s);
  document.body.dataset.state = s.failure ? 'failed' : 'ok';
  document.body.dataset.version = String(s.version);
  toolbar.render(s, overview.isCollapsed);
  errorView.render(s.failure);
  overview.render(s);
  filesBar.render(s.filesView, s.overview !== undefined);
  memory.view.filesView = { query: s.filesView.query, sort: s.filesView.sort };
  for (const id of TREE_IDS) sections.setCount(id, s.trees[id].count);
  trees.applySnapshot(s);
  const editable = s.readOnly === undefined && s.overview !== undefined;
  for (const bar of Object.values(addBars)) bar.setEnabled(editable);
  // The tab is the host's to choose when the editor opens; later snapshots (an undo from VS Code, a reload) keep
  // the one the user is on, which the host may not have heard of yet.
  if (s.reason === 'open') sections.select(s.tab, false);
  // The row an edit made here added or moved: focused with the snapshot, so that the next key acts on it.
  if (s.focus) {
    const { tree, id, index } = s.focus;
    if (sections.selected !== tree) sections.select(tree, false);
    trees.showRevealed({ tree, id, index, version: s.version, total: s.trees[tree].rows, expanded: s.trees[tree].expanded }, undefined);
  }
  if (s.reason === 'changed') banner.show('The file changed on disk and was reloaded.', 'info', false);
  memory.saveSoon();
}

host.onEvent((event) => {
  switch (event.type) {
    case 'snapshot':
      applySnapshot(event.snapshot);
      break;
    case 'fileDeleted':
      banner.show('This file was deleted on disk. You are looking at the last version that was read.', 'warning', true);
      break;
    case 'changedOnDisk':
      banner.show(
        'The file changed on disk. Your unsaved edits are kept: saving asks before it overwrites the file, and Revert File takes the version on disk.',
        'warning',
        true,
      );
      break;
    case 'reloadFailed':
      banner.show(`The file changed on disk but could not be read again: ${event.message}`, 'error', true);
      break;
    case 'showHashCard':
      overview.focusHash();
      if (shown) toolbar.render(shown, overview.isCollapsed);
      break;
    case 'reveal':
      void reveal(event.target);
      break;
  }
});

document.addEventListener('keydown', (event) => {
  const key = event.key.toLowerCase();
  const command = (event.ctrlKey || event.metaKey) && !event.shiftKey;
  if (command && !event.altKey && key === 'f' && shown?.overview) {
    // Ctrl+F finds files, from anywhere in the editor (instead of VS Code's find, which this editor has not).
    if (sections.selected !== 'files') sections.select('files', false);
    filesBar.focusFilter();
  } else if (command && event.altKey && (key === 'c' || event.code === 'KeyC')) {
    // Ctrl+Alt+C, Copy Info Hash: VS Code in a browser does not hand a webview's Ctrl+…+C to its keybindings
    // (the browser keeps it for copying), so the editor answers it itself.
    void copy('infoHash');
  } else return;
  event.preventDefault();
  event.stopPropagation();
});

window.addEventListener('resize', () => trees.refresh(sections.selected));

host
  .init(memory.view, viewportRows())
  .then(applySnapshot)
  .catch((error) => errorView.showLoadFailure(error));
