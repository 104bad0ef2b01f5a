// The tracker results panels: one per torrent file. A panel shows a TrackerRun (src/view-model) live in
// its webview and answers the webview's Rerun, Cancel, Copy as JSON, raw answer and Show Log. TrackerPanels
// owns every open panel, so that closing the extension cancels their runs.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import { Messenger } from '../../shared/messaging';
import type { TrackersHostEvent, TrackersHostRequests, TrackersRequests } from '../../shared/protocol/trackers';
import { TrackerRun, type RunRequest } from '../../view-model/trackers/run';
import { savedRunSource, type SavedRunSource } from '../../view-model/trackers/targets';
import type { Log } from '../log';
import { showSecrets, trackerSettings } from '../settings';
import { WebviewPage, webviewTransport } from '../webview';

export const TRACKERS_VIEW_TYPE = 'torrentLens.trackers';

/** Every open results panel, by torrent; there is at most one per torrent. */
export class TrackerPanels extends Disposable {
  private readonly panels = new Map<string, TrackerResultsPanel>();
  private nextRunId = 1;
  private nextUnknownKey = 1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {
    super();
    // Closing a panel cancels its run.
    this.register(
      toDisposable(() => {
        for (const panel of [...this.panels.values()]) panel.dispose();
      }),
    );
  }

  /** The panel of a torrent, created if needed and brought to the front. */
  forTorrent(uri: vscode.Uri, title: string): TrackerResultsPanel {
    const existing = this.panels.get(uri.toString());
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TRACKERS_VIEW_TYPE, title, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    return this.add(panel, uri, title);
  }

  /**
   * A panel VS Code brings back after a reload, with the state its webview saved. The webview shows the
   * last run from that state; Rerun runs the same command on the same torrent and trackers again.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const source = savedRunSource(state);
    const torrent = source ? vscode.Uri.parse(source.torrentUri) : undefined;
    if (torrent && this.panels.has(torrent.toString())) {
      // A panel for this torrent was opened before this one came back: keep one.
      panel.dispose();
      return;
    }
    this.add(panel, torrent, panel.title, source);
  }

  /** The torrent of the results panel the user is in, if they are in one. */
  activeTorrent(): vscode.Uri | undefined {
    for (const panel of this.panels.values()) if (panel.active && panel.torrent) return panel.torrent;
    return undefined;
  }

  private add(panel: vscode.WebviewPanel, torrent: vscode.Uri | undefined, title: string, restored?: SavedRunSource): TrackerResultsPanel {
    // A panel that knows no torrent (restored from a state that named none) gets a key of its own.
    const key = torrent?.toString() ?? `restored:${this.nextUnknownKey++}`;
    const created = new TrackerResultsPanel(this.extensionUri, this.log, panel, torrent, title, {
      nextRunId: () => this.nextRunId++,
      closed: () => this.panels.delete(key),
      restored,
    });
    this.panels.set(key, created);
    return created;
  }
}

interface PanelContext {
  nextRunId(): number;
  closed(): void;
  /** For a panel restored after a reload: what its last run asked, to run again on Rerun. */
  restored: SavedRunSource | undefined;
}

export class TrackerResultsPanel extends Disposable {
  private readonly messenger: Messenger<TrackersHostRequests, TrackersRequests, TrackersHostEvent, never>;
  /** Whether the webview asked for the current run: events before that would find no one listening. */
  private ready = false;
  private run?: TrackerRun;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly panel: vscode.WebviewPanel,
    /** The torrent this panel reports on; unknown for a restored panel whose saved state named none. */
    readonly torrent: vscode.Uri | undefined,
    title: string,
    private readonly context: PanelContext,
  ) {
    super();
    this.register(new WebviewPage(panel.webview, extensionUri, { bundle: 'trackers', title }, log));
    this.messenger = this.register(new Messenger(webviewTransport(panel.webview)));
    this.answerRequests();
    this.register(toDisposable(() => this.run?.cancel()));
    this.register(toDisposable(() => context.closed()));
    // Closed by the user, or disposed with the extension: either way the other goes too.
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel);
  }

  get active(): boolean {
    return this.panel.active;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private answerRequests(): void {
    this.messenger.onRequest(
      {
        ready: () => {
          this.ready = true;
          return this.run?.view ?? null;
        },
        rerun: () => {
          const restored = this.context.restored;
          if (this.run) void this.start(this.run.request);
          else if (restored && this.torrent) {
            // Through the command, so the torrent is read again and an announce asks for consent as usual.
            void vscode.commands.executeCommand(`torrentLens.${restored.kind}`, this.torrent, restored.target);
          }
        },
        cancel: () => this.cancel(),
        copyJson: async () => {
          await vscode.env.clipboard.writeText(this.run?.json(showSecrets()) ?? '{}');
          void vscode.window.setStatusBarMessage('Tracker results copied as JSON', 3000);
        },
        getRaw: (request) => this.run?.raw(request.runId, request.rowId, showSecrets()) ?? null,
        showLog: () => this.log.show(),
      },
      (type, error) => this.log.debug(`tracker panel: ${type} failed: ${error.message}`),
    );
  }

  private emit(event: TrackersHostEvent): void {
    if (this.ready) this.messenger.emit(event);
  }

  /** Starts a run (cancelling the one before), shows it live, and resolves when every tracker is done. */
  start(request: RunRequest): Promise<void> {
    this.run?.cancel();
    const run = new TrackerRun(this.context.nextRunId(), request, trackerSettings(), showSecrets());
    this.run = run;
    this.panel.title = `${request.kind === 'announce' ? 'Announce' : 'Scrape'}: ${request.fileName}`;
    this.emit({ type: 'run', run: run.view });
    return run.start(
      (event) => this.emit(event),
      (level, message) => this.log[level](message),
    );
  }

  /** Cancels the current run. */
  cancel(): void {
    this.run?.cancel();
  }

  /** How many rows of the current run have a status other than pending. */
  progress(): { done: number; total: number; working: number } {
    return this.run?.progress() ?? { done: 0, total: 0, working: 0 };
  }
}
