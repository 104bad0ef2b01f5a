// An open torrent that can be edited: its edit history (TorrentEditStack) and the parse of its current bytes, which
// every editor of the file shows. The VS Code document (src/extension/editor/document.ts) wraps it with the file
// system and VS Code's undo; tests use it as it is, so what they edit and save is what the editor edits and saves.
//
// Edits, undo, redo and new bytes from disk run one at a time, in the order they were asked for. After each one the
// new bytes are parsed (the info hashes on the thread pool: see parseMetainfoAsync) and published to the listeners;
// when changes come faster than parses, only the newest parse is published. An edit needs the decoded document of
// the bytes it edits, so it waits for their parse; undo and redo only apply splices and wait for nothing.

import { applyEdit } from '../../core/edit/apply';
import { EditError, type EditResult, type TorrentEdit } from '../../core/edit/types';
import type { InfoHashes } from '../../core/metainfo/types';
import { toDisposable, type IDisposable } from '../../shared/disposable';
import { TorrentEditStack, type DiskContent, type EditStep } from './edit-stack';
import { ParsedTorrent, type MetainfoParser } from './parsed-torrent';

/** Why a new version of the torrent was published. */
export type ChangeCause = 'edit' | 'undo' | 'redo' | 'revert' | 'disk';

export type EditOutcome =
  /** The edit was made: `step` is in the history; `published` settles once its parse is shown. */
  | { status: 'applied'; step: EditStep; result: EditResult; published: Promise<ParsedTorrent> }
  /** The edit would change nothing (a tracker already listed, a text set to what it is); `result.notes` say why. */
  | { status: 'unchanged'; result: EditResult }
  /**
   * The edit changes the info hash and the caller did not confirm this new hash: nothing was changed. Ask the user,
   * then edit again with `confirmInfoHash` set to `after`.
   */
  | { status: 'confirm'; before: InfoHashes; after: InfoHashes };

export interface EditOptions {
  /** Words for the history (VS Code's undo label). */
  label: string;
  /** The info hashes the user saw and accepted for an edit of the info dictionary. */
  confirmInfoHash?: InfoHashes;
}

type Listener = (parsed: ParsedTorrent, cause: ChangeCause) => void;

export class EditableTorrent implements IDisposable {
  readonly stack: TorrentEditStack;
  private publishedValue: ParsedTorrent;
  /** The parse of the current bytes (the published one, or one on its way). */
  private parsing: Promise<ParsedTorrent>;
  private lastVersion: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private disposed = false;

  /** Reads `bytes` as the document's content; `saved` is the file on disk when it differs (see TorrentEditStack). */
  static async open(bytes: Uint8Array, parser: MetainfoParser, saved?: Uint8Array | null): Promise<EditableTorrent> {
    return new EditableTorrent(await ParsedTorrent.parse(1, bytes, parser), parser, saved);
  }

  private constructor(
    parsed: ParsedTorrent,
    private readonly parser: MetainfoParser,
    saved: Uint8Array | null | undefined,
  ) {
    this.stack = new TorrentEditStack(parsed.bytes, saved);
    this.publishedValue = parsed;
    this.parsing = Promise.resolve(parsed);
    this.lastVersion = parsed.version;
  }

  /** The version every editor shows now. */
  get parsed(): ParsedTorrent {
    return this.publishedValue;
  }

  get isDirty(): boolean {
    return this.stack.isDirty;
  }

  /** Listens for new versions (after an edit, an undo or redo, a revert, a change on disk). */
  onDidChange(listener: Listener): IDisposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** The parse of the bytes the document has now, once it is done. */
  whenParsed(): Promise<ParsedTorrent> {
    return this.parsing;
  }

  /** Makes an edit (after the ones asked for before it). Throws EditError when it cannot be made; nothing changes then. */
  edit(edit: TorrentEdit, options: EditOptions): Promise<EditOutcome> {
    return this.serially(async () => {
      const parsed = await this.parsing;
      const metainfo = parsed.metainfo;
      if (!metainfo) {
        throw new EditError(
          'not-a-torrent',
          `this file is not a torrent Torrent Lens can edit: ${parsed.failure?.message ?? 'it did not parse'}`,
        );
      }
      const result = applyEdit(metainfo.document, edit);
      if (result.splices.length === 0) return { status: 'unchanged', result };
      if (result.infoHashChanged && !sameHashes(result.newInfoHash, options.confirmInfoHash)) {
        return { status: 'confirm', before: metainfo.infoHash, after: result.newInfoHash ?? {} };
      }
      const step = this.stack.commit(result, options.label, parsed.bytes)!;
      return { status: 'applied', step, result, published: this.reparse('edit') };
    });
  }

  /** Undoes `step`; false when the document has changed since in a way the step does not fit (see TorrentEditStack). */
  undo(step: EditStep): Promise<boolean> {
    return this.serially(async () => {
      if (!this.stack.undo(step)) return false;
      void this.reparse('undo');
      return true;
    });
  }

  redo(step: EditStep): Promise<boolean> {
    return this.serially(async () => {
      if (!this.stack.redo(step)) return false;
      void this.reparse('redo');
      return true;
    });
  }

  /** Takes the bytes of the file on disk (revert, or a change made by another program); publishes them if they are new. */
  takeFromDisk(bytes: Uint8Array, cause: 'revert' | 'disk'): Promise<DiskContent> {
    return this.serially(async () => {
      const content = this.stack.takeFromDisk(bytes);
      if (content !== 'current') await this.reparse(cause);
      return content;
    });
  }

  /**
   * The bytes to save, once the changes asked for before are made: the caller writes them and then calls `saved`
   * with them (unless another change came meanwhile).
   */
  bytesToSave(): Promise<Uint8Array> {
    return this.serially(async () => this.stack.bytes);
  }

  /** `bytes` (from `bytesToSave`) are on disk now. Returns false when the document has changed since they were taken. */
  saved(bytes: Uint8Array): boolean {
    if (bytes !== this.stack.bytes) return false;
    this.stack.markSaved();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  /** Runs `work` after everything asked for before it, whatever became of that. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Parses the current bytes and publishes them, unless newer bytes are published first. */
  private reparse(cause: ChangeCause): Promise<ParsedTorrent> {
    const version = ++this.lastVersion;
    const previous = this.publishedValue;
    const parsing = ParsedTorrent.parse(version, this.stack.bytes, this.parser).then((parsed) => {
      parsed.shareFileIndexes(previous);
      if (version === this.lastVersion && !this.disposed) {
        this.publishedValue = parsed;
        // Every listener hears of it, even when one of them fails; the first failure is the parse's.
        let failure: { error: unknown } | undefined;
        for (const listener of [...this.listeners]) {
          try {
            listener(parsed, cause);
          } catch (error) {
            failure ??= { error };
          }
        }
        if (failure) throw failure.error;
      }
      return parsed;
    });
    this.parsing = parsing;
    return parsing;
  }
}

/** Whether the hashes a user confirmed are the ones an edit gives (every hash the edit computed, equal). */
function sameHashes(made: InfoHashes | undefined, confirmed: InfoHashes | undefined): boolean {
  if (!made || !confirmed) return false;
  return made.v1 === confirmed.v1 && made.v2 === confirmed.v2;
}
