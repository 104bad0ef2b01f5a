// One check of a torrent's data, as the verify view shows it: the run (progress, cancel), its result kept
// here, and what the view asks of it: the rows in view of a file list that may hold 100,000 files, and a
// piece map of as many cells as the view draws, however many pieces the torrent has. No `vscode`: the
// panel only connects it to a webview.

import type { HashPool } from '../../core/hashing/pool';
import type { HashProgress } from '../../core/hashing/progress';
import type { Metainfo } from '../../core/metainfo/types';
import { verifyTorrent, type VerifiedFile, type VerifyResult } from '../../core/verify/verify';
import { errorText } from '../../shared/format';
import type {
  PieceCell,
  PieceCellDetail,
  VerifyFileFilter,
  VerifyFileRow,
  VerifyFileStatus,
  VerifyHostEvent,
  VerifyRows,
  VerifyRunView,
} from '../../shared/protocol/verify';

export interface VerifyRequest {
  metainfo: Metainfo;
  /** The .torrent's file name. */
  fileName: string;
  /** What verifyTorrent checks: the data's folder, or the single file. */
  dataPath: string;
}

/** At most this many bad piece numbers per row: the row shows a few, the JSON has them all. */
const FIRST_BAD = 8;
/** At most this many rows per request: a view asks for what it shows, and a screen shows far fewer. */
export const MAX_ROWS = 500;

export class VerifySession {
  readonly view: VerifyRunView;
  private result: VerifyResult | undefined;
  /** Indices of the files with something wrong (or a v1/v2 disagreement), for the `problems` filter. */
  private problemFiles: number[] = [];
  private readonly controller = new AbortController();
  private lastMap: { cells: number; map: string } | undefined;

  constructor(
    runId: number,
    readonly request: VerifyRequest,
  ) {
    const m = request.metainfo;
    let fileCount = 0;
    for (let i = 0; i < m.files.count; i++) if (!m.files.isPadding(i)) fileCount++;
    this.view = {
      runId,
      torrentName: m.name.text,
      fileName: request.fileName,
      dataPath: request.dataPath,
      version: m.version,
      pieceLength: m.pieceLength,
      pieceCount: m.pieceCount,
      fileCount,
      state: 'running',
    };
  }

  get runId(): number {
    return this.view.runId;
  }

  get running(): boolean {
    return this.view.state === 'running';
  }

  /** Checks the data, telling `emit` of progress and of the end. Never rejects: a failure is the run's state. */
  async start(pool: HashPool, emit: (event: VerifyHostEvent) => void, onProgress?: (progress: HashProgress) => void): Promise<void> {
    const { view } = this;
    try {
      const result = await verifyTorrent(this.request.metainfo, this.request.dataPath, {
        pool,
        signal: this.controller.signal,
        onProgress: (p) => {
          view.progress = {
            phase: p.phase,
            bytesDone: p.bytesDone,
            bytesTotal: p.bytesTotal,
            bytesPerSecond: p.bytesPerSecond,
            etaSeconds: p.etaSeconds,
          };
          emit({ type: 'progress', runId: view.runId, progress: view.progress });
          onProgress?.(p);
        },
      });
      this.finish(result);
    } catch (error) {
      if (this.controller.signal.aborted) view.state = 'cancelled';
      else {
        view.state = 'failed';
        view.error = errorText(error);
      }
    }
    emit({ type: 'finished', run: view });
  }

  cancel(): void {
    this.controller.abort();
  }

  private finish(result: VerifyResult): void {
    this.result = result;
    this.view.pieceCount = result.pieceCount;
    const files: Record<VerifyFileStatus, number> = { complete: 0, damaged: 0, 'wrong-size': 0, missing: 0, unreadable: 0 };
    let disagreeing = 0;
    result.files.forEach((f, i) => {
      files[f.status]++;
      if (f.failsOnly) disagreeing++;
      if (f.status !== 'complete' || f.failsOnly) this.problemFiles.push(i);
    });
    let missingPieces = 0;
    for (let p = 0; p < result.pieceStates.length; p++) if (result.pieceStates.charCodeAt(p) === 0x6d) missingPieces++;
    this.view.state = 'done';
    this.view.summary = {
      complete: result.complete,
      goodPieces: result.goodPieces,
      badPieces: result.badPieces.length - missingPieces,
      missingPieces,
      files,
      disagreeing,
      bytesRead: result.bytesRead,
      elapsedMs: result.elapsedMs,
    };
  }

  /** Rows `[start, start + count)` of the files `filter` shows (none until the run is done). */
  rows(filter: VerifyFileFilter, start: number, count: number): VerifyRows {
    const files = this.result?.files ?? [];
    const total = filter === 'problems' ? this.problemFiles.length : files.length;
    const from = Math.max(0, Math.min(Math.floor(start), total));
    const to = Math.min(total, from + Math.max(0, Math.min(Math.floor(count), MAX_ROWS)));
    const rows: VerifyFileRow[] = [];
    for (let k = from; k < to; k++) {
      const index = filter === 'problems' ? this.problemFiles[k] : k;
      rows.push(rowOf(index, files[index]));
    }
    return { total, start: from, rows };
  }

  /** The map in `cells` cells (fewer when there are fewer pieces): each cell shows the worst of its pieces. */
  pieceMap(cells: number): string {
    const states = this.result?.pieceStates ?? '';
    const n = cellCount(states.length, cells);
    if (this.lastMap?.cells === n) return this.lastMap.map;
    const out = new Uint8Array(n);
    for (let c = 0; c < n; c++) {
      const [first, last] = cellRange(states.length, n, c);
      let cell: PieceCell = 'g';
      for (let p = first; p <= last; p++) {
        const s = states.charCodeAt(p);
        if (s === 0x62) {
          cell = 'b';
          break;
        }
        if (s === 0x6d) cell = 'm';
      }
      out[c] = cell.charCodeAt(0);
    }
    const map = Buffer.from(out).toString('latin1');
    this.lastMap = { cells: n, map };
    return map;
  }

  /** What cell `cell` of a map of `cells` covers. */
  pieceCell(cells: number, cell: number): PieceCellDetail {
    const states = this.result?.pieceStates ?? '';
    const n = cellCount(states.length, cells);
    const c = Math.max(0, Math.min(n - 1, Math.floor(cell)));
    const [first, last] = n === 0 ? [0, -1] : cellRange(states.length, n, c);
    const detail: PieceCellDetail = { first, last, good: 0, bad: 0, missing: 0 };
    for (let p = first; p <= last; p++) {
      const s = states.charCodeAt(p);
      if (s === 0x62) detail.bad++;
      else if (s === 0x6d) detail.missing++;
      else detail.good++;
    }
    return detail;
  }

  /** The result as the CLI's `verify --json` prints it. */
  json(): string {
    return JSON.stringify(
      { torrent: this.request.fileName, data: this.request.dataPath, ...(this.result ?? { state: this.view.state }) },
      null,
      2,
    );
  }
}

/** How many cells a map of `pieces` pieces has when the view has room for `cells`. */
function cellCount(pieces: number, cells: number): number {
  return Math.max(0, Math.min(pieces, Number.isFinite(cells) ? Math.floor(cells) : 0, 1 << 20));
}

/** The pieces `[first, last]` of cell `c` of `n`: pieces shared out as evenly as they go. */
export function cellRange(pieces: number, n: number, c: number): [number, number] {
  return [Math.floor((c * pieces) / n), Math.floor(((c + 1) * pieces) / n) - 1];
}

function rowOf(index: number, f: VerifiedFile): VerifyFileRow {
  const row: VerifyFileRow = {
    index,
    path: f.path,
    length: f.length,
    status: f.status,
    badPieces: f.badPieces.length,
    firstBadPieces: f.badPieces.slice(0, FIRST_BAD),
  };
  if (f.v2BadPieces) row.v2BadPieces = f.v2BadPieces.length;
  if (f.failsOnly) row.failsOnly = f.failsOnly;
  if (f.actualLength !== undefined) row.actualLength = f.actualLength;
  if (f.error) row.error = f.error;
  if (f.note) row.note = f.note;
  return row;
}
