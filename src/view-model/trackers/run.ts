// One announce or scrape of a torrent's trackers, as the results panel shows it: every tracker and info
// hash asked at once through the core, one row per pair, each row sent again the moment its tracker
// answers. It keeps the unredacted results, so the JSON report and the raw answers are made on demand,
// redacted as the user chooses at that moment. No `vscode`: the panel only connects it to a webview.
import type { Metainfo } from '../../core/metainfo/types';
import {
  announceAll,
  announceReportJson,
  redactResult,
  scrapeAll,
  scrapeReportJson,
  type AnnounceResult,
  type InfoHashTarget,
  type RequestOptions,
  type ScrapeResult,
  type TrackerTarget,
} from '../../core/tracker';
import type { RawView, RunKind, RunTarget, RunView, TrackerRow, TrackersHostEvent } from '../../shared/protocol/trackers';
import type { TrackerSettings } from '../settings';
import { announceRow, pendingRows, rowId, scrapeRows } from './rows';
import { errorText } from '../../shared/format';

export interface RunRequest {
  kind: RunKind;
  /** The torrent file's URI, as text. */
  torrentUri: string;
  fileName: string;
  metainfo: Metainfo;
  trackers: TrackerTarget[];
  hashes: InfoHashTarget[];
  /** What the user chose, for the panel's subtitle: `all trackers`, `tier 2`, a (redacted) URL. */
  scope: string;
  /** The same choice for a later run (a restored panel's Rerun). */
  target: RunTarget;
}

export type RunLog = (level: 'info' | 'debug' | 'warn' | 'error', message: string) => void;

export class TrackerRun {
  /** What the webview shows, kept up to date as answers arrive. */
  readonly view: RunView;
  /** Results by row id (announce) or by tracker index (scrape), unredacted. */
  private readonly announces = new Map<string, AnnounceResult>();
  private readonly scrapes = new Map<number, ScrapeResult>();
  private readonly controller = new AbortController();

  constructor(
    runId: number,
    readonly request: RunRequest,
    private readonly settings: TrackerSettings,
    /** Whether the rows show tracker secrets (the setting when the run started). */
    private readonly showSecrets: boolean,
  ) {
    this.view = {
      runId,
      kind: request.kind,
      source: { torrentUri: request.torrentUri, target: request.target },
      fileName: request.fileName,
      torrentName: request.metainfo.name.text,
      infoHash: request.metainfo.infoHash,
      scope: request.scope,
      ...(request.kind === 'announce' ? { event: settings.event } : {}),
      rows: pendingRows(request.trackers, request.hashes, showSecrets),
      running: true,
    };
  }

  get runId(): number {
    return this.view.runId;
  }

  /**
   * Asks every tracker, tells `emit` of each row as its tracker answers and of the end (`finished`), and
   * resolves when every tracker is done or the run was cancelled. Never rejects: a failure is logged.
   */
  async start(emit: (event: TrackersHostEvent) => void, log: RunLog): Promise<void> {
    const { request, settings, view } = this;
    const started = Date.now();
    const update = (rows: TrackerRow[]) => {
      for (const row of rows) {
        const index = view.rows.findIndex((r) => r.id === row.id);
        if (index >= 0) view.rows[index] = row;
      }
      emit({ type: 'rows', runId: view.runId, rows });
    };
    const common: RequestOptions = {
      timeoutMs: settings.timeoutMs,
      udpRetryTimeoutMs: settings.udpRetryTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      userAgent: settings.userAgent,
      signal: this.controller.signal,
      log: (level, message) => log(level, message),
    };
    const trackerIndex = new Map(request.trackers.map((t, i) => [t.url.trim(), i]));
    const hashIndex = new Map(request.hashes.map((h, i) => [`${h.kind}:${h.hex}`, i]));
    try {
      if (request.kind === 'announce') {
        const options = {
          ...common,
          event: settings.event,
          numwant: settings.numwant,
          port: settings.port,
          left: settings.left === 'zero' ? 0 : request.metainfo.totalLength,
        };
        await announceAll(request.trackers, request.hashes, options, (result) => {
          const id = rowId(
            trackerIndex.get(result.tracker) ?? 0,
            hashIndex.get(`${result.hashKind}:${result.hash}`) ?? 0,
            request.hashes.length,
          );
          this.announces.set(id, result);
          const base = view.rows.find((r) => r.id === id);
          if (base) update([announceRow(base, result, this.showSecrets)]);
        });
      } else {
        await scrapeAll(request.trackers, request.hashes, common, (result) => {
          const t = trackerIndex.get(result.tracker) ?? 0;
          this.scrapes.set(t, result);
          const bases = request.hashes.map((_, h) => view.rows.find((r) => r.id === rowId(t, h, request.hashes.length))!).filter(Boolean);
          update(scrapeRows(bases, result, this.showSecrets));
        });
      }
    } catch (error) {
      log('error', `${request.kind} failed: ${errorText(error)}`);
    } finally {
      view.running = false;
      view.durationMs = Date.now() - started;
      view.cancelled = this.controller.signal.aborted;
      emit({ type: 'finished', runId: view.runId, durationMs: view.durationMs, cancelled: view.cancelled });
      const answered = view.rows.filter((r) => r.status === 'working').length;
      log(
        'info',
        `${request.kind} of ${request.fileName}: ${answered} of ${view.rows.length} answered in ${view.durationMs} ms${view.cancelled ? ' (cancelled)' : ''}`,
      );
    }
  }

  /** Stops every request of the run; the trackers not yet done are reported as cancelled. */
  cancel(): void {
    this.controller.abort();
  }

  /** How many rows have a status other than pending, and how many trackers answered. */
  progress(): { done: number; total: number; working: number } {
    const rows = this.view.rows;
    return {
      done: rows.filter((r) => r.status !== 'pending').length,
      total: rows.length,
      working: rows.filter((r) => r.status === 'working').length,
    };
  }

  /** The results in the CLI's JSON shape, redacted unless `showSecrets`. */
  json(showSecrets: boolean): string {
    const infoHash = this.request.metainfo.infoHash;
    const report =
      this.request.kind === 'announce'
        ? announceReportJson(
            infoHash,
            [...this.announces.entries()]
              .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
              .map(([, r]) => redactResult(r, showSecrets)),
          )
        : scrapeReportJson(
            infoHash,
            [...this.scrapes.entries()].sort(([a], [b]) => a - b).map(([, r]) => redactResult(r, showSecrets)),
          );
    return `${JSON.stringify(report, null, 2)}\n`;
  }

  /** The decoded answer behind a row of this run (none for another run's row), redacted unless `showSecrets`. */
  raw(runId: number, id: string, showSecrets: boolean): RawView | null {
    if (runId !== this.runId) return null;
    if (this.request.kind === 'announce') {
      const result = this.announces.get(id);
      return result ? (redactResult(result, showSecrets).raw ?? null) : null;
    }
    // A scrape answers for every hash of a tracker at once: its rows share one answer.
    const index = Math.floor(Number(id.slice(1)) / this.request.hashes.length);
    const result = this.scrapes.get(index);
    return result ? (redactResult(result, showSecrets).raw ?? null) : null;
  }
}
