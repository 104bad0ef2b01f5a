// What an edit of a torrent is: plain data (so an undo stack can hold it and a message can carry it), what
// applying one gives back, and how one is refused. `applyEdit` in apply.ts does the work.

import type { Splice } from '../bencode/splice';
import type { InfoHashes } from '../metainfo/types';

/**
 * A tracker's place, counted as the file stores it: `tier` is the index of the tier in `announce-list` (every
 * element counts, also one that is not a list of URLs), `index` the index of the URL in that tier. A torrent
 * without a usable `announce-list` has one tier, its `announce`, at `{ tier: 0, index: 0 }`.
 * `readTrackerSlots` (trackers.ts) lists the places with their URLs.
 */
export interface TrackerPosition {
  tier: number;
  index: number;
}

/** The two web seed lists: BEP 19 `url-list` (web seeds) and BEP 17 `httpseeds` (HTTP seeds). */
export type WebSeedField = 'url-list' | 'httpseeds';

/**
 * One edit, as the user asks for it. Edits outside the info dictionary keep the info hash; `set-private`,
 * `set-source` and `set-name` change it (see `changesInfoHash`).
 */
export type TorrentEdit =
  /** Adds a tracker to an existing tier (at `index`, default the end), or without `tier` in a new tier of its own at the end. */
  | { kind: 'add-tracker'; url: string; tier?: number; index?: number }
  /** Adds a tier of trackers before tier `at` (default: at the end). */
  | { kind: 'add-tier'; urls: string[]; at?: number }
  /** Removes every occurrence of the URL, in `announce` and in `announce-list` (a tier left empty goes too). */
  | { kind: 'remove-tracker'; url: string }
  /** Removes a whole tier. */
  | { kind: 'remove-tier'; tier: number }
  /** Changes the URL at one place. */
  | { kind: 'set-tracker'; at: TrackerPosition; url: string }
  /** Replaces the first occurrence of `find` in every tracker URL that contains it (as transmission-edit -r does). */
  | { kind: 'replace-in-trackers'; find: string; replace: string }
  /**
   * Moves a tracker within its tier or to another one. `to.tier` counts the tiers as they were; `to.index` is
   * the place in that tier once the tracker has left it. With `newTier`, the tracker gets a tier of its own,
   * inserted before tier `to.tier` (the number of tiers: at the end).
   */
  | { kind: 'move-tracker'; from: TrackerPosition; to: TrackerPosition; newTier?: boolean }
  /** Moves a whole tier: `to` is its place among the other tiers once it has left (as `to.index` of a moved tracker). */
  | { kind: 'move-tier'; from: number; to: number }
  | { kind: 'add-web-seed'; url: string; field?: WebSeedField }
  /** Removes every occurrence of the URL from `url-list` and `httpseeds`. */
  | { kind: 'remove-web-seed'; url: string }
  | { kind: 'set-web-seed'; field: WebSeedField; index: number; url: string }
  /** Adds a BEP 5 DHT node. */
  | { kind: 'add-node'; host: string; port: number }
  /** Removes the DHT node at `index` of `nodes`. */
  | { kind: 'remove-node'; index: number }
  /** Sets the comment (`comment`, and `comment.utf-8` where the torrent has one); null removes both. */
  | { kind: 'set-comment'; text: string | null }
  | { kind: 'set-created-by'; text: string | null }
  /** Seconds since 1970; null removes the date. */
  | { kind: 'set-creation-date'; seconds: number | null }
  | { kind: 'set-encoding'; text: string | null }
  /** Removes every occurrence of a top-level key, given as its raw bytes in a binary string (one character per byte). */
  | { kind: 'remove-key'; key: string }
  /** BEP 27. Changes the info hash. */
  | { kind: 'set-private'; private: boolean }
  /** The info dictionary's `source` (cross-seeding: a new source is a new info hash). Changes the info hash. */
  | { kind: 'set-source'; text: string | null }
  /** The torrent's name (and `name.utf-8` where the torrent has one). Changes the info hash. */
  | { kind: 'set-name'; text: string };

export type TorrentEditKind = TorrentEdit['kind'];

/** The edits that change bytes inside the info dictionary, and so the info hash. */
const INFO_EDITS: ReadonlySet<TorrentEditKind> = new Set(['set-private', 'set-source', 'set-name']);

/** Whether the edit changes the info dictionary (and so the info hash) when it changes anything. */
export function changesInfoHash(edit: TorrentEdit): boolean {
  return INFO_EDITS.has(edit.kind);
}

/** One thing an edit changed, for the user to see. */
export interface EditChange {
  /** Where, as diagnostics name places: `announce`, `announce-list[1][0]`, `announce-list[2]`, `url-list`, `info.private`. */
  location: string;
  action: 'added' | 'removed' | 'changed';
  /** The value before and after, as text: a URL, a comment, a date in seconds, a tier's URLs. */
  before?: string;
  after?: string;
  /** Why, when the change follows from another one the user asked for. */
  reason?: string;
}

export interface EditResult {
  /** The new file. */
  bytes: Uint8Array;
  /** What changed, against the old bytes, in order; empty when the edit changed nothing. */
  splices: Splice[];
  /** The splices that take `bytes` back to the old bytes (undo). */
  inverse: Splice[];
  changes: EditChange[];
  /** What the user should know: nothing to change, a duplicate, which of repeated keys was edited. */
  notes: string[];
  /** Whether a splice fell inside the info dictionary. When false, the info dictionary's bytes are untouched. */
  infoHashChanged: boolean;
  /** The new info hashes, when they changed. */
  newInfoHash?: InfoHashes;
}

export type EditErrorCode =
  /** The document is not a dictionary with an info dictionary. */
  | 'not-a-torrent'
  | 'invalid-url'
  | 'invalid-value'
  /** A tier, tracker, web seed or node that the torrent does not have. */
  | 'no-such-place'
  /** The value to edit has a type the edit cannot work on (an `announce-list` that is not a list, say). */
  | 'not-editable'
  /** A key the torrent cannot do without (`info`). */
  | 'protected-key';

/** An edit that cannot be made; nothing was changed. The message names the problem for the user. */
export class EditError extends Error {
  override readonly name = 'EditError';
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(message);
  }
}
