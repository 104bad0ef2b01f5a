// Editing torrents in the core: every kind of edit changes only the bytes it must (the bytes before and after are
// diffed, and only the edited value's span may differ), keeps the info hash unless it edits the info dictionary,
// follows what transmission-edit does with `announce` and `announce-list`, and can be undone byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decode, encode, type Encodable } from '../../src/core/bencode/decode';
import { applySplices } from '../../src/core/bencode/splice';
import { applyEdit, applyEdits } from '../../src/core/edit/apply';
import { trackerPlaces } from '../../src/core/edit/trackers';
import { changesInfoHash, EditError, type EditResult, type TorrentEdit } from '../../src/core/edit/types';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { corpusRoot, loadTruth } from '../support/corpus';

const latin1 = (data: Uint8Array) => new TextDecoder('latin1').decode(data);
const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function parse(bytes: Uint8Array): Metainfo {
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

const INFO = { length: 70000, name: 'file.bin', 'piece length': 16384, pieces: new Uint8Array(100).fill(7) };

function torrent(fields: Record<string, Encodable>, info: Record<string, Encodable> = INFO): Uint8Array {
  return encode({ ...fields, info });
}

/** The bytes that differ: `[start, endBefore)` of the old bytes became `[start, endAfter)` of the new ones. */
function changedRegion(before: Uint8Array, after: Uint8Array): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail])
    tail++;
  return { start, endBefore: before.length - tail, endAfter: after.length - tail };
}

/** Asserts that the old and new bytes differ only within `[start, end)` of the old bytes. */
function assertChangedOnlyWithin(before: Uint8Array, after: Uint8Array, start: number, end: number, what: string): void {
  const region = changedRegion(before, after);
  assert.ok(
    region.start >= start && region.endBefore <= end,
    `${what}: bytes ${region.start}–${region.endBefore} changed, only ${start}–${end} may (before: ${latin1(before)}, after: ${latin1(after)})`,
  );
}

/** The span of a top-level key's value in the old bytes. */
function valueSpan(bytes: Uint8Array, key: string): [number, number] {
  const doc = decode(bytes);
  const value = doc.get(doc.root, key);
  assert.ok(value >= 0, `no ${key}`);
  return [doc.start(value), doc.end(value)];
}

/** Applies an edit and checks what every edit must hold: undo restores the bytes, the result parses, the hash is right. */
function edit(before: Uint8Array, change: TorrentEdit): { result: EditResult; after: Metainfo; old: Metainfo } {
  const old = parse(before);
  const result = applyEdit(decode(before), change);
  const after = parse(result.bytes);
  assert.deepEqual(applySplices(result.bytes, result.inverse), before, 'undo gives the old bytes back');
  assert.deepEqual(applySplices(before, result.splices), result.bytes);
  if (result.infoHashChanged) {
    assert.ok(changesInfoHash(change), `${change.kind} must not touch the info dictionary`);
    assert.deepEqual(result.newInfoHash, after.infoHash);
    assert.notDeepEqual(after.infoHash, old.infoHash);
  } else {
    assert.deepEqual(after.infoHash, old.infoHash, 'the info hash stays the same');
    assert.deepEqual(
      result.bytes.subarray(after.infoSpan.start, after.infoSpan.end),
      before.subarray(old.infoSpan.start, old.infoSpan.end),
      'the info dictionary keeps its bytes',
    );
    assert.equal(result.newInfoHash, undefined);
  }
  assert.equal(result.splices.length === 0, result.bytes === before || latin1(result.bytes) === latin1(before));
  return { result, after, old };
}

// ---------------------------------------------------------------------------------------------------------
// Trackers

const A = 'http://a.example/announce';
const B = 'udp://b.example:6969/announce';
const C = 'https://c.example/announce';
const D = 'wss://d.example/announce';

const tiered = () => torrent({ announce: A, 'announce-list': [[A, B], [C]], comment: 'x' });

test('add a tracker: a tier of its own at the end, inserted into the list and nothing else', () => {
  const before = tiered();
  const { result, after } = edit(before, { kind: 'add-tracker', url: D });
  assert.deepEqual(after.trackers, [[A, B], [C], [D]]);
  assert.equal(result.splices.length, 1);
  assert.equal(result.splices[0].start, result.splices[0].end, 'an insertion');
  assert.equal(latin1(result.splices[0].bytes), `l${D.length}:${D}e`);
  assertChangedOnlyWithin(before, result.bytes, ...valueSpan(before, 'announce-list'), 'add-tracker');
  assert.deepEqual(result.changes, [{ location: 'announce-list[2]', action: 'added', after: D, reason: undefined }]);
});

test('add a tracker to a tier: one string inserted into that tier', () => {
  const before = tiered();
  const { result, after } = edit(before, { kind: 'add-tracker', url: D, tier: 1 });
  assert.deepEqual(after.trackers, [
    [A, B],
    [C, D],
  ]);
  assert.equal(latin1(result.splices[0].bytes), `${D.length}:${D}`);
  assertChangedOnlyWithin(before, result.bytes, ...valueSpan(before, 'announce-list'), 'add-tracker to tier');
  const first = edit(before, { kind: 'add-tracker', url: D, tier: 0, index: 0 });
  assert.deepEqual(first.after.trackers, [[D, A, B], [C]]);
  // The first tracker changed, and `announce` named it: it follows, in a splice of its own.
  assert.equal(first.result.splices.length, 2);
  assert.equal(latin1(decode(first.result.bytes).bytes(decode(first.result.bytes).get(0, 'announce'))), D);
  assert.deepEqual(
    first.result.changes.map((x) => [x.location, x.action]),
    [
      ['announce', 'changed'],
      ['announce-list[0][0]', 'added'],
    ],
    'changes in file order',
  );
  assert.match(first.result.changes[0].reason ?? '', /first tracker/);
});

test('adding a tracker that is listed changes nothing and says where it is', () => {
  const before = tiered();
  const { result } = edit(before, { kind: 'add-tracker', url: C });
  assert.equal(result.splices.length, 0);
  assert.equal(result.bytes, before);
  assert.deepEqual(result.notes, [`tracker '${C}' is already listed in tier 2: not added again`]);
});

test('a torrent with only announce gains an announce-list whose first tier is announce (as transmission-edit does)', () => {
  const before = torrent({ announce: A, comment: 'x' });
  const { result, after } = edit(before, { kind: 'add-tracker', url: B });
  assert.deepEqual(after.trackers, [[A], [B]]);
  const doc = decode(result.bytes);
  assert.equal(latin1(doc.bytes(doc.get(0, 'announce'))), A, 'announce stays');
  assert.equal(result.splices.length, 1, 'one key inserted');
  assert.match(result.changes[0].reason ?? '', /transmission-edit/);
  // Inserted between 'announce' and 'comment': the bytes around it stay.
  const [, announceEnd] = valueSpan(before, 'announce');
  assert.equal(result.splices[0].start, announceEnd);
  // Into the announce tier instead: one tier of two.
  assert.deepEqual(edit(before, { kind: 'add-tracker', url: B, tier: 0 }).after.trackers, [[A, B]]);
});

test('a torrent without trackers gains announce only; a second one makes the announce-list', () => {
  const none = torrent({ comment: 'x' });
  const first = edit(none, { kind: 'add-tracker', url: A });
  assert.deepEqual(first.after.trackers, [[A]]);
  assert.equal(decode(first.result.bytes).get(0, 'announce-list'), -1);
  assert.equal(latin1(first.result.splices[0].bytes), `8:announce${A.length}:${A}`);
  const second = edit(first.result.bytes, { kind: 'add-tracker', url: B });
  assert.deepEqual(second.after.trackers, [[A], [B]]);
  const tier = edit(none, { kind: 'add-tier', urls: [A, B] });
  assert.deepEqual(tier.after.trackers, [[A, B]]);
  assert.equal(latin1(decode(tier.result.bytes).bytes(decode(tier.result.bytes).get(0, 'announce'))), A, 'announce added with the list');
});

test('remove a tracker: everywhere; a tier left empty goes; announce follows the first tracker', () => {
  const before = tiered();
  const b = edit(before, { kind: 'remove-tracker', url: B });
  assert.deepEqual(b.after.trackers, [[A], [C]]);
  assert.equal(b.result.splices.length, 1);
  const c = edit(before, { kind: 'remove-tracker', url: C });
  assert.deepEqual(c.after.trackers, [[A, B]]);
  assert.deepEqual(
    c.result.changes.map((x) => [x.location, x.action, x.reason]),
    [['announce-list[1]', 'removed', 'no tracker is left in the tier']],
  );
  const a = edit(before, { kind: 'remove-tracker', url: A });
  assert.deepEqual(a.after.trackers, [[B], [C]]);
  const doc = decode(a.result.bytes);
  assert.equal(latin1(doc.bytes(doc.get(0, 'announce'))), B, 'announce names the new first tracker');
  assert.deepEqual(
    a.result.changes.map((x) => [x.location, x.action, x.before, x.after]),
    [
      ['announce', 'changed', A, B],
      ['announce-list[0][0]', 'removed', A, undefined],
    ],
  );
  assertChangedOnlyWithin(before, a.result.bytes, valueSpan(before, 'announce')[0], valueSpan(before, 'announce-list')[1], 'remove first');
});

test('remove the last trackers: announce-list and announce go', () => {
  let bytes = tiered();
  for (const url of [A, B]) bytes = edit(bytes, { kind: 'remove-tracker', url }).result.bytes;
  const last = edit(bytes, { kind: 'remove-tracker', url: C });
  assert.deepEqual(last.after.trackers, []);
  const doc = decode(last.result.bytes);
  assert.equal(doc.get(0, 'announce'), -1);
  assert.equal(doc.get(0, 'announce-list'), -1);
  assert.equal(latin1(last.result.bytes), latin1(torrent({ comment: 'x' })));
  const only = edit(torrent({ announce: A }), { kind: 'remove-tracker', url: A });
  assert.equal(latin1(only.result.bytes), latin1(torrent({})));
  const absent = edit(tiered(), { kind: 'remove-tracker', url: D });
  assert.equal(absent.result.splices.length, 0);
  assert.deepEqual(absent.result.notes, [`tracker '${D}' is not listed: nothing to remove`]);
});

test('edit one tracker: only that string changes', () => {
  const before = tiered();
  const { result, after } = edit(before, { kind: 'set-tracker', at: { tier: 1, index: 0 }, url: D });
  assert.deepEqual(after.trackers, [[A, B], [D]]);
  const doc = decode(before);
  const c = doc.children(doc.children(doc.get(0, 'announce-list'))[1])[0];
  assertChangedOnlyWithin(before, result.bytes, doc.start(c), doc.end(c), 'set-tracker');
  // The announce-only torrent: its one tracker is announce.
  const only = edit(torrent({ announce: A }), { kind: 'set-tracker', at: { tier: 0, index: 0 }, url: B });
  assert.deepEqual(only.after.trackers, [[B]]);
  assert.equal(decode(only.result.bytes).get(0, 'announce-list'), -1);
});

test('replace text in every tracker URL, announce included (transmission-edit -r)', () => {
  const passkey = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const url = (key: string, host: string) => `https://${host}.example/${key}/announce`;
  const before = torrent({ announce: url(passkey, 'one'), 'announce-list': [[url(passkey, 'one')], [url(passkey, 'two'), B]] });
  const fresh = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
  const { result, after } = edit(before, { kind: 'replace-in-trackers', find: passkey, replace: fresh });
  assert.deepEqual(after.trackers, [[url(fresh, 'one')], [url(fresh, 'two'), B]]);
  assert.equal(result.splices.length, 3, 'announce and two URLs');
  for (const s of result.splices) assert.equal(s.end - s.start, s.bytes.length, 'same length: each URL replaced in place');
  const doc = decode(result.bytes);
  assert.equal(latin1(doc.bytes(doc.get(0, 'announce'))), url(fresh, 'one'));
  const none = edit(before, { kind: 'replace-in-trackers', find: 'nowhere', replace: 'x' });
  assert.equal(none.result.splices.length, 0);
  assert.throws(() => applyEdit(decode(before), { kind: 'replace-in-trackers', find: 'https://', replace: 'gopher://' }), EditError);
  const twice = edit(tiered(), { kind: 'replace-in-trackers', find: 'https://c', replace: 'http://a' });
  assert.deepEqual(twice.result.notes, [`tracker '${A}' is now listed more than once`], 'a duplicate made is flagged');
  // `$&` and the like are plain text, not replacement patterns.
  assert.deepEqual(edit(before, { kind: 'replace-in-trackers', find: 'two', replace: '$&$&' }).after.trackers[1][0], url(passkey, '$&$&'));
});

test('move a tracker within its tier, to another tier, to a tier of its own', () => {
  const before = tiered();
  assert.deepEqual(edit(before, { kind: 'move-tracker', from: { tier: 0, index: 1 }, to: { tier: 0, index: 0 } }).after.trackers, [
    [B, A],
    [C],
  ]);
  const between = edit(before, { kind: 'move-tracker', from: { tier: 0, index: 1 }, to: { tier: 1, index: 1 } });
  assert.deepEqual(between.after.trackers, [[A], [C, B]]);
  assertChangedOnlyWithin(before, between.result.bytes, ...valueSpan(before, 'announce-list'), 'move between tiers');
  const own = edit(before, { kind: 'move-tracker', from: { tier: 1, index: 0 }, to: { tier: 0, index: 0 }, newTier: true });
  assert.deepEqual(own.after.trackers, [[C], [A, B]]);
  assert.equal(latin1(decode(own.result.bytes).bytes(decode(own.result.bytes).get(0, 'announce'))), C, 'announce follows');
  // The moved tracker's tier was left empty and went.
  assert.equal(decode(own.result.bytes).size(decode(own.result.bytes).get(0, 'announce-list')), 2);
  assert.equal(edit(before, { kind: 'move-tracker', from: { tier: 0, index: 0 }, to: { tier: 0, index: 0 } }).result.splices.length, 0);
});

test('move a tier: its bytes go, as they were, to the new place; announce follows the first tracker', () => {
  const three = torrent({ announce: A, 'announce-list': [[A, B], [C], [D]], comment: 'x' });
  const down = edit(three, { kind: 'move-tier', from: 0, to: 1 });
  assert.deepEqual(down.after.trackers, [[C], [A, B], [D]]);
  assertChangedOnlyWithin(
    three,
    down.result.bytes,
    valueSpan(three, 'announce')[0],
    valueSpan(three, 'announce-list')[1],
    'announce and announce-list only',
  );
  assert.equal(latin1(decode(down.result.bytes).bytes(decode(down.result.bytes).get(0, 'announce'))), C, 'announce follows');
  assert.deepEqual(edit(three, { kind: 'move-tier', from: 2, to: 0 }).after.trackers, [[D], [A, B], [C]]);
  assert.deepEqual(edit(three, { kind: 'move-tier', from: 0, to: 2 }).after.trackers, [[C], [D], [A, B]]);
  assert.deepEqual(edit(three, { kind: 'move-tier', from: 1, to: 2 }).after.trackers, [[A, B], [D], [C]]);
  assert.equal(edit(three, { kind: 'move-tier', from: 1, to: 1 }).result.splices.length, 0);
  // A URL that is not UTF-8 keeps its bytes through the move.
  const odd = new Uint8Array([...new TextEncoder().encode('http://x.example/'), 0xe9]);
  const latin = torrent({ 'announce-list': [[A], [odd]] });
  const moved = applyEdit(decode(latin), { kind: 'move-tier', from: 1, to: 0 });
  assert.ok(latin1(moved.bytes).includes(`18:${latin1(odd)}`), 'the latin-1 URL is copied byte for byte');
  const refused = (change: TorrentEdit, before = three) =>
    assert.throws(
      () => applyEdit(decode(before), change),
      (error: unknown) => error instanceof EditError && error.code === 'no-such-place',
    );
  refused({ kind: 'move-tier', from: 0, to: 3 });
  refused({ kind: 'move-tier', from: 3, to: 0 });
  refused({ kind: 'move-tier', from: 0, to: 1 }, torrent({ announce: A }));
});

test('add and remove tiers', () => {
  const before = tiered();
  assert.deepEqual(edit(before, { kind: 'add-tier', urls: [D, 'http://e.example/announce'], at: 1 }).after.trackers, [
    [A, B],
    [D, 'http://e.example/announce'],
    [C],
  ]);
  const removed = edit(before, { kind: 'remove-tier', tier: 0 });
  assert.deepEqual(removed.after.trackers, [[C]]);
  assert.equal(latin1(decode(removed.result.bytes).bytes(decode(removed.result.bytes).get(0, 'announce'))), C);
});

test('tracker URLs are checked: they must parse, with an http(s), udp or ws(s) scheme', () => {
  const doc = decode(tiered());
  for (const url of ['not a url', 'ftp://x.example/announce', 'udp://x.example/announce', ' http://x.example/announce', 'http://', '']) {
    assert.throws(
      () => applyEdit(doc, { kind: 'add-tracker', url }),
      (error: unknown) => error instanceof EditError && error.code === 'invalid-url',
      url,
    );
  }
  assert.throws(
    () => applyEdit(doc, { kind: 'add-tracker', url: D, tier: 5 }),
    (error: unknown) => error instanceof EditError && error.code === 'no-such-place' && /no tier 6: it has 2 tiers/.test(error.message),
  );
  assert.throws(() => applyEdit(doc, { kind: 'set-tracker', at: { tier: 0, index: 9 }, url: D }), /tier 1 has no tracker 10/);
});

test('trackerPlaces lists the trackers as edits count them', () => {
  assert.deepEqual(trackerPlaces(decode(tiered())), { source: 'announce-list', tiers: [[A, B], [C]], announce: A });
  assert.deepEqual(trackerPlaces(decode(torrent({ announce: A }))), { source: 'announce', tiers: [[A]], announce: A });
  assert.deepEqual(trackerPlaces(decode(torrent({}))), { source: 'none', tiers: [], announce: null });
  assert.deepEqual(trackerPlaces(decode(torrent({ announce: A, 'announce-list': [[A, 5], 'x', []] }))), {
    source: 'announce-list',
    tiers: [[A, null], null, []],
    announce: A,
  });
});

test('an announce-list that is not a list is reported, not overwritten', () => {
  const before = torrent({ announce: A, 'announce-list': 'garbage' });
  assert.throws(
    () => applyEdit(decode(before), { kind: 'add-tracker', url: B }),
    (error: unknown) => error instanceof EditError && error.code === 'not-editable' && /'announce-list' is a string/.test(error.message),
  );
  // Edits of the one tracker clients use (announce) still work.
  assert.deepEqual(edit(before, { kind: 'set-tracker', at: { tier: 0, index: 0 }, url: C }).after.trackers, [[C]]);
});

// ---------------------------------------------------------------------------------------------------------
// Web seeds, nodes, texts, keys

test('web seeds: add to a list, to a lone string, where there is none; remove; edit one', () => {
  const W1 = 'http://w1.example/file';
  const W2 = 'https://w2.example/file';
  const list = torrent({ announce: A, 'url-list': [W1] });
  const added = edit(list, { kind: 'add-web-seed', url: W2 });
  assert.deepEqual(added.after.webSeeds, [W1, W2]);
  assertChangedOnlyWithin(list, added.result.bytes, ...valueSpan(list, 'url-list'), 'add to url-list');
  const lone = torrent({ announce: A, 'url-list': W1 });
  const fromLone = edit(lone, { kind: 'add-web-seed', url: W2 });
  assert.deepEqual(fromLone.after.webSeeds, [W1, W2]);
  assertChangedOnlyWithin(lone, fromLone.result.bytes, ...valueSpan(lone, 'url-list'), 'lone string to list');
  const none = edit(torrent({ announce: A }), { kind: 'add-web-seed', url: W1 });
  assert.deepEqual(none.after.webSeeds, [W1]);
  assert.deepEqual(edit(torrent({ announce: A }), { kind: 'add-web-seed', url: W1, field: 'httpseeds' }).after.httpSeeds, [W1]);
  assert.equal(edit(list, { kind: 'add-web-seed', url: W1 }).result.splices.length, 0);
  const removed = edit(added.result.bytes, { kind: 'remove-web-seed', url: W1 });
  assert.deepEqual(removed.after.webSeeds, [W2]);
  const gone = edit(removed.result.bytes, { kind: 'remove-web-seed', url: W2 });
  assert.equal(decode(gone.result.bytes).get(0, 'url-list'), -1, 'the empty list goes');
  assert.deepEqual(edit(lone, { kind: 'set-web-seed', field: 'url-list', index: 0, url: W2 }).after.webSeeds, [W2]);
  assert.throws(() => applyEdit(decode(list), { kind: 'add-web-seed', url: 'udp://w.example:1/' }), /cannot be a web seed/);
});

test('DHT nodes: add and remove', () => {
  const before = torrent({ nodes: [['router.example', 6881]] });
  const added = edit(before, { kind: 'add-node', host: '127.0.0.1', port: 6882 });
  assert.deepEqual(added.after.nodes, [
    { host: 'router.example', port: 6881 },
    { host: '127.0.0.1', port: 6882 },
  ]);
  assertChangedOnlyWithin(before, added.result.bytes, ...valueSpan(before, 'nodes'), 'add-node');
  assert.deepEqual(edit(added.result.bytes, { kind: 'remove-node', index: 0 }).after.nodes, [{ host: '127.0.0.1', port: 6882 }]);
  assert.equal(decode(edit(before, { kind: 'remove-node', index: 0 }).result.bytes).get(0, 'nodes'), -1);
  assert.deepEqual(edit(torrent({}), { kind: 'add-node', host: 'n.example', port: 1 }).after.nodes, [{ host: 'n.example', port: 1 }]);
  assert.throws(() => applyEdit(decode(before), { kind: 'add-node', host: 'x', port: 70000 }), /not a port/);
});

test('comment: set in place, with its comment.utf-8 twin; added where canonical order puts it; removed', () => {
  const before = torrent({ announce: A, comment: 'old', 'creation date': 1 });
  const set = edit(before, { kind: 'set-comment', text: 'new comment — ünïcode' });
  assert.equal(set.after.comment?.text, 'new comment — ünïcode');
  assertChangedOnlyWithin(before, set.result.bytes, ...valueSpan(before, 'comment'), 'set-comment');
  const twin = torrent({ comment: 'old', 'comment.utf-8': 'old' });
  const both = edit(twin, { kind: 'set-comment', text: 'new' });
  assert.equal(both.result.splices.length, 2);
  assert.equal(both.after.comment?.text, 'new');
  const none = torrent({ announce: A, 'creation date': 1 });
  const added = edit(none, { kind: 'set-comment', text: 'hello' });
  assert.equal(latin1(added.result.bytes), latin1(torrent({ announce: A, comment: 'hello', 'creation date': 1 })), 'canonical place');
  const removed = edit(twin, { kind: 'set-comment', text: null });
  assert.equal(latin1(removed.result.bytes), latin1(torrent({})));
  assert.equal(edit(before, { kind: 'set-comment', text: 'old' }).result.splices.length, 0);
});

test('created by, creation date, encoding', () => {
  const before = torrent({ 'created by': 'x', 'creation date': 5, encoding: 'UTF-8' });
  const by = edit(before, { kind: 'set-created-by', text: 'Torrent Lens' });
  assert.equal(by.after.createdBy?.text, 'Torrent Lens');
  assertChangedOnlyWithin(before, by.result.bytes, ...valueSpan(before, 'created by'), 'created by');
  const date = edit(before, { kind: 'set-creation-date', seconds: 1_700_000_000 });
  assert.equal(date.after.creationDate, 1_700_000_000);
  assertChangedOnlyWithin(before, date.result.bytes, ...valueSpan(before, 'creation date'), 'creation date');
  assert.equal(edit(before, { kind: 'set-creation-date', seconds: null }).after.creationDate, undefined);
  assert.throws(() => applyEdit(decode(before), { kind: 'set-creation-date', seconds: -1 }), EditError);
  assert.equal(edit(before, { kind: 'set-encoding', text: null }).after.encoding, undefined);
});

test('remove unknown top-level keys (every occurrence); info cannot go', () => {
  const before = bytesOf(latin1(torrent({ announce: A, 'x-extra': 'one', zzz: 1 })));
  const { result, after } = edit(before, { kind: 'remove-key', key: 'x-extra' });
  assert.deepEqual(
    after.unknownKeys.map((k) => k.key.text),
    ['zzz'],
  );
  assertChangedOnlyWithin(
    before,
    result.bytes,
    valueSpan(before, 'x-extra')[0] - '7:x-extra'.length,
    valueSpan(before, 'x-extra')[1],
    'remove-key',
  );
  assert.throws(
    () => applyEdit(decode(before), { kind: 'remove-key', key: 'info' }),
    (e: unknown) => e instanceof EditError && e.code === 'protected-key',
  );
  assert.equal(edit(before, { kind: 'remove-key', key: 'nothing' }).result.splices.length, 0);
});

test('repeated top-level keys: the first is edited, as libtorrent reads the first, and a note says so', () => {
  const info = latin1(encode(INFO));
  const before = bytesOf(`d7:comment5:first7:comment6:second4:info${info}e`);
  const { result, after } = edit(before, { kind: 'set-comment', text: 'changed' });
  assert.equal(after.comment?.text, 'changed');
  assert.equal(latin1(result.bytes), `d7:comment7:changed7:comment6:second4:info${info}e`);
  assert.deepEqual(result.notes, ["the torrent has 2 'comment' keys: the first is edited, as libtorrent reads the first"]);
  assert.equal(latin1(edit(before, { kind: 'set-comment', text: null }).result.bytes), `d4:info${info}e`, 'removing takes both');
});

// ---------------------------------------------------------------------------------------------------------
// Edits inside the info dictionary

test('private, source and name change the info hash, and only bytes inside the info dictionary', () => {
  const before = torrent({ announce: A, comment: 'x' });
  const [infoStart, infoEnd] = valueSpan(before, 'info');
  const priv = edit(before, { kind: 'set-private', private: true });
  assert.equal(priv.result.infoHashChanged, true);
  assert.equal(priv.after.private, true);
  assertChangedOnlyWithin(before, priv.result.bytes, infoStart, infoEnd, 'private');
  assert.equal(latin1(priv.result.bytes), latin1(torrent({ announce: A, comment: 'x' }, { ...INFO, private: 1 })), 'canonical place');
  const pub = edit(priv.result.bytes, { kind: 'set-private', private: false });
  assert.equal(latin1(pub.result.bytes), latin1(before));
  assert.equal(edit(before, { kind: 'set-private', private: false }).result.splices.length, 0);
  const source = edit(before, { kind: 'set-source', text: 'CROSS' });
  assert.equal(source.after.source?.text, 'CROSS');
  assert.equal(source.result.infoHashChanged, true);
  const name = edit(before, { kind: 'set-name', text: 'renamed.bin' });
  assert.equal(name.after.name.text, 'renamed.bin');
  assert.throws(() => applyEdit(decode(before), { kind: 'set-name', text: '../x' }), EditError);
  // A `private` of 0 is public already; making the torrent private replaces it.
  const zero = torrent({}, { ...INFO, private: 0 });
  assert.equal(edit(zero, { kind: 'set-private', private: false }).result.splices.length, 0);
  assert.equal(edit(zero, { kind: 'set-private', private: true }).result.splices.length, 1);
});

test('a v2 torrent gets new v2 hashes', () => {
  const bytes = new Uint8Array(readFileSync(path.join(corpusRoot, 'gen', 'lt-v2-only-single.torrent')));
  const { result, after } = edit(bytes, { kind: 'set-source', text: 'SRC' });
  assert.equal(after.version, 'v2');
  assert.deepEqual(result.newInfoHash, after.infoHash);
  assert.ok(result.newInfoHash?.v2 && !result.newInfoHash.v1);
});

// ---------------------------------------------------------------------------------------------------------
// The corpus: non-canonical torrents keep their hash; every edit undoes; several edits compose

const OUTSIDE_INFO: TorrentEdit[] = [
  { kind: 'add-tracker', url: 'udp://new.example:6969/announce' },
  { kind: 'add-tracker', url: 'http://new.example/announce', tier: 0 },
  { kind: 'remove-tracker', url: 'http://127.0.0.1:16969/announce' },
  { kind: 'replace-in-trackers', find: '127.0.0.1', replace: 'tracker.example' },
  { kind: 'add-web-seed', url: 'https://seed.example/data' },
  { kind: 'add-node', host: 'router.example', port: 6881 },
  { kind: 'set-comment', text: 'edited' },
  { kind: 'set-comment', text: null },
  { kind: 'set-created-by', text: 'Torrent Lens' },
  { kind: 'set-creation-date', seconds: 1_700_000_000 },
  { kind: 'set-creation-date', seconds: null },
  { kind: 'set-encoding', text: 'UTF-8' },
];

for (const [file] of loadTruth()) {
  test(`every kind of edit outside the info dictionary keeps the info hash: ${file}`, () => {
    const before = new Uint8Array(readFileSync(path.join(corpusRoot, file)));
    for (const change of OUTSIDE_INFO) {
      let result: EditResult;
      try {
        ({ result } = edit(before, change));
      } catch (error) {
        // A tracker that is not listed may not be in a tier 1 that does not exist; anything else is a failure.
        if (error instanceof EditError && error.code === 'no-such-place' && change.kind === 'add-tracker') continue;
        throw error;
      }
      assert.equal(result.infoHashChanged, false, `${change.kind}`);
    }
  });
}

test('non-canonical info dictionaries keep their bytes and hash, and a private flag gives the hash of exactly one more entry', () => {
  for (const name of ['hand-noncanonical-unsorted-keys.torrent', 'hand-noncanonical-file-dicts.torrent']) {
    const before = new Uint8Array(readFileSync(path.join(corpusRoot, 'gen', name)));
    const old = parse(before);
    assert.equal(old.infoCanonical, false);
    const all = applyEdits(decode(before), OUTSIDE_INFO.slice(0, 7));
    const after = parse(all.bytes);
    assert.equal(after.infoHash.v1, old.infoHash.v1, name);
    assert.equal(after.infoCanonical, false, 'still the same non-canonical bytes');
    // Undo every step, last first: the original bytes.
    let bytes = all.bytes;
    for (const step of [...all.steps].reverse()) bytes = applySplices(bytes, step.inverse);
    assert.deepEqual(bytes, before);
    // Inside the info dictionary: only the inserted entry differs, the unsorted keys stay unsorted.
    const priv = edit(before, { kind: 'set-private', private: true });
    const info = latin1(before.subarray(old.infoSpan.start, old.infoSpan.end));
    const newInfo = latin1(priv.result.bytes.subarray(priv.after.infoSpan.start, priv.after.infoSpan.end));
    const inserted = changedRegion(bytesOf(info), bytesOf(newInfo));
    assert.equal(inserted.endBefore, inserted.start, 'an insertion');
    assert.equal(newInfo.length - info.length, '7:privatei1e'.length);
  }
});

test('applyEdits: one after the other, with the changes and notes of each', () => {
  const before = tiered();
  const all = applyEdits(decode(before), [
    { kind: 'add-tracker', url: D },
    { kind: 'set-comment', text: 'y' },
    { kind: 'add-tracker', url: D },
    { kind: 'set-private', private: true },
  ]);
  const after = parse(all.bytes);
  assert.deepEqual(after.trackers, [[A, B], [C], [D]]);
  assert.equal(after.comment?.text, 'y');
  assert.equal(all.infoHashChanged, true);
  assert.deepEqual(all.newInfoHash, after.infoHash);
  assert.equal(all.steps[2].splices.length, 0);
  assert.equal(all.notes.length, 1);
  assert.equal(all.changes.length, 3);
});

test('not a torrent: a clear error, nothing changed', () => {
  assert.throws(() => applyEdit(decode(encode([1, 2])), { kind: 'set-comment', text: 'x' }), /root is not a dictionary/);
  assert.throws(() => applyEdit(decode(encode({ announce: A })), { kind: 'set-comment', text: 'x' }), /no 'info' dictionary/);
});

// ---------------------------------------------------------------------------------------------------------
// Hostile input

test('a removed value of a megabyte is shown cut short, at a character boundary', () => {
  const before = torrent({ 'x-blob': 'é'.repeat(500_000), 'x-list': Array.from({ length: 100_000 }, (_, i) => i) });
  const blob = edit(before, { kind: 'remove-key', key: 'x-blob' }).result.changes[0].before ?? '';
  assert.ok(blob.length <= 301 && blob.endsWith('é…'), blob.slice(-10));
  const list = edit(before, { kind: 'remove-key', key: 'x-list' }).result.changes[0].before ?? '';
  assert.ok(list.length < 400 && list.startsWith('0 1 2 ') && list.endsWith('…'));
});

test('torrents of odd shapes: every edit either works (and undoes) or is refused with an EditError', () => {
  const shapes: Record<string, Encodable>[] = [
    { announce: 5, 'announce-list': 'x', 'url-list': { a: 1 }, httpseeds: 7, nodes: 'n', comment: ['a'], 'creation date': 'x' },
    {
      announce: '',
      'announce-list': [[], ['  '], 'tier', [1, A]],
      'url-list': [1, 'http://w.example/'],
      nodes: [['h'], 'x', ['h', 99999]],
    },
    { 'announce-list': [[A, A], [A]], 'url-list': '', encoding: 3, 'comment.utf-8': 4 },
    { announce: A, 'announce-list': [] },
  ];
  const edits: TorrentEdit[] = [
    { kind: 'add-tracker', url: D },
    { kind: 'add-tracker', url: D, tier: 0 },
    { kind: 'add-tracker', url: D, tier: 2, index: 1 },
    { kind: 'add-tier', urls: [D, D, C], at: 0 },
    { kind: 'remove-tracker', url: A },
    { kind: 'remove-tier', tier: 2 },
    { kind: 'set-tracker', at: { tier: 3, index: 1 }, url: C },
    { kind: 'replace-in-trackers', find: 'a.example', replace: 'z.example' },
    { kind: 'move-tracker', from: { tier: 0, index: 0 }, to: { tier: 1, index: 0 } },
    { kind: 'move-tracker', from: { tier: 3, index: 1 }, to: { tier: 0, index: 0 }, newTier: true },
    { kind: 'move-tier', from: 3, to: 0 },
    { kind: 'move-tier', from: 0, to: 1 },
    { kind: 'add-web-seed', url: 'http://w.example/' },
    { kind: 'remove-web-seed', url: 'http://w.example/' },
    { kind: 'set-web-seed', field: 'url-list', index: 1, url: 'https://v.example/' },
    { kind: 'add-node', host: 'h', port: 1 },
    { kind: 'remove-node', index: 1 },
    { kind: 'set-comment', text: 'c' },
    { kind: 'set-comment', text: null },
    { kind: 'set-created-by', text: 'c' },
    { kind: 'set-creation-date', seconds: 0 },
    { kind: 'set-encoding', text: null },
    { kind: 'remove-key', key: 'url-list' },
    { kind: 'set-private', private: true },
    { kind: 'set-source', text: '' },
    { kind: 'set-name', text: 'n' },
  ];
  let made = 0;
  for (const shape of shapes) {
    const before = torrent(shape);
    for (const change of edits) {
      let result: EditResult;
      try {
        result = applyEdit(decode(before), change);
      } catch (error) {
        assert.ok(error instanceof EditError, `${JSON.stringify(change)}: ${String(error)}`);
        continue;
      }
      made++;
      assert.deepEqual(applySplices(result.bytes, result.inverse), before);
      const after = parseMetainfo(result.bytes);
      assert.ok(after.ok, `${JSON.stringify(change)} on ${JSON.stringify(shape)} makes a torrent`);
      if (!result.infoHashChanged) assert.deepEqual(after.metainfo.infoHash, parse(before).infoHash);
    }
  }
  assert.ok(made > 50, `${made} edits made`);
});

test('a torrent with 50,000 trackers or web seeds is edited in one pass over them', () => {
  const urls = Array.from({ length: 50_000 }, (_, i) => `http://t${i}.example/announce`);
  const before = torrent({ announce: urls[0], 'announce-list': [urls, [A, A]] });
  const replaced = edit(before, { kind: 'replace-in-trackers', find: '.example', replace: '.test' });
  assert.equal(replaced.result.changes.length, 50_003);
  assert.deepEqual(replaced.result.notes, [], 'the duplicate was there before');
  const removed = edit(before, { kind: 'remove-tracker', url: urls[0] });
  assert.equal(removed.after.trackers[0].length, 49_999);
  assert.equal(edit(before, { kind: 'add-tracker', url: D }).after.trackers.length, 3);
  const seeds = torrent({ 'url-list': [...Array<string>(50_000).fill('http://w.example/'), 'http://v.example/'] });
  assert.deepEqual(edit(seeds, { kind: 'remove-web-seed', url: 'http://w.example/' }).after.webSeeds, ['http://v.example/']);
});
