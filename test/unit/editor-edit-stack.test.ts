// The editor's document model without VS Code: the edit history (undo and redo give the bytes back exactly, the
// saved point decides what is dirty, a change on disk makes the older steps unusable instead of corrupting the file)
// and the editable torrent over it (each change parsed and published, the info hash kept by edits outside the info
// dictionary and confirmed for edits inside it, the file index of a large torrent kept across edits).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '../../src/core/bencode/decode';
import { applyEdit } from '../../src/core/edit/apply';
import { EditError } from '../../src/core/edit/types';
import { parseMetainfo, parseMetainfoAsync } from '../../src/core/metainfo/parse';
import { TorrentEditStack } from '../../src/view-model/editor/edit-stack';
import { EditableTorrent, type ChangeCause } from '../../src/view-model/editor/editable-torrent';
import type { ParsedTorrent } from '../../src/view-model/editor/parsed-torrent';
import { bigTorrent } from '../support/editor-fixtures';

const A = 'http://a.example/announce';
const B = 'udp://b.example:6969/announce';
const C = 'https://c.example/announce';
const INFO = { length: 70000, name: 'file.bin', 'piece length': 16384, pieces: new Uint8Array(100).fill(7) };
const torrent = () => encode({ announce: A, 'announce-list': [[A, B]], comment: 'first', info: INFO });
const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

function commitEdit(stack: TorrentEditStack, url: string) {
  const result = applyEdit(decode(stack.bytes), { kind: 'add-tracker', url });
  return stack.commit(result, 'Add Tracker', stack.bytes)!;
}

test('the history: undo and redo give the bytes back exactly; the saved point decides what is dirty', () => {
  const original = torrent();
  const stack = new TorrentEditStack(original);
  assert.equal(stack.isDirty, false);
  const first = commitEdit(stack, C);
  const afterFirst = stack.bytes;
  assert.ok(text(afterFirst).includes(C));
  assert.equal(stack.isDirty, true);
  const second = commitEdit(stack, 'wss://d.example/announce');
  assert.equal(stack.undo(first), false, 'a step is undone only where it left the document');
  assert.equal(stack.undo(second), true);
  assert.deepEqual(stack.bytes, afterFirst);
  assert.equal(stack.undo(first), true);
  assert.deepEqual(stack.bytes, original);
  assert.equal(stack.isDirty, false, 'back at the saved bytes');
  assert.equal(stack.redo(second), false, 'a step is redone only where it started');
  assert.equal(stack.redo(first), true);
  stack.markSaved();
  assert.equal(stack.isDirty, false);
  assert.equal(stack.undo(first), true);
  assert.equal(stack.isDirty, true, 'undoing past the saved point makes it dirty');
  assert.equal(commitEdit(stack, C).before, first.before, 'a new step starts from the state the undo reached');
  assert.equal(stack.commit(applyEdit(decode(stack.bytes), { kind: 'add-tracker', url: A }), 'nothing', stack.bytes), undefined);
  assert.throws(() => stack.commit(applyEdit(decode(original), { kind: 'add-tracker', url: C }), 'stale', original), /other bytes/);
});

test('the history across the disk: a revert to the saved bytes keeps it, other bytes from disk make older steps unusable', () => {
  const original = torrent();
  const stack = new TorrentEditStack(original);
  const step = commitEdit(stack, C);
  // Revert: the file on disk still holds the saved bytes, so the step can be redone from there.
  assert.equal(stack.takeFromDisk(original.slice()), 'saved');
  assert.equal(stack.isDirty, false);
  assert.deepEqual(stack.bytes, original);
  assert.equal(stack.redo(step), true);
  assert.equal(stack.takeFromDisk(stack.bytes.slice()), 'current', 'a reload that finds the current bytes changes nothing');
  assert.equal(stack.isDirty, false, 'and they are saved');
  // Another program wrote the file: the step cannot be undone over bytes it was not made for.
  const other = encode({ announce: 'http://other.example/announce', info: INFO });
  assert.equal(stack.takeFromDisk(other), 'new');
  assert.equal(stack.undo(step), false);
  assert.deepEqual(stack.bytes, other);
  assert.equal(stack.isDirty, false);
  stack.forgetSaved();
  assert.equal(stack.isDirty, true, 'a file deleted on disk has nothing saved');
});

test('a document restored from a backup is dirty against the file on disk, or against no file at all', () => {
  const disk = torrent();
  const stack = new TorrentEditStack(disk, disk);
  const edited = new TorrentEditStack(stack.bytes, encode({ info: INFO }));
  assert.equal(stack.isDirty, false);
  assert.equal(edited.isDirty, true);
  assert.equal(new TorrentEditStack(disk, null).isDirty, true);
});

function listen(model: EditableTorrent) {
  const seen: { version: number; cause: ChangeCause }[] = [];
  model.onDidChange((parsed, cause) => seen.push({ version: parsed.version, cause }));
  return seen;
}

test('an editable torrent: each edit, undo and redo is parsed and published; edits outside info keep the info hash', async () => {
  const model = await EditableTorrent.open(torrent(), parseMetainfo);
  const seen = listen(model);
  const hash = model.parsed.metainfo!.infoHash;
  const outcome = await model.edit({ kind: 'set-comment', text: 'second' }, { label: 'Set Comment' });
  assert.equal(outcome.status, 'applied');
  if (outcome.status !== 'applied') return;
  const parsed = await outcome.published;
  assert.equal(parsed, model.parsed);
  assert.equal(parsed.metainfo!.comment!.text, 'second');
  assert.deepEqual(parsed.metainfo!.infoHash, hash, 'the same info hash');
  assert.equal(model.isDirty, true);
  assert.equal(await model.undo(outcome.step), true);
  await model.whenParsed();
  assert.equal(model.parsed.metainfo!.comment!.text, 'first');
  assert.equal(model.isDirty, false);
  assert.equal(await model.redo(outcome.step), true);
  await model.whenParsed();
  assert.deepEqual(
    seen.map((s) => s.cause),
    ['edit', 'undo', 'redo'],
  );
  assert.deepEqual(
    seen.map((s) => s.version),
    [2, 3, 4],
  );
  const unchanged = await model.edit({ kind: 'add-tracker', url: A }, { label: 'Add Tracker' });
  assert.equal(unchanged.status, 'unchanged');
  assert.match(unchanged.status === 'unchanged' ? unchanged.result.notes[0] : '', /already listed/);
  await assert.rejects(model.edit({ kind: 'add-tracker', url: 'not a url' }, { label: 'Add Tracker' }), EditError);
  // Saving: the bytes of every change asked for before, then the saved point.
  const bytes = await model.bytesToSave();
  assert.equal(model.saved(bytes), true);
  assert.equal(model.isDirty, false);
});

test('an edit of the info dictionary is made only once the user confirmed its new info hash', async () => {
  const model = await EditableTorrent.open(torrent(), parseMetainfo);
  const before = model.parsed.metainfo!.infoHash;
  const asked = await model.edit({ kind: 'set-source', text: 'cross-seed' }, { label: 'Set Source' });
  assert.equal(asked.status, 'confirm');
  if (asked.status !== 'confirm') return;
  assert.deepEqual(asked.before, before);
  assert.notEqual(asked.after.v1, before.v1);
  assert.equal(model.isDirty, false, 'nothing changed before the confirmation');
  const wrong = await model.edit({ kind: 'set-source', text: 'cross-seed' }, { label: 'Set Source', confirmInfoHash: { v1: before.v1 } });
  assert.equal(wrong.status, 'confirm', 'a confirmation of another hash is no confirmation');
  const made = await model.edit({ kind: 'set-source', text: 'cross-seed' }, { label: 'Set Source', confirmInfoHash: asked.after });
  assert.equal(made.status, 'applied');
  if (made.status !== 'applied') return;
  const parsed = await made.published;
  assert.equal(parsed.metainfo!.infoHash.v1, asked.after.v1, 'the hash the user confirmed');
  assert.equal(parsed.metainfo!.source!.text, 'cross-seed');
});

test('a file that is no torrent is not edited, with a clear error', async () => {
  const model = await EditableTorrent.open(new TextEncoder().encode('<html>not a torrent</html>'), parseMetainfo);
  await assert.rejects(
    model.edit({ kind: 'set-comment', text: 'x' }, { label: 'Set Comment' }),
    (error: unknown) => error instanceof EditError && error.code === 'not-a-torrent' && /not a torrent/.test(error.message),
  );
});

test('edits asked for at once are made one after the other, each on the bytes the one before left', async () => {
  const model = await EditableTorrent.open(torrent(), parseMetainfoAsync);
  const urls = Array.from({ length: 8 }, (_, i) => `udp://t${i}.example:6969/announce`);
  const outcomes = await Promise.all(urls.map((url) => model.edit({ kind: 'add-tracker', url, tier: 0 }, { label: 'Add Tracker' })));
  assert.ok(outcomes.every((o) => o.status === 'applied'));
  await model.whenParsed();
  assert.deepEqual(model.parsed.metainfo!.trackers, [[A, B, ...urls]]);
});

test('a 100,000-file torrent keeps its file index across an edit outside info, and builds a new one for a new name', async () => {
  const model = await EditableTorrent.open(bigTorrent({ files: 100_000, pieceCount: 20_000 }), parseMetainfoAsync);
  const index = model.parsed.fileIndex();
  const search = model.parsed.pathSearch();
  const edited = await model.edit({ kind: 'add-tracker', url: C }, { label: 'Add Tracker' });
  assert.equal(edited.status, 'applied');
  const parsed: ParsedTorrent = await model.whenParsed();
  assert.equal(parsed.fileIndex(), index, 'the same index, not a new one');
  assert.equal(parsed.pathSearch(), search);
  const asked = await model.edit({ kind: 'set-name', text: 'renamed' }, { label: 'Rename' });
  assert.equal(asked.status, 'confirm');
  if (asked.status !== 'confirm') return;
  await model.edit({ kind: 'set-name', text: 'renamed' }, { label: 'Rename', confirmInfoHash: asked.after });
  assert.notEqual((await model.whenParsed()).fileIndex(), index);
});
