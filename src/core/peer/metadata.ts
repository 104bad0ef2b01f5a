// Fetching a torrent's info dictionary from its peers (BEP 9, ut_metadata): what turns a magnet link into a
// .torrent. The 16 KiB blocks are requested from several peers at once; the assembled dictionary must hash to
// the info hash (SHA-1 for v1, SHA-256 for v2, both for a hybrid).
//
// A peer that sends wrong data is found and dropped, and the others carry on: when a copy assembled from one
// peer fails, that peer is to blame; when a copy from several fails, each of them is asked for the whole
// metadata alone, in turn, and once a copy verifies, the blocks of the failed one show who sent what was wrong.
// One copy is assembled at a time (plus the failed one kept for that comparison), so memory stays within twice
// `maxMetadataBytes` whatever the peers claim.

import { createHash } from 'node:crypto';
import { decode, encode } from '../bencode/decode';
import type { AnnounceResult } from '../tracker/types';
import { addressBytes, CLIENT_NAME, PeerConnection, PeerFailure } from './connection';
import { addressText, greetingsOf, peerReport, Swarm, trackerHashes, type SwarmOptions } from './swarm';
import type { PeerCandidate, PeerCounts, PeerReport } from './types';
import { bencodeValueEnd, DEFAULT_MAX_EXTENDED_BYTES, DEFAULT_MAX_OTHER_BYTES, encodeExtended, type WireLimits } from './wire';
import { errorText, formatCount, plural } from '../../shared/format';
import { fromHex } from '../text/bytes';
import { parseMetainfo } from '../metainfo/parse';
import { fetchPieceLayers, layersNeeded, type PieceLayersResult } from './piece-layers';

/** BEP 9 blocks are 16 KiB; the last one is shorter. */
export const METADATA_BLOCK_BYTES = 16 * 1024;
/** Piece layers fetched at most, all files together: 8 million pieces, far more than any real torrent has. */
export const MAX_PIECE_LAYER_BYTES = 256 * 1024 * 1024;
/** Larger than any real info dictionary (libtorrent's own limit is 30 MiB). */
export const DEFAULT_MAX_METADATA_BYTES = 32 * 1024 * 1024;

export const METADATA_DEFAULTS = {
  maxConnections: 16,
  /** Enough swarm for any metadata; a tracker that returns thousands of peers does not make thousands of reports. */
  maxPeers: 2000,
  connectTimeoutMs: 5_000,
  peerTimeoutMs: 10_000,
  timeoutMs: 60_000,
  requestsPerPeer: 16,
} as const;

/** The message id peers use for ut_metadata messages to us (we choose it in our handshake). */
const OUR_UT_METADATA_ID = 3;

const MSG_REQUEST = 0;
const MSG_DATA = 1;
const MSG_REJECT = 2;

export interface FetchMetadataOptions extends SwarmOptions {
  /** The info hashes, hex: v1 (40 digits) and/or v2 (64 digits, the full SHA-256). */
  infoHash: { v1?: string; v2?: string };
  /** Largest `metadata_size` accepted. */
  maxMetadataBytes?: number;
  /** Block requests outstanding per peer (less when the peer's `reqq` says so). */
  requestsPerPeer?: number;
  /**
   * Whether to ask the peers for the piece layers (BEP 52) of a v2 or hybrid torrent with files larger than a piece,
   * once the metadata is verified (default true), and how long that may take at most (default 30 s).
   */
  pieceLayers?: boolean;
  pieceLayersTimeoutMs?: number;
}

/**
 * - `ok`: the info dictionary arrived and hashes right;
 * - `no-peers`: there was nobody to ask (no peers given, the trackers had none);
 * - `failed`: every peer was tried and none gave metadata that hashes right (see `peers`);
 * - `timed-out`: `timeoutMs` passed first;
 * - `cancelled`: the signal aborted it.
 */
export type MetadataStatus = 'ok' | 'no-peers' | 'failed' | 'timed-out' | 'cancelled';

export interface MetadataResult {
  ok: boolean;
  status: MetadataStatus;
  error?: string;
  infoHash: { v1?: string; v2?: string };
  /** The info dictionary, byte for byte as its creator encoded it. `metadataResultJson` gives a JSON form. */
  info?: Uint8Array;
  /** Addresses of the peers whose blocks made the verified copy. */
  suppliers: string[];
  /** A report per peer tried. */
  peers: PeerReport[];
  /** Every peer found, tried or not (the fetch stops once the metadata is verified): the swarm, for a probe. */
  candidates: PeerCandidate[];
  /** The piece layers asked for once the metadata was verified (a v2 torrent with files larger than a piece). */
  pieceLayers?: PieceLayersResult;
  trackers: AnnounceResult[];
  counts: PeerCounts;
  durationMs: number;
}

interface MetadataPeer {
  connection: PeerConnection;
  address: string;
  /** The peer's id for ut_metadata messages it receives. */
  extensionId: number;
  size: number;
  outstanding: Set<number>;
  maxOutstanding: number;
  /** Blocks it supplied. */
  blocks: number;
  gone: boolean;
}

/** One copy of the metadata being put together from blocks, with who sent each. */
class Assembly {
  readonly blockCount: number;
  readonly from: (MetadataPeer | undefined)[];
  data?: Uint8Array;
  received = 0;

  constructor(readonly size: number) {
    this.blockCount = Math.ceil(size / METADATA_BLOCK_BYTES);
    this.from = new Array<MetadataPeer | undefined>(this.blockCount);
  }

  blockLength(index: number): number {
    return index === this.blockCount - 1 ? this.size - index * METADATA_BLOCK_BYTES : METADATA_BLOCK_BYTES;
  }

  has(index: number): boolean {
    return this.from[index] !== undefined;
  }

  put(index: number, block: Uint8Array, peer: MetadataPeer): void {
    // Allocated on the first block, not on a peer's word: a size nobody sends data for costs nothing.
    this.data ??= new Uint8Array(this.size);
    this.data.set(block, index * METADATA_BLOCK_BYTES);
    this.from[index] = peer;
    this.received++;
  }

  get complete(): boolean {
    return this.received === this.blockCount;
  }

  contributors(): MetadataPeer[] {
    return [...new Set(this.from.filter((p): p is MetadataPeer => p !== undefined))];
  }
}

/** Why `bytes` are not the info dictionary of `infoHash`, or undefined when they are. */
export function metadataMismatch(bytes: Uint8Array, infoHash: { v1?: string; v2?: string }): string | undefined {
  if (infoHash.v1 !== undefined) {
    const sha1 = createHash('sha1').update(bytes).digest('hex');
    if (sha1 !== infoHash.v1.toLowerCase())
      return `its ${bytes.length} bytes of metadata hash to SHA-1 ${sha1}, not the info hash ${infoHash.v1.toLowerCase()}`;
  }
  if (infoHash.v2 !== undefined) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== infoHash.v2.toLowerCase())
      return `its ${bytes.length} bytes of metadata hash to SHA-256 ${sha256}, not the v2 info hash ${infoHash.v2.toLowerCase()}`;
  }
  return undefined;
}

/** Fetches the info dictionary of `options.infoHash` from peers. Never throws for what peers or trackers do. */
export async function fetchMetadata(options: FetchMetadataOptions): Promise<MetadataResult> {
  const greetings = greetingsOf(options.infoHash);
  const maxMetadataBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const limits: WireLimits = {
    // We have no piece count yet; a bitfield is read and dropped, up to 8 million pieces.
    bitfieldBytes: { max: 1 << 20 },
    maxExtendedBytes: DEFAULT_MAX_EXTENDED_BYTES,
    maxOtherBytes: DEFAULT_MAX_OTHER_BYTES,
  };
  // Every connection open, to end those still waiting once the metadata is verified.
  const open = new Set<PeerConnection>();

  const visit = async (candidate: PeerCandidate): Promise<PeerReport> => {
    const peer: { state?: MetadataPeer } = {};
    const connection = new PeerConnection({
      ...swarm.connectionTo(candidate, greetings),
      limits,
      extensionHandshake: encode({
        m: { ut_metadata: OUR_UT_METADATA_ID },
        v: CLIENT_NAME,
        reqq: 250,
        yourip: addressBytes(candidate.host),
      }),
      onHandshake: (c) => {
        swarm.peerConnected(candidate, c.client);
        if (!c.flags!.extensionProtocol)
          throw new PeerFailure('no-metadata', 'it does not support the extension protocol (BEP 10), so it cannot send metadata');
      },
      onExtensionHandshake: (c, info) => {
        const id = info.extensions.ut_metadata;
        if (id === undefined) throw new PeerFailure('no-metadata', 'it does not offer ut_metadata (BEP 9) in its extension handshake');
        const size = info.metadataSize;
        if (size === undefined || size <= 0)
          throw new PeerFailure('no-metadata', 'its extension handshake gives no metadata_size: it does not have the metadata (yet)');
        if (size > maxMetadataBytes)
          throw new PeerFailure('protocol-error', `its metadata_size of ${size} bytes is more than the ${maxMetadataBytes} accepted`);
        const state: MetadataPeer = {
          connection: c,
          address: addressText(candidate.host, candidate.port),
          extensionId: id,
          size,
          outstanding: new Set(),
          maxOutstanding: Math.max(
            1,
            Math.min(options.requestsPerPeer ?? METADATA_DEFAULTS.requestsPerPeer, info.requestQueue ?? Infinity),
          ),
          blocks: 0,
          gone: false,
        };
        peer.state = state;
        exchange.join(state);
      },
      onMessage: (_c, message) => {
        if (message.type === 'extended' && message.extensionId === OUR_UT_METADATA_ID && peer.state)
          exchange.receive(peer.state, message.payload);
      },
    });
    open.add(connection);
    const end = await connection.done;
    open.delete(connection);
    if (peer.state) exchange.leave(peer.state);
    return peerReport(candidate, connection, end, peer.state ? { blocks: peer.state.blocks } : {});
  };
  const swarm = new Swarm(options, METADATA_DEFAULTS, trackerHashes(options.infoHash), visit);
  const exchange = new MetadataExchange(options.infoHash, swarm.peerTimeoutMs, (event) => {
    swarm.counts.blocks++;
    swarm.emit(event);
  });

  // Done when a copy verifies, or when every peer has been tried (or the run was stopped).
  const outcome = await swarm.run({
    reached: exchange.verified,
    onReached: (verified) => {
      // Nothing more is needed from anyone: end the others.
      exchange.finish(verified);
      for (const connection of open) connection.end('not-needed', 'the metadata was complete before it answered');
    },
  });

  const result: MetadataResult = {
    ok: outcome !== undefined,
    status: 'ok',
    infoHash: { ...options.infoHash },
    suppliers: outcome ? outcome.suppliers.map((p) => p.address) : [],
    peers: swarm.reports,
    candidates: swarm.candidates,
    trackers: swarm.trackerResults,
    counts: { ...swarm.counts },
    durationMs: swarm.durationMs,
  };
  if (outcome) {
    result.info = outcome.data;
    if (options.pieceLayers !== false) {
      const layers = await fetchLayersOf(outcome.data, result, options, (done, total) => swarm.emit({ type: 'layers', done, total }));
      if (layers) result.pieceLayers = layers;
    }
    return result;
  }
  const interruption = swarm.interruption();
  result.status = interruption ?? 'failed';
  switch (interruption) {
    case 'cancelled':
      result.error = 'cancelled';
      break;
    case 'timed-out':
      result.error = `no peer gave the metadata within ${swarm.timeoutMs} ms (${swarm.counts.tried} tried)`;
      break;
    case 'no-peers':
      result.error = swarm.noPeersText();
      break;
    case undefined:
      result.error =
        swarm.counts.connected === 0
          ? `no peer could be reached (${plural(swarm.counts.tried, 'peer')} tried)`
          : `no peer gave metadata that hashes to the info hash (${plural(swarm.counts.tried, 'peer')} tried, ${formatCount(swarm.counts.connected)} connected)`;
  }
  return result;
}

/**
 * The piece layers of verified metadata from the peers of its fetch: those that connected first (the suppliers
 * before the rest), then those never tried. Undefined when the torrent needs none.
 */
async function fetchLayersOf(
  info: Uint8Array,
  fetched: MetadataResult,
  options: FetchMetadataOptions,
  onLayer: (done: number, total: number) => void,
): Promise<PieceLayersResult | undefined> {
  const parsed = parseMetainfo(torrentFromMetadata(info));
  if (!parsed.ok || parsed.metainfo.infoHash.v2 === undefined) return undefined;
  const { baseLayer, needs: all } = layersNeeded(parsed.metainfo);
  // 32 bytes a piece: a crafted torrent of petabytes must not make us hold more than any real torrent needs.
  let budget = MAX_PIECE_LAYER_BYTES;
  const needs = all.filter((need) => (budget -= need.pieces * 32) >= 0);
  if (needs.length === 0) return undefined;
  onLayer(0, needs.length);
  const spoiled = new Set(['bad-metadata', 'wrong-info-hash', 'protocol-error']);
  const connected = fetched.peers.filter((p) => p.handshakeMs !== undefined && !spoiled.has(p.status));
  const rank = (p: PeerReport) => (fetched.suppliers.includes(p.address) ? 0 : 1);
  const tried = new Set(fetched.peers.map((p) => p.address));
  const peers: PeerCandidate[] = [
    ...connected.sort((a, b) => rank(a) - rank(b)).map((p) => ({ host: p.host, port: p.port, source: p.source, hashKind: p.hashKind })),
    ...fetched.candidates.filter((c) => !tried.has(addressText(c.host, c.port))),
  ];
  return fetchPieceLayers({
    infoHashV2: parsed.metainfo.infoHash.v2,
    baseLayer,
    needs,
    peers,
    maxConnections: options.maxConnections,
    connectTimeoutMs: options.connectTimeoutMs,
    peerTimeoutMs: options.peerTimeoutMs,
    timeoutMs: options.pieceLayersTimeoutMs,
    peerId: options.peerId,
    signal: options.signal,
    onLayer,
  });
}

interface Verified {
  data: Uint8Array;
  suppliers: MetadataPeer[];
}

type BlockEvent = { type: 'block'; address: string; block: number; blocksTotal: number };

/** Hands out block requests to the peers that can serve them and puts the answers together. */
class MetadataExchange {
  readonly verified: Promise<Verified>;
  private resolveVerified!: (v: Verified) => void;
  private readonly peers: MetadataPeer[] = [];
  private assembly?: Assembly;
  /** A copy from several peers that failed, kept to find who sent the wrong blocks once a copy verifies. */
  private suspect?: Assembly;
  /** After a mixed copy failed: peers to ask for a whole copy alone, in turn. */
  private soloQueue?: MetadataPeer[];
  private solo?: MetadataPeer;
  /** Sizes whose every peer proved wrong. */
  private readonly discredited = new Set<number>();
  private done = false;

  constructor(
    private readonly infoHash: { v1?: string; v2?: string },
    private readonly peerTimeoutMs: number,
    private readonly onBlock: (event: BlockEvent) => void,
  ) {
    this.verified = new Promise((resolve) => (this.resolveVerified = resolve));
  }

  join(peer: MetadataPeer): void {
    if (this.done) return;
    this.peers.push(peer);
    this.soloQueue?.push(peer);
    this.schedule();
  }

  leave(peer: MetadataPeer): void {
    if (peer.gone) return;
    peer.gone = true;
    peer.outstanding.clear();
    const at = this.peers.indexOf(peer);
    if (at >= 0) this.peers.splice(at, 1);
    if (this.solo === peer) this.nextSolo();
    if (this.assembly && this.assembly.received === 0 && !this.peers.some((p) => p.size === this.assembly!.size)) this.assembly = undefined;
    this.schedule();
  }

  /** A ut_metadata message from `peer`. Throws a PeerFailure to end that peer. */
  receive(peer: MetadataPeer, payload: Uint8Array): void {
    if (this.done || peer.gone) return;
    let headerEnd: number;
    let header;
    try {
      headerEnd = bencodeValueEnd(payload, 0);
      header = decode(payload.subarray(0, headerEnd), { maxDepth: 4 });
    } catch (error) {
      throw new PeerFailure('protocol-error', `a ut_metadata message that is not bencode (${errorText(error)})`);
    }
    const int = (key: string): number | undefined => {
      const t = header.isDict(header.root) ? header.get(header.root, key) : -1;
      const v = t >= 0 && header.isInt(t) ? header.int(t) : undefined;
      return typeof v === 'number' ? v : undefined;
    };
    const type = int('msg_type');
    const piece = int('piece');
    if (type === undefined || piece === undefined)
      throw new PeerFailure('protocol-error', 'a ut_metadata message without msg_type or piece');
    if (type === MSG_REQUEST) {
      // We have no metadata to give: say so (BEP 9's reject).
      peer.connection.send(encodeExtended(peer.extensionId, encode({ msg_type: MSG_REJECT, piece })));
      return;
    }
    if (type === MSG_REJECT) {
      this.drop(peer, 'no-metadata', `it refused our request for metadata block ${piece} (reject)`);
      return;
    }
    if (type !== MSG_DATA) return; // BEP 9: unknown message types are ignored
    const assembly = this.assembly;
    // An answer to a request of an earlier copy, or one we never made: not ours to use.
    if (!assembly || assembly.size !== peer.size || !peer.outstanding.has(piece)) return;
    const totalSize = int('total_size');
    if (totalSize !== undefined && totalSize !== peer.size) {
      this.drop(
        peer,
        'bad-metadata',
        `its block ${piece} gives total_size ${totalSize}, but its handshake said metadata_size ${peer.size}`,
      );
      return;
    }
    const block = payload.subarray(headerEnd);
    if (block.length !== assembly.blockLength(piece)) {
      this.drop(peer, 'bad-metadata', `its metadata block ${piece} has ${block.length} bytes, not ${assembly.blockLength(piece)}`);
      return;
    }
    peer.outstanding.delete(piece);
    peer.connection.extendDeadline(Date.now() + this.peerTimeoutMs);
    if (!assembly.has(piece)) {
      assembly.put(piece, block, peer);
      peer.blocks++;
      this.onBlock({ type: 'block', address: peer.address, block: piece, blocksTotal: assembly.blockCount });
      if (assembly.complete) {
        this.check(assembly);
        return;
      }
    }
    this.schedule();
  }

  /** Ends every other connection once the metadata is verified; the suppliers answered, the rest were not needed. */
  finish(verified: Verified): void {
    for (const peer of [...this.peers]) {
      if (verified.suppliers.includes(peer)) peer.connection.end('answered', '');
      else if (peer.size !== verified.data.length)
        peer.connection.end(
          'bad-metadata',
          `its metadata_size of ${peer.size} bytes is not the ${verified.data.length} of the verified metadata`,
        );
      else peer.connection.end('not-needed', 'the metadata was complete before it was needed');
    }
  }

  private drop(peer: MetadataPeer, status: 'no-metadata' | 'bad-metadata', message: string): void {
    peer.connection.end(status, message);
    this.leave(peer);
  }

  private check(assembly: Assembly): void {
    const data = assembly.data!;
    const mismatch = metadataMismatch(data, this.infoHash);
    const contributors = assembly.contributors();
    this.assembly = undefined;
    for (const p of this.peers) p.outstanding.clear();
    if (mismatch === undefined) {
      this.done = true;
      // Blocks of an earlier failed copy that differ from the verified one show who sent them wrong.
      if (this.suspect?.data && this.suspect.size === data.length) {
        for (let i = 0; i < this.suspect.blockCount; i++) {
          const sender = this.suspect.from[i];
          if (!sender || sender.gone) continue;
          const start = i * METADATA_BLOCK_BYTES;
          const end = start + this.suspect.blockLength(i);
          if (!equalRange(this.suspect.data, data, start, end))
            this.drop(sender, 'bad-metadata', `its metadata block ${i} differs from the verified metadata`);
        }
      }
      this.suspect = undefined;
      this.resolveVerified({ data, suppliers: contributors });
      return;
    }
    if (contributors.length === 1) {
      this.drop(contributors[0], 'bad-metadata', mismatch);
    } else {
      // Several peers sent blocks and one of them lied: ask each for a whole copy alone.
      this.suspect = assembly;
      this.soloQueue = [...contributors, ...this.peers.filter((p) => !contributors.includes(p))];
      this.nextSolo();
    }
    if (!this.peers.some((p) => p.size === assembly.size)) this.discredited.add(assembly.size);
    this.schedule();
  }

  private nextSolo(): void {
    // A solo copy is one peer's alone: start it afresh.
    this.solo = undefined;
    this.assembly = undefined;
    for (const p of this.peers) p.outstanding.clear();
    while (this.soloQueue && this.soloQueue.length > 0) {
      const next = this.soloQueue.shift()!;
      if (!next.gone) {
        this.solo = next;
        return;
      }
    }
    this.soloQueue = undefined;
  }

  /** The size the next copy is assembled at: the one most live peers agree on. */
  private chooseAssembly(): Assembly | undefined {
    if (this.assembly) return this.assembly;
    const votes = new Map<number, number>();
    for (const p of this.peers) if (!this.discredited.has(p.size)) votes.set(p.size, (votes.get(p.size) ?? 0) + 1);
    let best: number | undefined;
    for (const [size, count] of votes) if (best === undefined || count > votes.get(best)!) best = size;
    if (best === undefined) return undefined;
    this.assembly = new Assembly(best);
    return this.assembly;
  }

  private schedule(): void {
    if (this.done) return;
    const assembly = this.chooseAssembly();
    if (!assembly) return;
    const askers = this.solo ? [this.solo] : this.soloQueue ? [] : this.peers;
    for (const peer of askers) {
      if (peer.gone || peer.size !== assembly.size) continue;
      const before = peer.outstanding.size;
      while (peer.outstanding.size < peer.maxOutstanding) {
        const block = this.pickBlock(assembly, peer);
        if (block === undefined) break;
        peer.outstanding.add(block);
        peer.connection.send(encodeExtended(peer.extensionId, encode({ msg_type: MSG_REQUEST, piece: block })));
      }
      if (peer.outstanding.size > before) peer.connection.extendDeadline(Date.now() + this.peerTimeoutMs);
    }
  }

  /** A block nobody was asked for; failing that (the end game), one this peer was not asked for. */
  private pickBlock(assembly: Assembly, peer: MetadataPeer): number | undefined {
    let fallback: number | undefined;
    for (let i = 0; i < assembly.blockCount; i++) {
      if (assembly.has(i) || peer.outstanding.has(i)) continue;
      if (!this.peers.some((p) => p.outstanding.has(i))) return i;
      fallback ??= i;
    }
    return fallback;
  }
}

function equalRange(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A JSON form of a metadata result: the info dictionary's size and hashes instead of its bytes, and the peers
 * tried (the addresses found are counted in `counts.found`).
 */
export function metadataResultJson(result: MetadataResult): Record<string, unknown> {
  const { info, candidates: _candidates, pieceLayers, ...rest } = result;
  return {
    ...rest,
    pieceLayers: pieceLayers
      ? {
          status: pieceLayers.status,
          total: pieceLayers.total,
          fetched: pieceLayers.layers.size,
          missing: pieceLayers.missing,
          peers: pieceLayers.peers,
          durationMs: pieceLayers.durationMs,
        }
      : null,
    info: info
      ? { bytes: info.length, sha1: createHash('sha1').update(info).digest('hex'), sha256: createHash('sha256').update(info).digest('hex') }
      : null,
  };
}

export interface TorrentFromMetadataOptions {
  /** Tracker tiers (BEP 12); one tracker per tier is how a magnet's `tr` list reads. */
  trackers?: string[][];
  webSeeds?: string[];
  /** `created by`. */
  createdBy?: string;
  /** `creation date`, seconds since the epoch. */
  creationDate?: number;
  comment?: string;
  /** BEP 52 `piece layers`: verified layers by pieces root (lower-case hex), as `fetchMetadata` gives them. */
  pieceLayers?: Map<string, Uint8Array>;
}

/**
 * A .torrent around an info dictionary fetched from peers: its bytes are copied verbatim (never re-encoded, so
 * the info hash stays), with `announce`/`announce-list`, `piece layers`, `url-list` and the like around them,
 * keys in order. Piece layers are the ones peers sent (BEP 52); without them a v2 torrent has none.
 */
export function torrentFromMetadata(info: Uint8Array, options: TorrentFromMetadataOptions = {}): Uint8Array {
  const tiers = (options.trackers ?? []).map((tier) => tier.filter((url) => url !== '')).filter((tier) => tier.length > 0);
  const before: Record<string, string | number | string[][] | undefined> = {
    announce: tiers[0]?.[0],
    'announce-list': tiers.length > 1 || (tiers[0]?.length ?? 0) > 1 ? tiers : undefined,
    comment: options.comment,
    'created by': options.createdBy,
    'creation date': options.creationDate,
  };
  const after = { 'url-list': options.webSeeds && options.webSeeds.length > 0 ? options.webSeeds : undefined };
  // Every key above sorts before "info", "piece layers" after it and "url-list" after that: the dictionary stays
  // canonical.
  const head = encode(before);
  const tail = encode(after);
  const ascii = (text: string) => new TextEncoder().encode(text);
  const parts: Uint8Array[] = [head.subarray(0, head.length - 1), ascii('4:info'), info];
  if (options.pieceLayers && options.pieceLayers.size > 0) {
    parts.push(ascii('12:piece layersd'));
    // Lower-case hex sorts as the bytes it spells: the keys come out in bytewise order.
    for (const root of [...options.pieceLayers.keys()].sort()) {
      const layer = options.pieceLayers.get(root)!;
      parts.push(ascii('32:'), fromHex(root), ascii(`${layer.length}:`), layer);
    }
    parts.push(ascii('e'));
  }
  parts.push(tail.subarray(1));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
