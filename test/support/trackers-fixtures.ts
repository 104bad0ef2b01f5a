// Torrents for the tracker results panel's tests, naming trackers on 127.0.0.1 that misbehave in every
// way our hostile tracker knows (test/support/hostile-tracker.ts), over HTTP, UDP and WebSocket: the
// browser tests, the acceptance test of secrets and the UI tests in VS Code use the same ones.
import { createHash } from 'node:crypto';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import type { HostileTracker } from './hostile-tracker';

const PIECE_LENGTH = 16_384;

/** A single-file info dictionary of `length` bytes, and its v1 info hash. */
export function payloadInfo(name: string, length = 50_005, isPrivate = false): { info: Record<string, Encodable>; infoHash: string } {
  const info: Record<string, Encodable> = {
    length,
    name,
    'piece length': PIECE_LENGTH,
    pieces: Buffer.alloc(Math.ceil(length / PIECE_LENGTH) * 20, 0x5a),
  };
  if (isPrivate) info.private = 1;
  return { info, infoHash: createHash('sha1').update(encode(info)).digest('hex') };
}

/**
 * Trackers in three tiers: ones that work (HTTP with large counts, UDP, WebSocket), ones that answer with
 * an error (a failure reason, BEP 31 retry in, Retry-After, an HTML page, HTTP errors, broken bencode) and
 * ones that do worse (silence, resets, absurd intervals, a scheme we do not speak).
 */
export async function misbehavingTrackers(tracker: HostileTracker): Promise<string[][]> {
  return [
    [
      tracker.httpUrl('big-counts'),
      tracker.httpUrl('dict-peers'),
      await tracker.udpUrl('ok'),
      tracker.wsUrl('ws-ok'),
      tracker.httpUrl('warning'),
      tracker.httpUrl('external-ip'),
    ],
    [
      tracker.httpUrl('failure'),
      tracker.httpUrl('retry'),
      tracker.httpUrl('busy-429'),
      tracker.httpUrl('html'),
      tracker.httpUrl('not-found'),
      tracker.httpUrl('malformed'),
      await tracker.udpUrl('error'),
      tracker.httpUrl('hostile-text'),
    ],
    [
      tracker.httpUrl('absurd-interval'),
      tracker.httpUrl('slow'),
      await tracker.udpUrl('silent'),
      tracker.httpUrl('reset'),
      tracker.httpUrl('redirect-relative'),
      'gopher://tracker.example/announce',
    ],
  ];
}

/** A .torrent naming these tiers of trackers. */
export function torrentWithTrackers(tiers: string[][], name = 'misbehaving-trackers.bin', extra: Record<string, Encodable> = {}): Buffer {
  const { info } = payloadInfo(name);
  return Buffer.from(encode({ announce: tiers[0][0], 'announce-list': tiers, 'created by': 'Torrent Lens tests', info, ...extra }));
}

/** The passkeys of `privateTorrent`, one per place a private tracker may keep one. */
export const PASSKEYS = {
  /** In the user-info: `http://alice:KEY@host/…`. */
  userInfo: 'Us3rInf0Secret',
  /** A short path segment: shorter than what looks generated to the rule for public torrents. */
  pathSegment: 'pk9Qx2Lm',
  /** A query value under a name no passkey list knows. */
  query: 'Zq7Wv3Rt8Yp',
  /** A long generated one in the path, as most private trackers use. */
  generated: '4f6e2a9c0b1d8e7f3a5c6b9d0e2f4a1c',
} as const;

/**
 * A private torrent whose tracker URLs carry passkeys in every place listed in PASSKEYS, with a comment
 * quoting one of those URLs, trackers that answer with a failure reason quoting the request line (HTTP
 * and UDP) and one that redirects with a relative Location carrying the passkey.
 */
export async function privateTorrent(tracker: HostileTracker): Promise<{ bytes: Buffer; trackers: string[]; infoHash: string }> {
  const base = tracker.httpUrl('x').replace('/x/announce', '');
  const withUserInfo = base.replace('http://', `http://alice:${PASSKEYS.userInfo}@`);
  const trackers = [
    `${withUserInfo}/echo-request/${PASSKEYS.pathSegment}/announce?zz=${PASSKEYS.query}`,
    `${base}/redirect-relative/${PASSKEYS.pathSegment}/announce?zz=${PASSKEYS.query}`,
    `${base}/echo-request/${PASSKEYS.generated}/announce`,
    await tracker.udpUrl('echo-url-data', `/${PASSKEYS.pathSegment}/announce?zz=${PASSKEYS.query}`),
  ];
  const { info, infoHash } = payloadInfo('private payload.bin', 50_005, true);
  const bytes = Buffer.from(
    encode({
      announce: trackers[0],
      'announce-list': [trackers],
      comment: `Announce at ${trackers[0]} (keep your passkey to yourself)`,
      'created by': 'Torrent Lens tests',
      info,
    }),
  );
  return { bytes, trackers, infoHash };
}
