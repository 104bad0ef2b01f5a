// Typed access to the `torrentLens.*` settings declared in package.json.
import * as vscode from 'vscode';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('torrentLens');
}

/** Whether passkeys and other secrets in tracker URLs are shown instead of redacted. */
export function showSecrets(): boolean {
  return config().get<boolean>('privacy.showSecrets', false);
}

/** How an inspection announce behaves: the `torrentLens.announce.event` setting. */
export type AnnounceEventSetting = 'started-then-stopped' | 'started' | 'none';

export interface TrackerSettings {
  /** `torrentLens.tracker.timeout`: ms each tracker gets, connect to last byte, UDP retries included. */
  timeoutMs: number;
  /** `torrentLens.tracker.udpRetryTimeout`: first UDP retransmission timeout in ms, doubled per retry. */
  udpRetryTimeoutMs: number;
  /** `torrentLens.tracker.maxResponseSize`: answers larger than this many bytes are refused. */
  maxResponseBytes: number;
  /** `torrentLens.http.userAgent`. */
  userAgent: string;
  /** `torrentLens.announce.numwant`. */
  numwant: number;
  /** `torrentLens.announce.port`. */
  port: number;
  /** `torrentLens.announce.event`. */
  event: AnnounceEventSetting;
  /** `torrentLens.announce.left`: report the torrent's total size as left (`total`) or 0 (`zero`, a seeder). */
  left: 'total' | 'zero';
  /** `torrentLens.announce.confirm`: ask before the first announce discloses the IP address to trackers. */
  confirmAnnounce: boolean;
}

function clampedInteger(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** The tracker settings, each checked and bounded: a hand-edited settings.json cannot make a request unbounded. */
export function trackerSettings(): TrackerSettings {
  const c = config();
  const userAgent = c.get<string>('http.userAgent', '');
  return {
    timeoutMs: clampedInteger(c.get('tracker.timeout'), 10_000, 500, 120_000),
    udpRetryTimeoutMs: clampedInteger(c.get('tracker.udpRetryTimeout'), 1_000, 100, 15_000),
    maxResponseBytes: clampedInteger(c.get('tracker.maxResponseSize'), 4 * 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
    // Header values may not carry control characters; an invalid one falls back to ours.
    userAgent:
      typeof userAgent === 'string' && userAgent.trim() && /^[\x20-\x7e]+$/.test(userAgent) ? userAgent.trim() : 'TorrentLens/0.1.0',
    numwant: clampedInteger(c.get('announce.numwant'), 50, 0, 1000),
    port: clampedInteger(c.get('announce.port'), 6881, 1, 65535),
    event: oneOf(c.get('announce.event'), ['started-then-stopped', 'started', 'none'] as const, 'started-then-stopped'),
    left: oneOf(c.get('announce.left'), ['total', 'zero'] as const, 'total'),
    confirmAnnounce: c.get<boolean>('announce.confirm', true) !== false,
  };
}

/** Turns off the announce confirmation for good (the user chose "don't ask again"). */
export async function stopConfirmingAnnounce(): Promise<void> {
  await config().update('announce.confirm', false, vscode.ConfigurationTarget.Global);
}
