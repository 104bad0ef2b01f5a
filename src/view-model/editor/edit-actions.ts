// From what the user asks for in the editor (an EditAction: rows by id, text as typed) to the core's TorrentEdit,
// and the checks of a value as it is typed. The editor's trees show the torrent as clients read it (trackers that
// clients skip are not shown, web seeds listed twice are shown once); the edits address the file as it stores it.
// This module maps one to the other, from the decoded document of the version on screen.
//
// URLs and texts always come from the file, never from the screen, where secrets are hidden: a row is found by its
// id, and a value typed over a hidden secret is refused rather than written with "[redacted]" in it.

import type { BencodeDocument, Token } from '../../core/bencode/decode';
import { trackerPlaces } from '../../core/edit/trackers';
import { EditError, type TorrentEdit, type TrackerPosition, type WebSeedField } from '../../core/edit/types';
import { torrentNameProblem, trackerUrlProblem, webSeedUrlProblem } from '../../core/edit/validate';
import type { Metainfo } from '../../core/metainfo/types';
import { REDACTED, type Secrets } from '../../core/privacy/secrets';
import { displayText } from '../../core/text/bytes';
import { formatDate } from '../../shared/format';
import type { EditAction, EditCheck, EditableField, TreeId } from '../../shared/protocol/editor';

/** An action made into an edit: the edit, its words for the undo history, and the row to go to afterwards. */
export interface TranslatedEdit {
  edit: TorrentEdit;
  /** Words for the undo history: "Add Tracker". */
  label: string;
  /** What was done, for the user once it is: "Tracker added." */
  done: string;
  focus?: { tree: TreeId; id: string };
}

/** A tier as the trackers tree shows it, with where it and its trackers are in the file. */
interface TierPlace {
  /** The tier's index in `announce-list` (every element counted), or 0 for `announce`. */
  file: number;
  items: { file: number; url: string }[];
}

/** The words of each field, for messages and the undo history. */
export const FIELD_WORDS: Record<EditableField, string> = {
  name: 'name',
  source: 'source',
  comment: 'comment',
  createdBy: 'creator',
  creationDate: 'creation date',
  encoding: 'encoding',
};

const TITLE_WORDS: Record<EditableField, string> = {
  name: 'Name',
  source: 'Source',
  comment: 'Comment',
  createdBy: 'Created By',
  creationDate: 'Creation Date',
  encoding: 'Encoding',
};

/** The longest text a field takes from the editor (a comment of a megabyte is no comment). */
const MAX_TEXT = 65_536;

export class EditActions {
  private tiersCache?: TierPlace[];

  constructor(
    private readonly metainfo: Metainfo,
    private readonly secrets: Secrets,
  ) {}

  private get doc(): BencodeDocument {
    return this.metainfo.document;
  }

  /** The edit an action asks for. Throws EditError (nothing to change) when it cannot be made. */
  translate(action: EditAction): TranslatedEdit {
    switch (action.kind) {
      case 'setTracker': {
        const { tier, index } = this.trackerRow(action.row);
        const url = this.checkedUrl(action.url, 'tracker');
        return {
          edit: { kind: 'set-tracker', at: this.trackerPosition(tier, index), url },
          label: 'Edit Tracker',
          done: 'Tracker changed.',
          focus: { tree: 'trackers', id: `${tier}.${index}` },
        };
      }
      case 'addTracker': {
        const url = this.checkedUrl(action.url, 'tracker');
        const tiers = this.tiers();
        if (action.tier === undefined) {
          return {
            edit: { kind: 'add-tracker', url },
            label: 'Add Tracker',
            done: 'Tracker added in a tier of its own.',
            focus: { tree: 'trackers', id: `${tiers.length}.0` },
          };
        }
        const tier = tiers[action.tier];
        if (!tier) throw new EditError('no-such-place', `there is no tier ${action.tier + 1}`);
        return {
          edit: { kind: 'add-tracker', url, tier: tier.file },
          label: 'Add Tracker',
          done: `Tracker added to tier ${action.tier + 1}.`,
          focus: { tree: 'trackers', id: `${action.tier}.${tier.items.length}` },
        };
      }
      case 'removeTracker': {
        const { tier, index } = this.trackerRow(action.row);
        return {
          edit: { kind: 'remove-tracker', url: this.tiers()[tier].items[index].url },
          label: 'Remove Tracker',
          done: 'Tracker removed.',
        };
      }
      case 'removeTier': {
        const tier = this.tierRow(action.row);
        return { edit: { kind: 'remove-tier', tier: this.tiers()[tier].file }, label: 'Remove Tier', done: `Tier ${tier + 1} removed.` };
      }
      case 'moveTracker':
        return this.moveTracker(action.row, action.direction);
      case 'moveToNewTier': {
        const { tier, index } = this.trackerRow(action.row);
        const tiers = this.tiers();
        const alone = tiers[tier].items.length === 1;
        if (alone) throw new EditError('no-such-place', 'this tracker is alone in its tier already');
        return {
          edit: {
            kind: 'move-tracker',
            from: this.trackerPosition(tier, index),
            to: { tier: tiers[tier].file + 1, index: 0 },
            newTier: true,
          },
          label: 'Move Tracker to a New Tier',
          done: `Tracker moved to a tier of its own (tier ${tier + 2}).`,
          focus: { tree: 'trackers', id: `${tier + 1}.0` },
        };
      }
      case 'moveTier': {
        const tier = this.tierRow(action.row);
        const tiers = this.tiers();
        const next = tier + (action.direction === 'up' ? -1 : 1);
        if (next < 0 || next >= tiers.length) {
          throw new EditError('no-such-place', action.direction === 'up' ? 'this is the first tier' : 'this is the last tier');
        }
        return {
          edit: { kind: 'move-tier', from: tiers[tier].file, to: tiers[next].file },
          label: action.direction === 'up' ? 'Move Tier Up' : 'Move Tier Down',
          done: `Tier moved to place ${next + 1}.`,
          focus: { tree: 'trackers', id: String(next) },
        };
      }
      case 'setWebSeed': {
        const seed = this.webSeedRow(action.row);
        const url = this.checkedUrl(action.url, 'web seed');
        return {
          edit: { kind: 'set-web-seed', field: seed.field, index: this.webSeedIndex(seed.field, seed.url), url },
          label: 'Edit Web Seed',
          done: 'Web seed changed.',
          focus: { tree: 'webseeds', id: action.row },
        };
      }
      case 'addWebSeed': {
        const url = this.checkedUrl(action.url, 'web seed');
        const field: WebSeedField = action.field === 'httpseeds' ? 'httpseeds' : 'url-list';
        const m = this.metainfo;
        const id = field === 'url-list' ? m.webSeeds.length : m.webSeeds.length + m.httpSeeds.length;
        return {
          edit: { kind: 'add-web-seed', url, field },
          label: 'Add Web Seed',
          done: 'Web seed added.',
          focus: { tree: 'webseeds', id: String(id) },
        };
      }
      case 'removeWebSeed':
        return {
          edit: { kind: 'remove-web-seed', url: this.webSeedRow(action.row).url },
          label: 'Remove Web Seed',
          done: 'Web seed removed.',
        };
      case 'addNode': {
        const node = parseNodeAddress(action.address);
        if (typeof node === 'string') throw new EditError('invalid-value', node);
        return {
          edit: { kind: 'add-node', host: node.host, port: node.port },
          label: 'Add DHT Node',
          done: 'DHT node added.',
          focus: { tree: 'nodes', id: String(this.metainfo.nodes.length) },
        };
      }
      case 'removeNode': {
        const index = rowIndex(action.row, this.metainfo.nodes.length, 'DHT node');
        const file = nodeFileIndexes(this.doc, this.doc.get(this.doc.root, 'nodes'))[index];
        if (file === undefined) throw new EditError('no-such-place', 'this DHT node is not where the file keeps its nodes');
        return { edit: { kind: 'remove-node', index: file }, label: 'Remove DHT Node', done: 'DHT node removed.' };
      }
      case 'removeKey': {
        const key = this.metainfo.unknownKeys[rowIndex(action.row, this.metainfo.unknownKeys.length, 'key')];
        if (key.parent !== 'root') {
          throw new EditError('protected-key', 'this key is inside the info dictionary: removing it would change the info hash');
        }
        // Keys are single tokens: the key is the token before its value.
        return { edit: { kind: 'remove-key', key: this.doc.binary(key.token - 1) }, label: 'Remove Key', done: 'Key removed.' };
      }
      case 'setField':
        return this.setField(action.field, action.value);
      case 'setPrivate':
        return {
          edit: { kind: 'set-private', private: action.private === true },
          label: action.private ? 'Make Private' : 'Make Public',
          done: action.private ? 'The torrent is private now.' : 'The torrent is public now.',
        };
    }
  }

  /** What to tell the user about a value as it is typed: why it cannot be written, or that it is listed already. */
  check(action: EditAction): EditCheck {
    let translated: TranslatedEdit;
    try {
      translated = this.translate(action);
    } catch (error) {
      if (error instanceof EditError) return { problem: error.message };
      throw error;
    }
    const edit = translated.edit;
    if (edit.kind === 'set-tracker' || edit.kind === 'add-tracker') {
      const tiers = this.tiers();
      const own = action.kind === 'setTracker' ? action.row : undefined;
      const at = tiers.findIndex((tier, t) => tier.items.some((item, i) => item.url === edit.url && `${t}.${i}` !== own));
      if (at >= 0) return { warning: `already listed in tier ${at + 1}` };
    }
    if (edit.kind === 'set-web-seed' || edit.kind === 'add-web-seed') {
      const listed = [...this.metainfo.webSeeds, ...this.metainfo.httpSeeds];
      const own = action.kind === 'setWebSeed' ? Number(action.row) : -1;
      if (listed.some((url, i) => url === edit.url && i !== own)) return { warning: 'already listed' };
    }
    return {};
  }

  /** The text an in-place edit of a row or field starts from, or why it is not offered. */
  editValue(tree: TreeId | 'field', id: string): { value: string } | { refused: string } {
    const hidden = 'part of it is a hidden secret: reveal secrets to edit it';
    if (tree === 'trackers' || tree === 'webseeds') {
      const url = tree === 'trackers' ? this.trackerUrl(id) : this.webSeedRow(id).url;
      if (!this.secrets.shown && this.secrets.hasSecret(url)) return { refused: `This URL cannot be edited as shown: ${hidden}.` };
      return { value: url };
    }
    if (tree !== 'field') return { refused: 'this row cannot be edited in place' };
    const m = this.metainfo;
    const field = id as EditableField;
    let value: string;
    switch (field) {
      case 'name':
        value = m.name.text;
        break;
      case 'source':
        value = m.source?.text ?? '';
        break;
      case 'comment':
        value = m.comment?.text ?? '';
        break;
      case 'createdBy':
        value = m.createdBy?.text ?? '';
        break;
      case 'encoding':
        value = m.encoding?.text ?? '';
        break;
      case 'creationDate':
        value = m.creationDate === undefined ? '' : formatDate(m.creationDate);
        break;
      default:
        return { refused: 'this field cannot be edited' };
    }
    if (!this.secrets.shown && this.secrets.redact(value) !== value) return { refused: `This text cannot be edited as shown: ${hidden}.` };
    return { value };
  }

  private setField(field: EditableField, value: string | null): TranslatedEdit {
    const label = `${value === null ? 'Remove' : 'Set'} ${TITLE_WORDS[field]}`;
    const done = `${FIELD_WORDS[field][0].toUpperCase()}${FIELD_WORDS[field].slice(1)} ${value === null ? 'removed' : 'set'}.`;
    if (value !== null && typeof value !== 'string') throw new EditError('invalid-value', 'the value is not text');
    if (value !== null && value.length > MAX_TEXT) {
      throw new EditError('invalid-value', `the ${FIELD_WORDS[field]} is longer than ${MAX_TEXT} characters`);
    }
    if (value !== null && value.includes(REDACTED)) throw redactedError();
    switch (field) {
      case 'name': {
        if (value === null) throw new EditError('protected-key', 'a torrent cannot do without its name');
        const problem = torrentNameProblem(value);
        if (problem !== undefined) throw new EditError('invalid-value', `this cannot be the torrent's name: ${problem}`);
        return { edit: { kind: 'set-name', text: value }, label, done };
      }
      case 'source':
        return { edit: { kind: 'set-source', text: value }, label, done };
      case 'comment':
        return { edit: { kind: 'set-comment', text: value }, label, done };
      case 'createdBy':
        return { edit: { kind: 'set-created-by', text: value }, label, done };
      case 'encoding':
        return { edit: { kind: 'set-encoding', text: value }, label, done };
      case 'creationDate': {
        const seconds = value === null ? null : parseDateInput(value);
        if (typeof seconds === 'string') throw new EditError('invalid-value', seconds);
        return { edit: { kind: 'set-creation-date', seconds }, label, done };
      }
    }
  }

  private moveTracker(row: string, direction: 'up' | 'down'): TranslatedEdit {
    const { tier, index } = this.trackerRow(row);
    const tiers = this.tiers();
    const items = tiers[tier].items;
    const from = this.trackerPosition(tier, index);
    const label = direction === 'up' ? 'Move Tracker Up' : 'Move Tracker Down';
    const done = (id: string) => `Tracker moved to tier ${Number(id.split('.')[0]) + 1}, place ${Number(id.split('.')[1]) + 1}.`;
    const neighbour = index + (direction === 'up' ? -1 : 1);
    if (neighbour >= 0 && neighbour < items.length) {
      // `to.index` counts the tier once the tracker has left it: the neighbour's own place, whichever side it is on.
      return {
        edit: { kind: 'move-tracker', from, to: { tier: tiers[tier].file, index: items[neighbour].file } },
        label,
        done: done(`${tier}.${neighbour}`),
        focus: { tree: 'trackers', id: `${tier}.${neighbour}` },
      };
    }
    // Past the end of its tier: on into the tier before (at its end) or the one after (at its start).
    const other = tier + (direction === 'up' ? -1 : 1);
    if (other < 0 || other >= tiers.length) {
      throw new EditError('no-such-place', direction === 'up' ? 'this is the first tracker' : 'this is the last tracker');
    }
    const target = tiers[other];
    const fileItems = this.doc.size(this.doc.children(this.doc.get(this.doc.root, 'announce-list'))[target.file]);
    const leaves = items.length === 1;
    if (direction === 'up') {
      return {
        edit: { kind: 'move-tracker', from, to: { tier: target.file, index: fileItems } },
        label,
        done: done(`${other}.${target.items.length}`),
        focus: { tree: 'trackers', id: `${other}.${target.items.length}` },
      };
    }
    return {
      edit: { kind: 'move-tracker', from, to: { tier: target.file, index: target.items[0].file } },
      label,
      done: done(`${leaves ? tier : other}.0`),
      // A tracker that was alone takes its tier with it: the tier after moves up one.
      focus: { tree: 'trackers', id: `${leaves ? tier : other}.0` },
    };
  }

  /** The tiers as the trackers tree shows them: tiers with a tracker clients read, and those trackers. */
  private tiers(): TierPlace[] {
    if (this.tiersCache) return this.tiersCache;
    const places = trackerPlaces(this.doc);
    const tiers: TierPlace[] = [];
    places.tiers.forEach((tier, file) => {
      const items: TierPlace['items'] = [];
      tier?.forEach((url, i) => {
        if (url !== null && url.trim() !== '') items.push({ file: i, url });
      });
      if (items.length > 0) tiers.push({ file, items });
    });
    // The tree shows the model's reading; an edit is only made where the two agree on every tracker.
    const shown = this.metainfo.trackers;
    const agree =
      shown.length === tiers.length &&
      shown.every((urls, t) => urls.length === tiers[t].items.length && urls.every((u, i) => u === tiers[t].items[i].url));
    if (!agree) throw new EditError('not-editable', 'the trackers are stored in a shape Torrent Lens cannot edit safely');
    this.tiersCache = tiers;
    return tiers;
  }

  private trackerPosition(tier: number, index: number): TrackerPosition {
    const place = this.tiers()[tier];
    return { tier: place.file, index: place.items[index].file };
  }

  private tierRow(row: string): number {
    const tier = Number(row);
    if (!/^\d+$/.test(row) || tier >= this.tiers().length) throw new EditError('no-such-place', 'there is no such tier');
    return tier;
  }

  private trackerRow(row: string): { tier: number; index: number } {
    const match = /^(\d+)\.(\d+)$/.exec(row);
    const tier = match ? Number(match[1]) : -1;
    const index = match ? Number(match[2]) : -1;
    if (!match || tier >= this.tiers().length || index >= this.tiers()[tier].items.length) {
      throw new EditError('no-such-place', 'there is no such tracker');
    }
    return { tier, index };
  }

  private trackerUrl(row: string): string {
    const { tier, index } = this.trackerRow(row);
    return this.tiers()[tier].items[index].url;
  }

  /** A web seed row: the URL and its field (url-list first, then httpseeds, as the tab lists them). */
  private webSeedRow(row: string): { url: string; field: WebSeedField } {
    const m = this.metainfo;
    const index = rowIndex(row, m.webSeeds.length + m.httpSeeds.length, 'web seed');
    return index < m.webSeeds.length
      ? { url: m.webSeeds[index], field: 'url-list' }
      : { url: m.httpSeeds[index - m.webSeeds.length], field: 'httpseeds' };
  }

  /** Where the file keeps a web seed: the first item of its field with that URL (the tab shows each URL once). */
  private webSeedIndex(field: WebSeedField, url: string): number {
    const doc = this.doc;
    const value = doc.get(doc.root, field);
    if (value >= 0 && doc.isBytes(value)) return 0;
    const items = value >= 0 && doc.isList(value) ? doc.children(value) : [];
    const index = items.findIndex((item) => doc.isBytes(item) && displayText(doc.bytes(item)).text === url);
    if (index < 0) throw new EditError('no-such-place', 'this web seed is not where the file keeps its web seeds');
    return index;
  }

  private checkedUrl(url: string, what: 'tracker' | 'web seed'): string {
    if (typeof url !== 'string') throw new EditError('invalid-url', 'the URL is not text');
    if (url.includes(REDACTED)) throw redactedError();
    const problem = what === 'tracker' ? trackerUrlProblem(url) : webSeedUrlProblem(url);
    if (problem !== undefined) throw new EditError('invalid-url', `this cannot be a ${what}: ${problem}`);
    return url;
  }
}

function redactedError(): EditError {
  return new EditError('invalid-value', `"${REDACTED}" stands for a hidden secret: reveal secrets, and edit the real value`);
}

function rowIndex(row: string, count: number, what: string): number {
  const index = Number(row);
  if (!/^\d+$/.test(row) || index >= count) throw new EditError('no-such-place', `there is no such ${what}`);
  return index;
}

/**
 * The places in `nodes` of the DHT nodes the tab lists: [host, port] pairs with a host and a port a node can have
 * (what the metainfo reads; the rest are skipped there).
 */
export function nodeFileIndexes(doc: BencodeDocument, nodes: Token): number[] {
  if (nodes < 0 || !doc.isList(nodes)) return [];
  const out: number[] = [];
  doc.children(nodes).forEach((node, i) => {
    if (!doc.isList(node) || doc.size(node) < 2) return;
    const host = node + 1;
    const port = doc.next(host);
    if (!doc.isBytes(host) || !doc.isInt(port) || doc.size(host) === 0) return;
    const value = doc.int(port);
    if (typeof value === 'bigint' || value < 0 || value > 65535) return;
    out.push(i);
  });
  return out;
}

/** A DHT node as typed: `host:port` or `[IPv6]:port`; a string says what is wrong. */
export function parseNodeAddress(address: string): { host: string; port: number } | string {
  const text = typeof address === 'string' ? address.trim() : '';
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^\s:[\]]+):(\d{1,5})$/.exec(text);
  if (!match) return 'write the node as host:port, or [IPv6 address]:port';
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return `${match[2]} is not a port (1 to 65535)`;
  return { host: match[1], port };
}

/**
 * A creation date as typed: seconds since 1970, or a date and time in UTC as the overview shows it
 * (`2023-11-14 22:13:20 UTC`), as ISO 8601 (`2023-11-14T22:13:20Z`, with an offset), or a day (`2023-11-14`).
 * A string says what is wrong.
 */
export function parseDateInput(input: string): number | string {
  const text = input.trim();
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!match) return 'write the date as 2023-11-14 22:13:20 UTC, as 2023-11-14, or as seconds since 1970';
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = match;
  const offset = /^[+-]/.test(zone) ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) : 0;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  const check = new Date(ms + offset * 60_000);
  if (
    Number.isNaN(ms) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return `${text} is not a date`;
  }
  if (ms < 0) return 'the date is before 1970, which a creation date cannot be';
  return Math.floor(ms / 1000);
}
