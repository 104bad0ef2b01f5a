// Tracker URLs: which protocol, where the scrape URL is, and how binary values go into a query.
import { TrackerFailure } from './errors';
import type { TrackerProtocol } from './types';

/** Why a tracker URL with port 0 is not contacted (nothing can listen there). */
const PORT_ZERO = 'port 0 cannot be contacted: a tracker URL needs a port from 1 to 65535';

const SCHEMES: ReadonlySet<string> = new Set<TrackerProtocol>(['http', 'https', 'udp', 'ws', 'wss']);

export function trackerProtocol(url: string): TrackerProtocol {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1].toLowerCase();
  return scheme !== undefined && SCHEMES.has(scheme) ? (scheme as TrackerProtocol) : 'unsupported';
}

/** Whether the protocol is WebSocket (WebTorrent's trackers). */
export function isWebSocket(protocol: TrackerProtocol): protocol is 'ws' | 'wss' {
  return protocol === 'ws' || protocol === 'wss';
}

/** Why a tracker URL cannot be contacted, or undefined when it can. */
export function unsupportedReason(url: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1].toLowerCase();
  if (!scheme) return 'not a URL (no scheme)';
  if (!SCHEMES.has(scheme)) return `unsupported tracker scheme "${scheme}:"`;
  try {
    const parsed = new URL(url.trim());
    if (!parsed.hostname) return 'the URL has no host';
    if (parsed.port === '0') return PORT_ZERO;
    if (scheme === 'udp' && !parsed.port) return 'a udp:// tracker URL needs a port';
  } catch {
    return 'not a valid URL';
  }
  return undefined;
}

const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[c.charCodeAt(0)] = 1;

/** Percent-encodes every byte except RFC 3986's unreserved characters, as libtorrent does for `info_hash`/`peer_id`. */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte < 128 && UNRESERVED[byte]) out += String.fromCharCode(byte);
    else out += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
  }
  return out;
}

/** The URL without its fragment: a `#…` never goes to the server. */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 ? url.slice(0, hash) : url;
}

/**
 * Appends already-encoded `name=value` pairs to a tracker URL, keeping what its query already holds
 * (private trackers put the passkey there).
 */
export function appendQuery(url: string, pairs: string[]): string {
  const base = withoutFragment(url.trim());
  if (pairs.length === 0) return base;
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return base + separator + pairs.join('&');
}

/**
 * The scrape URL of an HTTP tracker by the convention BEP 48 describes: the last path segment must begin
 * with `announce`, which becomes `scrape` (`/announce.php?pk=1` → `/scrape.php?pk=1`). Undefined when the
 * tracker's URL does not follow it: such a tracker has no scrape URL.
 */
export function scrapeUrlOf(announceUrl: string): string | undefined {
  const url = withoutFragment(announceUrl.trim());
  const queryAt = url.indexOf('?');
  const path = queryAt >= 0 ? url.slice(0, queryAt) : url;
  const query = queryAt >= 0 ? url.slice(queryAt) : '';
  const slash = path.lastIndexOf('/');
  const schemeEnd = path.indexOf('://');
  if (slash < 0 || slash <= schemeEnd + 2) return undefined;
  const last = path.slice(slash + 1);
  if (!last.startsWith('announce')) return undefined;
  return `${path.slice(0, slash + 1)}scrape${last.slice('announce'.length)}${query}`;
}

/** Why `scrapeUrlOf` found nothing, for the user. */
export const NO_SCRAPE_URL =
  'this tracker has no scrape URL: the last part of its path does not begin with "announce", which is how a client finds the scrape URL (BEP 48)';

/** `udp://host:port/path?query` → parts; the path and query travel as BEP 41 URL data. */
export function parseUdpUrl(url: string): { host: string; port: number; pathAndQuery: string } {
  const match = /^udp:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?([^#]*)/i.exec(url.trim());
  if (!match || !match[1]) throw new TrackerFailure('not-contacted', 'not a valid udp:// URL');
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  const port = Number(match[2]);
  if (!match[2] || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new TrackerFailure('not-contacted', port === 0 ? PORT_ZERO : 'a udp:// tracker URL needs a port between 1 and 65535');
  return { host, port, pathAndQuery: match[3] ?? '' };
}
