import type * as vscode from 'vscode';
import type { Log } from '../log';

export function registerTorrentEditor(_context: vscode.ExtensionContext, _log: Log): void {
  // The custom editor provider is registered here.
}
