// The `torrentLens.*` settings declared in package.json, read from VS Code. What they may hold is
// checked and bounded in src/view-model/settings.ts.
import * as vscode from 'vscode';
import { trackerSettingsFrom, type SettingsReport, type TrackerSettings } from '../view-model/settings';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('torrentLens');
}

/** Whether passkeys and other secrets in tracker URLs are shown instead of redacted. */
export function showSecrets(): boolean {
  return config().get<boolean>('privacy.showSecrets', false);
}

/** The tracker settings, each checked and bounded; `report` hears of each value not used as set. */
export function trackerSettings(report?: SettingsReport): TrackerSettings {
  const c = config();
  return trackerSettingsFrom((key) => c.get(key), report);
}

/** Turns off the announce confirmation for good (the user chose "don't ask again"). */
export async function stopConfirmingAnnounce(): Promise<void> {
  await config().update('announce.confirm', false, vscode.ConfigurationTarget.Global);
}
