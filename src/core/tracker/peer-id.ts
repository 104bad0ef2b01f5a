// Peer ids: ours (Azureus style, `-TL0100-` + random) and naming the client behind someone else's.
import { randomBytes } from 'node:crypto';
import { bytesToBinary } from '../text/bytes';

export const PEER_ID_PREFIX = '-TL0100-';

const RANDOM_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A fresh peer id: our client prefix and 12 random URL-safe characters, so it shows readably in logs. */
export function generatePeerId(): Uint8Array {
  const out = new Uint8Array(20);
  for (let i = 0; i < PEER_ID_PREFIX.length; i++) out[i] = PEER_ID_PREFIX.charCodeAt(i);
  const random = randomBytes(20 - PEER_ID_PREFIX.length);
  for (let i = PEER_ID_PREFIX.length; i < 20; i++)
    out[i] = RANDOM_ALPHABET.charCodeAt(random[i - PEER_ID_PREFIX.length] % RANDOM_ALPHABET.length);
  return out;
}

let processPeerId: Uint8Array | undefined;

/** One peer id per process, as a client keeps one per session. */
export function defaultPeerId(): Uint8Array {
  processPeerId ??= generatePeerId();
  return processPeerId;
}

/** Azureus-style two-letter codes (`-XX1234-`), the widely seen ones. */
const AZUREUS_CLIENTS: Record<string, string> = {
  AG: 'Ares',
  AR: 'Arctic',
  AT: 'Artemis',
  AX: 'BitPump',
  AZ: 'Vuze',
  BB: 'BitBuddy',
  BC: 'BitComet',
  BE: 'BitTorrent SDK',
  BF: 'Bitflu',
  BI: 'BiglyBT',
  BL: 'BitCometLite',
  BT: 'BitTorrent',
  BW: 'BitWombat',
  CD: 'Enhanced CTorrent',
  CT: 'CTorrent',
  DE: 'Deluge',
  EB: 'EBit',
  FD: 'Free Download Manager',
  FG: 'FlashGet',
  FT: 'FoxTorrent',
  FW: 'FrostWire',
  FX: 'Freebox BitTorrent',
  GS: 'GSTorrent',
  HL: 'Halite',
  HN: 'Hydranode',
  KG: 'KGet',
  KT: 'KTorrent',
  LC: 'LeechCraft',
  LH: 'LH-ABC',
  LP: 'Lphant',
  LT: 'libtorrent',
  LW: 'LimeWire',
  lt: 'rTorrent',
  MO: 'MonoTorrent',
  MP: 'MooPolice',
  MR: 'Miro',
  NX: 'Net Transport',
  OS: 'OneSwarm',
  PD: 'Pando',
  PI: 'PicoTorrent',
  qB: 'qBittorrent',
  QD: 'QQDownload',
  QT: 'Qt 4 Torrent example',
  RT: 'Retriever',
  SB: 'Swiftbit',
  SD: 'Thunder',
  SM: 'SoMud',
  ST: 'SymTorrent',
  SZ: 'Shareaza',
  TB: 'Torch',
  TE: 'terasaur Seed Bank',
  TL: 'Torrent Lens',
  TN: 'TorrentDotNET',
  TR: 'Transmission',
  TS: 'Torrentstorm',
  TT: 'TuoTu',
  UL: 'uLeecher!',
  UM: 'µTorrent for Mac',
  UT: 'µTorrent',
  UW: 'µTorrent Web',
  VG: 'Vagaa',
  WD: 'WebTorrent Desktop',
  WT: 'BitLet',
  WW: 'WebTorrent',
  WY: 'FireTorrent',
  XF: 'Xfplay',
  XL: 'Xunlei',
  XT: 'XanTorrent',
  XX: 'Xtorrent',
  ZT: 'ZipTorrent',
  '7T': 'aTorrent for Android',
};

/** Shadow-style one-letter codes (`S58B-----`). */
const SHADOW_CLIENTS: Record<string, string> = {
  A: 'ABC',
  O: 'Osprey Permaseed',
  Q: 'BTQueue',
  R: 'Tribler',
  S: 'Shadow',
  T: 'BitTornado',
  U: 'UPnP NAT Bit Torrent',
};

/** Mainline style (`M4-4-0--`): a letter, then dash-separated numbers. */
const MAINLINE_CLIENTS: Record<string, string> = {
  M: 'BitTorrent (Mainline)',
  Q: 'Queen Bee',
};

const SHADOW_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-';

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function azureusVersion(code: string, v: string): string {
  if (code === 'TR') {
    // Transmission: 0.xx as `00xx`; 1.xx-3.xx as major + two-digit minor; 4+ as major.minor.patch.
    // A trailing `Z` marks a development build, `X`/`B` a beta.
    const suffix = v[3] === 'Z' ? '+' : v[3] === 'X' || v[3] === 'B' ? ' beta' : '';
    if (v[0] === '0') return `0.${v.slice(2, 4)}`;
    if (v[0] >= '1' && v[0] <= '3') return `${v[0]}.${v.slice(1, 3)}${suffix}`;
    return `${v[0]}.${v[1]}.${v[2]}${suffix}`;
  }
  // Most clients: one version part per character; trailing zeros dropped after major.minor.
  const parts: string[] = [];
  let suffix = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (isDigit(c)) parts.push(c);
    else if (i === v.length - 1) suffix = c;
    else if (c >= 'A' && c <= 'Z') parts.push(String(c.charCodeAt(0) - 55));
    else parts.push(c);
  }
  while (parts.length > 2 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.') + (suffix ? ` (${suffix})` : '');
}

/** The client a peer id names, e.g. `qBittorrent 4.5.2`, or undefined when it follows no known scheme. */
export function clientFromPeerId(peerId: Uint8Array): string | undefined {
  if (peerId.length !== 20) return undefined;
  const text = bytesToBinary(peerId);
  // Azureus style: -XX1234-
  if (text[0] === '-' && text[7] === '-') {
    const code = text.slice(1, 3);
    const version = text.slice(3, 7);
    const name = AZUREUS_CLIENTS[code];
    if (name && /^[0-9A-Za-z]{4}$/.test(version)) return `${name} ${azureusVersion(code, version)}`;
    if (/^[0-9A-Za-z]{2}$/.test(code) && /^[0-9A-Za-z]{4}$/.test(version))
      return `unknown client -${code}- ${azureusVersion(code, version)}`;
  }
  // Mainline style: M4-4-0-- or M4-10-5- (a letter, numbers separated by dashes, padded with dashes).
  const mainline = /^([A-Z])(\d+)-(\d+)-(\d+)-+/.exec(text.slice(0, 8));
  if (mainline && MAINLINE_CLIENTS[mainline[1]] && text[1] !== '-') {
    return `${MAINLINE_CLIENTS[mainline[1]]} ${mainline[2]}.${mainline[3]}.${mainline[4]}`;
  }
  // Shadow style: a letter, up to five base-64 version characters, then dashes (`T03I--`, `S58B-----`).
  const shadowName = SHADOW_CLIENTS[text[0]];
  if (shadowName) {
    const versionEnd = text.indexOf('--', 1);
    const version = text.slice(1, versionEnd > 0 && versionEnd <= 6 ? versionEnd : 6);
    if (version.length > 0 && [...version].every((c) => SHADOW_DIGITS.includes(c) && c !== '-')) {
      return `${shadowName} ${[...version].map((c) => SHADOW_DIGITS.indexOf(c)).join('.')}`;
    }
  }
  if (text.startsWith('exbc')) return 'BitComet (old)';
  if (text.startsWith('XBT')) return `XBT Client ${text[3]}.${text[4]}.${text[5]}`;
  if (text.startsWith('OP')) return 'Opera';
  return undefined;
}

/**
 * A peer id for display: printable ASCII as is, every other byte as `%XX` (the way it travels in URLs),
 * so a hostile peer id cannot carry control characters into a log or a table.
 */
export function peerIdText(peerId: Uint8Array): string {
  let out = '';
  for (const byte of peerId)
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}
