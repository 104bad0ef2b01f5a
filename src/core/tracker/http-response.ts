// Reading HTTP tracker answers (BEP 3, 7, 23, 24, 31, 48) from bencode, strictly but forgivingly: a
// non-canonical dictionary is read (as libtorrent does) and noted; a broken one is an error with its offset.
import { type BencodeDocument, BencodeError, decode, type Token } from '../bencode/decode';
import { formatCount } from '../../shared/format';
import { bytesToBinary, decodeUtf8Strict, displayText, toHex } from '../text/bytes';
import { visibleText } from '../text/display';
import { parseCompactPeers, parseRawAddress } from './compact';
import { TrackerFailure } from './errors';
import { clientFromPeerId } from './peer-id';
import type { Peer, RawValue, ScrapeEntry } from './types';

/** The longest `min interval` taken as given: 4 hours, the most rtorrent's libtorrent accepts (max_min_interval). */
export const MAX_MIN_INTERVAL_SECONDS = 4 * 3600;
/** The longest `interval` taken as given: 8 hours, the most rtorrent's libtorrent accepts (max_normal_interval). */
export const MAX_INTERVAL_SECONDS = 8 * 3600;

/** An interval the tracker gave, as taken: at most `max` seconds, with a note when the tracker said more. */
function clampSeconds(key: string, seconds: number | undefined, max: number, words: string, notes: string[]): number | undefined {
  if (seconds === undefined || seconds <= max) return seconds;
  notes.push(`"${key}" is ${formatCount(seconds)} s; taken as ${formatCount(max)} s (${words}), the most rtorrent accepts`);
  return max;
}

/** A `min interval` as taken: at most MAX_MIN_INTERVAL_SECONDS, with a note when the tracker said more. */
export function clampMinInterval(seconds: number | undefined, notes: string[]): number | undefined {
  return clampSeconds('min interval', seconds, MAX_MIN_INTERVAL_SECONDS, '4 hours', notes);
}

/** An `interval` as taken: at most MAX_INTERVAL_SECONDS, with a note when the tracker said more. */
export function clampInterval(seconds: number | undefined, notes: string[]): number | undefined {
  return clampSeconds('interval', seconds, MAX_INTERVAL_SECONDS, '8 hours', notes);
}

/** More peers than any tracker sends for one announce; past this we count instead of keeping them. */
export const MAX_PEERS_KEPT = 10_000;
const MAX_TEXT = 2_000;

/** A tracker-supplied string for display: UTF-8 or latin-1, control characters escaped, length capped. */
export function trackerText(bytes: Uint8Array): string {
  return trackerString(displayText(bytes).text);
}

/** Tracker-supplied text (a JSON string, say) for display: control characters escaped, length capped. */
export function trackerString(text: string): string {
  const shown = visibleText(text);
  return shown.length > MAX_TEXT ? `${shown.slice(0, MAX_TEXT)}… (${formatCount(shown.length - MAX_TEXT)} more characters)` : shown;
}

/** The start of a body that is not bencode, as a readable hint. */
export function bodySnippet(body: Uint8Array, max = 160): string {
  const text = visibleText(displayText(body.subarray(0, max)).text.replace(/\s+/g, ' ').trim());
  return body.length > max ? `${text}…` : text;
}

export interface DecodedAnswer {
  doc: BencodeDocument;
  notes: string[];
}

/** The longest part of an answer that is not bencode kept for the raw view. */
export const RAW_BODY_MAX = 64 * 1024;

/**
 * An answer that is not bencode (an HTML error page, plain text) for the raw view: its text, line breaks
 * kept and other control characters escaped, cut at RAW_BODY_MAX bytes.
 */
export function rawBody(body: Uint8Array, contentType?: string): RawValue {
  const shown = body.subarray(0, RAW_BODY_MAX);
  const text = displayText(shown).text.replace(/\r\n?/g, '\n').split('\n').map(visibleText).join('\n');
  return {
    text,
    length: body.length,
    ...(contentType ? { contentType: trackerString(contentType) } : {}),
    ...(body.length > RAW_BODY_MAX ? { truncated: true } : {}),
  };
}

/** Decodes a tracker's bencoded answer; anything but a dictionary is an error naming the problem and offset. */
export function decodeAnswer(body: Uint8Array, contentType?: string): DecodedAnswer {
  if (body.length === 0) throw new TrackerFailure('tracker-error', 'the tracker sent an empty answer');
  let doc: BencodeDocument;
  try {
    doc = decode(body);
  } catch (error) {
    if (error instanceof BencodeError) {
      const looksHtml = /^\s*</.test(bytesToBinary(body, 0, Math.min(body.length, 16)));
      const raw = rawBody(body, contentType);
      if (looksHtml) {
        const type = contentType ? ` (${trackerString(contentType)})` : '';
        throw new TrackerFailure(
          'tracker-error',
          `the answer is not bencode: it looks like HTML${type}: "${bodySnippet(body)}"`,
          undefined,
          raw,
        );
      }
      const begins = ` It begins "${bodySnippet(body, 60)}".`;
      // The decoder's own words for data that is clearly something else already say "not bencode".
      if (error.code === 'not-bencode')
        throw new TrackerFailure('tracker-error', `the answer is ${error.message}.${begins}`, undefined, raw);
      const where = error.message.includes(`byte ${error.offset}`) ? '' : ` (at byte ${error.offset})`;
      throw new TrackerFailure('tracker-error', `the answer is not valid bencode: ${error.message}${where}.${begins}`, undefined, raw);
    }
    throw error;
  }
  if (!doc.isDict(doc.root)) {
    throw new TrackerFailure(
      'tracker-error',
      `the answer is a bencoded ${doc.kind(doc.root)}, not a dictionary: "${bodySnippet(body, 60)}"`,
      undefined,
      rawValue(doc, doc.root),
    );
  }
  const notes = doc.warnings.map(
    (w) => `the answer's bencode is not canonical: ${w.message} (at byte ${w.offset}); read anyway, as libtorrent does`,
  );
  if (doc.warningsOmitted > 0) notes.push(`${formatCount(doc.warningsOmitted)} more bencode warnings`);
  return { doc, notes };
}

/** A non-negative integer field, or undefined (with a note when present but unusable). */
function intField(doc: BencodeDocument, dict: Token, key: string, notes: string[]): number | undefined {
  const t = doc.get(dict, key);
  if (t < 0) return undefined;
  if (!doc.isInt(t)) {
    // Some trackers send numbers as strings; libtorrent ignores them, we read them and say so.
    if (doc.isBytes(t)) {
      const text = doc.binary(t);
      if (/^\d{1,15}$/.test(text)) {
        notes.push(`"${key}" is a string, not an integer; read as ${text}`);
        return Number(text);
      }
    }
    notes.push(`"${key}" is a ${doc.kind(t)}, not an integer; ignored`);
    return undefined;
  }
  const value = doc.int(t);
  if (typeof value === 'bigint' || value < 0) {
    notes.push(`"${key}" is ${value}, out of range; ignored`);
    return undefined;
  }
  return value;
}

function textField(doc: BencodeDocument, dict: Token, key: string): string | undefined {
  const t = doc.get(dict, key);
  if (t < 0) return undefined;
  if (doc.isBytes(t)) return trackerText(doc.bytes(t));
  if (doc.isInt(t)) return String(doc.int(t));
  return undefined;
}

/** BEP 31 `retry in`: minutes, or "never". */
function retryInField(doc: BencodeDocument, dict: Token): number | 'never' | undefined {
  const t = doc.get(dict, 'retry in');
  if (t < 0) return undefined;
  if (doc.isInt(t)) {
    const v = doc.int(t);
    return typeof v === 'number' && v >= 0 ? v : undefined;
  }
  if (doc.isBytes(t)) {
    const text = doc.binary(t);
    if (text === 'never') return 'never';
    if (/^\d{1,9}$/.test(text)) return Number(text);
  }
  return undefined;
}

export interface AnnounceFields {
  failure?: string;
  warning?: string;
  retryIn?: number | 'never';
  interval?: number;
  minInterval?: number;
  complete?: number;
  incomplete?: number;
  downloaded?: number;
  trackerId?: string;
  /** The tracker id's exact bytes, to send back. */
  trackerIdBytes?: Uint8Array;
  externalIp?: string;
  peers: Peer[];
  notes: string[];
  raw: RawValue;
}

/** The fields of an announce answer. A `failure reason` is returned, not thrown: the caller decides. */
export function readAnnounceAnswer(answer: DecodedAnswer): AnnounceFields {
  const { doc } = answer;
  const root = doc.root;
  const notes = [...answer.notes];
  const out: AnnounceFields = { peers: [], notes, raw: rawValue(doc, root) };
  out.failure = textField(doc, root, 'failure reason');
  out.warning = textField(doc, root, 'warning message');
  out.retryIn = retryInField(doc, root);
  if (out.failure !== undefined) return out;

  out.interval = clampInterval(intField(doc, root, 'interval', notes), notes);
  out.minInterval = clampMinInterval(intField(doc, root, 'min interval', notes), notes);
  out.complete = intField(doc, root, 'complete', notes);
  out.incomplete = intField(doc, root, 'incomplete', notes);
  out.downloaded = intField(doc, root, 'downloaded', notes);
  const trackerId = doc.get(root, 'tracker id');
  if (trackerId >= 0 && doc.isBytes(trackerId)) {
    out.trackerIdBytes = doc.bytes(trackerId).slice();
    out.trackerId = trackerText(out.trackerIdBytes);
  }
  const external = doc.get(root, 'external ip');
  if (external >= 0 && doc.isBytes(external)) {
    out.externalIp = parseRawAddress(doc.bytes(external));
    if (out.externalIp === undefined)
      notes.push(`"external ip" is ${formatCount(doc.size(external))} bytes, not 4 or 16 (BEP 24); ignored`);
  }
  if (out.interval === undefined) notes.push('the answer has no "interval" (BEP 3 requires one)');

  let dropped = 0;
  const keep = (peers: Peer[]) => {
    for (const peer of peers) {
      if (out.peers.length < MAX_PEERS_KEPT) out.peers.push(peer);
      else dropped++;
    }
  };
  /** Compact peers, `size` bytes each; a part of a peer at the end is noted and left. */
  const keepCompact = (key: 'peers' | 'peers6', bytes: Uint8Array, size: 6 | 18) => {
    if (bytes.length % size !== 0)
      notes.push(
        `compact "${key}" is ${formatCount(bytes.length)} bytes, not a multiple of ${size}; the last ${bytes.length % size} bytes were ignored`,
      );
    keep(parseCompactPeers(bytes, size));
  };
  const peers = doc.get(root, 'peers');
  if (peers >= 0) {
    // BEP 23 compact: 6 bytes a peer.
    if (doc.isBytes(peers)) keepCompact('peers', doc.bytes(peers), 6);
    else if (doc.isList(peers)) keep(readDictionaryPeers(doc, peers, notes));
    else notes.push(`"peers" is a ${doc.kind(peers)}; ignored`);
  }
  const peers6 = doc.get(root, 'peers6');
  if (peers6 >= 0) {
    // BEP 7 compact: 18 bytes a peer.
    if (doc.isBytes(peers6)) keepCompact('peers6', doc.bytes(peers6), 18);
    else notes.push(`"peers6" is a ${doc.kind(peers6)}, not compact bytes (BEP 7); ignored`);
  }
  if (dropped > 0) notes.push(`${formatCount(dropped)} more peers than the ${formatCount(MAX_PEERS_KEPT)} kept`);
  return out;
}

/** BEP 3 dictionary peers: `{ip, port, peer id}`; peers without a usable address are skipped with a note. */
function readDictionaryPeers(doc: BencodeDocument, list: Token, notes: string[]): Peer[] {
  const peers: Peer[] = [];
  let skipped = 0;
  for (const item of doc.children(list)) {
    if (!doc.isDict(item)) {
      skipped++;
      continue;
    }
    const ipToken = doc.get(item, 'ip');
    const portToken = doc.get(item, 'port');
    if (ipToken < 0 || portToken < 0 || !doc.isInt(portToken) || !doc.isBytes(ipToken)) {
      skipped++;
      continue;
    }
    const port = doc.int(portToken);
    const ipBytes = doc.bytes(ipToken);
    // Some trackers put the 4 or 16 raw bytes here instead of text.
    const text = decodeUtf8Strict(ipBytes);
    const ip = text !== undefined && /^[0-9a-zA-Z.:%-]{1,253}$/.test(text) ? text : parseRawAddress(ipBytes);
    if (typeof port !== 'number' || port < 0 || port > 65535 || ip === undefined) {
      skipped++;
      continue;
    }
    const peer: Peer = { ip, port };
    const idToken = doc.get(item, 'peer id');
    if (idToken >= 0 && doc.isBytes(idToken)) {
      const id = doc.bytes(idToken);
      peer.peerId = toHex(id);
      const client = clientFromPeerId(id);
      if (client) peer.client = client;
    }
    peers.push(peer);
  }
  if (skipped > 0) notes.push(`${skipped} dictionary peers without a valid ip and port were skipped`);
  return peers;
}

export interface ScrapeFields {
  failure?: string;
  retryIn?: number | 'never';
  entries: ScrapeEntry[];
  minRequestInterval?: number;
  notes: string[];
  raw: RawValue;
}

/** The counts for each requested hash in a BEP 48 scrape answer. */
export function readScrapeAnswer(answer: DecodedAnswer, hashes: { hex: string; kind: 'v1' | 'v2' }[]): ScrapeFields {
  const { doc } = answer;
  const root = doc.root;
  const notes = [...answer.notes];
  const out: ScrapeFields = { entries: [], notes, raw: rawValue(doc, root) };
  out.failure = textField(doc, root, 'failure reason');
  out.retryIn = retryInField(doc, root);
  const flags = doc.get(root, 'flags');
  if (flags >= 0 && doc.isDict(flags)) out.minRequestInterval = intField(doc, flags, 'min_request_interval', notes);
  const files = doc.get(root, 'files');
  const byHash = new Map<string, Token>();
  let utf8Keys = 0;
  let hexKeys = 0;
  if (files >= 0 && doc.isDict(files)) {
    for (const [key, value] of doc.entries(files)) {
      const bytes = doc.bytes(key);
      let hex: string | undefined;
      if (bytes.length === 20) hex = toHex(bytes);
      else {
        const asUtf8 = decodeUtf8Strict(bytes);
        if (asUtf8 !== undefined && asUtf8.length === 20 && [...asUtf8].every((c) => c.charCodeAt(0) <= 0xff)) {
          // The hash's bytes were taken as latin-1 characters and written out as UTF-8.
          hex = toHex(Uint8Array.from(asUtf8, (c) => c.charCodeAt(0)));
          utf8Keys++;
        } else if (asUtf8 !== undefined && /^[0-9a-fA-F]{40}$/.test(asUtf8)) {
          hex = asUtf8.toLowerCase();
          hexKeys++;
        }
      }
      if (hex !== undefined && !byHash.has(hex)) byHash.set(hex, value);
    }
  } else if (out.failure === undefined) {
    // Not an answer that says "none of these": it says nothing, and "the tracker does not know this torrent" would mislead.
    throw new TrackerFailure(
      'tracker-error',
      files < 0 ? 'the scrape answer has no "files" dictionary' : `the scrape answer's "files" is a ${doc.kind(files)}, not a dictionary`,
    );
  }
  if (utf8Keys > 0) {
    notes.push(
      `the tracker wrote ${utf8Keys === 1 ? 'an info hash key' : `${utf8Keys} info hash keys`} of its scrape answer as UTF-8 text instead of 20 raw bytes (a known bittorrent-tracker bug); the counts were matched by undoing that encoding`,
    );
  }
  if (hexKeys > 0) notes.push(`the tracker keyed ${hexKeys} scrape entries by hex text instead of 20 raw bytes; matched anyway`);
  for (const hash of hashes) {
    const value = byHash.get(hash.hex);
    if (value === undefined || !doc.isDict(value)) {
      out.entries.push({ hash: hash.hex, hashKind: hash.kind, found: false });
      continue;
    }
    const entry: ScrapeEntry = { hash: hash.hex, hashKind: hash.kind, found: true };
    entry.complete = intField(doc, value, 'complete', notes);
    entry.incomplete = intField(doc, value, 'incomplete', notes);
    entry.downloaded = intField(doc, value, 'downloaded', notes);
    const downloaders = intField(doc, value, 'downloaders', notes);
    if (downloaders !== undefined) entry.downloaders = downloaders;
    const name = doc.get(value, 'name');
    if (name >= 0 && doc.isBytes(name)) entry.name = trackerText(doc.bytes(name));
    out.entries.push(entry);
  }
  return out;
}

const RAW_NODE_BUDGET = 2_000;
const RAW_TEXT_MAX = 300;
const RAW_HEX_MAX = 64;

/** The decoded answer as a bounded JSON-able tree for display: readable strings as text, binary as hex. */
export function rawValue(doc: BencodeDocument, token: Token): RawValue {
  let budget = RAW_NODE_BUDGET;
  const visit = (t: Token): RawValue => {
    if (--budget < 0) return { omitted: 'more values not shown' };
    switch (doc.kind(t)) {
      case 'int': {
        const v = doc.int(t);
        return typeof v === 'bigint' ? v.toString() : v;
      }
      case 'bytes': {
        const bytes = doc.bytes(t);
        const text = decodeUtf8Strict(bytes);
        // eslint-disable-next-line no-control-regex
        if (text !== undefined && text.length <= RAW_TEXT_MAX && !/[\u0000-\u001f\u007f-\u009f]/.test(text)) return text;
        const shown = bytes.subarray(0, RAW_HEX_MAX);
        return bytes.length > RAW_HEX_MAX
          ? { hex: toHex(shown), length: bytes.length, truncated: true }
          : { hex: toHex(shown), length: bytes.length };
      }
      case 'list': {
        const out: RawValue[] = [];
        for (const c of doc.children(t)) {
          if (budget <= 0) {
            out.push({ omitted: `${formatCount(doc.size(t) - out.length)} more items` });
            break;
          }
          out.push(visit(c));
        }
        return out;
      }
      case 'dict': {
        const entries: [string, RawValue][] = [];
        for (const [k, v] of doc.entries(t)) {
          if (budget <= 0) {
            entries.push(['…', { omitted: `${formatCount(doc.size(t) - entries.length)} more entries` }]);
            break;
          }
          const keyBytes = doc.bytes(k);
          const keyText = decodeUtf8Strict(keyBytes);
          // eslint-disable-next-line no-control-regex
          const key = keyText !== undefined && !/[\u0000-\u001f\u007f-\u009f]/.test(keyText) ? keyText : `<${toHex(keyBytes)}>`;
          entries.push([key, visit(v)]);
        }
        return { entries };
      }
    }
  };
  return visit(token);
}
