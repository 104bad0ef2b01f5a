// Magnet links (BEP 9, with BEP 52's `urn:btmh` for v2 torrents).

import type { Metainfo } from '../metainfo/types';
import { redactUrl } from '../privacy/redact';
import type { Secrets } from '../privacy/secrets';

export interface MagnetOptions {
  /** The torrent's secrets: hidden in tracker and web seed URLs and the name (nothing is hidden when they are shown). */
  secrets?: Secrets;
  /**
   * Hide passkeys and other secrets in tracker and web seed URLs (`redactUrl`). Callers pass `!showSecrets`.
   * @deprecated Pass `secrets`, which also applies a private torrent's rule.
   */
  redact?: boolean;
  /** Include `tr` (default true). */
  trackers?: boolean;
  /** Include `ws` (default true). */
  webSeeds?: boolean;
}

/** BEP 52: a multihash of SHA-256 (0x12) with a 32-byte (0x20) digest. */
const SHA256_MULTIHASH_PREFIX = '1220';

/**
 * The magnet link of a torrent: `xt=urn:btih:` (v1 and hybrid) and `xt=urn:btmh:1220…` (v2 and hybrid),
 * `dn`, one `tr` per tracker (every tier, in order, each URL once) and one `ws` per web seed.
 */
export function magnetLink(metainfo: Pick<Metainfo, 'infoHash' | 'name' | 'trackers' | 'webSeeds'>, options: MagnetOptions = {}): string {
  const params: string[] = [];
  const { v1, v2 } = metainfo.infoHash;
  if (v1) params.push(`xt=urn:btih:${v1}`);
  if (v2) params.push(`xt=urn:btmh:${SHA256_MULTIHASH_PREFIX}${v2}`);
  const name = options.secrets ? options.secrets.redact(metainfo.name.text) : metainfo.name.text;
  if (name !== '') params.push(`dn=${encodeComponent(name)}`);
  const shown = (url: string) => (options.secrets ? options.secrets.redactUrl(url) : options.redact ? redactUrl(url) : url);
  if (options.trackers !== false) {
    // Clients strip leading whitespace from tracker URLs (libtorrent); a link should carry what they announce to.
    for (const url of unique(
      metainfo.trackers
        .flat()
        .map((u) => shown(u.trim()))
        .filter((u) => u !== ''),
    ))
      params.push(`tr=${encodeComponent(url)}`);
  }
  if (options.webSeeds !== false) {
    for (const url of unique(metainfo.webSeeds.map((u) => shown(u.trim())).filter((u) => u !== '')))
      params.push(`ws=${encodeComponent(url)}`);
  }
  return `magnet:?${params.join('&')}`;
}

/** Percent-encodes everything but RFC 3986 unreserved characters, so '&', '=', '+' and '#' never split a value. */
function encodeComponent(text: string): string {
  // encodeURIComponent leaves !'()* alone; they are legal in a query but some magnet parsers choke on them.
  return encodeURIComponent(toWellFormed(text)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Replaces lone surrogates (which encodeURIComponent rejects) with U+FFFD. */
function toWellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
