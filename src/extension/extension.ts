// Activation: wires the editor and the tracker commands to VS Code. The work itself lives in src/core and src/view-model.
import type * as vscode from 'vscode';
import { registerCreateAndVerify } from './create/register';
import { registerReplaceTrackers } from './edit/replace-trackers';
import { registerTorrentEditor } from './editor/register';
import { createLog } from './log';
import { registerPeerCommands } from './peers/register';
import { registerTrackerCommands } from './trackers/register';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog(context);
  registerTorrentEditor(context, log);
  registerTrackerCommands(context, log);
  registerPeerCommands(context, log);
  registerCreateAndVerify(context, log);
  registerReplaceTrackers(context, log);
}

export function deactivate(): void {}
