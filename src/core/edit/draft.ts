// One edit in the making: the splices it needs against one decoded document, what each changes for the user,
// and the notes; `finish` applies them and says whether the info dictionary was touched (and its new hashes).

import { createHash } from 'node:crypto';
import { describeKey, type BencodeDocument, type Token } from '../bencode/decode';
import {
  applySplices,
  insertEntry,
  insertItem,
  invertSplices,
  mapSpan,
  orderSplices,
  removeEntry,
  removeItem,
  replaceValue,
  type Splice,
} from '../bencode/splice';
import type { InfoHashes } from '../metainfo/types';
import { displayText } from '../text/bytes';
import { EditError, type EditChange, type EditResult } from './types';

/** At most this many characters of a value are shown in a change. */
const MAX_SHOWN = 300;

/** A key's entry in a dictionary: the key token and its value. */
export interface Entry {
  key: Token;
  value: Token;
}

export class Draft {
  readonly root: Token;
  readonly info: Token;
  /** Each splice with what it changes for the user. */
  private readonly made: { splice: Splice; change: EditChange }[] = [];
  readonly notes: string[] = [];

  constructor(readonly doc: BencodeDocument) {
    if (!doc.isDict(doc.root)) throw new EditError('not-a-torrent', 'the file is not a torrent: its root is not a dictionary');
    this.root = doc.root;
    this.info = doc.get(doc.root, 'info');
    if (this.info < 0 || !doc.isDict(this.info)) {
      throw new EditError('not-a-torrent', "the file is not a torrent: it has no 'info' dictionary");
    }
  }

  /** Every entry of `key` (a binary string) in a dictionary, in file order. */
  entries(dict: Token, key: string): Entry[] {
    const out: Entry[] = [];
    for (const [k, v] of this.doc.entries(dict)) if (this.doc.keyEquals(k, key)) out.push({ key: k, value: v });
    return out;
  }

  /**
   * The entry of `key` that an edit of its value changes: the first, as libtorrent reads the first of repeated keys
   * (and so does Torrent Lens); a note says so when the key is repeated.
   */
  target(dict: Token, key: string): Entry | undefined {
    const all = this.entries(dict, key);
    if (all.length > 1) this.noteRepeated(dict, key, all.length);
    return all[0];
  }

  /** Says that a key is repeated and that its first entry is the one edited (once per key). */
  noteRepeated(dict: Token, key: string, count = this.entries(dict, key).length): void {
    if (count < 2) return;
    const where = dict === this.info ? 'the info dictionary' : 'the torrent';
    const note = `${where} has ${count} ${describeKey(key)} keys: the first is edited, as libtorrent reads the first`;
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  /**
   * The value as text for the user: a string's text, an integer's digits, a list's items. At most about `budget`
   * characters, ending in `…` when cut: a removed key may hold megabytes.
   */
  text(value: Token, budget = MAX_SHOWN): string {
    const doc = this.doc;
    if (doc.isBytes(value)) {
      const start = doc.contentStart(value);
      let end = doc.end(value);
      if (end - start <= budget) return displayText(doc.data.subarray(start, end)).text;
      // Cut at a character boundary: never inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
      end = start + budget;
      while (end > start && (doc.data[end] & 0xc0) === 0x80) end--;
      return `${displayText(doc.data.subarray(start, end)).text}…`;
    }
    if (doc.isInt(value)) return String(doc.int(value));
    if (doc.isDict(value)) return `a dictionary of ${doc.size(value)} keys`;
    const parts: string[] = [];
    let length = 0;
    for (let item = value + 1; item < doc.next(value); item = doc.next(item)) {
      if (length >= budget) {
        parts.push('…');
        break;
      }
      const part = this.text(item, budget - length);
      parts.push(part);
      length += part.length + 1;
    }
    return parts.join(' ');
  }

  replace(value: Token, encoded: Uint8Array, change: EditChange): void {
    this.made.push({ splice: replaceValue(this.doc, value, encoded), change });
  }

  insert(dict: Token, key: string, encodedValue: Uint8Array, change: EditChange): void {
    this.made.push({ splice: insertEntry(this.doc, dict, key, encodedValue), change });
  }

  remove(entry: Entry, change: EditChange): void {
    this.made.push({ splice: removeEntry(this.doc, entry.key), change });
  }

  insertItem(list: Token, index: number, encoded: Uint8Array, change: EditChange): void {
    this.made.push({ splice: insertItem(this.doc, list, index, encoded), change });
  }

  removeItem(item: Token, change: EditChange): void {
    this.made.push({ splice: removeItem(this.doc, item), change });
  }

  finish(): EditResult {
    const doc = this.doc;
    const data = doc.data;
    // In file order, as the splices apply; changes made at one offset keep the order they were made in.
    const made = [...this.made].sort((a, b) => a.splice.start - b.splice.start || a.splice.end - b.splice.end);
    const splices = orderSplices(
      made.map((m) => m.splice),
      data.length,
    );
    if (splices.length === 0) {
      return { bytes: data, splices, inverse: [], changes: [], notes: this.notes, infoHashChanged: false };
    }
    const bytes = applySplices(data, splices);
    const infoStart = doc.start(this.info);
    const infoEnd = doc.end(this.info);
    const infoHashChanged = splices.some((s) => s.start < infoEnd && s.end > infoStart);
    const result: EditResult = {
      bytes,
      splices,
      inverse: invertSplices(data, splices),
      changes: made.map((m) => m.change),
      notes: this.notes,
      infoHashChanged,
    };
    if (infoHashChanged) {
      const span = mapSpan(infoStart, infoEnd, splices);
      result.newInfoHash = this.infoHashes(bytes.subarray(span.start, span.end));
    }
    return result;
  }

  /** The info hashes of new info bytes, for the torrent's version (read as parse.ts reads it). */
  private infoHashes(info: Uint8Array): InfoHashes {
    const doc = this.doc;
    const metaVersion = doc.get(this.info, 'meta version');
    const v2 = metaVersion >= 0 && doc.isInt(metaVersion) && doc.int(metaVersion) === 2;
    const v1 = !v2 || ['pieces', 'files', 'length'].some((key) => doc.get(this.info, key) >= 0);
    const hashes: InfoHashes = {};
    if (v1) hashes.v1 = createHash('sha1').update(info).digest('hex');
    if (v2) {
      hashes.v2 = createHash('sha256').update(info).digest('hex');
      hashes.v2Truncated = hashes.v2.slice(0, 40);
    }
    return hashes;
  }
}
