// Asking a swarm what it has: connect to a bounded number of peers at once, read each one's handshake,
// extension handshake and pieces (bitfield, have all / have none, have), and add it all up into availability
// per piece and per file. Nothing is downloaded: we never send `interested`, so no peer unchokes us, and never
// `request`.

import { encode } from '../bencode/decode';
import type { Metainfo } from '../metainfo/types';
import type { AnnounceResult } from '../tracker/types';
import { addressBytes, CLIENT_NAME, PeerConnection, PeerFailure } from './connection';
import { bitfieldBytes, filePieceRanges, PieceSet, SwarmAvailability, type CopiesSummary } from './pieces';
import { greetingsOf, peerReport, Swarm, trackerHashes, type SwarmOptions } from './swarm';
import type { PeerCandidate, PeerCounts, PeerHave, PeerReport } from './types';
import { formatCount, plural } from '../../shared/format';
import { DEFAULT_MAX_EXTENDED_BYTES, DEFAULT_MAX_OTHER_BYTES, type WireLimits } from './wire';

export const PROBE_DEFAULTS = {
  maxConnections: 32,
  /** Peers asked at most; fewer when the torrent has so many pieces that their bitfields would outgrow BITFIELD_BUDGET_BYTES. */
  maxPeers: 2000,
  connectTimeoutMs: 5_000,
  peerTimeoutMs: 10_000,
  timeoutMs: 60_000,
  /** After the handshake, how long a peer may stay silent before we take it that it has nothing. */
  quietPeerMs: 3_000,
  /** Once its pieces are known, how long to wait for an extension handshake that has not come yet. */
  extensionWaitMs: 500,
} as const;

/**
 * Memory the peers' answers may take: each peer that says what it has keeps its pieces (a bit each) and its report
 * keeps them as hex (two characters a byte), about three bytes per byte of bitfield.
 */
export const BITFIELD_BUDGET_BYTES = 256 * 1024 * 1024;

/** What the probe needs to know of a torrent: hashes, pieces, and which pieces each file lies in. */
export interface ProbeTarget {
  infoHash: { v1?: string; v2?: string };
  pieceCount: number;
  pieceLength: number;
  /** v2-only torrents start each file on a piece boundary of its own (BEP 52). */
  v2Only: boolean;
  files: { path: string; length: number; offset: number; padding: boolean }[];
}

/** The probe target of a parsed torrent. */
export function probeTargetOf(metainfo: Metainfo): ProbeTarget {
  const files: ProbeTarget['files'] = [];
  for (const file of metainfo.files)
    files.push({ path: file.path.map((p) => p.text).join('/'), length: file.length, offset: file.offset, padding: file.padding });
  const infoHash: ProbeTarget['infoHash'] = {};
  if (metainfo.infoHash.v1) infoHash.v1 = metainfo.infoHash.v1;
  if (metainfo.infoHash.v2) infoHash.v2 = metainfo.infoHash.v2;
  return { infoHash, pieceCount: metainfo.pieceCount, pieceLength: metainfo.pieceLength, v2Only: metainfo.version === 'v2', files };
}

export interface ProbeOptions extends SwarmOptions {
  target: ProbeTarget;
  /** See PROBE_DEFAULTS.quietPeerMs. */
  quietPeerMs?: number;
}

export interface FileAvailability extends CopiesSummary {
  index: number;
  path: string;
  length: number;
  padding: boolean;
  /** The file's pieces: `[firstPiece, firstPiece + pieces)`. */
  firstPiece: number;
  pieces: number;
  /** Peers that hold every piece of the file. */
  peersWithAll: number;
}

export interface SwarmSummary extends CopiesSummary {
  /** Peers whose pieces we learnt. */
  peers: number;
  seeds: number;
  /** Copies of each piece among them. */
  pieceCopies: number[];
  files: FileAvailability[];
}

/**
 * - `ok`: at least one peer said what it has;
 * - `no-peers`: there was nobody to ask;
 * - `no-answers`: peers were tried, none answered;
 * - `timed-out`, `cancelled`: the run ended early; what was learnt until then is kept.
 */
export type ProbeStatus = 'ok' | 'no-peers' | 'no-answers' | 'timed-out' | 'cancelled';

export interface ProbeResult {
  ok: boolean;
  status: ProbeStatus;
  error?: string;
  infoHash: { v1?: string; v2?: string };
  pieceCount: number;
  peers: PeerReport[];
  availability: SwarmSummary;
  trackers: AnnounceResult[];
  counts: PeerCounts;
  durationMs: number;
}

/** Probes the swarm of `options.target`. Never throws for what peers or trackers do. */
export async function probePeers(options: ProbeOptions): Promise<ProbeResult> {
  const target = options.target;
  if (!Number.isSafeInteger(target.pieceCount) || target.pieceCount <= 0)
    throw new TypeError(`pieceCount must be a positive integer, not ${target.pieceCount}`);
  const greetings = greetingsOf(target.infoHash);
  const quietPeerMs = options.quietPeerMs ?? PROBE_DEFAULTS.quietPeerMs;
  const limits: WireLimits = {
    bitfieldBytes: { exact: bitfieldBytes(target.pieceCount) },
    maxExtendedBytes: DEFAULT_MAX_EXTENDED_BYTES,
    maxOtherBytes: DEFAULT_MAX_OTHER_BYTES,
  };
  const held = new Map<PeerReport, PieceSet>();

  const visit = async (candidate: PeerCandidate): Promise<PeerReport> => {
    let pieces: PieceSet | undefined;
    let via: PeerHave['via'] | undefined;
    let answerMs: number | undefined;
    const notes: string[] = [];
    let quietTimer: NodeJS.Timeout | undefined;
    let settleTimer: NodeJS.Timeout | undefined;
    const answered = (c: PeerConnection) => {
      answerMs ??= Date.now() - c.startedAt;
      clearTimeout(quietTimer);
      // Wait a little for the extension handshake (client name, encryption) if the peer promised one.
      if (c.extension !== undefined || !c.flags?.extensionProtocol) c.end('answered', '');
      else settleTimer ??= setTimeout(() => c.end('answered', ''), PROBE_DEFAULTS.extensionWaitMs);
    };
    const connection = new PeerConnection({
      ...swarm.connectionTo(candidate, greetings),
      limits,
      extensionHandshake: encode({ m: {}, v: CLIENT_NAME, yourip: addressBytes(candidate.host) }),
      onHandshake: (c) => {
        swarm.peerConnected(candidate, c.client);
        // BEP 3 lets a peer with no pieces send no bitfield: a peer quiet for long enough has nothing.
        quietTimer = setTimeout(() => {
          if (pieces !== undefined) return;
          pieces = PieceSet.none(target.pieceCount);
          via = 'nothing';
          notes.push(`it sent no bitfield within ${quietPeerMs} ms of its handshake: taken as having no pieces`);
          answered(c);
        }, quietPeerMs);
      },
      onExtensionHandshake: (c) => {
        if (pieces !== undefined) c.end('answered', '');
      },
      onMessage: (c, message) => {
        switch (message.type) {
          case 'bitfield':
          case 'have-all':
          case 'have-none': {
            if (via !== undefined && via !== 'have') {
              notes.push(`it sent ${message.type} after its ${via}`);
              return;
            }
            if (message.type === 'bitfield') {
              const read = PieceSet.fromBitfield(message.bits, target.pieceCount);
              if (read.spareBitsSet) notes.push('its bitfield sets spare bits past the last piece (ignored)');
              pieces = read.pieces;
            } else {
              if (!c.flags?.fast) throw new PeerFailure('protocol-error', `it sent ${message.type} without the fast extension (BEP 6)`);
              pieces = message.type === 'have-all' ? PieceSet.all(target.pieceCount) : PieceSet.none(target.pieceCount);
            }
            via = message.type;
            answered(c);
            return;
          }
          case 'have':
            pieces ??= PieceSet.none(target.pieceCount);
            via ??= 'have';
            if (!pieces.add(message.piece))
              throw new PeerFailure('protocol-error', `it has piece ${message.piece}, but the torrent has ${target.pieceCount}`);
            if (via === 'have') answered(c);
            return;
          default:
            return;
        }
      },
    });
    const end = await connection.done;
    clearTimeout(quietTimer);
    clearTimeout(settleTimer);
    const extra: Partial<PeerReport> = { notes };
    if (answerMs !== undefined) extra.answerMs = answerMs;
    if (pieces !== undefined && via !== undefined) {
      extra.have = {
        via,
        pieces: pieces.count,
        of: target.pieceCount,
        percent: Math.round((10000 * pieces.count) / target.pieceCount) / 100,
        seed: pieces.complete,
        bitfield: pieces.toHex(),
      };
    }
    // A peer that told us its pieces answered, whatever ended the connection after that.
    const report = peerReport(
      candidate,
      connection,
      pieces !== undefined && end.status !== 'protocol-error' ? { status: 'answered', message: '' } : end,
      extra,
    );
    if (pieces !== undefined && report.ok) held.set(report, pieces);
    return report;
  };
  const byMemory = Math.max(1, Math.floor(BITFIELD_BUDGET_BYTES / (3 * bitfieldBytes(target.pieceCount))));
  const defaults = { ...PROBE_DEFAULTS, maxPeers: Math.min(PROBE_DEFAULTS.maxPeers, byMemory) };
  const swarm = new Swarm(options, defaults, trackerHashes(target.infoHash), visit);
  await swarm.run();

  const availability = summarise(target, swarm.reports, held);
  const result: ProbeResult = {
    ok: availability.peers > 0,
    status: 'ok',
    infoHash: { ...target.infoHash },
    pieceCount: target.pieceCount,
    peers: swarm.reports,
    availability,
    trackers: swarm.trackerResults,
    counts: { ...swarm.counts },
    durationMs: swarm.durationMs,
  };
  const interruption = swarm.interruption();
  switch (interruption) {
    case 'cancelled':
      result.error = 'cancelled';
      break;
    case 'timed-out':
      result.error = `the probe's ${swarm.timeoutMs} ms ran out (${swarm.counts.tried} of ${swarm.counts.found} peers tried)`;
      break;
    case 'no-peers':
      result.error = swarm.noPeersText();
      break;
    case undefined:
      if (availability.peers === 0) {
        result.status = 'no-answers';
        result.error =
          swarm.counts.connected === 0
            ? `no peer could be reached (${plural(swarm.counts.tried, 'peer')} tried)`
            : `no peer said what it has (${plural(swarm.counts.tried, 'peer')} tried, ${formatCount(swarm.counts.connected)} connected)`;
      }
  }
  if (interruption) result.status = interruption;
  return result;
}

/** Availability per piece and per file from the peers that said what they have, in report order. */
function summarise(target: ProbeTarget, reports: PeerReport[], held: Map<PeerReport, PieceSet>): SwarmSummary {
  const swarm = new SwarmAvailability(target.pieceCount);
  const sets: PieceSet[] = [];
  for (const report of reports) {
    const pieces = held.get(report);
    if (!pieces) continue;
    swarm.add(pieces);
    sets.push(pieces);
  }
  const ranges = filePieceRanges(target.files, target.pieceLength, target.v2Only);
  const files: FileAvailability[] = target.files.map((file, index) => {
    const { first, end } = ranges[index];
    let peersWithAll = 0;
    for (const pieces of sets) {
      let all = true;
      for (let p = first; p < end && all; p++) all = pieces.has(p);
      if (all) peersWithAll++;
    }
    return {
      index,
      path: file.path,
      length: file.length,
      padding: file.padding,
      firstPiece: first,
      pieces: end - first,
      ...swarm.summary(first, end),
      peersWithAll,
    };
  });
  return {
    peers: sets.length,
    seeds: sets.filter((s) => s.complete).length,
    ...swarm.summary(),
    pieceCopies: [...swarm.copies],
    files,
  };
}
