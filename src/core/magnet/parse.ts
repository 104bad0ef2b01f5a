// Reading magnet links (BEP 9; BEP 52's `urn:btmh` for v2; BEP 53's `so`). `link.ts` writes them.
//
// A magnet link is typed or pasted by a user and often copied from a web page, so it is hostile input: every
// problem is a `MagnetError` that names the parameter, never an exception. Parameters are read as libtorrent
// reads them: `+` is a space, `xt.1`, `tr.2` … count as `xt`, `tr`, and parameters we do not interpret are kept.

import { isIP } from 'node:net';
import { toHex } from '../text/bytes';
import { visibleText } from '../text/display';

export interface MagnetPeer {
  /** An IPv4 or IPv6 literal (without brackets) or a host name. */
  host: string;
  port: number;
}

export interface MagnetLink {
  /** The info hashes: v1 (SHA-1, 40 hex digits) from `urn:btih`, v2 (SHA-256, 64 hex digits) from `urn:btmh:1220…`. */
  infoHash: { v1?: string; v2?: string };
  /** `dn`: the display name. */
  name?: string;
  /** `tr`: tracker URLs, in order, each once. */
  trackers: string[];
  /** `ws`: web seeds (BEP 19), in order, each once. */
  webSeeds: string[];
  /** `x.pe`: peers to ask directly (BEP 9). */
  peers: MagnetPeer[];
  /** `xl`: the exact length of the content in bytes. */
  exactLength?: number;
  /** `so`: the file indices to download (BEP 53), ranges expanded, in ascending order. */
  selectOnly?: number[];
  /** Parameters we do not interpret, in link order, decoded: `[name, value]`. */
  unknown: [string, string][];
}

export interface MagnetError {
  /** Stable identifier, e.g. `not-magnet`, `missing-xt`, `bad-btih`. */
  code: string;
  message: string;
  /** The parameter at fault, as written in the link (e.g. `xt`, `x.pe`), when there is one. */
  parameter?: string;
}

export type MagnetParseResult = { ok: true; magnet: MagnetLink } | { ok: false; error: MagnetError };

/** Above this, a link is not something a person pasted (libtorrent has no limit; browsers stop near 2 MB). */
export const MAX_MAGNET_LENGTH = 1 << 20;
/** BEP 53 ranges are expanded; a link cannot make us list more file indices than this. */
const MAX_SELECTED_FILES = 1 << 20;

class MagnetParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Reads a magnet link. Never throws: a link that cannot be used is a `MagnetError` naming the parameter. */
export function parseMagnet(link: string): MagnetParseResult {
  try {
    return { ok: true, magnet: readMagnet(link) };
  } catch (error) {
    if (error instanceof MagnetParseError) {
      const failure: MagnetError = { code: error.code, message: error.message };
      if (error.parameter !== undefined) failure.parameter = error.parameter;
      return { ok: false, error: failure };
    }
    return { ok: false, error: { code: 'internal-error', message: `could not read the magnet link: ${String(error)}` } };
  }
}

function readMagnet(link: string): MagnetLink {
  const text = link.trim();
  if (text.length > MAX_MAGNET_LENGTH)
    throw new MagnetParseError('too-long', `the magnet link is ${text.length} characters long, more than ${MAX_MAGNET_LENGTH}`);
  const scheme = /^magnet:\??/i.exec(text);
  if (!scheme) throw new MagnetParseError('not-magnet', `not a magnet link: it must start with "magnet:?"`);
  const query = text.slice(scheme[0].length).replace(/#.*$/s, '');
  const magnet: MagnetLink = { infoHash: {}, trackers: [], webSeeds: [], peers: [], unknown: [] };
  const selected = new Set<number>();
  let sawSelectOnly = false;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const rawName = equals < 0 ? part : part.slice(0, equals);
    const name = decodeComponent(rawName, rawName);
    const value = equals < 0 ? '' : decodeComponent(part.slice(equals + 1), name);
    // BEP 9 numbers repeated parameters (`xt.1`, `tr.2`); `x.pe` has a dot of its own.
    const key = /^(xt|dn|tr|ws|xl|so)\.\d+$/.exec(name)?.[1] ?? name;
    switch (key) {
      case 'xt':
        readExactTopic(magnet, value, name);
        break;
      case 'dn':
        magnet.name ??= value;
        break;
      case 'tr':
        if (value.trim() !== '' && !magnet.trackers.includes(value.trim())) magnet.trackers.push(value.trim());
        break;
      case 'ws':
        if (value.trim() !== '' && !magnet.webSeeds.includes(value.trim())) magnet.webSeeds.push(value.trim());
        break;
      case 'x.pe': {
        const peer = parsePeerEndpoint(value);
        if (typeof peer === 'string') throw new MagnetParseError('bad-peer', `x.pe: ${peer}`, name);
        if (!magnet.peers.some((p) => p.host === peer.host && p.port === peer.port)) magnet.peers.push(peer);
        break;
      }
      case 'xl': {
        if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)))
          throw new MagnetParseError('bad-length', `${name}: "${shorten(value)}" is not a length in bytes`, name);
        magnet.exactLength = Number(value);
        break;
      }
      case 'so':
        sawSelectOnly = true;
        readSelectOnly(value, name, selected);
        break;
      default:
        magnet.unknown.push([name, value]);
    }
  }
  if (magnet.infoHash.v1 === undefined && magnet.infoHash.v2 === undefined) {
    throw new MagnetParseError(
      'missing-xt',
      'the magnet link has no info hash: it needs xt=urn:btih:… (v1) or xt=urn:btmh:1220… (v2)',
      'xt',
    );
  }
  if (sawSelectOnly) magnet.selectOnly = [...selected].sort((a, b) => a - b);
  return magnet;
}

/** `xt`: `urn:btih:` with 40 hex digits or 32 base32 characters, or `urn:btmh:` with a SHA-256 multihash. */
function readExactTopic(magnet: MagnetLink, value: string, parameter: string): void {
  const urn = /^urn:(btih|btmh):(.*)$/i.exec(value);
  if (!urn) {
    // Other URNs (ed2k, sha1 of a file …) name other networks; a link may carry them beside a btih.
    if (/^urn:[a-z0-9.-]+:/i.test(value)) {
      magnet.unknown.push([parameter, value]);
      return;
    }
    throw new MagnetParseError('bad-xt', `${parameter}: "${shorten(value)}" is not a URN (expected urn:btih:… or urn:btmh:…)`, parameter);
  }
  const kind = urn[1].toLowerCase();
  const digits = urn[2];
  if (kind === 'btih') {
    let hex: string;
    if (/^[0-9a-f]{40}$/i.test(digits)) hex = digits.toLowerCase();
    else if (/^[a-z2-7]{32}$/i.test(digits)) hex = toHex(fromBase32(digits));
    else
      throw new MagnetParseError(
        'bad-btih',
        `${parameter}: the v1 info hash "${shorten(digits)}" must be 40 hex digits or 32 base32 characters (it has ${digits.length})`,
        parameter,
      );
    if (magnet.infoHash.v1 !== undefined && magnet.infoHash.v1 !== hex)
      throw new MagnetParseError(
        'conflicting-xt',
        `${parameter}: a second, different v1 info hash (${hex}, after ${magnet.infoHash.v1})`,
        parameter,
      );
    magnet.infoHash.v1 = hex;
    return;
  }
  // A multihash: 0x12 (SHA-256), 0x20 (32 bytes), then the digest (BEP 52).
  if (!/^[0-9a-f]*$/i.test(digits) || digits.length % 2 !== 0)
    throw new MagnetParseError('bad-btmh', `${parameter}: the v2 info hash "${shorten(digits)}" is not a hex multihash`, parameter);
  if (!/^1220/.test(digits))
    throw new MagnetParseError(
      'bad-btmh',
      `${parameter}: the v2 info hash must be a SHA-256 multihash starting 1220, not ${shorten(digits.slice(0, 4))}…`,
      parameter,
    );
  if (digits.length !== 4 + 64)
    throw new MagnetParseError(
      'bad-btmh',
      `${parameter}: the v2 info hash must have 64 hex digits after 1220 (it has ${digits.length - 4})`,
      parameter,
    );
  const hex = digits.slice(4).toLowerCase();
  if (magnet.infoHash.v2 !== undefined && magnet.infoHash.v2 !== hex)
    throw new MagnetParseError(
      'conflicting-xt',
      `${parameter}: a second, different v2 info hash (${hex}, after ${magnet.infoHash.v2})`,
      parameter,
    );
  magnet.infoHash.v2 = hex;
}

/** BEP 53: comma-separated file indices and inclusive ranges, `0,2,4-6`. */
function readSelectOnly(value: string, parameter: string, selected: Set<number>): void {
  for (const item of value.split(',')) {
    const range = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(item.trim());
    if (!range)
      throw new MagnetParseError('bad-select-only', `${parameter}: "${shorten(item)}" is not a file index or a range like 4-6`, parameter);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) throw new MagnetParseError('bad-select-only', `${parameter}: the range ${item} runs backwards`, parameter);
    if (selected.size + (last - first + 1) > MAX_SELECTED_FILES)
      throw new MagnetParseError('bad-select-only', `${parameter}: selects more than ${MAX_SELECTED_FILES} files`, parameter);
    for (let i = first; i <= last; i++) selected.add(i);
  }
}

/**
 * A peer's address as BEP 9's `x.pe` writes it and as a user types it: `host:port`, `1.2.3.4:port` or
 * `[ipv6]:port`. Returns the reason as a string when it is not one.
 */
export function parsePeerEndpoint(text: string): MagnetPeer | string {
  const value = text.trim();
  const bracketed = /^\[([^\]\s]+)\]:(\d{1,5})$/.exec(value);
  const plain = bracketed ? undefined : /^([^\s:[\]/?#@]+):(\d{1,5})$/.exec(value);
  const match = bracketed ?? plain;
  if (!match) {
    if (/^[0-9a-fA-F:]+$/.test(value) && value.split(':').length > 2)
      return `"${shorten(value)}" is an IPv6 address without a port: write it as [address]:port`;
    return `"${shorten(value)}" is not an address and port (host:port, or [IPv6]:port)`;
  }
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return `port ${match[2]} in "${shorten(value)}" is not between 1 and 65535`;
  const host = match[1].toLowerCase();
  if (bracketed && isIP(host) !== 6) return `"${shorten(value)}": only IPv6 addresses go in brackets`;
  return { host, port };
}

/** Percent-decoding as libtorrent does it: `+` is a space, %XX a byte; the bytes are read as UTF-8. */
function decodeComponent(text: string, parameter: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        throw new MagnetParseError(
          'bad-escape',
          `${parameter}: "%${shorten(hex)}" is not a percent escape (% and two hex digits)`,
          parameter,
        );
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b) {
      bytes.push(0x20);
    } else {
      for (const b of utf8.encode(text[i] + (c >= 0xd800 && c < 0xdc00 ? (text[++i] ?? '') : ''))) bytes.push(b);
    }
  }
  return lenientUtf8.decode(Uint8Array.from(bytes));
}

const utf8 = new TextEncoder();
// A name in a link that is not UTF-8 still names the torrent; U+FFFD marks the bytes that are not.
const lenientUtf8 = new TextDecoder('utf-8');

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding), as in 32-character btih hashes. The caller has checked the alphabet. */
export function fromBase32(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const c of text.toUpperCase()) {
    buffer = ((buffer << 5) | BASE32.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/** At most 60 characters of hostile text for a message. */
function shorten(text: string): string {
  const clean = visibleText(text);
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}
