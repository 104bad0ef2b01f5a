// A .torrent file opened in the editor: its current bytes and parse, shared by every editor of the file.
//
// Each read of the file is a new `ParsedTorrent` with a higher version; editors listen for new versions
// and re-render. Editing, when it comes, produces new versions the same way (and the provider becomes
// a `CustomEditorProvider` with undo and save), so nothing here assumes the bytes only come from disk.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import type { Log } from '../log';
import { readTorrentBytes } from '../torrent-file';
import { ParsedTorrent, type MetainfoParser } from '../../view-model/editor/parsed-torrent';
import { errorText } from '../../shared/format';

/** File systems report one save as several events; wait for them to settle before re-reading. */
const SETTLE_MS = 150;

export class TorrentDocument extends Disposable implements vscode.CustomDocument {
  private parsedValue: ParsedTorrent;
  private deletedValue = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;

  private readonly changed = this.register(new vscode.EventEmitter<ParsedTorrent>());
  /** A new version was read (the file changed on disk, or came back after a delete). */
  readonly onDidChangeContent = this.changed.event;
  private readonly deleted = this.register(new vscode.EventEmitter<void>());
  readonly onDidDeleteOnDisk = this.deleted.event;
  private readonly reloadFailed = this.register(new vscode.EventEmitter<string>());
  readonly onDidFailReload = this.reloadFailed.event;
  /** Not registered: it fires as the document goes, after everything else was released. */
  private readonly disposing = new vscode.EventEmitter<void>();
  /** VS Code closed the document: its last editor closed. */
  readonly onDidDispose = this.disposing.event;

  static async open(uri: vscode.Uri, parser: MetainfoParser, log: Log): Promise<TorrentDocument> {
    const started = performance.now();
    const bytes = await readTorrentBytes(uri);
    const readMs = performance.now() - started;
    const parsed = await ParsedTorrent.parse(1, bytes, parser);
    logParse(log, uri, parsed, readMs);
    return new TorrentDocument(uri, parsed, parser, log);
  }

  private constructor(
    readonly uri: vscode.Uri,
    parsed: ParsedTorrent,
    private readonly parser: MetainfoParser,
    private readonly log: Log,
  ) {
    super();
    this.parsedValue = parsed;
    this.watch();
    this.register(toDisposable(() => clearTimeout(this.settleTimer)));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.disposing.fire();
    this.disposing.dispose();
  }

  get parsed(): ParsedTorrent {
    return this.parsedValue;
  }

  /** Whether the file was deleted on disk; the editor keeps showing the last version read. */
  get isDeleted(): boolean {
    return this.deletedValue;
  }

  /** Reads the file again; a new version is published only when the bytes differ. */
  reload(): Promise<void> {
    // One read at a time. A reload asked for during a read (the file changed again while it was read
    // or parsed) reads once more when that read is done.
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        await this.read();
      } while (this.readAgain && !this.isDisposed);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<void> {
    let bytes: Uint8Array;
    const started = performance.now();
    try {
      bytes = await readTorrentBytes(this.uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        this.markDeleted();
      } else {
        const message = errorText(error);
        this.log.warn(`${this.uri.fsPath}: could not re-read the file: ${message}`);
        this.reloadFailed.fire(message);
      }
      return;
    }
    const readMs = performance.now() - started;
    const wasDeleted = this.deletedValue;
    this.deletedValue = false;
    if (!wasDeleted && this.parsedValue.hasBytes(bytes)) return;
    const parsed = await ParsedTorrent.parse(this.parsedValue.version + 1, bytes, this.parser);
    // Closed while the file was parsed: nobody is listening any more.
    if (this.isDisposed) return;
    this.parsedValue = parsed;
    logParse(this.log, this.uri, parsed, readMs);
    this.changed.fire(parsed);
  }

  private markDeleted(): void {
    if (this.deletedValue) return;
    this.deletedValue = true;
    this.log.info(`${this.uri.fsPath}: deleted on disk`);
    this.deleted.fire();
  }

  private watch(): void {
    const slash = this.uri.path.lastIndexOf('/');
    const folder = this.uri.with({ path: this.uri.path.slice(0, Math.max(1, slash)) });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, this.uri.path.slice(slash + 1)));
    // Whatever the event, the file's state afterwards decides: tools save by writing in place, or by
    // deleting and re-creating, or by renaming a temporary file over it.
    const settle = () => {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => {
        this.reload().catch((error: unknown) => this.log.warn(`${this.uri.fsPath}: could not reload the file: ${errorText(error)}`));
      }, SETTLE_MS);
    };
    this.register(watcher);
    this.register(watcher.onDidChange(settle));
    this.register(watcher.onDidCreate(settle));
    this.register(watcher.onDidDelete(settle));
  }
}

function logParse(log: Log, uri: vscode.Uri, parsed: ParsedTorrent, readMs: number): void {
  const { level, message } = parsed.logEntry(uri.fsPath, readMs);
  log[level](message);
}
