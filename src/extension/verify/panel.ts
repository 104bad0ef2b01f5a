// The Verify panel of a torrent, beside its editor: it runs a VerifySession (src/view-model) with a
// cancellable progress notification, shows it live in its webview and answers the webview's requests
// (rows in view, the piece map, Verify Again, Choose Folder, Copy as JSON). VerifyPanels owns every open
// panel, one per torrent, so that closing the extension cancels their runs.
import * as vscode from 'vscode';
import { HashPool } from '../../core/hashing/pool';
import { Disposable, toDisposable } from '../../shared/disposable';
import { formatSize } from '../../shared/format';
import { Messenger } from '../../shared/messaging';
import type { VerifyHostEvent, VerifyHostRequests, VerifyRequests } from '../../shared/protocol/verify';
import { VerifySession, type VerifyRequest } from '../../view-model/verify/session';
import { notificationText } from '../../view-model/notification-text';
import type { Log } from '../log';
import { WebviewPage, webviewTransport } from '../webview';

export const VERIFY_VIEW_TYPE = 'torrentLens.verify';

/** What a panel asks of the command: another folder for the same torrent. */
export type ChooseFolder = (torrent: vscode.Uri) => Promise<void>;

export class VerifyPanels extends Disposable {
  private readonly panels = new Map<string, VerifyPanel>();
  private nextRunId = 1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly chooseFolder: ChooseFolder,
  ) {
    super();
    this.register(toDisposable(() => [...this.panels.values()].forEach((panel) => panel.dispose())));
  }

  /** The panel of a torrent, created beside its editor if needed, brought to the front. */
  forTorrent(torrent: vscode.Uri, fileName: string): VerifyPanel {
    const key = torrent.toString();
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    const webviewPanel = vscode.window.createWebviewPanel(VERIFY_VIEW_TYPE, vscode.l10n.t('Verify: {0}', fileName), {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    const panel = new VerifyPanel(this.extensionUri, this.log, webviewPanel, torrent, {
      nextRunId: () => this.nextRunId++,
      closed: () => this.panels.delete(key),
      chooseFolder: () => this.chooseFolder(torrent),
    });
    this.panels.set(key, panel);
    return panel;
  }
}

interface PanelContext {
  nextRunId(): number;
  closed(): void;
  chooseFolder(): Promise<void>;
}

export class VerifyPanel extends Disposable {
  private readonly messenger: Messenger<VerifyHostRequests, VerifyRequests, VerifyHostEvent, never>;
  /** Whether the webview asked for the current run: events before that would find no one listening. */
  private ready = false;
  private session: VerifySession | undefined;
  private readonly pool = new HashPool();

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly panel: vscode.WebviewPanel,
    readonly torrent: vscode.Uri,
    private readonly context: PanelContext,
  ) {
    super();
    this.register(new WebviewPage(panel.webview, extensionUri, { bundle: 'verify', title: panel.title }, log));
    this.messenger = this.register(new Messenger(webviewTransport(panel.webview)));
    this.answerRequests();
    this.register(
      toDisposable(() => {
        this.session?.cancel();
        void this.pool.close();
      }),
    );
    this.register(toDisposable(() => context.closed()));
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel);
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private answerRequests(): void {
    const current = (runId: number) => {
      if (!this.session || this.session.runId !== runId) throw new Error('that check is no longer shown');
      return this.session;
    };
    this.messenger.onRequest(
      {
        ready: () => {
          this.ready = true;
          return this.session?.view ?? null;
        },
        rows: (r) => current(r.runId).rows(r.filter, r.start, r.count),
        pieceMap: (r) => current(r.runId).pieceMap(r.cells),
        pieceCell: (r) => current(r.runId).pieceCell(r.cells, r.cell),
        rerun: () => {
          if (this.session && !this.session.running) void this.start(this.session.request);
        },
        cancel: () => this.session?.cancel(),
        chooseFolder: () => this.context.chooseFolder(),
        copyJson: async () => {
          await vscode.env.clipboard.writeText(this.session?.json() ?? '{}');
          vscode.window.setStatusBarMessage(vscode.l10n.t('Torrent Lens: verify result copied as JSON'), 3000);
        },
      },
      (type, error) => this.log.debug(`verify panel: ${type} failed: ${error.message}`),
    );
  }

  private emit(event: VerifyHostEvent): void {
    if (this.ready) this.messenger.emit(event);
  }

  /** Checks the data (cancelling a check still running), live in the panel and in a notification. */
  async start(request: VerifyRequest): Promise<void> {
    this.session?.cancel();
    const session = new VerifySession(this.context.nextRunId(), request);
    this.session = session;
    this.emit({ type: 'run', run: session.view });
    this.log.info(`verify ${request.fileName} against ${request.dataPath}`);
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Verifying {0}', notificationText(request.fileName)),
        cancellable: true,
      },
      async (notification, token) => {
        token.onCancellationRequested(() => session.cancel());
        let reported = 0;
        await session.start(
          this.pool,
          (event) => this.emit(event),
          (p) => {
            if (p.phase === 'listing') return notification.report({ message: vscode.l10n.t('looking at the files…') });
            const share = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 100;
            notification.report({
              increment: share - reported,
              message: vscode.l10n.t('{0}% of {1}', Math.floor(share), formatSize(p.bytesTotal)),
            });
            reported = share;
          },
        );
      },
    );
    const view = session.view;
    if (view.state === 'failed') {
      this.log.error(`verify ${request.fileName}: ${view.error}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Torrent Lens could not verify {0}: {1}', notificationText(request.fileName), notificationText(view.error ?? '')),
      );
    } else if (view.summary) {
      const s = view.summary;
      this.log.info(
        `verify ${request.fileName}: ${s.complete ? 'complete' : `${s.goodPieces} of ${view.pieceCount} pieces good`} in ${Math.round(s.elapsedMs)} ms`,
      );
    }
  }
}
