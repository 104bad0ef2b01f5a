// Fetching a v2 torrent's piece layers from its peers (BEP 52 `hash request` / `hashes`), once its info dictionary
// is known: what a magnet link's .torrent needs for the v2 hashes of its files larger than a piece to be checked.
//
// Each file's layer is asked for in runs of at most 512 hashes, with the proof hashes that tie a run to the
// file's `pieces root` (the root is in the verified info dictionary, so a run that hashes up to it is right
// whoever sent it). One request per peer at a time, so the longest answer a peer may send is known and its
// `hashes` message is refused from its length prefix on when longer. A peer that rejects a run or lets its
// deadline pass leaves the run to another; a peer whose hashes do not hash to the root is dropped.

import type { Metainfo } from '../metainfo/types';
import { BLOCK_SIZE, HASH_SIZE, hashRangeMismatch, log2, nextPowerOfTwo, uncleCount } from '../hashing/merkle';
import { bytesEqual, toHex } from '../text/bytes';
import { PeerConnection, PeerFailure } from './connection';
import { addressText, greetingsOf, peerReport, Swarm, type SwarmOptions } from './swarm';
import type { PeerCandidate, PeerReport, PeerStatus } from './types';
import {
  DEFAULT_MAX_EXTENDED_BYTES,
  DEFAULT_MAX_OTHER_BYTES,
  encodeHashRequest,
  encodeMessage,
  HASH_REQUEST_PAYLOAD,
  hashRequestHeader,
  MESSAGE,
  type HashRequest,
  type WireLimits,
} from './wire';

/** A `hashes` message with its header and no hash (id and header): the limit while nothing is asked. */
const EMPTY_HASHES_BYTES = 1 + HASH_REQUEST_PAYLOAD;

/** Hashes per request: what libtorrent asks for and serves (it refuses piece-layer runs of other sizes). */
export const MAX_HASHES_PER_REQUEST = 512;

export const PIECE_LAYERS_DEFAULTS = {
  maxConnections: 8,
  maxPeers: 200,
  connectTimeoutMs: 5_000,
  /** How long a peer has to answer a request (its connection's deadline, pushed back on every answer). */
  peerTimeoutMs: 10_000,
  timeoutMs: 30_000,
} as const;

/** A piece layer a torrent needs: one per distinct `pieces root` of a file larger than a piece. */
export interface LayerNeed {
  root: Uint8Array;
  /** Hashes in the layer: the file's pieces. */
  pieces: number;
  /** The files with this root (usually one), as their paths read; peer-independent text. */
  files: string[];
}

/** The piece layers `metainfo` should have (none for v1, none when every file fits in a piece), and their layer. */
export function layersNeeded(metainfo: Metainfo): { baseLayer: number; needs: LayerNeed[] } {
  const baseLayer = log2(metainfo.pieceLength / BLOCK_SIZE);
  const byRoot = new Map<string, LayerNeed>();
  if (metainfo.infoHash.v2 === undefined) return { baseLayer, needs: [] };
  for (const file of metainfo.files) {
    if (file.padding || file.piecesRoot === undefined || file.length <= metainfo.pieceLength) continue;
    const path = [metainfo.name.text, ...file.path.map((p) => p.text)].join('/');
    const known = byRoot.get(file.piecesRoot);
    if (known) known.files.push(path);
    else
      byRoot.set(file.piecesRoot, {
        root: Uint8Array.from(Buffer.from(file.piecesRoot, 'hex')),
        pieces: Math.ceil(file.length / metainfo.pieceLength),
        files: [path],
      });
  }
  return { baseLayer, needs: [...byRoot.values()] };
}

export interface FetchPieceLayersOptions extends Omit<SwarmOptions, 'trackers' | 'onProgress'> {
  /** The torrent's v2 info hash, hex (64 digits): the peers are greeted with it, truncated, as v2 peers. */
  infoHashV2: string;
  baseLayer: number;
  needs: LayerNeed[];
  /** Called when a layer is complete: `done` of `total` layers. */
  onLayer?: (done: number, total: number) => void;
}

/**
 * - `ok`: every layer came and hashes to its root;
 * - `partial`: some did, some did not (no peer had them, or time ran out): see `missing`;
 * - `failed`: none did;
 * - `cancelled`: the signal aborted it.
 */
export type PieceLayersStatus = 'ok' | 'partial' | 'failed' | 'cancelled';

export interface PieceLayersResult {
  status: PieceLayersStatus;
  /** Verified layers by pieces root (lower-case hex): `pieces * 32` bytes each, as `piece layers` stores them. */
  layers: Map<string, Uint8Array>;
  /** Layers wanted. */
  total: number;
  /** The files whose layer did not come. */
  missing: string[];
  /** A report per peer asked. */
  peers: PeerReport[];
  durationMs: number;
}

/** One request's worth of a layer. */
interface Run {
  need: LayerNeed;
  request: HashRequest;
  /** Hashes of data in it (the rest is padding). */
  real: number;
  /** The longest `hashes` message (length prefix) that answers it. */
  answerBytes: number;
  done: boolean;
  askedOf?: LayerPeer;
}

interface LayerPeer {
  connection: PeerConnection;
  address: string;
  limits: WireLimits;
  run?: Run;
  /** Runs it rejected: not asked of it again. */
  refused: Set<Run>;
  gone: boolean;
}

/** The requests that fetch `needs`: runs of at most 512 hashes, aligned, each with proof up to the root. */
export function layerRequests(baseLayer: number, need: LayerNeed): { request: HashRequest; real: number }[] {
  const out: { request: HashRequest; real: number }[] = [];
  const height = log2(nextPowerOfTwo(need.pieces));
  for (let index = 0; index < need.pieces; index += MAX_HASHES_PER_REQUEST) {
    const length = Math.min(MAX_HASHES_PER_REQUEST, nextPowerOfTwo(need.pieces - index));
    // libtorrent's own requests: proof layers one less than the layers above the base, which brings the uncle
    // hashes up to the root but not the root itself (libtorrent refuses a request for more).
    out.push({
      request: { piecesRoot: need.root, baseLayer, index, length, proofLayers: Math.max(0, height - 1) },
      real: Math.min(length, need.pieces - index),
    });
  }
  return out;
}

/** Fetches the layers of `options.needs` from `options.peers`. Never throws for what peers do. */
export async function fetchPieceLayers(options: FetchPieceLayersOptions): Promise<PieceLayersResult> {
  const greetings = greetingsOf({ v2: options.infoHashV2 });
  const exchange = new LayerExchange(options);
  const visit = async (candidate: PeerCandidate): Promise<PeerReport> => {
    let state: LayerPeer | undefined;
    // Per connection: the hashes limit follows the request outstanding; none outstanding, no hashes at all.
    const limits: WireLimits = {
      bitfieldBytes: { max: 1 << 20 },
      maxExtendedBytes: DEFAULT_MAX_EXTENDED_BYTES,
      maxOtherBytes: DEFAULT_MAX_OTHER_BYTES,
      maxHashesBytes: EMPTY_HASHES_BYTES,
    };
    const connection = new PeerConnection({
      ...swarm.connectionTo(candidate, greetings),
      limits,
      // libtorrent serves hashes only on a connection it takes for v2: greeted with the truncated v2 hash, or
      // with the upgrade bit set (bt_peer_connection.cpp, on_hash_request checks protocol_v2).
      v2: true,
      onHandshake: (c) => {
        state = {
          connection: c,
          address: addressText(candidate.host, candidate.port),
          limits,
          refused: new Set(),
          gone: false,
        };
        exchange.join(state);
      },
      onMessage: (_c, message) => {
        if (!state) return;
        if (message.type === 'hash-request') {
          // We have no hashes to give: say so, as BEP 52 asks.
          state.connection.send(encodeMessage(MESSAGE.hashReject, hashRequestHeader(message.request)));
        } else if (message.type === 'hashes') exchange.receive(state, message.request, message.hashes);
        else if (message.type === 'hash-reject') exchange.rejected(state, message.request);
      },
    });
    open.add(connection);
    const end = await connection.done;
    open.delete(connection);
    if (state) exchange.leave(state);
    return peerReport(candidate, connection, end);
  };
  const open = new Set<PeerConnection>();
  const swarm = new Swarm({ ...options, trackers: undefined, onProgress: undefined }, PIECE_LAYERS_DEFAULTS, [], visit);
  exchange.peerTimeoutMs = swarm.peerTimeoutMs;
  exchange.deadline = swarm.deadline;
  await swarm.run({
    reached: exchange.complete,
    onReached: () => {
      for (const connection of open)
        connection.end(exchange.answeredBy(connection) ? 'answered' : 'not-needed', 'every piece layer was in');
    },
  });
  const layers = exchange.layers();
  const missing = options.needs.filter((need) => !layers.has(toHex(need.root))).flatMap((need) => need.files);
  const cancelled = options.signal?.aborted === true;
  return {
    status: missing.length === 0 ? 'ok' : cancelled ? 'cancelled' : layers.size > 0 ? 'partial' : 'failed',
    layers,
    total: options.needs.length,
    missing,
    peers: swarm.reports,
    durationMs: swarm.durationMs,
  };
}

/** Hands out runs to the peers and keeps what verifies. */
class LayerExchange {
  readonly complete: Promise<void>;
  peerTimeoutMs: number = PIECE_LAYERS_DEFAULTS.peerTimeoutMs;
  /** The run's end (Date.now() ms): no peer's deadline goes past it. */
  deadline = Infinity;
  private resolveComplete!: () => void;
  private readonly runs: Run[];
  private readonly peers: LayerPeer[] = [];
  private readonly buffers = new Map<LayerNeed, Uint8Array>();
  private readonly left = new Map<LayerNeed, number>();
  private readonly answering = new Set<PeerConnection>();
  private layersDone = 0;

  constructor(private readonly options: FetchPieceLayersOptions) {
    this.complete = new Promise((resolve) => (this.resolveComplete = resolve));
    this.runs = options.needs.flatMap((need) =>
      layerRequests(options.baseLayer, need).map(({ request, real }) => ({
        need,
        request,
        real,
        answerBytes: EMPTY_HASHES_BYTES + (request.length + uncleCount({ layerCount: need.pieces, length: request.length })) * HASH_SIZE,
        done: false,
      })),
    );
    for (const run of this.runs) this.left.set(run.need, (this.left.get(run.need) ?? 0) + 1);
    if (this.runs.length === 0) this.resolveComplete();
  }

  join(peer: LayerPeer): void {
    this.peers.push(peer);
    this.assign(peer);
  }

  leave(peer: LayerPeer): void {
    if (peer.gone) return;
    peer.gone = true;
    this.peers.splice(this.peers.indexOf(peer), 1);
    if (peer.run) this.release(peer);
  }

  answeredBy(connection: PeerConnection): boolean {
    return this.answering.has(connection);
  }

  /** Verified layers, by root in hex. */
  layers(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const [need, left] of this.left) if (left === 0) out.set(toHex(need.root), this.buffers.get(need)!);
    return out;
  }

  receive(peer: LayerPeer, header: HashRequest, hashes: Uint8Array): void {
    const run = peer.run;
    if (!run || !sameRequest(run.request, header)) throw new PeerFailure('protocol-error', 'it sent hashes we did not ask it for');
    const mismatch = hashRangeMismatch(
      {
        piecesRoot: run.need.root,
        baseLayer: run.request.baseLayer,
        layerCount: run.need.pieces,
        index: run.request.index,
        length: run.request.length,
      },
      hashes,
    );
    if (mismatch !== undefined) {
      this.drop(peer, 'bad-metadata', `its hashes for ${runText(run)} are wrong: ${mismatch}`);
      return;
    }
    peer.run = undefined;
    peer.limits.maxHashesBytes = EMPTY_HASHES_BYTES;
    this.answering.add(peer.connection);
    peer.connection.extendDeadline(this.requestDeadline());
    if (!run.done) {
      run.done = true;
      let buffer = this.buffers.get(run.need);
      if (!buffer) this.buffers.set(run.need, (buffer = new Uint8Array(run.need.pieces * HASH_SIZE)));
      buffer.set(hashes.subarray(0, run.real * HASH_SIZE), run.request.index * HASH_SIZE);
      const left = this.left.get(run.need)! - 1;
      this.left.set(run.need, left);
      if (left === 0) this.options.onLayer?.(++this.layersDone, this.options.needs.length);
      if (this.layersDone === this.options.needs.length) {
        this.resolveComplete();
        return;
      }
    }
    this.assign(peer);
  }

  rejected(peer: LayerPeer, header: HashRequest): void {
    const run = peer.run;
    if (!run || !sameRequest(run.request, header)) return; // a reject of nothing we asked: nothing to undo
    peer.refused.add(run);
    this.release(peer);
    this.assign(peer);
    if (!peer.run && this.runs.every((r) => r.done || peer.refused.has(r)))
      this.drop(
        peer,
        'no-metadata',
        `it rejected our requests for ${peer.refused.size === 1 ? 'a piece layer' : 'piece layers'} (hash reject)`,
      );
  }

  private drop(peer: LayerPeer, status: PeerStatus, message: string): void {
    peer.connection.end(status, message);
    this.leave(peer);
  }

  /** Gives `peer`'s run back to the others. */
  private release(peer: LayerPeer): void {
    const run = peer.run!;
    peer.run = undefined;
    peer.limits.maxHashesBytes = EMPTY_HASHES_BYTES;
    if (run.askedOf === peer) run.askedOf = undefined;
    for (const other of this.peers) if (!other.run) this.assign(other);
  }

  private assign(peer: LayerPeer): void {
    if (peer.gone || peer.run) return;
    const run = this.runs.find((r) => !r.done && r.askedOf === undefined && !peer.refused.has(r));
    if (!run) {
      // Nothing for it now, but a run another peer holds may come back: it waits, within the run's time.
      if (this.runs.some((r) => !r.done && !peer.refused.has(r))) peer.connection.extendDeadline(this.deadline);
      return;
    }
    run.askedOf = peer;
    peer.run = run;
    peer.limits.maxHashesBytes = run.answerBytes;
    peer.connection.send(encodeHashRequest(run.request));
    peer.connection.setDeadline(this.requestDeadline());
  }

  /** A request's deadline: the peer's time to answer, within the run's. */
  private requestDeadline(): number {
    return Math.min(Date.now() + this.peerTimeoutMs, this.deadline);
  }
}

function sameRequest(a: HashRequest, b: HashRequest): boolean {
  return (
    bytesEqual(a.piecesRoot, b.piecesRoot) &&
    a.baseLayer === b.baseLayer &&
    a.index === b.index &&
    a.length === b.length &&
    a.proofLayers === b.proofLayers
  );
}

function runText(run: Run): string {
  const last = run.request.index + run.real;
  return `pieces ${run.request.index + 1}–${last} of ${run.need.files[0]}`;
}
