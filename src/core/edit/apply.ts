// Applying edits: `applyEdit` turns one edit of a decoded torrent into splices of its bytes, the new bytes, the
// splices that undo it, and the new info hash when the edit reached into the info dictionary. Pure: nothing is
// read or written, so the same call serves a preview, the editor's undo stack and the CLI.

import { decode, type BencodeDocument } from '../bencode/decode';
import type { InfoHashes } from '../metainfo/types';
import { Draft } from './draft';
import { editField } from './fields';
import { editTrackers } from './trackers';
import type { EditChange, EditResult, TorrentEdit } from './types';

/**
 * Applies one edit to a decoded torrent. Every byte outside the splices stays as it was; an edit that changes
 * nothing (a tracker already listed, a comment set to what it is) gives no splices and `bytes === doc.data`.
 * Throws `EditError` when the edit cannot be made (an invalid URL, a tier the torrent does not have).
 */
export function applyEdit(doc: BencodeDocument, edit: TorrentEdit): EditResult {
  const draft = new Draft(doc);
  switch (edit.kind) {
    case 'add-tracker':
    case 'add-tier':
    case 'remove-tracker':
    case 'remove-tier':
    case 'set-tracker':
    case 'replace-in-trackers':
    case 'move-tracker':
    case 'move-tier':
      editTrackers(draft, edit);
      break;
    default:
      editField(draft, edit);
  }
  return draft.finish();
}

export interface EditsResult {
  /** The file after every edit. */
  bytes: Uint8Array;
  /** The document of `bytes`, for the next edit (decoded when first read). */
  readonly document: BencodeDocument;
  /** One result per edit, in order; undo applies their `inverse` splices from the last to the first. */
  steps: EditResult[];
  changes: EditChange[];
  notes: string[];
  infoHashChanged: boolean;
  /** The info hashes after the last edit that changed them. */
  newInfoHash?: InfoHashes;
}

/** Applies edits one after the other, each to the result of the one before. Throws `EditError` at the first that cannot be made. */
export function applyEdits(doc: BencodeDocument, edits: readonly TorrentEdit[]): EditsResult {
  let document = doc;
  let bytes = doc.data;
  const steps: EditResult[] = [];
  let newInfoHash: InfoHashes | undefined;
  for (const edit of edits) {
    // Splices only replace whole values with well-formed ones, so this decode cannot fail.
    if (document.data !== bytes) document = decode(bytes);
    const step = applyEdit(document, edit);
    steps.push(step);
    if (step.newInfoHash) newInfoHash = step.newInfoHash;
    bytes = step.bytes;
  }
  // The last result is decoded only when asked for: a caller that saves it does not pay for a decode.
  let last: BencodeDocument | undefined = document.data === bytes ? document : undefined;
  const result: EditsResult = {
    bytes,
    get document() {
      return (last ??= decode(bytes));
    },
    steps,
    changes: steps.flatMap((step) => step.changes),
    notes: steps.flatMap((step) => step.notes),
    infoHashChanged: steps.some((step) => step.infoHashChanged),
  };
  if (newInfoHash) result.newInfoHash = newInfoHash;
  return result;
}
