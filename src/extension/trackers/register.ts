// The tracker commands: Announce to Tracker, Scrape Trackers, Show Log. They find the torrent (the
// argument, the active torrent editor, the active text editor, or a file the user picks), let the user
// choose trackers, and run them all at once in the results panel with a cancellable progress notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMetainfoAsync } from '../../core/metainfo/parse';
import type { Metainfo } from '../../core/metainfo/types';
import { redactUrl } from '../../core/privacy/redact';
import { announceHashes, trackerProtocol, trackerTargets, type TrackerTarget } from '../../core/tracker';
import type { Log } from '../log';
import { showSecrets, stopConfirmingAnnounce, trackerSettings } from '../settings';
import type { RunTarget } from '../../shared/protocol/trackers';
import { TRACKERS_VIEW_TYPE, TrackerResultsPanel, type RunRequest } from './panel';

const EDITOR_VIEW_TYPE = 'torrentLens.editor';
/** Larger than any real torrent; bounds what a command reads into memory. */
const MAX_TORRENT_BYTES = 256 * 1024 * 1024;

let confirmedThisSession = false;

export function registerTrackerCommands(context: vscode.ExtensionContext, log: Log): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('torrentLens.announce', (resource?: unknown, target?: unknown) =>
      runCommand(context, log, 'announce', resource, target),
    ),
    vscode.commands.registerCommand('torrentLens.scrape', (resource?: unknown, target?: unknown) =>
      runCommand(context, log, 'scrape', resource, target),
    ),
    vscode.commands.registerCommand('torrentLens.showLog', () => log.show()),
    vscode.window.registerWebviewPanelSerializer(TRACKERS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => TrackerResultsPanel.restore(context, log, panel, state),
    }),
    { dispose: () => TrackerResultsPanel.disposeAll() },
  );
}

/**
 * The torrent to work on: the given resource; else the one the user is looking at (the active torrent
 * editor, the active results panel's torrent, the active text editor's .torrent, or the only torrent
 * editor in view); else one the user picks.
 */
async function resolveTorrent(resource: unknown): Promise<vscode.Uri | undefined> {
  if (resource instanceof vscode.Uri) return resource;
  const torrentEditor = (tab: vscode.Tab | undefined) =>
    tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === EDITOR_VIEW_TYPE ? tab.input.uri : undefined;
  const active = torrentEditor(vscode.window.tabGroups.activeTabGroup.activeTab) ?? TrackerResultsPanel.activeTorrent();
  if (active) return active;
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.path.toLowerCase().endsWith('.torrent')) return document.uri;
  const inView = new Map<string, vscode.Uri>();
  for (const group of vscode.window.tabGroups.all) {
    const uri = torrentEditor(group.activeTab);
    if (uri) inView.set(uri.toString(), uri);
  }
  if (inView.size === 1) return [...inView.values()][0];
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Torrents: ['torrent'] }, openLabel: 'Use Torrent' });
  return picked?.[0];
}

/**
 * A target from a caller we do not control (the editor's tracker rows, a restored results panel, another
 * extension): only a plain object with `all: true`, a numeric tier or a string URL counts.
 */
function validTarget(target: unknown): RunTarget | undefined {
  if (typeof target !== 'object' || target === null || Array.isArray(target) || target instanceof vscode.Uri) return undefined;
  const { all, tier, url } = target as { all?: unknown; tier?: unknown; url?: unknown };
  if (all === true) return { all: true };
  if (typeof url === 'string') return { url };
  if (typeof tier === 'number' && Number.isInteger(tier) && tier >= 0) return { tier };
  return undefined;
}

async function readTorrent(uri: vscode.Uri): Promise<Metainfo | undefined> {
  const name = fileNameOf(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_TORRENT_BYTES) {
      void vscode.window.showErrorMessage(`${name} is ${stat.size.toLocaleString('en-US')} bytes, too large to be a torrent.`);
      return undefined;
    }
    const result = await parseMetainfoAsync(await vscode.workspace.fs.readFile(uri));
    if (!result.ok) {
      const at = result.failure.offset === undefined ? '' : ` (at byte ${result.failure.offset})`;
      void vscode.window.showErrorMessage(`${name} is not a valid torrent: ${result.failure.message}${at}`);
      return undefined;
    }
    return result.metainfo;
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function fileNameOf(uri: vscode.Uri): string {
  return path.posix.basename(uri.path) || uri.toString();
}

function shown(url: string): string {
  return showSecrets() ? url : redactUrl(url);
}

/** Trackers chosen, words for them, and the target that chooses them again (URLs redacted). */
interface Choice {
  trackers: TrackerTarget[];
  scope: string;
  target: RunTarget;
}

function allTrackers(all: TrackerTarget[]): Choice {
  return { trackers: all, scope: 'all trackers', target: { all: true } };
}

function oneTier(all: TrackerTarget[], tier: number): Choice {
  return { trackers: all.filter((t) => t.tier === tier), scope: `tier ${tier + 1}`, target: { tier } };
}

function oneTracker(tracker: TrackerTarget): Choice {
  return { trackers: [tracker], scope: shown(tracker.url), target: { url: redactUrl(tracker.url) } };
}

/** The trackers a target names; undefined (with a message) when it names none. */
function trackersFor(all: TrackerTarget[], target: RunTarget): Choice | undefined {
  if ('all' in target) return allTrackers(all);
  if ('url' in target) {
    // The editor passes the URL as the torrent has it; a restored panel its redacted form.
    const match = all.find((t) => t.url === target.url) ?? all.find((t) => redactUrl(t.url) === target.url);
    if (match) return oneTracker(match);
    void vscode.window.showErrorMessage(`This torrent does not list the tracker ${shown(target.url)}.`);
    return undefined;
  }
  if (all.some((t) => t.tier === target.tier)) return oneTier(all, target.tier);
  void vscode.window.showErrorMessage(`This torrent has no tier ${target.tier + 1}.`);
  return undefined;
}

interface PickItem extends vscode.QuickPickItem {
  choice?: Choice;
}

/** Lets the user choose all trackers, a tier, or one tracker. */
async function pickTrackers(all: TrackerTarget[], verb: string): Promise<Choice | undefined> {
  if (all.length === 1) return oneTracker(all[0]);
  const tiers = [...new Set(all.map((t) => t.tier))];
  const items: PickItem[] = [
    {
      label: '$(broadcast) All trackers',
      description: `${all.length} trackers in ${tiers.length} tier${tiers.length === 1 ? '' : 's'}, all at once`,
      choice: allTrackers(all),
    },
  ];
  if (tiers.length > 1) {
    items.push({ label: 'Tiers', kind: vscode.QuickPickItemKind.Separator });
    for (const tier of tiers) {
      const choice = oneTier(all, tier);
      items.push({
        label: `$(layers) Tier ${tier + 1}`,
        description: `${choice.trackers.length} tracker${choice.trackers.length === 1 ? '' : 's'}`,
        choice,
      });
    }
  }
  items.push({ label: 'Trackers', kind: vscode.QuickPickItemKind.Separator });
  for (const tracker of all) {
    const protocol = trackerProtocol(tracker.url);
    items.push({
      label: `$(radio-tower) ${shown(tracker.url)}`,
      description: `tier ${tracker.tier + 1} · ${protocol === 'unsupported' ? 'not supported' : protocol.toUpperCase()}`,
      choice: oneTracker(tracker),
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `${verb}: which trackers?`,
    placeHolder: 'All trackers, a tier, or one tracker',
    matchOnDescription: true,
  });
  return picked?.choice;
}

/** Announcing tells trackers the user's IP address: ask once per session unless the user said not to. */
async function confirmAnnounce(count: number): Promise<boolean> {
  if (confirmedThisSession || !trackerSettings().confirmAnnounce) return true;
  const announce = 'Announce';
  const always = "Announce, Don't Ask Again";
  const event = trackerSettings().event;
  const answer = await vscode.window.showWarningMessage(
    `Announce to ${count} tracker${count === 1 ? '' : 's'}?`,
    {
      modal: true,
      detail:
        'An announce tells each tracker your IP address and that you take part in this torrent, as a BitTorrent client would.' +
        (event === 'started-then-stopped' ? ' Torrent Lens then sends "stopped" so the tracker forgets you again.' : '') +
        ' HTTP trackers are contacted through your proxy settings; UDP trackers directly.',
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

async function runCommand(
  context: vscode.ExtensionContext,
  log: Log,
  kind: 'announce' | 'scrape',
  resource: unknown,
  rawTarget: unknown,
): Promise<void> {
  const uri = await resolveTorrent(resource);
  if (!uri) return;
  const metainfo = await readTorrent(uri);
  if (!metainfo) return;
  const all = trackerTargets(metainfo.trackers);
  if (all.length === 0) {
    void vscode.window.showInformationMessage(`${fileNameOf(uri)} lists no trackers: it relies on DHT or web seeds.`);
    return;
  }
  const verb = kind === 'announce' ? 'Announce' : 'Scrape';
  const target = validTarget(rawTarget);
  // Scrape asks for counts only and is cheap: without a target it asks every tracker.
  const chosen = target ? trackersFor(all, target) : kind === 'announce' ? await pickTrackers(all, verb) : allTrackers(all);
  if (!chosen) return;
  if (kind === 'announce' && !(await confirmAnnounce(chosen.trackers.length))) return;

  const fileName = fileNameOf(uri);
  const request: RunRequest = {
    kind,
    uri,
    fileName,
    metainfo,
    trackers: chosen.trackers,
    hashes: announceHashes(metainfo.infoHash),
    scope: chosen.scope,
    target: chosen.target,
  };
  const panel = TrackerResultsPanel.forTorrent(context, log, uri, `${verb}: ${fileName}`);
  const total = request.trackers.length * request.hashes.length;
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `${verb === 'Announce' ? 'Announcing to' : 'Scraping'} ${chosen.scope}`,
      cancellable: true,
    },
    async (progress, token) => {
      token.onCancellationRequested(() => panel.cancel());
      const timer = setInterval(() => {
        const { done, working } = panel.progress();
        progress.report({ message: `${done} of ${total} done, ${working} answered` });
      }, 250);
      try {
        await panel.start(request);
      } finally {
        clearInterval(timer);
      }
    },
  );
}
