import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { BencodeError, decode, encode, type BencodeDocument } from '../../src/core/bencode/decode';
import { Secrets } from '../../src/core/privacy/secrets';
import { GROUP, BencodeModel } from '../../src/view-model/editor/bencode-model';
import { VisibleRows } from '../../src/view-model/tree/visible-rows';
import { bigTorrent } from '../support/editor-fixtures';

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);

function corpusFiles(folder: string): URL[] {
  const dir = new URL(`${folder}/`, corpus);
  const out: URL[] = [];
  const walk = (d: URL) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(new URL(`${entry.name}/`, d));
      else if (entry.name.endsWith('.torrent')) out.push(new URL(entry.name, d));
    }
  };
  walk(dir);
  return out;
}

function tryDecode(bytes: Uint8Array): BencodeDocument | undefined {
  try {
    return decode(bytes);
  } catch (error) {
    if (error instanceof BencodeError) return error.partial;
    throw error;
  }
}

test('every value of every corpus torrent can be revealed, and its row shows its exact span', () => {
  let checked = 0;
  for (const url of [...corpusFiles('gen'), ...corpusFiles('real'), ...corpusFiles('bad')]) {
    const doc = tryDecode(new Uint8Array(readFileSync(url)));
    if (!doc) continue;
    const model = new BencodeModel(doc, { secrets: Secrets.forTorrent({}, { show: true }) });
    const tree = new VisibleRows(model);
    // Keys stand for their entry, so only values are compared span for span. (A partial document can
    // end with a key that has no value.)
    const isKey = new Uint8Array(doc.count);
    for (let t = 0; t < doc.count; t++) if (doc.isDict(t)) doc.children(t).forEach((c, i) => (isKey[c] = i % 2 === 0 ? 1 : 0));
    const step = Math.max(1, Math.floor(doc.count / 300));
    for (let t = 0; t < doc.count; t += step) {
      if (isKey[t]) continue;
      const id = model.idForToken(t);
      assert.ok(id, `${url.pathname}: token ${t} has a row`);
      const index = tree.reveal(id);
      assert.ok(index >= 0, `${url.pathname}: row ${id} is revealed`);
      const row = tree.rows(index, 1)[0];
      assert.equal(row.id, id);
      assert.deepEqual(row.span, [doc.start(t), doc.end(t)], `${url.pathname}: span of token ${t}`);
      const byOffset = model.idForOffset(doc.start(t));
      assert.ok(
        byOffset && (byOffset === id || byOffset.startsWith(`${id}.`) || id.startsWith(`${byOffset}.`)),
        `${url.pathname}: offset ${doc.start(t)} -> ${byOffset}, token -> ${id}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 1000, `checked ${checked} values`);
});

test('the 25 MB pieces string is summarised and paged by hash, never sent whole', () => {
  const bytes = bigTorrent();
  const doc = decode(bytes);
  const model = new BencodeModel(doc, { secrets: Secrets.forTorrent({}) });
  const tree = new VisibleRows(model);
  tree.restore(['0']);
  const info = doc.get(0, 'info');
  const pieces = doc.get(info, 'pieces');
  const piecesId = model.idForToken(pieces)!;
  const row = tree.rows(tree.reveal(piecesId), 1)[0];
  assert.equal(row.label.text, 'pieces');
  assert.match(row.detail!, /19,569,900 · 978,495 hashes/);
  assert.ok(row.expandable);
  assert.ok(row.value!.text.length <= 17, 'a short hex preview, not the bytes');
  // Expanded: 979 groups of up to 1000 hashes.
  tree.setExpanded(piecesId, true);
  const groups = tree.rows(tree.indexOfId(piecesId) + 1, 2);
  assert.equal(groups[0].label.text, 'hashes 0 … 999');
  assert.equal(groups[0].setSize, Math.ceil(978_495 / GROUP));
  // A byte in the middle of hash 123,456 reveals that hash's row.
  const offset = doc.contentStart(pieces) + 123_456 * 20 + 7;
  const hashId = model.idForOffset(offset)!;
  const hashRow = tree.rows(tree.reveal(hashId), 1)[0];
  assert.equal(hashRow.label.text, 'piece 123,456');
  assert.deepEqual(hashRow.span, [offset - 7, offset + 13]);
  assert.equal(hashRow.value!.text.length, 40);
  // The files list (100,000 entries) comes in groups too.
  const files = doc.get(info, 'files');
  const filesId = model.idForToken(files)!;
  tree.setExpanded(filesId, true);
  assert.equal(tree.rows(tree.indexOfId(filesId) + 1, 1)[0].label.text, '[0 … 999]');
  assert.equal(model.idForToken(doc.children(files)[54_321]), `${filesId}.54.321`);
});

test('text values are redacted unless secrets are revealed; binary keys are shown in hex', () => {
  const bytes = encode({
    announce: 'http://tracker.example/announce?passkey=0123456789abcdef0123456789abcdef',
    info: { name: 'x', 'piece length': 16384, pieces: new Uint8Array(20), length: 1 },
    'piece layers': new Map([[new Uint8Array(32).fill(0xfe), new Uint8Array(64).fill(1)]]),
  });
  const doc = decode(bytes);
  for (const reveal of [false, true]) {
    const model = new BencodeModel(doc, { secrets: Secrets.forTorrent({}, { show: reveal }) });
    const tree = new VisibleRows(model);
    tree.restore(['0']);
    const rows = tree.rows(0, tree.rowCount);
    const announce = rows.find((r) => r.label.text === 'announce')!;
    assert.equal(announce.value!.text.includes('0123456789abcdef0123456789abcdef'), reveal);
    const layers = rows.find((r) => r.label.text === 'piece layers')!;
    tree.setExpanded(layers.id, true);
    const layer = tree.rows(tree.indexOfId(layers.id) + 1, 1)[0];
    assert.equal(layer.label.text, 'fe'.repeat(32));
    assert.equal(layer.badges?.[0].text, 'hex');
    assert.match(layer.detail!, /2 hashes/);
  }
});

test('a partial document (decoding stopped at an error) still has rows', () => {
  const good = encode({ announce: 'http://a/announce', info: { name: 'n', length: 5, 'piece length': 16384, pieces: new Uint8Array(20) } });
  const cut = good.subarray(0, good.length - 30);
  let partial: BencodeDocument | undefined;
  try {
    decode(cut);
  } catch (error) {
    assert.ok(error instanceof BencodeError);
    partial = error.partial;
  }
  assert.ok(partial);
  const model = new BencodeModel(partial, { secrets: Secrets.forTorrent({}) });
  const tree = new VisibleRows(model);
  tree.restore(['0']);
  assert.ok(tree.rowCount >= 2);
  const labels = tree.rows(0, tree.rowCount).map((r) => r.label.text);
  assert.deepEqual(labels.slice(0, 2), ['root', 'announce']);
  assert.equal(model.idForOffset(cut.length - 1), model.idForOffset(cut.length - 1), 'offsets at the cut resolve');
});
