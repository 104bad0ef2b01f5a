// The custom editor for .torrent files: one TorrentDocument per file, one webview and EditorSession per
// editor. The webview state (tab, expanded rows, scroll) is kept with vscode.setState, so hidden editors
// do not need retainContextWhenHidden: a restored webview asks for its snapshot again.
import * as vscode from 'vscode';
import type { IDisposable } from '../../shared/disposable';
import { Messenger } from '../../shared/messaging';
import type { EditorRequests, HostEvent, HostRequests, WebviewEvent } from '../../shared/protocol/editor';
import type { Log } from '../log';
import { showSecrets } from '../settings';
import { showWebviewPage, webviewTransport } from '../webviewHtml';
import { TorrentDocument } from './document';
import type { MetainfoParser } from '../../view-model/editor/parsed-torrent';
import { EditorSession, type SessionHost } from '../../view-model/editor/session';

export const VIEW_TYPE = 'torrentLens.editor';

export interface OpenEditor {
  readonly document: TorrentDocument;
  readonly session: EditorSession;
  readonly panel: vscode.WebviewPanel;
  /** Asks the webview to show the info-hash card (keyboard users reach it from the command palette). */
  showHashCard(): void;
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

export class TorrentEditorProvider implements vscode.CustomReadonlyEditorProvider<TorrentDocument> {
  private readonly editors = new Set<OpenEditor>();
  private lastActive: OpenEditor | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly parser: MetainfoParser,
  ) {}

  /** The torrent editor the user is in, or the one they were in last. */
  get activeEditor(): OpenEditor | undefined {
    for (const editor of this.editors) if (editor.panel.active) return editor;
    return this.lastActive && this.editors.has(this.lastActive) ? this.lastActive : undefined;
  }

  /** An open editor of this file, if any. */
  editorFor(uri: vscode.Uri): OpenEditor | undefined {
    for (const editor of this.editors) if (editor.document.uri.toString() === uri.toString()) return editor;
    return undefined;
  }

  async openCustomDocument(uri: vscode.Uri): Promise<TorrentDocument> {
    return TorrentDocument.open(uri, this.parser, this.log);
  }

  async resolveCustomEditor(document: TorrentDocument, panel: vscode.WebviewPanel): Promise<void> {
    const webview = panel.webview;
    showWebviewPage(panel, this.extensionUri, { bundle: 'editor', title: fileName(document.uri) }, this.log);

    const messenger = new Messenger<HostRequests, EditorRequests, HostEvent, WebviewEvent>(webviewTransport(webview));
    const host: SessionHost = {
      writeClipboard: async (text) => {
        await vscode.env.clipboard.writeText(text);
      },
      trackerCommand: async (command, target) => {
        await vscode.commands.executeCommand(`torrentLens.${command}`, document.uri, target);
      },
      openWith: async (editor) => {
        const viewType = editor === 'hex' ? 'hexEditor.hexedit' : 'default';
        await vscode.commands.executeCommand('vscode.openWith', document.uri, viewType, panel.viewColumn);
      },
      showSecretsSetting: showSecrets,
    };
    const session = new EditorSession(host, document.parsed, fileName(document.uri));
    // VS Code loads the webview (a few hundred milliseconds) before it asks for its first snapshot:
    // build the costly part of that snapshot meanwhile. A timer, so that the HTML goes out first.
    const prepare = setTimeout(() => {
      const started = performance.now();
      try {
        session.prepare();
        this.log.debug(
          `${fileName(document.uri)}: snapshot prepared in ${(performance.now() - started).toFixed(1)} ms while the webview loads`,
        );
      } catch (error) {
        // The webview's init request builds it again and reports the failure there.
        this.log.debug(
          `${fileName(document.uri)}: preparing the snapshot failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }, 0);
    let viewportRows = 40;
    let ready = false;
    const send = (event: HostEvent) => {
      if (ready) messenger.emit(event);
    };

    const answers = session.requestHandlers;
    messenger.onRequest(
      {
        ...answers,
        init: async (request) => {
          const started = performance.now();
          viewportRows = request.viewportRows;
          const snapshot = await answers.init(request);
          ready = true;
          this.log.debug(
            `${fileName(document.uri)}: first snapshot in ${(performance.now() - started).toFixed(1)} ms, ${snapshot.rows.rows.length} rows`,
          );
          if (document.isDeleted) queueMicrotask(() => send({ type: 'fileDeleted' }));
          return snapshot;
        },
        setRevealSecrets: (request) => {
          viewportRows = request.viewportRows;
          return answers.setRevealSecrets(request);
        },
      },
      (type, error) => this.log.debug(`${fileName(document.uri)}: ${type} failed: ${error.message}`),
    );

    const editor: OpenEditor = { document, session, panel, showHashCard: () => send({ type: 'showHashCard' }) };
    this.editors.add(editor);
    if (panel.active) this.lastActive = editor;

    const subscriptions: IDisposable[] = [
      messenger.onEvent((event) => {
        if (event.type === 'viewState') session.rememberState(event.state);
      }),
      document.onDidChangeContent((parsed) => send({ type: 'snapshot', snapshot: session.update(parsed, viewportRows) })),
      document.onDidDeleteOnDisk(() => send({ type: 'fileDeleted' })),
      document.onDidFailReload((message) => send({ type: 'reloadFailed', message })),
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('torrentLens.privacy.showSecrets'))
          send({ type: 'snapshot', snapshot: session.refresh(viewportRows) });
      }),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.lastActive = editor;
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(prepare);
      this.editors.delete(editor);
      if (this.lastActive === editor) this.lastActive = undefined;
      messenger.dispose();
      for (const s of subscriptions) s.dispose();
    });
  }
}
