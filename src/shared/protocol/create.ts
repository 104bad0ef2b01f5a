// Messages between the Create Torrent form and the extension host.
//
// The form holds what the user types; the host checks it (the same checks as the core and the command
// line), lists the chosen file or folder to preview the pieces each piece length gives, and makes the
// torrent. Every string from the file system (names, paths) must reach the DOM as text.

export type TorrentVersionChoice = 'v1' | 'v2' | 'hybrid';
export type SymlinkChoice = 'skip' | 'follow-inside' | 'follow' | 'error';

/** What the form holds: text fields as typed, so that the host can say what is wrong with each. */
export interface CreateFormState {
  version: TorrentVersionChoice;
  /** Bytes, or automatic. */
  pieceLength: 'auto' | number;
  /** Tracker URLs, one per line; an empty line starts the next tier (BEP 12). */
  trackers: string;
  /** Web seed URLs, one per line. */
  webSeeds: string;
  private: boolean;
  source: string;
  comment: string;
  name: string;
  includeHidden: boolean;
  /** Exclude patterns, one per line. */
  exclude: string;
  symlinks: SymlinkChoice;
  /** Write `created by` (off, with the date off, gives the same bytes on every run). */
  createdBy: boolean;
  /** Write `creation date`. */
  creationDate: boolean;
}

export type CreateField = keyof CreateFormState;

/** A field's problem, and for the multi-line fields, which line (from 1). */
export interface FieldProblem {
  message: string;
  line?: number;
}

/** What the chosen file or folder holds with the form's hidden, exclude and symlink choices. */
export type ContentPreview =
  | { state: 'listing' }
  | { state: 'failed'; message: string }
  | {
      state: 'ready';
      fileCount: number;
      totalLength: number;
      /** Entries left out (hidden, excluded, links…). */
      skippedCount: number;
      /** The piece length automatic gives. */
      autoPieceLength: number;
      /** Pieces each piece length gives for the form's version, by piece length. */
      pieceCounts: Record<number, number>;
    };

export interface CreateCheck {
  /** Each field's problem; an empty object when the torrent can be made. */
  problems: Partial<Record<CreateField, FieldProblem>>;
  preview: ContentPreview;
}

export interface CreateFormInit {
  /** The file or folder the torrent is made of. */
  source: { path: string; kind: 'file' | 'folder'; name: string };
  state: CreateFormState;
  /** The piece lengths offered besides automatic, in bytes. */
  pieceLengths: number[];
}

/** The making of the torrent, as the form shows it under its buttons. */
export type CreateProgress =
  | { state: 'idle' }
  | { state: 'choosing' }
  | { state: 'working'; bytesDone: number; bytesTotal: number }
  | { state: 'failed'; message: string }
  | { state: 'done'; file: string };

/** Requests the form sends, with their replies. */
export type CreateRequests = {
  ready: { request: { type: 'ready' }; reply: CreateFormInit };
  /** Checks the form as it is now; the preview may still be listing (a `preview` event follows). */
  check: { request: { type: 'check'; state: CreateFormState }; reply: CreateCheck };
  /** Asks where to save, then makes the torrent (progress in a notification and as `progress` events). */
  create: { request: { type: 'create'; state: CreateFormState }; reply: void };
  /** Closes the form. */
  close: { request: { type: 'close' }; reply: void };
};

/** Events the host sends. */
export type CreateHostEvent = { type: 'preview'; check: CreateCheck } | { type: 'progress'; progress: CreateProgress };

/** The host sends no requests to the form. */
export type CreateHostRequests = Record<never, never>;
