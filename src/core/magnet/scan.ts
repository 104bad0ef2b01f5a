// Magnet links and info hashes in free text (Markdown, notes, logs): where they are and what they say, for the
// editor's hover and document links. Text is hostile and may be huge, so every scan is linear and bounded: the
// patterns cannot backtrack, a match is at most MAX_MENTION_CHARS long, and a scan stops at a limit of matches.

import { toHex } from '../text/bytes';
import { fromBase32, parseMagnet, type MagnetParseResult } from './parse';

/** Longer than any magnet link a person would put in a text (the parser accepts up to 1 MiB when pasted). */
export const MAX_MENTION_CHARS = 64 * 1024;

/** A magnet link, or an info hash on its own (bare hex, or a `urn:btih:` / `urn:btmh:` URN outside a link). */
export type Mention =
  | { kind: 'magnet'; start: number; end: number; text: string; parsed: MagnetParseResult }
  | {
      kind: 'hash';
      start: number;
      end: number;
      text: string;
      /** v1 (40 hex digits) or v2 (64 hex digits), lower case. */
      infoHash: { v1?: string; v2?: string };
      /** How it was written: 40 or 64 hex digits alone, or a URN (which also allows base32 for v1). */
      form: 'hex' | 'urn';
    };

// A link runs to white space, a quote, an angle bracket or a backtick (how text and Markdown delimit it); the
// bounded repetition keeps a scan of a huge token linear.
const MAGNET = `magnet:\\?[^\\s"'<>\`]{1,${MAX_MENTION_CHARS}}`;
const URN = 'urn:bt(?:ih:(?:[0-9a-fA-F]{40}|[A-Za-z2-7]{32})|mh:1220[0-9a-fA-F]{64})';
// Bare hashes: exactly 40 or 64 hex digits, not part of a longer word.
const BARE = '(?<![0-9A-Za-z_])(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40})(?![0-9A-Za-z_])';
const MENTIONS = new RegExp(`(${MAGNET})|(?<![0-9A-Za-z_:])(${URN})(?![0-9A-Za-z_])|(${BARE})`, 'gi');

/** Punctuation that ends a sentence or closes a bracket around a link rather than belonging to it. */
const TRAILING = /[.,;:!?'")\]}*_]+$/;

/**
 * The magnet links and info hashes in `text`, in order, at most `limit` of them. A link's end drops trailing
 * punctuation (a full stop, a closing bracket of Markdown's `[name](magnet:…)` with no opening one in the link).
 */
export function findMentions(text: string, limit = 10_000): Mention[] {
  const out: Mention[] = [];
  MENTIONS.lastIndex = 0;
  for (let match = MENTIONS.exec(text); match !== null && out.length < limit; match = MENTIONS.exec(text)) {
    const start = match.index;
    if (match[1] !== undefined) {
      const link = trimLink(match[1]);
      out.push({ kind: 'magnet', start, end: start + link.length, text: link, parsed: parseMagnet(link) });
      // Text cut off by the trimming is looked at again (it may hold a hash).
      MENTIONS.lastIndex = start + link.length;
    } else {
      const written = match[2] ?? match[3];
      const infoHash = hashOf(written);
      if (infoHash) out.push({ kind: 'hash', start, end: start + written.length, text: written, infoHash, form: match[2] ? 'urn' : 'hex' });
    }
  }
  return out;
}

/**
 * The mention at `offset` in `line` (for a hover), or undefined. Only the stretch of a very long line around the
 * offset is scanned.
 */
export function mentionAt(line: string, offset: number): { mention: Mention; lineStart: number } | undefined {
  const from = Math.max(0, offset - MAX_MENTION_CHARS);
  const window = line.slice(from, Math.min(line.length, offset + MAX_MENTION_CHARS));
  for (const mention of findMentions(window)) {
    if (mention.start + from > offset) break;
    if (offset < mention.end + from)
      return { mention: { ...mention, start: mention.start + from, end: mention.end + from }, lineStart: from };
  }
  return undefined;
}

function trimLink(link: string): string {
  let out = link;
  for (;;) {
    const trailing = TRAILING.exec(out);
    if (!trailing) return out;
    // A closing bracket stays when the link opened one (a name with brackets in it).
    let cut = trailing[0].length;
    const body = out.slice(0, out.length - cut);
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
    ]) {
      const at = trailing[0].indexOf(close);
      if (at >= 0 && count(body, open) > count(body, close)) cut = Math.min(cut, trailing[0].length - at - 1);
    }
    if (cut === 0) return out;
    out = out.slice(0, out.length - cut);
  }
}

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) n++;
  return n;
}

function hashOf(written: string): { v1?: string; v2?: string } | undefined {
  const text = written.toLowerCase();
  if (text.startsWith('urn:btmh:1220')) return { v2: text.slice('urn:btmh:1220'.length) };
  const digits = text.startsWith('urn:btih:') ? written.slice('urn:btih:'.length) : written;
  if (/^[0-9a-f]{40}$/i.test(digits)) return { v1: digits.toLowerCase() };
  if (/^[0-9a-f]{64}$/i.test(digits)) return { v2: digits.toLowerCase() };
  if (/^[a-z2-7]{32}$/i.test(digits)) return { v1: toHex(fromBase32(digits)) };
  return undefined;
}

/** The magnet link that names just this info hash (no trackers, no peers). */
export function magnetForHash(infoHash: { v1?: string; v2?: string }): string {
  const params: string[] = [];
  if (infoHash.v1) params.push(`xt=urn:btih:${infoHash.v1}`);
  if (infoHash.v2) params.push(`xt=urn:btmh:1220${infoHash.v2}`);
  return `magnet:?${params.join('&')}`;
}
