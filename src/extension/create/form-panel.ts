// The Create Torrent form: one webview panel per file or folder. It answers the form's checks (the view
// model's, with a preview from listing the files on the hashing threads, again whenever the hidden,
// exclude or symlink choices change), asks where to save, makes the torrent with a cancellable progress
// notification, writes it in one step and opens it in the Torrent Lens editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createTorrent, listContent, type ContentListing } from '../../core/create/create';
import { writeFileAtomic } from '../../core/create/write-file';
import { HashPool } from '../../core/hashing/pool';
import { Disposable, toDisposable } from '../../shared/disposable';
import { errorText, formatSize, formatTimeLeft } from '../../shared/format';
import { Messenger } from '../../shared/messaging';
import type {
  CreateCheck,
  CreateFormInit,
  CreateFormState,
  CreateHostEvent,
  CreateHostRequests,
  CreateProgress,
  CreateRequests,
} from '../../shared/protocol/create';
import { checkForm, createOptionsOf, defaultFormState, listingKey, PIECE_LENGTH_CHOICES, previewOf } from '../../view-model/create/form';
import { notificationText } from '../../view-model/notification-text';
import type { Log } from '../log';
import { WebviewPage, webviewTransport } from '../webview';

export const CREATE_VIEW_TYPE = 'torrentLens.createTorrent';
const EDITOR_VIEW_TYPE = 'torrentLens.editor';

export interface CreateSource {
  uri: vscode.Uri;
  kind: 'file' | 'folder';
}

export class CreateTorrentForm extends Disposable {
  private readonly messenger: Messenger<CreateHostRequests, CreateRequests, CreateHostEvent, never>;
  private readonly name: string;
  /** The form as last seen: what a reloaded webview shows again. */
  private state: CreateFormState;
  /** The hashing threads: listing for the preview, then hashing. */
  private readonly pool = new HashPool();
  private listing: { key: string; result?: ContentListing; error?: string; controller: AbortController } | undefined;
  private making: AbortController | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
    readonly panel: vscode.WebviewPanel,
    readonly source: CreateSource,
  ) {
    super();
    this.name = path.basename(source.uri.fsPath);
    this.state = defaultFormState(this.name);
    this.register(
      new WebviewPage(panel.webview, extensionUri, { bundle: 'create', title: vscode.l10n.t('Create Torrent: {0}', this.name) }, log),
    );
    this.messenger = this.register(new Messenger(webviewTransport(panel.webview)));
    this.answerRequests();
    this.register(
      toDisposable(() => {
        this.listing?.controller.abort();
        this.making?.abort();
        void this.pool.close();
      }),
    );
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel);
  }

  reveal(): void {
    this.panel.reveal();
  }

  private answerRequests(): void {
    this.messenger.onRequest(
      {
        ready: (): CreateFormInit => ({
          source: { path: this.source.uri.fsPath, kind: this.source.kind, name: this.name },
          state: this.state,
          pieceLengths: [...PIECE_LENGTH_CHOICES],
        }),
        check: (request) => {
          this.state = request.state;
          return this.check(request.state);
        },
        create: async (request) => {
          this.state = request.state;
          await this.create(request.state);
        },
        close: () => this.dispose(),
      },
      (type, error) => this.log.debug(`create form: ${type} failed: ${error.message}`),
    );
  }

  /** The form's problems and the preview; a new listing starts when the choices that shape it changed. */
  private check(state: CreateFormState): CreateCheck {
    const key = listingKey(state);
    if (this.listing?.key !== key) this.list(state, key);
    const listing = this.listing;
    return {
      problems: checkForm(state),
      preview: listing?.result
        ? previewOf(listing.result, state.version)
        : listing?.error
          ? { state: 'failed', message: listing.error }
          : { state: 'listing' },
    };
  }

  private list(state: CreateFormState, key: string): void {
    this.listing?.controller.abort();
    const controller = new AbortController();
    const listing: NonNullable<typeof this.listing> = { key, controller };
    this.listing = listing;
    const options = createOptionsOf(state, this.source.uri.fsPath);
    listContent({ ...options, pool: this.pool, signal: controller.signal })
      .then(
        (result) => {
          listing.result = result;
          if (result.fileCount === 0) listing.error = 'nothing to put in a torrent: no files, or every one left out';
          else if (result.totalLength === 0) listing.error = 'every file is empty: a torrent needs data';
        },
        (error: unknown) => (listing.error = errorText(error)),
      )
      .finally(() => {
        // Only the latest listing speaks: an older one finishing late would show a stale preview.
        if (this.listing === listing && !controller.signal.aborted) this.messenger.emit({ type: 'preview', check: this.check(this.state) });
      });
  }

  private progress(progress: CreateProgress): void {
    this.messenger.emit({ type: 'progress', progress });
  }

  private async create(state: CreateFormState): Promise<void> {
    if (this.making) return;
    const problems = checkForm(state);
    if (Object.keys(problems).length > 0) throw new Error('some fields need fixing first');
    this.progress({ state: 'choosing' });
    const parent = vscode.Uri.file(path.dirname(this.source.uri.fsPath));
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(parent, `${state.name}.torrent`),
      filters: { [vscode.l10n.t('Torrents')]: ['torrent'] },
      saveLabel: vscode.l10n.t('Create Torrent'),
      title: vscode.l10n.t('Save the torrent of {0}', this.name),
    });
    if (!target) {
      this.progress({ state: 'idle' });
      return;
    }
    if (target.scheme !== 'file') {
      const message = 'Torrent Lens writes torrents to the file system the files are on; choose a folder there.';
      this.progress({ state: 'failed', message });
      return;
    }
    const controller = new AbortController();
    this.making = controller;
    const fileName = path.basename(target.fsPath);
    try {
      const created = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Creating {0}', notificationText(fileName)),
          cancellable: true,
        },
        async (notification, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          const result = await createTorrent({
            ...createOptionsOf(state, this.source.uri.fsPath),
            pool: this.pool,
            signal: controller.signal,
            onProgress: (p) => {
              if (p.phase === 'listing') {
                notification.report({ message: vscode.l10n.t('looking at the files…') });
                return;
              }
              const share = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 100;
              notification.report({
                increment: share - reported,
                message:
                  p.etaSeconds !== undefined && share < 100
                    ? vscode.l10n.t('{0}% of {1}, {2} left', Math.floor(share), formatSize(p.bytesTotal), formatTimeLeft(p.etaSeconds))
                    : vscode.l10n.t('{0}% of {1}', Math.floor(share), formatSize(p.bytesTotal)),
              });
              reported = share;
              this.progress({ state: 'working', bytesDone: p.bytesDone, bytesTotal: p.bytesTotal });
            },
          });
          writeFileAtomic(target.fsPath, result.torrent, { overwrite: true });
          return result;
        },
      );
      const summary = created.summary;
      this.log.info(
        `created ${target.fsPath}: ${summary.fileCount} files, ${summary.pieceCount} pieces of ${summary.pieceLength} bytes in ${Math.round(summary.elapsedMs)} ms`,
      );
      for (const warning of summary.warnings) this.log.warn(`${fileName}: ${warning.message}`);
      this.progress({ state: 'done', file: target.fsPath });
      await vscode.commands.executeCommand('vscode.openWith', target, EDITOR_VIEW_TYPE);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Torrent Lens: created {0}', notificationText(fileName)), 5000);
      this.dispose();
    } catch (error) {
      if (controller.signal.aborted) this.progress({ state: 'idle' });
      else {
        const message = errorText(error);
        this.log.error(`creating ${target.fsPath} failed: ${message}`);
        this.progress({ state: 'failed', message });
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Torrent Lens could not create {0}: {1}', notificationText(fileName), notificationText(message)),
        );
      }
    } finally {
      this.making = undefined;
    }
  }
}
