// One announce or scrape of a torrent's trackers, as the results panel shows it: every tracker and info
// hash asked at once through the core (at most `concurrency` trackers at a time, the others waiting for
// a slot), one row per pair, each row sent again the moment its tracker is asked and again when it
// answers. The run keeps the results as the trackers gave them and redacts them through the torrent's
// secrets each time it shows them, so that turning `torrentLens.privacy.showSecrets` on or off shows or
// hides them without asking the trackers again. No `vscode`: the panel only connects it to a webview.
import type { Metainfo } from '../../core/metainfo/types';
import { REDACTED, Secrets } from '../../core/privacy/secrets';
import {
  announceAll,
  announceReportJson,
  redactResult,
  scrapeAll,
  scrapeReportJson,
  uniqueTrackers,
  type AnnounceResult,
  type InfoHashTarget,
  type RequestOptions,
  type ScrapeResult,
  type TrackerPlace,
  type TrackerResult,
  type TrackerTarget,
} from '../../core/tracker';
import { errorText, formatCount } from '../../shared/format';
import type {
  CopiedJson,
  RawView,
  RowStatus,
  RunKind,
  RunTarget,
  RunView,
  TrackerRow,
  TrackersHostEvent,
} from '../../shared/protocol/trackers';
import { countOutcomes, doneCount, outcomeSummary, type OutcomeCounts } from '../../shared/tracker-outcomes';
import type { TrackerSettings } from '../settings';
import { announceRow, scrapeRow, waitingRow } from './rows';
import { scopeOf, shownUrl, type UrlShowing } from './targets';

export interface RunRequest {
  kind: RunKind;
  /** The torrent file's URI, as text. */
  torrentUri: string;
  fileName: string;
  metainfo: Metainfo;
  trackers: TrackerTarget[];
  hashes: InfoHashTarget[];
  /** Which trackers were chosen, to choose them again (a restored panel's Rerun) and to say so. */
  target: RunTarget;
}

/** A line for the log, about this run's torrent: the caller writes it through `TrackerRun.secrets`. */
export type RunLog = (level: 'info' | 'debug' | 'warn' | 'error', message: string) => void;

export interface RunProgress {
  counts: OutcomeCounts;
  total: number;
  done: number;
}

/** Where a row is before its tracker answers, and since when (the host's clock). */
interface RowWait {
  status: Extract<RowStatus, 'waiting' | 'pending'>;
  since: number;
}

export class TrackerRun {
  /** The torrent's secrets; they only hide (whether they are shown is asked each time something is shown). */
  readonly secrets: Secrets;
  /** The trackers asked, each once, in the order given: tracker `t` has the rows `t * hashes … + hashes - 1`. */
  private readonly trackers: TrackerTarget[];
  private readonly waits: RowWait[];
  /** Results as the trackers gave them: announces by row, scrapes by tracker (one answers for every hash). */
  private readonly announces = new Map<number, AnnounceResult>();
  private readonly scrapes = new Map<number, ScrapeResult>();
  private readonly controller = new AbortController();
  private running = true;
  /** Why the run as a whole failed (its options refused, say): the rows it left unanswered say so. */
  private failure: string | undefined;
  private durationMs: number | undefined;
  private wasCancelled = false;

  constructor(
    readonly runId: number,
    readonly request: RunRequest,
    private readonly settings: TrackerSettings,
    /** Whether secrets are shown, asked each time the run is shown (the setting may change meanwhile). */
    private readonly secretsShown: () => boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = Secrets.forTorrent(request.metainfo);
    this.trackers = uniqueTrackers(request.trackers);
    const started = now();
    this.waits = Array.from({ length: this.trackers.length * request.hashes.length }, () => ({ status: 'waiting', since: started }));
  }

  private get hashCount(): number {
    return this.request.hashes.length;
  }

  private showing(): UrlShowing {
    return { secrets: this.secrets, show: this.secretsShown() };
  }

  /** A result as it is shown now: redacted through the torrent's secrets unless they are shown. */
  private shown<T extends TrackerResult>(result: T, showing: UrlShowing): T {
    return showing.show ? result : redactResult(result, this.secrets);
  }

  /** Row `index` as it is shown now. */
  private row(index: number, showing: UrlShowing): TrackerRow {
    const t = Math.floor(index / this.hashCount);
    const h = index % this.hashCount;
    const wait = this.waits[index];
    const base = waitingRow(this.trackers[t], t, this.request.hashes[h], h, this.hashCount, wait.since, (url) => shownUrl(url, showing));
    base.status = wait.status;
    if (this.failure !== undefined) {
      // Not asked, and never will be: a row of a run that failed is not left waiting.
      delete base.since;
      base.status = 'not-contacted';
      base.error = showing.show ? this.failure : this.secrets.redact(this.failure);
    }
    if (this.request.kind === 'announce') {
      const result = this.announces.get(index);
      return result ? announceRow(base, this.shown(result, showing)) : base;
    }
    const result = this.scrapes.get(t);
    return result ? scrapeRow(base, this.shown(result, showing)) : base;
  }

  private rows(indexes: Iterable<number>): TrackerRow[] {
    const showing = this.showing();
    return [...indexes].map((i) => this.row(i, showing));
  }

  /** Whether the torrent's tracker URLs hold secrets (a passkey), which the panel then says it hides. */
  private hasSecrets(): boolean {
    return this.trackers.some((tracker) => this.secrets.hasSecret(tracker.url));
  }

  /** What the webview shows, as of now. */
  view(): RunView {
    const { request } = this;
    const showing = this.showing();
    const rows = this.rows(this.waits.keys());
    const view: RunView = {
      runId: this.runId,
      kind: request.kind,
      source: { torrentUri: request.torrentUri, target: request.target },
      fileName: request.fileName,
      torrentName: showing.show ? request.metainfo.name.text : this.secrets.redact(request.metainfo.name.text),
      infoHash: request.metainfo.infoHash,
      scope: scopeOf(request.target, this.trackers, showing),
      ...(request.kind === 'announce' ? { event: this.settings.event } : {}),
      rows,
      secretsShown: showing.show,
      secretsHidden: !showing.show && this.hasSecrets(),
      running: this.running,
    };
    if (this.durationMs !== undefined) view.durationMs = this.durationMs;
    if (!this.running) view.cancelled = this.wasCancelled;
    return view;
  }

  /**
   * Asks every tracker, tells `emit` of rows as their trackers are asked and answer and of the end
   * (`finished`), and resolves when every tracker is done or the run was cancelled. Never rejects: a
   * failure is logged.
   */
  async start(emit: (event: TrackersHostEvent) => void, log: RunLog): Promise<void> {
    const { request, settings } = this;
    const started = this.now();
    // Rows that changed, sent together once the current burst of answers is handled.
    const changed = new Set<number>();
    let flushing = false;
    const flush = () => {
      flushing = false;
      if (changed.size === 0) return;
      const rows = this.rows([...changed].sort((a, b) => a - b));
      changed.clear();
      emit({ type: 'rows', runId: this.runId, rows, sentAt: this.now() });
    };
    const touch = (indexes: number[]) => {
      for (const i of indexes) changed.add(i);
      if (!flushing) {
        flushing = true;
        queueMicrotask(flush);
      }
    };
    const rowsOf = (trackerIndex: number) => Array.from({ length: this.hashCount }, (_, h) => trackerIndex * this.hashCount + h);
    const onTrackerStart = (place: TrackerPlace) => {
      const asked = this.now();
      const indexes = rowsOf(place.trackerIndex);
      for (const i of indexes) this.waits[i] = { status: 'pending', since: asked };
      touch(indexes);
    };
    const common: RequestOptions = {
      timeoutMs: settings.timeoutMs,
      udpRetryTimeoutMs: settings.udpRetryTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      userAgent: settings.userAgent,
      signal: this.controller.signal,
      log: (level, message) => log(level, message),
      onTrackerStart,
    };
    try {
      if (request.kind === 'announce') {
        const options = {
          ...common,
          event: settings.event,
          numwant: settings.numwant,
          port: settings.port,
          // A hostile torrent's sizes may add up past what the protocol's 64-bit `left` (and a JS number) holds.
          left: settings.left === 'zero' ? 0 : Math.min(request.metainfo.totalLength, Number.MAX_SAFE_INTEGER),
        };
        await announceAll(this.trackers, request.hashes, options, (result, place) => {
          const index = place.trackerIndex * this.hashCount + place.hashIndex;
          this.announces.set(index, result);
          touch([index]);
        });
      } else {
        await scrapeAll(this.trackers, request.hashes, common, (result, place) => {
          this.scrapes.set(place.trackerIndex, result);
          touch(rowsOf(place.trackerIndex));
        });
      }
    } catch (error) {
      this.failure = `the ${request.kind} could not start: ${errorText(error)}`;
      log('error', `${request.kind} failed: ${errorText(error)}`);
    } finally {
      flush();
      this.running = false;
      this.durationMs = this.now() - started;
      this.wasCancelled = this.controller.signal.aborted;
      emit({ type: 'finished', runId: this.runId, durationMs: this.durationMs, cancelled: this.wasCancelled });
      const { counts } = this.progress();
      log(
        'info',
        `${request.kind} of ${request.fileName}: ${outcomeSummary(counts)} in ${formatCount(this.durationMs)} ms${this.wasCancelled ? ' (cancelled)' : ''}`,
      );
    }
  }

  /** Stops every request of the run; the trackers not yet done are reported as cancelled. */
  cancel(): void {
    this.controller.abort();
  }

  /** How many rows have each status. */
  progress(): RunProgress {
    const counts = countOutcomes(this.waits.map((wait, i) => ({ status: this.statusOf(i, wait) })));
    return { counts, total: this.waits.length, done: doneCount(counts) };
  }

  private statusOf(index: number, wait: RowWait): RowStatus {
    const result = this.request.kind === 'announce' ? this.announces.get(index) : this.scrapes.get(Math.floor(index / this.hashCount));
    return result ? result.status : this.failure !== undefined ? 'not-contacted' : wait.status;
  }

  /** The results in the CLI's JSON shape, as shown now (redacted unless secrets are shown), and what that is. */
  json(): { text: string; copied: CopiedJson } {
    const showing = this.showing();
    const infoHash = this.request.metainfo.infoHash;
    const byKey = <R>(map: Map<number, R>) => [...map.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
    const report =
      this.request.kind === 'announce'
        ? announceReportJson(
            infoHash,
            byKey(this.announces).map((r) => this.shown(r, showing)),
          )
        : scrapeReportJson(
            infoHash,
            byKey(this.scrapes).map((r) => this.shown(r, showing)),
          );
    const text = `${JSON.stringify(report, null, 2)}\n`;
    const results = (report.results as unknown[]).length;
    return {
      text,
      copied: { results, bytes: new TextEncoder().encode(text).length, redacted: text.includes(REDACTED) },
    };
  }

  /** The decoded answer behind a row of this run (none for another run's row), as shown now. */
  raw(runId: number, id: string): RawView | null {
    if (runId !== this.runId) return null;
    const index = /^r(\d{1,9})$/.exec(id) ? Number(id.slice(1)) : -1;
    if (index < 0 || index >= this.waits.length) return null;
    // A scrape answers for every hash of a tracker at once: its rows share one answer.
    const result = this.request.kind === 'announce' ? this.announces.get(index) : this.scrapes.get(Math.floor(index / this.hashCount));
    return result ? (this.shown(result, this.showing()).raw ?? null) : null;
  }
}
