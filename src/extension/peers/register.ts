// Magnet links and peers in VS Code: Open Magnet Link… (what the link says, its metadata fetched with live
// progress, the torrent opened in the editor as an unsaved file), Probe Peers (a torrent's swarm in the probe
// panel), Save Torrent As…, and the hover and links of magnet links and info hashes in text files. Announcing to
// get peers asks for consent as the tracker commands do (one confirmation per session, shared with them).
import * as vscode from 'vscode';
import { parseMagnet, type MagnetLink } from '../../core/magnet/parse';
import { errorText, formatCount } from '../../shared/format';
import { peerSettingsFrom, type PeerSettings } from '../../view-model/peers/settings';
import { MagnetSession, ProbeSession, type SessionOptions, type SwarmSession } from '../../view-model/peers/session';
import { COPY_TEXT_COMMAND, OPEN_MAGNET_COMMAND } from '../../view-model/peers/hover';
import { trackerTargets } from '../../core/tracker/run';
import { notificationText } from '../../view-model/notification-text';
import type { Log } from '../log';
import { showSecrets, trackerSettings } from '../settings';
import { confirmAnnounce, resolveTorrent } from '../trackers/register';
import { fileNameOf, loadTorrent } from '../torrent-file';
import { FETCHED_SCHEME, FetchedTorrents } from '../magnet/fetched-torrents';
import { registerTextLinks } from '../magnet/text-links';
import { ProbePanels, type PanelSubject } from './panel';

const EDITOR_VIEW_TYPE = 'torrentLens.editor';

export function registerPeerCommands(context: vscode.ExtensionContext, log: Log): void {
  const panels = new ProbePanels(context.extensionUri, log);
  const fetched = new FetchedTorrents();
  context.subscriptions.push(
    panels,
    fetched,
    vscode.workspace.registerFileSystemProvider(FETCHED_SCHEME, fetched, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(OPEN_MAGNET_COMMAND, (link?: unknown) => openMagnet(panels, fetched, log, link)),
    vscode.commands.registerCommand('torrentLens.probePeers', (resource?: unknown) => probePeers(panels, log, resource)),
    vscode.commands.registerCommand('torrentLens.saveTorrentAs', (resource?: unknown) => saveTorrentAs(fetched, resource)),
    vscode.commands.registerCommand(COPY_TEXT_COMMAND, async (text?: unknown, what?: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(
        vscode.l10n.t('Torrent Lens: copied the {0}', typeof what === 'string' ? notificationText(what) : vscode.l10n.t('text')),
        3000,
      );
    }),
    registerTextLinks(),
  );
}

/** The `torrentLens.peers.*` settings, checked and bounded. */
function peerSettings(): PeerSettings {
  const config = vscode.workspace.getConfiguration('torrentLens');
  return peerSettingsFrom((key) => config.get(key));
}

function sessionOptions(panels: ProbePanels, log: Log, announce: boolean, runId = panels.runId()): SessionOptions {
  return {
    runId,
    peers: peerSettings(),
    trackers: trackerSettings(),
    showSecrets: showSecrets(),
    announce,
    log: (level, message) => log[level](message),
  };
}

// -------------------------------------------------------------------------------------------------------
// Open Magnet Link…

/** The clipboard's text when it holds a magnet link, to offer it. */
async function magnetOnClipboard(): Promise<string | undefined> {
  try {
    const text = (await vscode.env.clipboard.readText()).trim();
    return /^magnet:\?/i.test(text) && text.length <= 64 * 1024 ? text : undefined;
  } catch {
    return undefined;
  }
}

async function askForLink(): Promise<MagnetLink | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Open Magnet Link'),
    prompt: vscode.l10n.t('A magnet link (magnet:?xt=urn:btih:…): Torrent Lens fetches its metadata from its peers and opens the torrent'),
    placeHolder: vscode.l10n.t('magnet:?xt=urn:btih:…'),
    value: await magnetOnClipboard(),
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') return undefined;
      const parsed = parseMagnet(text);
      return parsed.ok ? undefined : parsed.error.message;
    },
  });
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseMagnet(value);
  return parsed.ok ? parsed.magnet : undefined;
}

async function openMagnet(panels: ProbePanels, fetched: FetchedTorrents, log: Log, argument: unknown): Promise<void> {
  let magnet: MagnetLink | undefined;
  if (typeof argument === 'string') {
    const parsed = parseMagnet(argument);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Torrent Lens cannot use this magnet link: {0}', notificationText(parsed.error.message)),
      );
      return;
    }
    magnet = parsed.magnet;
  } else {
    magnet = await askForLink();
  }
  if (!magnet) return;
  // Announcing discloses the user's address to the trackers: the same consent as Announce to Tracker.
  const announce = magnet.trackers.length > 0 && (await confirmAnnounce(magnet.trackers.length));
  const link = magnet;
  const subject = new MagnetSubject(
    link,
    panels,
    fetched,
    log,
    (runId) => new MagnetSession(sessionOptions(panels, log, announce, runId), link),
  );
  const session = subject.session(panels.runId());
  if (!announce && link.peers.length === 0)
    void vscode.window.showInformationMessage(
      link.trackers.length === 0
        ? vscode.l10n.t('The magnet link names no trackers and no peers: add peers (host:port) in the panel.')
        : vscode.l10n.t('Without announcing to its trackers there is nobody to ask: add peers (host:port) in the panel.'),
    );
  const title = vscode.l10n.t('Fetching the metadata of {0}', notificationText(link.name ?? subject.hash));
  await runWithProgress(panels, subject, session, title, (s) => {
    const c = s.model.counts();
    return c.blocksTotal === undefined
      ? vscode.l10n.t('{0} peers tried, {1} connected', formatCount(c.tried), formatCount(c.connected))
      : vscode.l10n.t(
          '{0} peers tried, {1} connected, {2} of {3} blocks',
          formatCount(c.tried),
          formatCount(c.connected),
          formatCount(c.blocks),
          formatCount(c.blocksTotal),
        );
  });
}

/** A magnet link's panel: its sessions (a new one for each Rerun), and the torrent the latest one made. */
class MagnetSubject implements PanelSubject {
  readonly key: string;
  readonly title: string;
  readonly hash: string;
  private current: MagnetSession | undefined;

  constructor(
    link: MagnetLink,
    private readonly panels: ProbePanels,
    private readonly fetched: FetchedTorrents,
    private readonly log: Log,
    private readonly make: (runId: number) => MagnetSession,
  ) {
    this.hash = link.infoHash.v1 ?? link.infoHash.v2!;
    this.key = `magnet:${this.hash}`;
    this.title = vscode.l10n.t('Magnet: {0}', link.name ?? this.hash.slice(0, 12));
  }

  /** A new session, whose torrent opens in the editor the moment it is made. */
  session(runId: number): MagnetSession {
    const session = this.make(runId);
    this.current = session;
    session.onTorrent((made) => {
      const uri = this.fetched.add(this.hash, session.fileName, made.bytes);
      void this.openBesidePanel(uri).then(undefined, (error: unknown) => {
        this.log.warn(`could not open the torrent of the magnet link: ${errorText(error)}`);
      });
    });
    return session;
  }

  rerun(runId: number): SwarmSession {
    return this.session(runId);
  }

  async openTorrent(): Promise<void> {
    const uri = this.torrentUri();
    if (uri) await this.openBesidePanel(uri);
  }

  async saveTorrent(): Promise<void> {
    const uri = this.torrentUri();
    if (uri) await saveTorrentAs(this.fetched, uri);
  }

  private torrentUri(): vscode.Uri | undefined {
    const session = this.current;
    return session?.torrent ? vscode.Uri.from({ scheme: FETCHED_SCHEME, path: `/${this.hash}/${session.fileName}` }) : undefined;
  }

  private async openBesidePanel(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', uri, EDITOR_VIEW_TYPE, await this.panels.columnBeside(this.key));
  }
}

// -------------------------------------------------------------------------------------------------------
// Probe Peers

async function probePeers(panels: ProbePanels, log: Log, resource: unknown): Promise<void> {
  const uri = await resolveTorrent(panels, resource);
  if (!uri) return;
  const metainfo = await loadTorrent(uri);
  if (!metainfo) return;
  const fileName = fileNameOf(uri);
  const trackers = trackerTargets(metainfo.trackers);
  const announce = trackers.length > 0 && (await confirmAnnounce(trackers.length));
  const make = (options: SessionOptions) => new ProbeSession(options, metainfo, fileName);
  const subject: PanelSubject = {
    key: uri.toString(),
    title: vscode.l10n.t('Peers: {0}', fileName),
    torrent: uri,
    rerun: (runId) => make(sessionOptions(panels, log, announce, runId)),
  };
  if (!announce)
    void vscode.window.showInformationMessage(
      trackers.length === 0
        ? vscode.l10n.t('{0} lists no trackers: add peers (host:port) in the panel.', notificationText(fileName))
        : vscode.l10n.t('Without announcing to the trackers there is nobody to ask: add peers (host:port) in the panel.'),
    );
  const title = vscode.l10n.t('Probing the peers of {0}', notificationText(fileName));
  await runWithProgress(panels, subject, make(sessionOptions(panels, log, announce)), title, (s) => {
    const c = s.model.counts();
    const answered = s.model.swarmState()?.peers ?? 0;
    return vscode.l10n.t(
      '{0} peers tried, {1} connected, {2} said what they have',
      formatCount(c.tried),
      formatCount(c.connected),
      formatCount(answered),
    );
  });
}

/** Shows the session in its panel and a cancellable progress notification until its main run ends. */
async function runWithProgress<S extends SwarmSession>(
  panels: ProbePanels,
  subject: PanelSubject,
  session: S,
  title: string,
  words: (session: S) => string,
): Promise<void> {
  const started = panels.panelFor(subject).begin(session, subject);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => session.cancel());
      const timer = setInterval(() => progress.report({ message: words(session) }), 250);
      try {
        await started;
      } finally {
        clearInterval(timer);
      }
    },
  );
}

// -------------------------------------------------------------------------------------------------------
// Save Torrent As…

/** The fetched torrent the user means: the argument, else the active editor's. */
function fetchedTorrentOf(resource: unknown): vscode.Uri | undefined {
  if (resource instanceof vscode.Uri) return resource.scheme === FETCHED_SCHEME ? resource : undefined;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.uri.scheme === FETCHED_SCHEME) return input.uri;
  return undefined;
}

async function saveTorrentAs(fetched: FetchedTorrents, resource: unknown): Promise<void> {
  const source = fetchedTorrentOf(resource);
  const bytes = source && fetched.bytes(source);
  if (!source || !bytes) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Open a torrent fetched from a magnet link first (Torrent: Open Magnet Link…).'),
    );
    return;
  }
  const name = source.path.slice(source.path.lastIndexOf('/') + 1);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save Torrent As'),
    saveLabel: vscode.l10n.t('Save Torrent'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [vscode.l10n.t('Torrents')]: ['torrent'] },
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not save the torrent: {0}', notificationText(errorText(error))));
    return;
  }
  // The saved file takes the unsaved one's place.
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === source.toString())
        await vscode.window.tabGroups.close(tab);
  await vscode.commands.executeCommand('vscode.openWith', target, EDITOR_VIEW_TYPE);
}
