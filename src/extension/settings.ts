// Typed access to the `torrentLens.*` settings declared in package.json.
import * as vscode from 'vscode';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('torrentLens');
}

/** Whether passkeys and other secrets in tracker URLs are shown instead of redacted. */
export function showSecrets(): boolean {
  return config().get<boolean>('privacy.showSecrets', false);
}
