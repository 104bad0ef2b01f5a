// The `torrentLens.peers.*` settings, checked and bounded like the tracker settings (src/view-model/settings.ts):
// a hand-edited value cannot make a run unbounded.

export interface PeerSettings {
  /** `torrentLens.peers.maxConnections`: peers connected at once. */
  maxConnections: number;
  /** `torrentLens.peers.timeout`: milliseconds for a whole run, trackers included. */
  timeoutMs: number;
}

function clampedInteger(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

/** The peer settings from `read` (a key under `torrentLens.`, e.g. `peers.timeout`, to its value as set). */
export function peerSettingsFrom(read: (key: string) => unknown): PeerSettings {
  return {
    maxConnections: clampedInteger(read('peers.maxConnections'), 32, 1, 200),
    timeoutMs: clampedInteger(read('peers.timeout'), 60_000, 5_000, 600_000),
  };
}
