// A magnet link's torrent: the verified info dictionary kept byte for byte inside a .torrent with the link's
// trackers and web seeds, and the notes that say what the link held that a .torrent cannot, or what it lacks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMagnet, type MagnetLink } from '../../src/core/magnet/parse';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { torrentFromMagnet } from '../../src/core/peer/from-magnet';
import { layersNeeded, type PieceLayersResult } from '../../src/core/peer/piece-layers';
import { toHex } from '../../src/core/text/bytes';
import { pieceLayersOf } from '../support/piece-layers';
import { encode } from '../../src/core/bencode/decode';
import { readCorpus } from '../support/corpus';

function corpusTorrent(file: string): Metainfo {
  const result = parseMetainfo(readCorpus(file));
  if (!result.ok) assert.fail(result.failure.message);
  return result.metainfo;
}

function infoOf(m: Metainfo): Uint8Array {
  return new Uint8Array(m.document.data.subarray(m.infoSpan.start, m.infoSpan.end));
}

function magnet(link: string): MagnetLink {
  const result = parseMagnet(link);
  if (!result.ok) assert.fail(result.error.message);
  return result.magnet;
}

test("torrent from a magnet link: the same info hashes, the link's trackers one tier each, its web seeds, and no notes when nothing is lost", () => {
  const source = corpusTorrent('gen/lt-v1-multi-nested.torrent');
  const link = magnet(
    `magnet:?xt=urn:btih:${source.infoHash.v1}&dn=${encodeURIComponent(source.name.text)}` +
      '&tr=http://127.0.0.1:1/announce&tr=udp://127.0.0.1:2/announce&ws=http://127.0.0.1:3/files/',
  );
  const made = torrentFromMagnet(link, infoOf(source), 1_760_000_000);
  assert.equal(made.problem, undefined);
  assert.deepEqual(made.notes, []);
  const m = made.metainfo!;
  assert.deepEqual(m.infoHash, source.infoHash);
  assert.deepEqual(m.trackers, [['http://127.0.0.1:1/announce'], ['udp://127.0.0.1:2/announce']]);
  assert.deepEqual(m.webSeeds, ['http://127.0.0.1:3/files/']);
  assert.equal(m.creationDate, 1_760_000_000);
  assert.match(m.createdBy?.text ?? '', /^Torrent Lens /);
  assert.deepEqual(parseMetainfo(made.bytes).ok, true);
});

test('torrent from a magnet link: what the link says that the torrent cannot keep, or that disagrees with it', () => {
  const source = corpusTorrent('gen/lt-v1-multi-nested.torrent');
  const link = magnet(`magnet:?xt=urn:btih:${source.infoHash.v1}&dn=Another+name&xl=12&so=0-1&x.pe=127.0.0.1:6881`);
  const { notes } = torrentFromMagnet(link, infoOf(source));
  assert.equal(notes.length, 4, notes.join('\n'));
  assert.match(notes[0], new RegExp(`calls it "Another name"; the torrent's own name is "${source.name.text}"`));
  assert.match(notes[1], /length of 12 bytes \(xl\)/);
  assert.match(notes[2], /selects some of the files \(so, BEP 53\)/);
  assert.match(notes[3], /peers the link names \(x\.pe\) are not kept/);
});

test('torrent from a magnet link: a v2 or hybrid torrent with files over a piece is said to lack its piece layers', () => {
  for (const file of ['gen/lt-v2-only-multi.torrent', 'gen/lt-hybrid-multi.torrent']) {
    const source = corpusTorrent(file);
    assert.ok((source.pieceLayerCount ?? 0) > 0, `${file} has piece layers to lose`);
    const made = torrentFromMagnet(magnet(`magnet:?xt=urn:btmh:1220${source.infoHash.v2}`), infoOf(source));
    assert.deepEqual(made.metainfo!.infoHash, source.infoHash, file);
    assert.equal(made.metainfo!.pieceLayerCount ?? 0, 0, file);
    assert.ok(
      made.notes.some((n) => n.startsWith('The torrent has no piece layers: they were not asked for')),
      made.notes.join('\n'),
    );
    assert.ok(
      made.metainfo!.diagnostics.some((d) => d.code === 'piece-layers-missing'),
      file,
    );
  }
  const v1 = corpusTorrent('gen/lt-v1-single.torrent');
  assert.ok(!torrentFromMagnet(magnet(`magnet:?xt=urn:btih:${v1.infoHash.v1}`), infoOf(v1)).notes.some((n) => /piece layers/.test(n)));
});

function layersResult(layers: Map<string, Uint8Array>, total: number, missing: string[]): PieceLayersResult {
  return { status: missing.length ? 'partial' : 'ok', layers, total, missing, peers: [], durationMs: 1 };
}

test("torrent from a magnet link: the peers' piece layers are written as the original torrent has them, the info bytes untouched", () => {
  for (const file of ['gen/lt-v2-only-multi.torrent', 'gen/lt-hybrid-multi.torrent']) {
    const source = corpusTorrent(file);
    const layers = pieceLayersOf(source);
    const link = magnet(`magnet:?xt=urn:btmh:1220${source.infoHash.v2}&ws=http://127.0.0.1:3/files/`);
    const made = torrentFromMagnet(link, infoOf(source), 1_760_000_000, layersResult(layers, layers.size, []));
    const m = made.metainfo!;
    assert.deepEqual(m.infoHash, source.infoHash, file);
    assert.deepEqual(pieceLayersOf(m), layers, file);
    assert.deepEqual([...pieceLayersOf(m).keys()], [...layers.keys()].sort(), `${file}: keys in bytewise order`);
    assert.deepEqual(made.notes, [], file);
    assert.deepEqual(
      m.diagnostics.filter((d) => d.code.startsWith('piece-layer') || d.code === 'unsorted-key'),
      [],
      file,
    );
  }
});

test('torrent from a magnet link: piece layers that did not all come are written as far as they came, and the note names the files without', () => {
  const source = corpusTorrent('gen/lt-v2-only-multi.torrent');
  const { needs } = layersNeeded(source);
  assert.ok(needs.length >= 2, 'the torrent has two files over a piece');
  const layers = pieceLayersOf(source);
  const lacking = needs[0];
  layers.delete(toHex(lacking.root));
  const made = torrentFromMagnet(
    magnet(`magnet:?xt=urn:btmh:1220${source.infoHash.v2}`),
    infoOf(source),
    undefined,
    layersResult(layers, needs.length, lacking.files),
  );
  assert.equal(made.metainfo!.pieceLayerCount, needs.length - 1);
  assert.equal(made.notes.length, 1, made.notes.join('\n'));
  assert.match(made.notes[0], new RegExp(`^1 of its ${needs.length} piece layers are missing: no peer gave them in time`));
  assert.ok(made.notes[0].includes(`"${lacking.files[0]}"`), made.notes[0]);
  const cancelled = torrentFromMagnet(magnet(`magnet:?xt=urn:btmh:1220${source.infoHash.v2}`), infoOf(source), undefined, {
    ...layersResult(new Map(), needs.length, []),
    status: 'cancelled',
  });
  assert.match(cancelled.notes[0], /^The torrent has no piece layers: the fetch was cancelled before they came/);
});

test('torrent from a magnet link: metadata that hashes right but is no torrent is kept, with the reason', () => {
  const info = encode({ name: 'no pieces here' });
  const made = torrentFromMagnet(magnet('magnet:?xt=urn:btih:0000000000000000000000000000000000000000'), info);
  assert.equal(made.metainfo, undefined);
  assert.match(made.problem ?? '', /^the metadata hashes right but is not a torrent we can read: /);
  assert.ok(made.bytes.length > info.length);
});
