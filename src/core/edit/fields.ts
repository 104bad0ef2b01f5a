// The edits of single fields: web seeds (BEP 19 `url-list`, BEP 17 `httpseeds`), DHT nodes (BEP 5), the texts and
// the date outside the info dictionary, top-level keys, and the info dictionary's `private`, `source` and `name`.
// A value is replaced in place, a missing key is inserted where canonical order puts it, and a removal takes every
// entry of the key (a repeated key would otherwise come back into view); an edit of a value changes the first entry,
// the one libtorrent reads.

import { describeKey, encode, type Token } from '../bencode/decode';
import { displayText, utf8Encode } from '../text/bytes';
import type { Draft, Entry } from './draft';
import { EditError, type EditChange, type TorrentEdit, type WebSeedField } from './types';
import { torrentNameProblem, webSeedUrlProblem } from './validate';

const WEB_SEED_FIELDS: readonly WebSeedField[] = ['url-list', 'httpseeds'];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a value is the byte string `text` encodes to. */
function holdsText(draft: Draft, value: Token, text: string): boolean {
  return draft.doc.isBytes(value) && sameBytes(draft.doc.bytes(value), utf8Encode(text));
}

/** Removes every entry of the keys; says what went. */
function removeAll(draft: Draft, dict: Token, keys: readonly string[], prefix: string, reason?: string): void {
  for (const key of keys) {
    for (const entry of draft.entries(dict, key)) {
      draft.remove(entry, { location: prefix + key, action: 'removed', before: draft.text(entry.value), reason });
    }
  }
}

/**
 * Sets a text field: `key`, and its `.utf-8` twin where the torrent has one (clients prefer the twin, so both
 * change); a torrent with neither gains `key`. Null removes both.
 */
function setText(draft: Draft, dict: Token, key: string, twin: string | undefined, text: string | null): void {
  const prefix = dict === draft.info ? 'info.' : '';
  const keys = twin === undefined ? [key] : [key, twin];
  if (text === null) {
    removeAll(draft, dict, keys, prefix);
    return;
  }
  const encoded = encode(text);
  let present = false;
  for (const name of keys) {
    const entry = draft.target(dict, name);
    if (!entry) continue;
    present = true;
    if (holdsText(draft, entry.value, text)) continue;
    draft.replace(entry.value, encoded, { location: prefix + name, action: 'changed', before: draft.text(entry.value), after: text });
  }
  if (!present) draft.insert(dict, key, encoded, { location: prefix + key, action: 'added', after: text });
}

function setCreationDate(draft: Draft, seconds: number | null): void {
  if (seconds === null) {
    removeAll(draft, draft.root, ['creation date'], '');
    return;
  }
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new EditError('invalid-value', `${seconds} is not a creation date: it must be whole seconds since 1970, not negative`);
  }
  const entry = draft.target(draft.root, 'creation date');
  const after = String(seconds);
  if (!entry) {
    draft.insert(draft.root, 'creation date', encode(seconds), { location: 'creation date', action: 'added', after });
  } else if (!(draft.doc.isInt(entry.value) && draft.doc.int(entry.value) === seconds)) {
    draft.replace(entry.value, encode(seconds), { location: 'creation date', action: 'changed', before: draft.text(entry.value), after });
  }
}

/** The string items of a web seed field (a lone string counts as one), or undefined when it holds something else. */
function webSeedItems(draft: Draft, entry: Entry): { token: Token; url: string }[] | undefined {
  const doc = draft.doc;
  if (doc.isBytes(entry.value)) return [{ token: entry.value, url: displayText(doc.bytes(entry.value)).text }];
  if (!doc.isList(entry.value)) return undefined;
  return doc
    .children(entry.value)
    .filter((item) => doc.isBytes(item))
    .map((item) => ({ token: item, url: displayText(doc.bytes(item)).text }));
}

function checkWebSeed(url: string): void {
  const problem = webSeedUrlProblem(url);
  if (problem !== undefined) throw new EditError('invalid-url', `'${url}' cannot be a web seed: ${problem}`);
}

function addWebSeed(draft: Draft, url: string, field: WebSeedField): void {
  checkWebSeed(url);
  for (const name of WEB_SEED_FIELDS) {
    const entry = draft.entries(draft.root, name)[0];
    if (entry && webSeedItems(draft, entry)?.some((item) => item.url === url)) {
      draft.notes.push(`web seed '${url}' is already listed in '${name}': not added again`);
      return;
    }
  }
  const doc = draft.doc;
  const entry = draft.target(draft.root, field);
  if (!entry) {
    draft.insert(draft.root, field, encode([url]), { location: field, action: 'added', after: url });
  } else if (doc.isList(entry.value)) {
    draft.insertItem(entry.value, doc.size(entry.value), encode(url), {
      location: `${field}[${doc.size(entry.value)}]`,
      action: 'added',
      after: url,
    });
  } else if (doc.isBytes(entry.value)) {
    // A lone URL (BEP 19 allows one) becomes a list of two; its own bytes are kept as they are.
    const kept = doc.data.subarray(doc.start(entry.value), doc.end(entry.value));
    const added = encode(url);
    const list = new Uint8Array(kept.length + added.length + 2);
    list[0] = 0x6c; // 'l'
    list.set(kept, 1);
    list.set(added, 1 + kept.length);
    list[list.length - 1] = 0x65; // 'e'
    const before = draft.text(entry.value);
    draft.replace(entry.value, list, { location: field, action: 'changed', before, after: `${before} ${url}` });
  } else {
    throw new EditError(
      'not-editable',
      `'${field}' is ${doc.kind(entry.value) === 'int' ? 'an integer' : 'a dictionary'}, not a list of URLs`,
    );
  }
}

function removeWebSeed(draft: Draft, url: string): void {
  const doc = draft.doc;
  let found = false;
  for (const field of WEB_SEED_FIELDS) {
    const entry = draft.target(draft.root, field);
    if (!entry) continue;
    const items = webSeedItems(draft, entry) ?? [];
    const matching = items.filter((item) => item.url === url);
    if (matching.length === 0) continue;
    found = true;
    if (doc.isBytes(entry.value) || matching.length === doc.size(entry.value)) {
      draft.remove(entry, {
        location: field,
        action: 'removed',
        before: draft.text(entry.value),
        reason: doc.isList(entry.value) ? 'no web seed is left in it' : undefined,
      });
      continue;
    }
    const indexOf = new Map(doc.children(entry.value).map((token, i) => [token, i]));
    for (const item of matching) {
      draft.removeItem(item.token, { location: `${field}[${indexOf.get(item.token)}]`, action: 'removed', before: url });
    }
  }
  if (!found) draft.notes.push(`web seed '${url}' is not listed: nothing to remove`);
}

function setWebSeed(draft: Draft, field: WebSeedField, index: number, url: string): void {
  checkWebSeed(url);
  const doc = draft.doc;
  const entry = draft.target(draft.root, field);
  const value =
    entry === undefined ? -1 : doc.isList(entry.value) ? doc.children(entry.value)[index] : index === 0 ? entry.value : undefined;
  if (value === undefined || value < 0) throw new EditError('no-such-place', `'${field}' has no web seed ${index + 1}`);
  if (holdsText(draft, value, url)) return;
  const location = doc.isList(entry!.value) ? `${field}[${index}]` : field;
  draft.replace(value, encode(url), { location, action: 'changed', before: draft.text(value), after: url });
}

function addNode(draft: Draft, host: string, port: number): void {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (host === '' || /[\s\0-\x1f\x7f]/.test(host)) throw new EditError('invalid-value', `'${host}' is not a host name or address`);
  if (!Number.isSafeInteger(port) || port < 1 || port > 65535) throw new EditError('invalid-value', `${port} is not a port (1 to 65535)`);
  const doc = draft.doc;
  const entry = draft.target(draft.root, 'nodes');
  const node = encode([host, port]);
  const after = `${host} ${port}`;
  if (!entry) {
    draft.insert(draft.root, 'nodes', encode([[host, port]]), { location: 'nodes', action: 'added', after });
    return;
  }
  if (!doc.isList(entry.value)) throw new EditError('not-editable', "'nodes' is not a list of [host, port] pairs");
  for (const item of doc.children(entry.value)) {
    if (sameBytes(doc.data.subarray(doc.start(item), doc.end(item)), node)) {
      draft.notes.push(`DHT node ${after} is already listed: not added again`);
      return;
    }
  }
  draft.insertItem(entry.value, doc.size(entry.value), node, { location: `nodes[${doc.size(entry.value)}]`, action: 'added', after });
}

function removeNode(draft: Draft, index: number): void {
  const doc = draft.doc;
  const entry = draft.target(draft.root, 'nodes');
  const node = entry && doc.isList(entry.value) ? doc.children(entry.value)[index] : undefined;
  if (entry === undefined || node === undefined) throw new EditError('no-such-place', `the torrent has no DHT node ${index + 1}`);
  if (doc.size(entry.value) === 1) {
    draft.remove(entry, { location: 'nodes', action: 'removed', before: draft.text(entry.value), reason: 'no DHT node is left' });
  } else {
    draft.removeItem(node, { location: `nodes[${index}]`, action: 'removed', before: draft.text(node) });
  }
}

function removeKey(draft: Draft, key: string): void {
  const doc = draft.doc;
  const metaVersion = doc.get(draft.info, 'meta version');
  const v2 = metaVersion >= 0 && doc.isInt(metaVersion) && doc.int(metaVersion) === 2;
  if (key === 'info' || (key === 'piece layers' && v2)) {
    throw new EditError('protected-key', `${describeKey(key)} cannot be removed: the torrent cannot do without it`);
  }
  if (draft.entries(draft.root, key).length === 0) {
    draft.notes.push(`the torrent has no key ${describeKey(key)}: nothing to remove`);
    return;
  }
  removeAll(draft, draft.root, [key], '');
}

function setPrivate(draft: Draft, wanted: boolean): void {
  const doc = draft.doc;
  const entry = draft.target(draft.info, 'private');
  // As libtorrent and Transmission read it: private when the first `private` is a non-zero integer.
  const isPrivate = entry !== undefined && doc.isInt(entry.value) && doc.int(entry.value) !== 0;
  if (isPrivate === wanted) return;
  const change: EditChange = { location: 'info.private', action: 'added', after: '1' };
  if (wanted && entry === undefined) draft.insert(draft.info, 'private', encode(1), change);
  else if (wanted) draft.replace(entry!.value, encode(1), { ...change, action: 'changed', before: draft.text(entry!.value) });
  // A public torrent has no `private` key: every entry goes.
  else removeAll(draft, draft.info, ['private'], 'info.');
}

function setName(draft: Draft, name: string): void {
  const problem = torrentNameProblem(name);
  if (problem !== undefined) throw new EditError('invalid-value', `'${name}' cannot be a torrent's name: ${problem}`);
  if (draft.entries(draft.info, 'name').length === 0) throw new EditError('not-editable', "the info dictionary has no 'name' to change");
  setText(draft, draft.info, 'name', 'name.utf-8', name);
}

export type FieldEdit = Exclude<
  TorrentEdit,
  {
    kind:
      'add-tracker' | 'add-tier' | 'remove-tracker' | 'remove-tier' | 'set-tracker' | 'replace-in-trackers' | 'move-tracker' | 'move-tier';
  }
>;

/** Makes a field edit's splices in the draft. */
export function editField(draft: Draft, edit: FieldEdit): void {
  switch (edit.kind) {
    case 'add-web-seed':
      return addWebSeed(draft, edit.url, edit.field ?? 'url-list');
    case 'remove-web-seed':
      return removeWebSeed(draft, edit.url);
    case 'set-web-seed':
      return setWebSeed(draft, edit.field, edit.index, edit.url);
    case 'add-node':
      return addNode(draft, edit.host, edit.port);
    case 'remove-node':
      return removeNode(draft, edit.index);
    case 'set-comment':
      return setText(draft, draft.root, 'comment', 'comment.utf-8', edit.text);
    case 'set-created-by':
      return setText(draft, draft.root, 'created by', 'created by.utf-8', edit.text);
    case 'set-creation-date':
      return setCreationDate(draft, edit.seconds);
    case 'set-encoding':
      return setText(draft, draft.root, 'encoding', undefined, edit.text);
    case 'remove-key':
      return removeKey(draft, edit.key);
    case 'set-private':
      return setPrivate(draft, edit.private);
    case 'set-source':
      return setText(draft, draft.info, 'source', undefined, edit.text);
    case 'set-name':
      return setName(draft, edit.text);
  }
}
