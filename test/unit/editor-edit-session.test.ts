// Editing through the editor session, as the webview asks for it, over the real document model (EditableTorrent)
// wired as the extension wires it: each edit, addressed by the rows on screen, lands at the right place of the file;
// the info hash stays the same for edits outside the info dictionary and changes only once the user confirmed the
// new one; secrets are never written from the screen; a large torrent keeps its open folders and scroll.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo, parseMetainfoAsync } from '../../src/core/metainfo/parse';
import type { MetainfoParser } from '../../src/view-model/editor/parsed-torrent';
import { EditableTorrent } from '../../src/view-model/editor/editable-torrent';
import type { EditStep } from '../../src/view-model/editor/edit-stack';
import { EditorSession, type SessionHost } from '../../src/view-model/editor/session';
import { parseDateInput, parseNodeAddress } from '../../src/view-model/editor/edit-actions';
import type { EditAction, EditReply, Snapshot, ViewState } from '../../src/shared/protocol/editor';
import { bigTorrent, quietSessionHost } from '../support/editor-fixtures';

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);
const A = 'http://a.example/announce';
const B = 'udp://b.example:6969/announce';
const C = 'https://c.example/announce';
const D = 'wss://d.example/announce';
const INFO = { length: 70000, name: 'file.bin', 'piece length': 16384, pieces: new Uint8Array(100).fill(7) };
const PASSKEY = '0123456789abcdef0123456789abcdef';
const SECRET_URL = `http://private.example/${PASSKEY}/announce`;

/** A session over an editable torrent, wired as OpenEditor wires it: every new version becomes the session's. */
async function editorFor(bytes: Uint8Array, options: { parser?: MetainfoParser; host?: Partial<SessionHost>; state?: ViewState } = {}) {
  const model = await EditableTorrent.open(bytes, options.parser ?? parseMetainfo);
  const snapshots: Snapshot[] = [];
  const session = new EditorSession(
    quietSessionHost({
      edit: (edit, editOptions) => model.edit(edit, editOptions),
      ...options.host,
    }),
    model.parsed,
    'test.torrent',
  );
  model.onDidChange((parsed, cause) => snapshots.push(session.update(parsed, 40, cause === 'disk' ? 'changed' : 'edit')));
  const first = await session.handle({ type: 'init', viewportRows: 40, state: options.state });
  const edit = (action: EditAction, confirm?: EditReply & { status: 'confirm' }) =>
    session.handle({ type: 'edit', version: session.version, action, ...(confirm ? { confirm: confirm.after } : {}) });
  const trackers = () => model.parsed.metainfo!.trackers;
  return { model, session, snapshots, first, edit, trackers };
}

/** The URL the trackers tree shows in a row. */
async function trackerRow(session: EditorSession, id: string): Promise<string> {
  const reveal = await session.handle({ type: 'reveal', version: session.version, target: { kind: 'row', tree: 'trackers', id } });
  assert.ok(reveal, `row ${id} exists`);
  const rows = await session.handle({ type: 'getRows', version: session.version, tree: 'trackers', start: reveal.index, count: 1 });
  return rows.rows[0].label.text;
}

test('tracker edits by row land at the right place; the info hash shown stays the same; the reply names the row to go to', async () => {
  const { session, snapshots, first, edit, trackers } = await editorFor(
    encode({ announce: A, 'announce-list': [[A, B], [C]], info: INFO }),
  );
  const hash = first.overview!.infoHash;
  const rows = await session.handle({ type: 'getRows', version: session.version, tree: 'trackers', start: 0, count: 10 });
  // Moves are offered where a move can go: not up from the very first row, nor down from the very last.
  assert.deepEqual(
    rows.rows.map((row) => [row.label.text, row.actions]),
    [
      ['Tier 1', ['announce', 'scrape', 'addTracker', 'moveDown', 'remove']],
      [A, ['announce', 'scrape', 'copy', 'edit', 'moveDown', 'moveToNewTier', 'remove']],
      [B, ['announce', 'scrape', 'copy', 'edit', 'moveUp', 'moveDown', 'moveToNewTier', 'remove']],
      ['Tier 2', ['announce', 'scrape', 'addTracker', 'moveUp', 'remove']],
      [C, ['announce', 'scrape', 'copy', 'edit', 'moveUp', 'remove']],
    ],
  );

  const set = await edit({ kind: 'setTracker', row: '0.1', url: D });
  assert.equal(set.status, 'applied');
  assert.deepEqual(trackers(), [[A, D], [C]]);
  assert.equal(set.status === 'applied' && set.version, session.version, 'the reply comes once the session shows the edit');
  assert.equal(snapshots.at(-1)!.reason, 'edit');
  assert.deepEqual(snapshots.at(-1)!.overview!.infoHash, hash, 'the same info hash');

  const cases: [EditAction, string[][], string | undefined][] = [
    [{ kind: 'moveTracker', row: '0.1', direction: 'up' }, [[D, A], [C]], '0.0'],
    [{ kind: 'moveTracker', row: '0.1', direction: 'down' }, [[D], [A, C]], '1.0'],
    [{ kind: 'moveTracker', row: '1.0', direction: 'up' }, [[D, A], [C]], '0.1'],
    [{ kind: 'moveToNewTier', row: '0.0' }, [[A], [D], [C]], '1.0'],
    [{ kind: 'moveTier', row: '2', direction: 'up' }, [[A], [C], [D]], '1'],
    [{ kind: 'moveTracker', row: '0.0', direction: 'down' }, [[A, C], [D]], '0.0'],
    [
      { kind: 'addTracker', url: B, tier: 1 },
      [
        [A, C],
        [D, B],
      ],
      '1.1',
    ],
    [{ kind: 'addTracker', url: 'udp://e.example:80/announce' }, [[A, C], [D, B], ['udp://e.example:80/announce']], '2.0'],
    [{ kind: 'removeTier', row: '1' }, [[A, C], ['udp://e.example:80/announce']], undefined],
    [{ kind: 'removeTracker', row: '0.0' }, [[C], ['udp://e.example:80/announce']], undefined],
  ];
  for (const [action, expected, focus] of cases) {
    const reply = await edit(action);
    assert.equal(reply.status, 'applied', `${JSON.stringify(action)}: ${reply.message}`);
    assert.deepEqual(trackers(), expected, JSON.stringify(action));
    if (reply.status !== 'applied') continue;
    assert.equal(snapshots.at(-1)!.focus?.id, focus, `${action.kind} focuses its row`);
    if (focus !== undefined) assert.equal(snapshots.at(-1)!.focus?.tree, 'trackers');
    if (focus?.includes('.')) {
      const [t, i] = focus.split('.').map(Number);
      assert.equal(await trackerRow(session, focus), expected[t][i], `the focused row shows the moved or added tracker`);
    }
    assert.deepEqual(snapshots.at(-1)!.overview!.infoHash, hash);
  }
  const edge = await edit({ kind: 'moveTracker', row: '0.0', direction: 'up' });
  assert.deepEqual(edge, { status: 'refused', message: 'This is the first tracker.' });
});

test('a tier an edit adds, or an undo brings back, shows open; a tier the user closed stays closed', async () => {
  const steps: EditStep[] = [];
  // The session's host edits the model made below, and keeps each step for the undo.
  const made: { model?: EditableTorrent } = {};
  const { session, model, edit } = await editorFor(encode({ announce: A, 'announce-list': [[A], [B], [C]], info: INFO }), {
    host: {
      edit: async (change, options) => {
        const outcome = await made.model!.edit(change, options);
        if (outcome.status === 'applied') steps.push(outcome.step);
        return outcome;
      },
    },
  });
  made.model = model;
  const shown = async () => {
    const rows = await session.handle({ type: 'getRows', version: session.version, tree: 'trackers', start: 0, count: 20 });
    return rows.rows.map((row) => (row.expandable ? `${row.label.text} ${row.expanded ? 'open' : 'closed'}` : row.label.text));
  };
  const published = () => new Promise<void>((resolve) => model.onDidChange(() => resolve()));
  assert.deepEqual(await shown(), ['Tier 1 open', A, 'Tier 2 open', B, 'Tier 3 open', C]);
  // The user closes the first tier, then removes the second.
  await session.handle({ type: 'setExpanded', version: session.version, tree: 'trackers', id: '0', expanded: false });
  assert.equal((await edit({ kind: 'removeTier', row: '1' })).status, 'applied');
  assert.deepEqual(await shown(), ['Tier 1 closed', 'Tier 2 open', C]);
  // Undone, the removed tier is back open, as it was; the one the user closed is still closed.
  const undone = published();
  assert.equal(await model.undo(steps.at(-1)!), true);
  await undone;
  assert.deepEqual(await shown(), ['Tier 1 closed', 'Tier 2 open', B, 'Tier 3 open', C]);
  // A new tier opens too.
  assert.equal((await edit({ kind: 'addTracker', url: D })).status, 'applied');
  assert.deepEqual(await shown(), ['Tier 1 closed', 'Tier 2 open', B, 'Tier 3 open', C, 'Tier 4 open', D]);
});

test('a torrent that stores its trackers with gaps (an empty tier, whitespace, a tier that is no list) is edited where the tree shows', async () => {
  const bytes = new Uint8Array(readFileSync(new URL('gen/hand-announce-list-quirks.torrent', corpus)));
  const { session, snapshots, edit, trackers } = await editorFor(bytes);
  const before = trackers();
  assert.equal(before.length, 4, 'the tree shows four tiers; the file has five');
  const reply = await edit({ kind: 'moveTracker', row: '1.0', direction: 'up' });
  assert.equal(reply.status, 'applied', reply.message);
  assert.deepEqual(trackers()[0], [...before[0], before[1][0]]);
  assert.equal(reply.status === 'applied' && (await trackerRow(session, snapshots.at(-1)!.focus!.id)), before[1][0]);
  const down = await edit({ kind: 'moveTier', row: '0', direction: 'down' });
  assert.equal(down.status, 'applied', down.message);
  assert.deepEqual(trackers()[1], [...before[0], before[1][0]]);
  const set = await edit({ kind: 'setTracker', row: '3.0', url: C });
  assert.equal(set.status, 'applied', set.message);
  assert.deepEqual(trackers()[3], [C], "the tracker that was 'not a url'");
});

test('an edit of the name, the source or the private flag changes the info hash only once the user confirmed the new hash', async () => {
  const { session, snapshots, first, edit } = await editorFor(encode({ announce: A, info: { ...INFO, source: 'old' } }));
  for (const action of [
    { kind: 'setField', field: 'source', value: 'new-source' },
    { kind: 'setField', field: 'name', value: 'renamed.bin' },
    { kind: 'setPrivate', private: true },
  ] as EditAction[]) {
    const before = session.current.metainfo!.infoHash;
    const asked = await edit(action);
    assert.equal(asked.status, 'confirm', JSON.stringify(action));
    if (asked.status !== 'confirm') continue;
    assert.match(asked.message, /changes the info hash/);
    assert.equal(asked.before.v1, before.v1);
    assert.notEqual(asked.after.v1, before.v1);
    assert.equal(session.current.metainfo!.infoHash.v1, before.v1, 'nothing changed yet');
    const made = await edit(action, asked);
    assert.equal(made.status, 'applied', made.message);
    assert.equal(snapshots.at(-1)!.overview!.infoHash.v1, asked.after.v1, 'the overview shows the hash the user confirmed');
  }
  const m = session.current.metainfo!;
  assert.equal(m.source?.text, 'new-source');
  assert.equal(m.name.text, 'renamed.bin');
  assert.equal(m.private, true);
  assert.notEqual(m.infoHash.v1, first.overview!.infoHash.v1);
});

test('fields outside the info dictionary: comment, creator, date, encoding set and removed; a top-level key removed', async () => {
  const { session, edit, first } = await editorFor(
    encode({ announce: A, comment: 'old', 'x-extra': 'junk', info: { ...INFO, 'x-inner': 1 } }),
  );
  const hash = first.overview!.infoHash.v1;
  const actions: EditAction[] = [
    { kind: 'setField', field: 'comment', value: 'A new comment — ünïcode' },
    { kind: 'setField', field: 'createdBy', value: 'Torrent Lens' },
    { kind: 'setField', field: 'creationDate', value: '2024-02-29 12:00:00 UTC' },
    { kind: 'setField', field: 'encoding', value: 'UTF-8' },
  ];
  for (const action of actions) assert.equal((await edit(action)).status, 'applied', JSON.stringify(action));
  let m = session.current.metainfo!;
  assert.equal(m.comment?.text, 'A new comment — ünïcode');
  assert.equal(m.createdBy?.text, 'Torrent Lens');
  assert.equal(m.creationDate, Date.UTC(2024, 1, 29, 12) / 1000);
  assert.equal(m.encoding?.text, 'UTF-8');
  const keys = await session.handle({ type: 'getRows', version: session.version, tree: 'keys', start: 0, count: 10 });
  const top = keys.rows.findIndex((row) => row.label.text === 'x-extra');
  const inner = keys.rows.findIndex((row) => row.label.text === 'x-inner');
  assert.deepEqual(keys.rows[top].actions, ['reveal', 'remove']);
  assert.deepEqual(keys.rows[inner].actions, ['reveal'], 'a key inside info is part of the hash');
  assert.equal((await edit({ kind: 'removeKey', row: String(inner) })).status, 'refused');
  assert.equal((await edit({ kind: 'removeKey', row: String(top) })).status, 'applied');
  assert.equal((await edit({ kind: 'setField', field: 'comment', value: null })).status, 'applied');
  m = session.current.metainfo!;
  assert.equal(m.comment, undefined);
  assert.deepEqual(
    m.unknownKeys.map((k) => k.key.text),
    ['x-inner'],
  );
  assert.equal(m.infoHash.v1, hash);
  assert.deepEqual(await edit({ kind: 'setField', field: 'name', value: null }), {
    status: 'refused',
    message: 'A torrent cannot do without its name.',
  });
});

test('web seeds and DHT nodes: added, edited and removed by row', async () => {
  const { session, edit } = await editorFor(
    encode({
      'url-list': ['http://w.example/a', 'http://w.example/a', 'http://w.example/b'],
      nodes: [['x'], ['n.example', 6881]],
      info: INFO,
    }),
  );
  assert.equal((await edit({ kind: 'setWebSeed', row: '1', url: 'https://w.example/c' })).status, 'applied');
  assert.deepEqual(session.current.metainfo!.webSeeds, ['http://w.example/a', 'https://w.example/c']);
  assert.equal((await edit({ kind: 'addWebSeed', url: 'http://h.example/seed.php', field: 'httpseeds' })).status, 'applied');
  assert.deepEqual(session.current.metainfo!.httpSeeds, ['http://h.example/seed.php']);
  assert.equal((await edit({ kind: 'removeWebSeed', row: '0' })).status, 'applied');
  assert.deepEqual(session.current.metainfo!.webSeeds, ['https://w.example/c'], 'every place of the URL goes');
  assert.equal((await edit({ kind: 'addNode', address: '[2001:db8::1]:6881' })).status, 'applied');
  assert.deepEqual(session.current.metainfo!.nodes, [
    { host: 'n.example', port: 6881 },
    { host: '2001:db8::1', port: 6881 },
  ]);
  // The tab's first node is the file's second: the first is no node a client can use.
  assert.equal((await edit({ kind: 'removeNode', row: '0' })).status, 'applied');
  assert.deepEqual(session.current.metainfo!.nodes, [{ host: '2001:db8::1', port: 6881 }]);
});

test('values are checked as they are typed, with the reasons the edit would give', async () => {
  const { session } = await editorFor(encode({ announce: A, 'announce-list': [[A, B]], 'url-list': ['http://w.example/'], info: INFO }));
  const check = (action: EditAction) => session.handle({ type: 'checkEdit', version: session.version, action });
  assert.match((await check({ kind: 'setTracker', row: '0.0', url: 'not a url' })).problem ?? '', /cannot be a tracker/);
  assert.match((await check({ kind: 'setTracker', row: '0.0', url: 'ftp://x.example/' })).problem ?? '', /ftp/);
  assert.deepEqual(await check({ kind: 'setTracker', row: '0.0', url: B }), { warning: 'already listed in tier 1' });
  assert.deepEqual(await check({ kind: 'setTracker', row: '0.0', url: A }), {}, 'its own URL is no duplicate');
  assert.deepEqual(await check({ kind: 'addTracker', url: C }), {});
  assert.match((await check({ kind: 'addWebSeed', url: 'udp://x.example/', field: 'url-list' })).problem ?? '', /http or https/);
  assert.deepEqual(await check({ kind: 'addWebSeed', url: 'http://w.example/', field: 'url-list' }), { warning: 'already listed' });
  assert.match((await check({ kind: 'setField', field: 'name', value: 'a/b' })).problem ?? '', /slash/);
  assert.match((await check({ kind: 'setField', field: 'creationDate', value: 'yesterday' })).problem ?? '', /write the date/);
  assert.match((await check({ kind: 'addNode', address: 'host' })).problem ?? '', /host:port/);
  assert.deepEqual(await check({ kind: 'setField', field: 'comment', value: 'fine' }), {});
  assert.match((await check({ kind: 'setTracker', row: '0.5', url: C })).problem ?? '', /no such tracker/);
});

test('dates and node addresses as people type them', () => {
  assert.equal(parseDateInput('1700000000'), 1_700_000_000);
  assert.equal(parseDateInput('2023-11-14 22:13:20 UTC'), 1_700_000_000);
  assert.equal(parseDateInput('2023-11-14T22:13:20Z'), 1_700_000_000);
  assert.equal(parseDateInput('2023-11-14T23:13:20+01:00'), 1_700_000_000);
  assert.equal(parseDateInput('2023-11-14'), Date.UTC(2023, 10, 14) / 1000);
  assert.match(String(parseDateInput('2023-02-30')), /not a date/);
  assert.match(String(parseDateInput('1969-12-31')), /before 1970/);
  assert.deepEqual(parseNodeAddress('router.example:6881'), { host: 'router.example', port: 6881 });
  assert.deepEqual(parseNodeAddress(' [::1]:1 '), { host: '::1', port: 1 });
  assert.match(String(parseNodeAddress('h:0')), /not a port/);
  assert.match(String(parseNodeAddress('::1:80')), /host:port/);
});

test('secrets: a URL whose secret is hidden is edited only once revealed, "[redacted]" is never written, messages hide the passkey', async () => {
  const bytes = encode({
    announce: SECRET_URL,
    'announce-list': [[SECRET_URL], [A]],
    comment: `mirror of ${SECRET_URL}`,
    info: { ...INFO, private: 1 },
  });
  const { session, edit, trackers } = await editorFor(bytes);
  const value = (target: Parameters<EditorSession['requestHandlers']['editValue']>[0]['target']) =>
    session.handle({ type: 'editValue', version: session.version, target });
  const hidden = await value({ kind: 'row', tree: 'trackers', id: '0.0' });
  assert.ok('refused' in hidden && /reveal secrets/.test(hidden.refused), JSON.stringify(hidden));
  const comment = await value({ kind: 'field', field: 'comment' });
  assert.ok('refused' in comment, 'a comment that quotes a secret is not edited as shown');
  // What is shown is not written back.
  const shown = (await session.handle({ type: 'getRows', version: session.version, tree: 'trackers', start: 0, count: 5 })).rows[1].label
    .text;
  assert.match(shown, /\[redacted\]/);
  const refused = await edit({ kind: 'setTracker', row: '0.0', url: shown });
  assert.equal(refused.status, 'refused');
  assert.match(refused.message, /hidden secret/);
  assert.deepEqual(trackers(), [[SECRET_URL], [A]]);
  // A tracker already listed: the note that says so names it, its passkey hidden.
  const again = await edit({ kind: 'addTracker', url: SECRET_URL });
  assert.equal(again.status, 'unchanged');
  assert.ok(!again.message.includes(PASSKEY), again.message);
  // Moving and removing need no text from the screen.
  assert.equal((await edit({ kind: 'moveTier', row: '1', direction: 'up' })).status, 'applied');
  assert.deepEqual(trackers(), [[A], [SECRET_URL]]);
  // Revealed, the real URL is the value to edit.
  await session.handle({ type: 'setRevealSecrets', reveal: true, viewportRows: 40 });
  assert.deepEqual(await value({ kind: 'row', tree: 'trackers', id: '1.0' }), { value: SECRET_URL });
  const changed = SECRET_URL.replace('private.example', 'new.example');
  assert.equal((await edit({ kind: 'setTracker', row: '1.0', url: changed })).status, 'applied');
  assert.deepEqual(trackers(), [[A], [changed]]);
});

test('a file that is no torrent, or a view without editing, offers no edits and says why', async () => {
  const broken = await editorFor(new TextEncoder().encode('<html>no torrent</html>'));
  assert.match(broken.first.readOnly ?? '', /did not parse as a torrent/);
  const reply = await broken.edit({ kind: 'setField', field: 'comment', value: 'x' });
  assert.equal(reply.status, 'refused');
  const viewOnly = await editorFor(encode({ announce: A, info: INFO }), { host: { edit: undefined } });
  assert.ok(viewOnly.first.readOnly);
  const rows = await viewOnly.session.handle({ type: 'getRows', version: 1, tree: 'trackers', start: 0, count: 5 });
  assert.deepEqual(rows.rows[1].actions, ['announce', 'scrape', 'copy']);
  const readOnly = await editorFor(encode({ announce: A, info: INFO }), { host: { readOnlyReason: () => 'the file system is read-only' } });
  assert.equal(readOnly.first.readOnly, 'the file system is read-only');
  const editable = await editorFor(encode({ announce: A, info: INFO }));
  assert.equal(editable.first.readOnly, undefined);
});

test('an edit asked for on a version that is no longer on screen is refused: its rows may be elsewhere now', async () => {
  const { session, edit } = await editorFor(encode({ announce: A, 'announce-list': [[A], [B]], info: INFO }));
  const stale = session.version;
  assert.equal((await edit({ kind: 'moveTier', row: '1', direction: 'up' })).status, 'applied');
  const reply = await session.handle({ type: 'edit', version: stale, action: { kind: 'removeTier', row: '0' } });
  assert.equal(reply.status, 'refused');
  assert.match(reply.message, /changed while you were editing/);
});

test('a 100,000-file torrent keeps its open folders and its scroll through an edit outside info, and its file index', async () => {
  const bytes = bigTorrent({ files: 100_000, pieceCount: 20_000 });
  const state: ViewState = { tab: 'files', expanded: { files: ['0', '0.7', '0.42'] }, top: { files: 900 } };
  const { session, snapshots, first, edit } = await editorFor(bytes, { parser: parseMetainfoAsync, state });
  assert.deepEqual(first.trees.files.expanded, ['0', '0.7', '0.42']);
  assert.equal(first.rows.start, 900);
  const index = session.current.fileIndex();
  const reply = await edit({ kind: 'addTracker', url: C });
  assert.equal(reply.status, 'applied');
  const after = snapshots.at(-1)!;
  assert.equal(after.reason, 'edit');
  assert.deepEqual(after.trees.files.expanded, ['0', '0.7', '0.42']);
  assert.equal(after.rows.start, 900, 'the same first row in view');
  // The same rows (their tooltips name the entries' bytes, which moved with the new tracker).
  const shown = (rows: Snapshot['rows']['rows']) => rows.map((row) => `${row.id} ${row.label.text} ${row.expanded}`);
  assert.deepEqual(shown(after.rows.rows), shown(first.rows.rows));
  assert.equal(session.current.fileIndex(), index, 'the files were not indexed again');
  assert.equal(after.overview!.infoHash.v1, first.overview!.infoHash.v1);
});
