// What `torrent-lens magnet` and `torrent-lens peers` share: the options that reach a swarm (peers typed by the
// user, the trackers or not, the port announced, time and connection limits), a live progress line on a terminal,
// the metadata of a magnet link fetched from its swarm, and the words for a magnet link and for each peer.

import {
  advertisedFlags,
  candidatesFromMagnet,
  fetchMetadata,
  parsePeerList,
  torrentFromMagnet,
  type MagnetTorrent,
  type MetadataResult,
  type PeerCandidate,
  type PeerCounts,
  type PeerProgress,
  type PeerReport,
  type TrackerSource,
} from '../core/peer';
import { parseMagnet, type MagnetLink } from '../core/magnet/parse';
import type { MagnetSummary } from '../core/magnet/summary';
import type { Secrets } from '../core/privacy/secrets';
import { redactResult, type AnnounceResult, type TrackerTarget } from '../core/tracker';
import { visibleText } from '../core/text/display';
import { formatCount, formatSize, plural } from '../shared/format';
import type { CommandSpec, ParsedArgs } from './args';
import { CliError, type CliIo } from './command';
import { interruptible } from './interrupt';
import { table } from './commands/trackers';

export const swarmOptions: CommandSpec['options'] = {
  peer: {
    type: 'string',
    placeholder: 'HOST:PORT',
    multiple: true,
    description: 'ask this peer too ([ADDRESS]:PORT for IPv6)',
  },
  'no-trackers': { type: 'boolean', description: 'do not announce to the trackers: ask only the peers given' },
  port: { type: 'integer', placeholder: 'P', description: 'the port announced to trackers (default 6881; nothing listens there)' },
  connections: { type: 'integer', placeholder: 'N', description: 'peers connected at once' },
  timeout: { type: 'integer', placeholder: 'MS', description: 'give the whole run this long, trackers included, in milliseconds' },
  json: { type: 'boolean', description: 'print one JSON object instead of text' },
  'show-secrets': { type: 'boolean', description: 'show tracker passkeys and other secrets in URLs' },
};

export const SWARM_DETAILS = [
  'Announcing to the trackers (unless --no-trackers) tells each your IP address, as a BitTorrent client would; each',
  'announce is followed by event=stopped so that the tracker forgets it. Peers are only asked what they have and',
  'for metadata: nothing is downloaded. Progress goes to standard error when it is a terminal.',
].join('\n');

export interface SwarmArgs {
  /** Peers the user typed. */
  peers: PeerCandidate[];
  /** Whether to announce to the trackers. */
  useTrackers: boolean;
  port?: number;
  maxConnections?: number;
  timeoutMs?: number;
  json: boolean;
  showSecrets: boolean;
}

export function readSwarmArgs(args: ParsedArgs, hashKind: 'v1' | 'v2'): SwarmArgs {
  const typed = parsePeerList(((args.options.peer as string[] | undefined) ?? []).join(' '), hashKind);
  if (typed.errors.length > 0) throw new CliError(`option '--peer': ${visibleText(typed.errors[0])}`);
  const port = args.options.port as number | undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new CliError(`option '--port' must be between 1 and 65535, not ${port}`);
  const connections = args.options.connections as number | undefined;
  if (connections !== undefined && (connections < 1 || connections > 1000))
    throw new CliError(`option '--connections' must be between 1 and 1000, not ${connections}`);
  const timeout = args.options.timeout as number | undefined;
  if (timeout !== undefined && (timeout < 1 || timeout > 3_600_000))
    throw new CliError(`option '--timeout' must be between 1 and 3600000 ms, not ${timeout}`);
  return {
    peers: typed.peers,
    useTrackers: args.options['no-trackers'] !== true,
    port,
    maxConnections: connections,
    timeoutMs: timeout,
    json: args.options.json === true,
    showSecrets: args.options['show-secrets'] === true,
  };
}

/** The trackers to announce to, as the swarm options want them; none when the user said not to or there are none. */
export function trackerSource(swarm: SwarmArgs, trackers: TrackerTarget[]): TrackerSource | undefined {
  if (!swarm.useTrackers || trackers.length === 0) return undefined;
  return { trackers, announce: swarm.port === undefined ? {} : { port: swarm.port } };
}

/** The magnet link given on the command line; one that cannot be read is a usage error with the reader's reason. */
export function magnetArgument(uri: string): MagnetLink {
  const parsed = parseMagnet(uri);
  if (!parsed.ok) throw new CliError(visibleText(parsed.error.message));
  return parsed.magnet;
}

/**
 * The metadata of `magnet` from its swarm (the link's peers, its trackers' peers and the user's), with the
 * torrent made from it when it came; Ctrl-C stops the fetch. With nobody to ask, `nobodyToAsk` is the error.
 */
export async function fetchMagnetMetadata(
  magnet: MagnetLink,
  swarm: SwarmArgs,
  progress: ProgressLine,
  nobodyToAsk: string,
): Promise<{ result: MetadataResult; made: MagnetTorrent | undefined }> {
  const fromLink = candidatesFromMagnet(magnet);
  const trackers = trackerSource(swarm, fromLink.trackers);
  const peers = [...fromLink.peers, ...swarm.peers];
  if (!trackers && peers.length === 0) throw new CliError(nobodyToAsk);
  const result = await interruptible((signal) =>
    fetchMetadata({
      infoHash: magnet.infoHash,
      peers,
      trackers,
      maxConnections: swarm.maxConnections,
      timeoutMs: swarm.timeoutMs,
      signal,
      onProgress: progress.listener('metadata'),
    }),
  );
  progress.clear();
  return { result, made: result.info ? torrentFromMagnet(magnet, result.info, undefined, result.pieceLayers) : undefined };
}

/** One line on standard error, redrawn as the run goes (only on a terminal), and cleared at the end. */
export class ProgressLine {
  private shown = false;
  private last = 0;

  constructor(private readonly io: CliIo) {}

  /** A listener for the core's progress events that words them with `label` (`metadata`, `probe`). */
  listener(label: string): (event: PeerProgress) => void {
    let blocksTotal: number | undefined;
    return (event) => {
      if (event.type === 'block') blocksTotal = event.blocksTotal;
      if (event.type === 'layers') {
        // Every layer event is shown: there are few, and the last one must not be skipped.
        this.show(`piece layers: ${formatCount(event.done)} of ${plural(event.total, 'file')}`);
        return;
      }
      // At most ten redraws a second: a fast swarm sends hundreds of events.
      const now = Date.now();
      if (now - this.last < 100) return;
      this.last = now;
      this.show(`${label}: ${countsText(event.counts, blocksTotal)}`);
    };
  }

  show(text: string): void {
    if (!this.io.errIsTerminal) return;
    this.shown = true;
    // Carriage return and erase-to-end-of-line: the line is redrawn in place.
    this.io.err(`\r${text}\x1b[K`);
  }

  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
    this.shown = false;
  }
}

export function countsText(counts: PeerCounts, blocksTotal?: number): string {
  const parts = [
    `${formatCount(counts.found)} found`,
    `${formatCount(counts.tried)} tried`,
    `${formatCount(counts.connected)} connected`,
    `${formatCount(counts.failed)} failed`,
  ];
  if (counts.skipped > 0) parts.push(`${formatCount(counts.skipped)} not asked (over the limit of peers)`);
  if (blocksTotal !== undefined) parts.push(`${formatCount(counts.blocks)} of ${plural(blocksTotal, 'metadata block')}`);
  else if (counts.blocks > 0) parts.push(plural(counts.blocks, 'metadata block'));
  return parts.join(', ');
}

/** What a magnet link says, one fact a line. */
export function magnetLines(summary: MagnetSummary): string[] {
  const lines: string[] = [];
  if (summary.hashes.v1) lines.push(`  v1 ${summary.hashes.v1.hex} (base32 ${summary.hashes.v1.base32})`);
  if (summary.hashes.v2) lines.push(`  v2 ${summary.hashes.v2.hex} (truncated ${summary.hashes.v2.truncated})`);
  for (const url of summary.trackers) lines.push(`  tracker ${visibleText(url)}`);
  for (const url of summary.webSeeds) lines.push(`  web seed ${visibleText(url)}`);
  for (const peer of summary.peers) lines.push(`  peer ${visibleText(peer)}`);
  if (summary.exactLength !== undefined)
    lines.push(`  length ${formatCount(summary.exactLength)} bytes (${formatSize(summary.exactLength)})`);
  if (summary.selectOnly !== undefined)
    lines.push(`  selects files ${summary.selectOnly.slice(0, 20).join(', ')}${summary.selectOnly.length > 20 ? ', …' : ''}`);
  for (const [name, value] of summary.unknown) lines.push(`  ${visibleText(name)}=${visibleText(value)} (not interpreted)`);
  return lines;
}

/** The trackers' answers in a line: how many answered, and the failures with their reasons. */
export function trackerLines(results: AnnounceResult[], secrets: Secrets): string[] {
  if (results.length === 0) return [];
  const answered = results.filter((r) => r.ok).length;
  const lines = [`Trackers: ${formatCount(answered)} of ${plural(results.length, 'announce')} answered`];
  for (const result of results.map((r) => redactResult(r, secrets))) {
    const peers = result.ok ? `${plural(result.peers.length, 'peer')}` : (result.error ?? result.status);
    lines.push(`  ${visibleText(result.tracker)}${result.hashKind === 'v2' ? ' (v2)' : ''}: ${visibleText(peers)}`);
  }
  return lines;
}

/** Most peers listed as text (JSON lists all). */
export const MAX_PEERS_LISTED = 1000;

/** A table of the peers: address, status, what each has, its client and flags, its time, and why it failed. */
export function peerTable(reports: PeerReport[], options: { have: boolean }): string[] {
  const shown = reports.slice(0, MAX_PEERS_LISTED);
  const header = ['  Address', 'Status', ...(options.have ? ['Have'] : []), 'Client', 'Flags', 'Time', 'Detail'];
  const rows = shown.map((r) => [
    `  ${visibleText(r.address)}`,
    r.status,
    ...(options.have ? [r.have ? `${r.have.percent}%${r.have.seed ? ' seed' : ''}` : '-'] : []),
    r.client ? visibleText(r.client) : '-',
    advertisedFlags(r).join(' ') || '-',
    `${formatCount(r.answerMs ?? r.handshakeMs ?? r.durationMs)} ms`,
    visibleText([r.error, ...r.notes].filter((t) => t).join('; ')),
  ]);
  const lines = table(header, rows, new Set([options.have ? 5 : 4]));
  if (reports.length > shown.length) lines.push(`  … ${formatCount(reports.length - shown.length)} more (--json lists all)`);
  return lines;
}
