// Messages between the torrent editor's webview and the extension host.
//
// The host owns the parsed torrent and every tree's expansion state; the webview shows a window of rows
// and asks for more as it scrolls. Nothing here scales with the size of the torrent: a snapshot holds
// the overview and the first rows, and each later reply holds the rows in view.
//
// Every string that comes from the torrent arrives as `ShownText` and must reach the DOM as text.

/** The trees (tabs) of the editor. */
export type TreeId = 'files' | 'trackers' | 'webseeds' | 'nodes' | 'keys' | 'raw' | 'problems';

export const TREE_IDS: readonly TreeId[] = ['files', 'trackers', 'webseeds', 'nodes', 'keys', 'raw', 'problems'];

/** A string from the torrent, ready to show: control and bidi characters escaped, long text cut. */
export interface ShownText {
  text: string;
  /** False when the bytes were not valid UTF-8 and `text` is their latin-1 reading. */
  utf8: boolean;
  /** Characters left out at the end, when the text was cut for display. */
  omitted?: number;
}

/** Icons the host may ask for; the webview maps them to codicons. */
export type IconId =
  | 'folder'
  | 'file'
  | 'pad'
  | 'symlink'
  | 'tier'
  | 'tracker'
  | 'seed'
  | 'node'
  | 'key'
  | 'dict'
  | 'list'
  | 'int'
  | 'bytes'
  | 'chunk'
  | 'hash'
  | 'error'
  | 'warning'
  | 'info';

/**
 * What can be done with a row: its buttons and the items of its menu. `announce`/`scrape` contact a
 * tracker, so only the user's click runs them. `copy` copies the row's text as shown (a file's path, a URL
 * with its secrets hidden), `copyWithSecrets` the URL as stored, `copyName` a file's or folder's name;
 * `open` opens a web link through VS Code (which asks first); `reveal` shows the row's bytes in the raw tree.
 */
export type RowAction = 'announce' | 'scrape' | 'reveal' | 'copy' | 'copyName' | 'copyWithSecrets' | 'open' | EditRowAction;

/**
 * What a row of an editable torrent offers to change: `edit` its URL in place (F2), `remove` it (Delete), move it
 * up or down (Alt+↑ / Alt+↓: a tracker within its tier and on into the next, a tier among the tiers), give a tracker
 * a tier of its own, add a tracker to a tier.
 */
export type EditRowAction = 'edit' | 'remove' | 'moveUp' | 'moveDown' | 'moveToNewTier' | 'addTracker';

export type Tone = 'muted' | 'info' | 'warning' | 'error';

export interface Badge {
  text: string;
  title: string;
  tone: Tone;
}

/** A figure in a column of its own between a row's label and its detail; narrow editors drop these first. */
export interface RowColumn {
  name: 'pieces' | 'share';
  text: string;
  title?: string;
}

/** One visible row of a tree. `id` is stable across reloads of the same file (it is a path of positions). */
export interface TreeRow {
  id: string;
  /** aria-level: 1 for top-level rows. */
  level: number;
  /** aria-posinset (1-based) and aria-setsize. */
  pos: number;
  setSize: number;
  expandable: boolean;
  expanded: boolean;
  icon: IconId;
  label: ShownText;
  /** Secondary text after the label (a value, a URL's host, a hash). */
  value?: ShownText;
  /** Where in `label.text` the files filter matched, `[start, end)`, to highlight. */
  match?: [number, number];
  /** What the row is, in full: its tooltip (a file's place in the data and its entry in the metainfo). */
  title?: string;
  /** Figures shown in columns before the detail. */
  columns?: RowColumn[];
  /** Right-aligned summary (size, count, type). */
  detail?: string;
  /** Tooltip for the detail (e.g. the exact byte count). */
  detailTitle?: string;
  badges?: Badge[];
  /** Byte span `[start, end)` in the file. */
  span?: [number, number];
  actions?: RowAction[];
  tone?: Tone;
}

export interface TreeInfo {
  /** Rows currently visible (expanded folders included). */
  rows: number;
  /** What the tab shows as its count (files, trackers, problems…). */
  count: number;
  /** Ids of the expanded rows, for the webview to remember across reloads. */
  expanded: string[];
}

export interface RowsReply {
  tree: TreeId;
  version: number;
  /** Total visible rows, in case it changed. */
  total: number;
  start: number;
  rows: TreeRow[];
}

export interface DiagnosticView {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  offset?: number;
  location?: string;
}

export interface HashView {
  v1?: string;
  v1Base32?: string;
  v2?: string;
  v2Truncated?: string;
}

export interface Overview {
  name: ShownText;
  /** The `name` bytes as stored, when `name.utf-8` is shown instead (as libtorrent does). */
  storedName?: ShownText;
  version: 'v1' | 'v2' | 'hybrid';
  metaVersion?: number;
  infoHash: HashView;
  /** The bytes that were hashed: the info dictionary's span `[start, end)`. */
  infoSpan: [number, number];
  infoCanonical: boolean;
  reencodedInfoHashV1?: string;
  totalLength: number;
  totalLengthText: string;
  pieceLength: number;
  pieceLengthText: string;
  pieceCount: number;
  fileCount: number;
  padCount: number;
  /** Tiers of trackers, as the trackers tree shows them. */
  tierCount: number;
  private: boolean;
  creationDate?: { seconds: number; text: string };
  comment?: ShownText;
  createdBy?: ShownText;
  source?: ShownText;
  encoding?: ShownText;
  pieceLayerCount?: number;
  /** Where `comment.text` has web links that open (http and https), `[start, end)` each, in order. */
  commentLinks?: [number, number][];
  /** Whether the tracker URLs shown anywhere have secrets hidden. */
  secretsHidden: boolean;
  /** Whether a copied magnet link has tracker secrets hidden (then "copy with secrets" is offered too). */
  magnetSecretsHidden: boolean;
}

export interface FailureView {
  code: string;
  message: string;
  offset?: number;
  /** The bytes around the offset, for context: `[start, hex pairs]` with the failing byte at `offset`. */
  context?: { start: number; hex: string[]; text: string };
  /** Whether the raw tree has something to show (a partial or complete decode). */
  partial: boolean;
}

/** The order of the files tree: as the torrent lists them (the order of the data), by name, or largest first. */
export type FileSort = 'torrent' | 'name' | 'size';

export const FILE_SORTS: readonly FileSort[] = ['torrent', 'name', 'size'];

/** How the files tree is shown: filtered by `query` (a part of the path, any letter case) and sorted. */
export interface FilesView {
  query: string;
  sort: FileSort;
}

export interface FilesViewInfo extends FilesView {
  /** Files whose path contains the query; absent without a query. */
  matches?: number;
}

/**
 * The fields of the overview that can be edited. `name` and `source` are in the info dictionary (so is `private`,
 * which has its own action): changing them changes the info hash.
 */
export type EditableField = 'name' | 'source' | 'comment' | 'createdBy' | 'creationDate' | 'encoding';

export const EDITABLE_FIELDS: readonly EditableField[] = ['name', 'source', 'comment', 'createdBy', 'creationDate', 'encoding'];

/** The fields whose edit changes the info hash. */
export const INFO_FIELDS: readonly EditableField[] = ['name', 'source'];

/**
 * An edit the user asks for, in terms of what the editor shows: rows by their id in the version on screen, text as
 * typed. The host finds the places in the file and never takes a URL from the screen (where secrets are hidden).
 */
export type EditAction =
  | { kind: 'setTracker'; row: string; url: string }
  /** Adds a tracker to tier `tier` (as the tree counts them), or without one in a tier of its own at the end. */
  | { kind: 'addTracker'; url: string; tier?: number }
  /** Removes the tracker of a row: every place its URL is listed, as transmission-edit does. */
  | { kind: 'removeTracker'; row: string }
  | { kind: 'removeTier'; row: string }
  | { kind: 'moveTracker'; row: string; direction: 'up' | 'down' }
  | { kind: 'moveToNewTier'; row: string }
  | { kind: 'moveTier'; row: string; direction: 'up' | 'down' }
  | { kind: 'setWebSeed'; row: string; url: string }
  | { kind: 'addWebSeed'; url: string; field: 'url-list' | 'httpseeds' }
  | { kind: 'removeWebSeed'; row: string }
  /** `host:port`, `[IPv6]:port`. */
  | { kind: 'addNode'; address: string }
  | { kind: 'removeNode'; row: string }
  /** Removes a top-level key of the Other keys tab (every occurrence). */
  | { kind: 'removeKey'; row: string }
  /** Sets a field of the overview; null removes it (the name cannot go). */
  | { kind: 'setField'; field: EditableField; value: string | null }
  | { kind: 'setPrivate'; private: boolean };

/** What can be edited in place, for the value the editing starts from. */
export type EditValueTarget = { kind: 'row'; tree: TreeId; id: string } | { kind: 'field'; field: EditableField };

export type EditValueReply =
  | { value: string }
  /** Editing is not offered: why (a hidden secret to reveal first, a file that cannot be edited). */
  | { refused: string };

/** What the host says of a value as it is typed: why it cannot be written, or what the user should know. */
export interface EditCheck {
  problem?: string;
  warning?: string;
}

export type EditReply =
  /** Made: `version` is the version that shows it (its snapshot, with the row to go to, comes before this reply). */
  | { status: 'applied'; version: number; message: string }
  | { status: 'unchanged'; message: string }
  /** Changes the info hash: nothing was changed; ask again with `confirm` set to `after` once the user agrees. */
  | { status: 'confirm'; message: string; before: HashView; after: HashView }
  | { status: 'refused'; message: string };

/** Where "Open as Text" takes the file: the hex editor when one is installed, else the text editor. */
export type RawEditor = 'hex' | 'text';

export interface Snapshot {
  /** Increases with every reload of the file; replies for older versions are stale. */
  version: number;
  fileName: string;
  fileSize: number;
  overview?: Overview;
  failure?: FailureView;
  diagnostics: { total: number; errors: number; warnings: number; infos: number; first: DiagnosticView[] };
  trees: Record<TreeId, TreeInfo>;
  tab: TreeId;
  /** The first rows of the selected tree (around the remembered scroll position). */
  rows: RowsReply;
  /** Per-editor choice to show tracker secrets (the setting can also turn them on everywhere). */
  revealSecrets: boolean;
  /** Whether the `torrentLens.privacy.showSecrets` setting is on. */
  secretsSettingOn: boolean;
  filesView: FilesViewInfo;
  rawEditor: RawEditor;
  /** Why the torrent cannot be edited here (a file that did not parse, a read-only file system); absent when it can. */
  readOnly?: string;
  /**
   * The row an edit made in this editor added or moved, its ancestors expanded: the webview focuses it with the
   * snapshot, so that the next key acts on it.
   */
  focus?: { tree: TreeId; id: string; index: number };
  /**
   * Why this snapshot was sent: opened, `changed` on disk and reloaded, `secrets` shown or hidden, `edit` (an edit,
   * undo, redo or revert in the editor).
   */
  reason: 'open' | 'changed' | 'secrets' | 'edit';
}

/** What the webview remembers (vscode.setState) so a hidden and restored editor looks the same. */
export interface ViewState {
  tab?: TreeId;
  expanded?: Partial<Record<TreeId, string[]>>;
  /** First visible row per tree. */
  top?: Partial<Record<TreeId, number>>;
  focus?: Partial<Record<TreeId, string>>;
  revealSecrets?: boolean;
  overviewCollapsed?: boolean;
  filesView?: FilesView;
}

export type CopyTarget =
  'infoHash' | 'infoHashV1' | 'infoHashV1Base32' | 'infoHashV2' | 'infoHashV2Truncated' | 'magnet' | 'magnetWithSecrets';

/** A web link the editor shows: the `index`th link of the comment, or a row's (a web seed). */
export type LinkTarget = { kind: 'comment'; index: number } | { kind: 'row'; tree: TreeId; id: string };

/**
 * What to reveal: a byte offset or the info dictionary in the raw tree; the raw-tree row behind a row of
 * another tree (`source`: a file's dictionary, an unknown key, a problem's byte); or a row of its own tree
 * (`row`: expands its ancestors, e.g. to move to a parent that scrolled out of view).
 */
export type RevealTarget =
  | { kind: 'offset'; offset: number }
  | { kind: 'infoDict' }
  | { kind: 'source'; tree: TreeId; id: string }
  | { kind: 'row'; tree: TreeId; id: string };

export interface TreeChange {
  tree: TreeId;
  version: number;
  total: number;
  expanded: string[];
}

export interface FilesViewReply extends TreeChange {
  filesView: FilesViewInfo;
  /** The first rows of the tree in its new order. */
  rows: RowsReply;
}

export interface RevealReply extends TreeChange {
  /** The row to scroll to and focus. */
  index: number;
  id: string;
}

export type EditorRequests = {
  init: { request: { type: 'init'; state?: ViewState; viewportRows: number }; reply: Snapshot };
  getRows: { request: { type: 'getRows'; version: number; tree: TreeId; start: number; count: number }; reply: RowsReply };
  setExpanded: { request: { type: 'setExpanded'; version: number; tree: TreeId; id: string; expanded: boolean }; reply: TreeChange };
  reveal: { request: { type: 'reveal'; version: number; target: RevealTarget }; reply: RevealReply | null };
  copy: { request: { type: 'copy'; what: CopyTarget }; reply: { message: string } };
  rowAction: { request: { type: 'rowAction'; version: number; tree: TreeId; id: string; action: RowAction }; reply: { message?: string } };
  setFilesView: {
    request: { type: 'setFilesView'; version: number; query: string; sort: FileSort; viewportRows: number };
    reply: FilesViewReply;
  };
  /** Expands every row of a tree (`expanded`), or collapses all but the top one. */
  expandAll: { request: { type: 'expandAll'; version: number; tree: TreeId; expanded: boolean }; reply: TreeChange };
  openLink: { request: { type: 'openLink'; version: number; link: LinkTarget }; reply: void };
  setRevealSecrets: { request: { type: 'setRevealSecrets'; reveal: boolean; viewportRows: number; state?: ViewState }; reply: Snapshot };
  /** Reopens the file in the hex editor when one is installed, else in the text editor (see `RawEditor`). */
  openAsText: { request: { type: 'openAsText' }; reply: void };
  /** Makes an edit; with `confirm`, the info hashes the user accepted for an edit that changes them. */
  edit: { request: { type: 'edit'; version: number; action: EditAction; confirm?: HashView }; reply: EditReply };
  /** Checks a value as it is typed, without changing anything. */
  checkEdit: { request: { type: 'checkEdit'; version: number; action: EditAction }; reply: EditCheck };
  /** The value an in-place edit starts from: the text as stored (a URL with its secrets only when they are shown). */
  editValue: { request: { type: 'editValue'; version: number; target: EditValueTarget }; reply: EditValueReply };
};

/** The host asks nothing of the webview; it only tells it things. */
export type HostRequests = Record<never, never>;

export type HostEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'fileDeleted' }
  /** The file changed on disk while the editor has unsaved edits: they are kept, and saving asks before it overwrites. */
  | { type: 'changedOnDisk' }
  | { type: 'reloadFailed'; message: string }
  | { type: 'showHashCard' }
  /** Show a place of the file (a problem chosen in VS Code's Problems view). */
  | { type: 'reveal'; target: RevealTarget };

export type WebviewEvent = { type: 'viewState'; state: ViewState };

/** Largest number of rows one `getRows` answers. */
export const MAX_ROWS_PER_REQUEST = 500;
/** Fixed row height in CSS pixels; the virtual lists rely on it. */
export const ROW_HEIGHT = 22;
