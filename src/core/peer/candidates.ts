// Peers to try, from a magnet link (its `x.pe` peers and `tr` trackers) and from what a user types.

import { parsePeerEndpoint, type MagnetLink } from '../magnet/parse';
import type { TrackerTarget } from '../tracker/types';
import type { PeerCandidate } from './types';

/** The magnet's `x.pe` peers as candidates (greeted with the v1 hash when there is one), and its trackers, one tier each. */
export function candidatesFromMagnet(magnet: MagnetLink): { peers: PeerCandidate[]; trackers: TrackerTarget[] } {
  const hashKind = magnet.infoHash.v1 !== undefined ? 'v1' : 'v2';
  return {
    peers: magnet.peers.map((p) => ({ host: p.host, port: p.port, source: 'magnet', hashKind })),
    // BEP 9 gives no tiers: each tracker is its own, as libtorrent reads a magnet link.
    trackers: magnet.trackers.map((url, tier) => ({ url, tier })),
  };
}

/**
 * Peers a user typed: `host:port` or `[IPv6]:port`, separated by commas or white space. Returns the candidates
 * and, for each entry that is not an address, the reason.
 */
export function parsePeerList(text: string, hashKind: 'v1' | 'v2' = 'v1'): { peers: PeerCandidate[]; errors: string[] } {
  const peers: PeerCandidate[] = [];
  const errors: string[] = [];
  for (const entry of text.split(/[\s,]+/)) {
    if (entry === '') continue;
    const peer = parsePeerEndpoint(entry);
    if (typeof peer === 'string') errors.push(peer);
    else peers.push({ host: peer.host, port: peer.port, source: 'user', hashKind });
  }
  return { peers, errors };
}
