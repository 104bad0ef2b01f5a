import type * as vscode from 'vscode';
import type { Log } from '../log';

export function registerTrackerCommands(_context: vscode.ExtensionContext, _log: Log): void {
  // Announce and scrape commands are registered here.
}
