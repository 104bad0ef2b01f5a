// The editor's requests to the extension host, one method each. Requests about rows carry the version of
// the snapshot on screen, so the host can tell a request about a file that has since been reloaded; this
// class is the one place that version is kept.

import { type Messenger } from '../../src/shared/messaging';
import {
  type CopyTarget,
  type EditAction,
  type EditCheck,
  type EditReply,
  type EditValueReply,
  type EditValueTarget,
  type EditorRequests,
  type HashView,
  type FilesView,
  type FilesViewReply,
  type LinkTarget,
  type HostEvent,
  type HostRequests,
  type RevealReply,
  type RevealTarget,
  type RowAction,
  type RowsReply,
  type Snapshot,
  type TreeChange,
  type TreeId,
  type ViewState,
  type WebviewEvent,
} from '../../src/shared/protocol/editor';

export type EditorConnection = Messenger<EditorRequests, HostRequests, WebviewEvent, HostEvent>;

export class EditorHost {
  /** The version of the snapshot on screen; 0 before the first one arrives. */
  private version = 0;

  constructor(private readonly connection: EditorConnection) {}

  /** The first snapshot, for the view state the webview remembers. */
  init(state: ViewState, viewportRows: number): Promise<Snapshot> {
    return this.connection.request({ type: 'init', state, viewportRows });
  }

  /** Called with every snapshot put on screen: later requests are about it. */
  showing(snapshot: Snapshot): void {
    this.version = snapshot.version;
  }

  onEvent(listener: (event: HostEvent) => void): void {
    this.connection.onEvent(listener);
  }

  /** Tells the host where the user is, so a reload of the file keeps the place. */
  rememberView(state: ViewState): void {
    this.connection.emit({ type: 'viewState', state });
  }

  rows(tree: TreeId, start: number, count: number): Promise<RowsReply> {
    return this.connection.request({ type: 'getRows', version: this.version, tree, start, count });
  }

  setExpanded(tree: TreeId, id: string, expanded: boolean): Promise<TreeChange> {
    return this.connection.request({ type: 'setExpanded', version: this.version, tree, id, expanded });
  }

  reveal(target: RevealTarget): Promise<RevealReply | null> {
    return this.connection.request({ type: 'reveal', version: this.version, target });
  }

  rowAction(tree: TreeId, id: string, action: RowAction): Promise<{ message?: string }> {
    return this.connection.request({ type: 'rowAction', version: this.version, tree, id, action });
  }

  copy(what: CopyTarget): Promise<{ message: string }> {
    return this.connection.request({ type: 'copy', what });
  }

  openAsText(): Promise<void> {
    return this.connection.request({ type: 'openAsText' });
  }

  openLink(link: LinkTarget): Promise<void> {
    return this.connection.request({ type: 'openLink', version: this.version, link });
  }

  setFilesView(view: FilesView, viewportRows: number): Promise<FilesViewReply> {
    return this.connection.request({ type: 'setFilesView', version: this.version, query: view.query, sort: view.sort, viewportRows });
  }

  expandAll(tree: TreeId, expanded: boolean): Promise<TreeChange> {
    return this.connection.request({ type: 'expandAll', version: this.version, tree, expanded });
  }

  /** Makes an edit of the torrent on screen; `confirm` is the info hash the user accepted for one that changes it. */
  edit(action: EditAction, confirm?: HashView): Promise<EditReply> {
    return this.connection.request({ type: 'edit', version: this.version, action, ...(confirm ? { confirm } : {}) });
  }

  /** What the host thinks of a value as it is typed. */
  checkEdit(action: EditAction): Promise<EditCheck> {
    return this.connection.request({ type: 'checkEdit', version: this.version, action });
  }

  /** The value an in-place edit starts from, or why there is none. */
  editValue(target: EditValueTarget): Promise<EditValueReply> {
    return this.connection.request({ type: 'editValue', version: this.version, target });
  }

  /** Turns this editor's secret reveal on or off; the host answers with a new snapshot. */
  setRevealSecrets(reveal: boolean, viewportRows: number, state: ViewState): Promise<Snapshot> {
    return this.connection.request({ type: 'setRevealSecrets', reveal, viewportRows, state });
  }
}
