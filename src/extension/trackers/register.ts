// The tracker commands: Announce to Tracker, Scrape Trackers, Show Log. They find the torrent (the
// argument, the active torrent editor, the active text editor, or a file the user picks), let the user
// choose trackers, and run them all at once in the results panel with a cancellable progress notification.
// What they show in notifications and the picker goes through notification-text.ts: a file name or a
// torrent's text never becomes a link or an icon there.
import * as vscode from 'vscode';
import { Secrets } from '../../core/privacy/secrets';
import { announceHashes, trackerTargets, type TrackerTarget } from '../../core/tracker';
import { formatCount } from '../../shared/format';
import type { RunKind, RunTarget } from '../../shared/protocol/trackers';
import { outcomeSummary } from '../../shared/tracker-outcomes';
import { notificationText } from '../../view-model/notification-text';
import type { RunRequest } from '../../view-model/trackers/run';
import {
  oneTracker,
  runTargetFrom,
  trackerPicks,
  trackersFor,
  type TrackerChoice,
  type UrlShowing,
} from '../../view-model/trackers/targets';
import type { Log } from '../log';
import { showSecrets, stopConfirmingAnnounce, trackerSettings } from '../settings';
import { fileNameOf, loadTorrent } from '../torrent-file';
import { runTitle, TRACKERS_VIEW_TYPE, TrackerPanels } from './panel';

const EDITOR_VIEW_TYPE = 'torrentLens.editor';

let confirmedThisSession = false;

export function registerTrackerCommands(context: vscode.ExtensionContext, log: Log): void {
  const panels = new TrackerPanels(context.extensionUri, log);
  context.subscriptions.push(
    panels,
    vscode.commands.registerCommand('torrentLens.announce', (resource?: unknown, target?: unknown) =>
      runCommand(panels, 'announce', resource, target),
    ),
    vscode.commands.registerCommand('torrentLens.scrape', (resource?: unknown, target?: unknown) =>
      runCommand(panels, 'scrape', resource, target),
    ),
    vscode.commands.registerCommand('torrentLens.showLog', () => log.show()),
    vscode.window.registerWebviewPanelSerializer(TRACKERS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => panels.restore(panel, state),
    }),
  );
}

/**
 * The torrent to work on: the given resource; else the one the user is looking at (the active torrent
 * editor, the active results panel's torrent, the active text editor's .torrent, or the only torrent
 * editor in view); else one the user picks.
 */
export async function resolveTorrent(
  panels: { activeTorrent(): vscode.Uri | undefined },
  resource: unknown,
): Promise<vscode.Uri | undefined> {
  if (resource instanceof vscode.Uri) return resource;
  const torrentEditor = (tab: vscode.Tab | undefined) =>
    tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === EDITOR_VIEW_TYPE ? tab.input.uri : undefined;
  const active = torrentEditor(vscode.window.tabGroups.activeTabGroup.activeTab) ?? panels.activeTorrent();
  if (active) return active;
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.path.toLowerCase().endsWith('.torrent')) return document.uri;
  const inView = new Map<string, vscode.Uri>();
  for (const group of vscode.window.tabGroups.all) {
    const uri = torrentEditor(group.activeTab);
    if (uri) inView.set(uri.toString(), uri);
  }
  if (inView.size === 1) return [...inView.values()][0];
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Torrents')]: ['torrent'] },
    openLabel: vscode.l10n.t('Use Torrent'),
  });
  return picked?.[0];
}

/** Lets the user choose all trackers, a tier, or one tracker. */
async function pickTrackers(all: TrackerTarget[], verb: RunKind, showing: UrlShowing): Promise<TrackerChoice | undefined> {
  if (all.length === 1) return oneTracker(all[0], showing);
  const items = trackerPicks(all, showing).map((pick): vscode.QuickPickItem & { choice?: TrackerChoice } =>
    'heading' in pick ? { label: pick.heading, kind: vscode.QuickPickItemKind.Separator } : pick,
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: verb === 'announce' ? vscode.l10n.t('Announce: which trackers?') : vscode.l10n.t('Scrape: which trackers?'),
    placeHolder: vscode.l10n.t('All trackers, a tier, or one tracker'),
    matchOnDescription: true,
  });
  return picked?.choice;
}

/** The trackers a target names; undefined (with a message) when it names none. */
function chosenBy(all: TrackerTarget[], target: RunTarget, showing: UrlShowing): TrackerChoice | undefined {
  const chosen = trackersFor(all, target, showing);
  if (!('error' in chosen)) return chosen;
  void vscode.window.showErrorMessage(notificationText(chosen.error));
  return undefined;
}

/** Announcing tells trackers the user's IP address: ask once per session unless the user said not to. */
export async function confirmAnnounce(count: number): Promise<boolean> {
  if (confirmedThisSession || !trackerSettings().confirmAnnounce) return true;
  const announce = vscode.l10n.t('Announce');
  const always = vscode.l10n.t("Announce, Don't Ask Again");
  const event = trackerSettings().event;
  const answer = await vscode.window.showWarningMessage(
    count === 1 ? vscode.l10n.t('Announce to 1 tracker?') : vscode.l10n.t('Announce to {0} trackers?', formatCount(count)),
    {
      modal: true,
      detail:
        event === 'started-then-stopped'
          ? vscode.l10n.t(
              'An announce tells each tracker your IP address and that you take part in this torrent, as a BitTorrent client would. Torrent Lens then sends "stopped" so the tracker forgets you again. HTTP trackers are contacted through your proxy settings; UDP trackers directly.',
            )
          : vscode.l10n.t(
              'An announce tells each tracker your IP address and that you take part in this torrent, as a BitTorrent client would. HTTP trackers are contacted through your proxy settings; UDP trackers directly.',
            ),
    },
    announce,
    always,
  );
  if (answer === always) await stopConfirmingAnnounce();
  if (answer === announce || answer === always) {
    confirmedThisSession = true;
    return true;
  }
  return false;
}

async function runCommand(panels: TrackerPanels, kind: RunKind, resource: unknown, rawTarget: unknown): Promise<void> {
  const uri = await resolveTorrent(panels, resource);
  if (!uri) return;
  const metainfo = await loadTorrent(uri);
  if (!metainfo) return;
  const fileName = fileNameOf(uri);
  const all = trackerTargets(metainfo.trackers);
  if (all.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('{0} lists no trackers: it relies on DHT or web seeds.', notificationText(fileName)),
    );
    return;
  }

  const showing: UrlShowing = { secrets: Secrets.forTorrent(metainfo), show: showSecrets() };
  const target = runTargetFrom(rawTarget);
  const chosen = target ? chosenBy(all, target, showing) : await pickTrackers(all, kind, showing);
  if (!chosen) return;
  if (kind === 'announce' && !(await confirmAnnounce(chosen.trackers.length))) return;

  const request: RunRequest = {
    kind,
    torrentUri: uri.toString(),
    fileName,
    metainfo,
    trackers: chosen.trackers,
    hashes: announceHashes(metainfo.infoHash),
    target: chosen.target,
  };
  const panel = panels.forTorrent(uri, kind, runTitle(kind, fileName));
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title:
        kind === 'announce'
          ? vscode.l10n.t('Announcing to {0}', notificationText(chosen.scope))
          : vscode.l10n.t('Scraping {0}', notificationText(chosen.scope)),
      cancellable: true,
    },
    async (progress, token) => {
      token.onCancellationRequested(() => panel.cancel());
      const timer = setInterval(() => {
        const now = panel.progress();
        if (now)
          progress.report({
            message: vscode.l10n.t('{0} of {1} done: {2}', formatCount(now.done), formatCount(now.total), outcomeSummary(now.counts)),
          });
      }, 250);
      try {
        await panel.start(request);
      } finally {
        clearInterval(timer);
      }
    },
  );
}
