// "Open as Text": the torrent's bytes in the hex editor when one is installed, else in the text editor,
// in place of the Torrent Lens editor (as VS Code's Reopen Editor With does), not in a second tab of the
// same file.
import * as vscode from 'vscode';
import type { RawEditor } from '../../shared/protocol/editor';
import { HEX_EDITOR_VIEW_TYPE, VIEW_TYPE } from './view-types';

/** Whether an installed extension contributes the hex editor (found by its view type, so its forks count too). */
export function rawEditor(): RawEditor {
  const contributesHex = (extension: vscode.Extension<unknown>) => {
    const editors = (extension.packageJSON as { contributes?: { customEditors?: { viewType?: unknown }[] } } | undefined)?.contributes
      ?.customEditors;
    return Array.isArray(editors) && editors.some((editor) => editor?.viewType === HEX_EDITOR_VIEW_TYPE);
  };
  return vscode.extensions.all.some(contributesHex) ? 'hex' : 'text';
}

/** The torrent of the active tab when it is a Torrent Lens editor (its webview may not have loaded yet). */
export function activeTorrentUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE ? input.uri : undefined;
}

export async function openAsText(uri: vscode.Uri): Promise<void> {
  const viewType = rawEditor() === 'hex' ? HEX_EDITOR_VIEW_TYPE : 'default';
  if (activeTorrentUri()?.toString() === uri.toString()) await vscode.commands.executeCommand('reopenActiveEditorWith', viewType);
  else await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
}
