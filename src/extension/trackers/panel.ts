// The tracker results panels: one per torrent file and kind of run, so that a scrape keeps the torrent's
// announce results and the other way round. A panel shows a TrackerRun (src/view-model) live in its
// webview and answers the webview's Rerun, Cancel, Copy as JSON, raw answer and Show Log. TrackerPanels
// owns every open panel, so that closing the extension cancels their runs, and places new panels in the
// column the results are already in rather than one more beside it.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import { formatCount, formatSize } from '../../shared/format';
import { Messenger } from '../../shared/messaging';
import type { RunKind, TrackersHostEvent, TrackersHostRequests, TrackersRequests } from '../../shared/protocol/trackers';
import { TrackerRun, type RunProgress, type RunRequest } from '../../view-model/trackers/run';
import { savedRunSource, type SavedRunSource } from '../../view-model/trackers/targets';
import type { Log } from '../log';
import { showSecrets, trackerSettings } from '../settings';
import { WebviewPage, webviewTransport } from '../webview';

export const TRACKERS_VIEW_TYPE = 'torrentLens.trackers';

const panelKey = (kind: RunKind, torrent: vscode.Uri) => `${kind} ${torrent.toString()}`;

/** Every open results panel, by kind and torrent; there is at most one of each kind per torrent. */
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
    // Secrets are redacted when shown, not when received: turning the setting on or off shows the results again.
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('torrentLens.privacy.showSecrets')) return;
        for (const panel of this.panels.values()) panel.showAgain();
      }),
    );
  }

  /** The panel of a torrent's announces or scrapes, created if needed and brought to the front. */
  forTorrent(uri: vscode.Uri, kind: RunKind, title: string): TrackerResultsPanel {
    const existing = this.panels.get(panelKey(kind, uri));
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TRACKERS_VIEW_TYPE, title, {
      viewColumn: this.resultsColumn(),
      preserveFocus: true,
    });
    return this.add(panel, uri, title, kind);
  }

  /**
   * Where a new panel goes: the column that already shows results, or the active one when the user is
   * in a results panel; only otherwise beside the editor, as one more column.
   */
  private resultsColumn(): vscode.ViewColumn {
    for (const panel of this.panels.values()) if (panel.active) return panel.viewColumn ?? vscode.ViewColumn.Active;
    for (const panel of this.panels.values()) if (panel.visible && panel.viewColumn !== undefined) return panel.viewColumn;
    for (const panel of this.panels.values()) if (panel.viewColumn !== undefined) return panel.viewColumn;
    return vscode.ViewColumn.Beside;
  }

  /**
   * A panel VS Code brings back after a reload, with the state its webview saved. The webview shows the
   * last run from that state; Rerun runs the same command on the same torrent and trackers again.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const source = savedRunSource(state);
    const torrent = source ? vscode.Uri.parse(source.torrentUri) : undefined;
    if (source && torrent && this.panels.has(panelKey(source.kind, torrent))) {
      // A panel for this torrent was opened before this one came back: keep one.
      panel.dispose();
      return;
    }
    this.add(panel, torrent, panel.title, source?.kind, source);
  }

  /** The torrent of the results panel the user is in, if they are in one. */
  activeTorrent(): vscode.Uri | undefined {
    for (const panel of this.panels.values()) if (panel.active && panel.torrent) return panel.torrent;
    return undefined;
  }

  private add(
    panel: vscode.WebviewPanel,
    torrent: vscode.Uri | undefined,
    title: string,
    kind: RunKind | undefined,
    restored?: SavedRunSource,
  ): TrackerResultsPanel {
    // A panel that knows no torrent (restored from a state that named none) gets a key of its own.
    const key = torrent && kind ? panelKey(kind, torrent) : `restored:${this.nextUnknownKey++}`;
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

  get visible(): boolean {
    return this.panel.visible;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private answerRequests(): void {
    this.messenger.onRequest(
      {
        ready: () => {
          this.ready = true;
          return this.run?.view() ?? null;
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
          const { text, copied } = this.run?.json() ?? { text: '{}\n', copied: { results: 0, bytes: 3, redacted: false } };
          await vscode.env.clipboard.writeText(text);
          void vscode.window.setStatusBarMessage(
            vscode.l10n.t('Copied {0} tracker results as JSON ({1})', formatCount(copied.results), formatSize(copied.bytes)),
            3000,
          );
          return copied;
        },
        getRaw: (request) => this.run?.raw(request.runId, request.rowId) ?? null,
        showLog: () => this.log.show(),
      },
      (type, error) => this.log.debug(`tracker panel: ${type} failed: ${error.message}`),
    );
  }

  private emit(event: TrackersHostEvent): void {
    if (this.ready) this.messenger.emit(event);
  }

  /** Shows the current run again as it is now (after the secrets setting changed, say), keeping what is open. */
  showAgain(): void {
    if (this.run) this.emit({ type: 'run', run: this.run.view(), sentAt: Date.now() });
  }

  /** Starts a run (cancelling the one before), shows it live, and resolves when every tracker is done. */
  start(request: RunRequest): Promise<void> {
    this.run?.cancel();
    const settings = trackerSettings((problem) => this.log.warn(problem));
    const run = new TrackerRun(this.context.nextRunId(), request, settings, showSecrets);
    this.run = run;
    this.panel.title = runTitle(request.kind, request.fileName);
    this.emit({ type: 'run', run: run.view(), sentAt: Date.now() });
    return run.start(
      (event) => this.emit(event),
      (level, message) => this.log[level](message, run.secrets),
    );
  }

  /** Cancels the current run. */
  cancel(): void {
    this.run?.cancel();
  }

  /** How many rows of the current run have each status. */
  progress(): RunProgress | undefined {
    return this.run?.progress();
  }
}

/** A results panel's title: `Announce: a.torrent`, `Scrape: a.torrent`. */
export function runTitle(kind: RunKind, fileName: string): string {
  return kind === 'announce' ? vscode.l10n.t('Announce: {0}', fileName) : vscode.l10n.t('Scrape: {0}', fileName);
}
