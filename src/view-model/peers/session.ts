// One panel's work over a swarm, as the probe panel shows it: the metadata fetch of a magnet link, or a probe of a
// torrent's peers. A session starts its main run (the peers it knows and, when the user allowed announcing, the
// trackers) and a run of their own for peers the user adds by hand; every run feeds one SwarmModel. It says what
// to show (`state`), answers for rows and details, cancels, and gives the CLI's JSON. No `vscode`.

import { hashForms, magnetSecrets, magnetSummary } from '../../core/magnet/summary';
import type { MagnetLink } from '../../core/magnet/parse';
import type { Metainfo } from '../../core/metainfo/types';
import { candidatesFromMagnet, parsePeerList } from '../../core/peer/candidates';
import { torrentFromMagnet, type MagnetTorrent } from '../../core/peer/from-magnet';
import { fetchMetadata } from '../../core/peer/metadata';
import type { PieceLayersResult } from '../../core/peer/piece-layers';
import { probePeers, probeTargetOf, type ProbeTarget } from '../../core/peer/probe';
import { trackerHashes, type TrackerSource } from '../../core/peer/swarm';
import type { PeerCandidate, PeerProgress } from '../../core/peer/types';
import { Secrets } from '../../core/privacy/secrets';
import { redactResult } from '../../core/tracker/report';
import { trackerTargets } from '../../core/tracker/run';
import type { AnnounceOptions, TrackerTarget } from '../../core/tracker/types';
import { visibleText } from '../../core/text/display';
import { errorText, formatCount, formatSize, plural } from '../../shared/format';
import {
  MAX_TRACKER_LINES,
  type HashLine,
  type LinkFacts,
  type MagnetResult,
  type PeerDetails,
  type PeerSort,
  type ProbePanelState,
  type ProbeRow,
  type RowPage,
} from '../../shared/protocol/probe';
import type { TrackerSettings } from '../settings';
import type { PeerSettings } from './settings';
import { SwarmModel } from './swarm-model';

export type SessionLog = (level: 'info' | 'debug' | 'warn' | 'error', message: string) => void;

export interface SessionOptions {
  runId: number;
  peers: PeerSettings;
  trackers: TrackerSettings;
  /** Whether secrets in tracker URLs are shown (the setting when the session started). */
  showSecrets: boolean;
  /** Whether the user allowed announcing to the trackers (it discloses their address). */
  announce: boolean;
  log: SessionLog;
}

/** How one run ended. */
interface RunEnd {
  status: string;
  error?: string;
}

export abstract class SwarmSession {
  readonly model: SwarmModel;
  private readonly controllers = new Set<AbortController>();
  private active = 0;
  private runs = 0;
  private readonly startedAt = Date.now();
  private endedAt: number | undefined;
  private lastEnd: RunEnd | undefined;
  private listener: () => void = () => {};

  protected constructor(
    protected readonly options: SessionOptions,
    target: ProbeTarget | undefined,
  ) {
    this.model = new SwarmModel(() => this.secrets, target);
  }

  get runId(): number {
    return this.options.runId;
  }

  get running(): boolean {
    return this.active > 0;
  }

  /** Tells `listener` whenever what the panel shows may have changed (often: the panel throttles). */
  onChange(listener: () => void): void {
    this.listener = listener;
  }

  /** The main run: the peers known and, if the user allowed it, the trackers. Resolves when it ends. */
  start(): Promise<void> {
    const trackers = this.options.announce ? this.trackerSource() : undefined;
    return this.run(this.knownPeers(), trackers);
  }

  /** Peers the user typed: a run of their own, reported in the same lists. */
  addPeers(text: string): { added: number; errors: string[] } {
    const { peers, errors } = parsePeerList(text, this.hashKind);
    if (peers.length === 0) return { added: 0, errors: errors.length > 0 ? errors : ['no address given: type host:port'] };
    const refusal = this.refusesPeers();
    if (refusal) return { added: 0, errors: [refusal] };
    void this.run(peers, undefined);
    return { added: peers.length, errors };
  }

  /** Stops every run; what was learnt stays. */
  cancel(): void {
    for (const controller of this.controllers) controller.abort();
  }

  rows(list: 'peers' | 'files', start: number, count: number): RowPage<ProbeRow> {
    const bounded = Math.min(Math.max(0, count), 500);
    if (list === 'peers')
      return { version: this.model.peersVersion, total: this.model.peerCount, start, rows: this.model.peerRows(start, bounded) };
    return { version: this.model.filesVersion, total: this.model.fileCount, start, rows: this.model.fileRows(start, bounded) };
  }

  details(id: string): PeerDetails | null {
    return this.model.details(id);
  }

  setSort(sort: PeerSort): void {
    this.model.setSort(sort);
    this.listener();
  }

  /** What the panel shows now. */
  state(): ProbePanelState {
    const counts = this.model.counts();
    const swarm = this.model.swarmState();
    const trackers = this.model.trackerLines();
    const state: ProbePanelState = {
      runId: this.runId,
      kind: this.kind,
      title: '',
      subtitle: '',
      hashes: [],
      running: this.running,
      summary: '',
      status: this.running ? 'running' : this.status(),
      counts,
      trackers: trackers.slice(0, MAX_TRACKER_LINES),
      trackerCounts: {
        total: trackers.length,
        answered: trackers.filter((t) => t.status === 'working').length,
        waiting: trackers.filter((t) => t.status === 'pending').length,
      },
      announced: this.options.announce && this.trackerSource() !== undefined,
      peers: { version: this.model.peersVersion, total: this.model.peerCount },
      sort: this.model.sort,
      durationMs: (this.endedAt ?? Date.now()) - this.startedAt,
    };
    if (swarm) {
      state.swarm = swarm;
      state.files = { version: this.model.filesVersion, total: this.model.fileCount };
    }
    this.describe(state);
    return state;
  }

  /** The report in the CLI's JSON shape, redacted unless secrets are shown. */
  abstract json(): string;

  protected abstract readonly kind: 'magnet' | 'probe';
  protected abstract get secrets(): Secrets;
  protected abstract get hashKind(): 'v1' | 'v2';
  /** Peers to ask at the start (a magnet's x.pe). */
  protected abstract knownPeers(): PeerCandidate[];
  protected abstract trackerSource(): TrackerSource | undefined;
  /** Runs the core over `peers` (and the trackers, for the main run). */
  protected abstract execute(
    peers: PeerCandidate[],
    trackers: TrackerSource | undefined,
    signal: AbortSignal,
    onProgress: (event: PeerProgress) => void,
  ): Promise<RunEnd>;
  /** Why peers added now would not be asked, if so. */
  protected abstract refusesPeers(): string | undefined;
  /** Fills in the title, subtitle, hashes, summary and what is particular to the kind. */
  protected abstract describe(state: ProbePanelState): void;

  /** How the session ended, once every run has. */
  protected status(): string {
    return this.lastEnd?.status ?? 'running';
  }

  protected get lastError(): string | undefined {
    return this.lastEnd?.error;
  }

  /** Options of every announce: the user's tracker settings, and a log redacted through the torrent's secrets. */
  protected announceOptions(left: number | undefined): AnnounceOptions {
    const t = this.options.trackers;
    const options: AnnounceOptions = {
      timeoutMs: t.timeoutMs,
      udpRetryTimeoutMs: t.udpRetryTimeoutMs,
      maxResponseBytes: t.maxResponseBytes,
      userAgent: t.userAgent,
      numwant: t.numwant,
      port: t.port,
      event: t.event,
      log: (level, message) => this.options.log(level, this.secrets.redact(message)),
    };
    if (left !== undefined) options.left = left;
    return options;
  }

  /** Stops every run but the one of `except` (the metadata is in: nobody else is needed). */
  protected stopOthers(except: AbortSignal): void {
    for (const controller of this.controllers) if (controller.signal !== except) controller.abort();
  }

  protected changed(): void {
    this.listener();
  }

  private async run(peers: PeerCandidate[], trackers: TrackerSource | undefined): Promise<void> {
    const controller = new AbortController();
    const run = this.runs++;
    this.controllers.add(controller);
    this.active++;
    this.endedAt = undefined;
    if (trackers) this.model.expectTrackers(trackers.trackers, this.hashes());
    this.listener();
    try {
      this.lastEnd = await this.execute(peers, trackers, controller.signal, (event) => {
        this.model.update(run, event);
        this.listener();
      });
    } catch (error) {
      this.lastEnd = { status: 'failed', error: errorText(error) };
      this.options.log('error', `${this.kind} run failed: ${errorText(error)}`);
    } finally {
      this.controllers.delete(controller);
      this.active--;
      if (this.active === 0) this.endedAt = Date.now();
      this.listener();
    }
  }

  protected abstract hashes(): ReturnType<typeof trackerHashes>;
}

// -------------------------------------------------------------------------------------------------------
// A magnet link's metadata

export class MagnetSession extends SwarmSession {
  protected readonly kind = 'magnet';
  private linkSecrets: Secrets;
  private made: MagnetTorrent | undefined;
  private supplied: { bytes: number; from: string[]; durationMs: number } | undefined;
  /** How asking the peers for the piece layers went (v2 and hybrid torrents with files larger than a piece). */
  private layers: PieceLayersResult | undefined;
  private onTorrentMade: (made: MagnetTorrent) => void = () => {};

  constructor(
    options: SessionOptions,
    readonly magnet: MagnetLink,
  ) {
    super(options, undefined);
    this.linkSecrets = magnetSecrets(magnet, { show: options.showSecrets });
  }

  /** Told once, when the metadata is verified and the torrent made. */
  onTorrent(listener: (made: MagnetTorrent) => void): void {
    this.onTorrentMade = listener;
  }

  /** The torrent made from the metadata, once it is in. */
  get torrent(): MagnetTorrent | undefined {
    return this.made;
  }

  /** A name for the torrent's file: the torrent's name, else the link's, else the info hash. */
  get fileName(): string {
    const name = this.made?.metainfo?.name.text ?? this.magnet.name ?? this.magnet.infoHash.v1 ?? this.magnet.infoHash.v2 ?? 'magnet';
    return `${safeFileName(name) || this.magnet.infoHash.v1 || this.magnet.infoHash.v2}.torrent`;
  }

  protected get secrets(): Secrets {
    return this.linkSecrets;
  }

  protected get hashKind(): 'v1' | 'v2' {
    return this.magnet.infoHash.v1 !== undefined ? 'v1' : 'v2';
  }

  protected hashes(): ReturnType<typeof trackerHashes> {
    return trackerHashes(this.magnet.infoHash);
  }

  protected knownPeers(): PeerCandidate[] {
    return candidatesFromMagnet(this.magnet).peers;
  }

  protected trackerSource(): TrackerSource | undefined {
    const trackers = candidatesFromMagnet(this.magnet).trackers;
    if (trackers.length === 0) return undefined;
    // Nothing of the torrent is known yet: `left` as the swarm's default, unless the user announces as a seeder.
    return { trackers, announce: this.announceOptions(this.options.trackers.left === 'zero' ? 0 : undefined) };
  }

  protected refusesPeers(): string | undefined {
    return this.made ? 'the metadata is already here' : undefined;
  }

  protected async execute(
    peers: PeerCandidate[],
    trackers: TrackerSource | undefined,
    signal: AbortSignal,
    onProgress: (event: PeerProgress) => void,
  ): Promise<RunEnd> {
    const result = await fetchMetadata({
      infoHash: this.magnet.infoHash,
      peers,
      trackers,
      maxConnections: this.options.peers.maxConnections,
      timeoutMs: this.options.peers.timeoutMs,
      signal,
      onProgress,
    });
    if (result.info && !this.made) {
      this.made = torrentFromMagnet(this.magnet, result.info, undefined, result.pieceLayers);
      this.layers = result.pieceLayers;
      this.supplied = { bytes: result.info.length, from: result.suppliers, durationMs: result.durationMs };
      // Once the metadata says whether the torrent is private, its tracker URLs are redacted by that rule.
      this.linkSecrets = magnetSecrets(this.magnet, { show: this.options.showSecrets, private: this.made.metainfo?.private });
      this.stopOthers(signal);
      this.options.log(
        'info',
        `metadata of ${this.magnet.infoHash.v1 ?? this.magnet.infoHash.v2}: ${result.info.length} bytes from ${result.suppliers.join(', ')} in ${result.durationMs} ms`,
      );
      this.onTorrentMade(this.made);
    }
    return { status: result.status, error: result.error };
  }

  protected override status(): string {
    return this.made ? 'ok' : super.status();
  }

  protected describe(state: ProbePanelState): void {
    const summary = magnetSummary(this.magnet, this.secrets);
    state.title = visibleText(summary.name ?? this.magnet.infoHash.v1 ?? this.magnet.infoHash.v2 ?? 'Magnet link');
    state.subtitle = 'Magnet link';
    state.hashes = hashLines(this.magnet.infoHash);
    const more: string[] = [];
    if (summary.exactLength !== undefined)
      more.push(`Length (xl): ${formatCount(summary.exactLength)} bytes (${formatSize(summary.exactLength)})`);
    if (summary.selectOnly !== undefined)
      more.push(`Selects files (so): ${summary.selectOnly.slice(0, 30).join(', ')}${summary.selectOnly.length > 30 ? ', …' : ''}`);
    for (const [name, value] of summary.unknown) more.push(`${name}=${value} (not interpreted)`);
    const link: LinkFacts = {
      trackers: summary.trackers.map((t) => visibleText(t)),
      webSeeds: summary.webSeeds.map((w) => visibleText(w)),
      peers: summary.peers.map((p) => visibleText(p)),
      more: more.map((m) => visibleText(m)),
    };
    if (summary.name !== undefined) link.name = visibleText(summary.name);
    state.link = link;
    if (this.made && this.supplied) {
      state.summary = `Metadata verified: ${formatCount(this.supplied.bytes)} bytes from ${this.supplied.from.map((f) => visibleText(f)).join(', ')} in ${formatCount(this.supplied.durationMs)} ms.`;
      state.result = this.resultView(this.made);
    } else if (state.running && this.model.layers) {
      const { done, total } = this.model.layers;
      state.summary = `Metadata verified; fetching the piece layers from the peers: ${formatCount(done)} of ${plural(total, 'file')}…`;
    } else if (state.running) {
      state.summary = 'Fetching the metadata from the swarm…';
    } else {
      state.summary = `No metadata: ${visibleText(this.lastError ?? state.status)}.`;
    }
  }

  private resultView(made: MagnetTorrent): MagnetResult {
    const m = made.metainfo;
    const view: MagnetResult = {
      name: visibleText(this.secrets.redact(m?.name.text ?? this.fileName)),
      detail: m
        ? `${plural(m.files.count - m.files.padCount, 'file')}, ${formatSize(m.totalLength - m.paddingLength)}, ${m.version}${m.private ? ', private' : ''}; ${formatCount(made.bytes.length)} bytes as a .torrent`
        : `${formatCount(made.bytes.length)} bytes as a .torrent`,
      notes: made.notes.map((note) => visibleText(this.secrets.redact(note))),
    };
    if (made.problem) view.problem = visibleText(made.problem);
    return view;
  }

  json(): string {
    const secrets = this.secrets;
    const m = this.made?.metainfo;
    const report = {
      link: magnetSummary(this.magnet, secrets),
      ok: this.made !== undefined,
      status: this.running ? 'running' : this.status(),
      ...(this.lastError !== undefined && !this.made ? { error: this.lastError } : {}),
      torrent: this.made
        ? {
            bytes: this.made.bytes.length,
            infoHash: m ? m.infoHash : null,
            name: m ? secrets.redact(m.name.text) : null,
            version: m ? m.version : null,
            fileCount: m ? m.files.count - m.files.padCount : null,
            totalLength: m ? m.totalLength - m.paddingLength : null,
            pieceLayers: m ? (m.pieceLayerCount ?? 0) : null,
            problem: this.made.problem ?? null,
          }
        : null,
      notes: (this.made?.notes ?? []).map((n) => secrets.redact(n)),
      metadata: {
        bytes: this.supplied?.bytes ?? null,
        suppliers: this.supplied?.from ?? [],
        peers: this.model.reports(),
        trackers: this.model.trackerResults().map((r) => redactResult(r, secrets)),
        counts: this.model.counts(),
        pieceLayers: this.layers
          ? { status: this.layers.status, total: this.layers.total, fetched: this.layers.layers.size, peers: this.layers.peers }
          : null,
      },
    };
    return `${JSON.stringify(report, null, 2)}\n`;
  }
}

// -------------------------------------------------------------------------------------------------------
// A probe of a torrent's peers

export class ProbeSession extends SwarmSession {
  protected readonly kind = 'probe';
  private readonly torrentSecrets: Secrets;
  private readonly target: ProbeTarget;

  constructor(
    options: SessionOptions,
    readonly metainfo: Metainfo,
    /** The torrent's file name, for the subtitle. */
    readonly fileName: string,
  ) {
    const target = probeTargetOf(metainfo);
    super(options, target);
    this.target = target;
    this.torrentSecrets = Secrets.forTorrent(metainfo, { show: options.showSecrets });
  }

  protected get secrets(): Secrets {
    return this.torrentSecrets;
  }

  protected get hashKind(): 'v1' | 'v2' {
    return this.metainfo.infoHash.v1 !== undefined ? 'v1' : 'v2';
  }

  protected hashes(): ReturnType<typeof trackerHashes> {
    return trackerHashes(this.target.infoHash);
  }

  protected knownPeers(): PeerCandidate[] {
    return [];
  }

  /** The torrent's trackers (the ones we speak to: WebSocket trackers' peers are WebRTC peers). */
  trackers(): TrackerTarget[] {
    return trackerTargets(this.metainfo.trackers);
  }

  protected trackerSource(): TrackerSource | undefined {
    const trackers = this.trackers();
    if (trackers.length === 0) return undefined;
    return { trackers, announce: this.announceOptions(this.options.trackers.left === 'zero' ? 0 : this.metainfo.totalLength) };
  }

  protected refusesPeers(): string | undefined {
    return undefined;
  }

  protected async execute(
    peers: PeerCandidate[],
    trackers: TrackerSource | undefined,
    signal: AbortSignal,
    onProgress: (event: PeerProgress) => void,
  ): Promise<RunEnd> {
    const result = await probePeers({
      target: this.target,
      peers,
      trackers,
      maxConnections: this.options.peers.maxConnections,
      timeoutMs: this.options.peers.timeoutMs,
      signal,
      onProgress,
    });
    this.options.log(
      'info',
      `probe of ${this.fileName}: ${result.availability.peers} of ${result.counts.tried} peers said what they have in ${result.durationMs} ms (${result.status})`,
    );
    return { status: result.status, error: result.error };
  }

  protected override status(): string {
    // Peers added by hand may answer where the trackers' did not: any answer makes the probe a success.
    return (this.model.swarmState()?.peers ?? 0) > 0 ? 'ok' : super.status();
  }

  protected describe(state: ProbePanelState): void {
    state.title = visibleText(this.secrets.redact(this.metainfo.name.text)) || visibleText(this.fileName);
    state.subtitle = visibleText(this.fileName);
    state.hashes = hashLines(this.metainfo.infoHash);
    const c = state.counts;
    const swarm = state.swarm!;
    const peers = `${formatCount(c.found)} found, ${formatCount(c.tried)} tried, ${formatCount(c.connected)} connected, ${formatCount(c.failed)} failed`;
    const answered = `${plural(swarm.peers, 'peer')} said what ${swarm.peers === 1 ? 'it has' : 'they have'} (${plural(swarm.seeds, 'seed')})`;
    if (state.running) state.summary = `Probing… ${answered} so far.`;
    else if (state.status === 'ok') state.summary = `${answered}, in ${formatCount(state.durationMs)} ms.`;
    else state.summary = `${capitalised(visibleText(this.lastError ?? state.status))}. Peers: ${peers}.`;
  }

  json(): string {
    const secrets = this.secrets;
    const swarm = this.model.swarmState();
    const report = {
      name: secrets.redact(this.metainfo.name.text),
      file: this.fileName,
      infoHash: this.target.infoHash,
      ok: this.status() === 'ok',
      status: this.running ? 'running' : this.status(),
      pieceCount: this.target.pieceCount,
      peers: this.model.reports(),
      availability: swarm
        ? {
            peers: swarm.peers,
            seeds: swarm.seeds,
            availableFraction: swarm.availableFraction,
            distributedCopies: swarm.distributedCopies,
            minCopies: swarm.minCopies,
            files: this.model.filesJson(),
          }
        : null,
      trackers: this.model.trackerResults().map((r) => redactResult(r, secrets)),
      counts: this.model.counts(),
    };
    return `${JSON.stringify(report, null, 2)}\n`;
  }
}

function hashLines(infoHash: { v1?: string; v2?: string }): HashLine[] {
  const lines: HashLine[] = [];
  const forms = hashForms(infoHash);
  if (forms.v1) lines.push({ label: 'v1', value: forms.v1.hex }, { label: 'v1 base32', value: forms.v1.base32 });
  if (forms.v2) lines.push({ label: 'v2', value: forms.v2.hex }, { label: 'v2 truncated', value: forms.v2.truncated });
  return lines;
}

/** A name that is safe as one file name on every system: no separators, controls or reserved characters. */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  return /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(cleaned) ? `_${cleaned}` : cleaned;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
