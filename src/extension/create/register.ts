// Registers Create Torrent… (on a file or folder: the Explorer's context menu, or the palette, which asks
// for one) and, through ../verify, Verify Local Data…. One form per file or folder: running the command
// again brings its form to the front.
import * as vscode from 'vscode';
import { errorText } from '../../shared/format';
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
        `Create Torrent: ${source.uri.path.split('/').pop()}`,
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
    if (folder.uri.scheme === 'file') picks.push({ label: `$(folder) ${folder.name}`, description: folder.uri.fsPath, uri: folder.uri });
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') picks.push({ label: `$(file) ${active.path.split('/').pop()}`, description: active.fsPath, uri: active });
  picks.push({ label: '$(file) Choose a File…', folders: false }, { label: '$(folder-opened) Choose a Folder…', folders: true });
  const picked = await vscode.window.showQuickPick(picks, { title: 'Create Torrent: of which file or folder?', matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.uri) return sourceOf(picked.uri);
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: !picked.folders,
    canSelectFolders: picked.folders === true,
    canSelectMany: false,
    openLabel: 'Make a Torrent of It',
  });
  return chosen?.[0] ? sourceOf(chosen[0]) : undefined;
}

async function sourceOf(uri: vscode.Uri): Promise<CreateSource | undefined> {
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Torrent Lens makes torrents of files on this machine’s file system.');
    return undefined;
  }
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return { uri, kind: stat.type & vscode.FileType.Directory ? 'folder' : 'file' };
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot make a torrent of ${uri.fsPath}: ${errorText(error)}`);
    return undefined;
  }
}
