// `torrent-lens peers FILE|URI`: ask a torrent's swarm what it has. Peers come from the torrent's trackers and
// from --peer; for a magnet link, the metadata is fetched first and its swarm probed after. Each peer's client,
// flags, pieces and time, the availability of every piece and file, and why the others failed.

import { magnetSecrets, magnetSummary, type MagnetSummary } from '../../core/magnet/summary';
import type { Metainfo } from '../../core/metainfo/types';
import {
  metadataResultJson,
  probePeers,
  probeTargetOf,
  type MetadataResult,
  type PeerCandidate,
  type ProbeResult,
  type SwarmSummary,
} from '../../core/peer';
import { Secrets } from '../../core/privacy/secrets';
import { redactResult, trackerTargets } from '../../core/tracker';
import { visibleText } from '../../core/text/display';
import { formatCount, plural } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { CliError, EXIT_NO_ANSWER, EXIT_OK, type CliIo, type Command } from '../command';
import {
  countsText,
  fetchMagnetMetadata,
  magnetArgument,
  magnetLines,
  peerTable,
  ProgressLine,
  readSwarmArgs,
  SWARM_DETAILS,
  swarmOptions,
  trackerLines,
  trackerSource,
  type SwarmArgs,
} from '../peer-run';
import { displayPath, loadTorrent } from '../read-torrent';
import { terminalJson } from '../terminal';
import { table } from './trackers';
import { interruptible } from '../interrupt';

export const peersCommand: Command = {
  name: 'peers',
  summary: "probe a torrent's peers: their clients, what each has, and the swarm's availability",
  usage: 'peers FILE|URI [--peer HOST:PORT] [--json] [options]',
  details: [
    "Peers come from the torrent's trackers and from --peer. Each peer is asked only what it has (its bitfield):",
    'the table shows its client (from the peer id, or the v of its extension handshake), the share of pieces it',
    'has, the extensions it advertises (ext: BEP 10, fast: BEP 6, dht, v2, enc: prefers encryption) and how long',
    'it took to answer, or why it failed. Above it, the swarm: distributed copies (as libtorrent and qBittorrent',
    'count them), a picture of the copies of every piece, and the availability of each file.',
    'For a magnet link (URI), the metadata is fetched from the swarm first and every peer found is probed after.',
    SWARM_DETAILS,
    'Exit status: 0 when at least one peer said what it has, 1 when none did, 2 on bad input or usage.',
  ].join('\n'),
  spec: { options: swarmOptions, positionals: ['FILE|URI'], required: 1 },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const source = args.positionals[0];
    const progress = new ProgressLine(io);
    const target = /^magnet:/i.test(source.trim()) ? await fromMagnet(source, args, progress) : await fromFile(source, args);
    const { swarm, metainfo } = target;
    const peers = [...target.peers, ...swarm.peers];
    const trackers = target.metadata ? undefined : trackerSource(swarm, trackerTargets(metainfo.trackers));
    if (!trackers && peers.length === 0) {
      progress.clear();
      throw new CliError(
        target.metadata
          ? 'nobody to probe: the metadata came from no peer'
          : trackerTargets(metainfo.trackers).length === 0 || !swarm.useTrackers
            ? `${target.label}: no trackers to ask: give peers with --peer HOST:PORT`
            : 'nobody to ask',
      );
    }
    const result = await interruptible((signal) =>
      probePeers({
        target: probeTargetOf(metainfo),
        peers,
        trackers,
        maxConnections: swarm.maxConnections,
        timeoutMs: swarm.timeoutMs,
        signal,
        onProgress: progress.listener('probe'),
      }),
    );
    progress.clear();
    const secrets = target.secrets;
    if (swarm.json) {
      io.out(
        `${terminalJson({
          source: target.label,
          ...(target.link ? { link: target.link } : {}),
          name: secrets.redact(metainfo.name.text),
          ...(target.metadata
            ? {
                metadata: metadataResultJson({
                  ...target.metadata,
                  trackers: target.metadata.trackers.map((r) => redactResult(r, secrets)),
                }),
              }
            : {}),
          ...result,
          trackers: result.trackers.map((r) => redactResult(r, secrets)),
        })}\n`,
      );
    } else {
      io.out(probeText(target, result));
    }
    return result.ok ? EXIT_OK : EXIT_NO_ANSWER;
  },
};

interface ProbeSource {
  /** The file as given, or `magnet link`. */
  label: string;
  metainfo: Metainfo;
  secrets: Secrets;
  swarm: SwarmArgs;
  /** Peers to probe besides the user's: for a magnet link, every peer its metadata fetch found. */
  peers: PeerCandidate[];
  link?: MagnetSummary;
  metadata?: MetadataResult;
}

async function fromFile(file: string, args: ParsedArgs): Promise<ProbeSource> {
  const metainfo = await loadTorrent(file);
  const swarm = readSwarmArgs(args, metainfo.infoHash.v1 !== undefined ? 'v1' : 'v2');
  return { label: displayPath(file), metainfo, secrets: Secrets.forTorrent(metainfo, { show: swarm.showSecrets }), swarm, peers: [] };
}

async function fromMagnet(uri: string, args: ParsedArgs, progress: ProgressLine): Promise<ProbeSource> {
  const magnet = magnetArgument(uri);
  const swarm = readSwarmArgs(args, magnet.infoHash.v1 !== undefined ? 'v1' : 'v2');
  const { result: metadata, made } = await fetchMagnetMetadata(
    magnet,
    swarm,
    progress,
    'the link names no trackers and no peers (x.pe): give peers with --peer HOST:PORT',
  );
  if (!made?.metainfo)
    throw new CliError(
      `no metadata to probe with: ${visibleText(made?.problem ?? metadata.error ?? metadata.status)} (${countsText(metadata.counts)})`,
      EXIT_NO_ANSWER,
    );
  const secrets = magnetSecrets(magnet, { show: swarm.showSecrets, private: made.metainfo.private });
  // The user's peers are added by the caller; the rest of the swarm found while fetching is probed now.
  const typed = new Set(swarm.peers.map((p) => `${p.host}|${p.port}`));
  return {
    label: 'magnet link',
    metainfo: made.metainfo,
    secrets,
    swarm,
    peers: metadata.candidates.filter((p) => !typed.has(`${p.host}|${p.port}`)),
    link: magnetSummary(magnet, secrets),
    metadata,
  };
}

// -------------------------------------------------------------------------------------------------------
// Text

/** Columns of the piece picture. */
const PICTURE_COLUMNS = 64;
/** Files listed as text (JSON lists all). */
const MAX_FILES_LISTED = 100;

function probeText(source: ProbeSource, result: ProbeResult): string {
  const { metainfo, secrets } = source;
  const hashes = [metainfo.infoHash.v1 ? `v1 ${metainfo.infoHash.v1}` : '', metainfo.infoHash.v2 ? `v2 ${metainfo.infoHash.v2}` : '']
    .filter(Boolean)
    .join(', ');
  const out = [`Peers of ${visibleText(secrets.redact(metainfo.name.text))} (${source.label})`, `Info hash: ${hashes}`];
  if (source.link) out.push('', 'Magnet link:', ...magnetLines(source.link));
  if (source.metadata) {
    out.push(
      `Metadata: ${formatCount(source.metadata.info?.length ?? 0)} bytes in ${formatCount(source.metadata.durationMs)} ms (${countsText(source.metadata.counts)})`,
    );
    out.push(...trackerLines(source.metadata.trackers, secrets));
  }
  out.push('');
  out.push(...trackerLines(result.trackers, secrets));
  if (result.error) out.push(`Probe: ${visibleText(result.error)}`);
  out.push(`Probe: ${countsText(result.counts)} in ${formatCount(result.durationMs)} ms`);
  out.push(...swarmLines(result.availability, metainfo.pieceCount));
  if (result.peers.length > 0) out.push('', 'Peers:', ...peerTable(result.peers, { have: true }));
  out.push('');
  return out.join('\n');
}

function swarmLines(swarm: SwarmSummary, pieceCount: number): string[] {
  const missing = swarm.pieceCopies.filter((c) => c === 0).length;
  const lines = [
    `Swarm: ${plural(swarm.peers, 'peer')} said what ${swarm.peers === 1 ? 'it has' : 'they have'}, ${plural(swarm.seeds, 'seed')}; ` +
      `distributed copies ${swarm.distributedCopies.toFixed(3)}; ` +
      (swarm.peers === 0
        ? 'nothing is known to be available'
        : missing === 0
          ? 'every piece is available'
          : `${plural(missing, 'piece')} of ${formatCount(pieceCount)} available from nobody`),
  ];
  if (swarm.peers === 0) return lines;
  const per = Math.ceil(pieceCount / PICTURE_COLUMNS);
  lines.push(
    `Pieces (${per === 1 ? 'one column a piece' : `one column for every ${formatCount(per)} pieces`}; copies of its rarest piece, + for 10 or more, . for none):`,
    `  [${piecePicture(swarm.pieceCopies, per)}]`,
  );
  const files = swarm.files.filter((f) => !f.padding);
  if (files.length > 1) {
    const shown = files.slice(0, MAX_FILES_LISTED);
    const rows = shown.map((f) => [
      `  ${(f.availableFraction * 100).toFixed(1)}%`,
      f.distributedCopies.toFixed(2),
      formatCount(f.peersWithAll),
      visibleText(f.path),
    ]);
    lines.push('', 'Files:', ...table(['  Available', 'Copies', 'Peers with all', 'File'], rows, new Set([0, 1, 2])));
    if (files.length > shown.length) lines.push(`  … ${formatCount(files.length - shown.length)} more (--json lists all)`);
  }
  return lines;
}

/** One character per `per` pieces: the copies of the least-held piece among them. */
function piecePicture(copies: number[], per: number): string {
  let out = '';
  for (let start = 0; start < copies.length; start += per) {
    let least = Infinity;
    for (let i = start; i < Math.min(copies.length, start + per); i++) least = Math.min(least, copies[i]);
    out += least === 0 ? '.' : least >= 10 ? '+' : String(least);
  }
  return out;
}
