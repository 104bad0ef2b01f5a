// The fields outside the info dictionary (trackers, web seeds, DHT nodes, comment, creator, creation
// date, encoding) and the text fields in general (the info dictionary's `source` too). They are not
// covered by the info hash and clients skip what they cannot use, so a defect here is never fatal:
// it is skipped with a diagnostic that says what libtorrent or Transmission do.

import type { Token } from '../bencode/decode';
import { displayText } from '../text/bytes';
import { visibleText } from '../text/display';
import { ElementScan, P_CONTROL, scanPathElement } from './paths';
import type { ReadContext } from './read-context';
import type { DhtNode, TorrentText } from './types';

const BEP3_EPOCH = 994_000_000; // July 2001: nothing made a .torrent before BitTorrent existed.

const TRACKER_SCHEME = /^(https?|udp|wss?):\/\/[^\s]/i;

/** Trackers by tier (BEP 12): `announce-list` when it is a list, else `announce` as the one tier. */
export function readTrackers(ctx: ReadContext, announceToken: Token, listToken: Token): string[][] {
  const doc = ctx.doc;
  const tiers: string[][] = [];
  const seen = new Map<string, number>();
  if (listToken >= 0) {
    if (!doc.isList(listToken)) {
      ctx.warn(
        'announce-list-invalid',
        `'announce-list' is ${ctx.aKind(listToken)}, not a list of tiers; ignored, so 'announce' is used (as libtorrent and Transmission do)`,
        listToken,
        'announce-list',
      );
    } else {
      let t = 0;
      const stop = doc.next(listToken);
      for (let tier = listToken + 1; tier < stop; tier = doc.next(tier), t++) {
        if (!doc.isList(tier)) {
          ctx.warn(
            'announce-list-invalid',
            `announce-list tier ${t + 1} is ${ctx.aKind(tier)}, not a list of URLs; skipped (as libtorrent does)`,
            tier,
            `announce-list[${t}]`,
          );
          continue;
        }
        const urls: string[] = [];
        let u = 0;
        const tierStop = doc.next(tier);
        for (let item = tier + 1; item < tierStop; item = doc.next(item), u++) {
          const url = trackerUrl(ctx, item, `announce-list[${t}][${u}]`);
          if (url === undefined) continue;
          const firstTier = seen.get(url);
          if (firstTier !== undefined) {
            ctx.note(
              'tracker-duplicate',
              `tracker ${quoteText(url)} is listed again in tier ${t + 1} (first in tier ${firstTier + 1})`,
              item,
              `announce-list[${t}][${u}]`,
            );
          } else {
            seen.set(url, t);
          }
          urls.push(url);
        }
        if (urls.length > 0) tiers.push(urls);
        else if (doc.size(tier) === 0)
          ctx.note('announce-list-empty-tier', `announce-list tier ${t + 1} is empty; skipped`, tier, `announce-list[${t}]`);
      }
    }
  }
  if (announceToken >= 0) {
    if (!doc.isBytes(announceToken)) {
      ctx.warn(
        'announce-invalid',
        `'announce' is ${ctx.aKind(announceToken)}, not a URL; ignored${tiers.length === 0 ? ' (the torrent has no trackers)' : ''}`,
        announceToken,
        'announce',
      );
    } else if (tiers.length === 0) {
      const url = trackerUrl(ctx, announceToken, 'announce');
      if (url !== undefined) tiers.push([url]);
    } else {
      const url = displayText(doc.bytes(announceToken)).text;
      if (url.trim() !== '' && !seen.has(url)) {
        ctx.note(
          'announce-ignored',
          `'announce' (${quoteText(url)}) is not in 'announce-list'; clients use only 'announce-list' when it is present (BEP 12), so it is ignored`,
          announceToken,
          'announce',
        );
      }
    }
  }
  return tiers;
}

/** A tracker URL as given, or undefined (with a diagnostic) when clients would skip it. */
function trackerUrl(ctx: ReadContext, token: Token, location: string): string | undefined {
  const doc = ctx.doc;
  if (!doc.isBytes(token)) {
    ctx.warn('tracker-not-string', `${location} is ${ctx.aKind(token)}, not a URL; skipped (as libtorrent does)`, token, location);
    return undefined;
  }
  const text = displayText(doc.bytes(token));
  const url = text.text;
  const trimmed = url.trim();
  if (trimmed === '') {
    ctx.warn('tracker-empty', `${location} is an empty tracker URL; skipped (as libtorrent does)`, token, location);
    return undefined;
  }
  if (trimmed !== url) {
    ctx.warn(
      'tracker-whitespace',
      `tracker ${quoteText(url)} has leading or trailing whitespace; libtorrent strips the leading whitespace, Transmission ignores the tracker`,
      token,
      location,
    );
  }
  if (!TRACKER_SCHEME.test(trimmed)) {
    ctx.warn(
      'tracker-url-invalid',
      `tracker ${quoteText(url)} is not an http(s), udp or ws(s) URL; clients cannot announce to it (Transmission ignores it)`,
      token,
      location,
    );
  }
  if (!text.utf8) ctx.warn('not-utf8', `tracker ${quoteText(url)} is not valid UTF-8; shown as latin-1`, token, location);
  return url;
}

/** Web seeds: BEP 19 `url-list` or BEP 17 `httpseeds`, a URL or a list of URLs. */
export function readUrlList(
  ctx: ReadContext,
  token: Token,
  key: 'url-list' | 'httpseeds',
  invalidCode: 'web-seed-invalid' | 'http-seed-invalid',
): string[] {
  const doc = ctx.doc;
  if (token < 0) return [];
  const out: string[] = [];
  const add = (item: Token, location: string) => {
    if (!doc.isBytes(item)) {
      ctx.warn(invalidCode, `${location} is ${ctx.aKind(item)}, not a URL; ignored (as libtorrent does)`, item, location);
      return;
    }
    if (doc.size(item) === 0) return;
    const url = displayText(doc.bytes(item)).text;
    if (out.includes(url)) {
      ctx.note('web-seed-duplicate', `${key} lists ${quoteText(url)} more than once; libtorrent uses it once`, item, location);
      return;
    }
    if (!/^(https?|ftp):\/\//i.test(url.trim()))
      ctx.warn('web-seed-url-invalid', `web seed ${quoteText(url)} is not an http(s) URL; clients cannot download from it`, item, location);
    out.push(url);
  };
  if (doc.isBytes(token)) {
    add(token, key);
  } else if (doc.isList(token)) {
    let i = 0;
    const stop = doc.next(token);
    for (let item = token + 1; item < stop; item = doc.next(item), i++) add(item, `${key}[${i}]`);
  } else {
    ctx.warn(invalidCode, `'${key}' is ${ctx.aKind(token)}, not a URL or a list of URLs; ignored`, token, key);
  }
  return out;
}

/** BEP 5 `nodes`: [host, port] pairs; malformed ones are skipped. */
export function readNodes(ctx: ReadContext, token: Token): DhtNode[] {
  const doc = ctx.doc;
  if (token < 0) return [];
  if (!doc.isList(token)) {
    ctx.warn('nodes-invalid', `'nodes' is ${ctx.aKind(token)}, not a list of [host, port] pairs; ignored`, token, 'nodes');
    return [];
  }
  const nodes: DhtNode[] = [];
  let i = 0;
  const stop = doc.next(token);
  for (let node = token + 1; node < stop; node = doc.next(node), i++) {
    let host: Token = -1;
    let port: Token = -1;
    if (doc.isList(node) && doc.size(node) >= 2) {
      host = node + 1;
      port = doc.next(host);
    }
    const pair = host >= 0 && doc.isBytes(host) && doc.isInt(port);
    if (!pair) {
      if (ctx.log.want('node-invalid')) {
        const what = doc.isList(node) ? 'a list that is not [host string, port integer]' : ctx.aKind(node);
        ctx.log.push(
          'warning',
          'node-invalid',
          `DHT node ${i + 1} is ${what}, not a [host, port] pair; skipped (as libtorrent does)`,
          doc.start(node),
          `nodes[${i}]`,
        );
      }
      continue;
    }
    // libtorrent keeps such a node as it is; no DHT node can be reached there.
    const portValue = doc.int(port);
    if (doc.size(host) === 0 || typeof portValue === 'bigint' || portValue < 0 || portValue > 65535) {
      if (ctx.log.want('node-invalid')) {
        const what = doc.size(host) === 0 ? 'an empty host' : `port ${portValue}`;
        ctx.log.push(
          'warning',
          'node-invalid',
          `DHT node ${i + 1} has ${what}, which no node can have; skipped (libtorrent keeps it as given)`,
          doc.start(node),
          `nodes[${i}]`,
        );
      }
      continue;
    }
    nodes.push({ host: displayText(doc.bytes(host)).text, port: portValue });
  }
  return nodes;
}

/** A text field, preferring its `.utf-8` twin when that is a string. */
export function readText(ctx: ReadContext, token: Token, utf8Token: Token, location: string, what: string): TorrentText | undefined {
  const doc = ctx.doc;
  let chosen = -1;
  if (utf8Token >= 0 && doc.isBytes(utf8Token)) chosen = utf8Token;
  else if (token >= 0 && doc.isBytes(token)) chosen = token;
  if (token >= 0 && !doc.isBytes(token)) ctx.warn('text-invalid', `${what} is ${ctx.aKind(token)}, not a string; ignored`, token, location);
  if (chosen < 0) return undefined;
  const text = displayText(doc.bytes(chosen));
  if (!text.utf8) ctx.warn('not-utf8', `${what} is not valid UTF-8; shown as latin-1`, chosen, location);
  const flags = scanPathElement(ctx.data, doc.contentStart(chosen), doc.end(chosen), new ElementScan()).flags;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (flags & P_CONTROL || /[\0\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text.text)) {
    ctx.note('control-characters', `${what} contains control characters (shown escaped)`, chosen, location);
  }
  return text;
}

/** `creation date` in seconds since the epoch, as given; milliseconds and implausible dates are noted. */
export function readCreationDate(ctx: ReadContext, token: Token): number | undefined {
  const doc = ctx.doc;
  if (token < 0) return undefined;
  if (!doc.isInt(token)) {
    ctx.warn(
      'creation-date-invalid',
      `'creation date' is ${ctx.aKind(token)}, not an integer (seconds since 1970); ignored`,
      token,
      'creation date',
    );
    return undefined;
  }
  const value = doc.int(token);
  if (typeof value === 'bigint') {
    ctx.warn('creation-date-invalid', `'creation date' ${value} is out of any plausible range; ignored`, token, 'creation date');
    return undefined;
  }
  const now = Date.now() / 1000;
  if (value < 0) {
    ctx.warn('creation-date-invalid', `'creation date' ${value} is negative; libtorrent ignores it`, token, 'creation date');
  } else if (value > now + 366 * 86400 && value / 1000 >= BEP3_EPOCH && value / 1000 <= now + 366 * 86400) {
    ctx.note(
      'creation-date-milliseconds',
      `'creation date' ${value} looks like milliseconds (${isoDate(value / 1000)}); clients read it as seconds (${isoDate(value)})`,
      token,
      'creation date',
    );
  } else if (value < BEP3_EPOCH || value > now + 366 * 86400) {
    ctx.note(
      'creation-date-implausible',
      `'creation date' ${value} (${isoDate(value)}) is implausible for a torrent`,
      token,
      'creation date',
    );
  }
  return value;
}

/** `encoding`: anything but UTF-8 is noted, since strings are shown as UTF-8 (latin-1 when invalid) regardless. */
export function readEncoding(ctx: ReadContext, token: Token): TorrentText | undefined {
  const doc = ctx.doc;
  if (token < 0) return undefined;
  if (!doc.isBytes(token)) {
    ctx.warn('text-invalid', `'encoding' is ${ctx.aKind(token)}, not a string; ignored`, token, 'encoding');
    return undefined;
  }
  const text = displayText(doc.bytes(token));
  if (!/^utf-?8$/i.test(text.text.trim())) {
    ctx.note(
      'encoding',
      `'encoding' says ${quoteText(text.text)}: strings that are not valid UTF-8 are shown as latin-1 and marked`,
      token,
      'encoding',
    );
  }
  return text;
}

function quoteText(text: string): string {
  return `'${visibleText(text.length > 100 ? `${text.slice(0, 100)}…` : text)}'`;
}

function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z');
}
