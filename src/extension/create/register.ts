// Registers Create Torrent… (on a file or folder: the Explorer's context menu, or the palette, which asks
// for one) and, through ../verify, Verify Local Data…. One form per file or folder: running the command
// again brings its form to the front.
import * as vscode from 'vscode';
import { errorText } from '../../shared/format';
import { notificationText } from '../../view-model/notification-text';
import type { Log } from '../log';
import { registerVerifyCommand } from '../verify/register';
import { CREATE_VIEW_TYPE, CreateTorrentForm, type CreateSource } from './form-panel';

export function registerCreateAndVerify(context: vscode.ExtensionContext, log: Log): void {
  const forms = new Map<string, CreateTorrentForm>();
  context.subscriptions.push(
    vscode.commands.registerCommand('torrentLens.createTorrent', async (resource?: unknown) => {
      const source = await chooseSource(resource);
      if (!source) return;
      const key = source.uri.toString();
      const open = forms.get(key);
      if (open) {
        open.reveal();
        return;
      }
      const panel = vscode.window.createWebviewPanel(
        CREATE_VIEW_TYPE,
        vscode.l10n.t('Create Torrent: {0}', source.uri.path.split('/').pop() ?? ''),
        vscode.ViewColumn.Active,
        {
          enableFindWidget: false,
        },
      );
      const form = new CreateTorrentForm(context.extensionUri, log, panel, source);
      forms.set(key, form);
      form.panel.onDidDispose(() => forms.delete(key));
    }),
    { dispose: () => [...forms.values()].forEach((form) => form.dispose()) },
  );
  registerVerifyCommand(context, log);
}

/** The file or folder to make a torrent of: the one the command was run on, or one the user picks. */
async function chooseSource(resource: unknown): Promise<CreateSource | undefined> {
  if (resource instanceof vscode.Uri) return sourceOf(resource);
  type Pick = vscode.QuickPickItem & { uri?: vscode.Uri; folders?: boolean };
  const picks: Pick[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? [])
    if (folder.uri.scheme === 'file')
      picks.push({
        label: `$(folder) ${notificationText(folder.name)}`,
        description: notificationText(folder.uri.fsPath),
        uri: folder.uri,
      });
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file')
    picks.push({
      label: `$(file) ${notificationText(active.path.split('/').pop() ?? '')}`,
      description: notificationText(active.fsPath),
      uri: active,
    });
  picks.push(
    { label: `$(file) ${vscode.l10n.t('Choose a File…')}`, folders: false },
    { label: `$(folder-opened) ${vscode.l10n.t('Choose a Folder…')}`, folders: true },
  );
  const picked = await vscode.window.showQuickPick(picks, {
    title: vscode.l10n.t('Create Torrent: of which file or folder?'),
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return sourceOf(picked.uri);
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: !picked.folders,
    canSelectFolders: picked.folders === true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Make a Torrent of It'),
  });
  return chosen?.[0] ? sourceOf(chosen[0]) : undefined;
}

async function sourceOf(uri: vscode.Uri): Promise<CreateSource | undefined> {
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Torrent Lens makes torrents of files on this machine’s file system.'));
    return undefined;
  }
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return { uri, kind: stat.type & vscode.FileType.Directory ? 'folder' : 'file' };
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Cannot make a torrent of {0}: {1}', notificationText(uri.fsPath), notificationText(errorText(error))),
    );
    return undefined;
  }
}
