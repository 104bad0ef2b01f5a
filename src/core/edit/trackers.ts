// Tracker edits (BEP 3 `announce`, BEP 12 `announce-list`): every one works on a plan of the tiers as the file
// holds them (each item keeps its token), marks what goes, what changes and what comes, and `render` turns the
// plan into splices: one per item or tier that changes, nothing else re-encoded.
//
// What the reference tools do, and Torrent Lens does too:
// - A torrent with no tracker that gets one gains `announce` only; one with only `announce` that gets a second
//   tracker gains an `announce-list` whose first tier is the `announce` URL (transmission-edit's addURL).
// - A tracker added without a tier gets a tier of its own at the end (transmission-edit).
// - Removing a URL removes it everywhere; a tier left empty goes, and `announce-list` goes when no tracker is
//   left in it (transmission-edit's removeURL).
// - `announce` names the first tracker, for clients that read only `announce` (libtorrent and Transmission
//   read `announce-list` when it has a tracker): when it named the first tracker, or a tracker that is removed,
//   it follows the new first tracker, in a splice of its own. An `announce` that names something else is kept.
// - `--replace-tracker` (replace-in-trackers) replaces the first occurrence of the text in `announce` and in every
//   URL of `announce-list` (transmission-edit -r).

import { encode, type BencodeDocument, type Token } from '../bencode/decode';
import { displayText } from '../text/bytes';
import type { Draft, Entry } from './draft';
import { EditError, type TorrentEdit, type TrackerPosition } from './types';
import { trackerUrlProblem } from './validate';

/** The trackers as edits address them (see `TrackerPosition`). */
export interface TrackerPlaces {
  /** Where clients read the trackers from: `announce-list` when it holds a tracker, else `announce`. */
  source: 'announce-list' | 'announce' | 'none';
  /**
   * The tiers by position: `announce-list`'s tiers as the file holds them (null where a tier is not a list, a URL
   * null where an item is not a string), or `[[announce]]` when `announce` is the source.
   */
  tiers: ((string | null)[] | null)[];
  /** The `announce` URL, when it is a string. */
  announce: string | null;
}

/** Where the trackers of a decoded torrent are, as `TorrentEdit`s count them. */
export function trackerPlaces(doc: BencodeDocument): TrackerPlaces {
  const read = readTrackers(doc);
  return {
    source: read.source,
    tiers: read.tiers.map((tier) => tier.items?.map((item) => item.url ?? null) ?? null),
    announce: read.announceUrl ?? null,
  };
}

export type TrackerEdit = Extract<
  TorrentEdit,
  {
    kind:
      'add-tracker' | 'add-tier' | 'remove-tracker' | 'remove-tier' | 'set-tracker' | 'replace-in-trackers' | 'move-tracker' | 'move-tier';
  }
>;

interface Item {
  /** The item in the document, or -1 for one the edit adds. */
  token: Token;
  /** Its text; undefined where the file holds something else than a string. */
  url: string | undefined;
  /** The bytes to write: of an added item, or of an existing one whose URL changes. */
  write?: Uint8Array;
  /** The URL before the edit, for an existing item whose URL changes. */
  was?: string;
  removed: boolean;
  /** Why the item comes (a move says from where). */
  reason?: string;
}

interface Tier {
  /** The tier in the document, or -1 for one the edit adds (or the tier made of `announce`). */
  token: Token;
  /** Undefined where the tier is not a list. */
  items: Item[] | undefined;
  removed: boolean;
}

interface ReadTrackers {
  source: TrackerPlaces['source'];
  announce: Entry | undefined;
  announceUrl: string | undefined;
  list: Entry | undefined;
  /** Tiers of a usable `announce-list`, or the one tier made of `announce`. */
  tiers: Tier[];
}

const isUsable = (url: string | undefined): url is string => url !== undefined && url.trim() !== '';

/** The first entry of a key of the root dictionary (keys are single tokens, so the key is the token before its value). */
function firstEntry(doc: BencodeDocument, key: string): Entry | undefined {
  const value = doc.get(doc.root, key);
  return value < 0 ? undefined : { key: value - 1, value };
}

function readTrackers(doc: BencodeDocument): ReadTrackers {
  const announce = firstEntry(doc, 'announce');
  const list = firstEntry(doc, 'announce-list');
  const announceUrl = announce && doc.isBytes(announce.value) ? displayText(doc.bytes(announce.value)).text : undefined;
  const tiers: Tier[] = [];
  if (list && doc.isList(list.value)) {
    for (const tier of doc.children(list.value)) {
      const items = doc.isList(tier)
        ? doc.children(tier).map((item) => ({
            token: item,
            url: doc.isBytes(item) ? displayText(doc.bytes(item)).text : undefined,
            removed: false,
          }))
        : undefined;
      tiers.push({ token: tier, items, removed: false });
    }
  }
  // As readTrackers in metainfo/root-fields.ts: `announce-list` when a tier of it holds a URL, else `announce`.
  if (tiers.some((tier) => tier.items?.some((item) => isUsable(item.url))))
    return { source: 'announce-list', announce, announceUrl, list, tiers };
  if (isUsable(announceUrl)) {
    const item: Item = { token: announce!.value, url: announceUrl, removed: false };
    return { source: 'announce', announce, announceUrl, list, tiers: [{ token: -1, items: [item], removed: false }] };
  }
  return { source: 'none', announce, announceUrl, list, tiers: [] };
}

const FOLLOWS_FIRST = "'announce' names the first tracker, for clients that read only 'announce'";

/** Makes a tracker edit's splices in the draft. */
export function editTrackers(draft: Draft, edit: TrackerEdit): void {
  const plan = new TrackerPlan(draft);
  switch (edit.kind) {
    case 'add-tracker':
      plan.add(edit.url, edit.tier, edit.index);
      break;
    case 'add-tier':
      plan.addTier(edit.urls, edit.at);
      break;
    case 'remove-tracker':
      plan.removeUrl(edit.url);
      break;
    case 'remove-tier':
      plan.removeTier(edit.tier);
      break;
    case 'set-tracker':
      plan.set(edit.at, edit.url);
      break;
    case 'replace-in-trackers':
      plan.replaceText(edit.find, edit.replace);
      break;
    case 'move-tracker':
      plan.move(edit.from, edit.to, edit.newTier === true);
      break;
    case 'move-tier':
      plan.moveTier(edit.from, edit.to);
      break;
  }
  plan.render();
}

class TrackerPlan {
  private readonly doc: BencodeDocument;
  private readonly read: ReadTrackers;
  private readonly tiers: Tier[];
  private readonly firstBefore: string | undefined;
  private readonly listedBefore: Set<string>;
  /** URLs listed more than once before the edit: an edit that keeps them so has not made them duplicates. */
  private readonly duplicatesBefore = new Set<string>();
  /** What `announce` becomes whatever the rule says: a URL, or the first tracker after the edit. */
  private announceTarget: { url: string } | 'first' | undefined;

  constructor(private readonly draft: Draft) {
    this.doc = draft.doc;
    this.read = readTrackers(this.doc);
    this.tiers = this.read.tiers;
    const listed = this.usableUrls();
    this.firstBefore = listed[0];
    this.listedBefore = new Set();
    for (const url of listed) (this.listedBefore.has(url) ? this.duplicatesBefore : this.listedBefore).add(url);
  }

  /** The usable URLs of the plan as it stands, in order. */
  private usableUrls(): string[] {
    const out: string[] = [];
    for (const tier of this.tiers) {
      if (tier.removed || !tier.items) continue;
      for (const item of tier.items) if (!item.removed && isUsable(item.url)) out.push(item.url);
    }
    return out;
  }

  /** 1-based tier number of the first tier that lists the URL, or 0. */
  private tierListing(url: string): number {
    const at = this.tiers.findIndex((tier) => !tier.removed && tier.items?.some((item) => !item.removed && item.url === url));
    return at + 1;
  }

  private tier(index: number): Tier & { items: Item[] } {
    if (!Number.isSafeInteger(index) || index < 0) throw new EditError('invalid-value', `tier ${index} is not a tier number`);
    const tier = this.tiers[index];
    if (!tier) {
      const count = this.tiers.length;
      throw new EditError(
        'no-such-place',
        `the torrent has no tier ${index + 1}: it has ${count === 0 ? 'no trackers' : count === 1 ? 'one tier' : `${count} tiers`}`,
      );
    }
    if (!tier.items) throw new EditError('not-editable', `tier ${index + 1} of 'announce-list' is not a list of URLs`);
    return tier as Tier & { items: Item[] };
  }

  private item(at: TrackerPosition): Item {
    const tier = this.tier(at.tier);
    const item = Number.isSafeInteger(at.index) && at.index >= 0 ? tier.items[at.index] : undefined;
    if (!item) throw new EditError('no-such-place', `tier ${at.tier + 1} has no tracker ${at.index + 1}: it has ${tier.items.length}`);
    return item;
  }

  private static newItem(url: string, reason?: string): Item {
    return { token: -1, url, write: encode(url), removed: false, reason };
  }

  private checkUrl(url: string): void {
    const problem = trackerUrlProblem(url);
    if (problem !== undefined) throw new EditError('invalid-url', `'${url}' cannot be a tracker: ${problem}`);
  }

  add(url: string, tier: number | undefined, index: number | undefined): void {
    this.checkUrl(url);
    const listedIn = this.tierListing(url);
    if (listedIn > 0) {
      this.draft.notes.push(`tracker '${url}' is already listed in tier ${listedIn}: not added again`);
      return;
    }
    if (tier === undefined) {
      this.tiers.push({ token: -1, items: [TrackerPlan.newItem(url)], removed: false });
      return;
    }
    const items = this.tier(tier).items;
    const at = index ?? items.length;
    if (!Number.isSafeInteger(at) || at < 0 || at > items.length) {
      throw new EditError('no-such-place', `tier ${tier + 1} has ${items.length} trackers: there is no place ${at + 1} in it`);
    }
    items.splice(at, 0, TrackerPlan.newItem(url));
  }

  addTier(urls: string[], at: number | undefined): void {
    const items: Item[] = [];
    for (const url of urls) {
      this.checkUrl(url);
      const listedIn = this.tierListing(url);
      if (listedIn > 0 || items.some((item) => item.url === url)) {
        this.draft.notes.push(`tracker '${url}' is already listed${listedIn > 0 ? ` in tier ${listedIn}` : ''}: not added again`);
      } else {
        items.push(TrackerPlan.newItem(url));
      }
    }
    if (items.length === 0) return;
    const place = at ?? this.tiers.length;
    if (!Number.isSafeInteger(place) || place < 0 || place > this.tiers.length) {
      throw new EditError('no-such-place', `the torrent has ${this.tiers.length} tiers: a new tier cannot go before tier ${place + 1}`);
    }
    this.tiers.splice(place, 0, { token: -1, items, removed: false });
  }

  removeUrl(url: string): void {
    let found = false;
    for (const tier of this.tiers) {
      if (!tier.items) continue;
      for (const item of tier.items) {
        if (item.url === url) {
          item.removed = true;
          found = true;
        }
      }
      if (tier.items.length > 0 && tier.items.every((item) => item.removed)) tier.removed = true;
    }
    if (this.read.announceUrl === url) this.announceTarget = 'first';
    else if (!found) this.draft.notes.push(`tracker '${url}' is not listed: nothing to remove`);
  }

  removeTier(index: number): void {
    // A tier that is not a list of URLs can go too: only its existence is checked.
    if (!this.tiers[index]) this.tier(index);
    this.tiers[index].removed = true;
  }

  set(at: TrackerPosition, url: string): void {
    this.checkUrl(url);
    const item = this.item(at);
    if (item.url === url) return;
    const listedIn = this.tierListing(url);
    if (listedIn > 0) this.draft.notes.push(`tracker '${url}' is now listed twice (also in tier ${listedIn})`);
    this.change(item, url);
  }

  private change(item: Item, url: string): void {
    item.was ??= item.url;
    item.url = url;
    item.write = encode(url);
  }

  replaceText(find: string, replace: string): void {
    if (find === '') throw new EditError('invalid-value', 'the text to replace in tracker URLs is empty');
    let count = 0;
    const replaced = (url: string): string => {
      const at = url.indexOf(find);
      const next = url.slice(0, at) + replace + url.slice(at + find.length);
      // Only a URL the replacement breaks is refused: whitespace or a defect it had before is left as it was.
      const problem = trackerUrlProblem(next.trim());
      if (problem !== undefined && trackerUrlProblem(url.trim()) === undefined) {
        throw new EditError('invalid-url', `the replacement makes tracker '${url}' into '${next}': ${problem}`);
      }
      return next;
    };
    for (const tier of this.tiers) {
      for (const item of tier.items ?? []) {
        if (item.url === undefined || !item.url.includes(find)) continue;
        this.change(item, replaced(item.url));
        count++;
      }
    }
    const announce = this.read.announceUrl;
    if (this.read.source === 'announce-list' && announce !== undefined && announce.includes(find)) {
      this.announceTarget = { url: replaced(announce) };
      count++;
    }
    if (count === 0) this.draft.notes.push('no tracker URL contains the text to replace');
    else {
      // A URL listed more than once is a new duplicate unless its places held one URL that was listed twice already.
      const origins = new Map<string, { count: number; was: Set<string> }>();
      for (const tier of this.tiers) {
        for (const item of tier.removed ? [] : (tier.items ?? [])) {
          if (item.removed || !isUsable(item.url)) continue;
          const entry = origins.get(item.url) ?? { count: 0, was: new Set<string>() };
          entry.count++;
          entry.was.add(item.was ?? item.url);
          origins.set(item.url, entry);
        }
      }
      for (const [url, { count, was }] of origins) {
        const already = was.size === 1 && this.duplicatesBefore.has([...was][0]);
        if (count > 1 && !already) this.draft.notes.push(`tracker '${url}' is now listed more than once`);
      }
    }
  }

  move(from: TrackerPosition, to: TrackerPosition, newTier: boolean): void {
    const source = this.item(from);
    if (!newTier && from.tier === to.tier && from.index === to.index) return;
    const raw = this.doc.data.slice(this.doc.start(source.token), this.doc.end(source.token));
    const moved: Item = {
      token: -1,
      url: source.url,
      write: source.write ?? raw,
      removed: false,
      reason: `moved from tier ${from.tier + 1}`,
    };
    if (newTier) {
      if (!Number.isSafeInteger(to.tier) || to.tier < 0 || to.tier > this.tiers.length) {
        throw new EditError('no-such-place', `the torrent has ${this.tiers.length} tiers: a new tier cannot go before tier ${to.tier + 1}`);
      }
      source.removed = true;
      this.tiers.splice(to.tier, 0, { token: -1, items: [moved], removed: false });
    } else {
      const items = this.tier(to.tier).items;
      source.removed = true;
      // `to.index` counts the tier's trackers once the moved one has left it.
      const staying = items.filter((item) => !item.removed);
      if (!Number.isSafeInteger(to.index) || to.index < 0 || to.index > staying.length) {
        source.removed = false;
        throw new EditError(
          'no-such-place',
          `tier ${to.tier + 1} has ${staying.length} other trackers: there is no place ${to.index + 1} in it`,
        );
      }
      const before = staying[to.index];
      items.splice(before ? items.indexOf(before) : items.length, 0, moved);
    }
    const fromTier = this.tiers.find((tier) => tier.items?.includes(source));
    if (fromTier?.items?.every((item) => item.removed)) fromTier.removed = true;
  }

  moveTier(from: number, to: number): void {
    const source = this.tier(from);
    if (this.read.source !== 'announce-list')
      throw new EditError('no-such-place', 'the torrent has one tier: there is no other to move it past');
    const others = this.tiers.length - 1;
    if (!Number.isSafeInteger(to) || to < 0 || to > others) {
      throw new EditError('no-such-place', `the torrent has ${others} other tiers: there is no place ${to + 1} among them`);
    }
    if (to === from) return;
    // The tier's items keep their own bytes: the moved tier is their bytes in a new list, the old one goes.
    const moved: Tier = {
      token: -1,
      items: source.items.map((item) => ({ ...item, reason: `tier ${from + 1} moved to place ${to + 1}` })),
      removed: false,
    };
    source.removed = true;
    this.tiers.splice(to < from ? to : to + 1, 0, moved);
  }

  /** Turns the plan into splices: the announce-list, then `announce`. */
  render(): void {
    const doc = this.doc;
    const draft = this.draft;
    const urls = this.usableUrls();
    const first = urls[0];
    const { announce, list } = this.read;

    if (this.read.source !== 'announce-list' && urls.length <= 1) {
      // One tracker at most, and no announce-list to keep: `announce` says it all.
      this.renderAnnounce(first, undefined);
      return;
    }
    if (list && !doc.isList(list.value)) {
      throw new EditError(
        'not-editable',
        `'announce-list' is ${doc.kind(list.value) === 'int' ? 'an integer' : `a ${doc.kind(list.value) === 'bytes' ? 'string' : doc.kind(list.value)}`}, not a list of tiers: clients ignore it, and a second tracker cannot be added to it`,
      );
    }
    if (!list) {
      draft.noteRepeated(draft.root, 'announce');
      const tiers = this.tiers.filter((tier) => !tier.removed && tier.items?.some((item) => !item.removed));
      draft.insert(draft.root, 'announce-list', encodeList(tiers.map((tier) => encodeTier(doc, tier))), {
        location: 'announce-list',
        action: 'added',
        after: tiers.map((tier) => tierText(tier)).join(' | '),
        reason:
          this.read.source === 'announce'
            ? "a second tracker goes into 'announce-list' (BEP 12), whose first tier is the 'announce' URL, as transmission-edit does"
            : undefined,
      });
      this.renderAnnounce(first, announce ? undefined : first);
      return;
    }
    draft.noteRepeated(draft.root, 'announce-list');
    if (this.read.source === 'announce-list' && urls.length === 0) {
      draft.remove(list, {
        location: 'announce-list',
        action: 'removed',
        before: draft.text(list.value),
        reason: 'no tracker is left in it',
      });
    } else {
      this.renderTiers(list.value);
    }
    this.renderAnnounce(first, undefined);
  }

  /** The tiers of the plan into the existing `announce-list`: removals, changes and insertions, each its own splice. */
  private renderTiers(list: Token): void {
    const doc = this.doc;
    const draft = this.draft;
    // Tiers of an unusable list stay where they are, before any the edit adds.
    const hidden = this.read.source === 'announce-list' ? 0 : doc.size(list);
    const existing = this.tiers.filter((tier) => tier.token >= 0).map((tier) => tier.token);
    let place = hidden;
    let nextExisting = 0;
    this.tiers.forEach((tier, t) => {
      if (tier.token < 0) {
        if (tier.removed || !tier.items?.some((item) => !item.removed)) return;
        const before = existing[nextExisting];
        draft.insertItem(list, before === undefined ? doc.size(list) : doc.children(list).indexOf(before), encodeTier(doc, tier), {
          location: `announce-list[${place}]`,
          action: 'added',
          after: tierText(tier),
          reason: tier.items.find((item) => !item.removed)?.reason,
        });
        place++;
        return;
      }
      nextExisting++;
      if (tier.removed) {
        const emptied = tier.items !== undefined && tier.items.length > 0 && tier.items.every((item) => item.removed);
        draft.removeItem(tier.token, {
          location: `announce-list[${t}]`,
          action: 'removed',
          before: draft.text(tier.token),
          reason: emptied ? 'no tracker is left in the tier' : undefined,
        });
        return;
      }
      if (tier.items) this.renderItems(tier.token, tier.items, t, place);
      place++;
    });
  }

  private renderItems(tierToken: Token, items: Item[], oldTier: number, newTier: number): void {
    const doc = this.doc;
    const draft = this.draft;
    const rawItems = doc.children(tierToken);
    let nextRaw = 0;
    let place = 0;
    for (const item of items) {
      if (item.token < 0) {
        if (item.removed) continue;
        const before = rawItems[nextRaw];
        draft.insertItem(tierToken, before === undefined ? rawItems.length : nextRaw, item.write!, {
          location: `announce-list[${newTier}][${place}]`,
          action: 'added',
          after: item.url,
          reason: item.reason,
        });
        place++;
        continue;
      }
      const rawIndex = nextRaw++;
      if (item.removed) {
        draft.removeItem(item.token, {
          location: `announce-list[${oldTier}][${rawIndex}]`,
          action: 'removed',
          before: item.was ?? item.url,
        });
        continue;
      }
      if (item.write) {
        draft.replace(item.token, item.write, {
          location: `announce-list[${newTier}][${place}]`,
          action: 'changed',
          before: item.was,
          after: item.url,
        });
      }
      place++;
    }
  }

  /**
   * `announce` after the edit. Without an announce-list it is the one tracker (`only`); with one it follows the
   * first tracker when it named the first tracker or a tracker that is gone. `insert` adds it where it is missing.
   */
  private renderAnnounce(only: string | undefined, insert: string | undefined): void {
    const draft = this.draft;
    const { announce, announceUrl } = this.read;
    const announceOnly = this.read.source !== 'announce-list' && this.usableUrls().length <= 1;
    let target: string | undefined;
    let reason: string | undefined;
    if (announceOnly) {
      target = only;
    } else if (typeof this.announceTarget === 'object') {
      target = this.announceTarget.url;
    } else if (announceUrl !== undefined) {
      const urls = this.usableUrls();
      const gone = this.listedBefore.has(announceUrl) && !urls.includes(announceUrl);
      if (this.announceTarget === 'first' || announceUrl === this.firstBefore || gone) {
        target = urls[0];
        if (target !== announceUrl) reason = FOLLOWS_FIRST;
      } else {
        target = announceUrl;
      }
    } else {
      target = insert;
      reason = FOLLOWS_FIRST;
    }
    if (announce === undefined) {
      if (target !== undefined)
        draft.insert(draft.root, 'announce', encode(target), { location: 'announce', action: 'added', after: target, reason });
      return;
    }
    if (target === undefined) {
      // Only an `announce` that named a tracker goes; one that is not a string is left as it was.
      if (announceUrl !== undefined) {
        draft.noteRepeated(draft.root, 'announce');
        draft.remove(announce, {
          location: 'announce',
          action: 'removed',
          before: announceUrl,
          reason: announceOnly ? undefined : 'no tracker is left',
        });
      }
      return;
    }
    if (target === announceUrl || (announceUrl === undefined && !announceOnly)) return;
    draft.noteRepeated(draft.root, 'announce');
    draft.replace(announce.value, encode(target), { location: 'announce', action: 'changed', before: announceUrl, after: target, reason });
  }
}

/** Concatenates encoded values between a list's `l` and `e`. */
function encodeList(parts: readonly Uint8Array[]): Uint8Array {
  let length = 2;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  out[0] = 0x6c; // 'l'
  let at = 1;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  out[at] = 0x65; // 'e'
  return out;
}

/** A tier's kept and added items, each with its own bytes: a kept one as the file has it. */
function encodeTier(doc: BencodeDocument, tier: Tier): Uint8Array {
  const items = (tier.items ?? []).filter((item) => !item.removed);
  return encodeList(items.map((item) => item.write ?? doc.data.subarray(doc.start(item.token), doc.end(item.token))));
}

function tierText(tier: Tier): string {
  return (tier.items ?? [])
    .filter((item) => !item.removed)
    .map((item) => item.url ?? '?')
    .join(' ');
}
