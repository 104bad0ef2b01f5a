// Messages between the verify results (a panel today, a section of the editor later) and the host.
//
// The host runs the check and keeps its result; the view shows a summary, a piece map of the whole torrent
// and the files. Both the map and the file list scale with the screen, not with the torrent: the view asks
// for as many map cells as it draws (the host bins the pieces into them) and for the file rows in view.
// File paths come from the torrent and must reach the DOM as text.

export type VerifyFileStatus = 'complete' | 'damaged' | 'wrong-size' | 'missing' | 'unreadable';

/** One map cell: the pieces it covers are all good (`g`), some bad (`b`), some not there (`m`, none bad). */
export type PieceCell = 'g' | 'b' | 'm';

export interface VerifyProgressView {
  phase: 'listing' | 'hashing';
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export interface VerifySummaryView {
  complete: boolean;
  goodPieces: number;
  badPieces: number;
  /** Pieces that could not be read at all (missing or unreadable data). */
  missingPieces: number;
  /** Files per status. */
  files: Record<VerifyFileStatus, number>;
  /** Hybrid: files that pass one version's hashes and fail the other's. */
  disagreeing: number;
  bytesRead: number;
  elapsedMs: number;
}

export interface VerifyRunView {
  /** Increases with every run in this view; messages of older runs are ignored. */
  runId: number;
  torrentName: string;
  /** The .torrent's file name. */
  fileName: string;
  /** The data checked: the folder (or the single file). */
  dataPath: string;
  version: 'v1' | 'v2' | 'hybrid';
  pieceLength: number;
  pieceCount: number;
  fileCount: number;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  progress?: VerifyProgressView;
  /** `failed`: what went wrong. */
  error?: string;
  /** `done`: the verdict. */
  summary?: VerifySummaryView;
}

export interface VerifyFileRow {
  /** Index in the torrent's data files (pad files aside), stable for a run. */
  index: number;
  path: string;
  length: number;
  status: VerifyFileStatus;
  /** Pieces of the file that fail: v1 piece numbers (v1, hybrid), or the file's own (v2). */
  badPieces: number;
  /** The first of them, for the row. */
  firstBadPieces: number[];
  /** Hybrid: the file's own v2 pieces that fail. */
  v2BadPieces?: number;
  /** Hybrid: passes the other version and fails this one. */
  failsOnly?: 'v1' | 'v2';
  /** `wrong-size`: the length on disk. */
  actualLength?: number;
  error?: string;
  note?: string;
}

/** Which files the list shows. */
export type VerifyFileFilter = 'all' | 'problems';

export interface VerifyRows {
  /** Rows matching the filter. */
  total: number;
  /** The first row's position among them. */
  start: number;
  rows: VerifyFileRow[];
}

/** What one cell of the map covers: pieces `[first, last]` and how many of them are in each state. */
export interface PieceCellDetail {
  first: number;
  last: number;
  good: number;
  bad: number;
  missing: number;
}

/** Requests the view sends, with their replies. */
export type VerifyRequests = {
  /** The current run (or none yet), when the view (re)loads. */
  ready: { request: { type: 'ready' }; reply: VerifyRunView | null };
  /** Rows `[start, start + count)` of the files the filter shows. */
  rows: { request: { type: 'rows'; runId: number; filter: VerifyFileFilter; start: number; count: number }; reply: VerifyRows };
  /** The map in `cells` cells: one character (`PieceCell`) each. */
  pieceMap: { request: { type: 'pieceMap'; runId: number; cells: number }; reply: string };
  /** What cell `cell` of a map of `cells` covers. */
  pieceCell: { request: { type: 'pieceCell'; runId: number; cells: number; cell: number }; reply: PieceCellDetail };
  /** Checks the same data again. */
  rerun: { request: { type: 'rerun' }; reply: void };
  cancel: { request: { type: 'cancel' }; reply: void };
  /** Lets the user choose another folder, then checks it. */
  chooseFolder: { request: { type: 'chooseFolder' }; reply: void };
  /** Copies the result as the CLI's JSON. */
  copyJson: { request: { type: 'copyJson' }; reply: void };
};

/** Events the host sends. */
export type VerifyHostEvent =
  | { type: 'run'; run: VerifyRunView }
  | { type: 'progress'; runId: number; progress: VerifyProgressView }
  | { type: 'finished'; run: VerifyRunView };

/** The host sends no requests to the view. */
export type VerifyHostRequests = Record<never, never>;
