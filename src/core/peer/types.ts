// The shapes of peer results: one report per peer, shared by the metadata fetch and the probe, and the live
// progress events both send. Every field is plain JSON (bitfields as hex), so a result prints as it is.

import type { AnnounceResult, HashKind } from '../tracker/types';

/**
 * How talking to a peer ended:
 * - `answered`: it did what was asked (sent its pieces; supplied metadata blocks);
 * - `refused`: nothing listens there (connection refused);
 * - `unreachable`: no route, the name does not resolve, the address is unusable;
 * - `timed-out`: no connection, or no answer, or a message still arriving when its deadline came;
 * - `wrong-info-hash`: its handshake names another torrent;
 * - `protocol-error`: it is not speaking BitTorrent, or broke the protocol (a message too long, garbage);
 * - `closed`: it closed or reset the connection before answering;
 * - `no-metadata`: it cannot give the metadata (no ut_metadata, no size, it refused our requests);
 * - `bad-metadata`: it sent metadata that does not hash to the info hash, or blocks of the wrong size;
 * - `not-needed`: the work was done before this peer answered (the metadata arrived from others);
 * - `cancelled`: the user cancelled.
 */
export type PeerStatus =
  | 'answered'
  | 'refused'
  | 'unreachable'
  | 'timed-out'
  | 'wrong-info-hash'
  | 'protocol-error'
  | 'closed'
  | 'no-metadata'
  | 'bad-metadata'
  | 'not-needed'
  | 'cancelled';

/** Where a peer's address came from. */
export type PeerSource = 'tracker' | 'magnet' | 'user';

/** A peer to try: its address, where it came from, and the info hash to greet it with. */
export interface PeerCandidate {
  /** An IPv4 or IPv6 literal, or a host name. */
  host: string;
  port: number;
  source: PeerSource;
  /** The hash of the swarm it was found in: v1 (SHA-1), or v2 (SHA-256 truncated to 20 bytes, BEP 52). */
  hashKind: HashKind;
  /** For tracker peers: the tracker's URL as given (the caller redacts it when it shows it). */
  tracker?: string;
}

/** The handshake's reserved bits a peer set. */
export interface PeerFlags {
  /** BEP 10. */
  extensionProtocol: boolean;
  /** BEP 6. */
  fast: boolean;
  /** BEP 5. */
  dht: boolean;
  /** BEP 52: it can upgrade a hybrid torrent to v2. */
  v2: boolean;
}

/** A peer's BEP 10 extension handshake, as far as we read it; hostile text already made printable. */
export interface ExtensionInfo {
  /** The extensions it offers, by name (`ut_metadata`, `ut_pex`, `lt_donthave`, …), with their message ids. */
  extensions: Record<string, number>;
  /** `v`: its client name and version. */
  client?: string;
  /** `metadata_size` (BEP 9). */
  metadataSize?: number;
  /** `yourip`: our address as it sees it. */
  yourIp?: string;
  /** `reqq`: requests it queues. */
  requestQueue?: number;
  /** `p`: its listen port. */
  listenPort?: number;
  /** `e`: it prefers encrypted connections (MSE). */
  encryption?: boolean;
  /** BEP 21 `upload_only`. */
  uploadOnly?: boolean;
}

/** What a peer has, as far as it told us. */
export interface PeerHave {
  /** How it said it: a bitfield, have all / have none (BEP 6), only `have` messages, or nothing at all. */
  via: 'bitfield' | 'have-all' | 'have-none' | 'have' | 'nothing';
  pieces: number;
  of: number;
  /** 0–100. */
  percent: number;
  seed: boolean;
  /** The piece bitfield in hex (BEP 3 bit order), spare bits cleared. */
  bitfield: string;
}

export interface PeerReport {
  /** `host:port`, `[IPv6]:port`. */
  address: string;
  host: string;
  port: number;
  source: PeerSource;
  hashKind: HashKind;
  status: PeerStatus;
  ok: boolean;
  /** Why it failed, or what it did instead of answering. */
  error?: string;
  /** The peer id, hex, and as printable text. */
  peerId?: string;
  peerIdText?: string;
  /** Its client, from the peer id, or from the extension handshake's `v` when the id names none. */
  client?: string;
  flags?: PeerFlags;
  extension?: ExtensionInfo;
  have?: PeerHave;
  /** Metadata blocks it supplied (metadata fetch). */
  blocks?: number;
  /** Things it did that bend the protocol but were let pass (spare bits set, have out of range …). */
  notes: string[];
  /** Milliseconds from our first attempt: TCP connected, its handshake in, its pieces known; and until the end. */
  connectMs?: number;
  handshakeMs?: number;
  answerMs?: number;
  durationMs: number;
}

/** Counts so far, in every progress event. */
export interface PeerCounts {
  /** Addresses known (trackers, the magnet link, the user), each once. */
  found: number;
  /** Connections started. */
  tried: number;
  /** Peers that completed the handshake. */
  connected: number;
  /** Peers that ended in failure. */
  failed: number;
  /** Metadata blocks received (metadata fetch). */
  blocks: number;
  /** Addresses found after the run's limit of peers (`maxPeers`) was reached: not asked. */
  skipped: number;
}

export type PeerProgress =
  | { type: 'tracker'; result: AnnounceResult; counts: PeerCounts }
  | { type: 'peer-connected'; address: string; source: PeerSource; client?: string; counts: PeerCounts }
  | { type: 'peer-done'; report: PeerReport; counts: PeerCounts }
  | { type: 'block'; address: string; block: number; blocksTotal: number; counts: PeerCounts }
  /** BEP 52 piece layers fetched after the metadata: `done` of `total` layers (one per file larger than a piece). */
  | { type: 'layers'; done: number; total: number; counts: PeerCounts };

export type ProgressListener = (event: PeerProgress) => void;
