// The custom editor for .torrent files: one TorrentDocument per file, one OpenEditor (webview, messenger,
// EditorSession) per editor, and the file's problems in VS Code's Problems view while an editor shows it.
// Edits go into VS Code's undo history (onDidChangeCustomDocument), so Ctrl+Z and Ctrl+Shift+Z, the dirty mark,
// Save, Save As, Revert and hot exit work as for any file; the document does each of them.
// The webview state (tab, expanded rows, scroll) is kept with vscode.setState, so hidden editors do not
// need retainContextWhenHidden: a restored webview asks for its snapshot again.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import type { MetainfoParser } from '../../view-model/editor/parsed-torrent';
import type { Log } from '../log';
import { TorrentDiagnostics } from './diagnostics';
import { TorrentDocument } from './document';
import { OpenEditor } from './open-editor';
import { VIEW_TYPE } from './view-types';

export { VIEW_TYPE } from './view-types';

/** How long `showProblem` waits for the editor it opened to load. */
const EDITOR_LOAD_TIMEOUT_MS = 15_000;

export class TorrentEditorProvider extends Disposable implements vscode.CustomEditorProvider<TorrentDocument> {
  private readonly editors = new Set<OpenEditor>();
  private readonly documentEdited = this.register(new vscode.EventEmitter<vscode.CustomDocumentEditEvent<TorrentDocument>>());
  readonly onDidChangeCustomDocument = this.documentEdited.event;
  private readonly documents = new Set<TorrentDocument>();
  private lastActive: OpenEditor | undefined;
  private readonly diagnostics = this.register(new TorrentDiagnostics());
  private readonly editorAdded = this.register(new vscode.EventEmitter<OpenEditor>());

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

  /** An open editor of this file (the active one, when there are several), if any. */
  editorFor(uri: vscode.Uri): OpenEditor | undefined {
    const key = uri.toString();
    const of = [...this.editors].filter((editor) => editor.document.uri.toString() === key);
    return of.find((editor) => editor.panel.active) ?? of[0];
  }

  /** The open document of a file, if an editor has it open. */
  documentFor(uri: vscode.Uri): TorrentDocument | undefined {
    const key = uri.toString();
    for (const document of this.documents) if (document.uri.toString() === key) return document;
    return undefined;
  }

  async openCustomDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext): Promise<TorrentDocument> {
    const document = await TorrentDocument.open(uri, this.parser, this.log, context.backupId);
    this.documents.add(document);
    this.diagnostics.show(uri, document.parsed);
    document.onDidChangeContent(({ parsed }) => this.diagnostics.show(uri, parsed));
    document.onDidDeleteOnDisk(() => this.diagnostics.clear(uri));
    document.onDidEdit((step) =>
      this.documentEdited.fire({ document, label: step.label, undo: () => document.undo(step), redo: () => document.redo(step) }),
    );
    document.onDidDispose(() => {
      this.documents.delete(document);
      this.diagnostics.clear(uri);
    });
    return document;
  }

  saveCustomDocument(document: TorrentDocument, token: vscode.CancellationToken): Promise<void> {
    return document.save(token);
  }

  saveCustomDocumentAs(document: TorrentDocument, destination: vscode.Uri, token: vscode.CancellationToken): Promise<void> {
    return document.saveAs(destination, token);
  }

  revertCustomDocument(document: TorrentDocument): Promise<void> {
    return document.revert();
  }

  backupCustomDocument(
    document: TorrentDocument,
    context: vscode.CustomDocumentBackupContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CustomDocumentBackup> {
    return document.backup(context.destination, token);
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
    this.editorAdded.fire(editor);
  }

  /** Opens the torrent (or goes to its editor) and shows problem `index` of `version` there. */
  async showProblem(uri: vscode.Uri, version: number, index: number): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    const editor = await this.loadedEditor(uri);
    editor.showProblem(version, index);
  }

  /** The editor of `uri` once its webview has its first snapshot (it may still be opening). */
  private async loadedEditor(uri: vscode.Uri): Promise<OpenEditor> {
    const open = this.editorFor(uri);
    if (open) {
      await open.loaded;
      return open;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`the editor of ${uri.path} did not open`));
      }, EDITOR_LOAD_TIMEOUT_MS);
      const listener = this.editorAdded.event((editor) => {
        if (editor.document.uri.toString() !== uri.toString()) return;
        listener.dispose();
        clearTimeout(timer);
        editor.loaded.then(() => resolve(editor), reject);
      });
    });
  }
}
