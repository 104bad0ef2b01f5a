// A .torrent file opened in the editor: the editable torrent every editor of the file shares (its bytes, edit
// history and parse: EditableTorrent in src/view-model/editor/editable-torrent.ts), and what VS Code asks of a
// custom document: save, save as, revert, hot-exit backups, and the file on disk watched.
//
// The file on disk:
// - Saving writes the current bytes atomically for `file:` URIs (writeFileAtomic: a temporary file in the same
//   folder, flushed, renamed over the file, the file's mode kept). Other file systems have no rename to offer
//   through VS Code's API: there the bytes go through `workspace.fs.writeFile`, and the log says so.
// - A change made by another program, while the editor has no unsaved edits, is read and shown (a reload). With
//   unsaved edits it is not read over them: the editors say the file changed, and the next save is refused once
//   with VS Code's save error (whose Retry saves again, and then overwrites; whose Revert takes the file on disk).
//   So neither version is lost without the user choosing.
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/edit/atomic-write';
import type { TorrentEdit } from '../../core/edit/types';
import { Disposable, toDisposable } from '../../shared/disposable';
import { readTorrentBytes } from '../torrent-file';
import { errorText } from '../../shared/format';
import { sameBytes, type EditStep } from '../../view-model/editor/edit-stack';
import { EditableTorrent, type ChangeCause, type EditOptions, type EditOutcome } from '../../view-model/editor/editable-torrent';
import type { MetainfoParser, ParsedTorrent } from '../../view-model/editor/parsed-torrent';
import type { Log } from '../log';
import { notificationText } from '../../view-model/notification-text';

/** File systems report one save as several events; wait for them to settle before re-reading. */
const SETTLE_MS = 150;

/** What is known of the file on disk, to tell a change from none without reading it. */
interface DiskStamp {
  mtime: number;
  size: number;
}

export class TorrentDocument extends Disposable implements vscode.CustomDocument {
  private deletedValue = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  /** The file as last read or written by us. */
  private stamp: DiskStamp | undefined;
  /** The bytes on disk the user was told of at a refused save: a save over them is the user's choice now. */
  private conflictShown: Uint8Array | undefined;

  private readonly changed = this.register(new vscode.EventEmitter<{ parsed: ParsedTorrent; cause: ChangeCause }>());
  /** A new version: an edit, undo, redo or revert, or a change on disk read in. */
  readonly onDidChangeContent = this.changed.event;
  private readonly edited = this.register(new vscode.EventEmitter<EditStep>());
  /** An edit was made: VS Code hears of it (the provider's onDidChangeCustomDocument) to undo and redo it. */
  readonly onDidEdit = this.edited.event;
  private readonly deleted = this.register(new vscode.EventEmitter<void>());
  readonly onDidDeleteOnDisk = this.deleted.event;
  private readonly reloadFailed = this.register(new vscode.EventEmitter<string>());
  readonly onDidFailReload = this.reloadFailed.event;
  private readonly conflict = this.register(new vscode.EventEmitter<void>());
  /** The file changed on disk while the editor has unsaved edits; they are kept. */
  readonly onDidChangeOnDisk = this.conflict.event;
  /** Not registered: it fires as the document goes, after everything else was released. */
  private readonly disposing = new vscode.EventEmitter<void>();
  /** VS Code closed the document: its last editor closed. */
  readonly onDidDispose = this.disposing.event;

  /** Opens the file, or the unsaved bytes of a hot-exit backup (`backupId`) over it. */
  static async open(uri: vscode.Uri, parser: MetainfoParser, log: Log, backupId?: string): Promise<TorrentDocument> {
    const started = performance.now();
    let bytes: Uint8Array;
    let saved: Uint8Array | null | undefined;
    if (backupId !== undefined) {
      bytes = await readTorrentBytes(vscode.Uri.parse(backupId, true));
      saved = await readTorrentBytes(uri).then(
        (disk) => disk,
        () => null,
      );
      log.info(`${uri.fsPath}: unsaved edits restored from a backup`);
    } else {
      bytes = await readTorrentBytes(uri);
    }
    const readMs = performance.now() - started;
    const model = await EditableTorrent.open(bytes, parser, saved);
    logParse(log, uri, model.parsed, readMs);
    const document = new TorrentDocument(uri, model, log);
    document.stamp = await stampOf(uri);
    return document;
  }

  private constructor(
    readonly uri: vscode.Uri,
    private readonly model: EditableTorrent,
    private readonly log: Log,
  ) {
    super();
    this.register(model);
    this.register(model.onDidChange((parsed, cause) => this.changed.fire({ parsed, cause })));
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
    return this.model.parsed;
  }

  /** Whether the file was deleted on disk; the editor keeps showing the last version. */
  get isDeleted(): boolean {
    return this.deletedValue;
  }

  get isDirty(): boolean {
    return this.model.isDirty;
  }

  /** Why the file cannot be edited where it is, when it cannot. */
  readOnlyReason(): string | undefined {
    return vscode.workspace.fs.isWritableFileSystem(this.uri.scheme) === false
      ? vscode.l10n.t('the file system it is on is read-only')
      : undefined;
  }

  /** Makes an edit; VS Code hears of it (and can undo it) once it is made. */
  async edit(edit: TorrentEdit, options: EditOptions): Promise<EditOutcome> {
    const outcome = await this.model.edit(edit, options);
    if (outcome.status === 'applied') {
      this.log.info(
        `${this.uri.fsPath}: ${options.label} (${outcome.result.changes.length} change${outcome.result.changes.length === 1 ? '' : 's'})`,
      );
      this.edited.fire(outcome.step);
    }
    return outcome;
  }

  undo(step: EditStep): Promise<void> {
    return this.step(step, 'undo');
  }

  redo(step: EditStep): Promise<void> {
    return this.step(step, 'redo');
  }

  private async step(step: EditStep, direction: 'undo' | 'redo'): Promise<void> {
    const done = direction === 'undo' ? await this.model.undo(step) : await this.model.redo(step);
    if (done) return;
    // The file changed on disk since the edit was made: its splices do not fit the bytes there are now.
    const message =
      direction === 'undo'
        ? vscode.l10n.t(
            'Torrent Lens: "{0}" was made before the file changed on disk, so it cannot be undone.',
            notificationText(step.label),
          )
        : vscode.l10n.t(
            'Torrent Lens: "{0}" was made before the file changed on disk, so it cannot be redone.',
            notificationText(step.label),
          );
    this.log.warn(`${this.uri.fsPath}: ${message}`);
    void vscode.window.showWarningMessage(message);
  }

  /** Writes the current bytes to the file (VS Code's Save). */
  async save(token: vscode.CancellationToken): Promise<void> {
    const bytes = await this.model.bytesToSave();
    if (token.isCancellationRequested) return;
    await this.refuseOverwritingUnseenChange();
    await this.write(this.uri, bytes);
    this.model.saved(bytes);
    this.conflictShown = undefined;
    this.stamp = await stampOf(this.uri);
  }

  /** Writes the current bytes to another file (VS Code's Save As); VS Code then opens that file in its place. */
  async saveAs(target: vscode.Uri, token: vscode.CancellationToken): Promise<void> {
    const bytes = await this.model.bytesToSave();
    if (token.isCancellationRequested) return;
    await this.write(target, bytes);
    // VS Code counts this document as saved now; so does its history.
    this.model.saved(bytes);
    if (target.toString() === this.uri.toString()) this.stamp = await stampOf(this.uri);
  }

  /** Drops the unsaved edits: the document takes the file on disk (VS Code's Revert File). */
  async revert(): Promise<void> {
    const bytes = await readTorrentBytes(this.uri);
    this.deletedValue = false;
    this.conflictShown = undefined;
    this.stamp = await stampOf(this.uri);
    await this.model.takeFromDisk(bytes, 'revert');
  }

  /** Keeps the unsaved bytes where VS Code asks, for hot exit: reopened with `backupId`, they are there again. */
  async backup(destination: vscode.Uri, token: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    const bytes = await this.model.bytesToSave();
    if (!token.isCancellationRequested) await vscode.workspace.fs.writeFile(destination, bytes);
    return {
      id: destination.toString(),
      delete: () => {
        // A backup already gone is fine: there is nothing left to delete.
        void Promise.resolve(vscode.workspace.fs.delete(destination)).catch(() => undefined);
      },
    };
  }

  private async write(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
    const name = target.path.slice(target.path.lastIndexOf('/') + 1);
    try {
      if (target.scheme === 'file') {
        await writeFileAtomic(target.fsPath, bytes);
      } else {
        await vscode.workspace.fs.writeFile(target, bytes);
        this.log.info(`${target.toString()}: written through VS Code's file system, which cannot replace a file in one step`);
      }
    } catch (error) {
      const message = vscode.l10n.t('{0}: {1}. Nothing was written; Save As keeps your edits in another file.', name, errorText(error));
      this.log.warn(`${target.toString()}: could not save: ${errorText(error)}`);
      throw new Error(message, { cause: error });
    }
    this.log.info(`${target.scheme === 'file' ? target.fsPath : target.toString()}: saved (${bytes.length} bytes)`);
  }

  /**
   * Refuses a save over bytes on disk that are neither what the editor read or last saved, nor what the user was
   * told of at the save before (then saving again is the user's choice to overwrite them).
   */
  private async refuseOverwritingUnseenChange(): Promise<void> {
    const stamp = await stampOf(this.uri);
    // No file (deleted, or never there): nothing to overwrite.
    if (!stamp) return;
    if (this.stamp && stamp.mtime === this.stamp.mtime && stamp.size === this.stamp.size) return;
    const disk = await readTorrentBytes(this.uri);
    const saved = this.model.stack.savedBytes;
    if ((saved && sameBytes(disk, saved)) || (this.conflictShown && sameBytes(disk, this.conflictShown))) return;
    this.conflictShown = disk;
    throw new Error(
      vscode.l10n.t(
        'the file changed on disk after Torrent Lens read it. Save again (Retry) to overwrite it with your edits, or Revert to drop your edits and take the file on disk',
      ),
    );
  }

  /** Reads the file again after a change on disk (see the header for what happens with unsaved edits). */
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
    const saved = this.model.stack.savedBytes;
    if (this.model.isDirty) {
      // Our own save, seen late; or bytes that would overwrite unsaved edits, which are kept.
      if (saved && sameBytes(bytes, saved)) return;
      this.log.info(`${this.uri.fsPath}: changed on disk while the editor has unsaved edits; they are kept`);
      this.conflict.fire();
      return;
    }
    this.stamp = await stampOf(this.uri);
    if (this.isDisposed) return;
    const content = await this.model.takeFromDisk(bytes, 'disk');
    if (content !== 'current' || wasDeleted) logParse(this.log, this.uri, this.model.parsed, readMs);
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

/** The file's modification time and size, or undefined when there is no file. */
async function stampOf(uri: vscode.Uri): Promise<DiskStamp | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return { mtime: stat.mtime, size: stat.size };
  } catch {
    return undefined;
  }
}

function logParse(log: Log, uri: vscode.Uri, parsed: ParsedTorrent, readMs: number): void {
  const { level, message } = parsed.logEntry(uri.fsPath, readMs);
  log[level](message);
}
