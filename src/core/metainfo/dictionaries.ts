// The root and info dictionaries as dictionaries: which keys they hold (known, unknown, repeated), the
// info dictionary itself, the required keys, and the decoder's warnings about their encoding. Kept
// apart from the fields' meanings because a repeated or unsorted key changes the info hash other
// tools compute, whatever the key means.

import { describeKey, type Token } from '../bencode/decode';
import { displayText } from '../text/bytes';
import { quoteBytes } from './paths';
import type { ReadContext } from './read-context';
import type { UnknownKey } from './types';
import { formatCount } from '../../shared/format';

const ROOT_KEYS = new Set([
  'announce',
  'announce-list',
  'comment',
  'comment.utf-8',
  'created by',
  'created by.utf-8',
  'creation date',
  'encoding',
  'info',
  'nodes',
  'url-list',
  'httpseeds',
  'piece layers',
]);
export const INFO_KEYS = new Set([
  'name',
  'name.utf-8',
  'piece length',
  'pieces',
  'length',
  'files',
  'private',
  'source',
  'meta version',
  'file tree',
  'attr',
  'symlink path',
]);

/** The keys of a small dictionary: the first value of each, and every value of each (repeats included). */
export interface DictKeys {
  first: Map<string, Token>;
  all: Map<string, Token[]>;
}

/** The keys of a small dictionary (root or info); keys the model does not know go to `unknownKeys`. */
export function scanDict(ctx: ReadContext, dict: Token, known: Set<string>, parent: 'root' | 'info', unknownKeys: UnknownKey[]): DictKeys {
  const doc = ctx.doc;
  const first = new Map<string, Token>();
  const all = new Map<string, Token[]>();
  const stop = doc.next(dict);
  for (let k = dict + 1; k < stop;) {
    const v = doc.next(k);
    if (v >= stop) break;
    const name = doc.binary(k);
    const seen = all.get(name);
    if (seen) {
      seen.push(v);
    } else {
      all.set(name, [v]);
      first.set(name, v);
      if (!known.has(name)) unknownKeys.push({ parent, key: displayText(doc.bytes(k)), token: v });
    }
    k = doc.next(v);
  }
  return { first, all };
}

/** The root dictionary's keys, after checking that the document is a dictionary at all. */
export function scanRoot(ctx: ReadContext, unknownKeys: UnknownKey[]): DictKeys {
  const doc = ctx.doc;
  if (!doc.isDict(doc.root)) {
    ctx.fail(
      'root-not-dict',
      `the file holds a bencoded ${ctx.kindName(doc.root)}, not a dictionary: a torrent is a dictionary with an 'info' key`,
      0,
    );
  }
  return scanDict(ctx, doc.root, ROOT_KEYS, 'root', unknownKeys);
}

/** The one info dictionary: missing, repeated or not a dictionary is fatal. */
export function findInfo(ctx: ReadContext, root: DictKeys): Token {
  const doc = ctx.doc;
  const infoTokens = root.all.get('info');
  if (infoTokens === undefined)
    ctx.fail('missing-info', "the torrent has no 'info' dictionary (it describes no files)", doc.start(doc.root));
  if (infoTokens.length > 1) {
    const second = infoTokens[1];
    ctx.fail(
      'duplicate-info',
      `the root dictionary has ${infoTokens.length} 'info' keys: which one is the torrent (and its info hash) is ambiguous — libtorrent and Transmission use the first, parse-torrent the last`,
      doc.start(second - 1),
    );
  }
  const info = infoTokens[0];
  if (!doc.isDict(info)) ctx.fail('info-not-dict', `'info' is ${ctx.aKind(info)}, not a dictionary`, doc.start(info));
  return info;
}

/** When several required keys are missing, one message lists them all (a single one gets its own message later). */
export function checkRequiredKeys(ctx: ReadContext, info: Token, key: (name: string) => Token): void {
  const missing: string[] = [];
  if (key('name') < 0 && key('name.utf-8') < 0) missing.push("'name'");
  if (key('piece length') < 0) missing.push("'piece length'");
  const v2 = key('meta version') >= 0 || key('file tree') >= 0;
  if (!v2) {
    if (key('pieces') < 0) missing.push("'pieces'");
    if (key('length') < 0 && key('files') < 0) missing.push("'length' or 'files'");
  }
  if (missing.length < 2) return;
  const list = `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  ctx.fail('info-incomplete', `the info dictionary${ctx.doc.size(info) === 0 ? ' is empty: it' : ''} lacks ${list}`, ctx.doc.start(info));
}

/** Explains duplicate keys of the info dictionary; returns the offsets of the repeated keys it explained. */
export function reportInfoDuplicates(ctx: ReadContext, all: Map<string, Token[]>): Set<number> {
  const doc = ctx.doc;
  const explained = new Set<number>();
  const refusedByLibtorrent = libtorrentWantsCanonical(ctx, all.get('meta version')?.[0] ?? -1);
  for (const [name, values] of all) {
    if (values.length < 2) continue;
    for (const value of values.slice(1)) explained.add(doc.start(value - 1));
    const shown = (t: Token) => (doc.isBytes(t) ? quoteBytes(ctx.data, doc.contentStart(t), doc.end(t)) : `${ctx.aKind(t)}`);
    const first = shown(values[0]);
    const last = shown(values[values.length - 1]);
    ctx.warn(
      'duplicate-key',
      refusedByLibtorrent
        ? `the info dictionary has ${values.length} ${describeKey(name)} keys: this tool and Transmission use the first (${first}), tools that decode into a map (parse-torrent) the last (${last}), and libtorrent refuses the torrent since it has a 'meta version'; the info hash covers all of them`
        : `the info dictionary has ${values.length} ${describeKey(name)} keys: this tool, libtorrent and Transmission use the first (${first}), tools that decode into a map (parse-torrent) the last (${last}); the info hash covers all of them`,
      values[1] - 1,
      `info.${name}`,
    );
  }
  return explained;
}

/** The decoder's warnings, saying whether each touches the info hash; duplicates `explained` already are skipped. */
export function reportBencodeWarnings(ctx: ReadContext, infoSpan: { start: number; end: number }, explained: Set<number>): void {
  const doc = ctx.doc;
  for (const w of doc.warnings) {
    if (w.code === 'duplicate-key' && explained.has(w.offset)) continue;
    const inInfo = w.offset > infoSpan.start && w.offset < infoSpan.end;
    let message = w.message;
    if (w.code === 'unsorted-key' || w.code === 'duplicate-key') {
      message += inInfo
        ? ' (inside the info dictionary: tools that re-encode it compute another info hash)'
        : ' (outside the info dictionary: the info hash is unaffected)';
    }
    if (ctx.log.want(w.code)) ctx.log.push('warning', w.code, message, w.offset, inInfo ? 'info' : undefined);
  }
  if (doc.warningsOmitted > 0) {
    ctx.warn(
      'bencode-warnings-omitted',
      `${formatCount(doc.warningsOmitted)} more bencode warnings (unsorted or duplicate keys) were not listed`,
      undefined,
      undefined,
    );
  }
}

/**
 * Whether libtorrent refuses an info dictionary that is not canonical (unsorted or repeated keys): it does
 * when a 'meta version' above 0 is given, whatever the torrent's files.
 */
export function libtorrentWantsCanonical(ctx: ReadContext, metaVersionToken: Token): boolean {
  const doc = ctx.doc;
  return metaVersionToken >= 0 && doc.isInt(metaVersionToken) && doc.int(metaVersionToken) > 0;
}
