// Registers the .torrent custom editor and its commands.
import * as vscode from 'vscode';
import { parseMetainfoAsync } from '../../core/metainfo/parse';
import { errorText } from '../../shared/format';
import type { Log } from '../log';
import { showSecrets } from '../settings';
import { readTorrentBytes } from '../torrent-file';
import { ParsedTorrent } from '../../view-model/editor/parsed-torrent';
import { SHOW_PROBLEM_COMMAND } from './diagnostics';
import { TorrentEditorProvider } from './provider';
import { activeTorrentUri, openAsText, rawEditor } from './raw-editor';
import { VIEW_TYPE } from './view-types';
import { notificationText } from '../../view-model/notification-text';
import { EditorSession, type SessionHost } from '../../view-model/editor/session';

export function registerTorrentEditor(context: vscode.ExtensionContext, log: Log): void {
  const provider = new TorrentEditorProvider(context.extensionUri, log, parseMetainfoAsync);
  context.subscriptions.push(
    provider,
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
      // Multiple editors of one file share its document; hidden editors restore from webview state.
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('torrentLens.copyInfoHash', (uri?: unknown) => copy(provider, log, 'infoHash', uri)),
    vscode.commands.registerCommand('torrentLens.copyMagnetLink', (uri?: unknown) => copy(provider, log, 'magnet', uri)),
    vscode.commands.registerCommand('torrentLens.openAsText', async (uri?: unknown) => {
      // The active tab first: a Torrent Lens editor that has just opened may not have loaded its webview yet.
      const target = uri instanceof vscode.Uri ? uri : (activeTorrentUri() ?? provider.activeEditor?.document.uri);
      if (target) await openAsText(target);
    }),
    vscode.commands.registerCommand('torrentLens.showInfoHashCard', () => provider.activeEditor?.showHashCard()),
    vscode.commands.registerCommand(SHOW_PROBLEM_COMMAND, async (uriText?: unknown, version?: unknown, index?: unknown) => {
      // The arguments come from a link in the Problems view; anything else is ignored.
      if (typeof uriText !== 'string' || typeof version !== 'number' || typeof index !== 'number') return;
      try {
        await provider.showProblem(vscode.Uri.parse(uriText, true), version, index);
      } catch (error) {
        log.warn(`showing a problem of ${uriText}: ${errorText(error)}`);
      }
    }),
  );
}

/**
 * Copies the info hash or magnet link of a torrent: the one passed (explorer, editor title) or the
 * active torrent editor's. Returns the copied text, for callers such as tests and other extensions.
 */
async function copy(provider: TorrentEditorProvider, log: Log, what: 'infoHash' | 'magnet', uri: unknown): Promise<string | undefined> {
  const open = uri instanceof vscode.Uri ? provider.editorFor(uri) : provider.activeEditor;
  let session = open?.session;
  if (!session) {
    // Right after a torrent opens, its tab is active before its editor is set up: then its file is read here.
    const file = uri instanceof vscode.Uri ? uri : (open?.document.uri ?? activeTorrentUri());
    if (!file) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Open a .torrent file in Torrent Lens first, or run this from a .torrent file in the Explorer.'),
      );
      return undefined;
    }
    const parsed = await ParsedTorrent.parse(1, await readTorrentBytes(file), parseMetainfoAsync);
    session = new EditorSession(clipboardOnlyHost, parsed, file.path.slice(file.path.lastIndexOf('/') + 1));
  }
  try {
    const { text, label } = session.copyText(what);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Torrent Lens: copied {0}', label), 4000);
    return text;
  } catch (error) {
    const message = errorText(error);
    log.info(`copy ${what}: ${message}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Torrent Lens: {0}', notificationText(message)));
    return undefined;
  }
}

const clipboardOnlyHost: SessionHost = {
  writeClipboard: async (text) => {
    await vscode.env.clipboard.writeText(text);
  },
  trackerCommand: async () => {
    throw new Error('no editor is open for this file');
  },
  openAsText: async () => {},
  rawEditor,
  openExternal: async () => {},
  showSecretsSetting: showSecrets,
};
