// Compact peer lists (BEP 23 IPv4, BEP 7 IPv6) and raw addresses (BEP 24 `external ip`).
import type { Peer } from './types';

/** Dotted quad of 4 bytes at `offset`. */
export function ipv4Text(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text of 16 bytes at `offset`: lower case, longest zero run (of two or more groups) as `::`. */
export function ipv6Text(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + i * 2] << 8) | bytes[offset + i * 2 + 1]);
  // IPv4-mapped addresses read best as ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4Text(bytes, offset + 12)}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Peers from a compact list of `entrySize`-byte entries (6: IPv4 + port, 18: IPv6 + port). Extra bytes are ignored. */
export function parseCompactPeers(bytes: Uint8Array, entrySize: 6 | 18, offset = 0, end = bytes.length): Peer[] {
  const peers: Peer[] = [];
  for (let p = offset; p + entrySize <= end; p += entrySize) {
    const ip = entrySize === 6 ? ipv4Text(bytes, p) : ipv6Text(bytes, p);
    const port = (bytes[p + entrySize - 2] << 8) | bytes[p + entrySize - 1];
    peers.push({ ip, port });
  }
  return peers;
}

/** BEP 24 `external ip`: 4 or 16 raw bytes; anything else is not an address. */
export function parseRawAddress(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return ipv4Text(bytes);
  if (bytes.length === 16) return ipv6Text(bytes);
  return undefined;
}
