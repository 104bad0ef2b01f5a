// One open torrent editor: its webview page, the messenger to that page, and the EditorSession that
// answers it (and makes its edits through the document), connected to the document's changes and the settings. Everything it subscribes to is
// registered with it and released when its panel closes (or the extension deactivates).
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import { Messenger } from '../../shared/messaging';
import { errorText } from '../../shared/format';
import type { EditorRequests, HostEvent, HostRequests, WebviewEvent } from '../../shared/protocol/editor';
import { EditorSession, type SessionHost } from '../../view-model/editor/session';
import type { Log } from '../log';
import { showSecrets } from '../settings';
import { WebviewPage, webviewTransport } from '../webview';
import type { TorrentDocument } from './document';
import { openAsText, rawEditor } from './raw-editor';

/** What the provider hears from its editors. */
export interface OpenEditorEvents {
  activated(editor: OpenEditor): void;
  closed(editor: OpenEditor): void;
}

/** The visible-row count assumed until the webview tells its own. */
const DEFAULT_VIEWPORT_ROWS = 40;

export class OpenEditor extends Disposable {
  readonly session: EditorSession;
  private readonly messenger: Messenger<HostRequests, EditorRequests, HostEvent, WebviewEvent>;
  private readonly name: string;
  private viewportRows = DEFAULT_VIEWPORT_ROWS;
  /** Whether the webview asked for its first snapshot: events before that would find no one listening. */
  private ready = false;
  private markLoaded!: () => void;
  /** Settles once the webview has its first snapshot (after the reply went out, so events come after it). */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(
    readonly document: TorrentDocument,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly log: Log,
    events: OpenEditorEvents,
  ) {
    super();
    this.name = fileName(document.uri);
    this.register(new WebviewPage(panel.webview, extensionUri, { bundle: 'editor', title: this.name }, log));
    this.messenger = this.register(new Messenger(webviewTransport(panel.webview)));
    this.session = new EditorSession(this.sessionHost(), document.parsed, this.name);
    this.prepareWhileLoading();
    this.answerRequests();

    this.register(
      this.messenger.onEvent((event) => {
        if (event.type === 'viewState') this.session.rememberState(event.state);
      }),
    );
    this.register(
      document.onDidChangeContent(({ parsed, cause }) =>
        this.send({ type: 'snapshot', snapshot: this.session.update(parsed, this.viewportRows, cause === 'disk' ? 'changed' : 'edit') }),
      ),
    );
    this.register(document.onDidDeleteOnDisk(() => this.send({ type: 'fileDeleted' })));
    this.register(document.onDidChangeOnDisk(() => this.send({ type: 'changedOnDisk' })));
    this.register(document.onDidFailReload((message) => this.send({ type: 'reloadFailed', message })));
    this.register(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('torrentLens.privacy.showSecrets'))
          this.send({ type: 'snapshot', snapshot: this.session.refresh(this.viewportRows) });
      }),
    );
    this.register(
      panel.onDidChangeViewState(() => {
        if (panel.active) events.activated(this);
      }),
    );
    this.register(toDisposable(() => events.closed(this)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** Asks the webview to show the info-hash card (keyboard users reach it from the command palette). */
  showHashCard(): void {
    this.send({ type: 'showHashCard' });
  }

  /** Shows problem `index` of `version` of the file: its byte in the raw tree, or its row in the Problems tab. */
  showProblem(version: number, index: number): void {
    this.panel.reveal(this.panel.viewColumn);
    this.send({ type: 'reveal', target: this.session.problemTarget(version, index) });
  }

  private send(event: HostEvent): void {
    if (this.ready) this.messenger.emit(event);
  }

  private sessionHost(): SessionHost {
    const uri = this.document.uri;
    return {
      writeClipboard: async (text) => {
        await vscode.env.clipboard.writeText(text);
      },
      trackerCommand: async (command, target) => {
        await vscode.commands.executeCommand(`torrentLens.${command}`, uri, target);
      },
      openAsText: () => openAsText(uri),
      rawEditor,
      openExternal: async (url) => {
        // VS Code asks the user before it opens a link (unless they trust the domain).
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
      },
      showSecretsSetting: showSecrets,
      edit: (edit, options) => this.document.edit(edit, options),
      readOnlyReason: () => this.document.readOnlyReason(),
    };
  }

  /**
   * VS Code loads the webview (a few hundred milliseconds) before it asks for its first snapshot: build
   * the costly part of that snapshot meanwhile. A timer, so that the HTML goes out first.
   */
  private prepareWhileLoading(): void {
    const timer = setTimeout(() => {
      const started = performance.now();
      try {
        this.session.prepare();
        this.log.debug(`${this.name}: snapshot prepared in ${(performance.now() - started).toFixed(1)} ms while the webview loads`);
      } catch (error) {
        // The webview's init request builds it again and reports the failure there.
        this.log.debug(`${this.name}: preparing the snapshot failed: ${errorText(error)}`);
      }
    }, 0);
    this.register(toDisposable(() => clearTimeout(timer)));
  }

  /** The session answers; the editor also keeps the webview's viewport size and times the first snapshot. */
  private answerRequests(): void {
    const answers = this.session.requestHandlers;
    this.messenger.onRequest(
      {
        ...answers,
        init: async (request) => {
          const started = performance.now();
          this.viewportRows = request.viewportRows;
          const snapshot = await answers.init(request);
          this.ready = true;
          this.log.debug(
            `${this.name}: first snapshot in ${(performance.now() - started).toFixed(1)} ms, ${snapshot.rows.rows.length} rows`,
          );
          if (this.document.isDeleted) queueMicrotask(() => this.send({ type: 'fileDeleted' }));
          // A macrotask later: the reply with the snapshot is posted first.
          const timer = setTimeout(() => this.markLoaded(), 0);
          this.register(toDisposable(() => clearTimeout(timer)));
          return snapshot;
        },
        setRevealSecrets: (request) => {
          this.viewportRows = request.viewportRows;
          return answers.setRevealSecrets(request);
        },
      },
      (type, error) => this.log.debug(`${this.name}: ${type} failed: ${error.message}`),
    );
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
