// Torrent: Replace Tracker URL in Torrents…: pick torrents (the Explorer's selection, files or folders chosen in a
// dialog, or a workspace glob), give the text to find in tracker URLs and its replacement, see every change (file,
// old URL, new URL, secrets hidden), apply. What each file becomes is src/view-model/edit/replace-trackers.ts.
//
// - Each file is written on its own, atomically for `file:` URIs (writeFileAtomic), through `workspace.fs` elsewhere.
// - Files are read one at a time and read again before they are written: one changed since the preview is skipped,
//   so nothing the user did not see is written. Memory stays bounded by the largest file, however many there are.
// - A file open in a Torrent Lens editor with unsaved edits is skipped (saying so): writing it would put the file on
//   disk and the editor's edits at odds, and applying into the editor would mix this replacement into the history of
//   edits the user has not saved. A file open without unsaved edits is written; its editor reloads it.
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/edit/atomic-write';
import { errorText } from '../../shared/format';
import { notificationText } from '../../view-model/notification-text';
import {
  MAX_TORRENT_BYTES,
  planReplace,
  replaceTextProblem,
  type ReplaceRequest,
  type ShownChange,
} from '../../view-model/edit/replace-trackers';
import { VIEW_TYPE } from '../editor/view-types';
import type { Log } from '../log';
import { showSecrets } from '../settings';

export const REPLACE_TRACKERS_COMMAND = 'torrentLens.replaceTrackerUrl';

/** More files than this are not looked at: the pattern was wider than meant. */
const MAX_FILES = 10_000;

interface Planned {
  uri: vscode.Uri;
  changes: ShownChange[];
  /** What the file was when planned, to tell whether it changed before it is written. */
  stamp: { mtime: number; size: number };
}

interface Skipped {
  uri: vscode.Uri;
  reason: string;
}

export interface ReplaceSummary {
  changed: vscode.Uri[];
  skipped: Skipped[];
}

export function registerReplaceTrackers(context: vscode.ExtensionContext, log: Log): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(REPLACE_TRACKERS_COMMAND, (uri?: unknown, uris?: unknown) =>
      replaceTrackerUrls(log, selection(uri, uris)).catch((error: unknown) => {
        log.error(`replacing tracker URLs: ${errorText(error)}`);
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Torrent Lens: could not replace tracker URLs: {0}', notificationText(errorText(error))),
        );
        return undefined;
      }),
    ),
  );
}

/** The Explorer's selection the command was run on, if any. */
function selection(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.every((u) => u instanceof vscode.Uri) && uris.length > 0) return uris as vscode.Uri[];
  return uri instanceof vscode.Uri ? [uri] : [];
}

async function replaceTrackerUrls(log: Log, chosen: vscode.Uri[]): Promise<ReplaceSummary | undefined> {
  const files = chosen.length > 0 ? await torrentsIn(chosen) : await askForFiles();
  if (!files) return undefined;
  if (files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Torrent Lens: no .torrent files there.'));
    return undefined;
  }
  const request = await askForText(files.length);
  if (!request) return undefined;

  const planned: Planned[] = [];
  const skipped: Skipped[] = [];
  const dirty = dirtyTorrentEditors();
  await vscode.window.withProgress(
    {
      // In the status bar: a notification would linger over the preview that follows.
      location: vscode.ProgressLocation.Window,
      title: vscode.l10n.t('Torrent Lens: looking at {0} files', files.length),
    },
    async (progress) => {
      for (const [i, uri] of files.entries()) {
        progress.report({ message: `${i + 1}/${files.length}`, increment: 100 / files.length });
        const outcome = await planFile(uri, request, dirty);
        if ('reason' in outcome) skipped.push(outcome);
        else planned.push(outcome);
      }
    },
  );

  const picked = planned.length > 0 ? await preview(planned, skipped) : [];
  if (!picked) return undefined;
  const changed: vscode.Uri[] = [];
  for (const plan of picked) {
    const reason = await applyPlan(plan, request, log);
    if (reason === undefined) changed.push(plan.uri);
    else skipped.push({ uri: plan.uri, reason });
  }
  for (const plan of planned)
    if (!picked.includes(plan)) skipped.push({ uri: plan.uri, reason: vscode.l10n.t('not chosen in the preview') });
  report(log, { changed, skipped });
  return { changed, skipped };
}

/** The .torrent files among `uris` and in the folders among them. */
async function torrentsIn(uris: vscode.Uri[]): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const uri of uris) {
    const type = await vscode.workspace.fs.stat(uri).then(
      (s) => s.type,
      () => vscode.FileType.Unknown,
    );
    if (type & vscode.FileType.Directory) {
      for (const file of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*.torrent'), undefined, MAX_FILES)) {
        found.set(file.toString(), file);
      }
    } else {
      found.set(uri.toString(), uri);
    }
  }
  return [...found.values()].slice(0, MAX_FILES).sort((a, b) => a.path.localeCompare(b.path));
}

async function askForFiles(): Promise<vscode.Uri[] | undefined> {
  const pattern = { label: vscode.l10n.t('Torrents in the Workspace…'), detail: vscode.l10n.t('Every file that matches a pattern') };
  const pick = { label: vscode.l10n.t('Choose Files or Folders…'), detail: vscode.l10n.t('Torrents, or the folders they are in') };
  const choice = await vscode.window.showQuickPick([pattern, pick], {
    title: vscode.l10n.t('Replace Tracker URL in Torrents'),
    placeHolder: vscode.l10n.t('Which torrents?'),
  });
  if (choice === pattern) {
    const glob = await vscode.window.showInputBox({
      title: vscode.l10n.t('Replace Tracker URL in Torrents'),
      prompt: vscode.l10n.t('A pattern of workspace files'),
      value: '**/*.torrent',
      validateInput: (text) => (text.trim() === '' ? vscode.l10n.t('Type a pattern, such as **/*.torrent') : undefined),
    });
    if (glob === undefined) return undefined;
    const files = await vscode.workspace.findFiles(glob.trim(), '**/node_modules/**', MAX_FILES);
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }
  if (choice === pick) {
    const uris = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Replace Tracker URL in Torrents'),
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: vscode.l10n.t('Choose'),
      filters: { [vscode.l10n.t('Torrents')]: ['torrent'] },
    });
    return uris ? torrentsIn(uris) : undefined;
  }
  return undefined;
}

async function askForText(count: number): Promise<ReplaceRequest | undefined> {
  const title = vscode.l10n.t('Replace Tracker URL in {0} Torrents', count);
  const find = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The text to find in tracker URLs: a whole URL, a domain, a passkey'),
    ignoreFocusOut: true,
    validateInput: (text) => replaceTextProblem(text, 'find'),
  });
  if (find === undefined) return undefined;
  const replace = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('What to put in its place (the first occurrence in each URL)'),
    ignoreFocusOut: true,
    validateInput: (text) => replaceTextProblem(text, 'replace'),
  });
  if (replace === undefined) return undefined;
  return { find, replace, showSecrets: showSecrets() };
}

/** The files open in a Torrent Lens editor with unsaved edits. */
function dirtyTorrentEditors(): Set<string> {
  const dirty = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.isDirty && tab.input instanceof vscode.TabInputCustom && tab.input.viewType === VIEW_TYPE)
        dirty.add(tab.input.uri.toString());
    }
  }
  return dirty;
}

async function planFile(uri: vscode.Uri, request: ReplaceRequest, dirty: Set<string>): Promise<Planned | Skipped> {
  if (dirty.has(uri.toString())) return { uri, reason: vscode.l10n.t('it has unsaved edits in an editor: save or revert them first') };
  try {
    const stamp = await vscode.workspace.fs.stat(uri);
    if (stamp.size > MAX_TORRENT_BYTES) return { uri, reason: vscode.l10n.t('larger than any torrent ({0} bytes)', stamp.size) };
    const plan = planReplace(await vscode.workspace.fs.readFile(uri), request);
    if (plan.status === 'skip') return { uri, reason: plan.reason };
    return { uri, changes: plan.changes, stamp: { mtime: stamp.mtime, size: stamp.size } };
  } catch (error) {
    return { uri, reason: errorText(error) };
  }
}

/**
 * "old → new". With a passkey swapped for another both look the same redacted: the URL once, and what changes in it
 * (short enough to fit the row of a narrow quick pick).
 */
function changeText(change: ShownChange): string {
  return change.hiddenPartOnly ? vscode.l10n.t('{0}: only its hidden part changes', change.before) : `${change.before} → ${change.after}`;
}

/** Shows every change; returns the files the user keeps checked, or undefined when they cancel. */
async function preview(planned: Planned[], skipped: Skipped[]): Promise<Planned[] | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { plan: Planned }>();
  quickPick.title =
    skipped.length === 0
      ? vscode.l10n.t('Replace Tracker URL: {0} files change', planned.length)
      : vscode.l10n.t('Replace Tracker URL: {0} files change, {1} left as they are', planned.length, skipped.length);
  quickPick.placeholder = vscode.l10n.t('Uncheck a file to leave it as it is; Enter writes the checked ones');
  quickPick.canSelectMany = true;
  quickPick.ignoreFocusOut = true;
  quickPick.matchOnDetail = true;
  quickPick.items = planned.map((plan) => ({
    plan,
    label: notificationText(vscode.workspace.asRelativePath(plan.uri)),
    // One line per changed URL would not fit a quick pick's row: each change, "old → new", one after the other.
    detail: notificationText(plan.changes.map(changeText).join('   ·   ')),
  }));
  quickPick.selectedItems = quickPick.items;
  return new Promise((resolve) => {
    let done = false;
    quickPick.onDidAccept(() => {
      done = true;
      resolve(quickPick.selectedItems.map((item) => item.plan));
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      if (!done) resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/** Writes one file; returns why it was not written, or undefined once it is. */
async function applyPlan(plan: Planned, request: ReplaceRequest, log: Log): Promise<string | undefined> {
  try {
    const now = await vscode.workspace.fs.stat(plan.uri);
    if (dirtyTorrentEditors().has(plan.uri.toString()))
      return vscode.l10n.t('it has unsaved edits in an editor: save or revert them first');
    const again = planReplace(await vscode.workspace.fs.readFile(plan.uri), request);
    const same =
      now.mtime === plan.stamp.mtime &&
      now.size === plan.stamp.size &&
      again.status === 'change' &&
      JSON.stringify(again.changes) === JSON.stringify(plan.changes);
    if (!same || again.status !== 'change') return vscode.l10n.t('it changed after the preview; nothing was written');
    if (plan.uri.scheme === 'file') {
      // A read-only file or folder: writeFileAtomic says which, and leaves the file as it was.
      await writeFileAtomic(plan.uri.fsPath, again.bytes);
    } else {
      await vscode.workspace.fs.writeFile(plan.uri, again.bytes);
      log.info(`${plan.uri.toString()}: written through VS Code's file system, which cannot replace a file in one step`);
    }
    return undefined;
  } catch (error) {
    return vscode.l10n.t('not written: {0}', errorText(error));
  }
}

function report(log: Log, summary: ReplaceSummary): void {
  for (const uri of summary.changed) log.info(`replace tracker URL: ${shownPath(uri)}: written`);
  for (const { uri, reason } of summary.skipped) log.info(`replace tracker URL: ${shownPath(uri)}: skipped: ${reason}`);
  const details = vscode.l10n.t('Show Details');
  const skippedText = summary.skipped
    .slice(0, 3)
    .map(({ uri, reason }) => notificationText(`${vscode.workspace.asRelativePath(uri)} (${reason})`))
    .join('; ');
  const more = summary.skipped.length > 3 ? vscode.l10n.t(' and {0} more', summary.skipped.length - 3) : '';
  const message =
    summary.skipped.length === 0
      ? vscode.l10n.t('Torrent Lens: tracker URLs replaced in {0} files.', summary.changed.length)
      : vscode.l10n.t(
          'Torrent Lens: tracker URLs replaced in {0} files; {1} skipped: {2}{3}.',
          summary.changed.length,
          summary.skipped.length,
          skippedText,
          more,
        );
  void vscode.window.showInformationMessage(message, details).then((choice) => {
    if (choice === details) log.show();
  });
}

function shownPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}
