// The probe panels: one webview per magnet link or torrent, showing its SwarmSession (src/view-model/peers) live.
// A panel answers the webview's requests for rows, details, sorting, peers added by hand, cancel, rerun, Copy as
// JSON, and (for a magnet) opening or saving the torrent made. ProbePanels owns every open panel, so that closing
// the extension cancels their runs.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../shared/disposable';
import { Messenger } from '../../shared/messaging';
import type { ProbeHostEvent, ProbeHostRequests, ProbePanelState, ProbeRequests } from '../../shared/protocol/probe';
import type { SwarmSession } from '../../view-model/peers/session';
import type { Log } from '../log';
import { WebviewPage, webviewTransport } from '../webview';

export const PROBE_VIEW_TYPE = 'torrentLens.probe';

/** How long an editor waits for a new panel to be placed before it opens beside the active group. */
const PLACEMENT_WAIT_MS = 2000;

/** How often, at most, a running session's state is sent to the webview. */
const STATE_INTERVAL_MS = 150;

/** What a panel's session is about, and what its buttons do beyond the session. */
export interface PanelSubject {
  /** One panel per key: a torrent's URI, or `magnet:` and the info hash. */
  key: string;
  title: string;
  /** The torrent the panel probes, for commands run from the palette while it is active. */
  torrent?: vscode.Uri;
  /** A new session for Rerun (a fresh model, the same settings and consent). */
  rerun(runId: number): SwarmSession;
  openTorrent?(): Promise<void>;
  saveTorrent?(): Promise<void>;
}

export class ProbePanels extends Disposable {
  private readonly panels = new Map<string, ProbePanel>();
  private nextRunId = 1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {
    super();
    this.register(
      toDisposable(() => {
        for (const panel of [...this.panels.values()]) panel.dispose();
      }),
    );
  }

  /** A run id for a new session. */
  runId(): number {
    return this.nextRunId++;
  }

  /** The subject's panel, created if needed and brought to the front. */
  panelFor(subject: PanelSubject): ProbePanel {
    const open = this.panels.get(subject.key);
    if (open) {
      open.reveal();
      return open;
    }
    const webviewPanel = vscode.window.createWebviewPanel(PROBE_VIEW_TYPE, subject.title, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: false,
    });
    const panel = new ProbePanel(
      this.extensionUri,
      this.log,
      webviewPanel,
      subject,
      () => this.runId(),
      () => this.panels.delete(subject.key),
    );
    this.panels.set(subject.key, panel);
    return panel;
  }

  /** A column for an editor that leaves the subject's panel in view, once the panel has its place. */
  async columnBeside(key: string): Promise<vscode.ViewColumn> {
    const panel = this.panels.get(key);
    if (!panel) return vscode.ViewColumn.Beside;
    await panel.placed();
    return panel.columnBeside;
  }

  /** The torrent of the probe panel the user is in, if they are in one. */
  activeTorrent(): vscode.Uri | undefined {
    for (const panel of this.panels.values()) if (panel.active && panel.subject.torrent) return panel.subject.torrent;
    return undefined;
  }
}

export class ProbePanel extends Disposable {
  private readonly messenger: Messenger<ProbeHostRequests, ProbeRequests, ProbeHostEvent, never>;
  private session: SwarmSession | undefined;
  /** Whether the webview asked for the state: events before that would find no one listening. */
  private ready = false;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly panel: vscode.WebviewPanel,
    public subject: PanelSubject,
    private readonly nextRunId: () => number,
    closed: () => void,
  ) {
    super();
    this.register(new WebviewPage(panel.webview, extensionUri, { bundle: 'probe', title: subject.title }, log));
    this.messenger = this.register(new Messenger(webviewTransport(panel.webview)));
    this.answerRequests();
    this.register(toDisposable(() => this.session?.cancel()));
    this.register(toDisposable(() => clearTimeout(this.stateTimer)));
    this.register(toDisposable(closed));
    // Closed by the user, or disposed with the extension: either way the other goes too.
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel);
  }

  get active(): boolean {
    return this.panel.active;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /**
   * Resolves once VS Code has put the panel in an editor group (a panel just created has none for a moment), or
   * after PLACEMENT_WAIT_MS.
   */
  placed(): Promise<void> {
    if (this.panel.viewColumn !== undefined || this.isDisposed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      };
      const timer = setTimeout(done, PLACEMENT_WAIT_MS);
      const listener = this.panel.onDidChangeViewState(() => {
        if (this.panel.viewColumn !== undefined) done();
      });
    });
  }

  /** A column to open an editor in without covering this panel (which would unload its webview). */
  get columnBeside(): vscode.ViewColumn {
    const column = this.panel.viewColumn;
    // Not placed yet (just created, not shown): beside the active group, which is the panel's.
    if (column === undefined) return vscode.ViewColumn.Beside;
    return column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  /** Shows a new session (cancelling the one before) and starts it. Resolves when its main run ends. */
  begin(session: SwarmSession, subject: PanelSubject): Promise<void> {
    this.session?.cancel();
    this.session = session;
    this.subject = subject;
    this.panel.title = subject.title;
    session.onChange(() => this.scheduleState());
    const started = session.start();
    this.sendState();
    return started;
  }

  /** The session shown (to read its progress for a notification). */
  get current(): SwarmSession | undefined {
    return this.session;
  }

  private answerRequests(): void {
    const same = (runId: number) => this.session !== undefined && this.session.runId === runId;
    this.messenger.onRequest(
      {
        ready: () => {
          this.ready = true;
          return this.session?.state() ?? null;
        },
        rows: (request) => {
          if (!this.session || !same(request.runId)) return { version: -1, total: 0, start: request.start, rows: [] };
          return this.session.rows(request.list === 'files' ? 'files' : 'peers', request.start, request.count);
        },
        details: (request) => (this.session && same(request.runId) ? this.session.details(String(request.id)) : null),
        setSort: (request) => this.session?.setSort(request.sort),
        addPeers: (request) => {
          if (!this.session) return { added: 0, errors: ['nothing is shown'] };
          const answer = this.session.addPeers(String(request.text).slice(0, 64 * 1024));
          if (answer.added > 0) this.log.info(`probe panel: ${answer.added} peers added by hand`);
          return answer;
        },
        cancel: () => this.session?.cancel(),
        rerun: () => {
          if (!this.session || this.session.running) return;
          void this.begin(this.subject.rerun(this.nextRunId()), this.subject);
        },
        copyJson: async () => {
          await vscode.env.clipboard.writeText(this.session?.json() ?? '{}');
          void vscode.window.setStatusBarMessage(vscode.l10n.t('Torrent Lens: copied the results as JSON'), 3000);
        },
        openTorrent: async () => this.subject.openTorrent?.(),
        saveTorrent: async () => this.subject.saveTorrent?.(),
        showLog: () => this.log.show(),
      },
      (type, error) => this.log.debug(`probe panel: ${type} failed: ${error.message}`),
    );
  }

  /** Sends the state now if it has not been sent for a while, else once the interval has passed. */
  private scheduleState(): void {
    if (this.stateTimer !== undefined) return;
    const wait = Math.max(0, STATE_INTERVAL_MS - (Date.now() - this.lastSent));
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.sendState();
    }, wait);
  }

  private sendState(): void {
    if (!this.ready || !this.session) return;
    this.lastSent = Date.now();
    const state: ProbePanelState = this.session.state();
    this.messenger.emit({ type: 'state', state });
  }
}
