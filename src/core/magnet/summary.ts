// What a magnet link says, ready to show: its hashes in the forms people write them, its name, and its trackers
// and web seeds with their secrets hidden. The CLI, the hover and the magnet panel all show a link this way.

import { Secrets } from '../privacy/secrets';
import { fromHex, toBase32 } from '../text/bytes';
import type { MagnetLink } from './parse';

/** Each hash of a torrent as people write it: v1 in hex and base32 (as in btih links), v2 in hex and truncated (BEP 52). */
export interface HashForms {
  v1?: { hex: string; base32: string };
  v2?: { hex: string; truncated: string };
}

export function hashForms(infoHash: { v1?: string; v2?: string }): HashForms {
  const out: HashForms = {};
  if (infoHash.v1) out.v1 = { hex: infoHash.v1, base32: toBase32(fromHex(infoHash.v1)) };
  if (infoHash.v2) out.v2 = { hex: infoHash.v2, truncated: infoHash.v2.slice(0, 40) };
  return out;
}

export interface MagnetSummary {
  hashes: HashForms;
  /** `dn`, as given (the caller makes it safe to show). */
  name?: string;
  /** `tr` and `ws`, redacted through the secrets given. */
  trackers: string[];
  webSeeds: string[];
  /** `x.pe`, as `host:port` or `[IPv6]:port`. */
  peers: string[];
  /** `xl`, bytes. */
  exactLength?: number;
  /** `so`: file indices (BEP 53). */
  selectOnly?: number[];
  /** Parameters not interpreted, `[name, value]`. */
  unknown: [string, string][];
}

export function magnetSummary(magnet: MagnetLink, secrets: Secrets): MagnetSummary {
  const summary: MagnetSummary = {
    hashes: hashForms(magnet.infoHash),
    trackers: magnet.trackers.map((url) => secrets.redactUrl(url)),
    webSeeds: magnet.webSeeds.map((url) => secrets.redactUrl(url)),
    peers: magnet.peers.map((p) => (p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`)),
    unknown: magnet.unknown.map(([name, value]) => [name, secrets.redact(value)]),
  };
  if (magnet.name !== undefined) summary.name = secrets.redact(magnet.name);
  if (magnet.exactLength !== undefined) summary.exactLength = magnet.exactLength;
  if (magnet.selectOnly !== undefined) summary.selectOnly = magnet.selectOnly;
  return summary;
}

/**
 * The secrets of a magnet link's tracker and web seed URLs. A link cannot say that its torrent is private: once
 * the metadata is in, pass its private flag so that the private rule applies.
 */
export function magnetSecrets(magnet: MagnetLink, options: { show: boolean; private?: boolean }): Secrets {
  return Secrets.forTorrent(
    { trackers: magnet.trackers.map((url) => [url]), webSeeds: magnet.webSeeds, private: options.private === true },
    { show: options.show },
  );
}
