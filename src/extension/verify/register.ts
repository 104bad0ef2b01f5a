// Verify Local Data…: from a torrent's editor (its title bar) or the Explorer. The user chooses the folder
// that holds the data (the torrent's own folder and its parent first, each marked when the data is in
// it), and the check runs in the torrent's Verify panel beside its editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HashingError } from '../../core/hashing/errors';
import type { Metainfo } from '../../core/metainfo/types';
import { locateContent } from '../../core/verify/locate';
import { errorText } from '../../shared/format';
import { notificationText } from '../../view-model/notification-text';
import type { Log } from '../log';
import { loadTorrent } from '../torrent-file';
import { VerifyPanels } from './panel';

const EDITOR_VIEW_TYPE = 'torrentLens.editor';

export function registerVerifyCommand(context: vscode.ExtensionContext, log: Log): void {
  const panels: VerifyPanels = new VerifyPanels(context.extensionUri, log, (torrent) => verify(panels, torrent, true));
  context.subscriptions.push(
    panels,
    vscode.commands.registerCommand('torrentLens.verifyData', async (resource?: unknown) => {
      const torrent = await resolveTorrent(resource);
      if (torrent) await verify(panels, torrent, false);
    }),
  );
}

/** The torrent: the one given (Explorer, editor title), the active torrent editor's, or one the user picks. */
async function resolveTorrent(resource: unknown): Promise<vscode.Uri | undefined> {
  if (resource instanceof vscode.Uri) return resource;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === EDITOR_VIEW_TYPE) return tab.input.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Torrents')]: ['torrent'] },
    openLabel: vscode.l10n.t('Verify'),
  });
  return picked?.[0];
}

async function verify(panels: VerifyPanels, torrent: vscode.Uri, another: boolean): Promise<void> {
  if (torrent.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Torrent Lens verifies data on this machine’s file system.'));
    return;
  }
  const metainfo = await loadTorrent(torrent);
  if (!metainfo) return;
  const dataPath = await chooseData(torrent, metainfo, another);
  if (!dataPath) return;
  const fileName = path.basename(torrent.fsPath);
  await panels.forTorrent(torrent, fileName).start({ metainfo, fileName, dataPath });
}

/** The data to check: a folder the user picks (the torrent's own and its parent first), located in it. */
async function chooseData(torrent: vscode.Uri, metainfo: Metainfo, another: boolean): Promise<string | undefined> {
  const own = path.dirname(torrent.fsPath);
  type Pick = vscode.QuickPickItem & { folder?: string };
  const candidate = (folder: string, what: string): Pick => {
    try {
      const found = locateContent(metainfo, folder);
      return {
        label: `$(check) ${notificationText(folder)}`,
        description: what,
        detail: vscode.l10n.t('The data is here: {0}', notificationText(found.contentPath)),
        folder,
      };
    } catch (error) {
      return {
        label: `$(folder) ${notificationText(folder)}`,
        description: what,
        detail: notificationText(error instanceof HashingError ? error.message : errorText(error)),
        folder,
      };
    }
  };
  const picks: Pick[] = [candidate(own, vscode.l10n.t("the torrent's folder"))];
  if (path.dirname(own) !== own) picks.push(candidate(path.dirname(own), vscode.l10n.t('its parent')));
  picks.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a Folder…')}` });
  const picked = await vscode.window.showQuickPick(picks, {
    title: another
      ? vscode.l10n.t('Verify again: which folder holds the data of {0}?', notificationText(metainfo.name.text))
      : vscode.l10n.t('Verify: which folder holds the data of {0}?', notificationText(metainfo.name.text)),
    placeHolder: vscode.l10n.t('The folder that holds the data (as a client’s save folder), or the data’s own folder'),
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  let folder = picked.folder;
  if (!folder) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: metainfo.singleFile,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(own),
      openLabel: vscode.l10n.t('Verify the Data Here'),
    });
    folder = chosen?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  try {
    return locateContent(metainfo, folder).contentPath;
  } catch (error) {
    void vscode.window.showErrorMessage(notificationText(errorText(error)));
    return undefined;
  }
}
