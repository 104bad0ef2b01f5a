// The custom editor for .torrent files: one TorrentDocument per file, one OpenEditor (webview, messenger,
// EditorSession) per editor. The webview state (tab, expanded rows, scroll) is kept with vscode.setState,
// so hidden editors do not need retainContextWhenHidden: a restored webview asks for its snapshot again.
import type * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import type { MetainfoParser } from '../../view-model/editor/parsed-torrent';
import type { Log } from '../log';
import { TorrentDocument } from './document';
import { OpenEditor } from './open-editor';

export const VIEW_TYPE = 'torrentLens.editor';

export class TorrentEditorProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<TorrentDocument> {
  private readonly editors = new Set<OpenEditor>();
  private lastActive: OpenEditor | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly parser: MetainfoParser,
  ) {
    super();
    this.register(
      toDisposable(() => {
        for (const editor of [...this.editors]) editor.dispose();
      }),
    );
  }

  /** The torrent editor the user is in, or the one they were in last. */
  get activeEditor(): OpenEditor | undefined {
    for (const editor of this.editors) if (editor.panel.active) return editor;
    return this.lastActive;
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
    const editor = new OpenEditor(document, panel, this.extensionUri, this.log, {
      activated: (active) => (this.lastActive = active),
      closed: (closed) => {
        this.editors.delete(closed);
        if (this.lastActive === closed) this.lastActive = undefined;
      },
    });
    this.editors.add(editor);
    if (panel.active) this.lastActive = editor;
  }
}
