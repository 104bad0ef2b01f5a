// The tracker results panel: one per torrent file. It runs announces and scrapes through the core (all
// trackers at once), shows each answer the moment it arrives, and offers Rerun, Cancel and Copy as JSON.
import * as vscode from 'vscode';
import type { Metainfo } from '../../core/metainfo/types';
import {
  announceAll,
  announceReportJson,
  redactResult,
  scrapeAll,
  scrapeReportJson,
  type AnnounceEventMode,
  type AnnounceResult,
  type InfoHashTarget,
  type ScrapeResult,
  type TrackerTarget,
} from '../../core/tracker';
import { Messenger } from '../../shared/messaging';
import type {
  RawView,
  RunKind,
  RunTarget,
  RunView,
  TrackerRow,
  TrackersHostEvent,
  TrackersHostRequests,
  TrackersRequests,
} from '../../shared/protocol/trackers';
import type { Log } from '../log';
import { showSecrets, trackerSettings } from '../settings';
import { showWebviewPage, webviewTransport } from '../webviewHtml';
import { announceRow, pendingRows, rowId, scrapeRows } from '../../view-model/trackers/rows';
import { savedRunSource, type SavedRunSource } from '../../view-model/trackers/targets';

export interface RunRequest {
  kind: RunKind;
  uri: vscode.Uri;
  fileName: string;
  metainfo: Metainfo;
  trackers: TrackerTarget[];
  hashes: InfoHashTarget[];
  /** What the user chose, for the panel's subtitle: `all trackers`, `tier 2`, a (redacted) URL. */
  scope: string;
  /** The same choice for a later run (a restored panel's Rerun). */
  target: RunTarget;
}

interface ActiveRun {
  request: RunRequest;
  view: RunView;
  /** Results by row id (announce) or by tracker index (scrape), unredacted: JSON and raw are made on demand. */
  announces: Map<string, AnnounceResult>;
  scrapes: Map<number, ScrapeResult>;
  controller: AbortController;
  done: Promise<void>;
}

export const TRACKERS_VIEW_TYPE = 'torrentLens.trackers';

export class TrackerResultsPanel {
  private static readonly panels = new Map<string, TrackerResultsPanel>();
  private static nextRunId = 1;
  private static nextUnknownKey = 1;

  /** The panel of a torrent, created if needed and brought to the front. */
  static forTorrent(context: vscode.ExtensionContext, log: Log, uri: vscode.Uri, title: string): TrackerResultsPanel {
    const key = uri.toString();
    const existing = TrackerResultsPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TRACKERS_VIEW_TYPE, title, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    const created = new TrackerResultsPanel(context.extensionUri, log, panel, uri, title);
    TrackerResultsPanel.panels.set(key, created);
    return created;
  }

  /**
   * A panel VS Code brings back after a reload, with the state its webview saved. The webview shows the
   * last run from that state; Rerun runs the same command on the same torrent and trackers again.
   */
  static restore(context: vscode.ExtensionContext, log: Log, panel: vscode.WebviewPanel, state: unknown): void {
    const source = savedRunSource(state);
    const torrent = source ? vscode.Uri.parse(source.torrentUri) : undefined;
    if (torrent && TrackerResultsPanel.panels.has(torrent.toString())) {
      // A panel for this torrent was opened before this one came back: keep one.
      panel.dispose();
      return;
    }
    const restored = new TrackerResultsPanel(context.extensionUri, log, panel, torrent, panel.title);
    restored.restoredSource = source;
    TrackerResultsPanel.panels.set(restored.key, restored);
  }

  /** The torrent of the results panel the user is in, if they are in one. */
  static activeTorrent(): vscode.Uri | undefined {
    for (const panel of TrackerResultsPanel.panels.values()) if (panel.panel.active && panel.torrent) return panel.torrent;
    return undefined;
  }

  /** Cancels every run (extension shutdown). */
  static disposeAll(): void {
    for (const panel of [...TrackerResultsPanel.panels.values()]) panel.panel.dispose();
  }

  private readonly messenger: Messenger<TrackersHostRequests, TrackersRequests, TrackersHostEvent, never>;
  private ready = false;
  private run?: ActiveRun;
  /** For a panel restored after a reload: what its last run asked, to run again on Rerun. */
  private restoredSource?: SavedRunSource;
  /** Its entry in `panels`: the torrent's URI, or a key of its own for a panel that knows no torrent. */
  private readonly key: string;

  private constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly panel: vscode.WebviewPanel,
    /** The torrent this panel reports on; unknown for a restored panel whose saved state named none. */
    private readonly torrent: vscode.Uri | undefined,
    title: string,
  ) {
    this.key = torrent?.toString() ?? `restored:${TrackerResultsPanel.nextUnknownKey++}`;
    const webview = panel.webview;
    showWebviewPage(panel, extensionUri, { bundle: 'trackers', title }, log);
    this.messenger = new Messenger(webviewTransport(webview));
    this.messenger.onRequest(
      {
        ready: () => {
          this.ready = true;
          return this.run?.view ?? null;
        },
        rerun: () => {
          if (this.run) void this.start(this.run.request);
          else if (this.restoredSource && this.torrent) {
            // Through the command, so the torrent is read again and an announce asks for consent as usual.
            void vscode.commands.executeCommand(`torrentLens.${this.restoredSource.kind}`, this.torrent, this.restoredSource.target);
          }
        },
        cancel: () => this.cancel(),
        copyJson: async () => {
          await vscode.env.clipboard.writeText(this.json());
          void vscode.window.setStatusBarMessage('Tracker results copied as JSON', 3000);
        },
        getRaw: (request) => this.raw(request.runId, request.rowId),
        showLog: () => this.log.show(),
      },
      (type, error) => log.debug(`tracker panel: ${type} failed: ${error.message}`),
    );
    panel.onDidDispose(() => {
      this.run?.controller.abort();
      this.messenger.dispose();
      TrackerResultsPanel.panels.delete(this.key);
    });
  }

  private emit(event: TrackersHostEvent): void {
    if (this.ready) this.messenger.emit(event);
  }

  /** Starts a run (cancelling the one before), shows it live, and resolves when every tracker is done. */
  start(request: RunRequest): Promise<void> {
    this.run?.controller.abort();
    const settings = trackerSettings();
    const secrets = showSecrets();
    const runId = TrackerResultsPanel.nextRunId++;
    const controller = new AbortController();
    const event: AnnounceEventMode = settings.event;
    const view: RunView = {
      runId,
      kind: request.kind,
      source: { torrentUri: request.uri.toString(), target: request.target },
      fileName: request.fileName,
      torrentName: request.metainfo.name.text,
      infoHash: request.metainfo.infoHash,
      scope: request.scope,
      ...(request.kind === 'announce' ? { event } : {}),
      rows: pendingRows(request.trackers, request.hashes, secrets),
      running: true,
    };
    const run: ActiveRun = { request, view, announces: new Map(), scrapes: new Map(), controller, done: Promise.resolve() };
    this.run = run;
    this.panel.title = `${request.kind === 'announce' ? 'Announce' : 'Scrape'}: ${request.fileName}`;
    this.emit({ type: 'run', run: view });

    const update = (rows: TrackerRow[]) => {
      for (const row of rows) {
        const index = view.rows.findIndex((r) => r.id === row.id);
        if (index >= 0) view.rows[index] = row;
      }
      this.emit({ type: 'rows', runId, rows });
    };
    const common = {
      timeoutMs: settings.timeoutMs,
      udpRetryTimeoutMs: settings.udpRetryTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      userAgent: settings.userAgent,
      signal: controller.signal,
      log: (level: 'info' | 'debug' | 'warn', message: string) => this.log[level](message),
    };
    const trackerIndex = new Map(request.trackers.map((t, i) => [t.url.trim(), i]));
    const hashIndex = new Map(request.hashes.map((h, i) => [`${h.kind}:${h.hex}`, i]));
    const started = Date.now();

    const work = async () => {
      if (request.kind === 'announce') {
        await announceAll(
          request.trackers,
          request.hashes,
          {
            ...common,
            event,
            numwant: settings.numwant,
            port: settings.port,
            left: settings.left === 'zero' ? 0 : request.metainfo.totalLength,
          },
          (result) => {
            const id = rowId(
              trackerIndex.get(result.tracker) ?? 0,
              hashIndex.get(`${result.hashKind}:${result.hash}`) ?? 0,
              request.hashes.length,
            );
            run.announces.set(id, result);
            const base = view.rows.find((r) => r.id === id);
            if (base) update([announceRow(base, result, secrets)]);
          },
        );
      } else {
        await scrapeAll(request.trackers, request.hashes, common, (result) => {
          const t = trackerIndex.get(result.tracker) ?? 0;
          run.scrapes.set(t, result);
          const bases = request.hashes.map((_, h) => view.rows.find((r) => r.id === rowId(t, h, request.hashes.length))!).filter(Boolean);
          update(scrapeRows(bases, result, secrets));
        });
      }
    };
    run.done = work()
      .catch((error: unknown) => {
        this.log.error(`${request.kind} failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        view.running = false;
        view.durationMs = Date.now() - started;
        view.cancelled = controller.signal.aborted;
        this.emit({ type: 'finished', runId, durationMs: view.durationMs, cancelled: view.cancelled });
        const answered = view.rows.filter((r) => r.status === 'working').length;
        this.log.info(
          `${request.kind} of ${request.fileName}: ${answered} of ${view.rows.length} answered in ${view.durationMs} ms${view.cancelled ? ' (cancelled)' : ''}`,
        );
      });
    return run.done;
  }

  /** Cancels the current run. */
  cancel(): void {
    this.run?.controller.abort();
  }

  /** How many rows of the current run have a status other than pending. */
  progress(): { done: number; total: number; working: number } {
    const rows = this.run?.view.rows ?? [];
    return {
      done: rows.filter((r) => r.status !== 'pending').length,
      total: rows.length,
      working: rows.filter((r) => r.status === 'working').length,
    };
  }

  /** The current run in the CLI's JSON shape, redacted as the user chose. */
  private json(): string {
    const run = this.run;
    if (!run) return '{}';
    const secrets = showSecrets();
    const infoHash = run.request.metainfo.infoHash;
    const report =
      run.request.kind === 'announce'
        ? announceReportJson(
            infoHash,
            [...run.announces.entries()]
              .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
              .map(([, r]) => redactResult(r, secrets)),
          )
        : scrapeReportJson(
            infoHash,
            [...run.scrapes.entries()].sort(([a], [b]) => a - b).map(([, r]) => redactResult(r, secrets)),
          );
    return `${JSON.stringify(report, null, 2)}\n`;
  }

  private raw(runId: number, id: string): RawView | null {
    const run = this.run;
    if (!run || run.view.runId !== runId) return null;
    const secrets = showSecrets();
    if (run.request.kind === 'announce') {
      const result = run.announces.get(id);
      return result ? (redactResult(result, secrets).raw ?? null) : null;
    }
    const index = Math.floor(Number(id.slice(1)) / run.request.hashes.length);
    const result = run.scrapes.get(index);
    return result ? (redactResult(result, secrets).raw ?? null) : null;
  }
}
