// The torrent editor's webview: overview, info-hash card, error view and the trees (files, trackers, web
// seeds, DHT nodes, other keys, raw bencode, problems). The host owns the data; this page shows what it
// is sent and asks for rows as the user scrolls. Every torrent string is set as text.

import {
  ROW_HEIGHT,
  TREE_IDS,
  type CopyTarget,
  type DiagnosticView,
  type EditorRequests,
  type HostEvent,
  type HostRequests,
  type IconId,
  type Overview,
  type RevealReply,
  type RevealTarget,
  type RowAction,
  type ShownText,
  type Snapshot,
  type TreeId,
  type TreeRow,
  type ViewState,
  type WebviewEvent,
} from '../../src/shared/protocol/editor';
import { button, h, icon, replace } from '../common/dom';
import { connectToHost, restoreViewState, storeViewState } from '../common/host';
import { TreeView } from '../common/tree-view';

const host = connectToHost<EditorRequests, HostRequests, WebviewEvent, HostEvent>();

// -------------------------------------------------------------------------------------------------------
// Fixed vocabulary

const TABS: Record<TreeId, { label: string; empty: string }> = {
  files: { label: 'Files', empty: 'No files.' },
  trackers: { label: 'Trackers', empty: 'No trackers: clients find peers for this torrent through the DHT, peer exchange or web seeds.' },
  webseeds: { label: 'Web seeds', empty: 'No web seeds (url-list, httpseeds).' },
  nodes: { label: 'DHT nodes', empty: 'No DHT bootstrap nodes.' },
  keys: { label: 'Other keys', empty: 'No keys beyond the ones Torrent Lens reads.' },
  raw: { label: 'Raw', empty: 'Nothing could be decoded.' },
  problems: { label: 'Problems', empty: 'No problems found.' },
};

const ICONS: Record<IconId, string> = {
  folder: 'folder',
  file: 'file',
  pad: 'symbol-null',
  symlink: 'file-symlink-file',
  tier: 'layers',
  tracker: 'radio-tower',
  seed: 'globe',
  node: 'server',
  key: 'symbol-key',
  dict: 'symbol-namespace',
  list: 'symbol-array',
  int: 'symbol-number',
  bytes: 'symbol-string',
  chunk: 'list-flat',
  hash: 'symbol-constant',
  error: 'error',
  warning: 'warning',
  info: 'info',
};

const ACTIONS: Record<RowAction, { icon: string; label: (tree: TreeId, row: TreeRow) => string }> = {
  announce: {
    icon: 'megaphone',
    label: (_t, row) => (row.expandable ? 'Announce to every tracker of this tier' : 'Announce to this tracker'),
  },
  scrape: { icon: 'pulse', label: (_t, row) => (row.expandable ? 'Scrape every tracker of this tier' : 'Scrape this tracker') },
  reveal: { icon: 'target', label: () => 'Show in the raw tree' },
  copy: { icon: 'copy', label: () => 'Copy' },
};

const NOT_UTF8_TITLE = 'These bytes are not valid UTF-8; they are shown as latin-1 (one character per byte).';

// -------------------------------------------------------------------------------------------------------
// State

let snapshot: Snapshot | undefined;
const saved = restoreViewState<ViewState>() ?? {};
const view: Required<Pick<ViewState, 'expanded' | 'top' | 'focus'>> & ViewState = {
  ...saved,
  expanded: { ...(saved.expanded ?? {}) },
  top: { ...(saved.top ?? {}) },
  focus: { ...(saved.focus ?? {}) },
};
let tab: TreeId = view.tab ?? 'files';

function viewportRows(): number {
  return Math.max(10, Math.ceil(window.innerHeight / ROW_HEIGHT));
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Remembers the view soon (scrolling calls this every frame). */
function saveState(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveStateNow, 150);
}

/** Remembers the view in the webview state now, and tells the host (which uses it when the file changes). */
function saveStateNow(): void {
  clearTimeout(saveTimer);
  for (const id of TREE_IDS) {
    const tree = trees[id];
    if (!tree.element.isConnected || tree.element.clientHeight === 0) continue;
    view.top[id] = tree.topIndex;
    const focus = tree.focusedId;
    if (focus !== undefined) view.focus[id] = focus;
  }
  view.tab = tab;
  storeViewState(view);
  host.emit({ type: 'viewState', state: { tab: view.tab, top: view.top, focus: view.focus } });
}

// -------------------------------------------------------------------------------------------------------
// Page skeleton

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { attrs: { id: 'app' } }));
app.removeAttribute('role');

const toast = h('div', { class: 'toast', attrs: { id: 'toast', role: 'status', 'aria-live': 'polite' } });
const banner = h('div', { class: 'banner', attrs: { id: 'banner', role: 'status' } });
banner.hidden = true;
const errorView = h('section', { class: 'error-view', attrs: { id: 'error', role: 'alert' } });
errorView.hidden = true;
const overview = h('section', { class: 'overview', attrs: { id: 'overview', 'aria-label': 'Overview' } });
const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Torrent contents' } });
const panels = h('div', { class: 'panels' });
const toolbar = h('div', { class: 'toolbar', attrs: { 'aria-label': 'File and actions' } });
const hashCard = h('div', { class: 'hash-card', attrs: { id: 'hash-card', role: 'dialog', 'aria-label': 'Info hash details' } });
hashCard.hidden = true;

app.append(toolbar, banner, errorView, overview, tablist, panels, toast);

function showToast(message: string, tone: 'info' | 'error' = 'info'): void {
  toast.textContent = message;
  toast.className = `toast visible tone-${tone}`;
  clearTimeout((showToast as { timer?: ReturnType<typeof setTimeout> }).timer);
  (showToast as { timer?: ReturnType<typeof setTimeout> }).timer = setTimeout(() => (toast.className = 'toast'), 3500);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A torrent string as DOM: the text, a marker when it is not UTF-8, and a note when it was cut. */
function textOf(shown: ShownText, className = 'text'): HTMLSpanElement {
  const span = h('span', { class: className, text: shown.text });
  const wrapper = h('span', { class: 'shown' }, span);
  if (!shown.utf8) {
    wrapper.append(h('span', { class: 'marker not-utf8', text: 'latin-1', title: NOT_UTF8_TITLE, data: { marker: 'not-utf8' } }));
  }
  if (shown.omitted) wrapper.append(h('span', { class: 'omitted', text: `… ${shown.omitted.toLocaleString('en-US')} more` }));
  return wrapper;
}

// -------------------------------------------------------------------------------------------------------
// Trees

const trees = {} as Record<TreeId, TreeView<TreeRow>>;
const tabButtons = {} as Record<TreeId, HTMLButtonElement>;
const tabCounts = {} as Record<TreeId, HTMLSpanElement>;
const tabPanels = {} as Record<TreeId, HTMLDivElement>;

for (const id of TREE_IDS) {
  const tree = new TreeView<TreeRow>({
    label: TABS[id].label,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    source: {
      fetch: (start, count) => host.request({ type: 'getRows', version: snapshot?.version ?? 0, tree: id, start, count }),
      setExpanded: async (row, expanded) => {
        const change = await host.request({ type: 'setExpanded', version: snapshot?.version ?? 0, tree: id, id: row.id, expanded });
        view.expanded[id] = change.expanded;
        return change;
      },
      locate: async (rowId) => {
        const reply = await host.request({ type: 'reveal', version: snapshot?.version ?? 0, target: { kind: 'row', tree: id, id: rowId } });
        if (reply) view.expanded[id] = reply.expanded;
        return reply;
      },
      render: (content, row) => renderRow(id, content, row),
      activate: (row) => {
        if (row.actions?.includes('reveal')) void reveal({ kind: 'source', tree: id, id: row.id });
      },
      keydown: (row, event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c' && row.actions?.includes('copy')) {
          void runAction(id, row, 'copy');
          return true;
        }
        return false;
      },
      changed: saveState,
    },
  });
  tree.setEmptyMessage(TABS[id].empty);
  trees[id] = tree;
  const count = h('span', { class: 'count', text: '' });
  const tabButton = h(
    'button',
    {
      class: 'tab',
      attrs: { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': id, 'aria-selected': 'false', tabindex: -1 },
      data: { tree: id },
      on: { click: () => selectTab(id, true) },
    },
    h('span', { text: TABS[id].label }),
    count,
  );
  tabButtons[id] = tabButton;
  tabCounts[id] = count;
  tablist.append(tabButton);
  const panel = h(
    'div',
    { class: 'panel', attrs: { id, role: 'tabpanel', 'aria-labelledby': `tab-${id}` }, data: { tree: id } },
    tree.element,
  );
  panel.hidden = true;
  tabPanels[id] = panel;
  panels.append(panel);
}

tablist.addEventListener('keydown', (event) => {
  const order = TREE_IDS;
  const at = order.indexOf(tab);
  let next: TreeId | undefined;
  if (event.key === 'ArrowRight') next = order[(at + 1) % order.length];
  else if (event.key === 'ArrowLeft') next = order[(at - 1 + order.length) % order.length];
  else if (event.key === 'Home') next = order[0];
  else if (event.key === 'End') next = order[order.length - 1];
  if (!next) return;
  event.preventDefault();
  selectTab(next, false);
  tabButtons[next].focus();
});

function selectTab(id: TreeId, focusTree: boolean): void {
  // Remember where the tab being left was scrolled to, before it is hidden and loses its size.
  const leaving = trees[tab];
  if (tab !== id && leaving.element.clientHeight > 0) {
    view.top[tab] = leaving.topIndex;
    if (leaving.focusedId !== undefined) view.focus[tab] = leaving.focusedId;
  }
  tab = id;
  for (const other of TREE_IDS) {
    const selected = other === id;
    tabButtons[other].setAttribute('aria-selected', String(selected));
    tabButtons[other].tabIndex = selected ? 0 : -1;
    tabPanels[other].hidden = !selected;
  }
  const tree = trees[id];
  tree.scrollTo(view.top[id] ?? 0);
  if (focusTree) tree.focus();
  saveState();
}

function renderRow(treeId: TreeId, content: HTMLElement, row: TreeRow): void {
  const iconName = row.icon === 'folder' && row.expanded ? 'folder-opened' : ICONS[row.icon];
  content.append(icon(iconName));
  content.append(textOf(row.label, 'label'));
  if (row.tone) content.parentElement?.setAttribute('data-tone', row.tone);
  else content.parentElement?.removeAttribute('data-tone');
  if (row.value) content.append(textOf(row.value, 'value'));
  for (const badge of row.badges ?? [])
    content.append(h('span', { class: `badge tone-${badge.tone}`, text: badge.text, title: badge.title }));
  content.append(h('span', { class: 'fill' }));
  if (row.detail) content.append(h('span', { class: 'detail', text: row.detail, title: row.detailTitle }));
  if (row.span)
    content.append(
      h('span', { class: 'span', text: `[${row.span[0]}, ${row.span[1]})`, title: row.detailTitle ?? 'byte span [start, end)' }),
    );
  if (row.actions?.length) {
    const actions = h('span', { class: 'actions' });
    for (const action of row.actions) {
      actions.append(
        button({
          label: ACTIONS[action].label(treeId, row),
          icon: ACTIONS[action].icon,
          class: 'icon-button',
          data: { action },
          onClick: (event) => {
            event.stopPropagation();
            void runAction(treeId, row, action);
          },
        }),
      );
    }
    for (const b of actions.querySelectorAll('button')) b.tabIndex = -1;
    content.append(actions);
  }
}

async function runAction(treeId: TreeId, row: TreeRow, action: RowAction): Promise<void> {
  try {
    if (action === 'reveal') {
      await reveal({ kind: 'source', tree: treeId, id: row.id });
      return;
    }
    if (action === 'announce' || action === 'scrape') showToast(action === 'announce' ? 'Announcing…' : 'Scraping…');
    const reply = await host.request({ type: 'rowAction', version: snapshot?.version ?? 0, tree: treeId, id: row.id, action });
    if (reply.message) showToast(reply.message);
  } catch (error) {
    showToast(errorText(error), 'error');
  }
}

async function reveal(target: RevealTarget): Promise<void> {
  let reply: RevealReply | null;
  try {
    reply = await host.request({ type: 'reveal', version: snapshot?.version ?? 0, target });
  } catch (error) {
    showToast(errorText(error), 'error');
    return;
  }
  if (!reply) {
    showToast('That place is not in the decoded data.', 'error');
    return;
  }
  view.expanded[reply.tree] = reply.expanded;
  if (tab !== reply.tree) selectTab(reply.tree, false);
  const tree = trees[reply.tree];
  tree.setData({ version: reply.version, total: reply.total, focusId: reply.id });
  tree.focusRow(reply.index, { takeFocus: true, align: 'center' });
}

async function copy(what: CopyTarget, status?: HTMLElement): Promise<void> {
  try {
    const reply = await host.request({ type: 'copy', what });
    if (status) status.textContent = reply.message;
    showToast(reply.message);
  } catch (error) {
    showToast(errorText(error), 'error');
  }
}

// -------------------------------------------------------------------------------------------------------
// Toolbar, banner, error view

function renderToolbar(s: Snapshot): void {
  const items: HTMLElement[] = [];
  items.push(h('span', { class: 'file-name', text: s.fileName, data: { field: 'file-name' } }));
  items.push(h('span', { class: 'file-size', text: `${s.fileSize.toLocaleString('en-US')} bytes`, data: { field: 'file-size' } }));
  items.push(h('span', { class: 'fill' }));
  const secretsRelevant = !s.secretsSettingOn && (s.revealSecrets || s.overview?.secretsHidden);
  if (secretsRelevant) {
    const toggle = button({
      label: s.revealSecrets ? 'Hide tracker passkeys and other secrets again' : 'Show tracker passkeys and other secrets in this editor',
      icon: s.revealSecrets ? 'eye-closed' : 'eye',
      text: s.revealSecrets ? 'Hide secrets' : 'Reveal secrets',
      data: { action: 'toggle-secrets' },
      onClick: () => void toggleSecrets(!s.revealSecrets),
    });
    toggle.setAttribute('aria-pressed', String(s.revealSecrets));
    items.push(toggle);
  }
  if (s.overview) {
    items.push(
      button({
        label: 'Copy the info hash',
        icon: 'copy',
        text: 'Copy hash',
        data: { action: 'copy-hash' },
        onClick: () => void copy('infoHash'),
      }),
    );
    items.push(
      button({
        label: 'Copy a magnet link',
        icon: 'link',
        text: 'Copy magnet',
        data: { action: 'copy-magnet' },
        onClick: () => void copy('magnet'),
      }),
    );
  }
  items.push(
    button({
      label: 'Open this file in the text editor',
      icon: 'go-to-file',
      text: 'Open as Text',
      data: { action: 'open-text' },
      onClick: () => void host.request({ type: 'openWith', editor: 'text' }).catch((error) => showToast(errorText(error), 'error')),
    }),
  );
  replace(toolbar, ...items);
}

async function toggleSecrets(reveal: boolean): Promise<void> {
  saveStateNow();
  view.revealSecrets = reveal;
  try {
    const next = await host.request({
      type: 'setRevealSecrets',
      reveal,
      viewportRows: viewportRows(),
      state: { tab, top: view.top, focus: view.focus },
    });
    applySnapshot(next);
  } catch (error) {
    showToast(errorText(error), 'error');
  }
}

function showBanner(text: string, tone: 'info' | 'warning' | 'error', sticky: boolean): void {
  banner.textContent = '';
  banner.append(icon(tone === 'info' ? 'info' : tone === 'warning' ? 'warning' : 'error'), h('span', { text }));
  banner.className = `banner tone-${tone}`;
  banner.dataset.kind = tone;
  banner.hidden = false;
  clearTimeout((showBanner as { timer?: ReturnType<typeof setTimeout> }).timer);
  if (!sticky) (showBanner as { timer?: ReturnType<typeof setTimeout> }).timer = setTimeout(() => (banner.hidden = true), 6000);
}

function renderError(s: Snapshot): void {
  const failure = s.failure;
  errorView.hidden = !failure;
  if (!failure) {
    errorView.replaceChildren();
    return;
  }
  const heading = h('h2', {}, icon('error'), h('span', { text: 'This file is not a valid torrent' }));
  const message = h('p', { class: 'error-message', data: { field: 'error-message' } }, textOf({ text: failure.message, utf8: true }));
  const parts: (HTMLElement | false)[] = [heading, message];
  if (failure.offset !== undefined) {
    const at = h('p', { class: 'error-offset' }, h('span', { text: 'At ' }));
    const offsetButton = button({
      label: failure.partial ? 'Show this byte in the raw tree' : `byte ${failure.offset}`,
      text: `byte ${failure.offset.toLocaleString('en-US')}`,
      class: 'link-button',
      data: { offset: String(failure.offset) },
      onClick: () => void reveal({ kind: 'offset', offset: failure.offset! }),
    });
    offsetButton.disabled = !failure.partial;
    at.append(offsetButton, h('span', { class: 'code', text: ` (${failure.code})` }));
    parts.push(at);
    if (failure.context) {
      const hex = h('div', { class: 'hex-context', data: { field: 'error-context' }, attrs: { 'aria-label': 'Bytes around the error' } });
      failure.context.hex.forEach((pair, i) => {
        const offset = failure.context!.start + i;
        hex.append(h('span', { class: offset === failure.offset ? 'byte at-error' : 'byte', text: pair, title: `byte ${offset}` }));
      });
      if (failure.offset >= failure.context.start + failure.context.hex.length) {
        hex.append(h('span', { class: 'byte at-error end', text: 'EOF', title: `byte ${failure.offset}: the end of the file` }));
      }
      parts.push(
        h(
          'div',
          { class: 'context' },
          h('span', { class: 'context-label', text: `bytes from ${failure.context.start.toLocaleString('en-US')}:` }),
          hex,
          h('code', { class: 'context-text', text: failure.context.text }),
        ),
      );
    }
  } else {
    parts.push(h('p', { class: 'code', text: `(${failure.code})` }));
  }
  parts.push(
    h('p', {
      class: 'note',
      text: failure.partial
        ? 'The Raw tab shows everything that decoded before the problem.'
        : 'Nothing before the problem could be decoded.',
    }),
  );
  replace(errorView, ...parts);
}

// -------------------------------------------------------------------------------------------------------
// Overview and the info-hash card

function field(label: string, name: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', { text: label }), h('dd', { data: { field: name } }, ...value)];
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

function hashTrigger(hash: string, name: string, label: string): HTMLElement {
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
  attachHashCard(trigger);
  return trigger;
}

function renderOverview(s: Snapshot): void {
  const o = s.overview;
  overview.hidden = !o && s.diagnostics.total === 0;
  const items: HTMLElement[] = [];
  if (o) {
    const list = h('dl', { class: 'fields' });
    const versionText = o.version === 'hybrid' ? 'hybrid (v1 + v2)' : o.version === 'v2' ? 'v2 only (BEP 52)' : 'v1';
    list.append(...field('Name', 'name', textOf(o.name)));
    if (o.storedName) {
      list.append(
        ...field(
          'Stored name',
          'stored-name',
          textOf(o.storedName),
          h('span', { class: 'muted', text: ' (the name above comes from name.utf-8, as libtorrent reads it)' }),
        ),
      );
    }
    if (o.infoHash.v1)
      list.append(
        h('dt', { text: 'Info hash v1' }),
        h('dd', { class: 'hash-line' }, hashTrigger(o.infoHash.v1, 'infohash-v1', 'Info hash v1')),
      );
    if (o.infoHash.v2)
      list.append(
        h('dt', { text: 'Info hash v2' }),
        h('dd', { class: 'hash-line' }, hashTrigger(o.infoHash.v2, 'infohash-v2', 'Info hash v2')),
      );
    list.append(...field('Version', 'version', versionText + (o.metaVersion !== undefined ? ` · meta version ${o.metaVersion}` : '')));
    list.append(
      ...field(
        'Total size',
        'total-size',
        h('span', {
          class: 'exact-hover',
          text: o.totalLengthText,
          title: `${formatNumber(o.totalLength)} bytes`,
          attrs: { tabindex: 0 },
          data: { bytes: String(o.totalLength) },
        }),
        o.totalLength >= 1024 ? h('span', { class: 'muted exact', text: ` ${formatNumber(o.totalLength)} bytes` }) : '',
      ),
    );
    list.append(
      ...field(
        'Pieces',
        'pieces',
        h('span', { data: { field: 'piece-count' }, text: formatNumber(o.pieceCount) }),
        ' × ',
        h('span', { data: { field: 'piece-length' }, text: o.pieceLengthText, title: `${formatNumber(o.pieceLength)} bytes` }),
        o.pieceLayerCount !== undefined ? h('span', { class: 'muted', text: ` · ${formatNumber(o.pieceLayerCount)} piece layers` }) : '',
      ),
    );
    const realFiles = o.fileCount - o.padCount;
    list.append(
      ...field(
        'Files',
        'file-count',
        `${formatNumber(realFiles)} ${realFiles === 1 ? 'file' : 'files'}`,
        o.padCount ? h('span', { class: 'muted', text: ` + ${formatNumber(o.padCount)} pad` }) : '',
      ),
    );
    list.append(
      ...field(
        'Private',
        'private',
        o.private
          ? h('span', {
              text: 'yes',
              title: 'BEP 27: clients use only the trackers listed; DHT, peer exchange and local discovery are off.',
            })
          : 'no',
      ),
    );
    if (o.creationDate)
      list.append(
        ...field(
          'Created',
          'creation-date',
          h('span', { text: o.creationDate.text, title: `${o.creationDate.seconds} seconds since 1970-01-01 UTC` }),
        ),
      );
    if (o.createdBy) list.append(...field('Created by', 'created-by', textOf(o.createdBy)));
    if (o.comment) list.append(...field('Comment', 'comment', textOf(o.comment, 'text multiline')));
    if (o.source) list.append(...field('Source', 'source', textOf(o.source)));
    if (o.encoding) list.append(...field('Encoding', 'encoding', textOf(o.encoding)));
    const spanButton = button({
      label: 'Show the info dictionary in the raw tree',
      text: `[${formatNumber(o.infoSpan[0])}, ${formatNumber(o.infoSpan[1])})`,
      class: 'link-button',
      data: { action: 'reveal-info' },
      onClick: () => void reveal({ kind: 'infoDict' }),
    });
    list.append(
      ...field(
        'Info dictionary',
        'info-span',
        spanButton,
        h('span', { class: 'muted', text: ` ${formatNumber(o.infoSpan[1] - o.infoSpan[0])} bytes hashed` }),
      ),
    );
    if (!o.infoCanonical) {
      list.append(
        ...field(
          'Canonical',
          'noncanonical',
          h(
            'span',
            { class: 'warning-text' },
            icon('warning'),
            h('span', { text: ' no: other tools that re-encode the info dictionary compute a different hash' }),
          ),
        ),
      );
    }
    items.push(list);
    fillHashCard(o);
  }
  if (s.diagnostics.total > 0) items.push(renderDiagnostics(s));
  replace(overview, ...items);
}

function renderDiagnostics(s: Snapshot): HTMLElement {
  const d = s.diagnostics;
  const parts: string[] = [];
  if (d.errors) parts.push(`${formatNumber(d.errors)} ${d.errors === 1 ? 'error' : 'errors'}`);
  if (d.warnings) parts.push(`${formatNumber(d.warnings)} ${d.warnings === 1 ? 'warning' : 'warnings'}`);
  if (d.infos) parts.push(`${formatNumber(d.infos)} ${d.infos === 1 ? 'note' : 'notes'}`);
  const list = h('ul', { class: 'diagnostics' });
  for (const item of d.first) list.append(diagnosticItem(item));
  const section = h(
    'div',
    { class: 'diagnostics-block', attrs: { id: 'diagnostics' } },
    h('h3', { text: `Problems: ${parts.join(', ')}` }),
    list,
  );
  if (d.total > d.first.length) {
    section.append(
      button({
        label: 'Show every problem',
        text: `Show all ${formatNumber(d.total)}`,
        class: 'link-button',
        onClick: () => selectTab('problems', true),
      }),
    );
  }
  return section;
}

function diagnosticItem(d: DiagnosticView): HTMLElement {
  const item = h(
    'li',
    { class: `diagnostic severity-${d.severity}`, data: { code: d.code } },
    icon(d.severity, d.severity),
    textOf({ text: d.message, utf8: true }, 'message'),
  );
  if (d.location) item.append(h('span', { class: 'muted', text: ` ${d.location}` }));
  if (d.offset !== undefined) {
    const offset = d.offset;
    item.append(
      ' ',
      button({
        label: `Show byte ${offset} in the raw tree`,
        text: `byte ${formatNumber(offset)}`,
        class: 'link-button',
        data: { offset: String(offset) },
        onClick: () => void reveal({ kind: 'offset', offset }),
      }),
    );
  }
  return item;
}

function cardLine(label: string, value: string, name: string, copyTarget: CopyTarget, note?: string): HTMLElement {
  const line = h(
    'div',
    { class: 'card-line' },
    h('span', { class: 'card-label', text: label }),
    h('code', { class: 'hash', text: value, data: { field: name } }),
    button({
      label: `Copy ${label}`,
      icon: 'copy',
      class: 'icon-button',
      data: { action: `copy-${name}` },
      onClick: () => void copy(copyTarget, cardStatus),
    }),
  );
  if (note) line.append(h('span', { class: 'card-note', text: note }));
  return line;
}

const cardStatus = h('div', { class: 'card-status', attrs: { role: 'status' }, data: { field: 'card-status' } });

function fillHashCard(o: Overview): void {
  const hashes = h('div', { class: 'card-hashes' });
  const lines: HTMLElement[] = [h('h3', { text: 'Info hash' }), hashes];
  if (o.infoHash.v1) {
    hashes.append(cardLine('v1 (SHA-1, hex)', o.infoHash.v1, 'card-v1-hex', 'infoHashV1'));
    hashes.append(cardLine('v1 (base32)', o.infoHash.v1Base32 ?? '', 'card-v1-base32', 'infoHashV1Base32'));
  }
  if (o.infoHash.v2) {
    hashes.append(cardLine('v2 (SHA-256, hex)', o.infoHash.v2, 'card-v2-hex', 'infoHashV2'));
    if (o.infoHash.v2Truncated)
      hashes.append(
        cardLine(
          'v2 truncated',
          o.infoHash.v2Truncated,
          'card-v2-truncated',
          'infoHashV2Truncated',
          'first 20 bytes: what v2 swarms use on trackers and the DHT',
        ),
      );
  }
  const length = o.infoSpan[1] - o.infoSpan[0];
  const algorithms = o.infoHash.v1 && o.infoHash.v2 ? 'SHA-1 (v1) and SHA-256 (v2)' : o.infoHash.v2 ? 'SHA-256' : 'SHA-1';
  lines.push(
    h(
      'p',
      { class: 'card-span', data: { field: 'card-span' } },
      `Hashed bytes: [${formatNumber(o.infoSpan[0])}, ${formatNumber(o.infoSpan[1])}), ${formatNumber(length)} bytes: the info dictionary.`,
    ),
  );
  lines.push(
    h('p', {
      class: 'card-method',
      data: { field: 'card-method' },
      text: `${algorithms} of the info dictionary's original bytes, exactly as stored in the file (not re-encoded).`,
    }),
  );
  if (!o.infoCanonical) {
    const warning = h('div', { class: 'card-warning', data: { field: 'card-noncanonical' } }, icon('warning'));
    warning.append(
      h('span', {
        text: ' The info dictionary is not canonical bencode (unsorted or duplicate keys). Tools that decode and re-encode it compute a different hash',
      }),
    );
    if (o.reencodedInfoHashV1) {
      warning.append(
        h('span', { text: ': ' }),
        h('code', { class: 'hash', text: o.reencodedInfoHashV1, data: { field: 'card-reencoded-v1' } }),
      );
    }
    warning.append(h('span', { text: '. The hash above is the one BitTorrent clients use.' }));
    lines.push(warning);
  }
  const actions = h(
    'div',
    { class: 'card-actions' },
    button({
      label: 'Copy the info hash',
      icon: 'copy',
      text: 'Copy hash',
      data: { action: 'copy-hash' },
      onClick: () => void copy('infoHash', cardStatus),
    }),
    button({
      label: 'Copy a magnet link',
      icon: 'link',
      text: 'Copy magnet link',
      data: { action: 'copy-magnet' },
      onClick: () => void copy('magnet', cardStatus),
    }),
  );
  if (o.secretsHidden)
    actions.append(h('span', { class: 'card-note', text: 'Tracker passkeys are left out of the magnet link unless secrets are shown.' }));
  cardStatus.textContent = '';
  replace(hashCard, ...lines, actions, cardStatus);
}

let cardTrigger: HTMLElement | undefined;
let cardHideTimer: ReturnType<typeof setTimeout> | undefined;
let cardShowTimer: ReturnType<typeof setTimeout> | undefined;
let returningFocus = false;

function showHashCard(trigger: HTMLElement): void {
  clearTimeout(cardHideTimer);
  clearTimeout(cardShowTimer);
  if (!snapshot?.overview) return;
  cardTrigger = trigger;
  // Right after its trigger in the DOM, so Tab moves from the hash into the card's buttons.
  if (trigger.nextElementSibling !== hashCard) trigger.after(hashCard);
  hashCard.hidden = false;
  trigger.setAttribute('aria-expanded', 'true');
  placeHashCard();
}

/** Fixed to the viewport (the overview scrolls and would clip it): below the hash, or above when there is no room. */
function placeHashCard(): void {
  if (!cardTrigger || hashCard.hidden) return;
  const box = cardTrigger.getBoundingClientRect();
  const width = hashCard.offsetWidth;
  const height = hashCard.offsetHeight;
  const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
  const below = box.bottom + 4;
  const top = below + height <= window.innerHeight - 8 || box.top - height - 4 < 8 ? below : box.top - height - 4;
  hashCard.style.left = `${left}px`;
  hashCard.style.top = `${top}px`;
}

function hideHashCard(returnFocus = false): void {
  clearTimeout(cardShowTimer);
  clearTimeout(cardHideTimer);
  if (hashCard.hidden) return;
  hashCard.hidden = true;
  cardTrigger?.setAttribute('aria-expanded', 'false');
  if (returnFocus && cardTrigger) {
    // Back on the hash without opening the card again: Escape closed it.
    returningFocus = true;
    cardTrigger.focus();
    returningFocus = false;
  }
}

function hideHashCardSoon(): void {
  clearTimeout(cardShowTimer);
  clearTimeout(cardHideTimer);
  cardHideTimer = setTimeout(() => hideHashCard(), 300);
}

function attachHashCard(trigger: HTMLElement): void {
  trigger.addEventListener('mouseenter', () => {
    clearTimeout(cardHideTimer);
    cardShowTimer = setTimeout(() => showHashCard(trigger), 200);
  });
  trigger.addEventListener('mouseleave', hideHashCardSoon);
  trigger.addEventListener('focus', () => {
    if (!returningFocus) showHashCard(trigger);
  });
  trigger.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hideHashCard(true);
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      showHashCard(trigger);
      hashCard.querySelector('button')?.focus();
    }
  });
}

overview.addEventListener('scroll', placeHashCard);
window.addEventListener('resize', placeHashCard);
hashCard.addEventListener('mouseenter', () => clearTimeout(cardHideTimer));
hashCard.addEventListener('mouseleave', hideHashCardSoon);
hashCard.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    hideHashCard(true);
  }
});
document.addEventListener('focusin', (event) => {
  const target = event.target as Node;
  if (hashCard.hidden || hashCard.contains(target) || (cardTrigger && cardTrigger.contains(target))) return;
  hideHashCard();
});

// -------------------------------------------------------------------------------------------------------
// Snapshots

function applySnapshot(s: Snapshot): void {
  snapshot = s;
  document.body.dataset.state = s.failure ? 'failed' : 'ok';
  document.body.dataset.version = String(s.version);
  renderToolbar(s);
  renderError(s);
  renderOverview(s);
  if (!s.overview) hideHashCard();
  for (const id of TREE_IDS) {
    const info = s.trees[id];
    view.expanded[id] = info.expanded;
    tabCounts[id].textContent = formatNumber(info.count);
    tabButtons[id].classList.toggle('empty', info.count === 0);
    const isTab = id === s.tab;
    if (isTab) view.top[id] = s.rows.start;
    trees[id].setEmptyMessage(
      s.failure && id !== 'raw' && id !== 'problems' ? 'Not available: the file did not parse as a torrent.' : TABS[id].empty,
    );
    trees[id].setData({ version: s.version, total: info.rows, page: isTab ? s.rows : undefined, focusId: view.focus[id] });
  }
  selectTab(s.tab, false);
  if (s.reason === 'changed') showBanner('The file changed on disk and was reloaded.', 'info', false);
  saveState();
}

host.onEvent((event) => {
  switch (event.type) {
    case 'snapshot':
      applySnapshot(event.snapshot);
      break;
    case 'fileDeleted':
      showBanner('This file was deleted on disk. You are looking at the last version that was read.', 'warning', true);
      break;
    case 'reloadFailed':
      showBanner(`The file changed on disk but could not be read again: ${event.message}`, 'error', true);
      break;
    case 'showHashCard': {
      const trigger = overview.querySelector<HTMLElement>('.hash-trigger');
      if (trigger) trigger.focus();
      break;
    }
  }
});

window.addEventListener('resize', () => trees[tab].refresh());

host
  .request({ type: 'init', state: view, viewportRows: viewportRows() })
  .then(applySnapshot)
  .catch((error) => {
    errorView.hidden = false;
    replace(errorView, h('h2', { text: 'Torrent Lens could not show this file' }), h('p', { text: errorText(error) }));
  });
