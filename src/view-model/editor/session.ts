// One editor's conversation with its webview: it answers the webview's requests from the parsed torrent
// and keeps that editor's view state (expanded rows per tree, the selected tab, revealed secrets).
//
// Pure: everything that needs VS Code (clipboard, commands, opening other editors) goes through
// `SessionHost`, so the same session runs under unit tests and in a browser harness.

import { toBase32, fromHex } from '../../core/text/bytes';
import { EditError, type TorrentEdit } from '../../core/edit/types';
import type { InfoHashes } from '../../core/metainfo/types';
import { magnetLink } from '../../core/magnet/link';
import type { Metainfo } from '../../core/metainfo/types';
import { Secrets } from '../../core/privacy/secrets';
import {
  FILE_SORTS,
  MAX_ROWS_PER_REQUEST,
  TREE_IDS,
  type CopyTarget,
  type EditAction,
  type EditCheck,
  type EditReply,
  type EditValueReply,
  type EditValueTarget,
  type EditorRequests,
  type HashView,
  type FailureView,
  type FilesView,
  type FilesViewInfo,
  type FilesViewReply,
  type LinkTarget,
  type Overview,
  type RawEditor,
  type RevealReply,
  type RevealTarget,
  type RowAction,
  type RowsReply,
  type Snapshot,
  type TreeChange,
  type TreeId,
  type TreeInfo,
  type ViewState,
} from '../../shared/protocol/editor';
import type { RequestHandlers } from '../../shared/messaging';
import { FilesModel, type FileNode } from './files-model';
import { OVERVIEW_TEXT_LIMIT, shownText } from '../format';
import { formatDate, formatSize } from '../../shared/format';
import {
  diagnosticView,
  FlatListModel,
  keysModel,
  nodesModel,
  problemsModel,
  TrackersModel,
  webSeedsModel,
  type TrackerNode,
  type WebSeed,
} from './list-models';
import { isWebLink, webLinks } from './links';
import type { ParsedTorrent } from './parsed-torrent';
import { BencodeModel, type RawNode } from './bencode-model';
import { VisibleRows, type TreeModel } from '../tree/visible-rows';
import { EditActions } from './edit-actions';
import type { EditOptions, EditOutcome } from './editable-torrent';

export type TrackerTarget = { url: string } | { tier: number };

export interface SessionHost {
  writeClipboard(text: string): Promise<void>;
  /** Runs `torrentLens.announce` / `torrentLens.scrape` for this document. */
  trackerCommand(command: 'announce' | 'scrape', target: TrackerTarget): Promise<void>;
  /** Reopens this document in the hex editor, or the text editor when there is none (`rawEditor`). */
  openAsText(): Promise<void>;
  /** Where `openAsText` goes. */
  rawEditor(): RawEditor;
  /** Opens an http(s) URL outside VS Code, after VS Code's own confirmation. */
  openExternal(url: string): Promise<void>;
  /** The `torrentLens.privacy.showSecrets` setting. */
  showSecretsSetting(): boolean;
  /**
   * Makes an edit of this document, through its undo history (EditableTorrent.edit). Without it the session only
   * shows the torrent.
   */
  edit?(edit: TorrentEdit, options: EditOptions): Promise<EditOutcome>;
  /** Why the file cannot be edited where it is (a read-only file system), when it cannot. */
  readOnlyReason?(): string | undefined;
}

/** Rows sent beyond the visible ones, so that a small scroll needs no round trip. */
export const OVERSCAN_ROWS = 20;
/** Diagnostics listed in the overview; the rest are in the Problems tab. */
const OVERVIEW_DIAGNOSTICS = 3;
/** Tiers expanded when a torrent is first opened. */
const DEFAULT_OPEN_TIERS = 50;
/** Longest filter query kept (nobody types more; a bigger one from a stale state is cut). */
const MAX_QUERY_LENGTH = 1024;
/** The trees Expand All works on; the raw tree of a large torrent has too many rows to open all at once. */
const EXPANDABLE_ALL: readonly TreeId[] = ['files', 'trackers'];

/** Bencode errors that stop decoding midway, leaving containers open (trailing data leaves none open). */
const DECODE_STOPPED = new Set<string>([
  'unexpected-end',
  'unexpected-byte',
  'invalid-integer',
  'integer-out-of-range',
  'invalid-string-length',
  'string-overrun',
  'key-not-string',
  'too-deep',
]);

type AnyTree =
  | { id: 'files'; view: VisibleRows<FileNode>; model: FilesModel | undefined }
  | { id: 'trackers'; view: VisibleRows<TrackerNode>; model: TrackersModel | undefined }
  | { id: 'raw'; view: VisibleRows<RawNode>; model: BencodeModel | undefined }
  | { id: 'webseeds' | 'nodes' | 'keys' | 'problems'; view: VisibleRows<number>; model: TreeModel<number> };

const EMPTY = new FlatListModel<never>([], () => {
  throw new Error('empty list');
});

export class EditorSession {
  private trees = new Map<TreeId, AnyTree>();
  private revealSecrets = false;
  private secretsCache?: { parsed: ParsedTorrent; show: boolean; secrets: Secrets };
  private state: ViewState = {};
  private filesView: FilesView = { query: '', sort: 'torrent' };
  /** The folders open in the files tree before a filter opened its own: open again when the filter is cleared. */
  private foldersBeforeFilter: Set<number> | undefined;
  /** The row the edit this session is making will add or move: the next snapshot focuses it. */
  private editFocus: { tree: TreeId; id: string } | undefined;

  constructor(
    private readonly host: SessionHost,
    private parsed: ParsedTorrent,
    private readonly fileName: string,
  ) {}

  get version(): number {
    return this.parsed.version;
  }

  get current(): ParsedTorrent {
    return this.parsed;
  }

  /** Whether tracker secrets are shown in this editor (its own toggle or the setting). */
  get secretsShown(): boolean {
    return this.revealSecrets || this.host.showSecretsSetting();
  }

  /**
   * The torrent's secrets, hiding nothing when they are shown. A file that is no torrent has no URLs to learn
   * from, so its secrets apply the rule for any torrent to the text shown.
   */
  private secrets(): Secrets {
    const show = this.secretsShown;
    const m = this.parsed.metainfo;
    if (this.secretsCache?.parsed !== this.parsed || this.secretsCache.show !== show)
      this.secretsCache = { parsed: this.parsed, show, secrets: Secrets.forTorrent(m ?? {}, { show }) };
    return this.secretsCache.secrets;
  }

  /**
   * Builds what the first snapshot needs that does not depend on the webview: the folder index of the
   * files (cached per version), by far the costliest part of a large torrent's snapshot. The editor
   * calls it while VS Code loads the webview, so that the webview's `init` finds it done.
   */
  prepare(): void {
    if (this.parsed.metainfo) this.parsed.fileIndex();
  }

  /** Remembers what the webview reports (tab, scroll, focus) for the next snapshot. */
  rememberState(state: ViewState): void {
    this.state = { ...this.state, ...state };
  }

  /** The answers to the webview's requests: one per request type of the editor protocol, each typed by it. */
  readonly requestHandlers: RequestHandlers<EditorRequests> = {
    init: (request) => {
      this.state = request.state ?? {};
      this.revealSecrets = this.state.revealSecrets === true;
      this.filesView = checkedFilesView(this.state.filesView);
      this.trees.clear();
      return this.snapshot('open', request.viewportRows, this.state.expanded);
    },
    getRows: (request) => this.rows(request.tree, request.start, request.count),
    setExpanded: (request) => this.setExpanded(request.tree, request.id, request.expanded),
    reveal: (request) => this.reveal(request.target),
    copy: (request) => this.copy(request.what),
    rowAction: (request) => this.rowAction(request.tree, request.id, request.action),
    setFilesView: (request) => this.setFilesView({ query: request.query, sort: request.sort }, request.viewportRows),
    expandAll: (request) => this.expandAll(request.tree, request.expanded),
    openLink: (request) => this.openLink(request.link),
    setRevealSecrets: (request) => {
      if (request.state) this.rememberState(request.state);
      this.revealSecrets = request.reveal;
      this.state.revealSecrets = request.reveal;
      return this.rebuild('secrets', request.viewportRows);
    },
    openAsText: () => this.host.openAsText(),
    edit: (request) => this.edit(request.version, request.action, request.confirm),
    checkEdit: (request) => this.checkEdit(request.version, request.action),
    editValue: (request) => this.editValue(request.version, request.target),
  };

  /** Answers one request with its own reply type, as the webview's messenger would have it answered. */
  async handle<K extends keyof EditorRequests>(request: EditorRequests[K]['request'] & { type: K }): Promise<EditorRequests[K]['reply']> {
    return this.requestHandlers[request.type](request);
  }

  /**
   * A new version of the file, `changed` on disk or made by an `edit` (an edit, undo, redo or revert): same
   * expansions where the shape allows, same tab and scroll.
   */
  update(parsed: ParsedTorrent, viewportRows: number, reason: 'changed' | 'edit' = 'changed'): Snapshot {
    this.parsed = parsed;
    return this.rebuild(reason, viewportRows);
  }

  /** The snapshot for the current settings (e.g. after `showSecrets` changed). */
  refresh(viewportRows: number): Snapshot {
    return this.rebuild('secrets', viewportRows);
  }

  private rebuild(reason: Snapshot['reason'], viewportRows: number): Snapshot {
    const expanded: Partial<Record<TreeId, string[]>> = {};
    for (const [id, tree] of this.trees) expanded[id] = tree.view.expandedIds();
    const trackers = this.trees.get('trackers');
    if (trackers?.id === 'trackers' && trackers.model) expanded.trackers = this.openTiers(trackers.model, expanded.trackers ?? []);
    this.trees.clear();
    // The row an edit of this session added or moved, shown with its ancestors open.
    let focus: Snapshot['focus'];
    if (reason === 'edit') {
      if (this.editFocus) {
        const { tree: id, id: row } = this.editFocus;
        const index = this.tree(id, expanded[id]).view.reveal(row);
        if (index >= 0) focus = { tree: id, id: row, index };
      }
      this.editFocus = undefined;
    }
    const snapshot = this.snapshot(reason, viewportRows, expanded);
    if (focus) snapshot.focus = focus;
    return snapshot;
  }

  snapshot(reason: Snapshot['reason'], viewportRows: number, expanded?: Partial<Record<TreeId, string[]>>): Snapshot {
    const parsed = this.parsed;
    const metainfo = parsed.metainfo;
    const trees = {} as Record<TreeId, TreeInfo>;
    for (const id of TREE_IDS) {
      const tree = this.tree(id, expanded?.[id]);
      trees[id] = { rows: tree.view.rowCount, count: this.itemCount(id), expanded: tree.view.expandedIds() };
    }
    let tab: TreeId = this.state.tab && TREE_IDS.includes(this.state.tab) ? this.state.tab : metainfo ? 'files' : 'raw';
    if (!metainfo && trees[tab].rows === 0) tab = 'raw';
    const top = Math.max(0, Math.min(this.state.top?.[tab] ?? 0, trees[tab].rows - 1));
    const diagnostics = parsed.problems;
    const snapshot: Snapshot = {
      version: parsed.version,
      fileName: this.fileName,
      fileSize: parsed.bytes.length,
      diagnostics: {
        total: diagnostics.length,
        errors: diagnostics.filter((d) => d.severity === 'error').length,
        warnings: diagnostics.filter((d) => d.severity === 'warning').length,
        infos: diagnostics.filter((d) => d.severity === 'info').length,
        first: diagnostics.slice(0, OVERVIEW_DIAGNOSTICS).map(diagnosticView),
      },
      trees,
      tab,
      rows: this.rows(tab, top, Math.max(1, viewportRows) + OVERSCAN_ROWS),
      revealSecrets: this.revealSecrets,
      secretsSettingOn: this.host.showSecretsSetting(),
      filesView: this.filesViewInfo(),
      rawEditor: this.host.rawEditor(),
      reason,
    };
    const readOnly = this.readOnly();
    if (readOnly !== undefined) snapshot.readOnly = readOnly;
    if (metainfo) snapshot.overview = this.overview(metainfo);
    if (parsed.failure) snapshot.failure = this.failureView();
    return snapshot;
  }

  private overview(m: Metainfo): Overview {
    const reveal = this.secretsShown;
    const urls = [...m.trackers.flat(), ...m.webSeeds, ...m.httpSeeds];
    const secrets = this.secrets();
    const comment = m.comment ? { text: secrets.redact(m.comment.text), utf8: m.comment.utf8 } : undefined;
    const overview: Overview = {
      name: shownText(m.name, OVERVIEW_TEXT_LIMIT),
      version: m.version,
      infoHash: {},
      infoSpan: [m.infoSpan.start, m.infoSpan.end],
      infoCanonical: m.infoCanonical,
      totalLength: m.totalLength,
      totalLengthText: formatSize(m.totalLength),
      pieceLength: m.pieceLength,
      pieceLengthText: formatSize(m.pieceLength),
      pieceCount: m.pieceCount,
      fileCount: m.files.count,
      padCount: m.files.padCount,
      tierCount: m.trackers.length,
      private: m.private,
      secretsHidden:
        !reveal && (urls.some((url) => secrets.hasSecret(url)) || (m.comment !== undefined && comment?.text !== m.comment.text)),
      magnetSecretsHidden: !reveal && [...m.trackers.flat(), ...m.webSeeds].some((url) => secrets.hasSecret(url)),
    };
    if (m.rawName) overview.storedName = shownText(m.rawName, OVERVIEW_TEXT_LIMIT);
    if (m.infoHash.v1) {
      overview.infoHash.v1 = m.infoHash.v1;
      overview.infoHash.v1Base32 = toBase32(fromHex(m.infoHash.v1));
    }
    if (m.infoHash.v2) overview.infoHash.v2 = m.infoHash.v2;
    if (m.infoHash.v2Truncated) overview.infoHash.v2Truncated = m.infoHash.v2Truncated;
    if (m.metaVersion !== undefined) overview.metaVersion = m.metaVersion;
    if (m.reencodedInfoHashV1) overview.reencodedInfoHashV1 = m.reencodedInfoHashV1;
    if (m.creationDate !== undefined) overview.creationDate = { seconds: m.creationDate, text: formatDate(m.creationDate) };
    if (comment) {
      overview.comment = shownText(comment, OVERVIEW_TEXT_LIMIT);
      const links = webLinks(overview.comment.text);
      if (links.length > 0) overview.commentLinks = links;
    }
    if (m.createdBy) overview.createdBy = shownText(m.createdBy, OVERVIEW_TEXT_LIMIT);
    if (m.source) overview.source = shownText(m.source, OVERVIEW_TEXT_LIMIT);
    if (m.encoding) overview.encoding = shownText(m.encoding, OVERVIEW_TEXT_LIMIT);
    if (m.pieceLayerCount !== undefined) overview.pieceLayerCount = m.pieceLayerCount;
    return overview;
  }

  private failureView(): FailureView {
    const failure = this.parsed.failure!;
    const view: FailureView = { code: failure.code, message: failure.message, partial: (failure.document?.count ?? 0) > 0 };
    if (failure.offset !== undefined) {
      view.offset = failure.offset;
      const bytes = this.parsed.bytes;
      const start = Math.max(0, failure.offset - 16);
      const end = Math.min(bytes.length, failure.offset + 16);
      const hex: string[] = [];
      let text = '';
      for (let i = start; i < end; i++) {
        hex.push(bytes[i].toString(16).padStart(2, '0'));
        text += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
      }
      view.context = { start, hex, text };
    }
    return view;
  }

  private itemCount(id: TreeId): number {
    const m = this.parsed.metainfo;
    switch (id) {
      case 'files':
        return m ? m.files.count : 0;
      case 'trackers':
        return m ? m.trackers.reduce((n, tier) => n + tier.length, 0) : 0;
      case 'webseeds':
        return m ? m.webSeeds.length + m.httpSeeds.length : 0;
      case 'nodes':
        return m ? m.nodes.length : 0;
      case 'keys':
        return m ? m.unknownKeys.length : 0;
      case 'raw':
        return this.parsed.document?.count ?? 0;
      case 'problems':
        return this.parsed.problems.length;
    }
  }

  private tree(id: TreeId, expanded?: readonly string[]): AnyTree {
    let tree = this.trees.get(id);
    if (tree) return tree;
    tree = this.buildTree(id);
    // A filter opens every folder that leads to a match: showing where the matches are is its point.
    if (tree.id === 'files' && tree.model?.matches) tree.view.expandWhere(() => true);
    else tree.view.restore(expanded ?? this.defaultExpanded(tree));
    this.trees.set(id, tree);
    return tree;
  }

  private buildTree(id: TreeId): AnyTree {
    const m = this.parsed.metainfo;
    switch (id) {
      case 'files': {
        const { query, sort } = this.filesView;
        const model = m
          ? new FilesModel(m, this.parsed.fileIndex(), { sort, matches: query ? this.parsed.pathSearch().find(query) : undefined })
          : undefined;
        return { id, model, view: new VisibleRows<FileNode>(model ?? (EMPTY as never)) };
      }
      case 'trackers': {
        const model = m ? new TrackersModel(m.trackers, this.secrets(), this.editable) : undefined;
        return { id, model, view: new VisibleRows<TrackerNode>(model ?? (EMPTY as never)) };
      }
      case 'raw': {
        const document = this.parsed.document;
        const failure = this.parsed.failure;
        const stoppedAt = failure && failure.offset !== undefined && DECODE_STOPPED.has(failure.code) ? failure.offset : undefined;
        const model = document ? new BencodeModel(document, { secrets: this.secrets(), stoppedAt }) : undefined;
        return { id, model, view: new VisibleRows<RawNode>(model ?? (EMPTY as never)) };
      }
      case 'webseeds':
      case 'nodes':
      case 'keys':
      case 'problems': {
        const model: TreeModel<number> =
          id === 'problems'
            ? problemsModel(this.parsed.problems)
            : !m
              ? EMPTY
              : id === 'webseeds'
                ? webSeedsModel(m, this.secrets(), this.editable)
                : id === 'nodes'
                  ? nodesModel(m, this.editable)
                  : keysModel(m, this.editable);
        return { id, model, view: new VisibleRows<number>(model) };
      }
    }
  }

  /**
   * The tiers to show open in the new version: tiers are open unless the user closed them, so a tier an edit adds,
   * or an undo or revert brings back, opens as the tiers of a freshly opened torrent do.
   */
  private openTiers(before: TrackersModel, open: readonly string[]): string[] {
    const wasOpen = new Set(open);
    const closed = new Set<string>();
    for (let tier = 0; tier < before.childCount({ kind: 'root' }); tier++) if (!wasOpen.has(String(tier))) closed.add(String(tier));
    const tiers = Math.min(DEFAULT_OPEN_TIERS, this.parsed.metainfo?.trackers.length ?? 0);
    const ids = Array.from({ length: tiers }, (_, tier) => String(tier)).filter((id) => !closed.has(id));
    // Tiers past the ones opened by default stay as the user left them.
    return [...ids, ...open.filter((id) => Number(id) >= tiers)];
  }

  private defaultExpanded(tree: AnyTree): string[] {
    switch (tree.id) {
      case 'files':
        return tree.model && !tree.model.single ? ['0'] : [];
      case 'trackers':
        return Array.from({ length: Math.min(DEFAULT_OPEN_TIERS, tree.view.rowCount) }, (_, i) => String(i));
      case 'raw':
        return ['0'];
      default:
        return [];
    }
  }

  rows(id: TreeId, start: number, count: number): RowsReply {
    const tree = this.tree(checkTree(id));
    const from = Math.max(0, Math.floor(start));
    const n = Math.max(0, Math.min(MAX_ROWS_PER_REQUEST, Math.floor(count)));
    return { tree: id, version: this.parsed.version, total: tree.view.rowCount, start: from, rows: tree.view.rows(from, n) };
  }

  private setExpanded(id: TreeId, rowId: string, expanded: boolean): TreeChange {
    const tree = this.tree(checkTree(id));
    tree.view.setExpanded(rowId, expanded);
    return this.change(tree);
  }

  private change(tree: AnyTree): TreeChange {
    return { tree: tree.id, version: this.parsed.version, total: tree.view.rowCount, expanded: tree.view.expandedIds() };
  }

  private reveal(target: RevealTarget): RevealReply | null {
    let treeId: TreeId = 'raw';
    let rowId: string | undefined;
    const raw = this.tree('raw') as Extract<AnyTree, { id: 'raw' }>;
    switch (target.kind) {
      case 'offset':
        rowId = raw.model?.idForOffset(target.offset);
        break;
      case 'infoDict':
        if (this.parsed.metainfo) rowId = raw.model?.idForToken(this.parsed.metainfo.info);
        break;
      case 'source':
        rowId = this.sourceRow(target.tree, target.id);
        break;
      case 'row':
        treeId = checkTree(target.tree);
        rowId = target.id;
        break;
    }
    if (rowId === undefined) return null;
    const tree = this.tree(treeId);
    const index = tree.view.reveal(rowId);
    if (index < 0) return null;
    return { ...this.change(tree), index, id: rowId };
  }

  /** The raw-tree row behind a row of another tree: a file's dictionary, an unknown key, a problem's byte. */
  private sourceRow(treeId: TreeId, rowId: string): string | undefined {
    const raw = (this.tree('raw') as Extract<AnyTree, { id: 'raw' }>).model;
    const m = this.parsed.metainfo;
    if (!raw) return undefined;
    const tree = this.tree(checkTree(treeId));
    if (tree.id === 'files') {
      const node = tree.view.nodeAt(rowId);
      if (!node || !m) return undefined;
      if (node.kind === 'file') return raw.idForToken(m.files.get(node.file).token);
      return raw.idForToken(m.info);
    }
    if (tree.id === 'keys' && m) {
      const node = tree.view.nodeAt(rowId);
      return node === undefined ? undefined : raw.idForToken(m.unknownKeys[node].token);
    }
    if (tree.id === 'problems') {
      const node = tree.view.nodeAt(rowId);
      const offset = node === undefined ? undefined : this.parsed.problems[node]?.offset;
      return offset === undefined ? undefined : raw.idForOffset(offset);
    }
    return undefined;
  }

  /** The text a copy request puts on the clipboard (tracker URLs redacted unless secrets are shown or asked for). */
  copyText(what: CopyTarget): { text: string; label: string } {
    const m = this.parsed.metainfo;
    if (!m) throw new Error('this file did not parse as a torrent, so it has no info hash');
    const hash = (value: string | undefined, label: string) => {
      if (!value) throw new Error(`this torrent has no ${label}`);
      return { text: value, label };
    };
    switch (what) {
      case 'infoHash':
        return m.infoHash.v1 ? { text: m.infoHash.v1, label: 'info hash (v1)' } : hash(m.infoHash.v2, 'info hash (v2)');
      case 'infoHashV1':
        return hash(m.infoHash.v1, 'v1 info hash');
      case 'infoHashV1Base32':
        return hash(m.infoHash.v1 ? toBase32(fromHex(m.infoHash.v1)) : undefined, 'v1 info hash (base32)');
      case 'infoHashV2':
        return hash(m.infoHash.v2, 'v2 info hash');
      case 'infoHashV2Truncated':
        return hash(m.infoHash.v2Truncated, 'truncated v2 info hash');
      case 'magnet': {
        const secrets = this.secrets();
        const link = magnetLink(m, { secrets });
        const hidden = !secrets.shown && [...m.trackers.flat(), ...m.webSeeds].some((url) => secrets.hasSecret(url));
        return { text: link, label: hidden ? 'magnet link (tracker secrets hidden)' : 'magnet link' };
      }
      case 'magnetWithSecrets':
        return { text: magnetLink(m), label: `magnet link with tracker secrets. ${SECRET_WARNING}` };
    }
  }

  private async copy(what: CopyTarget): Promise<{ message: string }> {
    const { text, label } = this.copyText(what);
    await this.host.writeClipboard(text);
    return { message: `Copied ${label}` };
  }

  /** What a row's copy actions copy, and the words for the message that says so. */
  private rowCopy(treeId: TreeId, rowId: string, action: 'copy' | 'copyName' | 'copyWithSecrets'): { text: string; label: string } {
    const tree = this.tree(checkTree(treeId));
    const missing = () => new Error('nothing to copy in this row');
    const url = (value: string | undefined) => {
      if (value === undefined) throw missing();
      if (action === 'copyWithSecrets') return { text: value, label: `URL with its secrets. ${SECRET_WARNING}` };
      const secrets = this.secrets();
      const hidden = !secrets.shown && secrets.hasSecret(value);
      return { text: secrets.redactUrl(value), label: hidden ? 'URL (secrets hidden)' : 'URL' };
    };
    if (action === 'copyName' && tree.id !== 'files') throw missing();
    if (action === 'copyWithSecrets' && tree.id !== 'trackers' && tree.id !== 'webseeds') throw missing();
    switch (tree.id) {
      case 'files': {
        const node = tree.view.nodeAt(rowId);
        if (!node || node.kind === 'root' || !tree.model) throw missing();
        return action === 'copyName'
          ? { text: tree.model.copyText(node, 'name'), label: 'name' }
          : { text: tree.model.copyText(node, 'path'), label: 'path' };
      }
      case 'trackers': {
        const node = tree.view.nodeAt(rowId);
        return url(node && tree.model?.url(node));
      }
      case 'webseeds': {
        const node = tree.view.nodeAt(rowId);
        return url(node === undefined ? undefined : this.webSeed(node)?.url);
      }
      case 'raw': {
        const node = tree.view.nodeAt(rowId);
        const text = node && tree.model?.copyText(node);
        if (text === undefined) throw missing();
        return { text, label: 'value' };
      }
      default: {
        const node = tree.view.nodeAt(rowId);
        if (node === undefined) throw missing();
        // DHT nodes and the rest show their whole value as the label.
        return { text: tree.model.content(node).label.text, label: tree.id === 'nodes' ? 'address' : 'value' };
      }
    }
  }

  private webSeed(index: number): WebSeed | undefined {
    const m = this.parsed.metainfo;
    if (!m) return undefined;
    if (index < m.webSeeds.length) return { url: m.webSeeds[index], kind: 'url-list' };
    const http = m.httpSeeds[index - m.webSeeds.length];
    return http === undefined ? undefined : { url: http, kind: 'httpseeds' };
  }

  private async rowAction(treeId: TreeId, rowId: string, action: RowAction): Promise<{ message?: string }> {
    switch (action) {
      case 'copy':
      case 'copyName':
      case 'copyWithSecrets': {
        const { text, label } = this.rowCopy(treeId, rowId, action);
        await this.host.writeClipboard(text);
        return { message: `Copied ${label}` };
      }
      case 'open':
        await this.openLink({ kind: 'row', tree: treeId, id: rowId });
        return {};
      case 'announce':
      case 'scrape': {
        const tree = this.tree(checkTree(treeId));
        const node = tree.id === 'trackers' ? tree.view.nodeAt(rowId) : undefined;
        const target = tree.id === 'trackers' && node ? tree.model?.target(node) : undefined;
        if (!target) throw new Error('no tracker in this row');
        await this.host.trackerCommand(action, target);
        return {};
      }
      case 'reveal':
        throw new Error('reveal is asked for with a reveal request');
      case 'edit':
      case 'remove':
      case 'moveUp':
      case 'moveDown':
      case 'moveToNewTier':
      case 'addTracker':
        throw new Error(`${action} is asked for with an edit request`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Editing

  /** Why this torrent cannot be edited here, or undefined when it can. */
  private readOnly(): string | undefined {
    if (!this.host.edit) return 'this view only shows the torrent';
    if (!this.parsed.metainfo) return 'the file did not parse as a torrent, so Torrent Lens does not edit it';
    return this.host.readOnlyReason?.();
  }

  private get editable(): boolean {
    return this.readOnly() === undefined;
  }

  /** The edits of the version on screen; a request about another version is refused (its rows may be elsewhere now). */
  private editActions(version: number): EditActions {
    const reason = this.readOnly();
    if (reason !== undefined) throw new EditError('not-editable', `This torrent cannot be edited: ${reason}.`);
    if (version !== this.parsed.version) {
      throw new EditError('not-editable', 'The torrent changed while you were editing: look at it again, and edit it again.');
    }
    return new EditActions(this.parsed.metainfo!, this.secrets());
  }

  private async edit(version: number, action: EditAction, confirm: HashView | undefined): Promise<EditReply> {
    let translated: ReturnType<EditActions['translate']>;
    let outcome: EditOutcome;
    try {
      translated = this.editActions(version).translate(action);
      const options: EditOptions = { label: translated.label };
      if (confirm) options.confirmInfoHash = { v1: confirm.v1, v2: confirm.v2 };
      this.editFocus = translated.focus;
      outcome = await this.host.edit!(translated.edit, options);
    } catch (error) {
      this.editFocus = undefined;
      if (error instanceof EditError) return { status: 'refused', message: this.secrets().redact(sentence(error.message)) };
      throw error;
    }
    if (outcome.status !== 'applied') this.editFocus = undefined;
    switch (outcome.status) {
      case 'unchanged':
        return {
          status: 'unchanged',
          message:
            outcome.result.notes.length > 0 ? this.secrets().redact(sentence(outcome.result.notes.join('; '))) : 'Nothing to change.',
        };
      case 'confirm':
        return {
          status: 'confirm',
          message: `This changes the info hash. Peers, trackers and clients know a torrent by its info hash: to them, the edited torrent is another torrent.`,
          before: hashView(outcome.before),
          after: hashView(outcome.after),
        };
      case 'applied': {
        const published = await outcome.published;
        const notes = outcome.result.notes.map((note) => ` ${this.secrets().redact(sentence(note))}`).join('');
        return { status: 'applied', version: published.version, message: translated.done + notes };
      }
    }
  }

  private checkEdit(version: number, action: EditAction): EditCheck {
    try {
      const check = this.editActions(version).check(action);
      const secrets = this.secrets();
      return {
        ...(check.problem !== undefined ? { problem: secrets.redact(check.problem) } : {}),
        ...(check.warning !== undefined ? { warning: secrets.redact(check.warning) } : {}),
      };
    } catch (error) {
      if (error instanceof EditError) return { problem: error.message };
      throw error;
    }
  }

  private editValue(version: number, target: EditValueTarget): EditValueReply {
    try {
      const actions = this.editActions(version);
      return target.kind === 'field' ? actions.editValue('field', target.field) : actions.editValue(checkTree(target.tree), target.id);
    } catch (error) {
      if (error instanceof EditError) return { refused: error.message };
      throw error;
    }
  }

  /** Opens a web link of the torrent: the URL is the torrent's own, found again here, never one the webview sends. */
  private async openLink(link: LinkTarget): Promise<void> {
    let url: string | undefined;
    if (link.kind === 'comment') {
      const comment = this.parsed.metainfo ? this.overview(this.parsed.metainfo).comment : undefined;
      const range = comment && webLinks(comment.text)[link.index];
      url = range && comment.text.slice(range[0], range[1]);
    } else if (checkTree(link.tree) === 'webseeds') {
      const tree = this.tree('webseeds');
      const node = tree.view.nodeAt(link.id);
      const seed = typeof node === 'number' ? this.webSeed(node) : undefined;
      if (seed && !this.secretsShown && this.secrets().hasSecret(seed.url))
        throw new Error('this URL has a hidden secret; reveal secrets to open it');
      url = seed?.url;
    }
    if (url === undefined) throw new Error('there is no such link');
    if (!isWebLink(url)) throw new Error('only http and https links open');
    await this.host.openExternal(url);
  }

  /** Shows the files tree filtered and sorted as asked; answers with its first rows. */
  private setFilesView(view: FilesView, viewportRows: number): FilesViewReply {
    const next = checkedFilesView(view);
    if (!this.parsed.metainfo) throw new Error('this file did not parse as a torrent, so it has no files');
    const current = this.tree('files') as Extract<AnyTree, { id: 'files' }>;
    // Which folders are open, by folder: their rows move when the order changes.
    const open = new Set<number>();
    for (const id of current.view.expandedIds()) {
      const node = current.view.nodeAt(id);
      if (node?.kind === 'folder') open.add(node.folder);
    }
    if (!this.filesView.query && next.query) this.foldersBeforeFilter = open;
    const reopen = this.filesView.query && !next.query ? (this.foldersBeforeFilter ?? open) : open;
    if (!next.query) this.foldersBeforeFilter = undefined;
    this.filesView = next;
    this.state.filesView = next;
    this.trees.delete('files');
    const tree = this.tree('files', []);
    if (!next.query)
      tree.view.expandWhere((node) => (node as FileNode).kind === 'folder' && reopen.has((node as { folder: number }).folder));
    return {
      ...this.change(tree),
      filesView: this.filesViewInfo(),
      rows: this.rows('files', 0, Math.max(1, viewportRows) + OVERSCAN_ROWS),
    };
  }

  private filesViewInfo(): FilesViewInfo {
    const info: FilesViewInfo = { ...this.filesView };
    const model = (this.trees.get('files') as Extract<AnyTree, { id: 'files' }> | undefined)?.model;
    if (this.filesView.query && model?.matches) info.matches = model.matches.count;
    return info;
  }

  private expandAll(id: TreeId, expanded: boolean): TreeChange {
    const tree = this.tree(checkTree(id));
    if (!EXPANDABLE_ALL.includes(tree.id)) throw new Error(`the ${tree.id} tree cannot be expanded all at once`);
    if (expanded) tree.view.expandWhere(() => true);
    else {
      tree.view.collapseAll();
      // The torrent's own folder stays open: collapsed, a multi-file tree would be one row.
      if (tree.id === 'files' && tree.model && !tree.model.single) tree.view.setExpanded('0', true);
    }
    return this.change(tree);
  }

  /** Where to show problem `index` of `version` (from VS Code's Problems view): its byte in the raw tree, or its row. */
  problemTarget(version: number, index: number): RevealTarget {
    const problem = version === this.parsed.version ? this.parsed.problems[index] : undefined;
    if (!problem) return { kind: 'row', tree: 'problems', id: '0' };
    if (problem.offset !== undefined && this.parsed.document) return { kind: 'offset', offset: problem.offset };
    return { kind: 'row', tree: 'problems', id: String(index) };
  }
}

/** A message as a sentence: a capital first letter and a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function hashView(hashes: InfoHashes): HashView {
  const view: HashView = {};
  if (hashes.v1) {
    view.v1 = hashes.v1;
    view.v1Base32 = toBase32(fromHex(hashes.v1));
  }
  if (hashes.v2) view.v2 = hashes.v2;
  if (hashes.v2Truncated) view.v2Truncated = hashes.v2Truncated;
  return view;
}

/** What anyone who gets a tracker secret can do with it. */
const SECRET_WARNING = 'Anyone who has it can announce as you: share it with no one.';

/** A files view from the webview or a saved state, made safe: a known sort, a query of bounded length. */
function checkedFilesView(view: Partial<FilesView> | undefined): FilesView {
  const sort = view?.sort !== undefined && FILE_SORTS.includes(view.sort) ? view.sort : 'torrent';
  const query = typeof view?.query === 'string' ? view.query.slice(0, MAX_QUERY_LENGTH) : '';
  return { query, sort };
}

function checkTree(id: TreeId): TreeId {
  if (!TREE_IDS.includes(id)) throw new Error(`unknown tree ${String(id)}`);
  return id;
}
