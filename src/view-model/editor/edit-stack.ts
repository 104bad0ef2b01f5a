// The edit history of one torrent document: its current bytes, the steps that led there (each the splices it made
// and their inverse), and the state that is on disk. VS Code keeps the order of undo and redo; this class only
// checks that a step still fits before it applies it.
//
// Every content the document has had gets a state number. A step goes from one state to another, so undoing it is
// only done when the document is in the step's "after" state, and redoing it only in its "before" state. A file
// that changes on disk while the editor shows it (a reload, a revert to other bytes) is a new state that no step
// leads to: the steps made before it can no longer be applied, and are refused rather than let loose on bytes they
// were not made for.
//
// Pure: no VS Code and no file system, so the stack runs the same in unit tests, in the browser harness and in the
// extension.

import { applySplices, type Splice } from '../../core/bencode/splice';
import type { EditChange, EditResult } from '../../core/edit/types';

/** One edit as the history keeps it. */
export interface EditStep {
  readonly id: number;
  /** What the edit did, in a few words (VS Code shows it as the undo label). */
  readonly label: string;
  /** From the "before" bytes to the "after" bytes. */
  readonly splices: readonly Splice[];
  /** From the "after" bytes back to the "before" bytes. */
  readonly inverse: readonly Splice[];
  readonly before: number;
  readonly after: number;
  readonly infoHashChanged: boolean;
  readonly changes: readonly EditChange[];
}

/** What a new content from disk is to the history. */
export type DiskContent = 'current' | 'saved' | 'new';

export class TorrentEditStack {
  private bytesValue: Uint8Array;
  private stateValue: number;
  /** The bytes on disk as last read or written, and their state; undefined while there is no file. */
  private savedValue: { bytes: Uint8Array; state: number } | undefined;
  private lastState: number;
  private lastStep = 0;

  /**
   * A document whose current bytes are `bytes`. `saved` is what is on disk when that differs (a document restored
   * from a backup of unsaved edits); null when there is no file on disk at all.
   */
  constructor(bytes: Uint8Array, saved?: Uint8Array | null) {
    this.bytesValue = bytes;
    this.stateValue = 1;
    this.lastState = 1;
    if (saved === undefined || (saved !== null && sameBytes(saved, bytes))) this.savedValue = { bytes, state: 1 };
    else if (saved !== null) this.savedValue = { bytes: saved, state: ++this.lastState };
  }

  get bytes(): Uint8Array {
    return this.bytesValue;
  }

  get state(): number {
    return this.stateValue;
  }

  /** The bytes on disk as last read or written; undefined when there is no file. */
  get savedBytes(): Uint8Array | undefined {
    return this.savedValue?.bytes;
  }

  /** Whether the bytes differ from what is on disk, as far as the history knows. */
  get isDirty(): boolean {
    return this.stateValue !== this.savedValue?.state;
  }

  /**
   * Records an edit made with `applyEdit` on the current bytes (`result.splices` are offsets into them). Returns the
   * step, or undefined when the edit changed nothing.
   */
  commit(result: EditResult, label: string, base: Uint8Array): EditStep | undefined {
    if (base !== this.bytesValue) throw new Error('the edit was made on other bytes than the document has now');
    if (result.splices.length === 0) return undefined;
    const step: EditStep = {
      id: ++this.lastStep,
      label,
      splices: result.splices,
      inverse: result.inverse,
      before: this.stateValue,
      after: ++this.lastState,
      infoHashChanged: result.infoHashChanged,
      changes: result.changes,
    };
    this.bytesValue = result.bytes;
    this.stateValue = step.after;
    return step;
  }

  /** Takes the document back to before `step`; false (and nothing changed) when the document is not where the step left it. */
  undo(step: EditStep): boolean {
    if (this.stateValue !== step.after) return false;
    this.bytesValue = applySplices(this.bytesValue, step.inverse);
    this.stateValue = step.before;
    return true;
  }

  /** Makes `step` again; false (and nothing changed) when the document is not where the step started. */
  redo(step: EditStep): boolean {
    if (this.stateValue !== step.before) return false;
    this.bytesValue = applySplices(this.bytesValue, step.splices);
    this.stateValue = step.after;
    return true;
  }

  /** The current bytes were written to the file. */
  markSaved(): void {
    this.savedValue = { bytes: this.bytesValue, state: this.stateValue };
  }

  /**
   * The document takes the bytes of the file on disk (a revert, or a reload of a file changed by another program):
   * they become both the current and the saved bytes. Bytes the document already had keep their state, so the
   * history that leads to them stays usable; other bytes are a new state.
   */
  takeFromDisk(bytes: Uint8Array): DiskContent {
    let content: DiskContent;
    if (sameBytes(bytes, this.bytesValue)) {
      content = 'current';
    } else if (this.savedValue && sameBytes(bytes, this.savedValue.bytes)) {
      content = 'saved';
      this.bytesValue = this.savedValue.bytes;
      this.stateValue = this.savedValue.state;
    } else {
      content = 'new';
      this.bytesValue = bytes;
      this.stateValue = ++this.lastState;
    }
    this.savedValue = { bytes: this.bytesValue, state: this.stateValue };
    return content;
  }

  /** The file went away on disk: every content is now unsaved. */
  forgetSaved(): void {
    this.savedValue = undefined;
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
